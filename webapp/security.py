"""Security headers on every response, and the client address behind trusted proxies.

The pages need nothing but their own origin: one external script per page, one stylesheet, no inline code or
style, no third-party anything. So the policy can be strict, and a test checks it on every route.
"""

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from webapp.settings import Settings

# Every fetch directive (script, style, img, font, connect, manifest, worker) falls back to default-src, so naming
# them again with 'self' would only lengthen a header sent with every response on slow connections.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
)


# A stylesheet or an image is never a document or a worker: the policies that govern one (CSP, permissions, framing,
# opener) mean nothing on it, and every byte of header counts in a phone's first round trip.
SUBRESOURCE_TYPES = frozenset({"text/css", "image/png", "image/x-icon", "image/webp"})


def secure_headers(response: Response) -> Response:
    headers = response.headers
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if response.mimetype in SUBRESOURCE_TYPES:
        return response
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"  # for browsers that predate frame-ancestors
    return response


def init_app(app: Flask, settings: Settings) -> None:
    app.after_request(secure_headers)
    hsts_seconds = settings.HSTS_SECONDS

    @app.after_request
    def strict_transport(response: Response) -> Response:
        # Only over HTTPS (directly, or as the trusted proxy says): over plain HTTP the header means nothing.
        if hsts_seconds and request.is_secure:
            response.headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
        return response

    proxies = settings.TRUSTED_PROXIES
    if proxies:
        # Behind N proxies, trust their X-Forwarded-For/-Proto: per-reader rate limits and HTTPS detection.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
