"""The pure tier: rules, assessment and settings as plain functions on plain data. No app, no HTTP client."""

import pytest

from tests.helpers import GUIDES_DIR
from webapp.content import Library, load_library
from webapp.conversion import Converter, Glossary
from webapp.situation.rules import Rules, load_rules


@pytest.fixture(scope="session")
def converter() -> Converter:
    return Converter(Glossary.load(GUIDES_DIR / "glossary.yaml"))


@pytest.fixture(scope="session")
def library(converter: Converter) -> Library:
    return load_library(GUIDES_DIR, converter, (GUIDES_DIR / "glossary.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def rules(converter: Converter, library: Library) -> Rules:
    return load_rules(GUIDES_DIR / "data", library.sources.get, converter)
