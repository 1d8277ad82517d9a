"""Liveness and readiness for load balancers and the container HEALTHCHECK."""

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    fonts = current_app.extensions["fonts"]
    library = current_app.extensions["library"]
    catalogs = current_app.extensions["catalogs"]
    checks = {
        "content": {"ok": bool(library.slugs), "guides": library.slugs},
        "catalogs": {"ok": all(catalogs.values()), "loaded": catalogs},
        "fonts": {"ok": all(fonts.values()), "found": {k: str(v) if v else None for k, v in fonts.items()}},
    }
    ready = all(check["ok"] for check in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503
