"""WeasyPrint (our pipeline, warm, in-process) against Chromium's page.pdf() (warm, Debian chromium) on the same
HTML, in one run: median time ratio, size ratio, and WeasyPrint's peak RSS.

Goal (issue "Printable guide PDFs"): WeasyPrint <= 0.35x Chromium's warm time and <= 0.6x its size.

Run: .venv/bin/python benchmarks/pdf_render.py [--runs 7]
"""

import argparse
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo's own modules, run from anywhere
from benchmarks.common import TYPICAL_SITUATION
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from webapp import create_app
from webapp.variants import HANS

ROOT = Path(__file__).resolve().parent.parent


def timed(fn: Callable[[], bytes], runs: int) -> tuple[float, bytes]:
    fn()  # warm
    times, out = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def fonts_of(pdf: bytes) -> str:
    listing = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=False).stdout.decode()
    types = [line[37:55].strip() for line in listing.splitlines()[2:]]
    return ", ".join(sorted(set(types))) or "?"


def summary_html(app) -> str:
    from flask import render_template
    from flask_babel import force_locale

    from webapp.situation.model import Answers
    from webapp.situation.service import run_assessment, summary_context

    answers = Answers.model_validate(TYPICAL_SITUATION)
    with app.test_request_context("/zh-hans/"), force_locale(HANS.locale):
        return render_template("print/summary.html", **summary_context(answers, run_assessment(answers)))


def documents(app) -> dict[str, str]:
    pdfs = app.extensions["guide_pdfs"]
    guide = app.extensions["library"].get("58-finance-overdue", HANS)
    full = pdfs.html(guide)
    # A short document: the cover, the contents and the first sections of the same guide.
    head, _, rest = full.partition('<div class="guide-body">')
    body = rest[: rest.index('<h2 id="what-is-overdue">')]
    short = f'{head}<div class="guide-body">{body}</div></body></html>'
    return {"guide": full, "short": short, "summary": summary_html(app)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    app = create_app({"PDF_PRERENDER": False})
    renderer = app.extensions["pdf_renderer"]
    docs = documents(app)
    css = (ROOT / "webapp/static/css/print.css").read_text() + renderer_variant_css(app)

    weasy: dict[str, tuple[float, bytes]] = {}
    for name, html in docs.items():
        weasy[name] = timed(lambda html=html: renderer.render(html, HANS.tag, max_pages=40), args.runs)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    chrome: dict[str, tuple[float, bytes]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()

        def chromium_pdf(html: str) -> bytes:
            page.set_content(html.replace("</head>", f"<style>{css}</style></head>"), wait_until="load")
            return page.pdf(format="A4", prefer_css_page_size=True, tagged=True)

        for name, html in docs.items():
            chrome[name] = timed(lambda html=html: chromium_pdf(html), args.runs)
        browser.close()

    print(
        f"{'document':10} {'weasy ms':>9} {'chrome ms':>9} {'time x':>7} {'weasy KB':>9} {'chrome KB':>9} {'size x':>7}"
    )
    for name in docs:
        (wt, wpdf), (ct, cpdf) = weasy[name], chrome[name]
        print(
            f"{name:10} {wt * 1000:>9.0f} {ct * 1000:>9.0f} {wt / ct:>7.2f} "
            f"{len(wpdf) / 1024:>9.0f} {len(cpdf) / 1024:>9.0f} {len(wpdf) / len(cpdf):>7.2f}"
        )
        print(f"{'':10} fonts: weasyprint [{fonts_of(wpdf)}]  chromium [{fonts_of(cpdf)}]")
    print(f"WeasyPrint peak RSS (this process, before Chromium started): {peak_rss_mb:.0f} MB")
    import io

    import pypdf

    pages = {name: len(pypdf.PdfReader(io.BytesIO(weasy[name][1])).pages) for name in docs}
    print(f"pages (WeasyPrint): {pages}")
    print(f"runs per measurement: {args.runs} (median), python {sys.version.split()[0]}")


def renderer_variant_css(app) -> str:
    from webapp import PDF_FONT_FAMILIES
    from webapp.guide_pdfs import variant_css

    return variant_css(app, PDF_FONT_FAMILIES)[HANS.tag]


if __name__ == "__main__":
    main()
