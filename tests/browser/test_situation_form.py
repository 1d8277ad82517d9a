"""The situation form in Chromium: answers kept on the device, wiped on request, quick exit, the contact log,
offline behaviour, the summary's PDF and "change answers", and accessibility."""

from dataclasses import replace

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, go_offline, wait_until, wait_until_offline_ready
from webapp.state import state

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def fill_basics(page: Page) -> None:
    page.fill("#due_date", "2026-10-01")
    page.fill("#overdue_amount", "10000")
    page.fill("#penalty_daily_rate_percent", "5")
    page.select_option("#penalty_rate_unit", "wan")
    page.check("input[name=contacts][value=home_visit]")
    page.check("input[name=reachable][value=no]")


def test_answers_are_kept_on_the_device_and_sent_nowhere_until_asked(
    context: BrowserContext, page: Page, server: LiveServer
):
    page.goto(f"{server.url}/zh-hans/situation")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method != "GET" or "10000" in r.url else None)
    fill_basics(page)
    page.fill("input[name='contact_log-0-note']", "晚上十点来电")
    # Once the page has handled the typing (the answers are saved on the device), nothing has been sent.
    wait_until(page, "(localStorage.getItem('situation-answers') || '').includes('晚上十点来电')")
    assert sent == []
    page.reload()
    expect(page.locator("#overdue_amount")).to_have_value("10000")
    expect(page.locator("#penalty_rate_unit")).to_have_value("wan")
    expect(page.locator("input[name=contacts][value=home_visit]")).to_be_checked()
    expect(page.locator("input[name=reachable][value=no]")).to_be_checked()
    expect(page.locator("input[name='contact_log-0-note']")).to_have_value("晚上十点来电")


def test_one_button_wipes_the_answers_from_the_device(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/situation")
    fill_basics(page)
    page.click("#wipe-answers")
    expect(page.locator("#wiped")).to_be_visible()
    expect(page.locator("#overdue_amount")).to_have_value("")
    expect(page.locator("input[name=contacts][value=home_visit]")).not_to_be_checked()
    expect(page.locator("input[name=reachable][value=yes]")).to_be_checked()
    assert page.evaluate("localStorage.getItem('situation-answers')") is None
    page.reload()
    expect(page.locator("#overdue_amount")).to_have_value("")


def test_quick_exit_leaves_at_once_and_leaves_nothing_to_go_back_to(page: Page, server: LiveServer):
    # An address of ours stands in for the ordinary-looking site.
    app_state = state(server.app)
    app_state.settings = replace(app_state.settings, QUICK_EXIT_URL=f"{server.url}/healthz")
    page.goto(f"{server.url}/zh-hans/")
    page.goto(f"{server.url}/zh-hans/situation")
    page.click("#quick-exit")
    expect(page).to_have_url(f"{server.url}/healthz")
    page.go_back()
    expect(page).to_have_url(f"{server.url}/zh-hans/")  # the form was replaced, not left behind


def test_contact_log_rows_can_be_added_and_removed_and_reach_the_summary(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/situation")
    page.fill("#due_date", "2026-10-01")
    page.fill("#overdue_amount", "10000")
    rows = page.locator("#log-rows > li")
    expect(rows).to_have_count(3)
    page.click("#add-row")
    expect(rows).to_have_count(4)
    page.fill("input[name='contact_log-3-date']", "2026-11-21")
    page.fill("input[name='contact_log-3-note']", "第四行")
    rows.nth(0).locator(".remove-row").click()
    expect(rows).to_have_count(3)
    expect(page.locator("input[name='contact_log-2-note']")).to_have_value("第四行")  # renumbered
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("你的情况摘要")
    expect(page.locator("table.evidence")).to_contain_text("第四行")


def test_summary_offers_its_pdf_and_a_way_back_to_the_filled_form(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hant/situation")
    fill_basics(page)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("你的情況摘要")
    with page.expect_download() as download:
        page.click("button:has-text('下載PDF')")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.click("button:has-text('修改回答')")
    expect(page.locator("#overdue_amount")).to_have_value("10000")
    expect(page.locator("#penalty_rate_unit")).to_have_value("wan")


def test_offline_the_form_opens_keeps_answers_and_explains_the_summary_needs_a_connection(
    context: BrowserContext, page: Page, server: LiveServer
):
    page.goto(f"{server.url}/zh-hans/")
    wait_until_offline_ready(page)
    go_offline(context, server)
    page.goto(f"{server.url}/zh-hans/situation")
    fill_basics(page)
    page.click("button[type=submit]")
    expect(page.locator("#offline-submit")).to_be_visible()
    expect(page).to_have_url(f"{server.url}/zh-hans/situation")
    expect(page.locator("#overdue_amount")).to_have_value("10000")


def test_form_and_summary_have_no_serious_accessibility_violation(page: Page, server: LiveServer):
    axe = Axe()
    for code in ("zh-hans", "zh-hant"):
        page.goto(f"{server.url}/{code}/situation")
        page.click("#wipe-answers")  # start empty, whatever the previous round saved
        page.click("button[type=submit]")  # the form again, with errors shown
        expect(page.locator("#error-summary")).to_be_focused()
        fill_basics(page)
        for result in (axe.run(page),):
            assert [v["id"] for v in result.response["violations"] if v["impact"] in ("serious", "critical")] == []
        page.click("button[type=submit]")
        expect(page.locator("h1")).to_contain_text("摘要")
        expect(page.locator("a.variant-switch")).to_have_attribute(
            "href", f"/{'zh-hant' if code == 'zh-hans' else 'zh-hans'}/situation"
        )
        result = axe.run(page)
        assert [v["id"] for v in result.response["violations"] if v["impact"] in ("serious", "critical")] == []
