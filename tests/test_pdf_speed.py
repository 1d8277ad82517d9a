"""The faster PDF pipeline (webapp/pdf/patches.py, PdfRenderer.warm_up): the same PDFs as without it, read back
as a reader would; patches only when asked for and only on the WeasyPrint they were written for; and importing
webapp.pdf.render changes nothing in the process."""

import io
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
import weasyprint
from flask import Flask

from tests.helpers import GUIDE_SLUG, ROOT, pdffonts, pdftotext
from webapp import create_app
from webapp.guide_pdfs import variant_css
from webapp.pdf import patches as pdf_patches
from webapp.pdf.fonts import PDF_FONT_FAMILIES
from webapp.pdf.render import PdfRenderer
from webapp.state import state
from webapp.summary import TYPICAL_ANSWERS, print_html
from webapp.variants import VARIANTS

pytestmark = pytest.mark.slow
STATIC = ROOT / "webapp" / "static"


def summary_html(app: Flask, code: str, **changes: object) -> str:
    return print_html(app, {**TYPICAL_ANSWERS, "variant": VARIANTS[code].tag, **changes})


def long_summary_html(app: Flask) -> str:
    log = [{"date": "2026-11-20", "channel": "phone", "note": "催收电话，说要去我单位。" * 8}] * 40
    return summary_html(app, "zh-hans", contact_log=log)


def with_missing_glyph(html: str) -> str:
    """A character no font has (private use): WeasyPrint draws .notdef, so the face takes its own subset path."""
    return html.replace("</h1>", " \ue000</h1>", 1)


def make_renderer(app: Flask, **options: object) -> PdfRenderer:
    return PdfRenderer(STATIC, [STATIC / "css" / "print.css"], variant_css(app, PDF_FONT_FAMILIES), **options)


@pytest.fixture(scope="module")
def unpatched(app: Flask) -> PdfRenderer:
    return make_renderer(app, fast_fonts=False)


# Several debts print an overview, the order table and each debt's part: markup the one-debt summary has not.
FIVE_DEBTS = {
    "variant": "zh-Hant",
    "as_of": "2026-11-28",
    "debts": [
        {"lender": f"平台{n}", "overdue_amount": str(900 * n), "due_date": f"2026-0{n + 3}-10", "stage_hint": hint}
        for n, hint in enumerate(["payment_order", "none", "judgment", "none", "enforcement"], start=1)
    ],
    "budget": {"monthly_income": "5000", "essential_costs": "3800"},
    "contact_log": [{"date": "2026-11-02", "time": "23:10", "channel": "phone", "debt": 1}],
}


@pytest.fixture(scope="module")
def documents(app: Flask) -> dict[str, tuple[str, str]]:
    guide = state(app).library.get(GUIDE_SLUG, VARIANTS["zh-hant"])
    return {
        "summary zh-Hans": (summary_html(app, "zh-hans"), "zh-Hans"),
        "summary zh-Hant": (summary_html(app, "zh-hant"), "zh-Hant"),
        "long summary": (long_summary_html(app), "zh-Hans"),
        "missing glyph": (with_missing_glyph(summary_html(app, "zh-hans")), "zh-Hans"),
        "guide zh-Hant": (state(app).guide_pdfs.html(guide), "zh-Hant"),
        "five debts zh-Hant": (print_html(app, FIVE_DEBTS), "zh-Hant"),
    }


def test_patched_and_unpatched_renders_give_the_same_bytes(app, unpatched, documents) -> None:
    renderer = state(app).pdf_renderer  # the app's own: patched, warmed in the parent, a child per render
    assert renderer.patches == pdf_patches.ALL and renderer.isolate
    assert unpatched.patches == frozenset()
    for name, (html, tag) in documents.items():
        assert renderer.render(html, tag, max_pages=40) == unpatched.render(html, tag, max_pages=40), name


