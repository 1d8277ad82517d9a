"""The OpenAPI 3.1 description of the API, generated from the pydantic models (never written by hand)."""

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from webapp.situation.assess import Assessment
from webapp.situation.model import Answers


class FieldErrorOut(BaseModel):
    field: str
    code: str
    message: str


class ErrorResponse(BaseModel):
    errors: list[FieldErrorOut]


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
        [(Answers, "validation"), (Assessment, "serialization"), (ErrorResponse, "serialization")],
        ref_template="#/components/schemas/{model}",
    )
    request_body = {"required": True, "content": {"application/json": {"schema": _ref("Answers")}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "逾期应对指南 API",
            "version": "1",
            "description": "Answers about an overdue online loan -> a sourced assessment or a printable summary. "
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
        },
        "components": {"schemas": schemas["$defs"]},
    }
