"""A hostile-input corpus through every text field of the form and the API.

Each payload gets a 4xx that names the field, or a summary (HTML and PDF) in which the text shows literally and
never as markup. A loopback canary server, whose address many payloads point at, must see no request at all.
"""

import http.server
import io
import json
import re
import subprocess
import threading
import unicodedata
from collections.abc import Iterator

import pypdf
import pytest

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


def corpus(c: str) -> list[str]:
    """At least 60 payloads; `c` is the canary's host:port."""
    return [
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
        f"<img src=http://{c}/img.png>",
        f'<link rel="stylesheet" href="http://{c}/a.css">',
        f'<link rel="attachment" href="http://{c}/file.bin">',
        f"<object data=http://{c}/o.svg></object>",
        f"<embed src=http://{c}/e.svg>",
        f'<style>@import url("http://{c}/i.css");</style>',
        f"<style>body{{background:url(http://{c}/bg.png)}}</style>",
        f'<div style="background:url(http://{c}/s.png)">x</div>',
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://{c}/svg.png"/></svg>',
        f'<meta http-equiv="refresh" content="0;url=http://{c}/r">',
        f'<base href="http://{c}/">',
        f"url(http://{c}/plain)",
        f"http://{c}/canary",
        f"http://localhost:{c.split(':')[1]}/x",
        f"http://[::1]:{c.split(':')[1]}/x",
        f"//{c}/protocol-relative",
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


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_corpus_is_big_enough(canary: str) -> None:
    assert len(corpus(canary)) >= 60


def check_pdf_or_field_error(response, payload: str, field: str, limit: int) -> str:
    assert response.status_code in (200, 422), (payload, response.status_code)
    if response.status_code == 422:
        body = response.get_json() if response.is_json else None
        fields = [e["field"] for e in body["errors"]] if body else []
        assert body is None or any(f.startswith(field) for f in fields), (payload, fields)
        return "refused"
    text = squash(pdftotext(response.data))
    stripped = payload.strip()
    if stripped:
        assert squash(stripped[:limit]) in text, payload
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    return "printed"


@pytest.mark.parametrize("field", ["platform", "note"])
def test_every_payload_in_the_api_is_refused_by_field_or_printed_literally(client, canary: str, field: str) -> None:
    outcomes: dict[str, str] = {}
    for payload in corpus(canary):
        answers = {"due_date": "2026-10-01", "overdue_amount": "1000", "variant": "zh-Hans"}
        if field == "platform":
            answers["platform"] = payload
            path = "platform"
        else:
            answers["contact_log"] = [{"date": "2026-11-01", "channel": "sms", "note": payload}]
            path = "contact_log.0.note"
        response = client.post("/api/v1/summary.pdf", data=json.dumps(answers), content_type="application/json")
        outcomes[payload] = check_pdf_or_field_error(response, payload, path, 200)
    assert CANARY_HITS == []
    # The corpus exercises both outcomes, and the refusals are the ones the rules call for.
    assert outcomes["<script>alert(1)</script>"] == "printed"
    assert outcomes[f"<img src=http://{canary}/img.png>"] == "printed"
    for refused in ("正常\u202e文字", "控制\x00字符", "表情😀", "扩展B𠀀", "零宽\u200b空格", "换行\n回车\r"):
        assert outcomes[refused] == "refused", refused


def test_every_payload_in_the_form_is_escaped_in_the_html_summary(client, canary: str) -> None:
    for payload in corpus(canary):
        form = {
            "due_date": "2026-10-01",
            "overdue_amount": "1000",
            "platform": payload,
            "contact_log-0-date": "2026-11-01",
            "contact_log-0-channel": "sms",
            "contact_log-0-note": payload,
        }
        response = client.post("/zh-hans/situation/summary", data=form)
        assert response.status_code in (200, 422), payload
        html = response.text
        # Whatever came back, the payload never became markup: no tag the reader typed is in the page as a tag.
        for tag in (
            "<script>alert",
            "<img src=x",
            "<svg onload",
            "<iframe",
            "<h1>标题",
            "<b>粗体",
            "<base href",
            "<meta http-equiv",
        ):
            if tag in payload:
                assert tag not in html, (payload, tag)
        if response.status_code == 422:
            assert 'class="field-error"' in html
    assert CANARY_HITS == []


def test_form_summary_pdfs_print_hostile_text_literally(client, canary: str) -> None:
    for payload in [p for p in corpus(canary) if "<" in p or "url(" in p][:20]:
        form = {
            "due_date": "2026-10-01",
            "overdue_amount": "1000",
            "contact_log-0-date": "2026-11-01",
            "contact_log-0-channel": "sms",
            "contact_log-0-note": payload,
        }
        response = client.post("/zh-hant/situation/summary.pdf", data=form)
        if response.mimetype == "application/pdf":
            assert squash(payload) in squash(pdftotext(response.data)), payload
        else:
            assert response.status_code == 422
    assert CANARY_HITS == []


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
