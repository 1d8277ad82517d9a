"""Fixtures shared by every tier that needs the app (flaskr's tests/conftest.py is the model).

Flask is imported inside the fixtures, not here: this file is loaded for every tier, and the pure tier
(tests/core/) imports no Flask and no WeasyPrint (tests/core/test_tier.py proves it)."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient


@pytest.fixture(scope="session")
def app() -> Iterator["Flask"]:
    from webapp import create_app

    # Rate limits off: the suite posts far faster than any reader; tests/test_hardening.py turns them on. Guide PDFs
    # render when a test first asks for one (as they do with PDF_PRERENDER off), not all twelve in every worker;
    # tests/test_pdf_speed.py and tests/test_serving.py start apps that prerender and warm up.
    yield create_app({"TESTING": True, "RATELIMIT_ENABLED": False, "PDF_PRERENDER": False})


@pytest.fixture
def client(app: "Flask") -> "FlaskClient":
    return app.test_client()
