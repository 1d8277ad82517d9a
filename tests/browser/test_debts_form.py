"""Several debts on a 360 px phone, in Chromium: "add a debt" folds the filled ones to a one-line header and opens a
new one, "remove" asks twice and renumbers, twenty debts fit and stay usable, they are saved on this device, the log
asks which lender, and an error on one debt opens that debt and names it. Screenshots in /tmp/debts-form-png/."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, wait_until
from tests.browser.test_situation_form import NO_OVERFLOW

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path("/tmp/debts-form-png")
TITLES = {"zh-hans": ("第1笔欠款", "第2笔欠款", "元", "到期"), "zh-hant": ("第1筆欠款", "第2筆欠款", "元", "到期")}


# Tap "add a debt" and type into the new debt's fields, `count` times (input events, as typing sends).
ADD_AND_FILL = """(count) => {
  for (let i = 0; i < count; i++) {
    document.getElementById("add-debt").click();
    const n = document.getElementById("debt-rows").children.length - 1;
    const values = { lender: `平台${n + 1}`, overdue_amount: String(100 * (n + 1)), due_date: "2026-10-15" };
    for (const [name, value] of Object.entries(values)) {
      const field = document.getElementById(`debts-${n}-${name}`);
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
}"""


def fill_debt(page: Page, n: int, lender: str, amount: str, due: str) -> None:
    page.fill(f"#debts-{n}-lender", lender)
    page.fill(f"#debts-{n}-overdue_amount", amount)
    page.fill(f"#debts-{n}-due_date", due)


def debt(page: Page, n: int):
    return page.locator("#debt-rows > li").nth(n)


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
def test_twenty_debts_are_added_folded_removed_and_sent_from_a_360_px_phone(page: Page, server: LiveServer, code: str):
    SHOTS.mkdir(exist_ok=True)
    first, second, yuan, due = TITLES[code]
    page.goto(f"{server.url}/{code}/situation")
    expect(page.locator("#debt-rows > li")).to_have_count(1)  # the spare row is for readers without JavaScript
    expect(page.locator("select[name='contact_log-0-debt']")).to_be_hidden()  # one debt: no lender to choose
    fill_debt(page, 0, "银行信用卡", "2000", "2026-09-01")
    page.select_option("#debts-0-lender_type", "licensed")

    page.click("#add-debt")
    expect(debt(page, 0).locator("details")).not_to_have_attribute("open", "")
    expect(debt(page, 0).locator(".debt-title")).to_have_text(first)
    expect(debt(page, 0).locator(".debt-line")).to_have_text(f"银行信用卡 · 2000{yuan} · 2026-09-01{due}")
    expect(page.locator("#debts-1-lender")).to_be_focused()
    expect(page.locator("#debts-1-lender")).to_have_value("")
    expect(debt(page, 1).locator(".debt-title")).to_have_text(second)
    fill_debt(page, 1, "某网贷", "1.5万", "2026-10-01")
    page.select_option("#debts-1-stage_hint", "payment_order")
    page.click("#add-debt")
    fill_debt(page, 2, "小额贷", "800", "2026-11-01")
    debt(page, 0).locator("summary").click()  # unfolded again to check it
    page.fill("#budget-monthly_income", "5200")
    page.fill("#budget-essential_costs", "4500")
    assert page.evaluate(NO_OVERFLOW) == {"page": 0, "wide": [], "scrolled": []}
    page.locator("#debts").screenshot(path=str(SHOTS / f"three-debts-{code}.png"))

    # The log asks which lender once there are two debts, and follows the debts when one goes.
    page.select_option("select[name='contact_log-0-debt']", "2")
    page.fill("input[name='contact_log-0-date']", "2026-11-20")
    debt(page, 1).locator("summary").click()  # a folded debt is opened to be removed
    remove = debt(page, 1).locator(".remove-debt")
    remove.click()
    expect(page.locator("#debt-rows > li")).to_have_count(3)  # the first tap only asks
    remove.click()
    expect(page.locator("#debt-rows > li")).to_have_count(2)
    expect(page.locator("#debts-1-lender")).to_have_value("小额贷")
    expect(debt(page, 1).locator(".debt-title")).to_have_text(second)
    expect(page.locator("select[name='contact_log-0-debt']")).to_have_value("1")

    page.click("#add-debt")
    fill_debt(page, 2, "平台3", "300", "2026-10-15")
    page.evaluate(ADD_AND_FILL, 17)  # the rest as quickly as a script can tap and type: the same handlers run
    expect(page.locator("#add-debt")).to_be_hidden()
    expect(page.locator("#debts-full")).to_be_visible()
    expect(page.locator("#debt-rows details[open]")).to_have_count(1)  # the others folded to one line each
    folded = page.eval_on_selector_all("#debt-rows details:not([open])", "(ds) => ds.map((d) => d.offsetHeight)")
    assert len(folded) == 19 and max(folded) <= 80, folded  # a header of at most two short lines each
    assert page.evaluate(NO_OVERFLOW) == {"page": 0, "wide": [], "scrolled": []}
    page.locator("#debts").screenshot(path=str(SHOTS / f"twenty-debts-{code}.png"))

    # Kept on this device: a reload brings every debt back, folded, and the budget.
    wait_until(page, "(localStorage.getItem('situation-answers') || '').includes('平台20')")
    page.reload()
    expect(page.locator("#debt-rows > li")).to_have_count(20)
    expect(page.locator("#debts-19-lender")).to_have_value("平台20")
    expect(page.locator("#budget-essential_costs")).to_have_value("4500")
    expect(page.locator("select[name='contact_log-0-debt']")).to_have_value("1")
    expect(page.locator("#debt-rows details[open]")).to_have_count(0)

    # An error on debt 2: the form comes back with all twenty, debt 2 open and named.
    debt(page, 1).locator("summary").click()
    page.fill("#debts-1-overdue_amount", "很多")
    with page.expect_response(lambda r: r.url.endswith("/situation/summary")) as answer:
        page.click("#submit-button")
    assert answer.value.status == 422
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text(second)
    expect(page.locator("#debt-rows > li")).to_have_count(20)
    expect(debt(page, 1).locator("details")).to_have_attribute("open", "")
    expect(page.locator("#debts-1-overdue_amount")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#debt-rows details[open]")).to_have_count(1)
    assert page.evaluate(NO_OVERFLOW) == {"page": 0, "wide": [], "scrolled": []}
    page.screenshot(path=str(SHOTS / f"error-on-debt-2-{code}.png"))  # the top: the error summary
    page.locator("#debts").screenshot(path=str(SHOTS / f"error-on-debt-2-debts-{code}.png"))
