"""Several debts and a budget: what is available each month, the order of the debts, and each lender's offer.

Pure arithmetic on Decimals (money to the fen, rounded down when split); the assessment (assess.py) wraps the results
in its answer models and the sourced reasons (guides/data/plan.yaml). Nothing here advises borrowing to repay, or
paying one lender instead of another: every debt gets a share of what is available.
"""

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from webapp.situation.model import Budget, Debt, LenderType, StageHint

FEN = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")


class PlanGroup(StrEnum):
    """Why a debt comes where it does, most urgent first (DESIGN, "Several debts and a budget"): a court deadline or
    enforcement, then a lender that reports to the credit reference centre, then the rest."""

    PAYMENT_ORDER = "payment_order"  # 15 days to pay or object (CPL Art. 227): the shortest deadline
    COURT_PAPERS = "court_papers"  # 15 days to answer a claim (CPL Art. 128)
    ENFORCEMENT = "enforcement"  # already enforced: first seizure, first paid (ExecW Art. 55)
    JUDGMENT = "judgment"  # enforcement can follow at the creditor's request (CPL Art. 247)
    CREDIT_REPORTED = "credit_reported"  # a bank or licensed lender: reported to the credit reference centre
    OTHER = "other"


_GROUP_OF_HINT = {
    StageHint.PAYMENT_ORDER: PlanGroup.PAYMENT_ORDER,
    StageHint.COURT_PAPERS: PlanGroup.COURT_PAPERS,
    StageHint.ENFORCEMENT: PlanGroup.ENFORCEMENT,
    StageHint.JUDGMENT: PlanGroup.JUDGMENT,
}
_RANK = {group: rank for rank, group in enumerate(PlanGroup)}


def group_of(debt: Debt) -> PlanGroup:
    if debt.stage_hint in _GROUP_OF_HINT:
        return _GROUP_OF_HINT[debt.stage_hint]
    return PlanGroup.CREDIT_REPORTED if debt.lender_type == LenderType.LICENSED else PlanGroup.OTHER


def order(debts: Sequence[Debt], days_overdue: Sequence[int]) -> list[int]:
    """The debts' indexes, most urgent first: by group, then the longest overdue, then the largest owed, then the
    reader's own order. The reader never orders them by hand."""
    return sorted(
        range(len(debts)),
        key=lambda i: (_RANK[group_of(debts[i])], -days_overdue[i], -debts[i].owed, i),
    )


def available(budget: Budget | None, monthly_payment: Decimal | None) -> Decimal | None:
    """What the reader can pay in all each month: income less essential costs (never below zero), or the monthly
    figure they gave, or the smaller of the two when both are given (never promise more than either says). None:
    neither was given, so no offer can be made."""
    figures = []
    if budget is not None:
        figures.append(max(budget.monthly_income - budget.essential_costs, Decimal(0)))
    if monthly_payment is not None:
        figures.append(monthly_payment)
    return min(figures) if figures else None


def essentials_gap(budget: Budget | None) -> Decimal:
    """How much the essential costs exceed the income (zero when they do not)."""
    if budget is None:
        return Decimal(0)
    return max(budget.essential_costs - budget.monthly_income, Decimal(0))


def split(available: Decimal, owed: Sequence[Decimal], ranked: Sequence[int]) -> list[Decimal]:
    """Each debt's monthly offer, by index: `available` shared pro rata to what is owed, each rounded down to the
    fen, the fen left over going to the first debt in `ranked` (to the next as far as the first has no room). When
    the debts together are no more than what is available, each offer is the debt itself. The offers never sum to
    more than `available` and never exceed their debt; when the debts are larger, they sum to exactly `available`
    (each debt rounded down loses less than a fen and has at least a fen of room)."""
    total = sum(owed, Decimal(0))
    if total <= available:
        return list(owed)
    offers = [(available * amount / total).quantize(FEN, rounding=ROUND_DOWN) for amount in owed]
    left = available - sum(offers, Decimal(0))
    for index in ranked:
        taken = min(left, owed[index] - offers[index])
        offers[index] += taken
        left -= taken
    return offers


def share(amount: Decimal, total: Decimal) -> Decimal:
    """A debt's part of everything owed, as a fraction to four places."""
    return (amount / total).quantize(SHARE_PLACES) if total else Decimal(0)
