"""What the form views and the API share: validate, assess, render the summary HTML and PDF."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from pydantic import ValidationError

from webapp import formatting
from webapp.pdf import PdfRenderer
from webapp.situation.assess import Assessment, assess
from webapp.situation.errors import FieldError, from_validation_error
from webapp.situation.model import Answers
from webapp.situation.rules import Rules
from webapp.variants import VARIANTS, Variant

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Typical summaries are 2-4 pages; a full contact log (100 rows of 200 characters) needs more. Past this the
# reader is asked to shorten the log rather than being refused silently.
SUMMARY_MAX_PAGES = 30  # the largest valid answers (100 rows of 200 characters) print on 23


def today() -> date:
    return datetime.now(SHANGHAI).date()


def validate(data: object) -> Answers | list[FieldError]:
    try:
        return Answers.model_validate(data)
    except ValidationError as error:
        return from_validation_error(error)


def run_assessment(answers: Answers) -> Assessment:
    rules: Rules = current_app.extensions["rules"]
    variant = VARIANTS[answers.variant.lower()]
    with force_locale(variant.locale):
        return assess(answers, rules, today(), formatting.money)


def summary_context(answers: Answers, assessment: Assessment) -> dict:
    rules: Rules = current_app.extensions["rules"]
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
        return gettext("instalments I can afford each month, and a pause on penalty interest")
    return gettext("an extension of the repayment date")


def summary_sources(assessment: Assessment, variant: Variant) -> list:
    """The guide's sources the summary relies on: the fixed facts, plus those behind each judged contact."""
    guide = current_app.extensions["library"].get("58-finance-overdue", variant)
    by_id = {s.id: s for s in guide.sources}
    wanted = ["civil-code", "spc-private-lending", "spc-reply-2020-27", "lpr", "credit-regulation"]
    wanted += [s.id for c in assessment.conduct for s in c.sources]
    wanted += ["cba-collection-guideline", "complaint-channels"]
    return [by_id[i] for i in dict.fromkeys(wanted)]


def render_summary_html(answers: Answers, assessment: Assessment, **extra: object) -> str:
    return render_template("situation/summary.html", **summary_context(answers, assessment), **extra)


def render_summary_pdf(answers: Answers, assessment: Assessment) -> bytes:
    variant = VARIANTS[answers.variant.lower()]
    renderer: PdfRenderer = current_app.extensions["pdf_renderer"]
    with force_locale(variant.locale):
        html = render_template("print/summary.html", **summary_context(answers, assessment))
    return renderer.render(html, variant.tag, max_pages=SUMMARY_MAX_PAGES)
