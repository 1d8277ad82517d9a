"""Scaling out: with RATELIMIT_STORAGE_URI pointing at Redis, every instance counts against the same limit."""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from webapp import create_app

ANSWERS = {"as_of": "2026-11-28", "due_date": "2026-10-01", "overdue_amount": "1000"}


@pytest.fixture(scope="module")
def redis_uri() -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is missing: `make test` installs Debian's redis-server")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(5)


def test_two_instances_share_one_limit_through_redis(redis_uri: str) -> None:
    config = {
        "TESTING": True,
        "PDF_PRERENDER": False,
        "PDF_WARM_UP": False,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": redis_uri,
        "TRUSTED_PROXIES": 1,
    }
    first, second = create_app(config).test_client(), create_app(config).test_client()
    reader = {"X-Forwarded-For": "203.0.113.50"}
    # The answers' limit (30 a minute, every route together) rather than the PDFs' (10): the same Redis counters,
    # without rendering ten PDFs to reach it; tests/test_hardening.py holds the PDFs' own limit.
    statuses = [
        (first if i % 2 == 0 else second).post("/api/v1/assessment", json=ANSWERS, headers=reader).status_code
        for i in range(31)
    ]
    assert statuses == [200] * 30 + [429]  # thirty answers a minute in all, whichever instance served them
    other_reader = {"X-Forwarded-For": "203.0.113.51"}
    assert second.post("/api/v1/assessment", json=ANSWERS, headers=other_reader).status_code == 200
