"""The summary PDF: our pipeline against Chromium's page.pdf(), step by step, in one run.

Each step is the app's summary PDF (the typical situation of benchmarks/common.py, zh-Hans, rendered by the app's
own PdfRenderer through `render()`, so in a child forked per request as in production), timed in its own worker
process built with create_app; the steps are cumulative:

  baseline      as before: no WeasyPrint patches, and the warm-up renders in a forked child, so the parent stays
                cold and every request's child loads the fonts again
  subset once   + pdf_patches.SUBSET_ONCE: one compact HarfBuzz subset per CID-keyed face
  zero copy     + pdf_patches.ZERO_COPY: no copy of the 20 MB font file per face
  warm parent   + PdfRenderer.warm_up() in the parent, with its built-in page (what the app does today)
  warm summary  + warm_up() with a real summary in each variant (the change proposed for webapp/__init__.py)
  write once    + pdf_patches.WRITE_ONCE: pydyf serializes each object once, not again for the file identifier
  no child gc   + no cyclic GC in the render child (PdfRenderer.collect_in_child = False)
  child i/o     + a 1 MB pipe, so the child writes its PDF in one go, and the child reaped after it answered, not
                waited for: the app's default from here on (with the warm-up change proposed)
  (in process)  not a step of ours: the same renderer with isolate=False, rendering in the worker itself (GC on),
                roughly what a pre-started pool process would give (the pool is not built here)

Chromium (Debian's, warm, one page reused) prints the same HTML with the same stylesheet inlined. Rounds
alternate: Chromium, step, Chromium, next step, ...; each step's ratio is its median time over the median of the
Chromium times taken next to it, so load on the machine falls on both sides. The bytes of every step are checked
to be identical.

Run: .venv/bin/python benchmarks/pdf_render.py [--runs 15]
"""

import argparse
import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo's own modules, run from anywhere
from benchmarks.common import TYPICAL_SITUATION
from webapp.state import state

ROOT = Path(__file__).resolve().parent.parent
# What the app warms up with (see the report for webapp/__init__.py): a summary like a reader's, but not the one
# measured, so that nothing measured was cached by its own text.
WARM_UP_SITUATION = {
    "as_of": "2026-11-28",
    "due_date": "2026-09-15",
    "overdue_amount": "6800",
    "penalty_daily_rate_percent": "0.1",
    "contract_date": "2025-03-10",
    "annual_rate_percent": "18",
    "lender_type": "private",
    "contacts": ["phone", "sms", "call_contacts", "call_employer", "night_contact", "threats_or_insults"],
    "monthly_payment": "800",
    "contact_log": [
        {"date": "2026-11-02", "time": "22:40", "channel": "phone", "note": "半夜打电话催款"},
        {"date": "2026-11-05", "channel": "call_contacts", "note": "给我同事打电话，说我欠钱不还"},
    ],
}
STEPS = [
    "baseline",
    "subset once",
    "zero copy",
    "warm parent",
    "warm summary",
    "write once",
    "no child gc",
    "child i/o",
    "(in process)",
]


def summary_html(app, variant, situation: dict = TYPICAL_SITUATION) -> str:
    """The HTML render_summary_pdf() prints for a situation (the typical one unless told)."""
    from flask import render_template
    from flask_babel import force_locale

    from webapp.situation.model import Answers
    from webapp.summary import run_assessment, summary_context

    answers = Answers.model_validate({**situation, "variant": variant.tag})
    with app.test_request_context(f"/{variant.code}/"), force_locale(variant.locale):
        return render_template("print/summary.html", **summary_context(answers, run_assessment(answers)))


def warm_up_documents(app) -> dict[str, str]:
    """A real summary in each variant, to warm the renderer with (see the report for webapp/__init__.py)."""
    from webapp.variants import VARIANTS

    return {variant.tag: summary_html(app, variant, WARM_UP_SITUATION) for variant in VARIANTS.values()}


