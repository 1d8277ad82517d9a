"""Letters for one of several debts, over HTTP: the form the summary links to with ?debt=<i> (and the repayment
proposal's &monthly=<offer>), log rows that name their debt in the complaint's API, the guides' links to the
letters' forms, and the summary's link for a 支付令. Filling the form from the answers saved on the phone is the
browser's part (tests/browser/test_letters.py)."""

import re
from pathlib import Path

import pytest

from tests.helpers import elements
from tests.letter_cases import TYPICAL
from tests.test_content import FRONT, load, write_guide
from webapp.content import ContentError
from webapp.situation.letters.model import LetterKind
from webapp.variants import HANS

COMPLAINT = TYPICAL["complaint"]


def form_page(client, query: str, kind: str = "repayment-proposal", code: str = "zh-hans"):
    response = client.get(f"/{code}/letters/{kind}{query}")
    assert response.status_code == 200
    return response


def value_of(html: str, name: str) -> str:
    [field] = elements(html, "input", name=name)
    return field.get("value", "")


def hidden(html: str, note: str) -> bool:
    [found] = elements(html, "p", id=note)
    return "hidden" in found


# The form for one debt --------------------------------------------------------------------------------------------


def test_the_repayment_form_for_a_debt_takes_the_offer_and_leaves_the_lender_to_the_phone(client) -> None:
    html = form_page(client, "?debt=1&monthly=812.50").text
    assert value_of(html, "monthly") == "812.50"
    assert value_of(html, "lender") == ""  # never the first guide's platform: the page fills in the debt's lender
    assert not hidden(html, "debt-note") and not hidden(html, "monthly-from-plan")
    assert "data-prefilled" not in html  # the page's script still fills it in from the saved answers


def test_the_plain_form_is_as_before(client) -> None:
    html = form_page(client, "").text
    assert value_of(html, "lender") == "58金融" and value_of(html, "monthly") == ""
    assert hidden(html, "debt-note") and hidden(html, "monthly-from-plan")


@pytest.mark.parametrize(
    "query",
    ["?debt=20&monthly=800", "?debt=x&monthly=800", "?debt=-1", "?debt=001", "?monthly=800", "?debt=%EF%BC%91"],
)
def test_a_debt_out_of_bounds_gives_the_plain_form(client, query: str) -> None:
    html = form_page(client, query).text
    assert value_of(html, "lender") == "58金融" and value_of(html, "monthly") == ""
    assert hidden(html, "debt-note")


@pytest.mark.parametrize(
    "monthly", ["0", "0.00", "1e3", "-5", "800.123", "10000000.01", "１２", "800<b>", "NaN", "8,000", ""]
)
def test_an_offer_that_is_no_amount_is_left_out(client, monthly: str) -> None:
    html = form_page(client, f"?debt=0&monthly={monthly}").text
    assert value_of(html, "monthly") == "" and hidden(html, "monthly-from-plan")
    assert "<b>" not in html


def test_only_the_repayment_proposal_takes_an_offer(client) -> None:
    html = form_page(client, "?debt=2&monthly=800", kind="complaint", code="zh-hant").text
    assert not elements(html, "input", name="monthly")
    assert value_of(html, "lender") == ""
    assert hidden(html, "log-left-out")  # shown by the page's script when it leaves other lenders' rows out
    assert "關於其他貸款方" in html


@pytest.mark.parametrize("kind", [k.value for k in LetterKind])
def test_every_letter_form_opens_for_a_debt(client, kind: str) -> None:
    html = form_page(client, "?debt=3", kind=kind).text
    assert value_of(html, "lender") == "" and not hidden(html, "debt-note")


def test_the_form_for_a_debt_is_no_more_cacheable_than_the_plain_one(client) -> None:
    response = form_page(client, "?debt=1&monthly=812.50")
    assert response.headers["Cache-Control"] == "no-cache"


# Log rows that name their debt -----------------------------------------------------------------------------------


def complaint(client, rows: list[dict]):
    return client.post("/api/v1/letters/complaint", json={**COMPLAINT, "contact_log": rows})


def test_log_rows_naming_their_debt_are_taken_and_the_letter_reads_the_same(client) -> None:
    plain = complaint(client, COMPLAINT["contact_log"])
    named = complaint(client, [{**row, "debt": 2} for row in COMPLAINT["contact_log"]])
    assert plain.status_code == named.status_code == 200
    assert named.json["text"] == plain.json["text"]
    # Rows about this debt beside rows that name none: the same debt's contacts, taken.
    some = complaint(client, [{**COMPLAINT["contact_log"][0], "debt": 2}, *COMPLAINT["contact_log"][1:]])
    assert some.status_code == 200 and some.json["text"] == plain.json["text"]


