"""Fixtures shared by every tier that needs the app (flaskr's tests/conftest.py is the model).

Flask is imported inside the fixtures, not here: this file is loaded for every tier, and the pure tier
(tests/core/) imports no Flask and no WeasyPrint (tests/core/test_tier.py proves it)."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers import share_guide_renders

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient


# The modules that take longest (seconds on 2 workers, `pytest --durations=0`), heaviest first: xdist hands each
# worker a whole module at a time in collection order, so these go first and the small ones fill in at the end. Only
# the order changes; a module not listed keeps its place after these (a new slow module belongs in this list).
HEAVIEST = [
    "tests/test_situation_fuzz.py",
    "tests/test_situation_assessment.py",
    "tests/test_server_edge.py",
    "tests/browser/test_debts_form.py",
    "tests/test_debts_summary.py",
    "tests/browser/test_accessibility.py",
    "tests/test_pdf_speed.py",
    "tests/browser/test_reader_phone.py",
    "tests/test_hardening.py",
    "tests/browser/test_situation_form.py",
    "tests/browser/test_pwa.py",
    "tests/test_pdf.py",
    "tests/test_serving.py",
    "tests/browser/test_reading.py",
    "tests/test_situation_downloads.py",
    "tests/browser/test_letters.py",
    "tests/test_debts_form.py",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {module: place for place, module in enumerate(HEAVIEST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(HEAVIEST)))  # stable: order kept within


@pytest.fixture(scope="session")
def guide_renders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for this run, the same for every xdist worker (their basetemps share a parent made for the run)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "guide-renders"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def app(guide_renders: Path) -> Iterator["Flask"]:
    from webapp import create_app

    # Rate limits off: the suite posts far faster than any reader; tests/test_hardening.py turns them on. Guide PDFs
    # render when a test first asks for one (as they do with PDF_PRERENDER off), not all twelve in every worker;
    # tests/test_pdf_speed.py and tests/test_serving.py start apps that prerender and warm up.
    yield share_guide_renders(
        create_app({"TESTING": True, "RATELIMIT_ENABLED": False, "PDF_PRERENDER": False}), guide_renders
    )


@pytest.fixture
def client(app: "Flask") -> "FlaskClient":
    return app.test_client()
