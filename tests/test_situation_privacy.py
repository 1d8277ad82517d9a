"""Nothing personal is stored or logged: a canary posted through every route turns up in no log and no file."""

import logging
import os
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from tests.helpers import ROOT


@pytest.fixture
def canary() -> str:
    return f"金丝雀{uuid.uuid4().hex[:12]}"


def files_touched_since(start: float, roots: list[Path]) -> list[Path]:
    touched = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in {".git", ".venv", "node_modules"}]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    if path.stat().st_mtime >= start:
                        touched.append(path)
                except OSError:
                    continue
    return touched


def test_a_posted_canary_reaches_no_log_and_no_file(client, canary: str, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    start = time.time() - 1
    answers = {"due_date": "2026-10-01", "overdue_amount": "1000", "platform": canary[:40]}
    log = {"contact_log": [{"date": "2026-11-01", "channel": "sms", "note": canary}]}
    form = {**answers, "contact_log-0-date": "2026-11-01", "contact_log-0-channel": "sms", "contact_log-0-note": canary}
    responses = [
        client.post("/api/v1/assessment", json={**answers, **log}),
        client.post("/api/v1/summary.pdf", json={**answers, **log}),
        client.post("/zh-hans/situation/summary", data=form),
        client.post("/zh-hant/situation/summary.pdf", data=form),
        client.post("/zh-hans/situation", data=form),
        client.post("/api/v1/assessment", json={**answers, "overdue_amount": "-1", "note": canary}),  # an error path
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 200, 422]
    assert all(r.headers["Cache-Control"] == "no-store" for r in responses)
    assert canary in responses[2].text  # it was really used...
    assert canary not in caplog.text  # ...and logged nowhere
    for path in files_touched_since(start, [ROOT, Path(tempfile.gettempdir())]):
        try:
            content = path.read_bytes()
        except OSError:
            continue
        assert canary.encode() not in content, path


def test_summary_responses_set_no_cookie_and_are_never_cacheable(client) -> None:
    response = client.post("/api/v1/assessment", json={"due_date": "2026-10-01", "overdue_amount": "1"})
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_the_access_log_has_the_path_only(client, canary: str, caplog) -> None:
    """Method, path, status, size and time: no query string, no cookie, no address (through the real server too, in
    test_server_edge.py)."""
    caplog.set_level(logging.INFO, logger="webapp.access")
    client.get(f"/zh-hans/?q={canary}", headers={"Cookie": f"v={canary}"})
    (record,) = [r for r in caplog.records if r.name == "webapp.access"]
    assert record.getMessage().startswith("GET /zh-hans/ 200 ")
    assert canary not in caplog.text and "127.0.0.1" not in record.getMessage()
