"""The letters in Chromium at 360 px: a form filled from the reader's saved situation answers, nothing wider than
the phone, the copy button, and a form that opens and keeps its answers offline."""

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, go_offline, wait_until, wait_until_offline_ready

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize("kind", ["payment-order-objection", "complaint", "contact-restriction"])
def test_a_letter_form_fits_a_360px_phone(page: Page, server: LiveServer, kind: str, code: str) -> None:
    page.goto(f"{server.url}/{code}/letters/{kind}")
    expect(page.locator("#submit-button")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=f"/tmp/letters-png/form-{kind}-{code}.png", full_page=True)


def test_the_form_is_filled_from_the_situation_saved_on_this_phone(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/zh-hans/situation")
    page.fill("#debts-0-lender", "某某借")
    page.check("input[name=contacts][value=call_employer]")
    page.fill("input[name='contact_log-0-date']", "2026-11-20")
    page.fill("input[name='contact_log-0-time']", "23:10")
    page.fill("input[name='contact_log-0-note']", "半夜来电")
    wait_until(page, "(localStorage.getItem('situation-answers') || '').includes('半夜来电')")

    page.goto(f"{server.url}/zh-hans/letters/complaint")
    expect(page.locator("#prefill-note")).to_be_visible()
    expect(page.locator("#lender")).to_have_value("某某借")
    expect(page.locator("input[name=contacts][value=call_employer]")).to_be_checked()
    expect(page.locator("input[name='contact_log-0-note']")).to_have_value("半夜来电")
    page.locator("#submit-button").click()
    letter = page.locator("#letter")
    expect(letter).to_contain_text("1. 2026-11-20 23:10")
    expect(letter).to_contain_text("半夜来电")

    page.goto(f"{server.url}/zh-hans/letters/contact-restriction")
    expect(page.locator("input[name=third_parties][value=employer]")).to_be_checked()


def test_the_copy_button_puts_the_plain_letter_on_the_clipboard(
    context: BrowserContext, page: Page, server: LiveServer
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.goto(f"{server.url}/zh-hant/letters/records-request")
    page.locator("#submit-button").click()
    expect(page.locator("#copy-button")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path="/tmp/letters-png/letter-records-request-zh-hant.png", full_page=True)
    page.locator("#copy-button").click()
    expect(page.locator("#copy-status")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#letter-text").input_value()
    assert copied.startswith("查閱、複製借款資料和個人信息的申請\n") and "申請人（簽名）" in copied


def test_a_letter_form_opens_offline_and_keeps_its_answers(
    context: BrowserContext, page: Page, server: LiveServer
) -> None:
    page.goto(f"{server.url}/zh-hans/")
    wait_until_offline_ready(page)
    go_offline(context, server)
    page.goto(f"{server.url}/zh-hans/letters/repayment-proposal")
    expect(page.locator("h1")).to_have_text("还款协商申请")
    page.fill("#monthly", "600")
    page.fill("#reason", "生病住院两个月")
    page.locator("#submit-button").click()
    expect(page.locator("#offline-submit")).to_be_visible()
    expect(page.locator("#monthly")).to_have_value("600")
    page.reload()  # offline, from the cache: the answers come back from this phone
    expect(page.locator("#monthly")).to_have_value("600")
    expect(page.locator("#reason")).to_have_value("生病住院两个月")


# The situation form's saved answers for three debts, as it saves them (FormData: each name, its values): debts as
# `debts-<n>-<field>`, each log row's debt as `contact_log-<n>-debt`. Block 1 was removed: debt 1 is block 2.
THREE_DEBTS = {
    "debts-0-lender": ["招商银行信用卡"],
    "debts-0-lender_type": ["licensed"],
    "debts-2-lender": ["某某借"],
    "debts-2-lender_type": ["private"],
    "debts-3-lender": ["小鱼分期"],
    "debts-3-lender_type": ["unknown"],
    "contacts": ["call_employer"],
    "contact_log-0-date": ["2026-11-20"],
    "contact_log-0-time": ["23:10"],
    "contact_log-0-channel": ["phone"],
    "contact_log-0-note": ["银行半夜来电"],
    "contact_log-0-debt": ["0"],
    "contact_log-1-date": ["2026-11-21"],
    "contact_log-1-time": ["09:00"],
    "contact_log-1-channel": ["call_contacts"],
    "contact_log-1-note": ["某某借打给我妈"],
    "contact_log-1-debt": ["1"],
    "contact_log-2-date": ["2026-11-22"],
    "contact_log-2-channel": ["sms"],
    "contact_log-2-note": ["没说是哪家"],
    "contact_log-2-debt": [""],
}


def test_a_letter_for_debt_2_of_3_is_filled_for_that_debt_only(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/zh-hans/")
    page.evaluate("(saved) => localStorage.setItem('situation-answers', JSON.stringify(saved))", THREE_DEBTS)

    for code in ("zh-hans", "zh-hant"):  # the summary's link: the offer in the URL, the lender's name never
        page.goto(f"{server.url}/{code}/letters/repayment-proposal?debt=1&monthly=812.50")
        expect(page.locator("#debt-note")).to_be_visible()
        expect(page.locator("#prefill-note")).to_be_visible()
        expect(page.locator("#lender")).to_have_value("某某借")
        expect(page.locator("input[name=lender_kind][value=private]")).to_be_checked()
        expect(page.locator("#monthly")).to_have_value("812.50")  # not the situation's total monthly payment
        expect(page.locator("#monthly-from-plan")).to_be_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.screenshot(path=f"/tmp/letters-png/repayment-debt-2-of-3-{code}.png", full_page=True)

    # The complaint about that lender quotes its own rows only, and says the others were left out.
    page.goto(f"{server.url}/zh-hans/letters/complaint?debt=1")
    expect(page.locator("#log-left-out")).to_be_visible()
    expect(page.locator("input[name='contact_log-0-note']")).to_have_value("某某借打给我妈")
    expect(page.locator("input[name='contact_log-1-note']")).to_have_value("")
    expect(page.locator("input[name=contacts][value=call_employer]")).not_to_be_checked()  # ticked for all lenders
    page.goto(f"{server.url}/zh-hans/letters/contact-restriction?debt=0")
    expect(page.locator("#lender")).to_have_value("招商银行信用卡")
    expect(page.locator("input[name=lender_kind][value=unknown]")).to_be_checked()  # licensed names no kind
    expect(page.locator("input[name=third_parties][value=family]")).not_to_be_checked()  # debt 0 called no one

    # Each debt's letter keeps its own answers; clearing one asks first and leaves the others.
    page.goto(f"{server.url}/zh-hans/letters/repayment-proposal?debt=1&monthly=812.50")
    page.fill("#reason", "失业三个月")
    wait_until(page, "(localStorage.getItem('letter-answers-repayment-proposal-debt-1') || '').includes('失业')")
    page.goto(f"{server.url}/zh-hans/letters/repayment-proposal?debt=2&monthly=300")
    expect(page.locator("#lender")).to_have_value("小鱼分期")
    expect(page.locator("#reason")).to_have_value("")
    page.goto(f"{server.url}/zh-hans/letters/repayment-proposal?debt=1&monthly=812.50")
    expect(page.locator("#reason")).to_have_value("失业三个月")
    page.locator("#wipe-answers").click()
    expect(page.locator("#wipe-confirm")).to_be_visible()
    page.locator("#wipe-no").click()
    expect(page.locator("#reason")).to_have_value("失业三个月")
    page.locator("#wipe-answers").click()
    page.locator("#wipe-yes").click()
    expect(page.locator("#wiped")).to_be_visible()
    expect(page.locator("#reason")).to_have_value("")
    assert page.evaluate("localStorage.getItem('letter-answers-repayment-proposal-debt-1')") is None
    assert page.evaluate("localStorage.getItem('situation-answers')") is not None
