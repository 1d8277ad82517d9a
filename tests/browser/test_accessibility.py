"""Accessibility in Chromium: axe-core on every page in both variants, keyboard use, 200% text, colour scheme
and reduced motion."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.helpers import GUIDE_SLUG, GUIDE_SLUGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGES = ["/{v}/", *(f"/{{v}}/guides/{slug}" for slug in GUIDE_SLUGS), "/{v}/offline", "/{v}/guides/no-such-guide"]
CODES = ["zh-hans", "zh-hant"]
AXE = Axe()


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(page: Page, server: LiveServer, path: str, code: str):
    page.goto(server.url + path.format(v=code))
    results = AXE.run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_colour_contrast_holds_in_both_colour_schemes(page: Page, server: LiveServer, scheme: str):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{server.url}/zh-hans/guides/{GUIDE_SLUG}")
    results = AXE.run(page, options={"runOnly": ["color-contrast"]})
    assert results.response["violations"] == []


def test_first_tab_reaches_the_skip_link_and_it_moves_focus_to_the_content(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/guides/{GUIDE_SLUG}")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_every_link_and_button_is_reachable_by_keyboard(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/")
    visible = page.locator("a:visible, button:visible").count()
    reached = set()
    for _ in range(visible + 2):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.outerHTML"))
    assert len([h for h in reached if h.startswith(("<a", "<button"))]) == visible


@pytest.mark.parametrize("path", PAGES[:2])
def test_text_at_200_percent_reflows_without_sideways_scrolling(page: Page, server: LiveServer, path: str):
    page.goto(server.url + path.format(v="zh-hant"))
    # Through the CSSOM: the page's CSP rightly refuses an injected <style> element.
    page.evaluate("document.documentElement.style.setProperty('font-size', '200%', 'important')")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size >= 32  # 1.0625rem at a 32px root: the text really doubled


def test_dark_colour_scheme_is_honoured(page: Page, server: LiveServer):
    page.emulate_media(color_scheme="dark")
    page.goto(f"{server.url}/zh-hans/")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 22, 24)"


def test_reduced_motion_turns_off_smooth_scrolling(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "smooth"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
