"""Several debts and a budget through the JSON API: the plan in the assessment, errors that name the debt and its
field in the reader's script, and the OpenAPI document that describes both."""

import pytest

DEBTS = {
    "as_of": "2026-11-28",
    "debts": [
        {"lender": "银行", "lender_type": "licensed", "overdue_amount": "2000", "due_date": "2026-09-01"},
        {"lender": "某网贷", "overdue_amount": "1500", "due_date": "2026-10-01", "stage_hint": "payment_order"},
    ],
    "budget": {"monthly_income": "5200", "essential_costs": "4500", "dependants": 1},
}


def assessment(client, body: dict):
    return client.post("/api/v1/assessment", json=body)


def test_the_assessment_carries_the_plan_and_each_debt(client) -> None:
    response = assessment(client, DEBTS)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["days_overdue"], body["stage"], body["repayment_plan"]) == (None, None, None)
    assert [d["days_overdue"] for d in body["debts"]] == [88, 58]
    plan = body["plan"]
    assert [(p["debt"], p["group"]) for p in plan["order"]] == [(1, "payment_order"), (0, "credit_reported")]
    # 700 x 2000/3500 = 400, 700 x 1500/3500 = 300: exact, nothing left over.
    assert [(o["debt"], o["monthly"], o["months"], o["share"]) for o in plan["offers"]] == [
        (1, "300.00", 5, "0.4286"),
        (0, "400.00", 5, "0.5714"),
    ]
    assert plan["available"] == "700.00"


@pytest.mark.parametrize(
    ("change", "field", "code", "words"),
    [
        ({"debts": [{"lender": "甲", "overdue_amount": "5", "outstanding_total": "1", "due_date": "2026-10-01"}]},
         "debts.0.outstanding_total", "outstanding_below_overdue", "第1笔欠款"),
        ({"debts": [DEBTS["debts"][0], {"lender": "乙", "overdue_amount": "x", "due_date": "2026-10-01"}]},
         "debts.1.overdue_amount", "decimal_parsing", "第2笔欠款"),
        ({"due_date": "2026-10-01"}, "debts", "one_debt_and_debts", "你的欠款"),
        ({"budget": {"monthly_income": "1"}}, "budget.essential_costs", "missing", "每月必要开支"),
        ({"contact_log": [{"date": "2026-11-01", "channel": "sms", "debt": 5}]}, "contact_log", "log_debt_unknown", ""),
    ],
)  # fmt: skip
def test_errors_name_the_debt_and_its_field(client, change: dict, field: str, code: str, words: str) -> None:
    response = assessment(client, {**DEBTS, **change})
    assert response.status_code == 422
    errors = {e["field"]: (e["code"], e["message"]) for e in response.get_json()["errors"]}
    assert errors[field][0] == code
    assert words in errors[field][1] and "%(" not in errors[field][1]


def test_errors_in_traditional_name_the_debt_in_traditional(client) -> None:
    bad = {**DEBTS, "variant": "zh-Hant", "debts": [{**DEBTS["debts"][0], "overdue_amount": "x"}]}
    errors = {e["field"]: e["message"] for e in assessment(client, bad).get_json()["errors"]}
    assert errors["debts.0.overdue_amount"].startswith("第1筆欠款")


def test_one_debt_answers_are_assessed_as_before(client) -> None:
    body = assessment(client, {"as_of": "2026-11-28", "due_date": "2026-10-01", "overdue_amount": "100"}).get_json()
    assert (body["days_overdue"], body["stage"], body["debts"], body["plan"]) == (58, "m2", None, None)


def test_openapi_describes_debts_budget_and_plan(client) -> None:
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    answers = schemas["Answers"]["properties"]
    assert {"debts", "budget", "stage_hint"} <= answers.keys()
    assert {"plan", "debts"} <= schemas["Assessment"]["properties"].keys()
    assert {"available", "order", "offers", "shortfall", "warnings"} <= schemas["Plan"]["properties"].keys()
