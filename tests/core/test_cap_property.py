"""Properties of the interest-rate line, over any answers hypothesis can think of: the summary says "your rate is
above the cap" only where the private-lending rule applies and the rate really is above it."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.situation.assess import CapBasis, assess
from webapp.situation.model import Answers, LenderType
from webapp.situation.rules import Rules

dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))
rates = st.decimals(min_value=0, max_value=10_000, places=2)


@st.composite
def answers(draw: st.DrawFn) -> Answers:
    due = draw(dates)
    contract = draw(st.none() | st.dates(min_value=date(2015, 1, 1), max_value=due))
    return Answers(
        as_of=draw(dates),
        due_date=due,
        overdue_amount=Decimal("1000"),
        contract_date=contract,
        annual_rate_percent=draw(st.none() | rates),
        lender_type=draw(st.sampled_from(list(LenderType))),
    )


def lpr_on(rules: Rules, day: date) -> Decimal | None:
    published = [r.percent for r in rules.lpr if r.since <= day]
    return published[-1] if published else None


@settings(max_examples=400, deadline=None)
@given(a=answers(), today=dates)
def test_rate_above_cap_only_for_a_private_lender_above_four_times_the_lpr(
    rules: Rules, a: Answers, today: date
) -> None:
    result = assess(a, rules, today)
    ids = {step.id for step in result.actions}
    if "rate_above_cap" in ids:
        assert a.lender_type == LenderType.PRIVATE
        assert a.contract_date is not None and a.annual_rate_percent is not None
        assert a.contract_date >= date(2020, 8, 20)  # the contract-date rule; older contracts: transition
        lpr = lpr_on(rules, a.contract_date)
        assert lpr is not None and a.annual_rate_percent > 4 * lpr
    else:
        # ...and conversely: every such case is told.
        assert not (
            a.lender_type == LenderType.PRIVATE
            and a.contract_date is not None
            and a.contract_date >= date(2020, 8, 20)
            and a.annual_rate_percent is not None
            and a.annual_rate_percent > 4 * (lpr_on(rules, a.contract_date) or Decimal(0))
        )
    cap = result.interest_cap
    if cap is not None:
        assert cap.applies is {LenderType.PRIVATE: True, LenderType.LICENSED: False}.get(a.lender_type)
        assert cap.basis == (CapBasis.CONTRACT_DATE if a.contract_date >= date(2020, 8, 20) else CapBasis.IF_SUED_TODAY)
        if cap.basis == CapBasis.IF_SUED_TODAY:
            assert cap.lpr_percent == str(lpr_on(rules, result.as_of))
        assert cap.lpr_checked == (
            (a.contract_date if cap.basis == CapBasis.CONTRACT_DATE else result.as_of) <= rules.lpr_in_force_through
        )
        assert ("lpr_unconfirmed" in {w.code for w in result.warnings}) == (not cap.lpr_checked)
    if a.lender_type != LenderType.PRIVATE:
        assert "check_rate" in ids
