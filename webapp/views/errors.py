"""Error pages in the reader's variant. An HTTP error never becomes a 500 or a bare Werkzeug page."""

from flask import Flask, g, render_template
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        from webapp import current_variant

        g.variant = current_variant()
        g.error = True
        return render_template("error.html", error=error), error.code or 500
