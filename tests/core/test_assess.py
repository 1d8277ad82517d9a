"""The assessment as a pure function: each golden situation (tests/situation_cases.py) through `assess()`, and
each next step walked to from the answers that lead to it (GOV.UK Smart Answers' flow tests are the model)."""

from datetime import date

import pytest

from tests.helpers import GUIDES_DIR
from tests.situation_cases import AS_OF, CASES, Case, base
from webapp.content import ContentError, Library, check_step_links
from webapp.situation.assess import CONDITIONS, Assessment, assess, unknown_conditions
from webapp.situation.model import answers_from
from webapp.situation.rules import Rules

TODAY = date.fromisoformat(AS_OF)


def assessed(rules: Rules, **answers: object) -> Assessment:
    return assess(answers_from(base(**answers), None), rules, TODAY)


def step_ids(rules: Rules, **answers: object) -> list[str]:
    return [a.id for a in assessed(rules, **answers).actions]


@pytest.mark.parametrize(("name", "case"), CASES.items(), ids=list(CASES))
def test_golden_situation(rules: Rules, name: str, case: Case) -> None:
    result = assess(answers_from(case.answers, None), rules, TODAY).model_dump(mode="json")
    assert result["days_overdue"] == case.days_overdue
    assert result["stage"] == case.stage
    if case.penalty is not None:
        assert result["penalty"] == case.penalty
    if case.interest_cap is not None:
        assert {k: result["interest_cap"][k] for k in case.interest_cap} == case.interest_cap
    ids = [a["id"] for a in result["actions"]]
    assert [a for a in ids if a in case.actions] == case.actions
    assert not set(case.not_actions) & set(ids)
    if case.levels:
        assert {c["contact"]: c["level"] for c in result["conduct"]} == case.levels
    for contact, rows in case.log_rows.items():
        assert next(c["log_rows"] for c in result["conduct"] if c["contact"] == contact) == rows, contact
    if case.warnings is not None:
        assert [w["code"] for w in result["warnings"]] == case.warnings


# Each next step, declared once in guides/data/actions.yaml, and answers that lead to it and answers that do not.
STEP_FLOWS: dict[str, tuple[dict[str, object], dict[str, object] | None]] = {
    "safety_first": ({"contacts": ["violence_or_detention"]}, {"contacts": ["threats_or_insults"]}),
    "report_unlawful": ({"contacts": ["public_exposure"]}, {"contacts": ["home_visit"]}),
    "know_the_debt": ({}, None),
    "contact_before_due": ({"due_date": "2026-12-05"}, {}),
    "contact_platform": ({}, {"due_date": "2026-12-05"}),
    "make_plan": ({}, {"monthly_payment": "500"}),
    "cannot_pay_now": ({"monthly_payment": "0"}, {"monthly_payment": "500"}),
    "plan_too_long": ({"monthly_payment": "100"}, {"monthly_payment": "5000"}),
    "follow_plan": ({"monthly_payment": "5000"}, {"monthly_payment": "100"}),
    "rate_above_cap": (
        {"contract_date": "2025-06-01", "annual_rate_percent": "24", "lender_type": "private"},
        {"contract_date": "2025-06-01", "annual_rate_percent": "24", "lender_type": "licensed"},
    ),
    "check_rate": (
        {"lender_type": "licensed"},
        {"contract_date": "2025-06-01", "annual_rate_percent": "24", "lender_type": "private"},
    ),
    "stay_reachable": ({"reachable": False}, {}),
    "protect_contacts": ({"contacts": ["call_employer"]}, {"contacts": ["phone"]}),
    "complain_night_calls": (
        {"contact_log": [{"date": "2026-11-20", "time": "23:10", "channel": "phone"}]},
        {"contact_log": [{"date": "2026-11-20", "time": "23:10", "channel": "threats_or_insults"}]},
    ),
    "visit_rights": ({"contacts": ["workplace_visit"]}, {"contacts": ["sms"]}),
    "check_credit_report": ({}, {"due_date": "2026-12-05"}),
    "keep_evidence": ({"due_date": "2026-12-05"}, None),
    "prepare_for_lawsuit": ({"due_date": "2026-08-01"}, {"due_date": "2026-08-01", "stage_hint": "court_papers"}),
    "answer_payment_order": ({"stage_hint": "payment_order"}, {"stage_hint": "judgment"}),
    "answer_court_papers": ({"stage_hint": "court_papers"}, {}),
    "after_judgment": ({"stage_hint": "judgment"}, {"stage_hint": "enforcement"}),
    "under_enforcement": ({"stage_hint": "enforcement"}, {"stage_hint": "none"}),
    "beware_scams": ({}, None),
}


