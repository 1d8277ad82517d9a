"""The JSON API: answers in, assessment or summary PDF out. Same model, rules and renderer as the form."""

import json
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, g, jsonify, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from webapp import letters
from webapp.negotiation import negotiate
from webapp.situation.letters.model import LetterBase, LetterKind
from webapp.situation.model import Answers
from webapp.situation.openapi import openapi_document
from webapp.summary import run_assessment, validate
from webapp.variants import VARIANTS
from webapp.views.letters import letter_pdf_or_none, too_long
from webapp.views.situation import no_store, pdf_response, render_pdf_or_refuse, too_long_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _parse_constant(name: str) -> float:
    return float(name)  # NaN and Infinity reach the model, which names the field they were given for


def read_json() -> Any:
    """The body as JSON with exact decimals; the request's variant (for messages) from it or Accept-Language."""
    if not request.is_json:
        raise UnsupportedMediaType()
    body = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH this raises 413
    try:
        data = json.loads(body.decode("utf-8"), parse_float=Decimal, parse_constant=_parse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BadRequest() from error
    requested = data.get("variant") if isinstance(data, dict) else None
    g.variant = VARIANTS.get(str(requested).lower()) if isinstance(requested, str) else None
    g.variant = g.variant or negotiate(None, request.headers.get("Accept-Language"))
    return data


def read_answers() -> Answers | Response:
    answers = validate(read_json())
    if isinstance(answers, Answers):
        return answers
    return no_store(jsonify(errors=[e.as_json() for e in answers]))


def invalid(response: Response) -> Response:
    response.status_code = 422
    return response


@bp.post("/assessment")
def assessment() -> Response:
    answers = read_answers()
    if isinstance(answers, Response):
        return invalid(answers)
    return no_store(jsonify(run_assessment(answers).model_dump(mode="json")))


@bp.post("/summary.pdf")
def summary_pdf() -> Response:
    answers = read_answers()
    if isinstance(answers, Response):
        return invalid(answers)
    assessment = run_assessment(answers)
    pdf = render_pdf_or_refuse(answers, assessment)
    if pdf is None:
        return invalid(no_store(jsonify(errors=[too_long_error().as_json()])))
    return pdf_response(pdf, assessment.as_of, VARIANTS[answers.variant.lower()])


def read_letter(kind: str) -> LetterBase | Response:
    try:
        letter_kind = LetterKind(kind)
    except ValueError:
        abort(404)
    data = read_json()
    answers = letters.validate(letter_kind, data)
    if isinstance(answers, LetterBase):
        return answers
    errors = letters.explained(letter_kind, answers, g.variant)
    return invalid(no_store(jsonify(errors=[e.as_json() for e in errors])))


@bp.post("/letters/<kind>")
def letter(kind: str) -> Response:
    answers = read_letter(kind)
    if isinstance(answers, Response):
        return answers
    return no_store(jsonify(letters.letter_json(letters.build(answers))))


@bp.post("/letters/<kind>.pdf")
def letter_pdf(kind: str) -> Response:
    answers = read_letter(kind)
    if isinstance(answers, Response):
        return answers
    pdf, built = letter_pdf_or_none(answers)
    if pdf is None:
        return invalid(no_store(jsonify(errors=[too_long(built.kind).as_json()])))
    return pdf_response(pdf, built.date, VARIANTS[answers.variant.lower()], letters.download_name)


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())
