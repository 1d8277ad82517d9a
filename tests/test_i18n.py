"""UI strings and script correctness: catalogs complete and in sync, no leftover characters, Babel formats."""

from datetime import date
from decimal import Decimal

import opencc
import pytest
from babel.messages.extract import extract_from_dir

from tests.helpers import GUIDE_SLUG, ROOT, readable_text
from webapp import formatting
from webapp.catalogs import drift, po_path, read_catalog
from webapp.state import state

HANT_PAGES = [
    "/zh-hant/",
    f"/zh-hant/guides/{GUIDE_SLUG}",
    "/zh-hant/guides/no-such-guide",  # 404
    "/zh-hant/not-a-page",  # 404 without a route
]
HANS_PAGES = [p.replace("zh-hant", "zh-hans") for p in HANT_PAGES]


def source_msgids() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    found = extract_from_dir(str(ROOT / "webapp"), method_map, keywords={"_": None, "gettext": None, "_l": None})
    return {message for _, _, message, _, _ in found}


def test_every_ui_string_is_translated_in_zh_hans() -> None:
    hans = read_catalog(po_path(ROOT / "translations", "zh_Hans"), "zh_Hans")
    untranslated = [m for m in source_msgids() if not (hans.get(m) and hans.get(m).string)]
    assert untranslated == []


def test_catalog_has_no_strings_the_code_no_longer_uses() -> None:
    hans = read_catalog(po_path(ROOT / "translations", "zh_Hans"), "zh_Hans")
    assert {m.id for m in hans if m.id} == source_msgids()


def test_zh_hant_catalog_is_generated_from_zh_hans(app) -> None:
    assert drift(ROOT / "translations", state(app).converter) == []


def test_zh_hant_ui_strings_have_no_simplified_leftovers(app) -> None:
    hant = read_catalog(po_path(ROOT / "translations", "zh_Hant"), "zh_Hant")
    text = "".join(m.string for m in hant if m.id)
    assert state(app).converter.simplified_leftovers(text) == set()


@pytest.mark.parametrize("path", HANT_PAGES)
def test_zh_hant_page_has_no_simplified_leftovers(app, client, path: str) -> None:
    text = readable_text(client.get(path).text)
    assert len(text) > 50
    assert state(app).converter.simplified_leftovers(text) == set()


@pytest.mark.parametrize("path", HANS_PAGES)
def test_zh_hans_page_has_no_traditional_characters(client, path: str) -> None:
    t2s = opencc.OpenCC("t2s")
    text = readable_text(client.get(path).text)
    text = text.replace("繁體中文", "")  # the switch label is written in the script it leads to
    assert {ch for ch in set(text) if t2s.convert(ch) != ch} == set()


def test_leftover_scan_would_catch_an_untranslated_simplified_string(app) -> None:
    assert state(app).converter.simplified_leftovers("本頁由簡體原文转换") == {"转", "换"}


@pytest.mark.parametrize(
    ("code", "amount", "expected"),
    [
        ("zh-hans", Decimal("12345.6"), "¥12,345.60"),
        ("zh-hant", Decimal("12345.6"), "¥12,345.60"),  # not CN¥: RMB as the reader writes it
        ("zh-hans", "0.005", "¥0.01"),  # half-up, where Babel alone would round half-even to ¥0.00
        ("zh-hant", "2.675", "¥2.68"),  # float(2.675) rounds to 2.67; Decimal does not
    ],
)
def test_money_is_formatted_in_the_variants_locale(app, code: str, amount, expected: str) -> None:
    with app.test_request_context(f"/{code}/"):
        app.preprocess_request()  # sets the request's variant from the URL, as for a real page
        assert formatting.money(amount) == expected


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
def test_dates_are_formatted_in_the_variants_locale(app, code: str) -> None:
    with app.test_request_context(f"/{code}/"):
        assert formatting.long_date(date(2026, 1, 5)) == "2026年1月5日"


def test_guide_date_is_shown_through_babel(client) -> None:
    assert "最後核對：2026年12月3日" in client.get(f"/zh-hant/guides/{GUIDE_SLUG}").text
