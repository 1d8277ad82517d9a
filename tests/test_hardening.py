"""Hardening: security headers on every response, rate limits, bounded PDF rendering, stateless instances."""

import threading

import pytest

from tests.helpers import GUIDE_SLUG
from webapp import create_app
from webapp.pdf.render import PdfBusy
from webapp.security import CONTENT_SECURITY_POLICY
from webapp.state import state
from webapp.variants import HANS

ANSWERS = {
    "as_of": "2026-11-28",
    "due_date": "2026-10-01",
    "overdue_amount": "1000",
    "penalty_daily_rate_percent": "0.05",
}
FORM = {**ANSWERS, "penalty_rate_unit": "daily_percent", "contacts": ["phone"]}


def every_kind_of_response(client, app) -> dict[str, object]:
    assets = state(app).assets
    return {
        "root": client.get("/"),
        "home": client.get("/zh-hans/"),
        "guide": client.get(f"/zh-hant/guides/{GUIDE_SLUG}"),
        "guide pdf": client.get(f"/zh-hans/guides/{GUIDE_SLUG}.pdf"),
        "form": client.get("/zh-hant/situation"),
        "summary": client.post("/zh-hans/situation/summary", data=FORM),
        "summary pdf": client.post("/zh-hans/situation/summary.pdf", data=FORM),
        "form errors": client.post("/zh-hans/situation/summary", data={}),
        "api": client.post("/api/v1/assessment", json=ANSWERS),
        "api pdf": client.post("/api/v1/summary.pdf", json=ANSWERS),
        "api 422": client.post("/api/v1/assessment", json={}),
        "api 400": client.post("/api/v1/assessment", data="{", content_type="application/json"),
        "openapi": client.get("/api/v1/openapi.json"),
        "asset": client.get(assets.url("css/site.css")),
        "sw": client.get("/sw.js"),
        "manifest": client.get("/zh-hans/manifest.webmanifest"),
        "offline": client.get("/zh-hans/offline"),
        "healthz": client.get("/healthz"),
        "404": client.get("/zh-hans/nowhere"),
        "405": client.post("/zh-hans/"),
        "413": client.post("/zh-hans/situation/summary", data={"platform": "x" * 300_000}),
    }


def test_every_response_carries_the_security_headers(app, client) -> None:
    for name, response in every_kind_of_response(client, app).items():
        headers = response.headers
        assert headers["Referrer-Policy"] == "no-referrer", name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin", name
        assert "Strict-Transport-Security" not in headers, name  # plain HTTP
        if name == "asset":  # a stylesheet is never a document: document policies would be dead bytes
            assert "Content-Security-Policy" not in headers and "X-Frame-Options" not in headers
            continue
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, name
        assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"], name
        assert headers["X-Frame-Options"] == "DENY", name


def test_content_security_policy_allows_only_our_own_origin() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY and "*" not in CONTENT_SECURITY_POLICY


def test_hsts_is_sent_over_https_and_can_be_turned_off(client) -> None:
    assert client.get("/zh-hans/", base_url="https://guide.example").headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    quiet = create_app({"TESTING": True, "PDF_PRERENDER": False, "PDF_WARM_UP": False, "HSTS_SECONDS": 0}).test_client()
    assert "Strict-Transport-Security" not in quiet.get("/zh-hans/", base_url="https://guide.example").headers


