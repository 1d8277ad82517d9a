"""Rates without traps: the form reads the unit the reader chose or typed, never one they did not; a daily rate
above 0.1% is shown back to confirm; amounts may be typed as readers write them; no rate breaks a form route."""

from decimal import Decimal

import pytest

from tests.helpers import pdftotext, readable_text, squash
from webapp.situation.forms import FormProblem, RateReading, money_text, read_rate
from webapp.state import state
from webapp.variants import HANT

DAY = {"as_of": "2026-11-28", "due_date": "2026-10-01"}  # 58 days overdue


# What the reader typed, the unit chosen from the list ("" = none) -> the rate per day in percent, or the problem.
READINGS = [
    ("5", "wan", "0.05"),
    ("万分之5", "", "0.05"),
    ("万分之五", "", "0.05"),
    ("日万分之五", "", "0.05"),
    ("万分之三点五", "", "0.035"),
    ("5‱", "", "0.05"),
    ("千分之一", "", "0.1"),
    ("0.05%", "", "0.05"),
    ("０．０５％", "", "0.05"),
    ("日息0.05%", "", "0.05"),
    ("0.05%/天", "", "0.05"),
    ("0.05", "daily_percent", "0.05"),
    ("0.05%", "daily_percent", "0.05"),
    ("年化18%", "", "0.05"),
    ("18", "annual_percent", "0.05"),
    ("年化24%", "", "0.066667"),  # 24 / 360, to the six places a rate carries
    ("萬分之5", "", "0.05"),  # as a zh-Hant reader types it
    ("日萬分之三點五", "", "0.035"),
    ("罰息日息0.05%", "", "0.05"),
    ("5", "", "rate_unit_missing"),  # the trap: a bare 5 is never read as 5% a day
    ("0.05", "", "rate_unit_missing"),
    ("万分之5", "daily_percent", "rate_unit_conflict"),
    ("0.05%", "wan", "rate_unit_conflict"),
    ("日息0.05%", "annual_percent", "rate_unit_conflict"),
    ("年化18%", "wan", "rate_unit_conflict"),
    ("五块", "", "rate_format"),
    ("万分之5%", "", "rate_format"),
    ("日年0.05", "", "rate_format"),
    ("1e999", "wan", "rate_format"),
    ("9" * 13, "wan", "rate_format"),
]


@pytest.mark.parametrize(("typed", "unit", "expected"), READINGS)
def test_the_form_reads_the_unit_chosen_or_typed_and_nothing_else(typed: str, unit: str, expected: str) -> None:
    reading = read_rate(typed, unit)
    if isinstance(reading, FormProblem):
        assert reading.code == expected
    else:
        assert isinstance(reading, RateReading)
        assert reading.daily_percent == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12000", "12000"),
        ("12,000", "12000"),
        ("¥12000", "12000"),
        ("￥12,000.50", "12000.50"),
        ("１２０００", "12000"),
        ("1.2万", "12000"),
        ("１．２万元", "12000"),
        ("12000元", "12000"),
        ("人民币3000", "3000"),
        ("1.2萬", "12000"),
        ("人民幣3000元", "3000"),
        # Left for the model to refuse, naming the field:
        ("1,2000", "1,2000"),
        ("١٢٣٤", "١٢٣٤"),
        ("1_000", "1_000"),
        ("一万", "一万"),
    ],
)
def test_money_is_read_as_readers_write_it(typed: str, expected: str) -> None:
    assert money_text(typed) == expected


@pytest.mark.parametrize("typed", ["1.2万", "12,000", "¥12000", "１２０００", "12000元"])
def test_form_amounts_in_readers_own_notation_reach_the_summary(client, typed: str) -> None:
    response = client.post("/zh-hans/situation/summary", data={**DAY, "overdue_amount": typed})
    assert response.status_code == 200
    assert "<dd>¥12,000.00</dd>" in response.text


def test_a_zh_hant_reader_types_traditional_units(client) -> None:
    data = {**DAY, "overdue_amount": "1.2萬", "penalty_daily_rate_percent": "萬分之5"}
    response = client.post("/zh-hant/situation/summary", data=data)
    assert response.status_code == 200
    assert "12,000.00 × 0.05% × 58天" in response.text


