"""The summary PDF for several debts (issue #23): WeasyPrint's render time against Chromium's on the same HTML, for
1, 5 and 20 debts, and how the time grows with the debts.

The answers are the tests' several-debt answers (tests/test_debts_summary.py: every kind of lender, a payment order,
court papers, a budget, two logged contacts), in zh-Hans. Ours is the app's own renderer in this process, as a render
pool process runs it (warm, no cyclic GC during the render, collected after); Chromium (Debian's, warm, one page
reused, as benchmarks/pdf_render.py drives it) prints the same HTML with the same stylesheet inlined. Rounds
alternate, Chromium then ours, for each size in turn, so load on the machine falls on both sides.

Printed: the median time of each side per size, our median over Chromium's, the pages, and the growth: time(20) over
time(1) against 20 (the render time must grow no faster than the debts), and the time each debt adds.

Run: .venv/bin/python benchmarks/pdf_debts.py [--runs 9]
"""

import argparse
import gc
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo's own modules, run from anywhere
from benchmarks.pdf_render import ROOT, summary_html

SIZES = (1, 5, 20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    import pypdf
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
    from tests.test_debts_summary import debts
    from webapp import create_app
    from webapp.guide_pdfs import variant_css
    from webapp.pdf.fonts import PDF_FONT_FAMILIES
    from webapp.state import state
    from webapp.variants import HANS

    app = create_app({"PDF_PRERENDER": False, "PDF_ISOLATE": False})
    css = (ROOT / "webapp/static/css/print.css").read_text() + variant_css(app, PDF_FONT_FAMILIES)[HANS.tag]
    html = {n: summary_html(app, HANS, debts(n)) for n in SIZES}
    with app.app_context():
        renderer, max_pages = state().pdf_renderer, state().settings.SUMMARY_MAX_PAGES

    def ours(n: int) -> tuple[float, bytes]:
        gc.disable()
        start = time.perf_counter()
        pdf = renderer.render_here(html[n], HANS.tag, max_pages=max_pages)
        elapsed = time.perf_counter() - start
        gc.enable()
        renderer.collect_garbage()
        return elapsed * 1000, pdf

    weasy: dict[int, list[float]] = {n: [] for n in SIZES}
    chrome: dict[int, list[float]] = {n: [] for n in SIZES}
    pages: dict[int, tuple[int, int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        documents = {n: html[n].replace("</head>", f"<style>{css}</style></head>") for n in SIZES}

        def chromium(n: int) -> tuple[float, bytes]:
            start = time.perf_counter()
            page.set_content(documents[n], wait_until="load")
            pdf = page.pdf(format="A4", prefer_css_page_size=True, tagged=True)
            return (time.perf_counter() - start) * 1000, pdf

        for n in SIZES:  # warm both sides
            chromium(n)
            ours(n)
        for _ in range(args.runs):
            for n in SIZES:
                ms, chrome_pdf = chromium(n)
                chrome[n].append(ms)
                ms, our_pdf = ours(n)
                weasy[n].append(ms)
                pages[n] = (
                    len(pypdf.PdfReader(io.BytesIO(our_pdf)).pages),
                    len(pypdf.PdfReader(io.BytesIO(chrome_pdf)).pages),
                )
        browser.close()

    print(f"summary PDF for several debts (zh-Hans), {args.runs} alternating rounds, python {sys.version.split()[0]}")
    print(f"{'debts':>5}  {'ours ms':>8}  {'Chromium ms':>11}  {'ours/Chromium':>13}  {'pages ours/Chromium':>19}")
    median = {n: statistics.median(weasy[n]) for n in SIZES}
    chrome_median = {n: statistics.median(chrome[n]) for n in SIZES}
    for n in SIZES:
        ratio = median[n] / chrome_median[n]
        print(f"{n:>5}  {median[n]:>8.0f}  {chrome_median[n]:>11.0f}  {ratio:>12.2f}x  {pages[n][0]:>10}/{pages[n][1]}")
    first, last = SIZES[0], SIZES[-1]
    growth, chrome_growth = median[last] / median[first], chrome_median[last] / chrome_median[first]
    per_debt = (median[last] - median[first]) / (last - first)
    chrome_per_debt = (chrome_median[last] - chrome_median[first]) / (last - first)
    print(f"growth, time({last}) / time({first}): ours {growth:.2f}, Chromium {chrome_growth:.2f}", end="")
    print(f", debts {last // first}")
    print(f"each debt adds: ours {per_debt:.0f} ms, Chromium {chrome_per_debt:.0f} ms")
    print("grows no faster than the debts:", "yes" if growth <= last / first else "NO")


if __name__ == "__main__":
    main()
