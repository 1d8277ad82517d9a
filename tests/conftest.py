"""Fixtures shared by every tier that needs the app (flaskr's tests/conftest.py is the model)."""

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    # Rate limits off: the suite posts far faster than any reader; tests/test_hardening.py turns them on.
    yield create_app({"TESTING": True, "RATELIMIT_ENABLED": False})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
