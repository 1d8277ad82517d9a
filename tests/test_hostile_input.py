"""A hostile-input corpus through every text field of the form and the API.

Each payload gets a 4xx that names the field, or a summary (HTML and PDF) in which the text shows literally and
never as markup. A loopback canary server, whose address many payloads point at, must see no request at all.
"""

import http.server
import io
import json
import threading
from collections.abc import Iterator

import pypdf
import pytest
from markupsafe import escape

from tests.helpers import pdftotext, squash

CANARY_HITS: list[str] = []


class _Canary(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        CANARY_HITS.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def canary() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


# The corpus: CANARY and CANARY_PORT stand for the canary server's address, filled in by `payload()`.
CORPUS: list[str] = [
    # markup and script
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "<iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">点我</a>',
    "<b>粗体</b><i>斜体</i>",
    "</textarea></pre><h1>标题</h1>",
    "<!-- 注释 -->",
    "<![CDATA[x]]>",
    "&lt;already escaped&gt; &amp; &#x3C;",
    # resources that a renderer might fetch
    "<img src=http://CANARY/img.png>",
    '<link rel="stylesheet" href="http://CANARY/a.css">',
    '<link rel="attachment" href="http://CANARY/file.bin">',
    "<object data=http://CANARY/o.svg></object>",
    "<embed src=http://CANARY/e.svg>",
    '<style>@import url("http://CANARY/i.css");</style>',
    "<style>body{background:url(http://CANARY/bg.png)}</style>",
    '<div style="background:url(http://CANARY/s.png)">x</div>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="http://CANARY/svg.png"/></svg>',
    '<meta http-equiv="refresh" content="0;url=http://CANARY/r">',
    '<base href="http://CANARY/">',
    "url(http://CANARY/plain)",
    "http://CANARY/canary",
    "http://localhost:CANARY_PORT/x",
    "http://[::1]:CANARY_PORT/x",
    "//CANARY/protocol-relative",
    "file:///etc/passwd",
    "<img src=file:///etc/passwd>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "javascript:alert(document.cookie)",
    # templates and format strings
    "{{ config.SECRET_KEY }}",
    "{% raw %}{{7*7}}{% endraw %}",
    "${7*7} #{7*7}",
    "%s %d %(field)s %%",
    "{platform} {0} {__class__}",
    "' OR 1=1 --",
    "../../../../etc/passwd",
    "\\x00 \\u202e",
    # bidi, control and invisible characters
    "正常\u202e文字",
    "\u2066隔离\u2069",
    "\u200f右至左标记",
    "零宽\u200b空格",
    "连接\u200d符",
    "\ufeff字节序",
    "控制\x00字符",
    "响铃\x07",
    "转义\x1b[31m红色",
    "删除\x7f",
    "换行\n回车\r",
    "行\u2028分隔",
    "私用\ue000区",
    # characters the fonts cannot draw, and ones they can
    "表情😀",
    "家庭👨‍👩‍👧",
    "扩展B𠀀",
    "𪚥𩸽",
    "阿拉伯مرحبا",
    "泰文สวัสดี",
    "ﷺ",
    "日本語のかな",
    "한국어",
    "русский текст",
    "Ελληνικά",
    "全角＜ｓｃｒｉｐｔ＞",
    "e\u0301 组合",
    "   前后空格   ",
    "",
    "x" * 41,
    "长" * 201,
]
# Payloads the PDF tier renders: markup and every way a document could name a resource. The rest go through the
# JSON API and the HTML summary only, which judge and escape them the same way.
PRINTED_IN_PDFS = [p for p in CORPUS if "CANARY" in p or "file:" in p][:12]


def payload(template: str, canary: str) -> str:
    return template.replace("CANARY_PORT", canary.split(":")[1]).replace("CANARY", canary)


def short_id(template: str) -> str:
    return repr(template[:24])


@pytest.fixture(autouse=True)
def no_request_reaches_the_canary() -> Iterator[None]:
    CANARY_HITS.clear()
    yield
    assert CANARY_HITS == []


def test_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 60
    assert len(PRINTED_IN_PDFS) >= 10


@pytest.mark.parametrize("template", CORPUS, ids=short_id)
@pytest.mark.parametrize("field", ["platform", "note"])
def test_each_payload_in_the_api_is_refused_by_field_or_kept_as_text(client, canary: str, template: str, field: str):
    text = payload(template, canary)
    answers: dict = {"due_date": "2026-10-01", "overdue_amount": "1000"}
    if field == "platform":
        answers["platform"] = text
    else:
        answers["contact_log"] = [{"date": "2026-11-01", "channel": "sms", "note": text}]
    response = client.post("/api/v1/assessment", data=json.dumps(answers), content_type="application/json")
    if response.status_code == 422:
        fields = [e["field"] for e in response.get_json()["errors"]]
        assert fields == ["platform" if field == "platform" else "contact_log.0.note"]
        return
    assert response.status_code == 200
    if field == "platform" and text.strip():
        # The platform's name is written into the next steps as the reader typed it (stripped), never altered.
        assert any(text.strip() in action["title"] for action in response.get_json()["actions"])


@pytest.mark.parametrize("template", CORPUS, ids=short_id)
def test_each_payload_in_the_form_is_escaped_in_the_html_summary(client, canary: str, template: str) -> None:
    text = payload(template, canary)
    form = {
        "due_date": "2026-10-01",
        "overdue_amount": "1000",
        "platform": text,
        "contact_log-0-date": "2026-11-01",
        "contact_log-0-channel": "sms",
        "contact_log-0-note": text,
    }
    response = client.post("/zh-hans/situation/summary", data=form)
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert 'class="field-error"' in response.text
    # Whatever came back, the payload never became markup: no tag the reader typed is in the page as a tag.
    if "<" in text:
        assert text.strip() not in response.text
    if response.status_code == 200 and text.strip():
        assert str(escape(text.strip())) in response.text  # as Jinja escapes it


@pytest.mark.slow
@pytest.mark.parametrize("template", PRINTED_IN_PDFS, ids=short_id)
def test_each_resource_payload_prints_literally_in_the_summary_pdf(client, canary: str, template: str) -> None:
    text = payload(template, canary)
    answers = {
        "due_date": "2026-10-01",
        "overdue_amount": "1000",
        "variant": "zh-Hant",
        "platform": text[:40],
        "contact_log": [{"date": "2026-11-01", "channel": "sms", "note": text}],
    }
    response = client.post("/api/v1/summary.pdf", data=json.dumps(answers), content_type="application/json")
    assert response.mimetype == "application/pdf", response.status_code
    printed = squash(pdftotext(response.data))
    assert squash(text) in printed
    assert squash(text[:40]) in printed
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})


