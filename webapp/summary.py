"""The situation summary: what the form views and the API share. Validate, assess, render as HTML or PDF.

This is the glue between the pure core (webapp/situation/: model, rules, assessment) and the app's edges (the
templates, the PDF renderer, the sources registry); the core imports none of them.
"""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import force_locale, gettext
from pydantic import ValidationError

from webapp import formatting
from webapp.situation.assess import Assessment, assess
from webapp.situation.errors import FieldError, from_validation_error
from webapp.situation.model import Answers, answers_from
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
    rules = state().rules
    variant = VARIANTS[answers.variant.lower()]
    texts = rules.for_variant(variant)
    sources = summary_sources(assessment, variant)
    return {
        "answers": answers,
        "assessment": assessment,
        "variant": variant,
        "rules": rules,
        "texts": texts,
        "message": texts.message_template.format(
            platform=answers.platform, proposal=proposal(bool(answers.monthly_payment))
        ),
        "sources": sources,
        "source_numbers": {s.id: number for number, s in enumerate(sources, start=1)},
        "channels": list({ch.id: ch for c in assessment.conduct for ch in c.channels}.values()),
    }


def proposal(can_pay_monthly: bool) -> str:
    """What the reader asks the platform for, filled into the message template."""
    if can_pay_monthly:
        return str(gettext("instalments I can afford each month, and a pause on penalty interest"))
    return str(gettext("an extension of the repayment date"))


def summary_sources(assessment: Assessment, variant: Variant) -> list[Source]:
    """The sources the summary relies on, in the order the data lists them: its fixed paragraphs' sources, those
    behind each judged contact, then those of the complaint section (guides/data/summary.yaml)."""
    rules = state().rules
    wanted = [*rules.summary_sources_first, *(s.id for c in assessment.conduct for s in c.sources)]
    wanted += rules.summary_sources_last
    return [rules.source(source_id, variant) for source_id in dict.fromkeys(wanted)]


def render_summary_html(answers: Answers, assessment: Assessment, **extra: object) -> str:
    return render_template("situation/summary.html", **summary_context(answers, assessment), **extra)


def render_summary_pdf(answers: Answers, assessment: Assessment) -> bytes:
    variant = VARIANTS[answers.variant.lower()]
    app_state = state()
    with force_locale(variant.locale):
        html = render_template("print/summary.html", **summary_context(answers, assessment))
    return app_state.pdf_renderer.render(html, variant.tag, max_pages=app_state.settings.SUMMARY_MAX_PAGES)
