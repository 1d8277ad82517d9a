"""The OpenAPI 3.1 description of the API, generated from the pydantic models (never written by hand)."""

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from webapp.situation.assess import Assessment
from webapp.situation.letters.model import MODELS, LetterKind
from webapp.situation.model import Answers


class FieldErrorOut(BaseModel):
    field: str
    code: str
    message: str


class ErrorResponse(BaseModel):
    errors: list[FieldErrorOut]


class LetterSourceOut(BaseModel):
    id: str
    title: str
    url: str | None


class LetterWarningOut(BaseModel):
    code: str  # deadline_passed | cap_not_for_licensed | call_110 | find_lender_kind
    text: str
    sources: list[str]


class LetterOut(BaseModel):
    """DESIGN's letter: the plain text to paste or print, who receives it, its deadline (ISO date or null)."""

    kind: LetterKind
    title: str
    to: str
    text: str
    deadline: str | None
    warnings: list[LetterWarningOut]
    sources: list[LetterSourceOut]


def _schema_name(kind: LetterKind) -> str:
    return MODELS[kind].__name__


def letter_paths() -> dict[str, Any]:
    """Each letter's two addresses: JSON in, the letter as JSON or as a PDF out."""
    paths: dict[str, Any] = {}
    for kind in LetterKind:
        body = {"required": True, "content": {"application/json": {"schema": _ref(_schema_name(kind))}}}
        refused = (
            " An objection whose only reason is `cannot_pay` is refused on `reasons` (code `cannot_pay_only`), with "
            "what the court does with such an objection."
            if kind == LetterKind.PAYMENT_ORDER_OBJECTION
            else ""
        )
        paths[f"/api/v1/letters/{kind.value}"] = {
            "post": {
                "operationId": f"letter_{kind.name.lower()}",
                "summary": f"The letter {kind.value}, as plain text with its sources",
                "description": "Nothing sent is stored or logged." + refused,
                "requestBody": body,
                "responses": {
                    "200": {
                        "description": "The letter",
                        "content": {"application/json": {"schema": _ref("LetterOut")}},
                    },
                    **COMMON_ERRORS,
                },
            }
        }
        paths[f"/api/v1/letters/{kind.value}.pdf"] = {
            "post": {
                "operationId": f"letter_{kind.name.lower()}_pdf",
                "summary": f"The letter {kind.value} as a PDF with room to sign (file name letter-<date>.pdf)",
                "description": "Nothing sent is stored or logged." + refused,
                "requestBody": body,
                "responses": {
                    "200": {
                        "description": "The letter, then a page for the reader: what it does, how to send it, sources",
                        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    **COMMON_ERRORS,
                    "503": _errors("The render took too long; retry after the Retry-After seconds."),
                },
            }
        }
    return paths


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _errors(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("ErrorResponse")}}}


COMMON_ERRORS = {
    "400": _errors("The body is not valid JSON (or not UTF-8)."),
    "413": _errors("The body is larger than the limit."),
    "415": _errors("The body is not sent as application/json."),
    "422": _errors("Well-formed JSON with invalid answers: one entry per field at fault, in the request's variant."),
}


@cache
def openapi_document() -> dict[str, Any]:
    _, schemas = models_json_schema(
        [
            (Answers, "validation"),
            (Assessment, "serialization"),
            (ErrorResponse, "serialization"),
            (LetterOut, "serialization"),
            *((model, "validation") for model in MODELS.values()),
        ],
        ref_template="#/components/schemas/{model}",
    )
    request_body = {"required": True, "content": {"application/json": {"schema": _ref("Answers")}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "逾期应对指南 API",
            "version": "1",
            "description": "Answers about an overdue online loan -> a sourced assessment or a printable summary. "
            "One debt's answers, or `debts` (1-20) with an optional `budget`: then the assessment holds each debt's "
            "own assessment and a `plan` (the order with a sourced reason per debt, each lender's monthly offer pro "
            "rata to what is owed, to the fen, never more than is available). "
            "Nothing sent is stored or logged. Money is given and returned as decimal strings (CNY).",
        },
        "paths": {
            "/api/v1/assessment": {
                "post": {
                    "operationId": "assess",
                    "summary": "Assess a situation",
                    "requestBody": request_body,
                    "responses": {
                        "200": {
                            "description": "The assessment",
                            "content": {"application/json": {"schema": _ref("Assessment")}},
                        },
                        **COMMON_ERRORS,
                    },
                }
            },
            "/api/v1/summary.pdf": {
                "post": {
                    "operationId": "summaryPdf",
                    "summary": "The printable summary of a situation",
                    "requestBody": request_body,
                    "responses": {
                        "200": {
                            "description": "The summary as a PDF (2-4 A4 pages for a typical situation)",
                            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                        },
                        **COMMON_ERRORS,
                        "503": _errors("The render took too long; retry after the Retry-After seconds."),
                    },
                }
            },
            **letter_paths(),
        },
        "components": {"schemas": schemas["$defs"]},
    }
