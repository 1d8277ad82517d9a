"""The installable offline app, in real Chromium: installability, offline reading in both variants, variant
memory, the update prompt, and nothing leaving the origin (checked by the `context` fixture for every test)."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, go_offline, go_online, wait_until, wait_until_offline_ready
from tests.helpers import GUIDE_SLUG, GUIDE_SLUGS, GUIDE_SOURCE
from tests.letter_cases import KINDS as LETTER_KINDS
from webapp import create_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
VARIANTS = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
LETTERS = ["/{v}/letters/", *(f"/{{v}}/letters/{kind}" for kind in LETTER_KINDS)]
PAGES = [
    "/{v}/",
    *(f"/{{v}}/guides/{slug}" for slug in GUIDE_SLUGS),
    "/{v}/situation",
    *LETTERS,
    "/{v}/no-trace",
    "/{v}/search",
    "/{v}/offline",
]


@pytest.mark.parametrize("code", VARIANTS)
def test_app_is_installable_with_a_valid_manifest(profile_context: BrowserContext, server: LiveServer, code: str):
    page = profile_context.new_page()
    page.goto(f"{server.url}/{code}/")
    wait_until_offline_ready(page)
    cdp = profile_context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"].endswith(f"/{code}/manifest.webmanifest")
    parsed = manifest["manifest"]
    assert parsed["name"] == "指南"
    assert parsed["startUrl"] == parsed["scope"] == parsed["id"] == f"{server.url}/"
    assert parsed["display"] == "kStandalone"
    assert sorted(s["formFactor"] for s in parsed["screenshots"]) == ["kNarrow", "kWide"]
    assert len(parsed["icons"]) == 4


def test_every_page_opens_offline_in_both_variants(context: BrowserContext, page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/guides/{GUIDE_SLUG}")
    wait_until_offline_ready(page)
    go_offline(context, server)
    page.reload()
    expect(page.locator("h1")).to_have_text("58金融逾期了怎么办：催收、上门和你的权利")
    for code, tag in VARIANTS.items():
        for path in PAGES:
            response = page.goto(server.url + path.format(v=code))
            assert response is not None and response.ok, path
            assert page.locator("html").get_attribute("lang") == tag
            expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("#offline-indicator")).to_be_visible()


@pytest.mark.parametrize(("code", "title"), [("zh-hans", "你现在处于离线状态"), ("zh-hant", "你現在處於離線狀態")])
def test_uncached_url_offline_shows_the_offline_page_in_its_variant(
    context: BrowserContext, page: Page, server: LiveServer, code: str, title: str
):
    page.goto(f"{server.url}/{code}/")
    wait_until_offline_ready(page)
    go_offline(context, server)
    page.goto(f"{server.url}/{code}/guides/not-saved-anywhere")
    expect(page.locator("h1")).to_have_text(title)
    assert page.locator("html").get_attribute("lang") == VARIANTS[code]


def test_switching_variant_offline_is_remembered_when_the_app_reopens(
    context: BrowserContext, page: Page, server: LiveServer
):
    page.goto(f"{server.url}/zh-hans/guides/{GUIDE_SLUG}")
    wait_until_offline_ready(page)
    go_offline(context, server)
    page.click("a.variant-switch")
    expect(page).to_have_url(f"{server.url}/zh-hant/guides/{GUIDE_SLUG}")
    expect(page.locator("h1")).to_have_text("58金融逾期了怎麼辦：催收、上門和你的權利")
    page.goto(f"{server.url}/")  # the installed app's start_url
    expect(page).to_have_url(f"{server.url}/zh-hant/")
    page.reload()  # an offline reload keeps it
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    go_online(context, server)
    page.goto(f"{server.url}/")  # online, the choice made offline still wins over the old cookie
    expect(page).to_have_url(f"{server.url}/zh-hant/")


def test_guide_pdf_of_the_readers_variant_is_kept_offline(context: BrowserContext, page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hant/")
    wait_until_offline_ready(page)
    go_offline(context, server)
    result = page.evaluate(
        """async (url) => {
            const response = await fetch(url);
            const bytes = new Uint8Array(await response.arrayBuffer());
            return [response.status, response.headers.get("content-type"), String.fromCharCode(...bytes.slice(0, 5))];
        }""",
        f"/zh-hant/guides/{GUIDE_SLUG}.pdf",
    )
    assert result == [200, "application/pdf", "%PDF-"]


def test_precache_holds_every_page_and_asset_and_nothing_personal(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/")
    wait_until_offline_ready(page)
    stored = page.evaluate(
        """async () => {
            const out = {};
            for (const name of await caches.keys()) {
                out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
            }
            return out;
        }"""
    )
    pages = next(urls for name, urls in stored.items() if name.startswith("pages-"))
    assets = next(urls for name, urls in stored.items() if name.startswith("assets-"))
    expected = {path.format(v=code) for code in VARIANTS for path in PAGES}
    assert set(pages) == expected
    assert {re.sub(r"\.[0-9a-f]{10}\.", ".", a) for a in assets} == {
        "/assets/css/site.css",
        "/assets/css/situation.css",
        "/assets/css/letters.css",
        "/assets/js/exit.js",
        "/assets/js/app.js",
        "/assets/js/situation.js",
        "/assets/js/letters.js",
        "/assets/js/search.js",
        "/assets/icons/favicon-32.png",
    }
    every_url = [url for urls in stored.values() for url in urls]
    assert not any(url.startswith("/api/") or "summary" in url for url in every_url)


def test_new_version_waits_for_the_reader_then_reloads_exactly_once(
    context: BrowserContext, page: Page, server: LiveServer, guides_dir
):
    page.goto(f"{server.url}/zh-hans/guides/{GUIDE_SLUG}")
    wait_until_offline_ready(page)
    old_caches = set(page.evaluate("caches.keys()"))

    # Deploy a content change: a different guide text means different pages, so a different sw.js.
    guide = guides_dir / GUIDE_SLUG / "guide.md"
    guide.write_text(GUIDE_SOURCE.read_text(encoding="utf-8").replace("深呼吸。", "先深呼吸一下。"), encoding="utf-8")
    server.deploy(
        create_app({"PDF_PRERENDER": False, "PDF_WARM_UP": False, "GUIDES_DIR": guides_dir, "RATELIMIT_ENABLED": False})
    )

    page.reload()  # the browser checks sw.js on navigation and installs the new worker, which waits
    banner = page.locator("#update-banner")
    expect(banner).to_be_visible(timeout=15_000)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")

    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    with page.expect_event("load", timeout=15_000):
        page.click("#update-button")
    # A second reload could only come from a second change of controller: wait until the new worker is the
    # active controller of the reloaded page, after which none can come, and check that this page stayed.
    page.evaluate("window.reloadedOnce = true")
    wait_until(page, "navigator.serviceWorker.controller?.state === 'activated'", what="no active new worker")
    assert page.evaluate("window.reloadedOnce === true")
    assert loads == [f"{server.url}/zh-hans/guides/{GUIDE_SLUG}"]
    expect(page.locator("#update-banner")).to_be_hidden()
    expect(page.locator(".guide-body")).to_contain_text("先深呼吸一下。")

    version = re.search(r'const VERSION = "(\w+)"', page.evaluate("fetch('/sw.js').then((r) => r.text())")).group(1)
    caches_now = set(page.evaluate("caches.keys()"))
    assert caches_now.isdisjoint(old_caches - {"state"})
    assert all(name == "state" or name.endswith(version) for name in caches_now), caches_now


def test_offline_indicator_follows_the_connection(context: BrowserContext, page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/")
    expect(page.locator("#offline-indicator")).to_be_hidden()
    context.set_offline(True)
    expect(page.locator("#offline-indicator")).to_be_visible()
    context.set_offline(False)
    expect(page.locator("#offline-indicator")).to_be_hidden()


def test_the_content_security_policy_blocks_nothing_the_pages_need(
    context: BrowserContext, page: Page, server: LiveServer
):
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    for code in VARIANTS:
        for path in [*PAGES, f"/{{v}}/guides/{GUIDE_SLUG}#home-visits"]:
            page.goto(server.url + path.format(v=code))
            assert page.evaluate("window.__violations") == [], path
        page.goto(f"{server.url}/{code}/situation")
        # The first script's answers come back saved on the device, their debt folded: open it to change it.
        page.evaluate("document.querySelectorAll('details.debt-details').forEach((d) => { d.open = true; })")
        page.fill("#debts-0-due_date", "2026-10-01")
        page.fill("#debts-0-overdue_amount", "1000")
        page.click("button[type=submit]")
        expect(page.locator("h1")).to_contain_text("摘要")
        assert page.evaluate("window.__violations") == []
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"  # CSS applied
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_install_button_appears_when_the_browser_offers_installation(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hant/")
    expect(page.locator("#install-button")).to_be_hidden()
    page.evaluate(
        """() => {
            const offer = new Event("beforeinstallprompt", { cancelable: true });
            offer.prompt = () => { window.__prompted = (window.__prompted || 0) + 1; };
            offer.userChoice = Promise.resolve({ outcome: "accepted" });
            window.dispatchEvent(offer);
        }"""
    )
    button = page.locator("#install-button")
    expect(button).to_be_visible()
    expect(button).to_have_text("安裝到手機（沒有網絡也能看）")
    button.click()
    assert page.evaluate("window.__prompted") == 1
    expect(button).to_be_hidden()


def test_iphone_readers_get_the_add_to_home_screen_hint(browser, server: LiveServer):
    iphone = browser.new_context(
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.0 Mobile/15E148 Safari/604.1",
        viewport={"width": 390, "height": 844},
    )
    page = iphone.new_page()
    page.goto(f"{server.url}/zh-hant/")
    expect(page.locator("#ios-install-hint")).to_be_visible()
    expect(page.locator("#ios-install-hint")).to_contain_text("加入主畫面")
    iphone.close()
