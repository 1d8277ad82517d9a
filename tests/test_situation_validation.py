"""Every way answers can be wrong: a clear, translated error naming the field, the reader's answers kept, never
a 500."""

import json
import re
from dataclasses import replace

import pytest

from webapp.state import state

VALID = {"due_date": "2026-10-01", "overdue_amount": "10000"}


def api(client, body: object, **headers: str):
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/api/v1/assessment", data=raw, content_type="application/json", headers=headers)


def errors_of(response) -> dict[str, tuple[str, str]]:
    return {e["field"]: (e["code"], e["message"]) for e in response.get_json()["errors"]}


# One bad answer at a time -> (field, code) in the 422 body.
BAD_ANSWERS = [
    ({"due_date": None}, "due_date", "missing"),  # null is no answer: required, like an absent one
    ({"overdue_amount": None}, "overdue_amount", "missing"),
    ({"due_date": "2026-02-30"}, "due_date", "date_from_datetime_parsing"),
    ({"due_date": "2025-02-29"}, "due_date", "date_from_datetime_parsing"),
    ({"due_date": 1_700_000_000}, "due_date", "date_format"),
    ({"due_date": "30/02/2026"}, "due_date", "date_format"),
    ({"due_date": "20261001"}, "due_date", "date_format"),
    # Ten digits would otherwise be read as a Unix timestamp (a due date in 1970, 20,000 days overdue).
    ({"due_date": "1700000000"}, "due_date", "date_format"),
    ({"as_of": "1700000000"}, "as_of", "date_format"),
    ({"contract_date": 1_600_000_000}, "contract_date", "date_format"),
    ({"due_date": "２０２６-１０-０１"}, "due_date", "date_format"),
    ({"due_date": "2026-10-01T00:00"}, "due_date", "date_format"),
    ({"contact_log": [{"date": "1700000000", "channel": "sms"}]}, "contact_log.0.date", "date_format"),
    ({"contact_log": [{"date": "2026-11-01", "channel": "sms", "time": "12345"}]}, "contact_log.0.time", "time_format"),
    ({"contact_log": [{"date": "2026-11-01", "channel": "sms", "time": 3600}]}, "contact_log.0.time", "time_format"),
    # The API takes ASCII digits only (the form normalises): no Arabic-Indic or full-width digits, no 1_000.
    ({"overdue_amount": "١٢٣٤"}, "overdue_amount", "number_format"),
    ({"overdue_amount": "１２０００"}, "overdue_amount", "number_format"),
    ({"monthly_payment": "৫০০"}, "monthly_payment", "number_format"),
    ({"penalty_daily_rate_percent": "٠٫٠٥"}, "penalty_daily_rate_percent", "number_format"),
    ({"overdue_amount": "1_000"}, "overdue_amount", "decimal_parsing"),
    ({"overdue_amount": "1.2万"}, "overdue_amount", "decimal_parsing"),
    ({"overdue_amount": "12,000"}, "overdue_amount", "decimal_parsing"),
    ({"overdue_amount": "1e3"}, "overdue_amount", "decimal_parsing"),
    # Oversized rates: too many digits, too many places, too large.
    ({"penalty_daily_rate_percent": "0." + "0" * 3000 + "5"}, "penalty_daily_rate_percent", "decimal_parsing"),
    ({"penalty_daily_rate_percent": "5" * 3000}, "penalty_daily_rate_percent", "decimal_parsing"),
    ({"penalty_daily_rate_percent": int("5" * 3000)}, "penalty_daily_rate_percent", "less_than_equal"),
    ({"penalty_daily_rate_percent": "0.0000001"}, "penalty_daily_rate_percent", "rate_places"),
    ({"annual_rate_percent": "24.1234567"}, "annual_rate_percent", "rate_places"),
    ({"annual_rate_percent": "1" + "0" * 10}, "annual_rate_percent", "less_than_equal"),
    ({"overdue_amount": "0"}, "overdue_amount", "greater_than"),
    ({"overdue_amount": "-5"}, "overdue_amount", "greater_than"),
    ({"overdue_amount": "10000000.01"}, "overdue_amount", "less_than_equal"),
    ({"overdue_amount": "12.345"}, "overdue_amount", "money_places"),
    ({"overdue_amount": "NaN"}, "overdue_amount", "finite_number"),
    ({"overdue_amount": "Infinity"}, "overdue_amount", "finite_number"),
    ({"overdue_amount": "一万"}, "overdue_amount", "decimal_parsing"),
    ({"overdue_amount": True}, "overdue_amount", "decimal_type"),
    ({"overdue_amount": [1]}, "overdue_amount", "decimal_type"),
    ({"outstanding_total": "5000"}, "outstanding_total", "outstanding_below_overdue"),
    ({"annual_rate_percent": "10001"}, "annual_rate_percent", "less_than_equal"),
    ({"penalty_daily_rate_percent": "-0.01"}, "penalty_daily_rate_percent", "greater_than_equal"),
    ({"penalty_daily_rate_percent": "100.5"}, "penalty_daily_rate_percent", "less_than_equal"),
    ({"monthly_payment": "-1"}, "monthly_payment", "greater_than_equal"),
    ({"contract_date": "2026-12-01"}, "contract_date", "contract_after_due"),
    ({"lender_type": "bank"}, "lender_type", "enum"),
    ({"variant": "zh-TW"}, "variant", "literal_error"),
    ({"contacts": ["phone", "phone"]}, "contacts", "duplicate_contacts"),
    ({"contacts": ["carrier_pigeon"]}, "contacts.0", "enum"),
    ({"contacts": "phone"}, "contacts", "list_type"),
    ({"reachable": "maybe"}, "reachable", "bool_parsing"),
    ({"platform": ""}, "platform", "string_too_short"),
    ({"platform": "平" * 41}, "platform", "string_too_long"),
    ({"platform": "58\u202e金融"}, "platform", "control_characters"),
    ({"platform": "58\x00金融"}, "platform", "control_characters"),
    ({"platform": "58金融\u200b"}, "platform", "control_characters"),
    ({"platform": "58金融😀"}, "platform", "unsupported_characters"),
    ({"platform": "𠀀金融"}, "platform", "unsupported_characters"),
    ({"as_of": "2026-13-01"}, "as_of", "date_from_datetime_parsing"),
    ({"hacker": "<script>"}, "hacker", "extra_forbidden"),
    ({"contact_log": [{"date": "2026-11-01"}]}, "contact_log.0.channel", "missing"),
    (
        {"contact_log": [{"date": "2026-11-01", "channel": "sms", "note": "x" * 201}]},
        "contact_log.0.note",
        "string_too_long",
    ),
    (
        {"contact_log": [{"date": "2026-11-01", "channel": "sms", "time": "25:00"}]},
        "contact_log.0.time",
        "time_parsing",
    ),
    ({"contact_log": [{"date": "2026-11-01", "channel": "sms", "extra": 1}]}, "contact_log.0.extra", "extra_forbidden"),
    ({"contact_log": [{"date": "2026-11-01", "channel": "sms"}] * 101}, "contact_log", "too_long"),
]


