"""One summary and one PDF for several debts (issue #23, part 4): an overview first (what is available, the
deadlines, the order with each lender's offer and the sourced reason), the steps about the reader once, then each
debt's part; what is about the reader as a whole comes once. One-debt summaries are unchanged.

Rendered through the app's own glue (summary.print_html, render_summary_html) and the API's summary.pdf; the PDFs
are read back with pdftotext and pypdf."""

import io
import re
from typing import Any

import pypdf
import pytest

from tests.helpers import elements, pdftotext, readable_text, squash
from tests.situation_cases import AS_OF
from tests.test_situation_sources import _Statements, states_law, summary_part

LENDERS = ["招商银行信用卡", "某某消费金融有限公司（分期乐合作方）", "朋友老王", "借呗", "微粒贷", "美团月付",
           "京东金条", "360借条", "安逸花", "小赢卡贷", "拍拍贷", "平安普惠", "宜人贷", "度小满", "你我贷", "洋钱罐",
           "还呗", "省呗", "乐信", "桔子分期"]  # fmt: skip

# The printed summary's page budget: the overview and the steps about the reader within 3 pages, each debt's part
# within three quarters of a page on average, and what comes once after the parts (the rate rules, credit record,
# conduct, visits, message, a short log, sources) within 4 pages. 20 debts: 22 pages, within SUMMARY_MAX_PAGES.
OVERVIEW_PAGES, PAGES_PER_DEBT, ONCE_PAGES = 3, 0.75, 4


def page_budget(debts: int) -> int:
    return int(OVERVIEW_PAGES + PAGES_PER_DEBT * debts + ONCE_PAGES)


def debts(n: int, **top: Any) -> dict[str, Any]:
    """n debts of every kind: licensed and private lenders, outstanding totals, penalty rates, contract dates, a
    payment order (the second) and court papers (the fifth); a budget; one logged contact about the second."""
    out = []
    for i in range(n):
        debt: dict[str, Any] = {
            "lender": LENDERS[i],
            "overdue_amount": str(800 + 317 * i),
            "due_date": f"2026-{8 + i % 3:02d}-{1 + i:02d}",
        }
        if i % 4 == 0:
            debt["lender_type"] = "licensed"
        if i % 3 == 0:
            debt["outstanding_total"] = str(3000 + 1000 * i)
        if i % 5 == 1:
            debt["penalty_daily_rate_percent"] = "0.05"
        if i % 6 == 2:
            debt.update(contract_date="2025-03-10", annual_rate_percent="24", lender_type="private")
        if i == 1:
            debt["stage_hint"] = "payment_order"
        if i == 4:
            debt["stage_hint"] = "court_papers"
        out.append(debt)
    return {
        "as_of": AS_OF,
        "debts": out,
        "budget": {"monthly_income": "6000", "essential_costs": "4200", "dependants": 1},
        "contacts": ["phone", "sms", "call_contacts", "night_contact"],
        "contact_log": [
            {"date": "2026-11-02", "time": "22:40", "channel": "phone", "note": "半夜来电", "debt": min(1, n - 1)},
            {"date": "2026-11-05", "channel": "call_contacts", "note": "给我同事打电话"},
        ],
        **top,
    }


def print_html(app, data: dict[str, Any]) -> str:
    from webapp.summary import print_html

    return print_html(app, data)


def page_html(app, data: dict[str, Any]) -> str:
    """The summary page (the web page, with its letter links) for answers given as data."""
    from webapp.situation import forms
    from webapp.situation.model import Answers
    from webapp.summary import render_summary_html, run_assessment

    answers = Answers.model_validate(data)
    with app.test_request_context(f"/{answers.variant.lower()}/situation/summary", method="POST"):
        return render_summary_html(
            answers, run_assessment(answers), values=forms.empty().values, log_rows=[], rate=None, other_variants=[]
        )


def plan_of(app, data: dict[str, Any]):
    from webapp.situation.model import Answers
    from webapp.summary import run_assessment

    with app.test_request_context("/"):
        plan = run_assessment(Answers.model_validate(data)).plan
    assert plan is not None
    return plan


def yuan(amount: str) -> str:
    """A plan amount as the page shows it: ¥1,234.56."""
    return f"¥{int(amount.split('.')[0]):,}.{amount.split('.')[1]}"


