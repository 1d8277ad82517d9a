"""Several debts and a budget (DESIGN, "Several debts and a budget"): golden plans worked out by hand, and the
properties every plan keeps (offers never above what is available, summing to it when the debts are larger)."""

from datetime import date
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.situation_cases import AS_OF
from webapp.situation.assess import Assessment, assess
from webapp.situation.model import answers_from
from webapp.situation.plan import split
from webapp.situation.rules import Rules

TODAY = date.fromisoformat(AS_OF)


def debt(lender: str, overdue: str, due: str = "2026-10-01", **more: object) -> dict[str, object]:
    return {"lender": lender, "overdue_amount": overdue, "due_date": due, **more}


def planned(rules: Rules, debts: list[dict[str, object]], **answers: object) -> Assessment:
    return assess(answers_from({"as_of": AS_OF, "debts": debts, **answers}, None), rules, TODAY)


def offers(result: Assessment) -> dict[int, tuple[str, int | None]]:
    assert result.plan is not None
    return {o.debt: (o.monthly, o.months) for o in result.plan.offers}


def steps(result: Assessment, index: int) -> list[str]:
    assert result.debts is not None
    return [a.id for a in result.debts[index].actions]


def test_nothing_left_after_essentials_invents_no_payment(rules: Rules) -> None:
    result = planned(
        rules,
        [debt("甲", "2000"), debt("乙", "500", lender_type="licensed")],
        budget={"monthly_income": "3000", "essential_costs": "3200", "dependants": 2},
    )
    plan = result.plan
    assert plan is not None
    assert (plan.available, plan.available_from, plan.essentials_gap) == ("0.00", "budget", "200.00")
    assert offers(result) == {1: ("0.00", None), 0: ("0.00", None)}
    assert plan.warnings == ["nothing_available", "essentials_exceed_income", "shortfall"]
    assert (plan.due_total, plan.shortfall) == ("2500.00", "2500.00")
    for index in (0, 1):  # each debt says it cannot be paid now; none is given a payment to follow
        assert "cannot_pay_now" in steps(result, index)
        assert "follow_plan" not in steps(result, index)


def test_a_debt_in_court_comes_first_and_the_remainder_goes_to_it(rules: Rules) -> None:
    result = planned(
        rules,
        [
            debt("银行", "2000", "2026-09-01", lender_type="licensed"),
            debt("某网贷", "1500", "2026-10-01", stage_hint="court_papers"),
            debt("朋友", "800", "2026-08-01"),
        ],
        monthly_payment="700",
    )
    plan = result.plan
    assert plan is not None
    assert [(p.debt, p.group) for p in plan.order] == [(1, "court_papers"), (0, "credit_reported"), (2, "other")]
    assert all(p.reason and p.sources for p in plan.order)  # every place has a sourced reason
    # 700 x 2000/4300 = 325.581.. ; 700 x 1500/4300 = 244.186.. ; 700 x 800/4300 = 130.232.. ; rounded down they
    # leave 0.01, which goes to the first in the order.
    assert offers(result) == {1: ("244.19", 7), 0: ("325.58", 7), 2: ("130.23", 7)}
    assert [o.share for o in plan.offers] == ["0.3488", "0.4651", "0.1860"]
    assert (plan.available, plan.available_from, plan.owed_total) == ("700.00", "monthly_payment", "4300.00")
    assert (plan.due_total, plan.shortfall) == ("4300.00", "3600.00")
    assert "answer_court_papers" in steps(result, 1)
    assert "prepare_for_lawsuit" not in steps(result, 1)  # the papers are here: the step that warns of them is not
    assert "prepare_for_lawsuit" in steps(result, 2)  # 119 days overdue, nothing received yet


def test_a_remainder_to_the_fen(rules: Rules) -> None:
    result = planned(
        rules,
        [debt("甲", "100"), debt("乙", "100"), debt("丙", "100")],
        budget={"monthly_income": "1000", "essential_costs": "900"},
    )
    assert offers(result) == {0: ("33.34", 3), 1: ("33.33", 4), 2: ("33.33", 4)}
    assert result.plan is not None and [o.share for o in result.plan.offers] == ["0.3333"] * 3


def test_the_smaller_of_budget_and_monthly_figure_is_available(rules: Rules) -> None:
    result = planned(
        rules,
        [debt("甲", "9000")],
        budget={"monthly_income": "5000", "essential_costs": "3000"},
        monthly_payment="1500",
    )
    assert result.plan is not None
    assert (result.plan.available, result.plan.available_from) == ("1500.00", "both")


