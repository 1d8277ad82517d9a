"""Guide PDFs, read back: content in the right script, fonts embedded, page furniture, serving, and the
pipeline's guards (fetcher, page and time limits)."""

import http.server
import io
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

import webapp.pdf.fonts
from tests.helpers import GUIDE_SLUG, GUIDE_SLUGS, ROOT, pdffonts, pdftotext, squash
from webapp import create_app
from webapp.pdf.fonts import PDF_FONT_FAMILIES
from webapp.pdf.render import BASE_URL, PdfRenderer, PdfTooLong, PdfTooSlow
from webapp.state import state
from webapp.variants import VARIANTS

pytestmark = pytest.mark.slow

CODES = ["zh-hans", "zh-hant"]


@pytest.fixture(scope="module")
def guide_pdfs(app) -> dict[str, bytes]:
    client = app.test_client()
    return {code: client.get(f"/{code}/guides/{GUIDE_SLUG}.pdf").data for code in CODES}


@pytest.mark.parametrize("code", CODES)
def test_guide_pdf_has_every_section_heading_in_its_script(app, guide_pdfs, code: str) -> None:
    text = squash(pdftotext(guide_pdfs[code]))
    guide = state(app).library.get(GUIDE_SLUG, VARIANTS[code])
    for heading in guide.toc:
        assert squash(heading.title) in text, heading.title


def test_zh_hant_pdf_has_no_simplified_leftovers(app, guide_pdfs) -> None:
    text = pdftotext(guide_pdfs["zh-hant"])
    assert "個人信息保護法" in text
    assert state(app).converter.simplified_leftovers(text) == set()


@pytest.mark.parametrize("code", CODES)
def test_all_fonts_are_embedded_cid_fonts_never_type3(guide_pdfs, code: str) -> None:
    rows = pdffonts(guide_pdfs[code])
    family = "Noto-Sans-CJK-TC" if code == "zh-hant" else "Noto-Sans-CJK-SC"
    assert len(rows) == 2  # one face per weight: regular and bold, nothing else (no DejaVu in margins)
    for row in rows:
        name, kind, emb_sub_uni = row[:37].strip(), row[37:55].strip(), row[72:83].split()
        assert family in name
        assert kind == "CID Type 0C"
        assert emb_sub_uni == ["yes", "yes", "yes"]


@pytest.mark.parametrize(("code", "page", "of"), [("zh-hans", "页", "页"), ("zh-hant", "頁", "頁")])
def test_pages_are_numbered_in_the_variants_words(guide_pdfs, code: str, page: str, of: str) -> None:
    reader = pypdf.PdfReader(io.BytesIO(guide_pdfs[code]))
    total = len(reader.pages)
    assert 6 <= total <= 20
    second = pdftotext(guide_pdfs[code], "-f", "2", "-l", "2")
    last = pdftotext(guide_pdfs[code], "-f", str(total), "-l", str(total))
    assert f"第 2 {page} / 共 {total} {of}" in second
    assert f"第 {total} {page} / 共 {total} {of}" in last
    assert "第 1 " not in pdftotext(guide_pdfs[code], "-f", "1", "-l", "1")  # no furniture on the cover


def test_running_header_carries_the_guide_title(app, guide_pdfs) -> None:
    title = state(app).library.get(GUIDE_SLUG, VARIANTS["zh-hans"]).title
    assert title in pdftotext(guide_pdfs["zh-hans"], "-f", "4", "-l", "4")


def test_table_of_contents_shows_page_numbers(guide_pdfs) -> None:
    toc = pdftotext(guide_pdfs["zh-hans"], "-f", "2", "-l", "2", "-layout")
    assert re.search(r"现在先做什么？\s*\.{5,}\s*3\b", toc)
    assert re.search(r"来源\s*\.{5,}\s*\d+", toc)


def test_cover_is_neutral_and_the_next_page_says_what_it_is_and_for_whom(app, guide_pdfs) -> None:
    # A PDF's first page is what a file preview shows others: only the neutral word, the date, the script, the
    # not-legal-advice line (docs/decisions/0012-neutral-titles.md). The title opens the next page.
    cover = squash(pdftotext(guide_pdfs["zh-hant"], "-f", "1", "-l", "1"))
    guide = state(app).library.get(GUIDE_SLUG, VARIANTS["zh-hant"])
    assert cover.startswith("指南1")
    assert "內容核對日期2026年12月3日" in cover and "繁體中文" in cover
    assert "不是法律意見" in cover
    assert "逾期" not in cover and "58" not in cover.replace("指南1", "") and squash(guide.title) not in cover
    assert guide.version[:8] not in cover and not re.search(r"[0-9a-f]{8}", cover)  # no hex version
    second = squash(pdftotext(guide_pdfs["zh-hant"], "-f", "2", "-l", "2"))
    assert squash(guide.title) in second and squash(guide.description) in second
    assert "寫給：" + squash(guide.audience) in second


