"""The letters: what the form views and the API share. Validate, compose, render as HTML, plain text or PDF.

The glue between the pure core (webapp/situation/letters/: models, texts, composition) and the app's edges (the
templates, the PDF renderer, Babel); like summary.py, which it stands beside. Nothing about a letter is stored.
"""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import force_locale, gettext, lazy_gettext
from pydantic import ValidationError

from webapp import formatting
from webapp.field_errors import FIELD_LABELS, FieldError, from_validation_error
from webapp.printing import print_for_reader
from webapp.situation.letters.compose import Letter, Part, compose
from webapp.situation.letters.model import MODEL_ERROR_FIELDS, LetterBase, LetterKind, letter_from
from webapp.situation.letters.texts import LetterTexts
from webapp.sources import Source
from webapp.state import state
from webapp.variants import VARIANTS, Variant

_ = lazy_gettext
SHANGHAI = ZoneInfo("Asia/Shanghai")

LETTER_FIELD_LABELS = {
    **FIELD_LABELS,
    "name": _("Your name"),
    "lender": _("Lender"),
    "lender_kind": _("Type of lender"),
    "date": _("Date of the letter"),
    "court": _("Court that issued the payment order"),
    "case_number": _("Case number"),
    "received_on": _("Date you received the payment order"),
    "reasons": _("Reasons for objecting"),
    "scope": _("What you object to"),
    "details": _("What happened, in your words"),
    "channels": _("How they may contact you"),
    "hours": _("Hours for contact"),
    "hours.from": _("Hours for contact: from"),
    "hours.until": _("Hours for contact: until"),
    "third_parties": _("Who they contacted"),
    "monthly": _("Monthly amount you offer"),
    "offer": _("One-off amount you offer"),
    "reason": _("Why you could not pay"),
    "start": _("Date of the first payment"),
    "ask_waiver": _("Ask to waive penalty interest"),
    "about": _("What the complaint is about"),
    "what_happened": _("What happened"),
    "asked_for": _("What you ask for"),
    "send_to": _("Who receives the dispute"),
    "entry": _("The wrong entry"),
    "why_wrong": _("What is wrong with it"),
    "items": _("What you ask for"),
}


def today() -> date:
    return datetime.now(SHANGHAI).date()


def texts_for(variant: Variant) -> LetterTexts:
    return state().letters.for_variant(variant)


def variant_of(answers: LetterBase) -> Variant:
    return VARIANTS[answers.variant.lower()]


def refusal(kind: LetterKind, code: str, variant: Variant) -> Part | None:
    """The sourced explanation behind a refusal (an objection whose only reason is that the reader cannot pay),
    shown beside the error on the form and added to the API's message."""
    statement = texts_for(variant).kind(kind).statements.get(f"refusals.{code}")
    return Part(id=statement.id, template=statement.text, sources=statement.sources) if statement else None


def validate(kind: LetterKind, data: object) -> LetterBase | list[FieldError]:
    """The kind's answers, or every field at fault with a message in the reader's variant."""
    try:
        return letter_from(kind, data, state().drawable)
    except ValidationError as error:
        return from_validation_error(error, LETTER_FIELD_LABELS, MODEL_ERROR_FIELDS)


def explained(kind: LetterKind, errors: list[FieldError], variant: Variant) -> list[FieldError]:
    """The errors with each refusal's sourced explanation added to its message (the API's answer; the form shows
    the explanation beside the error, with its sources)."""
    out = []
    for found in errors:
        why = refusal(kind, found.code, variant)
        out.append(FieldError(found.field, found.code, f"{found.message} {why.text}" if why else found.message))
    return out


def build(answers: LetterBase) -> Letter:
    variant = variant_of(answers)
    with force_locale(variant.locale):
        return compose(answers, texts_for(variant), state().rules, today(), formatting.long_date, formatting.money)


def numbered_sources(letter: Letter) -> tuple[list[Source], dict[str, int]]:
    sources = letter.sources()
    return sources, {s.id: number for number, s in enumerate(sources, start=1)}


def letter_context(letter: Letter) -> dict[str, Any]:
    variant = VARIANTS[letter.variant.lower()]
    sources, numbers = numbered_sources(letter)
    return {
        "letter": letter,
        "variant": variant,
        "kind_texts": texts_for(variant).kind(letter.kind),
        "sources": sources,
        "source_numbers": numbers,
    }


def letter_json(letter: Letter) -> dict[str, Any]:
    """DESIGN's answer: {kind, title, to, text, deadline, warnings, sources}."""
    return {
        "kind": letter.kind.value,
        "title": letter.title,
        "to": letter.to,
        "text": letter.plain_text(),
        "deadline": letter.deadline.isoformat() if letter.deadline else None,
        "warnings": [
            {"code": w.code, "text": w.part.text, "sources": [s.id for s in w.part.sources]} for w in letter.warnings
        ],
        "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in letter.sources()],
    }


def download_name(day: date) -> tuple[str, str]:
    """The letter PDF's file name (ASCII, and in the reader's script), naming neither the debt, the lender nor
    the kind of letter: a phone's download list and notifications are seen by others. Call inside the locale."""
    name = gettext("Letter")  # outside the f-string, where Babel's extractor sees it
    return f"letter-{day.isoformat()}.pdf", f"{name}-{day.isoformat()}.pdf"


def _render(template: str, letter: Letter, **extra: object) -> str:
    with force_locale(VARIANTS[letter.variant.lower()].locale):
        return render_template(template, **letter_context(letter), **extra)


def render_letter_html(letter: Letter, **extra: object) -> str:
    return _render("letters/letter.html", letter, **extra)


def letter_print_html(letter: Letter) -> str:
    """The HTML the letter PDF is printed from."""
    return _render("print/letter.html", letter)


def render_letter_pdf(letter: Letter) -> bytes:
    return print_for_reader(letter_print_html(letter), letter.variant)