@pytest.mark.parametrize("typed", ["١٢٣٤", "1_000", "12,00,0"])
def test_form_refuses_other_digits_and_keeps_the_answer(client, typed: str) -> None:
    response = client.post("/zh-hans/situation/summary", data={**DAY, "overdue_amount": typed, "platform": "某贷"})
    assert response.status_code == 422
    assert 'id="debts-0-overdue_amount-error">已逾期的金额：' in response.text
    assert f'value="{typed}"' in response.text and 'value="某贷"' in response.text


def test_a_bare_number_with_no_unit_is_an_error_not_five_percent_a_day(client) -> None:
    response = client.post(
        "/zh-hans/situation/summary", data={**DAY, "overdue_amount": "12000", "penalty_daily_rate_percent": "5"}
    )
    assert response.status_code == 422
    html = response.text
    assert (
        '<p class="field-error" id="debts-0-penalty_daily_rate_percent-error">罚息利率：请在列表里选择单位，'
        "或者把单位和数字一起填写，例如万分之5、0.05%或年化18%。</p>"
    ) in html
    assert 'value="12000"' in html  # the other answers are kept
    assert "35,400" not in html and "34,800" not in html


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
def test_a_unit_typed_and_a_different_unit_chosen_is_an_error(client, code: str) -> None:
    data = {
        **DAY,
        "overdue_amount": "12000",
        "penalty_daily_rate_percent": "万分之5",
        "penalty_rate_unit": "daily_percent",
    }
    response = client.post(f"/{code}/situation/summary", data=data)
    assert response.status_code == 422
    expected = "罚息利率：数字旁边写的单位和列表里选的单位不一样，请只保留一个。"
    if code == "zh-hant":
        expected = state(client.application).converter.convert(expected, HANT)
    assert expected in response.text
    assert '<option value="daily_percent" selected>' in response.text


FIVE_PERCENT = {
    **DAY,
    "overdue_amount": "12000",
    "penalty_daily_rate_percent": "5",
    "penalty_rate_unit": "daily_percent",
}


@pytest.mark.parametrize("route", ["/zh-hans/situation/summary", "/zh-hans/situation/summary.pdf"])
def test_a_daily_rate_above_a_tenth_of_a_percent_is_shown_back_to_confirm(client, route: str) -> None:
    response = client.post(route, data=FIVE_PERCENT)
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    text = readable_text(response.text)
    assert "请核对罚息利率" in text
    assert "“5”按每天5%计算，按一年365天算约为1825%。" in text
    assert "按¥12,000.00计算，到现在的罚息是¥34,800.00，再过30天是¥52,800.00。" in text
    assert 'name="debts-0-confirm_rate" value="5"' in response.text


def test_once_confirmed_the_summary_uses_the_rate_and_keeps_the_confirmation(client) -> None:
    response = client.post("/zh-hans/situation/summary", data={**FIVE_PERCENT, "confirm_rate": "5"})
    assert response.status_code == 200
    html = response.text
    assert "¥12,000.00 × 5% × 58天 = <strong>¥34,800.00</strong>" in html
    assert "这个罚息利率高得不寻常" in html
    # "Download PDF", "change answers" and the script switch carry the confirmation; the PDF is not asked again.
    assert html.count('name="debts-0-confirm_rate" value="5"') == 3
    assert client.post("/zh-hans/situation/summary.pdf", data={**FIVE_PERCENT, "confirm_rate": "5"}).status_code == 200


def test_a_confirmation_is_for_that_rate_only(client) -> None:
    changed = {**FIVE_PERCENT, "penalty_daily_rate_percent": "3", "confirm_rate": "5"}
    response = client.post("/zh-hans/situation/summary", data=changed)
    assert response.status_code == 422
    assert 'name="debts-0-confirm_rate" value="3"' in response.text


def test_a_plausible_rate_needs_no_confirmation(client) -> None:
    data = {**DAY, "overdue_amount": "12000", "penalty_daily_rate_percent": "0.1", "penalty_rate_unit": "daily_percent"}
    assert client.post("/zh-hans/situation/summary", data=data).status_code == 200


def test_the_api_warns_but_does_not_ask(client) -> None:
    body = client.post(
        "/api/v1/assessment", json={**DAY, "overdue_amount": "12000", "penalty_daily_rate_percent": "5"}
    ).get_json()
    assert body["warnings"] == [{"code": "rate_implausible", "field": "penalty_daily_rate_percent"}]
    assert body["penalty"]["annual_equivalent_percent"] == "1825"


