"""The situation form and the summary it produces (HTML and PDF). Nothing here is stored or logged."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, render_template, request
from flask_babel import force_locale
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from webapp.access_log import CLIENT_LEFT
from webapp.content import link_hotlines
from webapp.field_errors import FieldError, field_error
from webapp.formatting import nowrap
from webapp.limits import SlotsTaken, client_key
from webapp.pdf.render import ClientGone, PdfBusy, PdfTooLong, PdfTooSlow
from webapp.situation import forms
from webapp.situation.assess import Assessment
from webapp.situation.model import DEFAULT_PLATFORM, MAX_DEBTS, Answers, Contact, LenderType, StageHint
from webapp.situation.paragraphs import Paragraph
from webapp.state import state
from webapp.summary import download_name, render_summary_html, render_summary_pdf, run_assessment, validate
from webapp.variants import VARIANTS, Variant

bp = Blueprint("situation", __name__)


@bp.app_context_processor
def quick_exit() -> dict[str, Any]:
    """Every page's header offers the quick exit (a summary shows amounts and notes about family and work; a guide
    page says what the reader is facing), so every template gets its address."""
    return {"quick_exit_url": state().settings.QUICK_EXIT_URL}


def _with_tel_links(context: Context, text: str) -> Markup:
    """Text as HTML with each hotline a tel: link on a page; plain in a PDF (`printing`), where a tap cannot call."""
    if context.get("printing"):
        return Markup.escape(text)
    return link_hotlines(text, state().library.hotlines.pattern())


@bp.app_template_filter("statement")
@pass_context
def statement_html(context: Context, paragraph: Paragraph) -> Markup:
    """A sourced statement as HTML: its text escaped, each hotline a tel: link on a page, each date or figure in it
    kept on one line."""
    return _with_tel_links(context, paragraph.template).format(**{k: nowrap(v) for k, v in paragraph.fill.items()})


@bp.app_template_filter("tel")
@pass_context
def tel_links(context: Context, text: str) -> Markup:
    """Data text (a next step, a rule, a complaint channel) with each hotline in it a tel: link on a page."""
    return _with_tel_links(context, text)


@dataclass(frozen=True)
class RateCheck:
    """A penalty rate high enough to be a unit mistake, shown back (in its debt's part of the form) before the
    summary uses it."""

    amount: Decimal  # the overdue amount the penalty is computed on
    assessment: Assessment  # the debt's own
    row: int  # the debt's row on the form


def no_store(response: Response) -> Response:
    """A summary is about one person: no cache anywhere may keep it."""
    response.headers["Cache-Control"] = "no-store"
    return response


def show_form(
    v: Variant,
    form_input: forms.FormInput,
    errors: list[FieldError],
    status: int = 200,
    rate_checks: Sequence[RateCheck] = (),
) -> Response:
    by_field: dict[str, str] = {}
    for error in errors:
        by_field.setdefault(form_input.form_field(error.field), error.message)
    debt_rows = forms.debts_to_show(form_input)
    html = render_template(
        "situation/form.html",
        values=form_input.values,
        debt_rows=debt_rows,
        # Which debts a log row may name: the filled ones (the spare row is no debt yet).
        debt_choices=[n for n, row in enumerate(debt_rows) if forms.debt_filled(row, n)],
        max_debts=MAX_DEBTS,
        log_rows=forms.rows_to_show(form_input),
        errors=by_field,
        error_list=errors,
        error_links=[(form_input.form_field(error.field), error.message) for error in errors],
        contacts=list(Contact),
        lender_types=list(LenderType),
        stage_hints=list(StageHint),
        texts=state().rules.for_variant(v),
        prefilled=bool(form_input.data) or bool(errors),
        default_platform=DEFAULT_PLATFORM,
        rate_checks={check.row: check for check in rate_checks},
    )
    return no_store(Response(html, status=status, mimetype="text/html"))


@bp.get("/<variant:v>/situation")
def form(v: Variant) -> Response:
    response = show_form(v, forms.empty(), [])
    response.headers["Cache-Control"] = "no-cache"  # the empty form is the same for everyone
    return response


@bp.post("/<variant:v>/situation")
def form_again(v: Variant) -> Response:
    """The form again, filled in with what the reader posted: "change answers" on a summary. Validated as a summary
    is, and bounded by the form's reading (at most MAX_DEBTS debts and MAX_LOG_ENTRIES log rows are shown again), so
    that a crafted post costs no more than a summary; answers a summary would refuse come back with their errors."""
    form_input, answers = _validated(v)
    if isinstance(answers, Answers):
        return show_form(v, form_input, [])
    return show_form(v, form_input, answers, status=422)


def _validated(v: Variant) -> tuple[forms.FormInput, Answers | list[FieldError]]:
    """The answers, or every problem at once: what the form could not read, then what the model refused."""
    form_input = forms.parse(request.form, v)
    answers = validate(form_input.data)
    problems = [field_error(_path(p.field), p.code, p.context) for p in form_input.problems]
    if problems:
        return form_input, problems + ([] if isinstance(answers, Answers) else answers)
    return form_input, answers


def _path(name: str) -> tuple[str | int, ...]:
    """A dotted field name as the path field_error labels: debts.1.penalty_daily_rate_percent -> ("debts", 1, ...)."""
    return tuple(int(part) if part.isdigit() else part for part in name.split("."))


def unconfirmed_rate(form_input: forms.FormInput, answers: Answers, assessment: Assessment) -> list[RateCheck]:
    """A rate above the plausible line must be confirmed by the reader, for this very rate, before it is used: for
    each debt whose rate is (one debt: its top-level answers)."""
    debts: list[tuple[Decimal | None, Decimal | None, Assessment]]
    if answers.debts is not None and assessment.debts is not None:
        debts = [
            (d.overdue_amount, d.penalty_daily_rate_percent, a)
            for d, a in zip(answers.debts, assessment.debts, strict=True)
        ]
    else:
        debts = [(answers.overdue_amount, answers.penalty_daily_rate_percent, assessment)]
    checks = []
    for index, (amount, rate, debt_assessment) in enumerate(debts):
        row = form_input.debt_row_of[index]
        flagged = any(w.code == "rate_implausible" for w in debt_assessment.warnings)
        if flagged and form_input.values["debts"][row]["confirm_rate"] != str(rate):
            checks.append(RateCheck(amount=amount or Decimal(0), assessment=debt_assessment, row=row))
    return checks


def _checked(v: Variant) -> Response | tuple[forms.FormInput, Answers, Assessment]:
    """The posted answers and their assessment (made once), or the form again with a 422: with every problem, or
    asking the reader to confirm an implausible rate."""
    form_input, answers = _validated(v)
    if not isinstance(answers, Answers):
        return show_form(v, form_input, answers, status=422)
    assessment = run_assessment(answers)
    if checks := unconfirmed_rate(form_input, answers, assessment):
        return show_form(v, form_input, [], status=422, rate_checks=checks)
    return form_input, answers, assessment


@bp.post("/<variant:v>/situation/summary")
def summary(v: Variant) -> Response:
    checked = _checked(v)
    if isinstance(checked, Response):
        return checked
    form_input, answers, assessment = checked
    html = render_summary_html(
        answers,
        assessment,
        values=form_input.values,
        log_rows=form_input.log_rows,
        rate=form_input.rate,
        other_variants=[other for other in VARIANTS.values() if other != v],
    )
    return no_store(Response(html, mimetype="text/html"))


def pdf_response(
    pdf: bytes, as_of: date, variant: Variant, names: Callable[[date], tuple[str, str]] = download_name
) -> Response:
    """A PDF download under a neutral name (`names`: the summary's by default; a letter passes its own)."""
    response = Response(pdf, mimetype="application/pdf")
    with force_locale(variant.locale):
        ascii_name, name = names(as_of)
    response.headers["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return no_store(response)


def too_long_error() -> FieldError:
    return field_error(("contact_log",), "too_long_to_print")


class ClientLeft(HTTPException):
    """The reader hung up while their PDF waited for a render process: nothing was rendered, nobody reads this."""

    code = CLIENT_LEFT
    description = "The client left before its answer was ready."


def render_pdf_or_refuse(
    answers: Answers, assessment: Assessment, rate: forms.RateReading | None = None
) -> bytes | None:
    """The summary PDF, or None when it would be too long to print; a render over time, a busy pool, or a client
    already holding its share of the pool is a 503 to retry. `rate`: how the form read the penalty rate, shown back
    in the PDF as on the page."""
    try:
        with state().pdf_slots.hold(client_key()):
            return render_summary_pdf(answers, assessment, rate=rate)
    except PdfTooLong:
        return None
    except ClientGone as gone:
        raise ClientLeft() from gone
    except SlotsTaken as taken:
        raise ServiceUnavailable(retry_after=10) from taken
    except (PdfTooSlow, PdfBusy) as busy:
        raise ServiceUnavailable(retry_after=30) from busy


@bp.post("/<variant:v>/situation/summary.pdf")
def summary_pdf(v: Variant) -> Response:
    checked = _checked(v)
    if isinstance(checked, Response):
        return checked
    form_input, answers, assessment = checked
    pdf = render_pdf_or_refuse(answers, assessment, form_input.rate)
    if pdf is None:
        return show_form(v, form_input, [too_long_error()], status=422)
    return pdf_response(pdf, assessment.as_of, VARIANTS[answers.variant.lower()])