def rasters(pdf: bytes, folder: Path) -> list[bytes]:
    """Every page at 100 dpi, as pdftoppm writes them into folder."""
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "100", "-", str(folder / "page")], input=pdf, check=True)
    pages = sorted(folder.glob("page-*.ppm"))
    assert len(pages) == len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    images = [page.read_bytes() for page in pages]
    assert all(len(image) > 100_000 for image in images)  # an A4 page at 100 dpi: ~2.8 MB of pixels
    return images


def assert_reads_and_looks_the_same(pdf: bytes, reference: bytes, folder: Path) -> None:
    assert rasters(pdf, folder / "patched") == rasters(reference, folder / "reference")
    assert pdftotext(pdf) == pdftotext(reference)
    for row in pdffonts(pdf):
        assert row[37:55].strip() == "CID Type 0C", row  # a real embedded CID-keyed font, not Type 3
        assert row[72:83].split() == ["yes", "yes", "yes"], row  # embedded, subset, ToUnicode
    assert "/StructTreeRoot" in pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]


@pytest.mark.parametrize("name", ["summary zh-Hant", "long summary"])
def test_patched_summary_looks_reads_and_is_tagged_the_same(app, unpatched, documents, name, tmp_path) -> None:
    # Holds even if a later patch changes bytes legitimately: every page's pixels, the text, the fonts, the tags.
    html, tag = documents[name]
    patched = state(app).pdf_renderer.render(html, tag, max_pages=40)
    assert_reads_and_looks_the_same(patched, unpatched.render(html, tag, max_pages=40), tmp_path)


def test_fonts_are_subset_once_from_the_font_file(app, documents) -> None:
    renderer = make_renderer(app, isolate=False)
    html, tag = documents["summary zh-Hans"]
    made = []
    original = pdf_patches._subset_once
    try:
        pdf_patches._subset_once = lambda font, cids: made.append(original(font, cids)) or made[-1]
        renderer.render(html, tag)
    finally:
        pdf_patches._subset_once = original
    assert len(made) == 2 and all(made)  # regular and bold, both through the one compact subset


def test_a_compact_subset_missing_a_drawn_glyph_is_refused_not_embedded(app, documents, monkeypatch) -> None:
    original = pdf_patches._subset_once

    def short_of_one(font: object, cids: frozenset[int]) -> pdf_patches.Compacted | None:
        made = original(font, cids)
        return made and pdf_patches.Compacted(made.font_program, made.cff, made.cids - {max(made.cids)})

    monkeypatch.setattr(pdf_patches, "_subset_once", short_of_one)
    html, tag = documents["summary zh-Hans"]
    with pytest.raises(RuntimeError, match="lacks glyphs it draws"):
        make_renderer(app, isolate=False).render(html, tag)


def test_without_compaction_the_subset_patch_stays_out(app, documents) -> None:
    # A compact subset embedded as OpenType would draw the wrong glyphs: only the finisher may embed it.
    html, tag = documents["summary zh-Hans"]
    plain = make_renderer(app, compact_fonts=False, isolate=False)
    assert pdf_patches.SUBSET_ONCE not in plain.patches
    assert plain.render(html, tag) == make_renderer(app, compact_fonts=False, fast_fonts=False).render(html, tag)


def test_a_stylesheet_with_footnotes_keeps_weasyprints_own_user_agent_stylesheet(app, tmp_path) -> None:
    # NOTELESS_UA leaves out the note and footnote pseudo-elements: only for stylesheets that make none.
    notes = tmp_path / "notes.css"
    notes.write_text(".note { float: footnote }")
    sheets = [STATIC / "css" / "print.css", notes]
    variants = variant_css(app, PDF_FONT_FAMILIES)
    with_notes = PdfRenderer(STATIC, sheets, variants, isolate=False)
    assert pdf_patches.NOTELESS_UA not in with_notes.patches and pdf_patches.QUICK_STYLE in with_notes.patches
    assert pdf_patches.NOTELESS_UA in make_renderer(app).patches
    html = '<html lang="zh-Hans"><body><p>正文<span class="note">脚注</span></p></body></html>'
    pdf = with_notes.render(html, "zh-Hans")
    assert pdf == PdfRenderer(STATIC, sheets, variants, isolate=False, fast_fonts=False).render(html, "zh-Hans")
    assert pdftotext(pdf).split() == ["正文1", "1.", "脚注"]  # the footnote's call and its marker, numbered


