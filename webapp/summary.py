"""The situation summary: what the form views and the API share. Validate, assess, render as HTML or PDF.

This is the glue between the pure core (webapp/situation/: model, rules, assessment) and the app's edges (the
templates, the PDF renderer, the sources registry); the core imports none of them.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, render_template
from flask_babel import force_locale, gettext
from pydantic import ValidationError

from webapp import formatting
from webapp.field_errors import FieldError, from_validation_error
from webapp.printing import print_for_reader
from webapp.situation.assess import Assessment, Offer, assess
from webapp.situation.model import Answers, Debt, answers_from
from webapp.situation.paragraphs import PlanParagraphs, SummaryParagraphs, plan_paragraphs, summary_paragraphs
from webapp.sources import Source
from webapp.state import state
from webapp.variants import VARIANTS, Variant

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    return datetime.now(SHANGHAI).date()


def validate(data: object) -> Answers | list[FieldError]:
    try:
        return answers_from(data, state().drawable)
    except ValidationError as error:
        return from_validation_error(error)


def run_assessment(answers: Answers) -> Assessment:
    variant = VARIANTS[answers.variant.lower()]
    with force_locale(variant.locale):
        return assess(answers, state().rules, today(), formatting.money)


def summary_context(answers: Answers, assessment: Assessment) -> dict[str, Any]:
    """Everything the summary templates show. Call inside the reader's locale (dates are formatted here)."""
    rules = state().rules
    variant = VARIANTS[answers.variant.lower()]
    texts = rules.for_variant(variant)
    paragraphs = summary_paragraphs(answers, assessment, rules, texts, formatting.long_date)
    channels = list({ch.id: texts.channels[ch.id] for c in assessment.conduct for ch in c.channels}.values())
    plan = parts = None
    if answers.several:
        plan = plan_paragraphs(answers, assessment, rules, texts, formatting.long_date, formatting.money)
        parts = debt_parts(answers, assessment)
    sources = summary_sources(assessment, paragraphs, [ch.source for ch in channels], variant, plan, parts)
    platform = answers.platform if not answers.several else str(gettext("[the lender's name]"))
    return {
        "answers": answers,
        "assessment": assessment,
        "variant": variant,
        "texts": texts,
        "paragraphs": paragraphs,
        "message": texts.message_template.format(
            platform=platform,
            proposal=proposal(several_can_pay(assessment) if answers.several else bool(answers.monthly_payment)),
        ),
        "sources": sources,
        "source_numbers": {s.id: number for number, s in enumerate(sources, start=1)},
        "channels": channels,
        "log_findings": log_findings(assessment),
        "conduct_rows": conduct_rows(answers, assessment),
        "night": (rules.night_from.strftime("%H:%M"), rules.night_until.strftime("%H:%M")),
        "guide_titles": {guide.slug: guide.short_title for guide in state().library.all(variant)},
        "letter_titles": {k.value: t.title for k, t in state().letters.for_variant(variant).kinds.items()},
        "plan_paragraphs": plan,
        "debt_parts": parts,
    }


