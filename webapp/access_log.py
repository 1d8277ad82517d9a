"""The access log, and log lines that a request cannot forge.

One line per answered request, at info on the `webapp.access` logger: method, path (never the query string), status,
size in bytes and time in milliseconds, e.g. `POST /api/v1/summary.pdf 200 139264 412ms`. Never a body, a cookie, a
header or the client's address: nothing here tells who asked or what they answered. A request whose client left
before its answer was ready is logged as `499 ... client left`, never as an error.

Every log line's message (the server's own too) goes through `EscapingFormatter`: control and invisible characters
in a path cannot start a forged line, colour a terminal, or hide what was asked for.
"""

import logging
import re
import time

from flask import Flask, g, request
from werkzeug.wrappers import Response

log = logging.getLogger("webapp.access")

CLIENT_LEFT = 499  # nginx's "client closed request": the reader hung up before the answer was ready

_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]')


def escape_for_log(text: str) -> str:
    """Control and invisible characters (and quote and backslash) as escapes."""
    return _UNSAFE.sub(lambda m: {'"': '\\"', "\\": "\\\\"}.get(m[0]) or _code(m[0]), text)


def _code(character: str) -> str:
    number = ord(character)
    return f"\\x{number:02x}" if number < 0x100 else f"\\u{number:04x}"


class EscapingFormatter(logging.Formatter):
    """A formatter whose messages are escaped (tracebacks, which requests do not write, are left as they are)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # logging's own name
        if not getattr(record, "escaped", False):
            record.message = escape_for_log(record.message)
        return super().formatMessage(record)


def line(method: str, path: str, status: int, size: int | None, seconds: float) -> str:
    """One access log line (escaped again here, for any handler that does not escape)."""
    shown_size = "-" if size is None else str(size)
    text = f"{escape_for_log(method)} {escape_for_log(path)} {status} {shown_size} {seconds * 1000:.0f}ms"
    return text + (" client left" if status == CLIENT_LEFT else "")


def write(method: str, path: str, status: int, size: int | None, seconds: float) -> None:
    log.info("%s", line(method, path, status, size, seconds), extra={"escaped": True})


def init_app(app: Flask) -> None:
    """Call before any other after_request is registered: Flask runs them last to first, so this one sees the
    answer as it leaves (compressed, with its final status)."""

    @app.before_request
    def started() -> None:
        g.access_started = time.perf_counter()

    @app.after_request
    def logged(response: Response) -> Response:
        began = g.get("access_started")
        seconds = time.perf_counter() - began if began is not None else 0.0
        write(request.method, request.path, response.status_code, response.content_length, seconds)
        return response