def worker(step: int) -> None:
    """One step's renderer, answering 'render' on stdin with a JSON line: milliseconds, size, sha256."""
    from webapp import pdf, pdf_patches
    from webapp.pdf import PdfRenderer
    from webapp.settings import Settings
    from webapp.variants import HANS

    enabled = STEPS[: step + 1]
    warm_up = PdfRenderer.warm_up
    PdfRenderer.warm_up = lambda self, documents=None: None  # create_app's warm-up: done below, per step
    from webapp import create_app

    app = create_app({"PDF_PRERENDER": False})
    PdfRenderer.warm_up = warm_up
    renderer = state(app).pdf_renderer
    patches = {
        "subset once": pdf_patches.SUBSET_ONCE,
        "zero copy": pdf_patches.ZERO_COPY,
        "write once": pdf_patches.WRITE_ONCE,
    }
    renderer.patches = frozenset(patch for name, patch in patches.items() if name in enabled)
    renderer.collect_in_child = "no child gc" not in enabled
    if "child i/o" not in enabled:  # as before: a 64 KB pipe, and waitpid() before answering
        pdf._widen = lambda pipe_end: None
        pdf._reap = lambda pid: os.waitpid(pid, 0)
    renderer.isolate = "(in process)" not in enabled
    if "warm summary" in enabled:
        renderer.warm_up(warm_up_documents(app))
    elif "warm parent" in enabled:
        renderer.warm_up()
    else:  # what warm_up() did before: a render through render(), in a child that is thrown away
        for tag in ("zh-Hans", "zh-Hant"):
            renderer.render(f'<html lang="{tag}"><body><p>预热 預熱 0123</p></body></html>', tag)
    html = summary_html(app, HANS)
    print("ready", flush=True)
    pdf = b""
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "save":
            Path(argument).write_bytes(pdf)
            print("{}", flush=True)
            continue
        cpu_before, start = cpu_seconds(os.times()), time.perf_counter()
        pdf = renderer.render(html, HANS.tag, max_pages=Settings.SUMMARY_MAX_PAGES)
        elapsed = time.perf_counter() - start
        for thread in threading.enumerate():  # a child's CPU time is counted here once it has been reaped
            if thread.name == "pdf-child-reaper":
                thread.join()
        cpu = cpu_seconds(os.times()) - cpu_before
        answer = {"ms": elapsed * 1000, "cpu_ms": cpu * 1000, "size": len(pdf), "sha": hashlib.sha256(pdf).hexdigest()}
        print(json.dumps(answer), flush=True)


def cpu_seconds(times: os.times_result) -> float:
    """This process's CPU time and that of its reaped children (the render child of each request)."""
    return times.user + times.system + times.children_user + times.children_system


def chromium_cpu_seconds(exclude: set[int]) -> float:
    """CPU time of every process under this one (Chromium's browser, renderer, GPU, ... processes), except the
    workers and their children, and Playwright's node driver. Clock ticks: 10 ms steps, so read it as a median."""
    parents, names, ticks = {}, {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid], names[pid], ticks[pid] = int(fields[1]), name, int(fields[11]) + int(fields[12])
    total = 0
    for pid in ticks:
        ancestor, chain = pid, []
        while ancestor in parents and ancestor != os.getpid():
            chain.append(ancestor)
            ancestor = parents[ancestor]
        if ancestor == os.getpid() and not exclude & set(chain) and names[pid] != "node":
            total += ticks[pid]
    return total / os.sysconf("SC_CLK_TCK")


