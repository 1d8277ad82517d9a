"""The server: `python -m webapp.wsgi` serves the app with waitress (what `make run` and the image run).

waitress reads each request whole (headers and body, buffered in memory) before one of SERVER_THREADS threads
answers it, and writes each answer out at the client's pace from its own buffer: a client that trickles its request
or reads slowly holds a socket, never a thread. A connection silent for SERVER_CHANNEL_TIMEOUT seconds (idle, or
headers or a body that stopped coming) is closed; at most SERVER_CONNECTION_LIMIT are open at once. A body over
MAX_CONTENT_LENGTH gets waitress's own 413 with `Connection: close`, before the app is called. While a request is
answered, waitress keeps reading its connection (`channel_request_lookahead`), so `waitress.client_disconnected`
tells the render pool when the reader has gone.

The app is made once, here; then the render pool is started (its zygote forked while this process is still
single-threaded), then waitress starts its threads and serves. One process: several processes on a many-core host
are several instances behind the proxy (docs/serving.md). SIGTERM stops it as Ctrl-C does: waitress stops
accepting, its threads get a few seconds to finish, the render processes exit.
"""

import logging
import resource
import signal
import sys
from typing import Any

import waitress

from webapp.access_log import EscapingFormatter
from webapp.app import create_app
from webapp.settings import Settings, SettingsError, load
from webapp.state import state

# Request headers larger than this get waitress's 431. Browsers send a few kilobytes; the app sets one small cookie.
MAX_HEADER_BYTES = 32 * 1024
# Requests read ahead on a connection while one is answered: what lets waitress see that a client has gone.
LOOKAHEAD = 4
# Descriptors beyond the connections: the render pool's sockets, fonts, logs, the listening socket.
SPARE_DESCRIPTORS = 128


def server_options(config: Settings) -> dict[str, Any]:
    """waitress's settings, from ours."""
    return {
        "host": config.HOST,
        "port": config.PORT,
        "threads": config.SERVER_THREADS,
        "connection_limit": config.SERVER_CONNECTION_LIMIT,
        "channel_timeout": config.SERVER_CHANNEL_TIMEOUT,
        "cleanup_interval": 1,  # how often silent connections are looked for: a timeout is kept to about a second
        # waitress refuses a body as long as its limit: one byte more, so that MAX_CONTENT_LENGTH itself is allowed.
        "max_request_body_size": config.MAX_CONTENT_LENGTH + 1,
        "max_request_header_size": MAX_HEADER_BYTES,
        # Requests and answers stay in memory, never in a temporary file: a summary is about one person. (waitress
        # writes an answer past outbuf_overflow to a file; the heaviest summary PDF is a few megabytes.)
        "inbuf_overflow": config.MAX_CONTENT_LENGTH + MAX_HEADER_BYTES + 1,
        "outbuf_overflow": 64 * 1024 * 1024,
        "channel_request_lookahead": LOOKAHEAD,
        # Forwarded headers: with no proxy trusted, waitress drops every X-Forwarded-* and Forwarded header before
        # the app sees it; with TRUSTED_PROXIES, the app believes them from FORWARDED_ALLOW_IPS (webapp/security.py)
        # and waitress trusts none itself.
        "clear_untrusted_proxy_headers": config.TRUSTED_PROXIES == 0,
        "ident": "",  # no Server header
        "expose_tracebacks": False,
        "asyncore_use_poll": True,  # select() cannot watch descriptors past 1024
        "url_scheme": "http",
    }


def raise_descriptor_limit(config: Settings) -> None:
    """Room for SERVER_CONNECTION_LIMIT connections: the soft limit raised toward the hard one, or a clear stop."""
    needed = config.SERVER_CONNECTION_LIMIT + SPARE_DESCRIPTORS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            raise SettingsError(
                f"SERVER_CONNECTION_LIMIT={config.SERVER_CONNECTION_LIMIT}: needs {needed} file descriptors, and this"
                f" process may open at most {hard} (ulimit -n); lower it or raise the limit"
            )
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(EscapingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def main() -> None:
    try:
        config = load()
        raise_descriptor_limit(config)
    except SettingsError as error:
        sys.exit(f"settings: {error}")
    configure_logging(config.LOG_LEVEL)
    app = create_app()
    renderer = state(app).pdf_renderer
    renderer.start()  # before waitress starts any thread
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # as Ctrl-C: waitress closes and returns
    try:
        waitress.serve(app, **server_options(state(app).settings))
    finally:
        renderer.close()


if __name__ == "__main__":
    main()
