"""The reader on a phone (issue #21), through the Flask test client: the quick exit and "leave no trace" on every
page, hotlines as tel: links, neutral titles, the offline search, the contents list and the variant switch."""

import re

import pytest

from tests.helpers import GUIDE_SLUGS, elements, links, readable_text

CODES = ("zh-hans", "zh-hant")
EVERY_PAGE = [
    "/{v}/",
    *(f"/{{v}}/guides/{slug}" for slug in GUIDE_SLUGS),
    "/{v}/situation",
    "/{v}/no-trace",
    "/{v}/offline",
    "/{v}/guides/no-such-guide",  # an error page
]
every_page = pytest.mark.parametrize(("page", "code"), [(page, code) for page in EVERY_PAGE for code in CODES])


@every_page
def test_every_page_has_the_quick_exit_and_its_guard_before_the_page_is_drawn(client, page: str, code: str) -> None:
    html = client.get(page.format(v=code)).text
    assert elements(html, "a", id="quick-exit", href="about:blank")  # no request leaves the device by default
    head = html.split("</head>")[0]
    guard = re.search(r'<script src="(/assets/js/exit\.[0-9a-f]+\.js)"></script>', head)
    assert guard, "exit.js must load in <head>, not deferred, to hide a page Back brings back after an exit"
    assert client.get(guard[1]).status_code == 200
    assert elements(html, "html", **{"data-exit": "about:blank"})


@every_page
def test_every_page_leads_to_leave_no_trace(client, page: str, code: str) -> None:
    assert f"/{code}/no-trace" in links(client.get(page.format(v=code)).text)


@pytest.mark.parametrize(
    ("code", "words"), [("zh-hans", ["无痕", "历史记录", "删除"]), ("zh-hant", ["無痕", "歷史記錄", "刪除"])]
)
def test_leave_no_trace_explains_private_mode_history_what_is_kept_and_how_to_wipe(client, code: str, words) -> None:
    text = readable_text(client.get(f"/{code}/no-trace").text)
    for word in words:
        assert word in text
    assert "localStorage" not in text  # the reader's words, not ours


def test_leave_no_trace_opens_offline(client) -> None:
    worker = client.get("/sw.js").text
    for code in CODES:
        assert f'"url": "/{code}/no-trace"' in worker or f'"url":"/{code}/no-trace"' in worker