@dataclass(frozen=True)
class DebtPart:
    """One debt of several, as its part of the summary shows it (in the plan's order)."""

    index: int  # 0-based, in the reader's own order: the part's id is debt-<index + 1>
    position: int  # 1-based place in the plan's order
    debt: Debt
    assessment: Assessment  # the debt assessed as one debt, its offer as the monthly payment
    group: str  # why it comes where it does (a PlanGroup)
    offer: Offer | None
    said_before: dict[str, int]  # step id -> the debt (index) whose part already explains it in the same words

    @property
    def share_percent(self) -> str:
        """The debt's part of everything owed, as a percentage to one place (34.9)."""
        share = Decimal(self.offer.share) if self.offer else Decimal(0)
        return str((share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def debt_parts(answers: Answers, assessment: Assessment) -> list[DebtPart]:
    assert assessment.plan is not None and assessment.debts is not None and answers.debts is not None
    offers = {o.debt: o for o in assessment.plan.offers}
    explained: dict[tuple[str, str], int] = {}  # (step id, its explanation) -> the first debt that gives it
    parts = []
    for position, place in enumerate(assessment.plan.order, start=1):
        part = assessment.debts[place.debt]
        said_before = {}
        for action in part.actions:
            first = explained.setdefault((action.id, action.why), place.debt)
            if first != place.debt:
                said_before[action.id] = first
        parts.append(
            DebtPart(
                index=place.debt,
                position=position,
                debt=answers.debts[place.debt],
                assessment=part,
                group=str(place.group),
                offer=offers.get(place.debt),
                said_before=said_before,
            )
        )
    return parts


def several_can_pay(assessment: Assessment) -> bool:
    """With several debts: is there anything to offer each month (the message then asks for instalments)?"""
    plan = assessment.plan
    return plan is not None and plan.available is not None and Decimal(plan.available) > 0


def log_findings(assessment: Assessment) -> dict[int, list[Any]]:
    """Log row -> the judged contacts it shows that are not plain reminders (a night call, a visit, a threat)."""
    found: dict[int, list[Any]] = {}
    for entry in assessment.conduct:
        if entry.level != "normal":
            for row in entry.log_rows:
                found.setdefault(row, []).append(entry)
    return found


def conduct_rows(answers: Answers, assessment: Assessment) -> dict[str, list[int]]:
    """Each kind of contact the summary shows, with the log rows listed under it. A row judged as restricted or
    forbidden (a call at 23:40 is a night contact) is not listed again under "normal" (the same call as a phone
    call): one row, one verdict. A normal kind left with no row and not ticked is not shown."""
    flagged = set(log_findings(assessment))
    shown: dict[str, list[int]] = {}
    for entry in assessment.conduct:
        rows = entry.log_rows
        if entry.level == "normal":
            rows = [row for row in rows if row not in flagged]
            if not rows and entry.contact not in answers.contacts:
                continue
        shown[entry.contact.value] = rows
    return shown


def proposal(can_pay_monthly: bool) -> str:
    """What the reader asks the platform for, filled into the message template."""
    if can_pay_monthly:
        return str(gettext("instalments I can afford each month, and a pause on penalty interest"))
    return str(gettext("an extension of the repayment date"))


def summary_sources(
    assessment: Assessment,
    paragraphs: SummaryParagraphs,
    channel_sources: list[Source],
    variant: Variant,
    plan: PlanParagraphs | None = None,
    parts: list[DebtPart] | None = None,
) -> list[Source]:
    """Exactly the sources the summary cites, numbered in the order the page first cites them: the next steps,
    the penalty and rate paragraphs, credit records, each judged contact, the complaint channels, visits. With
    several debts, first the overview (the plan's statements and reasons, the deadlines), the steps about the
    reader, each debt's steps and rate paragraphs, then the rules said once for all debts."""
    rules = state().rules
    wanted: list[str] = []
    if plan is not None and parts is not None:
        wanted += [s.id for p in plan.before for s in p.sources]
        wanted += [s.id for r in plan.reasons if r.group in DEADLINE_GROUPS for s in r.reason.sources]
        wanted += [s.id for s in plan.no_ranking.sources]
        wanted += [s.id for r in plan.reasons for s in r.reason.sources]
        wanted += [s.id for p in plan.after for s in p.sources]
        wanted += [s.id for a in assessment.actions for s in a.sources]
        for part in parts:
            wanted += [s.id for a in part.assessment.actions for s in a.sources]
            wanted += [s.id for p in plan.debt_cap[part.index] for s in p.sources]
        wanted += [s.id for p in plan.penalty for s in p.sources]
        wanted += [s.id for shared in plan.shared_cap for s in shared.paragraph.sources]
    else:
        wanted += [s.id for a in assessment.actions for s in a.sources]
        wanted += [s.id for p in [*paragraphs.penalty, *paragraphs.cap] for s in p.sources]
    wanted += [s.id for p in paragraphs.credit for s in p.sources]
    wanted += [s.id for c in assessment.conduct for s in c.sources]
    wanted += [s.id for s in channel_sources]
    wanted += [s.id for p in paragraphs.visits for s in p.sources]
    return [rules.source(source_id, variant) for source_id in dict.fromkeys(wanted)]


# The plan groups that carry a deadline counted from the day the reader received a court's papers: the overview
# lists them first, with the reason that states the deadline (no date: we do not know the day of receipt).
DEADLINE_GROUPS = ("payment_order", "court_papers")


def download_name(as_of: date) -> tuple[str, str]:
    """The summary PDF's file name (ASCII, and in the reader's script): a phone's download list and notifications
    are seen by others, so it names neither the debt nor the platform. Call inside the reader's locale."""
    day = as_of.isoformat()
    name = gettext("Summary")  # outside the f-string, where Babel's extractor sees it
    return f"summary-{day}.pdf", f"{name}-{day}.pdf"


def _render(template: str, answers: Answers, assessment: Assessment, **extra: object) -> str:
    with force_locale(VARIANTS[answers.variant.lower()].locale):
        return render_template(template, **summary_context(answers, assessment), **extra)


def render_summary_html(answers: Answers, assessment: Assessment, **extra: object) -> str:
    return _render("situation/summary.html", answers, assessment, **extra)


def summary_print_html(answers: Answers, assessment: Assessment, **extra: object) -> str:
    """The HTML the summary PDF is printed from."""
    return _render("print/summary.html", answers, assessment, **extra)


def render_summary_pdf(answers: Answers, assessment: Assessment, **extra: object) -> bytes:
    return print_for_reader(summary_print_html(answers, assessment, **extra), answers.variant)


# The typical summary: a reader's (overdue, contacts called at night and at work, a rate above the cap, two logged
# contacts). Printed once per variant at start-up to warm the renderer (the sizes, weights and glyphs of a real
# summary are loaded before any reader's render), and the one typical situation of the tests and benchmarks.
TYPICAL_ANSWERS = {
    "as_of": "2026-11-28",
    "due_date": "2026-09-15",
    "overdue_amount": "6800",
    "penalty_daily_rate_percent": "0.1",
    "contract_date": "2025-03-10",
    "annual_rate_percent": "18",
    "lender_type": "private",
    "contacts": ["phone", "sms", "call_contacts", "call_employer", "night_contact", "threats_or_insults"],
    "monthly_payment": "800",
    "contact_log": [
        {"date": "2026-11-02", "time": "22:40", "channel": "phone", "note": "半夜打电话催款"},
        {"date": "2026-11-05", "channel": "call_contacts", "note": "给我同事打电话，说我欠钱不还"},
    ],
}


def print_html(app: Flask, data: Mapping[str, object]) -> str:
    """The summary's print HTML for answers given as data, outside any request (start-up, tools, tests)."""
    answers = Answers.model_validate(data)
    with app.test_request_context(f"/{answers.variant.lower()}/"):  # for url_for; no request is made
        return summary_print_html(answers, run_assessment(answers))


def warm_up_documents(app: Flask) -> dict[str, str]:
    """The warm-up summary's print HTML in each variant, by language tag."""
    return {v.tag: print_html(app, {**TYPICAL_ANSWERS, "variant": v.tag}) for v in VARIANTS.values()}
