"""The letters: the list, each letter's form (precached: it opens offline), the letter as a page and as a PDF.
Nothing posted here is stored or logged."""

from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from markupsafe import Markup, escape
from werkzeug.exceptions import ServiceUnavailable

from webapp.field_errors import FieldError, field_error
from webapp.formatting import nowrap
from webapp.letters import (
    LETTER_FIELD_LABELS,
    build,
    refusal,
    render_letter_html,
    render_letter_pdf,
    texts_for,
    validate,
)
from webapp.letters import download_name as letter_download_name
from webapp.pdf.render import PdfBusy, PdfTooLong, PdfTooSlow
from webapp.situation.letters import forms
from webapp.situation.letters.compose import Part
from webapp.situation.letters.model import LetterBase, LetterKind
from webapp.situation.model import Contact
from webapp.state import state
from webapp.variants import Variant
from webapp.views.situation import no_store, pdf_response

bp = Blueprint("letters", __name__)

# Fills that are dates or amounts: kept on one line, as on the summary.
ON_ONE_LINE = frozenset({"deadline", "received_on", "start", "monthly", "offer", "hours_from", "hours_until", "blank"})


@bp.app_template_filter("letter_part")
def part_html(part: Part) -> Markup:
    """A letter's paragraph as HTML: its text escaped, the reader's own words marked as theirs (class "note"),
    each date or amount kept on one line."""
    fill: dict[str, Any] = {}
    for key, value in part.fill.items():
        if key in part.reader:
            fill[key] = Markup('<span class="note">{}</span>').format(value)
        elif key in ON_ONE_LINE:
            fill[key] = nowrap(value)
        else:
            fill[key] = escape(value)
    return escape(part.template).format(**fill)


@bp.app_template_filter("addressee")
def addressee(text: str, name: str | None = None) -> Markup:
    """Text naming who receives a letter, that name marked as a name (class "addressee"): a court or a regulator
    named is no statement about the law."""
    name = text if name is None else name
    before, found, after = text.partition(name)
    if not found:
        return escape(text)
    return escape(before) + Markup('<span class="addressee">{}</span>').format(name) + escape(after)


def kind_or_404(kind: str) -> LetterKind:
    try:
        return LetterKind(kind)
    except ValueError:
        abort(404)


def show_form(
    v: Variant, form: forms.LetterForm, errors: list[FieldError], status: int = 200, debt: int | None = None
) -> Response:
    by_field: dict[str, str] = {}
    for error in errors:
        by_field.setdefault(form.form_field(error.field), error.message)
    refusals = [r for e in errors if (r := refusal(form.kind, e.code, v)) is not None]
    texts = texts_for(v)
    k = texts.kind(form.kind)
    contact_texts = state().rules.for_variant(v).contacts
    cited = [s for st in k.does for s in st.sources] + [s for r in refusals for s in r.sources]
    sources = list({s.id: s for s in cited}.values())
    html = render_template(
        "letters/form.html",
        kind=form.kind,
        k=k,
        lender_kinds=[(kind.value, label) for kind, label in texts.lender_kinds.items()],
        options={group: [(key, c.label) for key, c in found.items()] for group, found in k.choices.items()},
        contact_options=[(c.value, contact_texts[c.value].label) for c in Contact],
        values=form.values,
        log_rows=form.rows_to_show(),
        errors=by_field,
        error_list=[e.message for e in errors],
        refusals=refusals,
        contacts=list(Contact),
        contact_texts=contact_texts,
        prefilled=bool(form.data) or bool(errors),
        debt=debt,
        sources=sources,
        source_numbers={s.id: n for n, s in enumerate(sources, start=1)},
    )
    return no_store(Response(html, status=status, mimetype="text/html"))


@bp.get("/<variant:v>/letters/")
def index(v: Variant) -> str:
    texts = texts_for(v)
    sources = list({s.id: s for k in texts.kinds.values() for st in k.does for s in st.sources}.values())
    return render_template(
        "letters/index.html",
        kinds=list(texts.kinds.values()),
        sources=sources,
        source_numbers={s.id: n for n, s in enumerate(sources, start=1)},
    )


@bp.get("/<variant:v>/letters/<kind>")
def form(v: Variant, kind: str) -> Response:
    # ?debt=<i>[&monthly=<offer>]: the summary's link for one of several debts (forms.for_debt).
    shown, debt = forms.for_debt(kind_or_404(kind), request.args)
    response = show_form(v, shown, [], debt=debt)
    response.headers["Cache-Control"] = "no-cache"  # the same for everyone who opens the same address
    return response


def _checked(v: Variant, kind: LetterKind) -> Response | tuple[forms.LetterForm, LetterBase]:
    """The posted answers, or the form again: to change them ("change answers"), or with every problem (422)."""
    posted = forms.parse(kind, request.form, v)
    if request.form.get("action") == "edit":
        return show_form(v, posted, [])
    answers = validate(kind, posted.data)
    if not isinstance(answers, LetterBase):
        return show_form(v, posted, answers, status=422)
    return posted, answers


@bp.post("/<variant:v>/letters/<kind>")
def letter(v: Variant, kind: str) -> Response:
    checked = _checked(v, kind_or_404(kind))
    if isinstance(checked, Response):
        return checked
    posted, answers = checked
    html = render_letter_html(build(answers), values=posted.values, log_rows=posted.log_rows)
    return no_store(Response(html, mimetype="text/html"))


def letter_pdf_or_none(answers: LetterBase) -> tuple[bytes | None, Any]:
    """The letter and its PDF (None when it would be too long to print); a render over time is a 503 to retry."""
    built = build(answers)
    try:
        return render_letter_pdf(built), built
    except PdfTooLong:
        return None, built
    except (PdfTooSlow, PdfBusy) as busy:
        raise ServiceUnavailable(retry_after=30) from busy


@bp.post("/<variant:v>/letters/<kind>.pdf")
def letter_pdf(v: Variant, kind: str) -> Response:
    checked = _checked(v, kind_or_404(kind))
    if isinstance(checked, Response):
        return checked
    posted, answers = checked
    pdf, built = letter_pdf_or_none(answers)
    if pdf is None:
        return show_form(v, posted, [too_long(kind_or_404(kind))], status=422)
    return pdf_response(pdf, built.date, v, letter_download_name)


def too_long(kind: LetterKind) -> FieldError:
    field = "contact_log" if kind == LetterKind.COMPLAINT else "details"
    return field_error((field,), "too_long_to_print", labels=LETTER_FIELD_LABELS)