@pytest.mark.parametrize(("change", "field", "code"), BAD_ANSWERS, ids=[f"{f}-{c}" for _, f, c in BAD_ANSWERS])
def test_api_names_the_field_at_fault(client, change: dict, field: str, code: str) -> None:
    response = api(client, {**VALID, **change})
    assert response.status_code == 422
    assert response.headers["Cache-Control"] == "no-store"
    errors = errors_of(response)
    assert errors[field][0] == code
    assert errors[field][1] and "%(" not in errors[field][1]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_literals_are_field_errors(client, literal: str) -> None:
    response = api(client, f'{{"due_date": "2026-10-01", "overdue_amount": {literal}}}')
    assert response.status_code == 422
    assert errors_of(response)["overdue_amount"][0] == "finite_number"


def test_json_numbers_are_read_as_exact_decimals(client) -> None:
    response = api(
        client,
        '{"due_date": "2026-10-01", "overdue_amount": 0.1, "as_of": "2026-10-02", "penalty_daily_rate_percent": 100}',
    )
    assert response.status_code == 200
    assert response.get_json()["penalty"]["to_date"] == "0.10"


def test_missing_required_fields_are_each_named(client) -> None:
    errors = errors_of(api(client, {}))
    assert errors["due_date"][0] == errors["overdue_amount"][0] == "missing"


