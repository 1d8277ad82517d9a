"""Liveness and readiness for load balancers and the container HEALTHCHECK."""

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from webapp.state import state

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    app_state = state()
    fonts, library, catalogs = app_state.fonts, app_state.library, app_state.catalogs
    checks = {
        "content": {"ok": bool(library.slugs), "guides": library.slugs},
        "catalogs": {"ok": all(catalogs.values()), "loaded": catalogs},
        "fonts": {"ok": all(fonts.values()), "found": {k: str(v) if v else None for k, v in fonts.items()}},
    }
    ready = all(check["ok"] for check in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503