def test_https_is_recognised_behind_a_trusted_proxy() -> None:
    behind = create_app(
        {"TESTING": True, "PDF_PRERENDER": False, "PDF_WARM_UP": False, "TRUSTED_PROXIES": 1}
    ).test_client()
    response = behind.get("/zh-hans/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert "Strict-Transport-Security" in response.headers


@pytest.fixture
def limited():
    return create_app(
        {"TESTING": True, "PDF_PRERENDER": False, "PDF_WARM_UP": False, "RATELIMIT_ENABLED": True, "TRUSTED_PROXIES": 1}
    )


def test_too_many_pdfs_get_a_translated_429_with_retry_after(limited) -> None:
    client = limited.test_client()
    statuses = [client.post("/zh-hant/situation/summary.pdf", data=FORM).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    response = client.post("/zh-hant/situation/summary.pdf", data=FORM)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "請求太頻繁了" in response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_api_429_is_json_in_the_readers_variant(limited) -> None:
    client = limited.test_client()
    for _ in range(30):
        client.post("/api/v1/assessment", json=ANSWERS)
    response = client.post("/api/v1/assessment", json={**ANSWERS, "variant": "zh-Hant"})
    assert response.status_code == 429
    assert response.get_json()["errors"][0]["code"] == "rate_limited"
    assert "Retry-After" in response.headers


def test_limits_are_per_client_and_pages_are_never_limited(limited) -> None:
    client = limited.test_client()
    for _ in range(10):
        client.post("/api/v1/summary.pdf", json=ANSWERS, headers={"X-Forwarded-For": "198.51.100.1"})
    assert (
        client.post("/api/v1/summary.pdf", json=ANSWERS, headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 429
    )
    assert (
        client.post("/api/v1/summary.pdf", json=ANSWERS, headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200
    )
    assert all(client.get("/zh-hans/").status_code == 200 for _ in range(100))


def test_when_no_render_slot_is_free_the_reader_gets_503_to_retry(app, monkeypatch) -> None:
    renderer = state(app).pdf_renderer

    def busy(*args: object, **kwargs: object) -> bytes:
        raise PdfBusy("every render slot stayed taken")

    with monkeypatch.context() as patched:
        patched.setattr(renderer, "render", busy)
        response = app.test_client().post("/zh-hans/situation/summary.pdf", data=FORM)
        api = app.test_client().post("/api/v1/summary.pdf", json=ANSWERS)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "服务繁忙" in response.text
    assert api.status_code == 503 and api.get_json()["errors"][0]["code"] == "busy"
    assert app.test_client().post("/api/v1/summary.pdf", json=ANSWERS).status_code == 200


def test_renders_in_parallel_threads_stay_correct(app, monkeypatch) -> None:
    renderer = state(app).pdf_renderer
    # This pins correctness, not speed: three guide renders at once on a loaded 2-core machine may be slow.
    monkeypatch.setattr(renderer, "time_limit", 300.0)
    results: list[bytes] = []
    errors: list[BaseException] = []
    html = state(app).guide_pdfs.html(state(app).library.get(GUIDE_SLUG, HANS))

    def render() -> None:
        try:
            results.append(renderer.render(html, "zh-Hans"))
        except BaseException as error:  # reported below: a thread's exception would otherwise vanish
            errors.append(error)

    threads = [threading.Thread(target=render) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(results) == 3 and len(set(results)) == 1


def test_two_instances_answer_identically_with_no_shared_secret() -> None:
    """Stateless: any instance behind any balancer gives the same answer to the same request. Nothing is signed,
    so instances need no shared SECRET_KEY."""
    config = {"TESTING": True, "PDF_PRERENDER": False, "PDF_WARM_UP": False, "RATELIMIT_ENABLED": False}
    first, second = create_app(config).test_client(), create_app(config).test_client()
    requests = [
        ("get", "/zh-hant/", {}),
        ("get", f"/zh-hans/guides/{GUIDE_SLUG}", {}),
        ("get", f"/zh-hant/guides/{GUIDE_SLUG}.pdf", {}),
        ("get", "/sw.js", {}),
        ("get", "/zh-hant/manifest.webmanifest", {}),
        ("post", "/api/v1/assessment", {"json": ANSWERS}),
        ("post", "/api/v1/summary.pdf", {"json": {**ANSWERS, "variant": "zh-Hant"}}),
        ("post", "/zh-hans/situation/summary", {"data": FORM}),
        ("post", "/zh-hans/situation/summary.pdf", {"data": FORM}),
    ]
    for method, path, kwargs in requests:
        answers = [getattr(client, method)(path, **kwargs) for client in (first, second, first)]
        assert answers[0].data == answers[1].data == answers[2].data, path
        assert answers[0].headers.get("ETag") == answers[1].headers.get("ETag"), path