def test_error_messages_are_in_the_requested_variant(client) -> None:
    hans = errors_of(api(client, {**VALID, "due_date": "2026-02-30"}))["due_date"][1]
    hant = errors_of(api(client, {**VALID, "due_date": "2026-02-30", "variant": "zh-Hant"}))["due_date"][1]
    assert hans == "没还上的那一期的还款日：请填写一个真实存在的日期，例如2026-03-15。"
    assert hant == "沒還上的那一期的還款日：請填寫一個真實存在的日期，例如2026-03-15。"


def test_without_a_valid_variant_errors_follow_accept_language(client) -> None:
    response = api(client, {**VALID, "overdue_amount": "0", "variant": "klingon"}, **{"Accept-Language": "zh-HK"})
    assert errors_of(response)["overdue_amount"][1] == "已逾期的金額必須大於0。"


def test_unknown_field_name_is_returned_escaped_as_json_never_as_markup(client) -> None:
    response = api(client, {**VALID, "<img src=x onerror=alert(1)>": 1})
    assert response.mimetype == "application/json"
    assert "<img src=x onerror=alert(1)>" in errors_of(response)
    assert b"<img" not in response.data  # JSON escapes < as \u003c


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{", 400, "malformed_json"),
        (b'{"due_date": }', 400, "malformed_json"),
        (b"\xff\xfe{}", 400, "malformed_json"),
        (b"[" * 200_000 + b"]" * 200_000, 413, "too_large"),
        (b"[" * 20_000 + b"]" * 20_000, 400, "malformed_json"),
        (b"[]", 422, "model_type"),
        (b'"just a string"', 422, "model_type"),
        (json.dumps({**VALID, "platform": "x" * 300_000}).encode(), 413, "too_large"),
    ],
)
def test_malformed_or_oversized_bodies_get_a_4xx(client, body: bytes, status: int, code: str) -> None:
    response = api(client, body)
    assert response.status_code == status
    assert [e["code"] for e in response.get_json()["errors"]] == [code]


