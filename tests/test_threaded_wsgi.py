"""webapp.wsgi.ThreadedWsgi, driven with ASGI messages directly: the body is read whole before the app runs,
too slow a body is a 408 without the app, a declared oversize body is not read, a client that leaves is noticed."""

import asyncio
import threading
from typing import Any

from webapp.wsgi import CLIENT_GONE, ThreadedWsgi

SCOPE = {
    "type": "http",
    "method": "POST",
    "path": "/x y",
    "raw_path": b"/x%20y",
    "query_string": b"a=1",
    "headers": [(b"host", b"example.org"), (b"content-type", b"text/plain"), (b"cookie", b"a=1"), (b"cookie", b"b=2")],
    "server": ("127.0.0.1", 8000),
    "client": ("127.0.0.9", 5555),
    "http_version": "1.1",
    "scheme": "http",
}


def serve(app: ThreadedWsgi, messages: list[dict[str, Any]], scope: dict[str, Any] = SCOPE, hang: bool = False):
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        if hang:
            await asyncio.sleep(3600)
        await asyncio.sleep(0.2)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # In a thread of its own: a browser test's session may hold an event loop in this one.
    failed: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(app(scope, receive, send))
        except BaseException as error:
            failed.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if failed:
        raise failed[0]
    return sent


def test_the_app_sees_the_whole_body_and_a_proper_environ() -> None:
    seen: dict[str, Any] = {}

    def wsgi(environ, start_response):
        seen.update(environ, body=environ["wsgi.input"].read())
        start_response("201 Created", [("X-A", "b")])
        return [b"ok"]

    server = ThreadedWsgi(wsgi, threads=2, max_body=1000, body_timeout=5)
    sent = serve(
        server, [{"type": "http.request", "body": b"ab", "more_body": True}, {"type": "http.request", "body": b"c"}]
    )
    assert sent[0] == {"type": "http.response.start", "status": 201, "headers": [(b"X-A", b"b")]}
    assert sent[1]["body"] == b"ok"
    assert seen["body"] == b"abc" and seen["CONTENT_LENGTH"] == "3" and seen["CONTENT_TYPE"] == "text/plain"
    assert seen["PATH_INFO"] == "/x y" and seen["QUERY_STRING"] == "a=1" and seen["REMOTE_ADDR"] == "127.0.0.9"
    assert seen["HTTP_HOST"] == "example.org" and seen["HTTP_COOKIE"] == "a=1; b=2"
    assert isinstance(seen[CLIENT_GONE].__self__, threading.Event)


def test_a_body_too_slow_is_a_408_and_the_app_never_runs() -> None:
    def wsgi(environ, start_response):
        raise AssertionError("the app ran")

    server = ThreadedWsgi(wsgi, threads=2, max_body=1000, body_timeout=0.3)
    sent = serve(server, [{"type": "http.request", "body": b"a", "more_body": True}], hang=True)
    assert sent[0]["status"] == 408


def test_a_declared_oversize_body_is_not_read_and_a_client_that_leaves_is_noticed() -> None:
    seen: dict[str, Any] = {}

    def wsgi(environ, start_response):
        environ[CLIENT_GONE].__self__.wait(5)  # the client disconnects while the app works
        seen.update(length=environ["CONTENT_LENGTH"], gone=environ[CLIENT_GONE]())
        start_response("413 Request Entity Too Large", [])
        return []

    server = ThreadedWsgi(wsgi, threads=2, max_body=1000, body_timeout=5)
    scope = {**SCOPE, "headers": [(b"content-length", b"5000")]}
    sent = serve(server, [], scope)
    assert seen == {"length": "5000", "gone": True}
    assert sent[0]["status"] == 413
