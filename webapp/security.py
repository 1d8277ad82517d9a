"""Security headers on every response; the HTTP edge: Host, redirects, and what proxies may tell us.

The pages need nothing but their own origin: one external script per page, one stylesheet, no inline code or
style, no third-party anything. So the policy can be strict, and a test checks it on every route.

At the edge, before Flask routes anything: a Host that is malformed, or not one of TRUSTED_HOSTS when that is
set, gets a plain 400 (nothing past it runs, so nothing can fail on it). X-Forwarded-For and -Proto are believed
only from a peer in FORWARDED_ALLOW_IPS, and only for TRUSTED_PROXIES hops; X-Forwarded-Host, SCRIPT_NAME and the
like never (with no proxy trusted, the server drops them all, webapp/wsgi.py). Redirects carry relative Locations,
so whatever a client puts in Host never comes back to it in one. Hop-by-hop headers (Connection, Keep-Alive) are the
server's alone (PEP 3333): nothing here sets them.
"""

import ipaddress
import re
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from webapp import access_log
from webapp.settings import Settings, is_host_name, split_list

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

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


_PORT = re.compile(r"[0-9]{1,5}")


def host_and_port(host: str) -> tuple[str, str] | None:
    """A Host header split into name and port, or None when it is malformed."""
    name, port = host, ""
    if host.startswith("["):
        name, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None
    else:
        if host.count(":") == 1:
            name, port = host.split(":")
        if not is_host_name(name):
            return None
    if port and not (_PORT.fullmatch(port) and 0 < int(port) < 65536):
        return None
    return name.lower().rstrip("."), port


class HostCheck:
    """A plain 400 for a malformed Host, or one not among `trusted` (when any are given), before Flask runs."""

    def __init__(self, app: WsgiApp, trusted: list[str]) -> None:
        self.app = app
        self.trusted = [name.lower().rstrip(".").strip("[]") for name in trusted]

    def allowed(self, host: str) -> bool:
        parsed = host_and_port(host)
        if parsed is None:
            return False
        if not self.trusted:
            return True
        name = parsed[0]
        return any(
            name == entry or (entry.startswith(".") and (name == entry[1:] or name.endswith(entry)))
            for entry in self.trusted
        )

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST")
        if host is not None and not self.allowed(host):
            began = time.perf_counter()
            response = Response("400 Bad Request: unknown host\n", status=400, mimetype="text/plain")
            secure_headers(response)
            response.headers["Cache-Control"] = "no-store"
            method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
            access_log.write(method, path, 400, response.content_length, time.perf_counter() - began)
            return response(environ, start_response)
        return self.app(environ, start_response)


class TrustedProxies:
    """Werkzeug's ProxyFix for requests from the proxies' own addresses only; anyone else's X-Forwarded-* is
    ignored (and their address is their own)."""

    def __init__(self, app: WsgiApp, hops: int, allowed: list[str]) -> None:
        self.app = app
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops)
        self.anyone = "*" in allowed
        self.networks = [ipaddress.ip_network(item) for item in allowed if item != "*"]

    def trusted(self, peer: str) -> bool:
        if self.anyone:
            return True
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if self.trusted(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


def relative_location(response: Response) -> Response:
    """A redirect to this site says only where on it (Werkzeug's slash redirects build an absolute URL from the
    request's Host, or with no host at all from one it finds malformed). A path that starts with // would read as
    another host: it gets one slash."""
    location = response.headers.get("Location")
    if location and 300 <= response.status_code < 400:
        parts = urlsplit(location)
        if parts.scheme in ("http", "https") and parts.netloc.lower() in ("", request.host.lower()):
            path = "/" + parts.path.lstrip("/\\")
            response.headers["Location"] = urlunsplit(("", "", path, parts.query, parts.fragment))
    return response


def init_app(app: Flask, settings: Settings) -> None:
    app.after_request(secure_headers)
    app.after_request(relative_location)
    hsts_seconds = settings.HSTS_SECONDS

    @app.after_request
    def strict_transport(response: Response) -> Response:
        # Only over HTTPS (directly, or as the trusted proxy says): over plain HTTP the header means nothing.
        if hsts_seconds and request.is_secure:
            response.headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}; includeSubDomains"
        return response

    if settings.TRUSTED_PROXIES:
        # Behind N proxies, believe their X-Forwarded-For/-Proto: per-reader rate limits and HTTPS detection.
        proxies = TrustedProxies(app.wsgi_app, settings.TRUSTED_PROXIES, split_list(settings.FORWARDED_ALLOW_IPS))
        app.wsgi_app = proxies  # type: ignore[method-assign]


def guard_hosts(app: Flask, settings: Settings) -> None:
    """The Host check, outermost. Call last: the app renders its own pages at start-up (the precache) as
    `localhost`, which need not be one of TRUSTED_HOSTS."""
    app.wsgi_app = HostCheck(app.wsgi_app, split_list(settings.TRUSTED_HOSTS))  # type: ignore[method-assign]
