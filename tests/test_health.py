"""/healthz: ready only when content, catalogs and fonts are all there."""

from webapp import create_app
from webapp.state import state


def test_healthz_reports_ready_with_each_check(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert "58-finance-overdue" in body["checks"]["content"]["guides"]
    assert body["checks"]["catalogs"]["loaded"] == {"zh_Hans": True, "zh_Hant": True}
    assert body["checks"]["fonts"]["found"]["Noto Sans CJK SC"].endswith(".ttc")


def test_healthz_is_unavailable_without_fonts() -> None:
    app = create_app({"TESTING": True, "PDF_PRERENDER": False, "PDF_WARM_UP": False})
    state(app).fonts = {"Noto Sans CJK SC": None, "Noto Sans CJK TC": None}
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["fonts"]["ok"] is False


def test_healthz_is_unavailable_without_compiled_catalogs(tmp_path) -> None:
    app = create_app({"TESTING": True, "PDF_PRERENDER": False, "PDF_WARM_UP": False, "TRANSLATIONS_DIR": tmp_path})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["catalogs"]["ok"] is False
