"""Reading every guide on a 360 px phone in Chromium: nothing wider than the screen, tables as cards, tap targets
big enough, and the guide's PDF saved by a tap even offline."""

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, go_offline, wait_until, wait_until_offline_ready
from tests.helpers import GUIDE_SLUG, GUIDE_SLUGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CODES = ["zh-hans", "zh-hant"]

# Visible elements reaching past the right edge of the screen, and tables wider than their box.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")].filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && box.right > width + 0.5;
    }).map((el) => el.tagName + "." + el.className);
    const tables = [...document.querySelectorAll("table")].filter(
        (t) => t.getBoundingClientRect().width > t.parentElement.getBoundingClientRect().width + 0.5,
    ).map((t) => t.outerHTML.slice(0, 60));
    return {page: document.documentElement.scrollWidth > width, wide, tables};
}"""


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("slug", GUIDE_SLUGS)
def test_every_guide_fits_a_360px_screen(page: Page, server: LiveServer, slug: str, code: str) -> None:
    page.goto(f"{server.url}/{code}/guides/{slug}")
    assert page.evaluate(OVERFLOW) == {"page": False, "wide": [], "tables": []}


@pytest.mark.parametrize("code", CODES)
def test_tables_become_cards_with_every_cell_named(page: Page, server: LiveServer, code: str) -> None:
    page.goto(f"{server.url}/{code}/guides/help")
    cells = page.locator(".guide-body td")
    assert cells.count() >= 10
    labels = page.evaluate(
        """() => [...document.querySelectorAll('.guide-body td')].map(
            (td) => [getComputedStyle(td).display, getComputedStyle(td, '::before').content])"""
    )
    assert all(display == "block" and content not in ("none", "normal", '""') for display, content in labels)
    page.set_viewport_size({"width": 800, "height": 740})  # a wide screen keeps the table
    assert page.evaluate("getComputedStyle(document.querySelector('.guide-body td')).display") == "table-cell"


@pytest.mark.parametrize("selector", [".toc a", ".sources a", ".situations a", ".pdf-link a"])
def test_tap_targets_are_at_least_24px(page: Page, server: LiveServer, selector: str) -> None:
    page.goto(f"{server.url}/zh-hans/" if selector == ".situations a" else f"{server.url}/zh-hans/guides/{GUIDE_SLUG}")
    sizes = page.evaluate(
        f"""() => [...document.querySelectorAll({selector!r})].map((a) => {{
            const box = a.getBoundingClientRect(); return [box.width, box.height]; }})"""
    )
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes), sizes


def test_a_tap_on_the_pdf_link_saves_the_kept_copy_offline(
    context: BrowserContext, page: Page, server: LiveServer
) -> None:
    page.goto(f"{server.url}/zh-hant/guides/court-papers")
    wait_until_offline_ready(page)
    pdf = "/zh-hant/guides/court-papers.pdf"
    kept = f"caches.match({pdf!r}).then(Boolean)"  # searches every cache of the origin
    wait_until(page, kept, what="the guide's PDF was not kept on the device")
    go_offline(context, server)
    link = page.locator(".pdf-link a")
    with page.expect_download(timeout=15_000) as saved:
        link.click()
    download = saved.value
    assert download.suggested_filename == link.get_attribute("download")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    expect(page.locator(".pdf-missing")).to_be_hidden()


def test_a_pdf_not_kept_yet_says_a_connection_is_needed(context: BrowserContext, page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/guides/scams")  # no service worker yet: nothing kept on the device
    go_offline(context, server)
    page.locator(".pdf-link a").click()
    expect(page.locator(".pdf-missing")).to_be_visible()
    expect(page).to_have_url(f"{server.url}/zh-hans/guides/scams")


@pytest.mark.parametrize("code", CODES)
def test_the_offline_page_lists_what_is_saved_including_the_form(page: Page, server: LiveServer, code: str) -> None:
    page.goto(f"{server.url}/{code}/offline")
    hrefs = page.eval_on_selector_all(".saved-pages a", "links => links.map((a) => a.getAttribute('href'))")
    assert hrefs == [f"/{code}/", *(f"/{code}/guides/{slug}" for slug in GUIDE_SLUGS), f"/{code}/situation"]