def test_log_rows_about_two_debts_are_refused_on_the_log(client) -> None:
    rows = [{**row, "debt": n % 2} for n, row in enumerate(COMPLAINT["contact_log"])]
    response = complaint(client, rows)
    assert response.status_code == 422
    [error] = response.json["errors"]
    assert (error["field"], error["code"]) == ("contact_log", "log_debts_mixed")
    assert "不同的欠款" in error["message"]


@pytest.mark.parametrize(
    ("debt", "code"), [("1", "int_type"), (20, "less_than"), (-1, "greater_than_equal"), (1.0, "int_type")]
)
def test_a_row_s_debt_has_the_situation_s_bounds(client, debt: object, code: str) -> None:
    response = complaint(client, [{**COMPLAINT["contact_log"][0], "debt": debt}])
    assert response.status_code == 422
    [error] = response.json["errors"]
    assert (error["field"], error["code"]) == ("contact_log.0.debt", code)


def test_the_complaint_form_ignores_a_posted_row_debt(client) -> None:
    row = {"contact_log-0-date": "2026-11-02", "contact_log-0-channel": "phone"}
    data = {"lender": "某网贷", "date": "2026-11-28", **row}
    with_debt = client.post("/zh-hans/letters/complaint", data={**data, "contact_log-0-debt": "1"})
    without = client.post("/zh-hans/letters/complaint", data=data)
    assert with_debt.status_code == without.status_code == 200
    assert with_debt.text == without.text


# The guides' links to the letters -------------------------------------------------------------------------------

GUIDE_LETTERS = {
    "court-papers": {"payment-order-objection"},
    "credit-report": {"credit-dispute"},
    "58-finance-overdue": {"records-request", "repayment-proposal", "contact-restriction", "complaint"},
    "help": {"complaint"},
}


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize("slug", GUIDE_LETTERS)
def test_the_guides_link_their_letters_and_each_link_opens_its_form(client, slug: str, code: str) -> None:
    html = client.get(f"/{code}/guides/{slug}").text
    hrefs = {a["href"] for a in elements(html, "a") if a.get("href", "").startswith("../letters/")}
    assert {h.removeprefix("../letters/") for h in hrefs} == GUIDE_LETTERS[slug]
    for href in hrefs:  # relative: resolves from /<v>/guides/<slug> to /<v>/letters/<kind>
        assert client.get(f"/{code}/letters/{href.removeprefix('../letters/')}").status_code == 200


def test_every_letter_is_linked_from_some_guide() -> None:
    assert set().union(*GUIDE_LETTERS.values()) == {k.value for k in LetterKind}


def test_a_guide_link_to_a_letter_that_does_not_exist_stops_start_up(tmp_path: Path) -> None:
    body = "{#a}\n## 问\n\n见[法](#src-law)，写[信](../letters/apology)。\n"
    with pytest.raises(ContentError, match=re.escape("'../letters/apology'")):
        load(write_guide(tmp_path, FRONT, body))


def test_a_guide_link_to_a_letter_lands(tmp_path: Path) -> None:
    body = "{#a}\n## 问\n\n见[法](#src-law)，写[信](../letters/complaint)。\n"
    guide = load(write_guide(tmp_path, FRONT, body)).get("a-guide", HANS)
    assert guide is not None and 'href="../letters/complaint"' in guide.html


# The summary's link for a 支付令 ----------------------------------------------------------------------------------


def summary_html(app, code: str, answers: dict) -> str:
    from webapp.situation.forms import empty
    from webapp.summary import render_summary_html, run_assessment, validate
    from webapp.variants import VARIANTS

    with app.test_request_context(f"/{code}/situation/summary"):
        valid = validate({**answers, "variant": VARIANTS[code].tag})
        assert not isinstance(valid, list), valid
        # As the summary view renders it; the one-debt form has no stage hint (yet), so the answers go in as JSON.
        extra = {"values": empty().values, "log_rows": [], "rate": None, "other_variants": []}
        return render_summary_html(valid, run_assessment(valid), **extra)


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
def test_a_one_debt_summary_with_a_payment_order_links_the_objection(app, code: str) -> None:
    answers = {"as_of": "2026-11-28", "due_date": "2026-10-01", "overdue_amount": "1500"}
    html = summary_html(app, code, {**answers, "stage_hint": "payment_order"})
    [link] = elements(html, "a", href=f"/{code}/letters/payment-order-objection")
    assert "letter-link" in link["class"]
    title = "支付令异议书" if code == "zh-hans" else "支付令異議書"
    assert re.search(f'payment-order-objection">[^<]*{title}', html)
    # Without the hint there is no objection to write.
    html = summary_html(app, code, answers)
    assert not elements(html, "a", href=f"/{code}/letters/payment-order-objection")
