"""The JSON API: answers in, assessment or summary PDF out. Same model, rules and renderer as the form."""

import json
from decimal import Decimal

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from webapp.negotiation import negotiate
from webapp.situation.model import Answers
from webapp.situation.openapi import openapi_document
from webapp.summary import run_assessment, validate
from webapp.variants import VARIANTS
from webapp.views.situation import no_store, pdf_response, render_pdf_or_refuse, too_long_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _parse_constant(name: str) -> float:
    return float(name)  # NaN and Infinity reach the model, which names the field they were given for


def read_answers() -> Answers | Response:
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
    answers = validate(data)
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


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())
