"""Error pages in the reader's variant, and JSON errors for the API. An HTTP error never becomes a bare page."""

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from webapp.negotiation import current_variant


def api_message(error: HTTPException) -> str:
    messages = {
        400: gettext("The request body is not valid JSON."),
        404: gettext("There is no such API address."),
        405: gettext("This API address does not accept that method."),
        413: gettext("The request is too large."),
        415: gettext("Send the answers as JSON (Content-Type: application/json)."),
        429: gettext("Too many requests. Please wait a moment and try again."),
        503: gettext("The service is busy. Please try again in a moment."),
    }
    return str(messages.get(error.code or 500, gettext("Something went wrong. Please try again in a moment.")))


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        g.variant = current_variant()
        g.error = True
        if request.path.startswith("/api/"):
            code = {400: "malformed_json", 413: "too_large", 415: "not_json", 429: "rate_limited", 503: "busy"}.get(
                error.code or 500, "http_error"
            )
            body = {"errors": [{"field": "__body__", "code": code, "message": api_message(error)}]}
            response = make_response(jsonify(body), error.code or 500)
        else:
            response = make_response(render_template("error.html", error=error), error.code or 500)
        if error.code in (429, 503):
            response.headers["Cache-Control"] = "no-store"  # a passing state: no cache may keep it
        for name in ("Retry-After", "Allow"):
            value = dict(error.get_headers()).get(name)
            if value:
                response.headers[name] = value
        return response
