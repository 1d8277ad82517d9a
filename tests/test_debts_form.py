"""The situation form with several debts and a budget: rows `debts-<n>-<field>` read into the model's `debts`, one
filled debt posted exactly as the one-debt answers of old, errors pointing at the debt's own field, a spare row for
readers without JavaScript, at most 20 debts read, the budget, the debt a log row names, a rate confirmed per debt,
and every debt carried by the summary's hidden answers ("change answers", the PDF)."""

import re

import pytest
from werkzeug.datastructures import MultiDict

from tests.helpers import elements
from webapp.situation import forms
from webapp.situation.model import MAX_DEBTS
from webapp.variants import VARIANTS

HANS = VARIANTS["zh-hans"]


def debt(n: int, **fields: str) -> dict[str, str]:
    return {f"debts-{n}-{name}": value for name, value in fields.items()}


FIRST = debt(0, lender="银行", lender_type="licensed", overdue_amount="2,000", due_date="2026-09-01")
SECOND = debt(1, lender="某网贷", overdue_amount="1.5万", due_date="2026-10-01", stage_hint="payment_order")


def parse(fields: dict[str, str] | list[tuple[str, str]]) -> forms.FormInput:
    return forms.parse(MultiDict(fields), HANS)


def test_debt_rows_are_read_as_the_models_debts_in_row_order() -> None:
    read = parse({**FIRST, **SECOND, "monthly_payment": "700"})
    assert read.data["debts"] == [
        {
            "lender": "银行",
            "lender_type": "licensed",
            "overdue_amount": "2000",
            "due_date": "2026-09-01",
            "stage_hint": "none",
        },
        {
            "lender": "某网贷",
            "lender_type": "unknown",  # the form's choice left as it was
            "overdue_amount": "15000",
            "due_date": "2026-10-01",
            "stage_hint": "payment_order",
        },
    ]
    assert read.data["monthly_payment"] == "700"  # shared: what the reader can pay in all
    assert not any(name in read.data for name in ("platform", "overdue_amount", "due_date", "stage_hint"))


def test_one_filled_debt_is_posted_as_the_one_debt_answers_of_old(client) -> None:
    """The new form's one debt and the old form's top-level fields give the model the same answers and the reader
    the same summary."""
    new = {
        **debt(
            0,
            lender="某某借",
            lender_type="private",
            overdue_amount="6800",
            due_date="2026-09-15",
            penalty_daily_rate_percent="万分之5",
            penalty_rate_unit="",
            stage_hint="none",
            confirm_rate="",
        ),
        **debt(1, lender="", lender_type="unknown", stage_hint="none"),  # the spare row, left blank
        "as_of": "2026-11-28",
        "monthly_payment": "800",
        "contacts": "call_employer",
        "reachable": "yes",
    }
    old = {
        "platform": "某某借",
        "lender_type": "private",
        "overdue_amount": "6800",
        "due_date": "2026-09-15",
        "penalty_daily_rate_percent": "万分之5",
        "as_of": "2026-11-28",
        "monthly_payment": "800",
        "contacts": "call_employer",
        "reachable": "yes",
    }
    assert parse(new).data == parse(old).data
    assert parse(new).data["platform"] == "某某借" and "debts" not in parse(new).data

    def body(fields: dict[str, str]) -> str:
        response = client.post("/zh-hans/situation/summary", data=fields)
        assert response.status_code == 200
        return response.text.split('id="pdf-status"')[1]  # the summary itself, after its forms' hidden answers

    assert body(new) == body(old)


def test_a_blank_first_row_with_its_default_lender_is_no_debt() -> None:
    read = parse({**debt(0, lender="58金融", lender_type="unknown", stage_hint="none"), **SECOND})
    assert "debts" not in read.data and read.data["platform"] == "某网贷"  # only the second was filled: one debt
    assert read.data["stage_hint"] == "payment_order"


def test_errors_name_the_debt_and_point_to_its_field_when_a_blank_row_is_skipped(client) -> None:
    posted = {**FIRST, **debt(1, lender="", stage_hint="none"), **debt(2, lender="小贷", overdue_amount="很多")}
    response = client.post("/zh-hans/situation/summary", data=posted)
    assert response.status_code == 422
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a>', response.text)
    # The blank row is not shown again: the debt the error calls 第2笔 is the form's second row.
    assert ("debts-1-overdue_amount", "第2笔欠款的已逾期的金额：请填写数字，例如1500或1500.50。") in links
    assert "debts-1-due_date" in dict(links)
    assert re.search(r'id="debts-1-overdue_amount"[^>]*value="很多"[^>]*aria-invalid="true"', response.text)
    assert 'id="debts-1-overdue_amount-error"' in response.text
    assert not re.search(
        r'<details class="debt-details"\s*>\s*<summary>\s*<span class="debt-title"[^>]*>第2笔', response.text
    )


