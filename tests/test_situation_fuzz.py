"""Fuzzing: random answers never crash the model, the assessment or the API (no 500, ever)."""

import json
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from webapp import create_app
from webapp.field_errors import from_validation_error
from webapp.situation.model import Answers, Contact

pytestmark = pytest.mark.slow

FIELDS = list(Answers.model_fields)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=50),
    st.dates().map(str),
    st.sampled_from([c.value for c in Contact] + ["licensed", "private", "zh-Hant", "0", "1e400", "-0"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
answers = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), values, max_size=10)
plausible = st.fixed_dictionaries(
    {
        "due_date": st.dates().map(str),
        "overdue_amount": st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**7), places=2).map(str),
    },
    optional={
        "as_of": st.dates().map(str),
        "penalty_daily_rate_percent": st.decimals(min_value=0, max_value=100, places=4).map(str),
        "monthly_payment": st.decimals(min_value=0, max_value=Decimal(10**7), places=2).map(str),
        "contract_date": st.dates().map(str),
        "annual_rate_percent": st.decimals(min_value=0, max_value=10_000, places=2).map(str),
        "contacts": st.lists(st.sampled_from([c.value for c in Contact]), unique=True),
        "reachable": st.booleans(),
        "lender_type": st.sampled_from(["licensed", "private", "unknown"]),
        "variant": st.sampled_from(["zh-Hans", "zh-Hant"]),
        "platform": st.text(min_size=1, max_size=40),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=answers)
def test_model_accepts_or_explains_any_input(app, data: dict) -> None:
    try:
        Answers.model_validate(data)
    except Exception as error:
        from pydantic import ValidationError

        assert isinstance(error, ValidationError)
        with app.test_request_context("/zh-hant/"):
            assert all(e.message for e in from_validation_error(error))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(answers, plausible))
def test_assessment_api_never_fails(client, data: dict) -> None:
    response = client.post("/api/v1/assessment", data=json.dumps(data, default=str), content_type="application/json")
    assert response.status_code in (200, 422), response.get_data(as_text=True)[:300]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.dictionaries(
        st.sampled_from(
            [*FIELDS, "penalty_rate_unit", "contact_log-0-note", "contact_log-7-date", "contact_log-0-channel"]
        ),
        st.text(max_size=30),
        max_size=12,
    )
)
def test_form_never_fails(client, data: dict) -> None:
    response = client.post("/zh-hans/situation/summary", data=data)
    assert response.status_code in (200, 422)


# Loaded at collection: schemathesis generates one test per operation from the app's own OpenAPI document.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    create_app({"TESTING": True, "PDF_PRERENDER": False, "PDF_WARM_UP": False, "RATELIMIT_ENABLED": False}),
)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case) -> None:
    # Every default check but one: JSON Schema cannot state cross-field rules (everything owed >= the overdue
    # amount; the contract before the due date), so a schema-valid body may still rightly get a 422.
    # Identity encoding: schemathesis's WSGI transport does not decode brotli (compression is tested elsewhere).
    case.call_and_validate(excluded_checks=[positive_data_acceptance], headers={"Accept-Encoding": "identity"})


# Form posts as readers (and mistakes) make them: numbers with and without units, huge and tiny, with every unit
# the list offers and some it does not, amounts in readers' notation, timestamps for dates, odd times.
extremes = st.sampled_from(["1e999999", "9" * 5000, "0." + "0" * 400 + "1", "-5", "NaN", "١٢", "１２", "1_0", ""])
numbers = st.one_of(
    extremes,
    st.integers(min_value=0, max_value=10**400).map(str),
    st.decimals(min_value=0, max_value=Decimal(10**15), allow_nan=False, allow_infinity=False).map(str),
)
rate_texts = st.one_of(
    numbers,
    st.builds(
        lambda before, number, after: f"{before}{number}{after}",
        st.sampled_from(["", "万分之", "千分之", "日息", "年化", "每天", "罚息"]),
        numbers | st.sampled_from(["五", "三点五", "十五", "二十"]),
        st.sampled_from(["", "%", "％", "‱", "‰", "/天", "/年", "万"]),
    ),
)
money_texts = st.builds(
    lambda before, number, after: f"{before}{number}{after}",
    st.sampled_from(["", "¥", "￥", "人民币"]),
    numbers,
    st.sampled_from(["", "元", "万", "万元"]),
)
day_texts = st.one_of(st.dates().map(str), st.sampled_from(["1700000000", "２０２６-１０-０１", "2026-02-30", ""]))
form_posts = st.fixed_dictionaries(
    {"due_date": day_texts, "overdue_amount": money_texts},
    optional={
        "as_of": day_texts,
        "penalty_daily_rate_percent": rate_texts,
        "penalty_rate_unit": st.sampled_from(["", "daily_percent", "wan", "annual_percent", "bogus"]),
        "confirm_rate": numbers,
        "annual_rate_percent": rate_texts,
        "contract_date": day_texts,
        "lender_type": st.sampled_from(["licensed", "private", "unknown", "bank"]),
        "monthly_payment": money_texts,
        "outstanding_total": money_texts,
        "contact_log-0-date": day_texts,
        "contact_log-0-time": st.sampled_from(["23:40", "07:59", "08:00", "25:00", "12345", "", "２３:４０"]),
        "contact_log-0-channel": st.sampled_from([c.value for c in Contact] + ["pigeon"]),
        "contact_log-0-note": st.text(max_size=30),
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=form_posts, route=st.sampled_from(["situation", "situation/summary"]))
def test_no_form_post_ever_fails(client, data: dict, route: str) -> None:
    response = client.post(f"/zh-hans/{route}", data=data)
    assert response.status_code in (200, 422), response.get_data(as_text=True)[:300]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=form_posts)
def test_no_form_post_for_a_pdf_ever_fails(client, data: dict) -> None:
    response = client.post("/zh-hant/situation/summary.pdf", data=data)
    assert response.status_code in (200, 422), response.get_data(as_text=True)[:300]