@pytest.mark.parametrize("code", CODES)
def test_pdf_metadata_title_is_neutral(guide_pdfs, code: str) -> None:
    metadata = pypdf.PdfReader(io.BytesIO(guide_pdfs[code])).metadata
    assert metadata is not None and metadata.title == "指南"
    assert "逾期" not in str(metadata.subject or "") and "58" not in str(metadata.subject or "")


@pytest.fixture(scope="module")
def every_guide_pdf(app) -> dict[tuple[str, str], bytes]:
    client = app.test_client()
    return {(slug, code): client.get(f"/{code}/guides/{slug}.pdf").data for slug in GUIDE_SLUGS for code in CODES}


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("slug", GUIDE_SLUGS)
def test_every_guide_prints_every_section_in_its_script(app, every_guide_pdf, slug: str, code: str) -> None:
    pdf = every_guide_pdf[(slug, code)]
    assert pdf.startswith(b"%PDF-")
    text = pdftotext(pdf)
    guide = state(app).library.get(slug, VARIANTS[code])
    for heading in guide.toc:
        assert squash(heading.title) in squash(text), heading.title
    if code == "zh-hant":
        assert state(app).converter.simplified_leftovers(text) == set()


def page_texts(pdf: bytes) -> list[str]:
    total = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return [pdftotext(pdf, "-f", str(n), "-l", str(n)) for n in range(1, total + 1)]


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("slug", GUIDE_SLUGS)
def test_no_heading_is_left_alone_at_the_foot_of_a_page(app, every_guide_pdf, slug: str, code: str) -> None:
    guide = state(app).library.get(slug, VARIANTS[code])
    headings = {squash(h.title) for h in guide.toc} | {"來源", "来源"}
    for number, text in enumerate(page_texts(every_guide_pdf[(slug, code)])[2:], start=3):  # after cover and TOC
        lines = [squash(line) for line in text.splitlines() if squash(line)]
        body = [line for line in lines if not re.fullmatch(r"第\d+[页頁]/共\d+[页頁]", line)]
        last = body[-1] if body else ""
        assert not any(last and heading.endswith(last) and len(last) >= 4 for heading in headings), (number, last)


def test_link_urls_are_printed_after_links(guide_pdfs) -> None:
    assert "(https://flk.npc.gov.cn/)" in pdftotext(guide_pdfs["zh-hans"])


def test_pdf_has_no_screen_controls(guide_pdfs) -> None:
    text = pdftotext(guide_pdfs["zh-hans"])
    for control in ("跳到正文", "繁體中文", "下载本指南"):
        assert control not in text


@pytest.mark.parametrize("code", CODES)
def test_pdf_metadata_title_language_dates_tags_and_no_attachments(app, guide_pdfs, code: str) -> None:
    reader = pypdf.PdfReader(io.BytesIO(guide_pdfs[code]))
    guide = state(app).library.get(GUIDE_SLUG, VARIANTS[code])
    assert reader.metadata.title == "指南"  # neutral (docs/decisions/0012-neutral-titles.md); guide.title opens page 2
    assert reader.metadata.creation_date.date() == guide.updated
    root = reader.trailer["/Root"]
    assert root["/Lang"] == VARIANTS[code].tag
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert [round(float(x)) for x in reader.pages[0].mediabox] == [0, 0, 595, 842]  # A4


def test_guide_pdf_is_served_with_etag_last_modified_and_a_neutral_chinese_filename(client) -> None:
    response = client.get(f"/zh-hans/guides/{GUIDE_SLUG}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"] == "Wed, 02 Dec 2026 16:00:00 GMT"  # 2026-12-03 in Shanghai
    assert "no-cache" in response.headers["Cache-Control"]
    disposition = response.headers["Content-Disposition"]
    assert 'filename="guide-1.pdf"' in disposition  # the first guide of the library; no slug, no platform
    assert "filename*=UTF-8''%E6%8C%87%E5%8D%97-1.pdf" in disposition  # 指南-1.pdf