def test_one_debts_errors_point_to_its_row_and_read_as_today(client) -> None:
    response = client.post("/zh-hans/situation/summary", data=debt(0, lender="58金融", overdue_amount="0"))
    assert response.status_code == 422
    links = dict(re.findall(r'<li><a href="#([^"]+)">([^<]+)</a>', response.text))
    assert links["debts-0-overdue_amount"] == "已逾期的金额必须大于0。"  # no debt number: it is the only one
    assert "debts-0-due_date" in links


def test_a_rate_the_form_cannot_read_is_named_for_its_debt() -> None:
    read = parse({**FIRST, **SECOND, "debts-1-penalty_daily_rate_percent": "5"})
    assert [(p.field, p.code) for p in read.problems] == [("debts.1.penalty_daily_rate_percent", "rate_unit_missing")]
    assert read.form_field("debts.1.penalty_daily_rate_percent") == "debts-1-penalty_daily_rate_percent"


def test_without_javascript_the_form_offers_a_spare_debt_row(client) -> None:
    html = client.get("/zh-hans/situation").text
    assert elements(html, "input", name="debts-0-lender", value="58金融")
    assert elements(html, "input", name="debts-1-lender", value="")
    assert not elements(html, "input", name="debts-2-lender")
    # Posting two debts: both come back with a third, spare row to add one more.
    again = client.post("/zh-hans/situation", data={**FIRST, **SECOND}).text
    lenders = [e["value"] for e in elements(again, "input") if re.fullmatch(r"debts-\d+-lender", e.get("name", ""))]
    assert lenders == ["银行", "某网贷", ""]
    assert "还有别的欠款就填在这里" in again
    assert again.count('<details class="debt-details">') == 3  # both filled ones folded, the spare closed


def test_no_more_than_twenty_debts_are_read() -> None:
    rows = {
        k: v
        for n in range(MAX_DEBTS + 1)
        for k, v in debt(n, lender=f"L{n}", overdue_amount="100", due_date="2026-10-01").items()
    }
    read = parse(rows)
    assert [(p.field, p.code) for p in read.problems] == [("debts", "too_long")]
    assert len(read.data["debts"]) == MAX_DEBTS and len(read.values["debts"]) == MAX_DEBTS
    # Blank rows past the twentieth (a crafted post of a thousand) are neither read nor an error.
    blank = [(f"debts-{n}-lender", "") for n in range(MAX_DEBTS, 1000)]
    read = parse([*[(k, v) for k, v in rows.items() if not k.startswith(f"debts-{MAX_DEBTS}-")], *blank])
    assert read.problems == [] and len(read.values["debts"]) == MAX_DEBTS


def test_the_twenty_first_debt_is_refused_on_the_form(client) -> None:
    rows = {
        k: v
        for n in range(MAX_DEBTS + 1)
        for k, v in debt(n, lender=f"L{n}", overdue_amount="100", due_date="2026-10-01").items()
    }
    response = client.post("/zh-hans/situation/summary", data=rows)
    assert response.status_code == 422
    assert "你的欠款：最多20项" in response.text or "最多20" in response.text
    assert not elements(response.text, "input", name="debts-20-lender")  # twenty rows, and no spare


@pytest.mark.parametrize(
    ("budget", "expected"),
    [
        (
            {"budget-monthly_income": "5,200", "budget-essential_costs": "0.45万", "budget-dependants": "２"},
            {"monthly_income": "5200", "essential_costs": "4500", "dependants": 2},
        ),
        (
            {"budget-monthly_income": "5200", "budget-essential_costs": "4500", "budget-dependants": ""},
            {"monthly_income": "5200", "essential_costs": "4500"},
        ),
    ],
)
def test_the_budget_is_read_and_makes_even_one_debt_a_plan(budget: dict[str, str], expected: dict) -> None:
    read = parse({**FIRST, **budget})
    assert read.data["budget"] == expected
    assert len(read.data["debts"]) == 1 and "platform" not in read.data


def test_budget_errors_point_to_the_budget_fields(client) -> None:
    posted = {**FIRST, "budget-monthly_income": "5200", "budget-dependants": "两个"}
    response = client.post("/zh-hans/situation/summary", data=posted)
    assert response.status_code == 422
    links = dict(re.findall(r'<li><a href="#([^"]+)">([^<]+)</a>', response.text))
    assert set(links) == {"budget-essential_costs", "budget-dependants"}
    assert elements(response.text, "input", id="budget-dependants", value="两个")


def test_a_log_row_names_its_debt_by_the_rows_the_reader_filled() -> None:
    log = {
        "contact_log-0-date": "2026-11-02",
        "contact_log-0-channel": "phone",
        "contact_log-0-debt": "2",
        "contact_log-1-date": "2026-11-03",
        "contact_log-1-channel": "sms",
        "contact_log-1-debt": "",
    }
    read = parse(
        {
            **FIRST,
            **debt(1, lender="", stage_hint="none"),
            **debt(2, lender="小贷", overdue_amount="300", due_date="2026-10-05"),
            **log,
        }
    )
    assert [e.get("debt") for e in read.data["contact_log"]] == [1, None]
    assert read.log_rows[0]["debt"] == "1"  # shown again by the debt's new number
    # A debt that is not in the list (the row was emptied): the log says so, nothing is guessed.
    read = parse({**FIRST, **SECOND, **log, "contact_log-0-debt": "5"})
    assert [(p.field, p.code) for p in read.problems] == [("contact_log", "log_debt_unknown")]
    # One debt: a row about it is about the reader's only debt, as today.
    read = parse({**FIRST, **log, "contact_log-0-debt": "0"})
    assert "debts" not in read.data and "debt" not in read.data["contact_log"][0]