@pytest.mark.parametrize(
    ("template", "outcome"),
    [
        ("<script>alert(1)</script>", "kept"),
        ("<img src=http://CANARY/img.png>", "kept"),
        ("{{ config.SECRET_KEY }}", "kept"),
        ("正常\u202e文字", "refused"),
        ("控制\x00字符", "refused"),
        ("表情😀", "refused"),
        ("扩展B𠀀", "refused"),
        ("零宽\u200b空格", "refused"),
        ("换行\n回车\r", "refused"),
        ("x" * 41, "refused"),
    ],
    ids=short_id,
)
def test_the_refusals_are_the_ones_the_rules_call_for(client, canary: str, template: str, outcome: str) -> None:
    answers = {"due_date": "2026-10-01", "overdue_amount": "1000", "platform": payload(template, canary)}
    response = client.post("/api/v1/assessment", json=answers)
    assert {200: "kept", 422: "refused"}[response.status_code] == outcome


def test_megabyte_strings_are_refused_by_size(client) -> None:
    big = "长" * (1024 * 1024)
    assert (
        client.post(
            "/api/v1/assessment", json={"due_date": "2026-10-01", "overdue_amount": "1", "platform": big}
        ).status_code
        == 413
    )
    assert client.post("/zh-hans/situation/summary", data={"platform": big}).status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        b'{"due_date": "2026-10-01", "overdue_amount": "1", "platform": "\xff\xfe"}',
        b'{"due_date": "2026-10-01", "overdue_amount": "1", "platform": "\xed\xa0\x80"}',  # an encoded surrogate
        b"\xc3\x28",
    ],
)
def test_invalid_utf8_json_is_a_400(client, body: bytes) -> None:
    response = client.post("/api/v1/assessment", data=body, content_type="application/json")
    assert response.status_code == 400


def test_invalid_utf8_in_a_form_shows_literally(client) -> None:
    # Werkzeug keeps percent-escapes that are not UTF-8 as the literal text, which is printed as typed.
    body = b"due_date=2026-10-01&overdue_amount=1&platform=%FF%FE%C3%28"
    response = client.post("/zh-hans/situation/summary", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "<dd>%FF%FE%C3(</dd>" in response.text


def test_text_damaged_in_decoding_is_refused(client) -> None:
    response = client.post(
        "/api/v1/assessment", json={"due_date": "2026-10-01", "overdue_amount": "1", "platform": "坏\ufffd字"}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0] == {
        "field": "platform",
        "code": "invalid_encoding",
        "message": "借款平台收到的字符已损坏（不是有效的文字），请重新输入。",
    }


def test_json_escaped_lone_surrogate_is_a_field_error(client) -> None:
    body = '{"due_date": "2026-10-01", "overdue_amount": "1", "platform": "\\ud800"}'
    response = client.post("/api/v1/assessment", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "platform"


@pytest.mark.parametrize("depth", [100, 5_000, 50_000])
def test_deeply_nested_json_never_fails(client, depth: int) -> None:
    body = '{"due_date": "2026-10-01", "overdue_amount": "1", "contact_log": ' + "[" * depth + "]" * depth + "}"
    response = client.post("/api/v1/assessment", data=body, content_type="application/json")
    assert response.status_code in (400, 413, 422)
