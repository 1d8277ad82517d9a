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

    # Rate limits off: the suite posts far faster than any reader; tests/test_hardening.py turns them on.
    yield create_app({"TESTING": True, "RATELIMIT_ENABLED": False})


@pytest.fixture
def client(app: "Flask") -> "FlaskClient":
    return app.test_client()
