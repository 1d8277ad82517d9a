"""The letters over HTTP: golden letters in both scripts, refusals, bad input (422 naming each field, the form
again with the answers kept), PDFs read back, neutral file names, and where readers find the letters."""

import os
import re
from pathlib import Path

import pytest

from tests.helpers import ROOT, elements, pdftotext, squash
from tests.letter_cases import KINDS, LETTER_DATE, REFUSALS, TYPICAL

GOLDEN = ROOT / "tests" / "golden" / "letters"
VARIANTS = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
# UPDATE_GOLDEN=1 rewrites the golden files from the app (then review the diff before committing).
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def golden(path: Path, text: str) -> None:
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def api(client, kind: str, answers: dict, code: str = "zh-hans", suffix: str = ""):
    return client.post(f"/api/v1/letters/{kind}{suffix}", json={**answers, "variant": VARIANTS[code]})


@pytest.mark.parametrize("code", VARIANTS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_letter_reads_as_its_golden_text(client, kind: str, code: str) -> None:
    response = api(client, kind, TYPICAL[kind], code)
    assert response.status_code == 200, response.json
    body = response.json
    assert set(body) == {"kind", "title", "to", "text", "deadline", "warnings", "sources"}
    assert body["kind"] == kind and body["sources"]
    golden(GOLDEN / f"{kind}.{code}.txt", body["text"])


@pytest.mark.parametrize("code", VARIANTS)
@pytest.mark.parametrize("refusal", REFUSALS)
def test_each_refusal_reads_as_its_golden_explanation(client, refusal: str, code: str) -> None:
    kind, answers, field, error_code = REFUSALS[refusal]
    response = api(client, kind, answers, code)
    assert response.status_code == 422
    [error] = response.json["errors"]
    assert (error["field"], error["code"]) == (field, error_code)
    golden(GOLDEN / f"refusal-{refusal}.{code}.txt", error["message"] + "\n")


def test_an_objection_that_only_pleads_inability_to_pay_says_what_the_court_does(client) -> None:
    kind, answers, _, _ = REFUSALS["objection-only-cannot-pay"]
    message = api(client, kind, answers).json["errors"][0]["message"]
    assert "异议的理由" in message  # names the field
    assert "不影响支付令的效力" in message and "裁定驳回" in message and "申请强制执行" in message
    # With a reason that disputes the debt, inability to pay may stand beside it.
    fine = api(client, kind, {**answers, "reasons": ["cannot_pay", "interest_above_agreed"]})
    assert fine.status_code == 200 and "经济困难" in fine.json["text"]


@pytest.mark.parametrize(
    ("received_on", "deadline"),
    [
        ("2026-11-25", "2026-12-10"),  # the day of receipt is not counted: 15 days after it
        ("2026-02-14", "2026-03-01"),  # across a month's end (February has 28 days)
        ("2026-12-20", "2027-01-04"),  # across a year's end
        ("2026-09-26", "2026-10-11"),  # a Sunday in the National Day holiday: shown as is, never moved
    ],
)
def test_the_objection_deadline_is_received_on_plus_15_days(client, received_on: str, deadline: str) -> None:
    answers = {**TYPICAL["payment-order-objection"], "received_on": received_on, "date": received_on}
    body = api(client, "payment-order-objection", answers).json
    assert body["deadline"] == deadline


def test_the_objection_page_shows_the_deadline_and_says_not_to_count_on_holidays(client) -> None:
    response = client.post("/zh-hans/letters/payment-order-objection", data=TYPICAL["payment-order-objection"])
    text = squash(re.sub(r"<[^>]+>", "", response.text))
    assert "最晚寄出日期：2026年12月10日" in text
    assert "在期满前交邮的，不算过期" in text and "不要指望顺延" in text
    # A partial objection says the other claims stay in force.
    assert "不影响其他各项请求的效力" in text


def test_a_late_objection_is_warned_not_refused(client) -> None:
    answers = {**TYPICAL["payment-order-objection"], "received_on": "2026-11-01"}
    body = api(client, "payment-order-objection", answers).json
    assert [w["code"] for w in body["warnings"]] == ["deadline_passed"]
    assert "2026年11月16日" in body["warnings"][0]["text"]


@pytest.mark.parametrize(
    ("lender_kind", "about", "to"),
    [
        ("bank", "collection", "国家金融监督管理总局（消费者投诉热线12378）"),
        ("consumer_finance", "collection", "国家金融监督管理总局（消费者投诉热线12378）"),
        ("small_loan", "collection", "当地地方金融管理部门"),
        ("private", "collection", "12321网络不良与垃圾信息举报受理中心"),
        ("platform", "collection", "某消费金融有限公司的客户投诉部门"),
        ("unknown", "collection", "某消费金融有限公司的客户投诉部门"),
        ("bank", "credit_report", "当地人民银行分支机构"),
    ],
)
def test_the_complaint_goes_to_the_body_for_the_lender(client, lender_kind: str, about: str, to: str) -> None:
    answers = {**TYPICAL["complaint"], "lender_kind": lender_kind, "about": about}
    body = api(client, "complaint", answers).json
    assert body["to"] == to and body["text"].splitlines()[2] == f"{to}："


def test_the_complaint_quotes_the_log_rows_that_broke_a_rule_each_with_its_rule(client) -> None:
    text = api(client, "complaint", TYPICAL["complaint"]).json["text"]
    # Row 1 at 22:40 is a night contact, row 2 a call to family; row 3 (an SMS at 10:15) broke no rule.
    assert "1. 2026-11-02 22:40，电话：半夜打电话催款（见上面第二项）" in text
    assert "2. 2026-11-05，联系我的亲友或通讯录里的人：给我母亲打电话，说我欠钱不还（见上面第一项）" in text
    assert "2026-11-06" not in text
    assert "一、联系我的亲友或通讯录里的人。" in text and "二、晚上10点到早上8点之间催收。" in text
    assert "三、威胁、辱骂、恐吓。" in text


def test_the_complaint_states_the_answer_times_the_facts_give(client) -> None:
    page = client.post("/zh-hans/letters/complaint", data=flatten(TYPICAL["complaint"])).text
    assert "处理投诉一般在15日内" in page and "延长到30日" in page and "再延长30日" in page
    assert "工作日" not in page.split('id="letter-sources"')[0]  # the reports say days: "15 working days" is a myth
    small_loan = client.post(
        "/zh-hans/letters/complaint", data=flatten({**TYPICAL["complaint"], "lender_kind": "small_loan"})
    )
    assert "15日内书面答复" in small_loan.text and "60日内办结" in small_loan.text
    credit = api(client, "credit-dispute", TYPICAL["credit-dispute"]).json["text"]
    assert "20日内" in credit


def flatten(answers: dict) -> dict:
    """JSON answers as the form posts them."""
    out: dict = {}
    for key, value in answers.items():
        if key == "contact_log":
            for i, row in enumerate(value):
                out.update({f"contact_log-{i}-{k}": v for k, v in row.items()})
        elif key == "hours":
            out.update({"hours-from": value["from"], "hours-until": value["until"]})
        else:
            out[key] = value
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_the_form_and_the_api_write_the_same_letter(client, kind: str) -> None:
    api_text = api(
        client, kind, {**TYPICAL[kind], "ask_waiver": True} if kind == "repayment-proposal" else TYPICAL[kind]
    ).json["text"]
    form = flatten(TYPICAL[kind]) | ({"ask_waiver": "yes"} if kind == "repayment-proposal" else {})
    page = client.post(f"/zh-hans/letters/{kind}", data=form)
    assert page.status_code == 200
    [textarea] = re.findall(r'<textarea id="letter-text"[^>]*>(.*?)</textarea>', page.text, re.DOTALL)
    import html

    assert html.unescape(textarea) == api_text


BAD = [
    ("payment-order-objection", {"court": ""}, "court", "string_too_short"),
    ("payment-order-objection", {"received_on": "2026-02-30"}, "received_on", "date_from_datetime_parsing"),
    ("payment-order-objection", {"received_on": "2026-12-20"}, "received_on", "received_after_letter"),
    ("payment-order-objection", {"reasons": []}, "reasons", "too_short"),
    ("payment-order-objection", {"reasons": ["other"], "details": ""}, "details", "other_needs_details"),
    ("payment-order-objection", {"case_number": "号\u202e123"}, "case_number", "control_characters"),
    ("payment-order-objection", {"details": "还款\U0001f600"}, "details", "unsupported_characters"),
    ("contact-restriction", {"channels": []}, "channels", "too_short"),
    ("contact-restriction", {"channels": ["phone", "phone"]}, "channels", "duplicate_choices"),
    ("contact-restriction", {"hours": {"from": "20:00", "until": "09:00"}}, "hours", "hours_order"),
    ("repayment-proposal", {"monthly": None, "offer": None}, "monthly", "offer_or_monthly"),
    ("repayment-proposal", {"monthly": "１２"}, "monthly", "number_format"),
    ("repayment-proposal", {"start": "2026-11-01"}, "start", "start_in_past"),
    ("complaint", {"contacts": [], "contact_log": [], "what_happened": ""}, "what_happened", "nothing_to_complain"),
    ("complaint", {"contact_log": [{"date": "2026-11-02", "channel": "fax"}]}, "contact_log.0.channel", "enum"),
    ("credit-dispute", {"why_wrong": "x" * 1001}, "why_wrong", "string_too_long"),
    ("records-request", {"items": ["everything"]}, "items.0", "enum"),
    ("records-request", {"lender": "a" * 41}, "lender", "string_too_long"),
    ("records-request", {"name": "\x07"}, "name", "control_characters"),
    ("records-request", {"surprise": 1}, "surprise", "extra_forbidden"),
]


@pytest.mark.parametrize(("kind", "change", "field", "code"), BAD, ids=[f"{b[0]}-{b[3]}" for b in BAD])
def test_bad_answers_are_a_422_naming_the_field_in_the_readers_script(client, kind, change, field, code) -> None:
    answers = {k: v for k, v in {**TYPICAL[kind], **change}.items() if v is not None}
    response = api(client, kind, answers, "zh-hant")
    assert response.status_code == 422, response.json
    found = {(e["field"], e["code"]): e["message"] for e in response.json["errors"]}
    assert (field, code) in found, found
    message = found[(field, code)]
    assert message and "%(" not in message and "\u202e" not in message


def test_the_form_comes_back_with_the_errors_and_every_other_answer_kept(client) -> None:
    form = flatten({**TYPICAL["payment-order-objection"], "court": "", "received_on": "2026-02-30"})
    response = client.post("/zh-hans/letters/payment-order-objection", data=form)
    assert response.status_code == 422
    assert response.headers["Cache-Control"] == "no-store"
    assert elements(response.text, "input", name="case_number", value="（2026）湘0104民督123号")
    assert elements(response.text, "input", name="reasons", value="fees_not_agreed", checked="")
    assert "我在2026年10月8日已经还了2000元" in response.text
    assert 'id="court-error"' in response.text and 'id="received_on-error"' in response.text
    assert "请填写发出支付令的法院。" in response.text


def test_the_refused_objection_is_explained_on_the_form_with_its_sources(client) -> None:
    _, answers, _, _ = REFUSALS["objection-only-cannot-pay"]
    response = client.post("/zh-hant/letters/payment-order-objection", data=flatten(answers))
    assert response.status_code == 422
    [box] = elements(response.text, "p", class_="rule refusal")
    assert box["data-sources"] == "spc-civil-procedure-interpretation civil-procedure-law"
    assert "不影響支付令的效力" in response.text  # in the reader's script


@pytest.mark.parametrize(
    "text", ["", "kind=x", "reasons=cannot_pay&reasons=cannot_pay", "hours-from=25:99", "monthly=1e999999"]
)
@pytest.mark.parametrize("kind", KINDS)
def test_no_form_post_is_ever_a_500(client, kind: str, text: str) -> None:
    response = client.post(f"/zh-hans/letters/{kind}", data=text, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 422)


def test_an_unknown_letter_is_a_404(client) -> None:
    assert client.get("/zh-hans/letters/love-letter").status_code == 404
    assert client.post("/api/v1/letters/love-letter", json={}).status_code == 404


@pytest.mark.slow
@pytest.mark.parametrize("code", VARIANTS)
@pytest.mark.parametrize("kind", KINDS)
def test_each_letter_prints_with_room_to_sign_under_a_neutral_name(client, kind: str, code: str) -> None:
    response = api(client, kind, TYPICAL[kind], code, suffix=".pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert f'filename="letter-{LETTER_DATE}.pdf"' in disposition
    assert "filename*=UTF-8''%E5%87%BD-" in disposition  # 函-<date>.pdf: no lender, no kind, no debt
    assert response.headers["Cache-Control"] == "no-store"
    text = squash(pdftotext(response.data))
    letter = squash(api(client, kind, TYPICAL[kind], code).json["text"])
    # The letter's own text, in order, as the reader sends it; then the page the reader keeps.
    assert letter.replace("＿", "")[:60] in text.replace("＿", "")
    keep = {"zh-hans": "这一页请自己留着，不要寄出", "zh-hant": "這一頁請自己留著，不要寄出"}[code]
    assert keep in text and text.index(keep) > text.index(letter[:6])
    pages = pdftotext(response.data).split("\f")
    assert len([p for p in pages if p.strip()]) >= 2


@pytest.mark.slow
def test_the_form_pdf_of_a_refused_objection_is_the_form_again(client) -> None:
    _, answers, _, _ = REFUSALS["objection-only-cannot-pay"]
    response = client.post("/zh-hans/letters/payment-order-objection.pdf", data=flatten(answers))
    assert response.status_code == 422 and response.mimetype == "text/html"


def test_the_openapi_document_describes_each_letter(client) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for kind in KINDS:
        assert f"/api/v1/letters/{kind}" in paths and f"/api/v1/letters/{kind}.pdf" in paths


def test_home_and_the_list_lead_to_every_letter(client) -> None:
    for page in ("/zh-hans/", "/zh-hans/letters/"):
        hrefs = {a["href"] for a in elements(client.get(page).text, "a")}
        assert {f"/zh-hans/letters/{kind}" for kind in KINDS} <= hrefs


@pytest.mark.parametrize(
    ("answers", "kind"),
    [
        ({"contacts": ["call_contacts"]}, "contact-restriction"),
        (
            {"contact_log-0-date": "2026-11-20", "contact_log-0-time": "23:30", "contact_log-0-channel": "phone"},
            "complaint",
        ),
        ({"contacts": ["threats_or_insults"]}, "complaint"),
        ({"due_date": "2026-06-01"}, "payment-order-objection"),
        ({"contract_date": "2025-06-01", "annual_rate_percent": "36", "lender_type": "private"}, "records-request"),
    ],
)
def test_the_summarys_next_steps_link_the_letter_that_fits(client, answers: dict, kind: str) -> None:
    data = {"as_of": "2026-11-28", "due_date": "2026-11-01", "overdue_amount": "5000", **answers}
    response = client.post("/zh-hans/situation/summary", data=data)
    assert response.status_code == 200
    assert f'href="/zh-hans/letters/{kind}"' in response.text


def test_the_letters_forms_are_precached_in_both_scripts(client) -> None:
    worker = client.get("/sw.js").text
    for code in VARIANTS:
        assert f'"/{code}/letters/"' in worker
        for kind in KINDS:
            assert f'"/{code}/letters/{kind}"' in worker
    assert "/assets/js/letters." in worker and "/assets/css/letters." in worker