def test_warm_up_warms_the_parent(app, documents) -> None:
    renderer = make_renderer(app)
    assert renderer.isolate
    pdf_patches._faces.clear()
    renderer.warm_up({tag: html for html, tag in (documents["summary zh-Hans"], documents["summary zh-Hant"])})
    assert len(pdf_patches._faces) == 4  # SC and TC, regular and bold: mapped here, inherited by every child


@pytest.mark.parametrize("warm_up", [True, False])
def test_start_up_warms_the_renderer_with_a_real_summary_in_each_variant(monkeypatch, warm_up: bool) -> None:
    warmed_with: list[dict[str, str] | None] = []
    monkeypatch.setattr(PdfRenderer, "warm_up", lambda self, documents=None: warmed_with.append(documents))
    app = create_app({"TESTING": True, "PDF_PRERENDER": False, "PDF_WARM_UP": warm_up})
    if not warm_up:
        assert warmed_with == [None]  # the built-in short page
        return
    [documents] = warmed_with
    assert documents is not None and set(documents) == {"zh-Hans", "zh-Hant"}
    monkeypatch.undo()
    renderer = state(app).pdf_renderer
    for tag, html in documents.items():
        assert f'lang="{tag}"' in html and "summary-print" in html
        text = pdftotext(renderer.render(html, tag, max_pages=state(app).settings.SUMMARY_MAX_PAGES))
        amount = TYPICAL_ANSWERS["overdue_amount"]
        assert f"{int(amount):,}.00" in text  # the warm-up's own figures, printed as a reader's would be
        assert ("你的情况摘要" if tag == "zh-Hans" else "你的情況摘要") in text


def test_patches_refuse_another_weasyprint(app, monkeypatch) -> None:
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match=r"WeasyPrint 70\.0, but WeasyPrint 71\.0 is installed"):
        pdf_patches.install()
    with pytest.raises(RuntimeError, match=r"Pin WeasyPrint==70\.0"):
        make_renderer(app)
    with pytest.raises(RuntimeError, match=r"Pin WeasyPrint==70\.0"):  # every renderer installs them, used or not
        make_renderer(app, fast_fonts=False)


def test_uninstall_restores_weasyprint_and_pydyf() -> None:
    import pydyf
    from weasyprint.pdf import fonts

    assert fonts.Font.subset is pdf_patches._font_subset
    assert weasyprint.HTML._ua_stylesheets is pdf_patches._ua_stylesheets
    assert weasyprint.css.ComputedStyle.__missing__ is pdf_patches._quick_missing
    pdf_patches.uninstall()
    try:
        assert fonts.Font.subset.__module__ == "weasyprint.pdf.fonts"
        assert fonts.get_hb_object_data.__module__ == "weasyprint.text.fonts"
        assert pydyf.PDF.write.__module__ == "pydyf" and "file_content" not in vars(fonts.Font)
        assert weasyprint.HTML._ua_stylesheets.__module__ == "weasyprint"
        assert weasyprint.css.ComputedStyle.__missing__.__module__ == "weasyprint.css"
    finally:
        pdf_patches.install()


def test_importing_webapp_pdf_has_no_side_effects() -> None:
    check = """
import logging, pydyf
from weasyprint.pdf import fonts
import webapp.pdf.render, webapp.pdf.patches, webapp.pdf.finisher
progress = logging.getLogger("weasyprint.progress")
assert progress.filters == [] and progress.propagate, (progress.filters, progress.propagate)
assert webapp.pdf.render._malloc_trim is None and not webapp.pdf.render._set_up
assert fonts.Font.subset.__module__ == "weasyprint.pdf.fonts" and pydyf.PDF.write.__module__ == "pydyf"
import weasyprint.css
assert weasyprint.css.ComputedStyle.__missing__.__module__ == "weasyprint.css"
assert weasyprint.HTML._ua_stylesheets.__module__ == "weasyprint"
print("clean")
"""
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "clean", result.stderr