def test_matching_etag_gets_304(client) -> None:
    etag = client.get(f"/zh-hant/guides/{GUIDE_SLUG}.pdf").headers["ETag"]
    response = client.get(f"/zh-hant/guides/{GUIDE_SLUG}.pdf", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert client.get(f"/zh-hans/guides/{GUIDE_SLUG}.pdf", headers={"If-None-Match": etag}).status_code == 200


def test_unknown_guide_pdf_is_a_404(client) -> None:
    assert client.get("/zh-hans/guides/no-such-guide.pdf").status_code == 404


def test_every_process_renders_the_same_bytes_and_etag(app, guide_pdfs) -> None:
    # Workers behind a balancer must agree, or 304s fail across them.
    other = create_app({"TESTING": True, "PDF_PRERENDER": False, "PDF_WARM_UP": False}).test_client()
    response = other.get(f"/zh-hans/guides/{GUIDE_SLUG}.pdf")
    assert response.data == guide_pdfs["zh-hans"]
    assert response.headers["ETag"] == app.test_client().get(f"/zh-hans/guides/{GUIDE_SLUG}.pdf").headers["ETag"]


def test_guide_page_offers_its_pdf(client) -> None:
    html = client.get(f"/zh-hant/guides/{GUIDE_SLUG}").text
    assert f'href="/zh-hant/guides/{GUIDE_SLUG}.pdf"' in html
    assert "下載本指南的PDF版本" in html


def test_cli_writes_a_guide_pdf_to_a_file(app, tmp_path: Path) -> None:
    target = tmp_path / "guide.pdf"
    result = app.test_cli_runner().invoke(args=["pdf", "guide", GUIDE_SLUG, "--variant", "zh-hant", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "58金融逾期了怎麼辦" in pdftotext(target.read_bytes())


def test_startup_fails_loudly_without_the_cjk_fonts(monkeypatch) -> None:
    monkeypatch.setattr(webapp.pdf.fonts, "find_fonts", lambda: {"Noto Sans CJK SC": None, "Noto Sans CJK TC": None})
    with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
        create_app({"TESTING": True, "PDF_PRERENDER": False, "PDF_WARM_UP": False})


# Compact font subsetting (webapp/pdf/finisher.py)
@pytest.fixture(scope="module")
def plain_renderer(app) -> PdfRenderer:
    from webapp.guide_pdfs import variant_css

    static = ROOT / "webapp" / "static"
    return PdfRenderer(static, [static / "css" / "print.css"], variant_css(app, PDF_FONT_FAMILIES), compact_fonts=False)


def rasterize(pdf: bytes, page: int, folder: Path) -> bytes:
    """One page as a greyscale PGM, written under `folder` (pdftoppm writes files, never to stdout)."""
    source, stem = folder / "in.pdf", folder / f"page-{page}"
    source.write_bytes(pdf)
    args = ["pdftoppm", "-r", "40", "-gray", "-singlefile", "-f", str(page), "-l", str(page), str(source), str(stem)]
    subprocess.run(args, capture_output=True, check=True)
    raster = stem.with_suffix(".pgm").read_bytes()
    assert raster.startswith(b"P5") and len(raster) > 10_000  # a real page, never empty output
    return raster


@pytest.mark.parametrize("code", CODES)
def test_compacted_fonts_draw_exactly_the_same_pages(app, plain_renderer, guide_pdfs, code: str, tmp_path) -> None:
    (tmp_path / "compact").mkdir()
    (tmp_path / "plain").mkdir()
    guide = state(app).library.get(GUIDE_SLUG, VARIANTS[code])
    plain = plain_renderer.render(state(app).guide_pdfs.html(guide), VARIANTS[code].tag)
    assert len(guide_pdfs[code]) < 0.6 * len(plain)
    for page in (1, 3, 7):
        assert rasterize(guide_pdfs[code], page, tmp_path / "compact") == rasterize(plain, page, tmp_path / "plain")
    assert pdftotext(guide_pdfs[code]) == pdftotext(plain)


# The fetcher: only the app's own static files; nothing else, anywhere.
class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared on purpose: the test reads what any request touched

    def do_GET(self) -> None:
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[str]:
    _Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def hostile_document(canary: str) -> str:
    big = "data:image/png;base64," + "A" * 10_000
    return f"""<!doctype html><html lang="zh-Hans"><head><title>t</title>
<link rel="stylesheet" href="{canary}/style.css">
<link rel="attachment" href="{canary}/attachment.bin">
<link rel="attachment" href="file:///etc/passwd">
<style>@import url("{canary}/import.css"); body {{ background: url("{canary}/bg.png"); }}
p::after {{ content: url("file:///etc/hostname"); }}
@font-face {{ font-family: x; src: url("{canary}/f.woff"); }}</style>
</head><body><p>正文 text</p>
<img src="{canary}/img.png"><img src="file:///etc/passwd"><img src="{big}">
<object data="{canary}/object.svg" type="image/svg+xml"></object><embed src="{canary}/embed.svg">
<iframe src="{canary}/frame.html"></iframe>
<svg width="10" height="10"><image href="{canary}/svg-image.png" width="10" height="10"/></svg>
<img src="https://example.com/remote.png"><img src="/static/../../../../etc/passwd">
</body></html>"""


def test_fetcher_refuses_everything_outside_the_apps_static_files(app, canary: str) -> None:
    renderer = state(app).pdf_renderer
    before = len(renderer.fetcher.refused)
    pdf = renderer.render(hostile_document(canary), "zh-Hans")
    refused = renderer.fetcher.refused[before:]
    assert _Canary.hits == []  # the loopback server saw nothing at all
    for url in (
        "/style.css",
        "/attachment.bin",
        "/import.css",
        "/bg.png",
        "/img.png",
        "/object.svg",
        "/f.woff",
    ):
        assert any(r == canary + url for r in refused), url
    assert "file:///etc/passwd" in refused
    assert "https://example.com/remote.png" in refused
    assert any(r.startswith("data:image/png;base64,AAAA") for r in refused)
    text = pdftotext(pdf)
    assert "root:" not in text and "正文" in text
    assert "/EmbeddedFiles" not in pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/Names", {})


def test_fetcher_serves_bundled_static_files_only_within_the_folder(app) -> None:
    fetcher = state(app).pdf_renderer.fetcher
    assert b"@page" in fetcher.fetch(BASE_URL + "static/css/print.css").read()
    for url in (
        BASE_URL + "static/..%2F..%2Fpdf.py",
        BASE_URL + "static/../__init__.py",
        BASE_URL + "healthz",
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


# Limits
def long_document(paragraphs: int) -> str:
    body = "".join(f"<h2>第{i}节</h2><p>{'逾期应对指南。' * 80}</p>" for i in range(paragraphs))
    return f'<!doctype html><html lang="zh-Hans"><head><title>long</title></head><body>{body}</body></html>'


def test_page_limit_stops_the_render_during_layout(app) -> None:
    renderer = state(app).pdf_renderer
    with pytest.raises(PdfTooLong):
        renderer.render(long_document(60), "zh-Hans", max_pages=2)


def test_time_limit_stops_a_slow_render(plain_renderer) -> None:
    plain_renderer.time_limit = 0.05
    try:
        with pytest.raises(PdfTooSlow):
            plain_renderer.render(long_document(100), "zh-Hans")
    finally:
        plain_renderer.time_limit = 20.0


def test_renderer_still_works_after_a_refused_render(app) -> None:
    renderer = state(app).pdf_renderer
    with pytest.raises(PdfTooLong):
        renderer.render(long_document(60), "zh-Hans", max_pages=1)
    assert pdftotext(renderer.render(long_document(1), "zh-Hans")).count("第0节") == 1


def structure_roles(pdf: bytes) -> set[str]:
    roles: set[str] = set()

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, dict):
            if "/S" in node:
                roles.add(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"])
    return roles


def test_pdf_is_tagged_for_screen_readers(guide_pdfs) -> None:
    root = pypdf.PdfReader(io.BytesIO(guide_pdfs["zh-hant"])).trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    assert {"/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link"} <= structure_roles(
        guide_pdfs["zh-hant"]
    )


# Isolation: each render in a forked child
def test_isolated_and_in_process_renders_give_the_same_bytes(app, monkeypatch) -> None:
    renderer = state(app).pdf_renderer
    assert renderer.isolate
    html = long_document(2)
    isolated = renderer.render(html, "zh-Hans")
    monkeypatch.setattr(renderer, "isolate", False)
    assert renderer.render(html, "zh-Hans") == isolated
    assert isolated.startswith(b"%PDF-")


def test_a_render_stuck_past_its_limit_is_killed_and_the_worker_goes_on(app, monkeypatch) -> None:
    renderer = state(app).pdf_renderer
    monkeypatch.setattr(renderer, "time_limit", 0.3)
    monkeypatch.setattr(renderer, "_render", lambda *args: time.sleep(30))  # stuck where no check can run
    with pytest.raises(PdfTooSlow, match="killed"):
        renderer.render("<p>x</p>", "zh-Hans")  # the child sleeps 30 s; returning at all means it was killed
    monkeypatch.undo()
    assert renderer.render(long_document(1), "zh-Hans").startswith(b"%PDF-")


def test_the_print_stylesheet_keeps_each_heading_with_what_follows(app) -> None:
    """The guides above may happen not to put a heading near a page foot: this document does, many times over."""
    sections = "".join(
        f"<h2>第{i}节标题</h2><p>{'逾期应对指南的正文。' * (7 + 13 * (i % 9))}</p>" for i in range(1, 40)
    )
    html = f'<!doctype html><html lang="zh-Hans"><head><title>t</title></head><body>{sections}</body></html>'
    pdf = state(app).pdf_renderer.render(html, "zh-Hans")
    for number, text in enumerate(page_texts(pdf), start=1):
        lines = [squash(line) for line in text.splitlines() if squash(line)]
        body = [line for line in lines if not re.fullmatch(r"第\d+[页頁]/共\d+[页頁]", line)]
        assert body and not re.fullmatch(r"第\d+节标题", body[-1]), (number, body[-1:])
