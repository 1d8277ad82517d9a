"""Which of the sourced statements (guides/data/summary.yaml) the summary shows, in order, with their blanks filled.

The templates only lay these out: every sentence of the summary that states law or a rule comes from here, from a
next step, or from a contact rule, each with its sources. Pure: amounts and dates are formatted by the callables
the caller passes (Babel in the reader's locale).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from webapp.situation.assess import Assessment, CapBasis
from webapp.situation.model import Answers
from webapp.situation.rules import Rules, VariantTexts
from webapp.sources import Source

DateFormatter = Callable[[date], str]  # date -> 2026年11月28日 in the reader's locale


@dataclass(frozen=True)
class Paragraph:
    id: str  # the statement's id in guides/data/summary.yaml
    template: str  # the statement with its {placeholders}
    fill: dict[str, str]  # what fills them: dates, rates and figures (templates keep each on one line)
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class SummaryParagraphs:
    penalty: list[Paragraph]
    cap: list[Paragraph]
    credit: list[Paragraph]
    visits: list[Paragraph]


def say(texts: VariantTexts, statement_id: str, **fill: str) -> Paragraph:
    statement = texts.statements[statement_id]
    return Paragraph(id=statement_id, template=statement.text, fill=fill, sources=statement.sources)


def cap_paragraphs(
    answers: Answers, assessment: Assessment, rules: Rules, texts: VariantTexts, long_date: DateFormatter
) -> list[Paragraph]:
    cap = assessment.interest_cap
    if answers.contract_date is None:
        return [say(texts, "cap_needs_contract_date")]
    if cap is None:
        return [say(texts, "cap_transition")]
    sued_today = cap.basis == CapBasis.IF_SUED_TODAY
    day = assessment.as_of if sued_today else answers.contract_date  # whose LPR the line is four times
    figures = {"lpr": cap.lpr_percent, "lpr_date": long_date(cap.lpr_date), "cap": cap.cap_percent}
    if sued_today:
        out = [say(texts, "cap_transition"), say(texts, "cap_if_sued_today", as_of=long_date(day), **figures)]
    else:
        out = [say(texts, "cap_contract_date", contract_date=long_date(day), **figures)]
        rate = str(answers.annual_rate_percent)
        if cap.applies is True and cap.annual_rate_exceeds is not None:
            out.append(say(texts, "rate_above_line" if cap.annual_rate_exceeds else "rate_within_line", rate=rate))
        elif cap.applies is None and cap.annual_rate_exceeds:
            # Never "above the cap" while the lender may be licensed: above this figure, if the rule applies.
            out.append(say(texts, "rate_above_line_if_private", rate=rate))
    out.append(say(texts, {True: "cap_private", False: "cap_licensed", None: "cap_unknown"}[cap.applies]))
    if not cap.lpr_checked:
        checked, latest = long_date(rules.lpr_checked_through), str(rules.lpr[-1].percent)
        out.append(say(texts, "lpr_unconfirmed", checked=checked, latest=latest, used=long_date(day)))
    return out


def summary_paragraphs(
    answers: Answers, assessment: Assessment, rules: Rules, texts: VariantTexts, long_date: DateFormatter
) -> SummaryParagraphs:
    return SummaryParagraphs(
        penalty=[say(texts, "penalty_rule")],
        cap=cap_paragraphs(answers, assessment, rules, texts, long_date),
        credit=[say(texts, key) for key in ("credit_notice", "credit_kept", "credit_free", "credit_dispute")],
        visits=[say(texts, key) for key in ("visit_entry", "visit_guideline", "visit_detention", "visit_police")],
    )


# ---- Several debts (DESIGN, "Several debts and a budget"): the plan's statements, and the rate paragraphs shared by
# several debts said once. ----------------------------------------------------------------------------------------

MoneyFormatter = Callable[[str], str]  # "700.00" -> ¥700.00 in the reader's locale

# Which plan warning brings which statement of guides/data/plan.yaml, in the order the overview shows them.
_BEFORE_ORDER = ("nothing_available", "essentials_exceed_income")
_AFTER_ORDER = ("shortfall", "covers_all")


@dataclass(frozen=True)
class GroupReason:
    """Why some debts take their place in the plan: one sourced sentence for all the debts of one group."""

    group: str
    reason: Paragraph
    debts: list[int]  # 0-based indexes into the answers' debts, in the plan's order


@dataclass(frozen=True)
class SharedParagraph:
    """A statement about the interest-rate line that reads the same for every debt it applies to: said once."""

    paragraph: Paragraph
    debts: list[int]


@dataclass(frozen=True)
class PlanParagraphs:
    before: list[Paragraph]  # nothing left over, essentials above income: the first thing the overview says
    no_ranking: Paragraph
    reasons: list[GroupReason]  # in the plan's order
    after: list[Paragraph]  # pro rata, living costs, what is short, or that everything is covered
    penalty: list[Paragraph]  # the penalty rule, once for all debts
    shared_cap: list[SharedParagraph]  # the rate paragraphs without figures of their own, once each
    debt_cap: dict[int, list[Paragraph]]  # each debt's own rate paragraphs (its dates, its rate)


def plan_paragraphs(
    answers: Answers,
    assessment: Assessment,
    rules: Rules,
    texts: VariantTexts,
    long_date: DateFormatter,
    money: MoneyFormatter,
) -> PlanParagraphs:
    """The statements of the overview and of the rate rules said once, for answers with several debts."""
    plan, parts = assessment.plan, assessment.debts
    assert plan is not None and parts is not None
    statements = texts.plan_statements
    warned = {str(w) for w in plan.warnings}

    def plan_say(statement_id: str, **fill: str) -> Paragraph:
        statement = statements[statement_id]
        return Paragraph(id=statement_id, template=statement.text, fill=fill, sources=statement.sources)

    fills = {
        "nothing_available": {},
        "essentials_exceed_income": {"gap": money(plan.essentials_gap)},
        "shortfall": {"due": money(plan.due_total), "available": money(plan.available or "0"),
                      "shortfall": money(plan.shortfall or "0")},
        "covers_all": {"available": money(plan.available or "0"), "owed": money(plan.owed_total)},
    }  # fmt: skip
    before = [plan_say(key, **fills[key]) for key in _BEFORE_ORDER if key in warned]
    shared_out = plan.offers and "nothing_available" not in warned  # no pro-rata sentence about nothing
    after = [plan_say("pro_rata", available=money(plan.available or "0"))] if shared_out else []
    after.append(plan_say("living_costs"))
    after += [plan_say(key, **fills[key]) for key in _AFTER_ORDER if key in warned]

    reasons: dict[str, GroupReason] = {}
    for place in plan.order:
        group = str(place.group)
        if group not in reasons:
            st = texts.plan_groups[group]
            reasons[group] = GroupReason(group, Paragraph(id=group, template=st.text, fill={}, sources=st.sources), [])
        reasons[group].debts.append(place.debt)

    shared: dict[str, SharedParagraph] = {}
    debt_cap: dict[int, list[Paragraph]] = {}
    for place in plan.order:
        index = place.debt
        own = []
        for p in cap_paragraphs(answers.debt_answers(index, None), parts[index], rules, texts, long_date):
            if p.fill:
                own.append(p)
            else:
                shared.setdefault(p.id, SharedParagraph(p, [])).debts.append(index)
        debt_cap[index] = own
    return PlanParagraphs(
        before=before,
        no_ranking=plan_say("no_ranking"),
        reasons=list(reasons.values()),
        after=after,
        penalty=[say(texts, "penalty_rule")],
        shared_cap=list(shared.values()),
        debt_cap=debt_cap,
    )
