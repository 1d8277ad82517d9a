"""Per-client rate limits on the expensive POST routes (Flask-Limiter).

In-memory counters per process by default; with RATELIMIT_STORAGE_URI (redis://...) all instances share them.
Pages and static files are not limited: readers behind one shared address (a campus, a carrier NAT) must always
be able to read. Each app gets its own Limiter, so two apps in one process never share counters or settings.
"""

from typing import cast

from flask import Flask
from flask.typing import RouteCallable
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from webapp.settings import Settings

SUMMARY_LIMIT = "30 per minute;300 per hour"
PDF_LIMIT = "10 per minute;100 per hour"
LIMITED_ENDPOINTS = {
    "situation.summary": SUMMARY_LIMIT,
    "situation.summary_pdf": PDF_LIMIT,
    "api.assessment": SUMMARY_LIMIT,
    "api.summary_pdf": PDF_LIMIT,
}


def make_limiter(settings: Settings) -> Limiter:
    return Limiter(
        key_func=get_remote_address,
        storage_uri=settings.RATELIMIT_STORAGE_URI,
        enabled=settings.RATELIMIT_ENABLED,
        headers_enabled=True,
        default_limits=[],
    )


def init_app(app: Flask, limiter: Limiter) -> None:
    """Call after the blueprints are registered: it wraps their views."""
    limiter.init_app(app)
    for endpoint, limit in LIMITED_ENDPOINTS.items():
        app.view_functions[endpoint] = cast(RouteCallable, limiter.limit(limit)(app.view_functions[endpoint]))
