"""The HTTP edge through the real server (`python -m webapp.wsgi`, as `make run` starts it) on loopback: bodies and
keep-alive, deadlines for silent connections, the cap on connections, Host, clients that leave, the limits per
client, the PDF slots per client, the bounded "change answers" and the typed rate. One server for the module, with
short deadlines and a pool of one render process; each test its own client addresses (127.0.x.y), so that no test
spends another's limits. Waits are bounded and generous: what is checked is what happens, never how fast.
"""

import http.client
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from benchmarks.common import HEAVIEST_SITUATION, TYPICAL_SITUATION
from tests.live_server import call, running_server

pytestmark = pytest.mark.slow

CHANNEL_TIMEOUT = 3
CONNECTION_LIMIT = 24
SERVER_ENV = {
    "SERVER_CHANNEL_TIMEOUT": str(CHANNEL_TIMEOUT),
    "SERVER_CONNECTION_LIMIT": str(CONNECTION_LIMIT),
    "SERVER_THREADS": "8",
    "PDF_POOL_SIZE": "1",
    "PDF_POOL_QUEUE": "2",
    "PDF_QUEUE_WAIT": "30",
    "PDF_PRERENDER": "0",
    "PDF_WARM_UP": "0",
    "RATELIMIT_ENABLED": "1",
}
JSON = {"Content-Type": "application/json"}
TYPICAL = json.dumps(TYPICAL_SITUATION).encode()
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    yield from running_server(tmp_path_factory, SERVER_ENV)


def read_until_closed(sock: socket.socket, within: float) -> bytes:
    """Everything the server sends until it closes the connection; fails if it is still open after `within` s."""
    sock.settimeout(within)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except TimeoutError:
        pytest.fail(f"the connection was still open after {within} s; received {received[:200]!r}")
    return received


def log_text(log: Path) -> str:
    time.sleep(0.5)  # the server's own writes, flushed line by line
    return log.read_text(encoding="utf-8", errors="replace")


def test_a_large_body_gets_413_with_connection_close_and_the_next_request_works(server: tuple[int, Path]) -> None:
    port, _ = server
    large = json.dumps({**TYPICAL_SITUATION, "platform": "x" * 3_000_000}).encode()
    head = (
        f"POST /api/v1/summary.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(large)}\r\n\r\n"
    ).encode()
    # The client waits for the answer before it sends the body (as with Expect: 100-continue): the declared length
    # alone is refused. (Sending all 3 MB at once only races the server's close: a broken pipe or a reset on the
    # client's side, whatever the server said.)
    with socket.create_connection(("127.0.0.1", port), source_address=("127.0.4.1", 0)) as sock:
        sock.sendall(head)
        answer = read_until_closed(sock, 30)
    status, _, rest = answer.partition(b"\r\n")
    assert status.startswith(b"HTTP/1.1 413 ")
    assert b"\r\nconnection: close\r\n" in (b"\r\n" + rest.split(b"\r\n\r\n")[0] + b"\r\n").lower()
    # The same client's next request, on the new connection it was told to open, is answered.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=("127.0.4.1", 0))
    try:
        connection.request("POST", "/api/v1/summary.pdf", body=TYPICAL, headers=JSON)
        second = connection.getresponse()
        assert second.status == 200 and second.read().startswith(b"%PDF-")
    finally:
        connection.close()


