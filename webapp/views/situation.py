"""The situation form and the summary it produces (HTML and PDF). Nothing here is stored or logged."""

from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import ServiceUnavailable

from webapp.pdf import PdfBusy, PdfTooLong, PdfTooSlow
from webapp.situation import forms
from webapp.situation.errors import MESSAGES, FieldError, field_label
from webapp.situation.model import DEFAULT_PLATFORM, Answers, Contact, LenderType
from webapp.state import state
from webapp.summary import render_summary_html, render_summary_pdf, run_assessment, validate
from webapp.variants import Variant

bp = Blueprint("situation", __name__)


def no_store(response: Response) -> Response:
    """A summary is about one person: no cache anywhere may keep it."""
    response.headers["Cache-Control"] = "no-store"
    return response


def show_form(v: Variant, form_input: forms.FormInput, errors: list[FieldError], status: int = 200) -> Response:
    by_field: dict[str, str] = {}
    for error in errors:
        by_field.setdefault(form_input.form_field(error.field), error.message)
    html = render_template(
        "situation/form.html",
        values=form_input.values,
        log_rows=forms.rows_to_show(form_input),
        errors=by_field,
        error_list=errors,
        contacts=list(Contact),
        lender_types=list(LenderType),
        texts=state().rules.for_variant(v),
        prefilled=bool(form_input.data) or bool(errors),
        quick_exit_url=state().settings.QUICK_EXIT_URL,
        default_platform=DEFAULT_PLATFORM,
    )
    return no_store(Response(html, status=status, mimetype="text/html"))


@bp.get("/<variant:v>/situation")
def form(v: Variant) -> Response:
    response = show_form(v, forms.empty(), [])
    response.headers["Cache-Control"] = "no-cache"  # the empty form is the same for everyone
    return response


@bp.post("/<variant:v>/situation")
def form_again(v: Variant) -> Response:
    """The form again, filled in with what the reader posted: "change answers" on a summary."""
    return show_form(v, forms.parse(request.form, v), [])


def _validated(v: Variant) -> tuple[forms.FormInput, Answers | list[FieldError]]:
    form_input = forms.parse(request.form, v)
    return form_input, validate(form_input.data)


@bp.post("/<variant:v>/situation/summary")
def summary(v: Variant) -> Response:
    form_input, answers = _validated(v)
    if not isinstance(answers, Answers):
        return show_form(v, form_input, answers, status=422)
    html = render_summary_html(answers, run_assessment(answers), values=form_input.values, log_rows=form_input.log_rows)
    return no_store(Response(html, mimetype="text/html"))


def pdf_response(pdf: bytes, as_of: date) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    day = as_of.isoformat()
    name = quote(gettext("Overdue situation summary"))  # outside the f-string, where Babel's extractor sees it
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"situation-summary-{day}.pdf\"; filename*=UTF-8''{name}-{day}.pdf"
    )
    return no_store(response)


def too_long_error() -> FieldError:
    return FieldError(
        field="contact_log",
        code="too_long_to_print",
        message=str(MESSAGES["too_long_to_print"]) % {"field": field_label(("contact_log",))},
    )


def render_pdf_or_refuse(answers: Answers) -> tuple[bytes | None, date]:
    """The summary PDF, or None when it would be too long to print; a render over time is a 503 to retry."""
    assessment = run_assessment(answers)
    try:
        return render_summary_pdf(answers, assessment), assessment.as_of
    except PdfTooLong:
        return None, assessment.as_of
    except (PdfTooSlow, PdfBusy) as busy:
        raise ServiceUnavailable(retry_after=30) from busy


@bp.post("/<variant:v>/situation/summary.pdf")
def summary_pdf(v: Variant) -> Response:
    form_input, answers = _validated(v)
    if not isinstance(answers, Answers):
        return show_form(v, form_input, answers, status=422)
    pdf, as_of = render_pdf_or_refuse(answers)
    if pdf is None:
        return show_form(v, form_input, [too_long_error()], status=422)
    return pdf_response(pdf, as_of)
