"""The situation form in Chromium: answers kept on the device, wiped on request (after asking), quick exit on
every page, the contact log, sending and offline behaviour, the summary's PDF and "change answers", nothing wider
than a 360 px phone, and accessibility."""

from dataclasses import replace

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, go_offline, wait_until, wait_until_offline_ready
from tests.helpers import GUIDE_SLUG
from webapp.state import state
from webapp.summary import today

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def fill_basics(page: Page) -> None:
    page.fill("#debts-0-due_date", "2026-10-01")
    page.fill("#debts-0-overdue_amount", "10000")
    page.fill("#debts-0-penalty_daily_rate_percent", "5")
    page.select_option("#debts-0-penalty_rate_unit", "wan")
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
    expect(page.locator("#debts-0-overdue_amount")).to_have_value("10000")
    expect(page.locator("#debts-0-penalty_rate_unit")).to_have_value("wan")
    expect(page.locator("input[name=contacts][value=home_visit]")).to_be_checked()
    expect(page.locator("input[name=reachable][value=no]")).to_be_checked()
    expect(page.locator("input[name='contact_log-0-note']")).to_have_value("晚上十点来电")


def wipe(page: Page) -> None:
    page.click("#wipe-answers")
    page.click("#wipe-yes")


def test_the_wipe_asks_first_and_no_keeps_everything(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/situation")
    fill_basics(page)
    page.click("#wipe-answers")
    expect(page.locator("#wipe-confirm")).to_be_visible()
    expect(page.locator("#wipe-question")).to_have_text("要删除这部手机上保存的所有回答吗？删除后无法恢复。")
    expect(page.locator("#debts-0-overdue_amount")).to_have_value("10000")  # nothing deleted by the first tap
    page.click("#wipe-no")
    expect(page.locator("#wipe-confirm")).to_be_hidden()
    expect(page.locator("#debts-0-overdue_amount")).to_have_value("10000")
    assert "10000" in page.evaluate("localStorage.getItem('situation-answers')")


def test_the_wipe_stands_apart_from_the_submit_button(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/situation")
    assert page.locator("form#situation-form #wipe-answers").count() == 0  # not inside the form at all
    submit = page.locator("#submit-button").bounding_box()
    wipe_button = page.locator("#wipe-answers").bounding_box()
    assert submit and wipe_button
    assert wipe_button["y"] - (submit["y"] + submit["height"]) > 48  # well below, not the next tap target


def test_one_button_wipes_the_answers_from_the_device(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/situation")
    fill_basics(page)
    wipe(page)
    expect(page.locator("#wiped")).to_be_visible()
    expect(page.locator("#debts-0-overdue_amount")).to_have_value("")
    expect(page.locator("input[name=contacts][value=home_visit]")).not_to_be_checked()
    expect(page.locator("input[name=reachable][value=yes]")).to_be_checked()
    assert page.evaluate("localStorage.getItem('situation-answers')") is None
    page.reload()
    expect(page.locator("#debts-0-overdue_amount")).to_have_value("")


def open_summary(page: Page, server: LiveServer, code: str = "zh-hans") -> None:
    page.goto(f"{server.url}/{code}/situation")
    fill_basics(page)
    page.click("#submit-button")
    expect(page.locator("h1")).to_contain_text("摘要")


@pytest.mark.parametrize("where", ["form", "summary", "guide"])
def test_quick_exit_on_every_page_leaves_at_once_and_leaves_nothing_to_go_back_to(
    page: Page, server: LiveServer, where: str
):
    # An address of ours stands in for the ordinary-looking site.
    app_state = state(server.app)
    app_state.settings = replace(app_state.settings, QUICK_EXIT_URL=f"{server.url}/healthz")
    page.goto(f"{server.url}/zh-hans/")
    if where == "form":
        page.goto(f"{server.url}/zh-hans/situation")
    elif where == "summary":
        open_summary(page, server)
    else:
        page.goto(f"{server.url}/zh-hans/guides/{GUIDE_SLUG}")
    exit_link = page.locator("header #quick-exit")
    expect(exit_link).to_have_text("快速离开")
    box = exit_link.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["y"] < 200  # visible at once, at 360 px
    exit_link.click()
    expect(page).to_have_url(f"{server.url}/healthz")
    # The page was replaced, not left behind; and back, which leads to the page before it (the form, for a summary),
    # finds it hidden and replaced too, until the reader opens the site again on purpose.
    with page.expect_navigation(url=f"{server.url}/healthz"):
        page.go_back()
    page.goto(f"{server.url}/zh-hans/")
    expect(page.locator("h1")).to_be_visible()


def test_contact_log_rows_can_be_added_and_removed_and_reach_the_summary(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/situation")
    page.fill("#debts-0-due_date", "2026-10-01")
    page.fill("#debts-0-overdue_amount", "10000")
    rows = page.locator("#log-rows > li")
    expect(rows).to_have_count(3)
    page.click("#add-row")
    expect(rows).to_have_count(4)
    page.fill("input[name='contact_log-3-date']", "2026-11-21")
    page.fill("input[name='contact_log-3-note']", "第四行")
    rows.nth(0).locator(".remove-row").click()
    expect(rows).to_have_count(3)
    expect(page.locator("input[name='contact_log-2-note']")).to_have_value("第四行")  # renumbered
    page.click("#submit-button")
    expect(page.locator("h1")).to_have_text("你的情况摘要")
    expect(page.locator("table.evidence")).to_contain_text("第四行")


def test_summary_offers_its_pdf_and_a_way_back_to_the_filled_form(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hant/situation")
    fill_basics(page)
    page.click("#submit-button")
    expect(page.locator("h1")).to_have_text("你的情況摘要")
    with page.expect_download() as download:
        page.click("button:has-text('下載PDF')")
    # Named by the day in Shanghai, where the summary's dates are (not the browser's UTC day: they differ from 16:00).
    assert download.value.suggested_filename == f"摘要-{today().isoformat()}.pdf"
    expect(page.locator("h1")).to_have_text("你的情況摘要")  # fetched: the summary stays on screen
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.click("button:has-text('修改回答')")
    expect(page.locator("#debts-0-overdue_amount")).to_have_value("10000")
    expect(page.locator("#debts-0-penalty_rate_unit")).to_have_value("wan")


def test_offline_the_form_opens_keeps_answers_and_explains_the_summary_needs_a_connection(
    context: BrowserContext, page: Page, server: LiveServer
):
    page.goto(f"{server.url}/zh-hans/")
    wait_until_offline_ready(page)
    go_offline(context, server)
    page.goto(f"{server.url}/zh-hans/situation")
    fill_basics(page)
    page.click("#submit-button")
    expect(page.locator("#offline-submit")).to_be_visible()
    expect(page).to_have_url(f"{server.url}/zh-hans/situation")
    expect(page.locator("#debts-0-overdue_amount")).to_have_value("10000")


def test_form_and_summary_have_no_serious_accessibility_violation(page: Page, server: LiveServer):
    axe = Axe()
    for code in ("zh-hans", "zh-hant"):
        page.goto(f"{server.url}/{code}/situation")
        wipe(page)  # start empty, whatever the previous round saved
        page.click("#submit-button")  # the form again, with errors shown
        expect(page.locator("#error-summary")).to_be_focused()
        fill_basics(page)
        for result in (axe.run(page),):
            assert [v["id"] for v in result.response["violations"] if v["impact"] in ("serious", "critical")] == []
        page.click("#submit-button")
        expect(page.locator("h1")).to_contain_text("摘要")
        # The switch re-posts the same answers to the other script's summary: the summary is kept.
        expect(page.locator("form.variant-switch-form")).to_have_attribute(
            "action", f"/{'zh-hant' if code == 'zh-hans' else 'zh-hans'}/situation/summary"
        )
        result = axe.run(page)
        assert [v["id"] for v in result.response["violations"] if v["impact"] in ("serious", "critical")] == []


def test_offline_download_pdf_keeps_the_summary_and_says_a_connection_is_needed(
    context: BrowserContext, page: Page, server: LiveServer
):
    page.goto(f"{server.url}/zh-hans/")
    wait_until_offline_ready(page)
    open_summary(page, server)
    summary_url = page.url
    go_offline(context, server)
    page.click("#pdf-button")
    expect(page.locator("#pdf-status")).to_have_text(
        "下载PDF需要联网，你现在没有网络。这份摘要会留在屏幕上；联网后再试一次。"
    )
    expect(page).to_have_url(summary_url)
    expect(page.locator("h1")).to_have_text("你的情况摘要")
    expect(page.locator("#action-know_the_debt")).to_be_visible()


def test_a_failed_pdf_fetch_keeps_the_summary_too(page: Page, server: LiveServer):
    open_summary(page, server)
    server.stop()  # the browser still believes it is online: the fetch itself fails
    page.click("#pdf-button")
    expect(page.locator("#pdf-status")).to_contain_text("没能下载PDF")
    expect(page.locator("h1")).to_have_text("你的情况摘要")


def test_sending_says_so_and_explains_when_no_answer_comes(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/situation")
    fill_basics(page)
    # No answer ever comes: the post is held back after the page's own handler has run. (A really stalled server
    # cannot be used here: Playwright and the DevTools protocol both wait for the pending navigation.)
    page.evaluate("document.getElementById('situation-form').addEventListener('submit', (e) => e.preventDefault())")
    page.clock.install()
    page.click("#submit-button")
    expect(page.locator("#sending")).to_have_text("正在发送你的回答…")
    expect(page.locator("#submit-button")).to_be_disabled()
    page.clock.run_for(9_000)
    expect(page.locator("#sending")).to_have_text("正在发送你的回答…")  # not before ten seconds
    page.clock.run_for(1_500)
    expect(page.locator("#sending")).to_have_text(
        "还没有收到回应。网络可能很慢：你的回答都保存在这部手机上。可以再等一会儿，或者重新提交。"
    )
    expect(page.locator("#submit-button")).to_be_enabled()
    expect(page.locator("#debts-0-overdue_amount")).to_have_value("10000")


def test_a_high_rate_is_shown_back_and_used_once_confirmed(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/situation")
    page.fill("#debts-0-due_date", "2026-10-01")
    page.fill("#debts-0-overdue_amount", "1.2万")
    page.fill("#debts-0-penalty_daily_rate_percent", "5")
    page.select_option("#debts-0-penalty_rate_unit", "daily_percent")
    page.click("#submit-button")
    expect(page.locator("#rate-check-0")).to_be_focused()
    expect(page.locator("#rate-check-0")).to_contain_text("按一年365天算约为1825%")
    page.check("input[name=debts-0-confirm_rate]")
    page.click("#submit-button")
    expect(page.locator("#rate-warning")).to_be_visible()
    expect(page.locator(".formula")).to_contain_text("¥12,000.00 × 5%")


NO_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5) && !el.closest(".skip-link");
  });
  const scrolled = [...document.querySelectorAll(".table-wrap")].filter((el) => el.scrollWidth > el.clientWidth + 1);
  return { page: document.documentElement.scrollWidth - width, wide: wide.map((el) => el.outerHTML.slice(0, 80)),
           scrolled: scrolled.map((el) => el.querySelector("table")?.className) };
}"""


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
def test_nothing_is_wider_than_a_360_px_phone(page: Page, server: LiveServer, code: str):
    page.goto(f"{server.url}/{code}/situation")
    page.click("#add-row")
    page.fill("input[name='contact_log-0-date']", "2026-11-20")
    page.fill("input[name='contact_log-0-time']", "23:40")
    page.fill("input[name='contact_log-0-note']", "Supercalifragilisticexpialidocious" * 3)
    page.select_option("select[name='contact_log-0-channel']", "workplace_visit")
    page.fill("input[name='contact_log-1-date']", "2026-11-21")
    page.fill("input[name='contact_log-1-note']", "说要去我单位，" * 10)
    page.select_option("select[name='contact_log-1-channel']", "threats_or_insults")
    assert page.evaluate(NO_OVERFLOW) == {"page": 0, "wide": [], "scrolled": []}
    page.fill("#debts-0-due_date", "2026-08-01")
    page.fill("#debts-0-overdue_amount", "123456.78")
    page.fill("#debts-0-penalty_daily_rate_percent", "万分之5")
    page.fill("#monthly_payment", "500")
    page.fill("#debts-0-contract_date", "2019-06-01")
    page.fill("#debts-0-annual_rate_percent", "24")
    for contact in ("call_contacts", "home_visit", "impersonation"):
        page.check(f"input[name=contacts][value={contact}]")
    page.click("#submit-button")
    expect(page.locator("table.evidence")).to_be_visible()
    assert page.evaluate(NO_OVERFLOW) == {"page": 0, "wide": [], "scrolled": []}
    # Dates, times and figures are never broken inside: each fits on one line (the meta line's dates, the
    # statements' dates and rates, the evidence table's dates and times).
    kept = page.locator("article.summary .nowrap").all()
    assert len(kept) > 10
    for cell in kept:
        box = cell.bounding_box()
        assert box and box["height"] < 40, cell.inner_text()
    # And the reader's notes are readable: never squeezed into a column a character or two wide.
    for note in page.locator("table.evidence .note").all():
        box = note.bounding_box()
        assert box and box["width"] > 200, note.inner_text()