HUGE = ["9" * 12, "9" * 12 + "." + "9" * 12, "1e999999", "万分之" + "9" * 12, "年化" + "9" * 12 + "%", "9" * 5000]


@pytest.mark.parametrize("unit", ["", "daily_percent", "wan", "annual_percent", "bogus"])
@pytest.mark.parametrize("typed", HUGE)
def test_no_rate_and_unit_breaks_a_form_route(client, typed: str, unit: str) -> None:
    data = {**DAY, "overdue_amount": "100", "penalty_daily_rate_percent": typed, "penalty_rate_unit": unit}
    for route in ("/zh-hans/situation", "/zh-hans/situation/summary", "/zh-hans/situation/summary.pdf"):
        response = client.post(route, data=data)
        assert response.status_code in (200, 422), (route, response.status_code)
        if route != "/zh-hans/situation":
            assert 'id="debts-0-penalty_daily_rate_percent-error"' in response.text


# Form-only golden cases: each way of giving the penalty rate -> the rate per day and the penalty the summary
# states, in the page and in both PDF variants. 10,000 overdue for 58 days.
FORM_CASES = {
    "万分之5 typed": ({"penalty_daily_rate_percent": "万分之5"}, "0.05", "290.00", "你填写的是"),
    "5 with 万分之N chosen": (
        {"penalty_daily_rate_percent": "5", "penalty_rate_unit": "wan"},
        "0.05",
        "290.00",
        "选择的单位是“每天万分之N”",
    ),
    "0.05% typed": ({"penalty_daily_rate_percent": "0.05%"}, "0.05", "290.00", "你填写的是"),
    "日息0.05% typed": ({"penalty_daily_rate_percent": "日息0.05%"}, "0.05", "290.00", "你填写的是"),
    "年化18% typed": ({"penalty_daily_rate_percent": "年化18%"}, "0.05", "290.00", "按一年360天折算成每天的利率"),
    "18 with per year chosen": (
        {"penalty_daily_rate_percent": "18", "penalty_rate_unit": "annual_percent"},
        "0.05",
        "290.00",
        "是年利率",
    ),
    "0.05 with per day chosen": (
        {"penalty_daily_rate_percent": "0.05", "penalty_rate_unit": "daily_percent"},
        "0.05",
        "290.00",
        "选择的单位是“每天%”",
    ),
    "5% a day, confirmed": (
        {"penalty_daily_rate_percent": "5", "penalty_rate_unit": "daily_percent", "confirm_rate": "5"},
        "5",
        "29000.00",
        "这个罚息利率高得不寻常",
    ),
}


@pytest.mark.parametrize(("name", "case"), FORM_CASES.items(), ids=list(FORM_CASES))
def test_each_way_of_giving_the_rate_reaches_the_summary_page(client, name: str, case: tuple) -> None:
    fields, daily, penalty, said = case
    html = client.post("/zh-hans/situation/summary", data={**DAY, "overdue_amount": "10000", **fields}).text
    amount = f"{Decimal(penalty):,.2f}"
    assert f"¥10,000.00 × {daily}% × 58天 = <strong>¥{amount}</strong>" in html
    assert said in readable_text(html)
    assert f"“{fields['penalty_daily_rate_percent']}”" in readable_text(html)  # what they typed, shown back


@pytest.mark.slow
@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize(("name", "case"), FORM_CASES.items(), ids=list(FORM_CASES))
def test_each_way_of_giving_the_rate_reaches_both_pdfs(app, client, name: str, case: tuple, code: str) -> None:
    fields, daily, penalty, said = case
    response = client.post(f"/{code}/situation/summary.pdf", data={**DAY, "overdue_amount": "10000", **fields})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = squash(pdftotext(response.data))
    amount = f"{Decimal(penalty):,.2f}"
    assert f"¥10,000.00×{daily}%×58" in text
    assert f"=¥{amount}" in text
    expected = state(app).converter.convert(said, HANT) if code == "zh-hant" else said
    assert squash(expected) in text
    assert squash(fields["penalty_daily_rate_percent"]) in text  # as typed, never converted
