"""Which variant a reader gets: the cookie they chose, then their browser's languages, else Simplified."""

import pytest
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from webapp.negotiation import negotiate
from webapp.variants import HANS, HANT

# Real Accept-Language headers, as browsers send them.
TRADITIONAL_BROWSERS = [
    "zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7",  # Chrome, Taiwan
    "zh-TW,zh;q=0.9",
    "zh-HK,zh;q=0.9,en;q=0.8",  # Chrome, Hong Kong
    "zh-MO,zh;q=0.9",
    "zh-Hant-TW,zh-Hant;q=0.9,zh;q=0.8",
    "zh-Hant,zh;q=0.9",
    "zh-hant-hk",
    "zh-tw",  # old Safari, lower case
    "zh-HK",
    "zh_TW",
    "en-US,en;q=0.9,zh-TW;q=0.8,zh;q=0.7",  # English first, but the preferred Chinese is Traditional
    "zh;q=0.8,zh-TW;q=0.9",  # out of order: quality decides
    "yue-HK,zh;q=0.5",
]
SIMPLIFIED_BROWSERS = [
    "zh-CN,zh;q=0.9,en;q=0.8",
    "zh",
    "zh-Hans-HK,zh-HK;q=0.9",  # the script subtag wins over the region
    "zh-SG,zh;q=0.9",
    "zh,zh-TW;q=0.9",  # plain zh first
    "zh-TW;q=0,zh-CN",  # q=0 means "not this one"
    "en-US,en;q=0.9",  # no Chinese at all: the default
    "",
    ";;;,,*",
]


@pytest.mark.parametrize("header", TRADITIONAL_BROWSERS)
def test_traditional_browser_gets_zh_hant(header: str) -> None:
    assert negotiate(None, header) == HANT


@pytest.mark.parametrize("header", SIMPLIFIED_BROWSERS)
def test_simplified_or_other_browser_gets_zh_hans(header: str) -> None:
    assert negotiate(None, header) == HANS


def test_werkzeug_best_match_alone_would_send_taiwan_to_simplified() -> None:
    # Why variants.py walks the list itself: best_match lets the `zh` fallback decide.
    accept = parse_accept_header("zh-TW,zh;q=0.9", LanguageAccept)
    assert accept.best_match(["zh-Hans", "zh-Hant"]) == "zh-Hans"


def test_cookie_beats_browser_language() -> None:
    assert negotiate("zh-hans", "zh-TW,zh;q=0.9") == HANS
    assert negotiate("zh-hant", "zh-CN") == HANT


def test_unknown_cookie_is_ignored() -> None:
    assert negotiate("klingon", "zh-TW") == HANT


@pytest.mark.parametrize(
    ("cookie", "header", "location"),
    [
        (None, None, "/zh-hans/"),
        (None, "zh-TW,zh;q=0.9", "/zh-hant/"),
        (None, "zh-CN,zh;q=0.9", "/zh-hans/"),
        ("zh-hant", "zh-CN", "/zh-hant/"),
        ("zh-hans", "zh-HK", "/zh-hans/"),
        ("bogus", "zh-MO", "/zh-hant/"),
    ],
)
def test_root_redirects_by_cookie_then_accept_language(client, cookie, header, location) -> None:
    if cookie:
        client.set_cookie("variant", cookie)
    response = client.get("/", headers={"Accept-Language": header} if header else {})
    assert response.status_code == 302
    assert response.headers["Location"] == location
    assert "Accept-Language" in response.headers["Vary"]


def test_reading_a_variant_remembers_it(client) -> None:
    response = client.get("/zh-hant/guides/58-finance-overdue")
    assert "variant=zh-hant" in response.headers["Set-Cookie"]
    assert client.get("/", headers={"Accept-Language": "zh-CN"}).headers["Location"] == "/zh-hant/"


def test_cookie_is_not_rewritten_when_unchanged(client) -> None:
    client.set_cookie("variant", "zh-hans")
    assert "Set-Cookie" not in client.get("/zh-hans/").headers


def test_error_page_does_not_change_the_remembered_variant(client) -> None:
    client.set_cookie("variant", "zh-hans")
    assert "Set-Cookie" not in client.get("/zh-hant/guides/no-such-guide").headers