@pytest.mark.parametrize("step", STEP_FLOWS)
def test_answers_lead_to_each_next_step(rules: Rules, step: str) -> None:
    leads, does_not = STEP_FLOWS[step]
    assert step in step_ids(rules, **leads)
    if does_not is not None:
        assert step not in step_ids(rules, **does_not)


def test_every_declared_step_has_a_flow(rules: Rules) -> None:
    declared = [a.id for a in rules.texts["zh-hans"].actions]
    assert sorted(declared) == sorted(STEP_FLOWS)
    assert len(set(declared)) == len(declared)  # each outcome declared once


def test_every_condition_is_used_and_every_named_one_exists(rules: Rules) -> None:
    assert unknown_conditions(rules) == []
    assert {a.when for a in rules.texts["zh-hans"].actions} == set(CONDITIONS)


def test_steps_come_in_the_datas_order(rules: Rules) -> None:
    order = [a.id for a in rules.texts["zh-hans"].actions]
    ids = step_ids(rules, contacts=["violence_or_detention", "home_visit", "call_contacts"], reachable=False)
    assert ids == sorted(ids, key=order.index)
    assert ids[0] == "safety_first"


def test_a_misspelt_condition_is_caught(rules: Rules) -> None:
    texts = rules.texts["zh-hans"]
    broken = type(texts.actions[0])(id="x", when="alway", title="t", why="w", sources=())
    bad_rules = type(rules)(
        **{**rules.__dict__, "texts": {"zh-hans": type(texts)(**{**texts.__dict__, "actions": (broken,)})}}
    )
    assert unknown_conditions(bad_rules) == ["alway"]


def with_step_guide(rules: Rules, guide: str) -> Rules:
    texts = rules.texts["zh-hans"]
    step = type(texts.actions[0])(id="x", when="always", title="t", why="w", sources=(), guide=guide)
    only_step = type(texts)(**{**texts.__dict__, "actions": (step,)})
    return type(rules)(**{**rules.__dict__, "texts": {"zh-hans": only_step}})


def test_every_step_links_to_a_section_that_exists(rules: Rules, library: Library) -> None:
    check_step_links(rules, library, GUIDES_DIR / "data")  # raises if one does not
    check_step_links(with_step_guide(rules, "court-papers#is-it-real"), library, GUIDES_DIR / "data")


@pytest.mark.parametrize("guide", ["court-papers#no-such-section", "no-such-guide", "no-such-guide#is-it-real"])
def test_a_step_linking_to_a_missing_guide_or_section_stops_start_up(rules: Rules, library: Library, guide: str):
    with pytest.raises(ContentError, match=f"next step x links to '{guide}': no such section"):
        check_step_links(with_step_guide(rules, guide), library, GUIDES_DIR / "data")


@pytest.mark.parametrize(
    ("answers", "step", "guide"),
    [
        ({"due_date": "2026-08-01"}, "prepare_for_lawsuit", ("court-papers", "is-it-real")),
        ({}, "check_credit_report", ("credit-report", "get-report")),
        ({}, "beware_scams", ("scams", "key-points")),
        ({"contacts": ["home_visit"]}, "visit_rights", ("58-finance-overdue", "your-rights-at-the-door")),
    ],
)
def test_next_steps_point_to_the_guide_that_says_more(rules: Rules, answers: dict, step: str, guide: tuple) -> None:
    [action] = [a for a in assessed(rules, **answers).actions if a.id == step]
    assert action.guide is not None and (action.guide.slug, action.guide.section) == guide


def test_every_reader_is_warned_of_scams(rules: Rules) -> None:
    assert step_ids(rules)[-1] == "beware_scams"