def in_script(app, text: str, variant: str) -> str:
    """zh-Hans text as the page shows it in `variant` (zh-Hant: through the app's converter)."""
    from webapp.state import state
    from webapp.variants import VARIANTS

    with app.app_context():
        return state().converter.convert(text, VARIANTS[variant.lower()])


@pytest.mark.parametrize("variant", ["zh-Hans", "zh-Hant"])
def test_the_overview_gives_the_order_each_offer_and_why(app, variant: str) -> None:
    data = debts(5, variant=variant)
    html = print_html(app, data)
    plan = plan_of(app, data)
    overview = html[html.index('<section class="plan-overview"') : html.index("</section>")]
    text = squash(readable_text(overview))
    headings = ("你的5笔欠款：先处理哪笔", "每月能拿出来还款", "为什么这样排", "期限")
    headings += ("先后顺序，以及每家可以提出还多少",)
    for words in headings:
        assert squash(in_script(app, words, variant)) in text
    assert yuan(plan.available) in text and yuan(plan.owed_total) in text
    # The order table lists the lenders in the plan's order, each linking to its part, with its offer and months.
    rows = re.findall(r"<tr>(.*?)</tr>", overview[overview.index("<tbody>") :], re.S)
    assert [re.search(r'href="#debt-(\d+)"', row)[1] for row in rows] == [str(p.debt + 1) for p in plan.order]
    for row, offer in zip(rows, plan.offers, strict=True):
        assert LENDERS[offer.debt] in row and yuan(offer.monthly) in row and f">{offer.months}<" in row
    # The payment order and the court papers come first, each with its deadline, sourced.
    assert [p.group for p in plan.order[:2]] == ["payment_order", "court_papers"]
    deadlines = elements(overview, "li", class_="rule", **{"data_sources": "civil-procedure-law"})
    assert len(deadlines) >= 2
    assert squash(in_script(app, "收到支付令之日起15日内", variant)) in text
    # The law ranks no lender first: said always, with its sources; the pro-rata statement when there are offers.
    for statement in ("对不同的出借人，法律没有规定必须先还谁", "按每笔欠款占全部欠款的比例分给每个出借人"):
        assert squash(in_script(app, statement, variant)) in text


def test_each_debt_has_its_part_with_its_steps_and_letters(app) -> None:
    data = debts(5)
    html = page_html(app, data)
    from webapp.situation.model import Answers
    from webapp.summary import run_assessment

    with app.test_request_context("/"):
        parts = run_assessment(Answers.model_validate(data)).debts
    assert parts is not None
    for index, part in enumerate(parts):
        start = html.index(f'<section class="debt-part" id="debt-{index + 1}"')
        section = html[start : html.index("</section>", start)]
        assert LENDERS[index] in section
        for action in part.actions:
            assert f'id="debt-{index + 1}-action-{action.id}"' in section
            if action.letter:  # the letter's form, with this debt chosen
                assert f"/zh-hans/letters/{action.letter}?debt={index}" in section
    # What is about the reader as a whole comes once.
    for once in ('id="credit"', 'id="visits"', 'id="message"', 'id="log"', 'id="summary-sources"', 'id="rate-rules"'):
        assert html.count(once) == 1
    assert html.count('id="next-steps"') == 1
    # The log names the debt a row is about.
    log = html[html.index('id="log"') :]
    assert f'<a class="log-debt" href="#debt-2"><span class="lender">{LENDERS[1]}</span></a>' in log


class _Sourced(_Statements):
    """The summary's sentences, sourced or not; the lenders' names are the reader's words, like their notes."""

    SKIP_CLASSES = _Statements.SKIP_CLASSES | {"lender"}


@pytest.mark.parametrize("variant", ["zh-Hans", "zh-Hant"])
@pytest.mark.parametrize("count", [2, 20])
def test_the_sources_listed_are_exactly_those_cited(app, variant: str, count: int) -> None:
    for html in (print_html(app, debts(count, variant=variant)), page_html(app, debts(count, variant=variant))):
        parser = _Sourced()
        parser.feed(summary_part(html))
        assert [t for t in parser.unsourced if states_law(t)] == []
        assert parser.sourced_ids and set(parser.sourced_ids) == parser.listed
        # Numbered in the order the page first cites them.
        numbers = [int(n) for n in re.findall(r'<a href="#src-[^"]+">\[(\d+)\]</a>', summary_part(html))]
        assert sorted(set(numbers)) == list(range(1, len(parser.listed) + 1))
        assert list(dict.fromkeys(numbers)) == sorted(set(numbers))