def test_the_log_asks_which_lender_only_with_two_debts(client) -> None:
    def which(html: str) -> list[str]:
        row = html.split('id="contact_log-0-debt"')[0].rsplit("<label", 1)[1]
        options = re.findall(
            r'<option value="([^"]*)"[^>]*>([^<]*)<', html.split('id="contact_log-0-debt"')[1].split("</select>")[0]
        )
        return ["hidden" if " hidden" in row else "shown", *(text for _, text in options)]

    assert which(client.post("/zh-hans/situation", data=FIRST).text) == [
        "hidden",
        "没说，或者是全部",
        "第1笔欠款：银行",
    ]
    posted = {**FIRST, **SECOND, "contact_log-0-date": "2026-11-02", "contact_log-0-debt": "1"}
    html = client.post("/zh-hans/situation", data=posted).text
    assert which(html) == ["shown", "没说，或者是全部", "第1笔欠款：银行", "第2笔欠款：某网贷"]
    assert re.search(r'<option value="1" selected>第2笔欠款：某网贷', html)


def test_an_implausible_rate_is_confirmed_for_its_own_debt(app, client) -> None:
    from webapp.summary import run_assessment, validate
    from webapp.views.situation import unconfirmed_rate

    posted = {
        **FIRST,
        **SECOND,
        "debts-1-penalty_daily_rate_percent": "5",
        "debts-1-penalty_rate_unit": "daily_percent",
    }
    with app.test_request_context():
        read = parse(posted)
        answers = validate(read.data)
        checks = unconfirmed_rate(read, answers, run_assessment(answers))
        assert [check.row for check in checks] == [1]
        confirmed = parse({**posted, "debts-1-confirm_rate": "5"})
        assert unconfirmed_rate(confirmed, answers, run_assessment(answers)) == []
    response = client.post("/zh-hans/situation/summary", data=posted)
    assert response.status_code == 422
    assert elements(response.text, "input", type="checkbox", name="debts-1-confirm_rate", value="5")
    assert 'id="rate-check-1"' in response.text and 'id="rate-check-0"' not in response.text


def test_change_answers_and_the_hidden_answers_carry_every_debt_and_the_budget(app, client) -> None:
    from flask import render_template_string

    posted = {
        **FIRST,
        **SECOND,
        "budget-monthly_income": "5200",
        "budget-essential_costs": "4500",
        "contact_log-0-date": "2026-11-02",
        "contact_log-0-channel": "sms",
        "contact_log-0-debt": "1",
    }
    html = client.post("/zh-hans/situation", data=posted).text
    for name, value in posted.items():
        assert elements(html, "input", name=name, value=value) or re.search(
            rf'name="{name}"[^>]*>.*?<option value="{re.escape(value)}"[^>]*selected', html, re.S
        ), name
    with app.test_request_context():
        read = parse(posted)
        hidden = render_template_string(
            '{% from "situation/_answers_hidden.html" import hidden_answers %}{{ hidden_answers(v, rows) }}',
            v=read.values,
            rows=read.log_rows,
        )
    carried = MultiDict((e["name"], e["value"]) for e in elements(hidden, "input", type="hidden"))
    assert parse(carried).data == read.data
    assert carried["debts-1-stage_hint"] == "payment_order" and carried["contact_log-0-debt"] == "1"


def test_several_debts_from_the_form_give_one_summary_and_one_pdf(client) -> None:
    from tests.helpers import pdftotext

    posted = {
        **FIRST,
        **SECOND,
        "as_of": "2026-11-28",
        "budget-monthly_income": "5200",
        "budget-essential_costs": "4500",
    }
    page = client.post("/zh-hans/situation/summary", data=posted)
    assert page.status_code == 200, page.text[:2000]
    # 700 a month, pro rata to 2,000 and 15,000: 82.35 and 617.64, the fen left over to the 支付令 debt first.
    for text in ('id="overview"', 'id="debt-1"', 'id="debt-2"', "¥617.65", "¥82.35", "某网贷", "银行"):
        assert text in page.text, text
    # The summary's own hidden answers post the same debts again for the PDF.
    hidden = MultiDict((e["name"], e["value"]) for e in elements(page.text, "input", type="hidden"))
    pdf = client.post("/zh-hans/situation/summary.pdf", data=hidden)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    text = pdftotext(pdf.data)
    assert "617.65" in text and "82.35" in text and "某网贷" in text