def start_worker(step: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, __file__, "--worker", str(step)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        sys.exit(f"worker for step {step} did not start")
    return process


def ask(process: subprocess.Popen, command: str = "render") -> dict:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(command + "\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def checks(pdf: bytes) -> str:
    """The fonts as pdffonts lists them (type, embedded, subset, ToUnicode) and whether the PDF is tagged."""
    import pypdf

    listing = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    fonts = {f"{line[37:55].strip()} emb/sub/uni={'/'.join(line[72:83].split())}" for line in listing.splitlines()[2:]}
    tagged = "/StructTreeRoot" in pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    return f"fonts: {', '.join(sorted(fonts))}; tagged: {'yes' if tagged else 'NO'}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker)
        return

    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
    from webapp import PDF_FONT_FAMILIES, create_app
    from webapp.guide_pdfs import variant_css
    from webapp.variants import HANS

    app = create_app({"PDF_PRERENDER": False})
    html = summary_html(app, HANS)
    css = (ROOT / "webapp/static/css/print.css").read_text() + variant_css(app, PDF_FONT_FAMILIES)[HANS.tag]
    workers = [start_worker(step) for step in range(len(STEPS))]
    weasy: list[list[dict]] = [[] for _ in STEPS]
    chrome: list[list[float]] = [[] for _ in STEPS]
    chrome_cpu: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        document = html.replace("</head>", f"<style>{css}</style></head>")

        workers_pids = {process.pid for process in workers}

        def chromium_pdf() -> tuple[float, float, bytes]:
            cpu_before, start = chromium_cpu_seconds(workers_pids), time.perf_counter()
            page.set_content(document, wait_until="load")
            pdf = page.pdf(format="A4", prefer_css_page_size=True, tagged=True)
            elapsed = time.perf_counter() - start
            return elapsed, chromium_cpu_seconds(workers_pids) - cpu_before, pdf

        for process in workers:  # warm both sides
            ask(process)
            chromium_pdf()
        chrome_pdf = b""
        for _ in range(args.runs):
            for step, process in enumerate(workers):
                seconds, cpu, chrome_pdf = chromium_pdf()
                chrome[step].append(seconds * 1000)
                chrome_cpu.append(cpu * 1000)
                weasy[step].append(ask(process))
        browser.close()
    with tempfile.TemporaryDirectory() as folder:
        ask(workers[-1], f"save {folder}/last.pdf")
        last = Path(folder, "last.pdf").read_bytes()
    for process in workers:
        process.stdin.close()  # type: ignore[union-attr]
        process.wait()

    print(f"summary PDF (zh-Hans, typical situation), {args.runs} alternating rounds, python {sys.version.split()[0]}")
    print(
        "time x: our median over the median of the Chromium renders taken next to ours; pooled: over all of them;\n"
        "best: our fastest over Chromium's fastest (steadier on a busy machine); vs base: our median over baseline's;\n"
        "cpu x: our median CPU time (worker and render child) over Chromium's (all its processes)"
    )
    print(
        f"{'step':14} {'ours ms':>8} {'chrome ms':>9} {'time x':>7} {'pooled':>7} {'best':>6} {'vs base':>8} "
        f"{'cpu x':>6} {'ours KB':>8} {'size x':>7}"
    )
    base = statistics.median(r["ms"] for r in weasy[0])
    every_chrome = [ms for samples in chrome for ms in samples]
    pooled, fastest = statistics.median(every_chrome), min(every_chrome)
    for step, name in enumerate(STEPS):
        ours = statistics.median(r["ms"] for r in weasy[step])
        best = min(r["ms"] for r in weasy[step])
        theirs = statistics.median(chrome[step])
        cpu = statistics.median(r["cpu_ms"] for r in weasy[step]) / statistics.median(chrome_cpu)
        size = weasy[step][-1]["size"]
        print(
            f"{name:14} {ours:>8.0f} {theirs:>9.0f} {ours / theirs:>7.2f} {ours / pooled:>7.2f} {best / fastest:>6.2f} "
            f"{ours / base:>8.2f} {cpu:>6.2f} {size / 1024:>8.1f} {size / len(chrome_pdf):>7.2f}"
        )
    print(f"Chromium's median CPU time per PDF: {statistics.median(chrome_cpu):.0f} ms (all its processes)")
    shas = {r["sha"] for results in weasy for r in results}
    print(f"bytes identical across all steps and runs: {'yes' if len(shas) == 1 else f'NO ({len(shas)} variants)'}")
    print(f"Chromium's PDF: {len(chrome_pdf) / 1024:.1f} KB")
    print(f"ours, last step: {checks(last)}")
    print(f"Chromium:        {checks(chrome_pdf)}")


if __name__ == "__main__":
    main()
