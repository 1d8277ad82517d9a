"""The assessment: pure functions from the answers, the dated rules and today's date to what the summary says.

Money is Decimal and rounded half-up to the fen; dates are calendar dates in Asia/Shanghai. Nothing here reads a
request, a file or the clock: the view passes `today`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel

from webapp.situation import plan as planning
from webapp.situation.model import Answers, Contact, LenderType, LogEntry, StageHint
from webapp.situation.plan import PlanGroup
from webapp.situation.rules import Rules, VariantTexts
from webapp.sources import Source
from webapp.variants import VARIANTS

FEN = Decimal("0.01")
MoneyFormatter = Callable[[str], str]  # "1500.00" -> "¥1,500.00" in the reader's locale
PROJECTION_DAYS = (30, 60, 90)
MAX_SCHEDULE_MONTHS = 120
DAYS_IN_YEAR = 365  # a daily rate's "a year" equivalent, as the reader counts it (0.1% a day = 36.5% a year)


class Stage(StrEnum):
    NOT_DUE = "not_due"
    M1 = "m1"
    M2 = "m2"
    M3 = "m3"
    M3_PLUS = "m3_plus"


class Level(StrEnum):
    NORMAL = "normal"
    RESTRICTED = "restricted"
    UNLAWFUL = "unlawful"


class CapBasis(StrEnum):
    CONTRACT_DATE = "contract_date"  # contracts made on or after 2020-08-20: 4 x the LPR at the contract date
    IF_SUED_TODAY = "if_sued_today"  # earlier contracts: the transition rule, shown as 4 x the LPR on as_of


class Penalty(BaseModel):
    daily_rate_percent: str
    annual_equivalent_percent: str  # the daily rate times 365, as the reader would count a year
    to_date: str
    projection: dict[str, str]  # "30", "60", "90" -> penalty at days_overdue + N


class InterestCap(BaseModel):
    basis: CapBasis
    lpr_percent: str
    lpr_date: date  # the fixing from which that one-year LPR applied
    lpr_checked: bool  # False: the date is after the last fixing confirmed (the figure assumes no change since)
    cap_percent: str
    annual_rate_exceeds: bool | None  # None without an annual rate
    applies: bool | None  # True: private lender; False: licensed (rule does not apply); None: unknown


class ReaderWarning(BaseModel):
    """Something the reader should double-check before relying on the summary."""

    code: str  # rate_implausible | lpr_unconfirmed
    field: str  # the answer to double-check


class SourceRef(BaseModel):
    id: str
    title: str
    url: str | None = None


class ChannelRef(BaseModel):
    id: str
    name: str
    when: str


class Conduct(BaseModel):
    contact: Contact
    level: Level
    label: str
    rule: str
    sources: list[SourceRef]
    channels: list[ChannelRef]
    log_rows: list[int]  # 0-based rows of contact_log that show this kind of contact (empty: only ticked)


class Payment(BaseModel):
    month: int
    amount: str
    remaining: str


class RepaymentPlan(BaseModel):
    total: str  # what the plan clears: outstanding (or overdue) amount plus penalty to date
    monthly_payment: str
    months: int | None  # None when nothing can be paid now
    schedule: list[Payment]  # month by month, at most MAX_SCHEDULE_MONTHS rows


class GuideRef(BaseModel):
    slug: str
    section: str | None  # a heading id of that guide


class Action(BaseModel):
    id: str
    title: str
    why: str
    sources: list[SourceRef]  # behind every statement of law or of a rule in `why`; empty for plain advice
    guide: GuideRef | None = None  # where a guide says more: the summary links to it
    letter: str | None = None  # the kind of letter that fits this step: the summary links to its form


class PlanPlace(BaseModel):
    """Where a debt comes in the plan, and why: a sourced sentence (guides/data/plan.yaml)."""

    debt: int  # 0-based index into the answers' debts
    group: PlanGroup
    reason: str
    sources: list[SourceRef]


class Offer(BaseModel):
    debt: int
    monthly: str  # what to offer this lender each month
    months: int | None  # how long that takes to clear it with its penalty so far; None when the offer is 0
    share: str  # the debt's part of everything owed, a fraction to four places


class PlanWarning(StrEnum):
    NO_BUDGET = "no_budget"  # neither a budget nor a monthly figure: the order only, no offers
    NOTHING_AVAILABLE = "nothing_available"  # nothing left after essentials: no payment is invented
    ESSENTIALS_EXCEED_INCOME = "essentials_exceed_income"
    SHORTFALL = "shortfall"  # what is due now is more than what is available
    COVERS_ALL = "covers_all"  # what is available clears every debt given


class Plan(BaseModel):
    """Several debts, one plan (DESIGN, "Several debts and a budget"). Money as decimal strings with two places."""

    available: str | None  # each month, for all debts; None without a budget or a monthly figure
    available_from: Literal["budget", "monthly_payment", "both"] | None
    owed_total: str  # everything owed (each debt's outstanding total, else its overdue amount)
    due_total: str  # what is due or overdue now (each debt due by today: its overdue amount)
    shortfall: str | None  # due_total less available, never below 0; None without an available figure
    essentials_gap: str  # how much the essential costs exceed the income (0.00 when they do not)
    order: list[PlanPlace]
    offers: list[Offer]  # in the plan's order; empty without an available figure
    warnings: list[PlanWarning]


class Assessment(BaseModel):
    as_of: date
    variant: str
    rules_version: date  # the date the rules and data were last checked against their sources
    days_overdue: int | None  # None with several debts: each debt's assessment has its own
    stage: Stage | None
    penalty: Penalty | None
    interest_cap: InterestCap | None
    conduct: list[Conduct]  # with several debts: every contact ticked or logged, whoever it was from
    warnings: list[ReaderWarning]
    repayment_plan: RepaymentPlan | None
    actions: list[Action]  # with several debts: the steps about the reader as a whole (each debt has its own)
    debts: list["Assessment"] | None = None  # with several debts: each as one debt, with its offer as the payment
    plan: Plan | None = None


def source_refs(sources: tuple[Source, ...]) -> list[SourceRef]:
    return [SourceRef(id=s.id, title=s.title, url=s.url) for s in sources]


def money(value: Decimal) -> str:
    return str(value.quantize(FEN, rounding=ROUND_HALF_UP))


def stage_of(days_overdue: int, buckets: tuple[tuple[str, int], ...]) -> Stage:
    if days_overdue <= 0:
        return Stage.NOT_DUE
    for stage, through_day in buckets:
        if days_overdue <= through_day:
            return Stage(stage)
    return Stage.M3_PLUS


def penalty_for(amount: Decimal, daily_rate_percent: Decimal, days: int) -> Decimal:
    """Simple interest: amount x rate/100 x days, with days before the due date counting as none."""
    return (amount * daily_rate_percent / 100 * max(days, 0)).quantize(FEN, rounding=ROUND_HALF_UP)


def annual_equivalent(daily_rate_percent: Decimal) -> Decimal:
    return daily_rate_percent * DAYS_IN_YEAR


def penalty(answers: Answers, days_overdue: int) -> Penalty | None:
    rate, amount = answers.penalty_daily_rate_percent, answers.overdue_amount
    if rate is None or amount is None:
        return None
    return Penalty(
        daily_rate_percent=str(rate),
        annual_equivalent_percent=str(annual_equivalent(rate)),
        to_date=str(penalty_for(amount, rate, days_overdue)),
        projection={str(n): str(penalty_for(amount, rate, days_overdue + n)) for n in PROJECTION_DAYS},
    )


def cap_basis(contract_date: date, rules: Rules) -> CapBasis:
    """Art. 25's "LPR at the time the contract was made" governs contracts from 2020-08-20; earlier ones fall under
    the transition rule (Art. 31), whose standard is the one in force when a suit is filed."""
    return CapBasis.CONTRACT_DATE if contract_date >= rules.contract_date_rule_from else CapBasis.IF_SUED_TODAY


def interest_cap(answers: Answers, rules: Rules, as_of: date) -> InterestCap | None:
    if answers.contract_date is None:
        return None
    basis = cap_basis(answers.contract_date, rules)
    on = answers.contract_date if basis == CapBasis.CONTRACT_DATE else as_of
    published = [rate for rate in rules.lpr if rate.since <= on]
    if not published:
        return None  # "if sued today" asked for a day before the first LPR fixing (2019-08-20)
    lpr = published[-1]
    cap = lpr.percent * 4
    exceeds = None if answers.annual_rate_percent is None else answers.annual_rate_percent > cap
    applies = {LenderType.PRIVATE: True, LenderType.LICENSED: False}.get(answers.lender_type)
    return InterestCap(
        basis=basis,
        lpr_percent=str(lpr.percent),
        lpr_date=lpr.since,
        lpr_checked=on <= rules.lpr_in_force_through,
        cap_percent=str(cap),
        annual_rate_exceeds=exceeds,
        applies=applies,
    )


def is_night(at: time, rules: Rules) -> bool:
    return at >= rules.night_from or at < rules.night_until


def logged_kinds(answers: Answers, rules: Rules) -> dict[Contact, list[int]]:
    """Each kind of contact the log shows, with its rows: a row is its channel, and a night contact too when its
    time falls between 22:00 and 08:00."""
    return log_kinds(answers.contact_log, rules)


def log_kinds(log: Sequence[LogEntry], rules: Rules) -> dict[Contact, list[int]]:
    """The same for any contact log (a letter's as well as the situation's)."""
    rows: dict[Contact, list[int]] = {}
    for index, entry in enumerate(log):
        rows.setdefault(entry.channel, []).append(index)
        if entry.time is not None and is_night(entry.time, rules) and entry.channel != Contact.NIGHT_CONTACT:
            rows.setdefault(Contact.NIGHT_CONTACT, []).append(index)
    return rows


def conduct(answers: Answers, rules: Rules, texts: VariantTexts) -> list[Conduct]:
    """One entry per kind of contact experienced, ticked or logged, judged by the same rule either way."""
    logged = logged_kinds(answers, rules)
    out = []
    for contact in Contact:  # the rules' order, whatever order the reader ticked or logged them in
        if contact not in answers.contacts and contact not in logged:
            continue
        rule = texts.contacts[contact.value]
        out.append(
            Conduct(
                contact=contact,
                level=Level(rule.level),
                label=rule.label,
                rule=rule.rule,
                sources=source_refs(rule.sources),
                channels=[ChannelRef(id=c.id, name=c.name, when=c.when) for c in rule.channels],
                log_rows=logged.get(contact, []),
            )
        )
    return out


def warnings_for(answers: Answers, rules: Rules, cap: InterestCap | None) -> list[ReaderWarning]:
    found = []
    rate = answers.penalty_daily_rate_percent
    if rate is not None and rate > rules.rate_check_above:
        found.append(ReaderWarning(code="rate_implausible", field="penalty_daily_rate_percent"))
    if cap is not None and not cap.lpr_checked:
        field = "contract_date" if cap.basis == CapBasis.CONTRACT_DATE else "as_of"
        found.append(ReaderWarning(code="lpr_unconfirmed", field=field))
    return found


def repayment_plan(answers: Answers, penalty_to_date: Decimal) -> RepaymentPlan | None:
    monthly = answers.monthly_payment
    if monthly is None:
        return None
    total = (answers.outstanding_total or answers.overdue_amount or Decimal(0)) + penalty_to_date
    if monthly == 0:
        return RepaymentPlan(total=money(total), monthly_payment=money(monthly), months=None, schedule=[])
    months = int((total / monthly).to_integral_value(rounding=ROUND_CEILING))
    schedule = []
    remaining = total
    for month in range(1, min(months, MAX_SCHEDULE_MONTHS) + 1):
        amount = min(monthly, remaining)
        remaining -= amount
        schedule.append(Payment(month=month, amount=money(amount), remaining=money(remaining)))
    return RepaymentPlan(total=money(total), monthly_payment=money(monthly), months=months, schedule=schedule)


@dataclass(frozen=True)
class Situation:
    """What the next-step conditions look at: the answers and what the assessment has worked out from them."""

    answers: Answers
    days_overdue: int
    stage: Stage
    cap: InterestCap | None
    plan: RepaymentPlan | None
    conduct: list[Conduct]
    plan_long_months: int

    @property
    def contacts(self) -> set[Contact]:
        """Every kind of contact experienced: ticked, or shown by the log."""
        return {c.contact for c in self.conduct}


def _rate_above_cap(s: Situation) -> bool:
    """Only where the private-lending rule applies, and only against a line it fixes (the contract date's LPR)."""
    return (
        s.cap is not None
        and s.cap.applies is True
        and s.cap.basis == CapBasis.CONTRACT_DATE
        and s.cap.annual_rate_exceeds is True
    )


def _plan_months(s: Situation) -> int | None:
    return s.plan.months if s.plan is not None else None


# Each condition a next step in guides/data/actions.yaml may name in `when`, declared once.
CONDITIONS: dict[str, Callable[[Situation], bool]] = {
    "always": lambda s: True,
    "violence_or_detention": lambda s: Contact.VIOLENCE_OR_DETENTION in s.contacts,
    "unlawful_contact": lambda s: any(c.level == Level.UNLAWFUL for c in s.conduct),
    "not_yet_due": lambda s: s.days_overdue <= 0,
    "overdue": lambda s: s.days_overdue > 0,
    "long_overdue_no_papers": lambda s: s.stage == Stage.M3_PLUS and s.answers.stage_hint == StageHint.NONE,
    "payment_order": lambda s: s.answers.stage_hint == StageHint.PAYMENT_ORDER,
    "court_papers": lambda s: s.answers.stage_hint == StageHint.COURT_PAPERS,
    "judgment": lambda s: s.answers.stage_hint == StageHint.JUDGMENT,
    "enforcement": lambda s: s.answers.stage_hint == StageHint.ENFORCEMENT,
    "no_monthly_figure": lambda s: s.plan is None,
    "cannot_pay_monthly": lambda s: s.plan is not None and s.plan.months is None,
    "plan_too_long": lambda s: (_plan_months(s) or 0) > s.plan_long_months,
    "plan_affordable": lambda s: 0 < (_plan_months(s) or 0) <= s.plan_long_months,
    "rate_above_cap": _rate_above_cap,
    "rate_to_check": lambda s: s.answers.lender_type != LenderType.PRIVATE,
    "unreachable": lambda s: not s.answers.reachable,
    "others_contacted": lambda s: bool(
        s.contacts & {Contact.CALL_CONTACTS, Contact.CALL_EMPLOYER, Contact.PUBLIC_EXPOSURE}
    ),
    "visited": lambda s: bool(s.contacts & {Contact.HOME_VISIT, Contact.WORKPLACE_VISIT}),
    # Night contacts alone: with threats or the like, report_unlawful already leads to the complaint.
    "night_contact_only": lambda s: (
        Contact.NIGHT_CONTACT in s.contacts and not any(c.level == Level.UNLAWFUL for c in s.conduct)
    ),
}


ALL_SCOPES = frozenset({"reader", "debt"})


def unknown_conditions(rules: Rules) -> list[str]:
    """Conditions the data names that no code declares (checked at start-up: a typo must not hide a step)."""
    named = {a.when for texts in rules.texts.values() for a in texts.actions}
    return sorted(named - CONDITIONS.keys())


def actions(
    situation: Situation, texts: VariantTexts, format_money: MoneyFormatter, scopes: frozenset[str] = ALL_SCOPES
) -> list[Action]:
    """The next steps whose condition holds, in the data's order; `scopes`: which kinds of step (all of them for one
    debt; with several, the reader's once and each debt's in its own part)."""
    plan = situation.plan
    fill = {
        "platform": situation.answers.platform,
        "monthly": format_money(plan.monthly_payment) if plan else "",
        "months": str(plan.months) if plan and plan.months else "",
    }
    return [
        Action(
            id=step.id,
            title=step.title.format(**fill),
            why=step.why.format(**fill),
            sources=source_refs(step.sources),
            guide=guide_ref(step.guide),
            letter=step.letter,
        )
        for step in texts.actions
        if step.scope in scopes and CONDITIONS[step.when](situation)
    ]


def guide_ref(link: str | None) -> GuideRef | None:
    if link is None:
        return None
    slug, _, section = link.partition("#")
    return GuideRef(slug=slug, section=section or None)


def plain_money(amount: str) -> str:
    """How amounts are written inside action texts when no locale is at hand (the views pass Babel's)."""
    return f"¥{amount}"


def assess(answers: Answers, rules: Rules, today: date, format_money: MoneyFormatter = plain_money) -> Assessment:
    if answers.several:
        return assess_several(answers, rules, today, format_money)
    return assess_one(answers, rules, today, format_money)


def assess_one(
    answers: Answers,
    rules: Rules,
    today: date,
    format_money: MoneyFormatter = plain_money,
    scopes: frozenset[str] = ALL_SCOPES,
) -> Assessment:
    """One debt's assessment (the answers' one-debt fields are set: the model requires them without `debts`)."""
    assert answers.due_date is not None and answers.overdue_amount is not None
    as_of = answers.as_of or today
    variant = VARIANTS[answers.variant.lower()]
    texts = rules.for_variant(variant)
    days_overdue = (as_of - answers.due_date).days
    stage = stage_of(days_overdue, rules.stage_buckets)
    owed_penalty = penalty(answers, days_overdue)
    cap = interest_cap(answers, rules, as_of)
    conducts = conduct(answers, rules, texts)
    plan = repayment_plan(answers, Decimal(owed_penalty.to_date) if owed_penalty else Decimal(0))
    return Assessment(
        as_of=as_of,
        variant=answers.variant,
        rules_version=rules.version,
        days_overdue=days_overdue,
        stage=stage,
        penalty=owed_penalty,
        interest_cap=cap,
        conduct=conducts,
        warnings=warnings_for(answers, rules, cap),
        repayment_plan=plan,
        actions=actions(
            Situation(answers, days_overdue, stage, cap, plan, conducts, rules.plan_long_months),
            texts,
            format_money,
            scopes,
        ),
    )


def assess_several(answers: Answers, rules: Rules, today: date, format_money: MoneyFormatter) -> Assessment:
    """Several debts: the plan (order, offers), each debt assessed as one debt with its offer as the monthly
    payment, and the steps about the reader as a whole once."""
    debts = answers.debts or []
    as_of = answers.as_of or today
    texts = rules.for_variant(VARIANTS[answers.variant.lower()])
    days = [(as_of - debt.due_date).days for debt in debts]
    ranked = planning.order(debts, days)
    owed = [debt.owed for debt in debts]
    available = planning.available(answers.budget, answers.monthly_payment)
    monthly = planning.split(available, owed, ranked) if available is not None else None

    parts = []
    for index in range(len(debts)):
        part = assess_one(
            answers.debt_answers(index, monthly[index] if monthly else None),
            rules,
            today,
            format_money,
            frozenset({"debt"}),
        )
        for warning in part.warnings:  # the answer to double-check is this debt's
            if warning.field != "as_of":
                warning.field = f"debts.{index}.{warning.field}"
        parts.append(part)

    conducts = conduct(answers, rules, texts)
    most = max(days)
    reader = Situation(answers, most, stage_of(most, rules.stage_buckets), None, None, conducts, rules.plan_long_months)
    return Assessment(
        as_of=as_of,
        variant=answers.variant,
        rules_version=rules.version,
        days_overdue=None,
        stage=None,
        penalty=None,
        interest_cap=None,
        conduct=conducts,
        warnings=[],
        repayment_plan=None,
        actions=actions(reader, texts, format_money, frozenset({"reader"})),
        debts=parts,
        plan=plan_of(answers, texts, ranked, days, available, monthly, parts),
    )


def plan_of(
    answers: Answers,
    texts: VariantTexts,
    ranked: list[int],
    days: list[int],
    available: Decimal | None,
    monthly: list[Decimal] | None,
    parts: list[Assessment],
) -> Plan:
    debts = answers.debts or []
    owed = [debt.owed for debt in debts]
    owed_total = sum(owed, Decimal(0))
    due_total = sum((debt.overdue_amount for debt, d in zip(debts, days, strict=True) if d >= 0), Decimal(0))
    gap = planning.essentials_gap(answers.budget)
    places = []
    for index in ranked:
        group = planning.group_of(debts[index])
        reason = texts.plan_groups[group.value]
        places.append(PlanPlace(debt=index, group=group, reason=reason.text, sources=source_refs(reason.sources)))
    offers = []
    if monthly is not None:
        for index in ranked:
            schedule = parts[index].repayment_plan
            offers.append(
                Offer(
                    debt=index,
                    monthly=money(monthly[index]),
                    months=schedule.months if schedule else None,
                    share=str(planning.share(owed[index], owed_total)),
                )
            )
    shortfall = None if available is None else max(due_total - available, Decimal(0))
    warnings = []
    if available is None:
        warnings.append(PlanWarning.NO_BUDGET)
    elif available == 0:
        warnings.append(PlanWarning.NOTHING_AVAILABLE)
    if gap > 0:
        warnings.append(PlanWarning.ESSENTIALS_EXCEED_INCOME)
    if shortfall:
        warnings.append(PlanWarning.SHORTFALL)
    if available is not None and available > 0 and available >= owed_total:
        warnings.append(PlanWarning.COVERS_ALL)
    source = {(True, False): "budget", (False, True): "monthly_payment", (True, True): "both"}
    return Plan(
        available=None if available is None else money(available),
        available_from=source.get((answers.budget is not None, answers.monthly_payment is not None)),  # type: ignore[arg-type]
        owed_total=money(owed_total),
        due_total=money(due_total),
        shortfall=None if shortfall is None else money(shortfall),
        essentials_gap=money(gap),
        order=places,
        offers=offers,
        warnings=warnings,
    )