def test_enough_for_everything_offers_each_debt_in_full(rules: Rules) -> None:
    result = planned(
        rules,
        [debt("甲", "1000"), debt("乙", "500", outstanding_total="600")],
        budget={"monthly_income": "9000", "essential_costs": "3000"},
    )
    assert offers(result) == {0: ("1000.00", 1), 1: ("600.00", 1)}
    assert result.plan is not None and result.plan.warnings == ["covers_all"]


def test_twenty_debts(rules: Rules) -> None:
    debts = [debt(f"平台{i + 1}", str((i + 1) * 100), f"2026-{(i % 9) + 1:02d}-15") for i in range(20)]
    debts[19]["stage_hint"] = "enforcement"
    debts[3]["lender_type"] = "licensed"
    debts[7]["due_date"] = "2026-12-20"  # not yet due: left out of what is due now
    result = planned(rules, debts, budget={"monthly_income": "6000", "essential_costs": "5000"})
    plan = result.plan
    assert plan is not None and result.debts is not None and len(result.debts) == 20
    order = [p.debt for p in plan.order]
    assert order[:2] == [19, 3]  # enforcement, then the licensed lender
    # The rest: longest overdue first (due in January, then February, ...), the larger debt first on the same day.
    assert order[2:] == [18, 9, 0, 10, 1, 11, 2, 12, 13, 4, 14, 5, 15, 6, 16, 17, 8, 7]
    # 1000 x k/210 for k = 1..20, rounded down; the 0.10 left over goes to the first, the 2000 under enforcement.
    expected = [
        "4.76", "9.52", "14.28", "19.04", "23.80", "28.57", "33.33", "38.09", "42.85", "47.61",
        "52.38", "57.14", "61.90", "66.66", "71.42", "76.19", "80.95", "85.71", "90.47", "95.33",
    ]  # fmt: skip
    assert [o.monthly for o in sorted(plan.offers, key=lambda o: o.debt)] == expected
    assert sum(Decimal(o.monthly) for o in plan.offers) == Decimal("1000.00")
    assert (plan.owed_total, plan.due_total, plan.shortfall) == ("21000.00", "20200.00", "19200.00")
    assert all(o.months == 22 for o in plan.offers if o.debt != 19)  # each about 21 months' worth, rounded up
    assert "under_enforcement" in steps(result, 19)


def test_without_budget_there_is_an_order_and_no_offer(rules: Rules) -> None:
    result = planned(rules, [debt("甲", "100"), debt("乙", "200", stage_hint="payment_order")])
    assert result.plan is not None
    assert [p.debt for p in result.plan.order] == [1, 0]
    assert (result.plan.offers, result.plan.available, result.plan.warnings) == ([], None, ["no_budget"])
    assert "make_plan" in steps(result, 0)


def test_the_reader_steps_come_once_and_each_debt_has_its_own(rules: Rules) -> None:
    result = planned(
        rules,
        [debt("甲", "100"), debt("乙", "200")],
        contacts=["call_contacts"],
        contact_log=[{"date": "2026-11-02", "time": "23:10", "channel": "phone", "debt": 1}],
    )
    assert {a.id for a in result.actions} >= {"protect_contacts", "complain_night_calls", "beware_scams"}
    assert not {a.id for a in result.actions} & {"know_the_debt", "contact_platform"}
    assert result.debts is not None
    assert "beware_scams" not in steps(result, 0)
    assert [c.contact for c in result.debts[1].conduct] == ["phone", "night_contact"]  # its own log rows
    assert result.debts[0].conduct == []
    assert result.debts[0].actions[0].title.startswith("向甲")  # each debt's steps name its lender


def test_a_rate_to_check_names_the_debts_field(rules: Rules) -> None:
    result = planned(rules, [debt("甲", "100"), debt("乙", "200", penalty_daily_rate_percent="5")])
    assert result.debts is not None
    assert [(w.code, w.field) for w in result.debts[1].warnings] == [
        ("rate_implausible", "debts.1.penalty_daily_rate_percent")
    ]


