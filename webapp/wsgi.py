"""Serving: the Flask app behind gunicorn's asyncio worker, each request read whole before a thread answers it.

gunicorn's `asgi` worker does all socket I/O in one event loop: a client that trickles its headers, its body or
its reading of the answer costs a socket and a few kilobytes, never a thread. `ThreadedWsgi` is the ASGI app it
serves: it reads the body (at most MAX_CONTENT_LENGTH bytes, within SERVER_BODY_TIMEOUT seconds), then runs the
WSGI app in one of SERVER_THREADS threads, which only ever compute: the answer goes back to the loop whole and
the loop writes it out at the client's pace. PDF renders run in the render pool's processes (webapp/pdf/pool.py); a
request waiting for one holds a thread, and the pool refuses more waiters than its short queue holds, so most
threads are always free for pages.

While a request is answered, the loop keeps listening to its connection: when the client goes, the event in
`environ[CLIENT_GONE]()` says so, and the render pool does not start a render nobody will read.
"""

import asyncio
import io
import os
import re
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any, cast
from urllib.parse import unquote_to_bytes

from flask import Flask
from gunicorn.glogging import Logger

from webapp.state import state

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
StartResponse = Callable[[str, list[tuple[str, str]], ExcInfo | None], Callable[[bytes], object]]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

CLIENT_GONE = "waitress.client_disconnected"  # environ key: a callable, true once the client has disconnected
_TIMEOUT_BODY = b"The request body did not arrive in time.\n"


class ThreadedWsgi:
    """An ASGI app that reads each request whole, then answers it with a WSGI app in a bounded thread pool."""

    def __init__(self, app: WsgiApp, *, threads: int, max_body: int, body_timeout: float, processes: int = 1) -> None:
        self.app = app
        self.threads = threads
        self.max_body = max_body
        self.body_timeout = body_timeout
        self.multiprocess = processes > 1
        self._executor: ThreadPoolExecutor | None = None
        self._executor_pid = 0
        self._on_startup: list[Callable[[], None]] = []
        self._on_shutdown: list[Callable[[], None]] = []

    def on_startup(self, callback: Callable[[], None]) -> None:
        """Run in each serving process as it starts, before any request thread exists."""
        self._on_startup.append(callback)

    def on_shutdown(self, callback: Callable[[], None]) -> None:
        self._on_shutdown.append(callback)

    def _pool(self) -> ThreadPoolExecutor:
        # Made in the process that serves (gunicorn forks workers from a preloaded master), never inherited.
        if self._executor is None or self._executor_pid != os.getpid():
            self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="request")
            self._executor_pid = os.getpid()
        return self._executor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        # Anything else (websocket) is not served: returning without accepting closes it.

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                for callback in self._on_startup:
                    callback()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for callback in self._on_shutdown:
                    callback()
                if self._executor is not None:
                    self._executor.shutdown(wait=False, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with asyncio.timeout(self.body_timeout):
                body, disconnected = await self._read_body(scope, receive)
        except TimeoutError:
            await _plain(send, 408, _TIMEOUT_BODY)
            return
        if disconnected:
            return  # the client left before it finished asking
        gone = threading.Event()
        environ = self._environ(scope, body, gone)
        watcher = asyncio.create_task(_watch_disconnect(receive, gone))
        try:
            status, headers, content = await asyncio.get_running_loop().run_in_executor(
                self._pool(), _call, self.app, environ
            )
        finally:
            watcher.cancel()
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    async def _read_body(self, scope: Scope, receive: Receive) -> tuple[bytes, bool]:
        """The whole body, or as much as shows it is too large (the app then answers 413 without reading it)."""
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            return b"", False
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", True
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_body or not message.get("more_body", False):
                return b"".join(chunks), False

    def _environ(self, scope: Scope, body: bytes, gone: threading.Event) -> dict[str, Any]:
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
        path = unquote_to_bytes(raw_path.split(b"?", 1)[0]).decode("latin-1")
        server = scope.get("server") or ("localhost", 80)
        client = scope.get("client") or ("", 0)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": scope["method"],
            "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
            "PATH_INFO": path,
            "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
            "SERVER_NAME": str(server[0]),
            "SERVER_PORT": str(server[1]),
            "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
            "REMOTE_ADDR": str(client[0]),
            "REMOTE_PORT": str(client[1]),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": scope.get("scheme", "http"),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": self.multiprocess,
            "wsgi.run_once": False,
            CLIENT_GONE: gone.is_set,
        }
        declared = _header(scope, b"content-length")
        # The body was read whole: its length is known even when the client sent it in chunks. A declared length
        # over the limit is passed on as it is, with nothing read, so the app answers 413.
        environ["CONTENT_LENGTH"] = declared if declared is not None and not body else str(len(body))
        for name, value in scope["headers"]:
            key = name.decode("latin-1").upper().replace("-", "_")
            text = value.decode("latin-1")
            if key in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
                continue
            if key == "CONTENT_TYPE":
                environ[key] = text
                continue
            key = "HTTP_" + key
            if key in environ:
                text = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + text
            environ[key] = text
        return environ


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            text: str = value.decode("latin-1").strip()
            return text
    return None


async def _watch_disconnect(receive: Receive, gone: threading.Event) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            gone.set()
            return


def _call(app: WsgiApp, environ: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Runs in a request thread: the whole answer, as bytes."""
    started: list[Any] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: ExcInfo | None = None
    ) -> Callable[[bytes], object]:
        if exc_info is not None and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [status, headers]
        return chunks.append

    chunks: list[bytes] = []
    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started
    return (
        int(status.split(" ", 1)[0]),
        [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers],
        b"".join(chunks),
    )


async def _plain(send: Send, status: int, text: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})


_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]')


def escape_for_log(text: str) -> str:
    """Control and invisible characters (and quote and backslash) as escapes: a request cannot forge a log line,
    colour a terminal, or hide what it asked for."""
    return _UNSAFE.sub(lambda m: {'"': '\\"', "\\": "\\\\"}.get(m[0]) or _code(m[0]), text)


def _code(character: str) -> str:
    number = ord(character)
    return f"\\x{number:02x}" if number < 0x100 else f"\\u{number:04x}"


class AccessLog(Logger):  # type: ignore[misc]  # gunicorn ships no types
    """gunicorn's logger, escaping every text the access log writes (the path above all)."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: escape_for_log(value) if isinstance(value, str) else value for key, value in atoms.items()}


def wrap(app: Flask) -> ThreadedWsgi:
    """The ASGI app gunicorn serves for this Flask app, sized by its settings."""
    config = state(app).settings
    server = ThreadedWsgi(
        cast(WsgiApp, app),  # Flask.__call__ runs whatever middleware create_app put around wsgi_app
        threads=config.SERVER_THREADS,
        max_body=config.MAX_CONTENT_LENGTH,
        body_timeout=config.SERVER_BODY_TIMEOUT,
        processes=config.WEB_CONCURRENCY,
    )
    server.on_startup(state(app).pdf_renderer.start)
    server.on_shutdown(state(app).pdf_renderer.close)
    return server


def create_server() -> ThreadedWsgi:
    """gunicorn's entry point (gunicorn.conf.py names it): the app, made once in the master, served by workers."""
    from webapp.app import create_app

    return wrap(create_app())