def test_json_is_required(client) -> None:
    response = client.post(
        "/api/v1/assessment", data="due_date=2026-10-01", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert response.get_json()["errors"][0]["code"] == "not_json"


def test_api_paths_answer_wrong_methods_in_json(client) -> None:
    response = client.get("/api/v1/assessment")
    assert response.status_code == 405
    assert response.get_json()["errors"][0]["code"] == "http_error"


# The form: errors next to each field, every answer kept.
FORM = {
    "platform": "某某分期",
    "due_date": "2026-02-30",
    "overdue_amount": "-5",
    "outstanding_total": "20,000",
    "penalty_daily_rate_percent": "5",
    "penalty_rate_unit": "wan",
    "contract_date": "2025-06-01",
    "lender_type": "private",
    "monthly_payment": "800",
    "contacts": ["phone", "home_visit"],
    "reachable": "no",
    "contact_log-0-date": "2026-11-20",
    "contact_log-0-time": "21:30",
    "contact_log-0-channel": "phone",
    "contact_log-0-note": "第一次来电",
    "contact_log-1-date": "",
    "contact_log-1-note": "",
    "contact_log-2-date": "2026-13-01",
    "contact_log-2-channel": "sms",
    "contact_log-2-note": "<b>短信</b>",
}


def test_form_shows_each_error_next_to_its_field_and_keeps_every_answer(client) -> None:
    response = client.post("/zh-hans/situation/summary", data=FORM)
    assert response.status_code == 422
    html = response.text
    described = 'aria-describedby="debts-0-due_date-hint debts-0-due_date-error" aria-invalid="true"'
    assert re.search(rf'id="debts-0-due_date"[^>]*{described}', html)
    due_date_error = "没还上的那一期的还款日：请填写一个真实存在的日期，例如2026-03-15。"
    assert f'<p class="field-error" id="debts-0-due_date-error">{due_date_error}</p>' in html
    assert '<p class="field-error" id="debts-0-overdue_amount-error">已逾期的金额必须大于0。</p>' in html
    # The bad log row (third posted, second kept) is flagged where the reader typed it.
    assert 'id="contact_log-2-date-error">催收记录第2行的日期' in html
    for kept in (
        'value="某某分期"',
        'value="2026-02-30"',
        'value="-5"',
        'value="20,000"',
        'value="5"',
        'value="800"',
        'value="第一次来电"',
        'value="&lt;b&gt;短信&lt;/b&gt;"',
        'value="2026-13-01"',
    ):
        assert kept in html, kept
    assert re.search(r'<option value="wan" selected>', html)
    assert re.search(r'value="private" selected', html)
    assert re.search(r'value="no" checked', html)
    assert re.search(r'name="contacts" value="home_visit" checked', html)
    assert 'data-prefilled="true"' in html
    assert response.headers["Cache-Control"] == "no-store"


def test_form_errors_are_in_the_pages_variant(client) -> None:
    html = client.post("/zh-hant/situation/summary", data={"due_date": "", "overdue_amount": "1"}).text
    assert "請填寫沒還上的那一期的還款日。" in html


def test_pdf_form_post_with_errors_shows_the_form_not_a_pdf(client) -> None:
    response = client.post("/zh-hans/situation/summary.pdf", data={**FORM})
    assert response.status_code == 422
    assert response.mimetype == "text/html"


def test_rate_errors_give_rate_examples_not_money(client) -> None:
    errors = errors_of(api(client, {**VALID, "penalty_daily_rate_percent": "万分之5", "annual_rate_percent": "x"}))
    assert errors["penalty_daily_rate_percent"][1] == "罚息利率：请填写每天的百分比，只写数字，例如0.05。"
    assert "1500" not in errors["annual_rate_percent"][1] and "18" in errors["annual_rate_percent"][1]


def test_rates_and_amounts_come_back_without_exponents(client) -> None:
    body = api(
        client,
        '{"due_date": "2026-10-01", "as_of": "2026-10-02", "overdue_amount": 1e4, "penalty_daily_rate_percent": 5e-2}',
    ).get_json()
    assert body["penalty"]["daily_rate_percent"] == "0.05"
    assert body["penalty"]["to_date"] == "5.00"


def test_form_summary_uses_the_converted_penalty_rate(client) -> None:
    html = client.post(
        "/zh-hans/situation/summary",
        data={
            "as_of": "2026-11-28",
            "due_date": "2026-10-01",
            "overdue_amount": "10,000",
            "penalty_daily_rate_percent": "5",
            "penalty_rate_unit": "wan",
        },
    ).text
    assert "¥10,000.00 × 0.05% × 58天 = <strong>¥290.00</strong>" in html


def test_the_largest_valid_answers_still_print(app, client, monkeypatch) -> None:
    # This pins the page limit's headroom, not speed: on a loaded 2-core machine the render may take longer.
    monkeypatch.setattr(state(app).pdf_renderer, "time_limit", 300.0)
    log = {
        f"contact_log-{i}-{k}": v
        for i in range(100)
        for k, v in (("date", "2026-11-01"), ("channel", "sms"), ("note", "很长的备注" * 40))
    }
    response = client.post("/zh-hans/situation/summary.pdf", data={**VALID, **log})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"


def test_a_summary_too_long_to_print_is_a_field_error_not_a_failure(app, client, monkeypatch) -> None:
    monkeypatch.setattr(state(app), "settings", replace(state(app).settings, SUMMARY_MAX_PAGES=2))
    log = {
        f"contact_log-{i}-{k}": v
        for i in range(30)
        for k, v in (("date", "2026-11-01"), ("channel", "sms"), ("note", "备注" * 50))
    }
    response = client.post("/zh-hans/situation/summary.pdf", data={**VALID, **log})
    assert response.status_code == 422
    assert "太长，无法打印" in response.text
    api = client.post(
        "/api/v1/summary.pdf",
        json={**VALID, "contact_log": [{"date": "2026-11-01", "channel": "sms", "note": "备注" * 50}] * 30},
    )
    assert api.status_code == 422
    assert api.get_json()["errors"][0]["code"] == "too_long_to_print"


def test_form_post_over_the_body_limit_gets_a_translated_page(client) -> None:
    response = client.post("/zh-hant/situation/summary", data={**VALID, "platform": "x" * 300_000})
    assert response.status_code == 413
    assert "一次發送的內容太多了" in response.text