def test_nothing_available_says_so_and_points_to_help(app) -> None:
    data = debts(3, budget={"monthly_income": "3000", "essential_costs": "3200", "dependants": 2})
    html = page_html(app, data)
    text = squash(readable_text(summary_part(html)))
    assert "交完必要开支后每月没有剩余，这里不替你编一个还款数字" in text
    assert "你填写的必要开支比收入多¥200.00" in text
    assert 'href="tel:12348"' in html and 'href="/zh-hans/guides/help"' in html
    # No payment is made up: no offer, no pro-rata share of nothing, no "offer each month" in any part.
    overview = html[html.index('<section class="plan-overview"') : html.index("</section>")]
    assert re.findall(r'<td class="amount offer"[^>]*>([^<]*)</td>', overview) == ["—"] * 3
    assert "按每笔欠款占全部欠款的比例" not in text
    parts = html[html.index('<section class="debt-part"') : html.index('id="rate-rules"')]
    assert "每月提出还" not in readable_text(parts)
    assert "现在没有钱可以还这一家" in text


def test_without_a_budget_the_order_comes_without_offers(app) -> None:
    data = debts(3)
    del data["budget"]
    text = squash(readable_text(summary_part(page_html(app, data))))
    assert "填上每月收入和必要开支，或者每月一共能还多少，就能看到每家可以提出还多少" in text
    assert "对不同的出借人，法律没有规定必须先还谁" in text


@pytest.mark.parametrize(
    "data",
    [
        {"as_of": AS_OF, "due_date": "2026-09-15", "overdue_amount": "6800", "monthly_payment": "800"},
        {"as_of": AS_OF, "due_date": "2026-12-10", "overdue_amount": "800"},
    ],
)
def test_one_debt_summaries_show_no_overview_and_no_parts(app, data: dict[str, Any]) -> None:
    for html in (print_html(app, data), page_html(app, data)):
        assert 'id="where-you-stand"' in html and 'id="plan"' in html
        assert "plan-overview" not in html and "debt-part" not in html and 'id="rate-rules"' not in html
        assert "可以发给平台的消息" in html and "可以发给每个出借人的消息" not in html


def pdf_for(client, data: dict[str, Any]) -> bytes:
    response = client.post("/api/v1/summary.pdf", json=data)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/pdf"
    return response.data


def assert_holds_the_plan(app, pdf: bytes, data: dict[str, Any]) -> None:
    text = squash(pdftotext(pdf, "-raw"))  # in the order it is drawn: a wrapped cell's lines stay together
    plan = plan_of(app, data)
    variant = data.get("variant", "zh-Hans")
    for offer in plan.offers:
        assert squash(LENDERS[offer.debt]) in text
        assert yuan(offer.monthly) in text
    # The order table lists them in the plan's order.
    table = text[text.index(squash(in_script(app, "先后顺序，以及每家可以提出还多少", variant))) :]
    table = table[: table.index(squash(in_script(app, "为什么这样排", variant)))]
    firsts = [table.index(squash(LENDERS[p.debt])) for p in plan.order]
    assert firsts == sorted(firsts)


@pytest.mark.slow
def test_the_pdf_of_five_debts_holds_the_order_and_the_offers(app, client) -> None:
    data = debts(5)
    pdf = pdf_for(client, data)
    assert_holds_the_plan(app, pdf, data)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= page_budget(5)


@pytest.mark.slow
def test_the_pdf_of_twenty_debts_stays_within_its_page_budget(app, client) -> None:
    data = debts(20, variant="zh-Hant")
    pdf = pdf_for(client, data)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert pages <= page_budget(20), f"{pages} pages for 20 debts; the budget is {page_budget(20)}"
    with app.app_context():
        from webapp.state import state

        assert page_budget(20) <= state().settings.SUMMARY_MAX_PAGES
    assert_holds_the_plan(app, pdf, data)