def test_a_4xx_from_the_app_leaves_nothing_unread_and_keeps_the_connection(server: tuple[int, Path]) -> None:
    """The server reads each body whole before the app runs: a 415 or a 404 to a post leaves nothing behind it on
    the connection, and the next request on the same socket is answered."""
    port, _ = server
    body = b"overdue_amount=1000&" + b"x" * 100_000
    head = (
        f"POST /api/v1/assessment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), source_address=("127.0.4.2", 0)) as sock:
        sock.sendall(head + body + b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answers = read_until_closed(sock, 30)
    assert answers.startswith(b"HTTP/1.1 415 ")
    assert b"HTTP/1.1 200 OK" in answers.split(b"\r\n\r\n", 1)[1]


@pytest.mark.parametrize(
    "sent",
    [
        b"",  # connected, then silent
        b"GET /zh-hans/ HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # headers that stop coming
        b"POST /api/v1/assessment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{",  # half a body
    ],
    ids=["idle", "half the headers", "half a body"],
)
def test_a_silent_connection_is_closed_within_the_deadline(server: tuple[int, Path], sent: bytes) -> None:
    port, _ = server
    with socket.create_connection(("127.0.0.1", port), source_address=("127.0.4.3", 0)) as sock:
        sock.sendall(sent)
        began = time.monotonic()
        assert read_until_closed(sock, CHANNEL_TIMEOUT + 10) == b""  # closed, with no answer
        assert time.monotonic() - began >= CHANNEL_TIMEOUT - 1  # not before the deadline either


def test_open_connections_are_capped(server: tuple[int, Path]) -> None:
    """With the cap reached by silent connections, a new one is not served until some of them are closed (here by
    the deadline): the server's descriptors are bounded, and it says so in its log."""
    port, log = server
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(CONNECTION_LIMIT)]
    try:
        time.sleep(0.5)
        with socket.create_connection(("127.0.0.1", port), source_address=("127.0.4.4", 0)) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            sock.settimeout(1.0)
            with pytest.raises(TimeoutError):
                sock.recv(1)  # waiting in the listen backlog: the server has not accepted it
            assert read_until_closed(sock, CHANNEL_TIMEOUT + 15).startswith(b"HTTP/1.1 200 OK")
    finally:
        for sock in idle:
            sock.close()
    assert "reached the connection limit" in log_text(log)


@pytest.mark.parametrize("host", ["a_b", "bad host", "x" * 300, "a:99999", "[::1"])
def test_a_bad_host_is_a_400_from_the_server_too(server: tuple[int, Path], host: str) -> None:
    port, log = server
    for path in ("/", "/zh-hans", "/healthz", "/api/v1/assessment"):
        status, headers, body = call(port, "GET", path, headers={"Host": host}, source="127.0.4.5")
        assert status == 400 and b"Traceback" not in body, (host, path)
        assert "location" not in headers
    assert " 500 " not in log_text(log)


def test_redirects_are_relative_whatever_the_host(server: tuple[int, Path]) -> None:
    port, _ = server
    for host in ("evil.example", "127.0.0.1:1", "localhost"):
        status, headers, _ = call(port, "GET", "/zh-hans", headers={"Host": host}, source="127.0.4.6")
        assert status == 308 and headers["location"] == "/zh-hans/", host
        assert "server" not in headers  # the server does not name itself
        status, headers, _ = call(port, "GET", "/", headers={"Host": host}, source="127.0.4.6")
        assert status in (302, 303, 307) and headers["location"].startswith("/zh-han"), host


def test_a_client_that_leaves_is_logged_as_such_and_not_rendered(server: tuple[int, Path]) -> None:
    """A PDF request whose client hangs up while it waits for the one render process: when the process is free,
    nothing is rendered for it, and the access log says the client left; no 500, no traceback."""
    port, log = server
    heavy = json.dumps(HEAVIEST_SITUATION).encode()
    first: list[int] = []
    holder = threading.Thread(
        target=lambda: first.append(call(port, "POST", "/api/v1/summary.pdf", heavy, JSON, "127.0.4.7")[0])
    )
    holder.start()
    time.sleep(1.0)  # the heavy render has the process
    with socket.create_connection(("127.0.0.1", port), source_address=("127.0.4.8", 0)) as sock:
        sock.sendall(
            b"POST /api/v1/summary.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(TYPICAL)}\r\n\r\n".encode()
            + TYPICAL
        )
        time.sleep(0.5)  # read whole and waiting for the render process
    holder.join(120)
    assert first == [200]
    deadline = time.monotonic() + 30
    while "client left" not in (text := log_text(log)) and time.monotonic() < deadline:
        pass
    lines = [line for line in text.splitlines() if "POST /api/v1/summary.pdf 499" in line]
    assert lines and all(line.endswith("client left") for line in lines), text[-2000:]
    assert "Traceback" not in text and " 500 " not in text


def test_rate_limits_count_per_client_across_routes(server: tuple[int, Path]) -> None:
    """One client's posts of answers to every route count against one limit of 30 a minute."""
    port, _ = server
    answers = json.dumps({"as_of": "2026-11-28", "due_date": "2026-10-01", "overdue_amount": "1000"}).encode()
    form = b"as_of=2026-11-28&due_date=2026-10-01&overdue_amount=1000"
    routes = [
        ("/api/v1/assessment", answers, JSON),
        ("/zh-hans/situation/summary", form, FORM),
        ("/zh-hans/situation", form, FORM),
    ]
    statuses = [call(port, "POST", *routes[i % 3], source="127.0.4.9")[0] for i in range(30)]
    assert statuses == [200] * 30
    assert [call(port, "POST", *route, source="127.0.4.9")[0] for route in routes] == [429, 429, 429]
    assert call(port, "POST", *routes[0], source="127.0.4.10")[0] == 200  # another client is another count


def test_no_client_holds_more_than_its_share_of_pdf_slots_and_a_503_costs_it_nothing(
    server: tuple[int, Path],
) -> None:
    """One client fires eight PDF requests at once: one is rendered, the rest are 503 at once (its slot is taken),
    so another client's PDF, sent just after, is rendered too. Those 503s were not counted: the first client then
    gets the nine more PDFs its limit of ten a minute allows, and only then a 429."""
    port, _ = server
    statuses: list[int] = []
    flood = [
        threading.Thread(
            target=lambda: statuses.append(call(port, "POST", "/api/v1/summary.pdf", TYPICAL, JSON, "127.0.5.1")[0])
        )
        for _ in range(8)
    ]
    for thread in flood:
        thread.start()
    time.sleep(0.3)
    other = call(port, "POST", "/api/v1/summary.pdf", TYPICAL, JSON, "127.0.5.2")
    for thread in flood:
        thread.join(120)
    assert other[0] == 200 and other[2].startswith(b"%PDF-")
    assert sorted(statuses) == [200] + [503] * 7
    later = [call(port, "POST", "/api/v1/summary.pdf", TYPICAL, JSON, "127.0.5.1")[0] for _ in range(10)]
    assert later == [200] * 9 + [429]


def test_change_answers_is_validated_and_bounded_before_it_renders(server: tuple[int, Path]) -> None:
    """A thousand log rows posted to "change answers" come back as the hundred the form takes, with an error."""
    port, _ = server
    rows = "&".join(
        f"contact_log-{i}-date=2026-11-01&contact_log-{i}-channel=sms&contact_log-{i}-note=n" for i in range(1000)
    )
    body = f"due_date=2026-10-01&overdue_amount=1000&{rows}".encode()
    status, _, page = call(port, "POST", "/zh-hans/situation", body, FORM, "127.0.5.3")
    assert status == 422
    shown = set(re.findall(rb'name="contact_log-(\d+)-note"', page))
    assert 100 <= len(shown) <= 103  # the hundred rows, then the form's blank ones
    assert "最多100条".encode() in page
    valid = call(port, "POST", "/zh-hans/situation", b"due_date=2026-10-01&overdue_amount=1000", FORM, "127.0.5.3")
    assert valid[0] == 200


@pytest.mark.parametrize(
    ("typed", "code"),
    [("万分之5\x1b[31m", "control"), ("逾期" * 3000 + "万分之5", "long"), ("万分之\u202e5", "control")],
)
def test_the_typed_penalty_rate_gets_the_text_checks(server: tuple[int, Path], typed: str, code: str) -> None:
    port, _ = server
    body = urlencode({"due_date": "2026-10-01", "overdue_amount": "1000", "penalty_daily_rate_percent": typed})
    for path in ("/zh-hans/situation/summary", "/zh-hans/situation/summary.pdf"):
        status, headers, page = call(port, "POST", path, body.encode(), FORM, "127.0.5.4")
        assert status == 422 and headers["content-type"].startswith("text/html"), path  # the form, not a summary
        assert ("控制" if code == "control" else "最多").encode() in page, page.decode()[:3000]


def test_the_access_log_has_no_query_string_body_or_cookie(server: tuple[int, Path]) -> None:
    port, log = server
    canary = "canary-7f3e9c"
    call(port, "GET", f"/zh-hans/?q={canary}", headers={"Cookie": f"v={canary}"}, source="127.0.5.5")
    body = json.dumps({"due_date": "2026-10-01", "overdue_amount": "1000", "platform": canary}).encode()
    call(port, "POST", "/api/v1/assessment", body, JSON, "127.0.5.5")
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /a%1B[31mred%0Aforged HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert read_until_closed(sock, 30).startswith(b"HTTP/1.1 404")
    text = log_text(log)
    assert "GET /zh-hans/ 200 " in text and "POST /api/v1/assessment 200 " in text
    assert canary not in text and "127.0.5.5" not in text
    assert "\x1b" not in text and "GET /a\\x1b[31mred\\x0aforged 404" in text
    assert not any(line.startswith("forged") for line in text.splitlines())
