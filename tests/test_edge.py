"""The HTTP edge and the limits, through Flask's test client: Host, redirects, forwarded headers, the client a
limit counts (IPv6 by /64), counters shared by every process forked after the app was made, the access log."""

import logging
import os
import threading

import pytest

from webapp import create_app
from webapp.access_log import EscapingFormatter, escape_for_log, line
from webapp.limits import SharedMemoryStorage

ANSWERS = {"as_of": "2026-11-28", "due_date": "2026-10-01", "overdue_amount": "1000"}


@pytest.fixture(scope="module")
def edge():
    """One app for the settings these tests need (each create_app costs seconds)."""
    return create_app(
        {
            "TESTING": True,
            "PDF_PRERENDER": False,
            "PDF_WARM_UP": False,
            "RATELIMIT_ENABLED": True,
            "TRUSTED_HOSTS": "guide.example.org, .example.net, [::1], localhost",
            "TRUSTED_PROXIES": 1,
            "FORWARDED_ALLOW_IPS": "10.0.0.0/8",
        }
    )


@pytest.mark.parametrize(
    "host", ["bad host", "x" * 300, "a:99999", "[::1", "a..b", "a\x01b", "évil.example", "a_b", "a_b.example"]
)
def test_a_malformed_host_is_a_plain_400_without_a_traceback(client, host: str, caplog) -> None:
    response = client.get("/zh-hans/", headers={"Host": host})
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Hop-by-hop headers are the server's alone (PEP 3333): waitress answers 500 to an app that sets one.
    assert "Connection" not in response.headers and "Keep-Alive" not in response.headers
    assert not [r for r in caplog.records if r.exc_info]


def test_only_trusted_hosts_are_served_when_they_are_set(edge) -> None:
    client = edge.test_client()
    for host in ("guide.example.org", "GUIDE.example.org:8443", "example.net", "a.b.example.net", "[::1]:8000"):
        assert client.get("/zh-hans/", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "example.org", "notexample.net", "127.0.0.1"):
        assert client.get("/zh-hans/", headers={"Host": host}).status_code == 400, host


def test_redirects_never_carry_the_host(client) -> None:
    response = client.get("/zh-hans", headers={"Host": "evil.example"})
    assert response.status_code == 308 and response.headers["Location"] == "/zh-hans/"
    assert client.get("/", headers={"Host": "evil.example"}).headers["Location"].startswith("/zh-han")


def test_forwarded_headers_count_only_from_the_trusted_proxies(edge) -> None:
    client = edge.test_client()
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    from_proxy = client.get("/zh-hans/", headers=forwarded, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert "Strict-Transport-Security" in from_proxy.headers
    from_anyone = client.get("/zh-hans/", headers=forwarded)  # 127.0.0.1 is not the proxy here
    assert "Strict-Transport-Security" not in from_anyone.headers
    # A client cannot spend another's limit by naming its address: it is counted as itself.
    for _ in range(30):
        client.post("/api/v1/assessment", json=ANSWERS, headers=forwarded)
    assert client.post("/api/v1/assessment", json=ANSWERS, headers=forwarded).status_code == 429
    proxied = client.post(
        "/api/v1/assessment", json=ANSWERS, headers=forwarded, environ_base={"REMOTE_ADDR": "10.0.0.1"}
    )
    assert proxied.status_code == 200


def test_no_forwarded_header_is_trusted_by_default(client) -> None:
    response = client.get("/zh-hans/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"})
    assert "Strict-Transport-Security" not in response.headers
    assert "evil.example" not in response.text


def test_an_ipv6_client_is_its_slash_64_and_change_answers_is_limited(edge) -> None:
    client = edge.test_client()

    def post(address: str) -> int:
        data = {"due_date": "2026-10-01", "overdue_amount": "1000"}
        return client.post("/zh-hans/situation", data=data, environ_base={"REMOTE_ADDR": address}).status_code

    statuses = [post(f"2001:db8:1:2::{i:x}") for i in range(1, 32)]  # 31 addresses of one /64
    assert statuses == [200] * 30 + [429]
    assert post("2001:db8:1:3::1") == 200  # the next /64 is another reader
    assert post("::ffff:192.0.2.1") == 200 and post("192.0.2.1") == 200


def test_counters_are_shared_by_every_process_and_thread_forked_after_they_were_made() -> None:
    storage = SharedMemoryStorage()
    children = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            threads = [threading.Thread(target=lambda: [storage.incr("k", 60) for _ in range(50)]) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            os._exit(0)
        children.append(pid)
    for pid in children:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert storage.get("k") == 600 and storage.incr("k", 60) == 601
    assert storage.get("other") == 0
    storage.clear("k")
    assert storage.get("k") == 0


class SmallTable(SharedMemoryStorage):
    STORAGE_SCHEME = ["small-table-for-tests"]  # noqa: RUF012  # its own scheme: "shared-memory" stays the app's
    SLOTS = 1 << 10


def test_a_full_table_forgets_the_window_ending_soonest() -> None:
    storage = SmallTable()
    for i in range(2 * SmallTable.SLOTS):  # every slot ends up taken by a live window
        storage.incr(f"client-{i}", 60)
    assert storage.incr("newcomer", 60) == 1 and storage.get("newcomer") == 1


def test_the_access_log_escapes_what_a_request_can_put_in_it() -> None:
    assert escape_for_log('/a\x1b[31mb\nc"d\\e\u202ef\x85') == '/a\\x1b[31mb\\x0ac\\"d\\\\e\\u202ef\\x85'
    assert line("GET", "/a\r\nforged", 404, 12, 0.0031) == "GET /a\\x0d\\x0aforged 404 12 3ms"
    assert line("POST", "/api/v1/summary.pdf", 499, None, 2.5) == "POST /api/v1/summary.pdf 499 - 2500ms client left"
    # Any other log line (the server's own name the path too) is escaped by the formatter, once.
    message = "Client disconnected while serving %s"
    record = logging.LogRecord("waitress", logging.INFO, "", 0, message, ("/a\nb",), None)
    assert EscapingFormatter("%(message)s").format(record) == "Client disconnected while serving /a\\x0ab"


def test_the_servers_options_come_from_the_settings_and_waitress_takes_them() -> None:
    from waitress.adjustments import Adjustments

    from webapp.settings import load
    from webapp.wsgi import server_options

    options = server_options(load({"SERVER_CHANNEL_TIMEOUT": "7", "SERVER_CONNECTION_LIMIT": "50", "PORT": "8123"}))
    adjusted = Adjustments(**options)  # an unknown or malformed option fails here
    assert (adjusted.channel_timeout, adjusted.connection_limit, adjusted.port) == (7, 50, 8123)
    assert adjusted.max_request_body_size == load({}).MAX_CONTENT_LENGTH + 1  # a body of exactly the limit passes
    assert not adjusted.ident and adjusted.channel_request_lookahead > 0  # no Server header; disconnects seen
    assert adjusted.clear_untrusted_proxy_headers  # no proxy trusted: no forwarded header reaches the app
    assert not server_options(load({"TRUSTED_PROXIES": "1"}))["clear_untrusted_proxy_headers"]  # the app decides
    assert options["outbuf_overflow"] >= 16 * 1024 * 1024  # answers (a summary PDF) never go to a temporary file
