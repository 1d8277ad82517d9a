import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GUIDE_SLUG = "58-finance-overdue"
GUIDE_SOURCE = ROOT / "guides" / GUIDE_SLUG / "guide.md"


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    # Rate limits off: the suite posts far faster than any reader; tests/test_limits.py turns them on.
    yield create_app({"TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class _TextAndAttributes(HTMLParser):
    """What a reader sees or hears: text nodes and the human-readable attributes."""

    READABLE = frozenset({"title", "alt", "aria-label", "content", "placeholder", "value"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.extend(v for k, v in attrs if k in self.READABLE and v)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def readable_text(html: str) -> str:
    parser = _TextAndAttributes()
    parser.feed(html)
    return "\n".join(parser.parts)


def cjk(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def links(html: str, attribute: str = "href") -> list[str]:
    return re.findall(rf'{attribute}="([^"]*)"', html)