@pytest.mark.parametrize(
    ("answers", "where"),
    [
        ({"debts": [debt("甲", "1")], "due_date": "2026-10-01"}, ("one_debt_and_debts", ())),
        ({"debts": [debt("甲", "1")] * 21}, ("too_long", ("debts",))),
        ({"debts": []}, ("too_short", ("debts",))),
        ({"debts": [debt("", "1")]}, ("string_too_short", ("debts", 0, "lender"))),
        ({"debts": [debt("甲", "5", outstanding_total="1")]}, ("outstanding_below_overdue", ("debts", 0))),
        ({"debts": [debt("甲", "5", stage_hint="arrested")]}, ("enum", ("debts", 0, "stage_hint"))),
        (
            {"debts": [debt("甲", "5")], "contact_log": [{"date": "2026-11-01", "channel": "sms", "debt": 1}]},
            ("log_debt_unknown", ()),
        ),
        ({"debts": [debt("甲", "5")], "budget": {"monthly_income": "1"}}, ("missing", ("budget", "essential_costs"))),
        (
            {"debts": [debt("甲", "5")], "budget": {"monthly_income": "1", "essential_costs": "0", "dependants": 21}},
            ("less_than_equal", ("budget", "dependants")),
        ),
    ],
)
def test_bad_debts_and_budgets_are_refused(answers: dict[str, object], where: tuple[str, tuple]) -> None:
    with pytest.raises(ValidationError) as refused:
        answers_from({"as_of": AS_OF, **answers}, None)
    assert (where[0], where[1]) in [(e["type"], e["loc"]) for e in refused.value.errors()]


def test_one_debt_answers_still_need_their_due_date_and_amount() -> None:
    with pytest.raises(ValidationError) as refused:
        answers_from({"as_of": AS_OF, "overdue_amount": "12x"}, None)
    assert [(e["type"], e["loc"]) for e in refused.value.errors()] == [
        ("missing", ("due_date",)),
        ("decimal_parsing", ("overdue_amount",)),
    ]


FEN_AMOUNTS = st.integers(min_value=1, max_value=1_000_000_000).map(lambda fen: Decimal(fen).scaleb(-2))


@settings(max_examples=300, deadline=None)
@given(
    owed=st.lists(FEN_AMOUNTS, min_size=1, max_size=20),
    available_fen=st.integers(min_value=0, max_value=2_000_000_000),
    data=st.data(),
)
def test_offers_never_exceed_what_is_available_and_sum_to_it_when_the_debts_are_larger(
    owed: list[Decimal], available_fen: int, data: st.DataObject
) -> None:
    available = Decimal(available_fen).scaleb(-2)
    ranked = data.draw(st.permutations(range(len(owed))))
    result = split(available, owed, ranked)
    assert sum(result) <= available
    assert all(Decimal(0) <= offer <= debt for offer, debt in zip(result, owed, strict=True))
    assert all(offer == offer.quantize(Decimal("0.01")) for offer in result)
    total = sum(owed)
    if total >= available:
        assert sum(result) == available
        # Pro rata, rounded down to the fen; the fen left over go to the first in the order, to the next only as
        # far as every debt before it is paid in full.
        floors = [(available * debt / total).quantize(Decimal("0.01"), rounding=ROUND_DOWN) for debt in owed]
        assert all(offer >= floor for offer, floor in zip(result, floors, strict=True))
        topped = [position for position, index in enumerate(ranked) if result[index] > floors[index]]
        if topped:
            assert all(result[index] == owed[index] for index in ranked[: topped[-1]])
    else:
        assert result == owed


@settings(max_examples=40, deadline=None)
@given(
    owed=st.lists(st.integers(min_value=1, max_value=50_000_000), min_size=1, max_size=20),
    income=st.integers(min_value=0, max_value=10_000_000),
    essentials=st.integers(min_value=0, max_value=10_000_000),
)
def test_a_whole_plan_keeps_to_the_budget(rules: Rules, owed: list[int], income: int, essentials: int) -> None:
    debts = [debt(f"平台{i}", str(Decimal(fen).scaleb(-2))) for i, fen in enumerate(owed)]
    budget = {"monthly_income": str(Decimal(income).scaleb(-2)), "essential_costs": str(Decimal(essentials).scaleb(-2))}
    result = planned(rules, debts, budget=budget)
    assert result.plan is not None
    available = Decimal(result.plan.available or "0")
    assert available == max(Decimal(income - essentials).scaleb(-2), Decimal(0))
    paid = sum(Decimal(o.monthly) for o in result.plan.offers)
    assert paid <= available
    if Decimal(result.plan.owed_total) >= available:
        assert paid == available
    assert sorted(p.debt for p in result.plan.order) == list(range(len(owed)))
