"""The summary PDF: our pipeline against Chromium's page.pdf(), step by step, in one run.

Each step is the app's summary PDF (the typical situation of benchmarks/common.py, zh-Hans), rendered by the app's
own renderer through `render()` in its own worker process built with create_app; the steps are cumulative:

  baseline       before issue #10: no WeasyPrint patches, the warm-up rendered in a forked child (so the parent
                 stayed cold and every request's child loaded the fonts again), a child forked per request
  subset once    + patches.SUBSET_ONCE: one compact HarfBuzz subset per CID-keyed face
  zero copy      + patches.ZERO_COPY: no copy of the 20 MB font file per face
  warm parent    + PdfRenderer.warm_up() in the parent, with its built-in short page
  write once     + patches.WRITE_ONCE: pydyf serializes each object once, not again for the file identifier
  no child gc    + no cyclic GC in the render child
  child i/o      + a 1 MB pipe, so the child writes its PDF in one go, and the child reaped after it answered
  render pool    + the render pool (webapp/pdf/pool.py) started in the worker: each PDF rendered in a pre-started
                 process forked from a warm zygote, no fork per request; its cyclic GC still on during renders
  gc after       + the pool process runs no cyclic GC during a render: it collects after its answer has gone
  warm summary   + the start-up warm-up prints a real summary in each variant (summary.warm_up_documents)
  fixed tables   + print.css lays the summary's tables out in fixed layout (the bytes change here; before this
                 step, print.css's table rule is undone by an extra stylesheet)
  inside markers + print.css sets the summary's list markers inside the first line, with a hanging indent (the
                 bytes change here; before this step, an extra stylesheet puts them outside as before)
  noteless ua    + patches.NOTELESS_UA: no footnote and note pseudo-element styles computed for every element
  quick style    + patches.QUICK_STYLE: a short path for the properties no stylesheet sets
  (over HTTP)    not a step: the app as `make run` serves it (waitress, the pool, PDF_WARM_UP): the
                 time of POST /api/v1/summary.pdf with the same answers, from request to last byte. The guide
                 PDFs are not rendered at start-up (PDF_PRERENDER=0): on a busy machine that took longer than the
                 wait for the server, and it does not touch a summary's path

Chromium (Debian's, warm, one page reused) prints the same HTML with the same stylesheet inlined. Rounds
alternate: Chromium, step, Chromium, next step, ...; each step's ratio is its median time over the median of the
Chromium times taken next to it, so load on the machine falls on both sides. The bytes are checked to be the same
within each stylesheet (the steps before "fixed tables", from it to "inside markers", and from that on).

With "(over HTTP)", the work around the render in the serving process is timed too, part by part (validation,
assessment, the print HTML, the pool's hand-over): the difference between the last step and the app over HTTP.

Run: .venv/bin/python benchmarks/pdf_render.py [--runs 15] [--steps 'inside markers,(over HTTP)']
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
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo's own modules, run from anywhere
from benchmarks.common import TYPICAL_SITUATION, free_port, start_server

ROOT = Path(__file__).resolve().parent.parent
STEPS = [
    "baseline",
    "subset once",
    "zero copy",
    "warm parent",
    "write once",
    "no child gc",
    "child i/o",
    "render pool",
    "gc after",
    "warm summary",
    "fixed tables",
    "inside markers",
    "noteless ua",
    "quick style",
    "(over HTTP)",
]
HTTP_STEP = STEPS.index("(over HTTP)")
NEW_CSS_FROM = STEPS.index("fixed tables")
# The summary's tables as print.css laid them out before "fixed tables".
AUTO_TABLES = ".summary-print table { table-layout: auto; }"
MARKERS_FROM = STEPS.index("inside markers")
# The summary's list markers as print.css placed them before "inside markers".
OUTSIDE_MARKERS = (
    ".summary-print ul, .summary-print ol { padding-left: 6mm; }"
    " .summary-print li { list-style-position: outside; padding-left: 0; text-indent: 0; }"
    " .summary-print ol > li::marker, .summary-print ul > li::marker { content: normal; }"
)


def summary_html(app, variant, situation: dict = TYPICAL_SITUATION) -> str:
    """The HTML render_summary_pdf() prints for a situation (the typical one unless told)."""
    from webapp.summary import print_html

    return print_html(app, {**situation, "variant": variant.tag})


def serve_step(step: int) -> None:
    """One step's renderer, answering 'render' on stdin with a JSON line: milliseconds, size, sha256."""
    enabled = STEPS[: step + 1]
    import types

    from weasyprint import CSS

    from webapp import summary
    from webapp.pdf import patches as pdf_patches
    from webapp.pdf import pool as pdf_pool
    from webapp.pdf import render as pdf
    from webapp.pdf.render import PdfRenderer
    from webapp.settings import Settings
    from webapp.state import state
    from webapp.variants import HANS

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
        "noteless ua": pdf_patches.NOTELESS_UA,
        "quick style": pdf_patches.QUICK_STYLE,
    }
    renderer.patches = frozenset(patch for name, patch in patches.items() if name in enabled)
    import weasyprint
    import weasyprint.css

    if "noteless ua" not in enabled:  # WeasyPrint's own method, not the patch's idle hook
        weasyprint.HTML._ua_stylesheets = pdf_patches._originals["ua_stylesheets"]
    if "quick style" not in enabled:
        weasyprint.css.ComputedStyle.__missing__ = pdf_patches._originals["missing"]
    renderer.collect_in_child = "no child gc" not in enabled
    if "child i/o" not in enabled:  # as before: a 64 KB pipe, and waitpid() before answering
        pdf._widen = lambda pipe_end: None
        pdf._reap = lambda pid: os.waitpid(pid, 0)
    if "fixed tables" not in enabled:
        renderer._stylesheets.append(CSS(string=AUTO_TABLES, font_config=renderer.font_config))
    if "inside markers" not in enabled:
        renderer._stylesheets.append(CSS(string=OUTSIDE_MARKERS, font_config=renderer.font_config))
    if "warm summary" in enabled:
        renderer.warm_up(summary.warm_up_documents(app))
    elif "warm parent" in enabled:
        renderer.warm_up()
    else:  # what warm_up() did before: a render through render(), in a child that is thrown away
        for tag in ("zh-Hans", "zh-Hant"):
            renderer.render(f'<html lang="{tag}"><body><p>预热 預熱 0123</p></body></html>', tag)
    if "render pool" in enabled:
        if "gc after" not in enabled:  # as the pool first was: the cyclic GC on, during renders too
            pdf_pool.gc = types.SimpleNamespace(disable=lambda: None, freeze=lambda: None)  # type: ignore[assignment]
            renderer.collect_garbage = pdf._return_freed_memory  # type: ignore[method-assign]
        renderer.start()
    html = summary_html(app, HANS)
    print("ready", flush=True)
    pdf_bytes = b""
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "save":
            Path(argument).write_bytes(pdf_bytes)
            print("{}", flush=True)
            continue
        cpu_before, start = tree_cpu_seconds(os.getpid(), set(), True), time.perf_counter()
        pdf_bytes = renderer.render(html, HANS.tag, max_pages=Settings.SUMMARY_MAX_PAGES)
        elapsed = time.perf_counter() - start
        for thread in threading.enumerate():  # a child's CPU time is counted here once it has been reaped
            if thread.name == "pdf-child-reaper":
                thread.join()
        cpu = tree_cpu_seconds(os.getpid(), set(), True) - cpu_before  # the worker, its children, the pool
        answer = {
            "ms": elapsed * 1000,
            "cpu_ms": cpu * 1000,
            "size": len(pdf_bytes),
            "sha": hashlib.sha256(pdf_bytes).hexdigest(),
        }
        print(json.dumps(answer), flush=True)


class OverHttp:
    """The (over HTTP) step: the app under its server, asked for the summary PDF as a reader's phone would."""

    def __init__(self) -> None:
        self.port = free_port()
        self.server = start_server(self.port, RATELIMIT_ENABLED="0", PDF_PRERENDER="0")
        self.pid = self.server.pid
        self.body = json.dumps({**TYPICAL_SITUATION, "variant": "zh-Hans"}).encode()
        self.pdf = b""
        self.cpu = tree_cpu_seconds(self.pid, set(), True)

    def ask(self, command: str = "render") -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1/summary.pdf",
            data=self.body,
            headers={"Content-Type": "application/json"},
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            self.pdf = response.read()
        elapsed = time.perf_counter() - start
        cpu, self.cpu = self.cpu, tree_cpu_seconds(self.pid, set(), True)
        return {
            "ms": elapsed * 1000,
            "cpu_ms": (self.cpu - cpu) * 1000,
            "size": len(self.pdf),
            "sha": hashlib.sha256(self.pdf).hexdigest(),
        }

    def close(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)


def tree_cpu_seconds(root: int, exclude: set[int], reaped: bool) -> float:
    """CPU time of a process and every process under it, read from /proc, leaving out the subtrees of `exclude`
    and Playwright's node driver; `reaped`: with the time of children they have already waited for (render
    children, retired pool processes). Clock ticks: 10 ms steps, so read it as a median."""
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
        own = int(fields[11]) + int(fields[12])
        parents[pid], names[pid] = int(fields[1]), name
        ticks[pid] = own + (int(fields[13]) + int(fields[14]) if reaped else 0)
    total = 0
    for pid in ticks:
        ancestor, chain = pid, [pid]
        while ancestor in parents and ancestor != root:
            ancestor = parents[ancestor]
            chain.append(ancestor)
        if ancestor == root and not exclude & set(chain) and names[pid] != "node":
            total += ticks[pid]
    return total / os.sysconf("SC_CLK_TCK")


class StepWorker:
    """A step's worker process (serve_step() above), asked over its stdin and stdout."""

    def __init__(self, step: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(step)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.pid = self.process.pid
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            sys.exit(f"worker for step {step} did not start")

    def ask(self, command: str = "render") -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()  # type: ignore[union-attr]
        self.process.wait()


def checks(pdf: bytes) -> str:
    """The fonts as pdffonts lists them (type, embedded, subset, ToUnicode) and whether the PDF is tagged."""
    import pypdf

    listing = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    fonts = {f"{line[37:55].strip()} emb/sub/uni={'/'.join(line[72:83].split())}" for line in listing.splitlines()[2:]}
    tagged = "/StructTreeRoot" in pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    return f"fonts: {', '.join(sorted(fonts))}; tagged: {'yes' if tagged else 'NO'}"


def around_the_render(app, runs: int = 30) -> dict[str, float]:
    """What a summary PDF request does in the serving process besides the render, each part's median in ms: the
    body read as JSON and validated, the assessment, the print HTML, the hand-over to a pool process and back (a
    round trip of the same HTML and PDF bytes through a socket pair, framed as the pool frames them)."""
    import socket as sockets

    from webapp.pdf.pool import _receive, _send
    from webapp.summary import print_html, run_assessment, summary_print_html, validate

    body = json.dumps({**TYPICAL_SITUATION, "variant": "zh-Hans"}).encode()
    html = print_html(app, {**TYPICAL_SITUATION, "variant": "zh-Hans"})
    pdf = bytes(140 * 1024)
    ours, theirs = sockets.socketpair()
    parts: dict[str, list[float]] = {"validate": [], "assess": [], "print HTML": [], "hand-over": []}
    with app.test_request_context("/api/v1/summary.pdf", method="POST", data=body, content_type="application/json"):
        for _ in range(runs):
            began = time.perf_counter()
            answers = validate(json.loads(body))
            parts["validate"].append(time.perf_counter() - began)
            began = time.perf_counter()
            assessment = run_assessment(answers)  # type: ignore[arg-type]
            parts["assess"].append(time.perf_counter() - began)
            began = time.perf_counter()
            summary_print_html(answers, assessment)  # type: ignore[arg-type]
            parts["print HTML"].append(time.perf_counter() - began)
            began = time.perf_counter()
            _send(ours, {"variant": "zh-Hans"}, html.encode())
            _, received = _receive(theirs)
            received.decode()
            _send(theirs, {"status": "ok"}, pdf)
            _receive(ours)
            parts["hand-over"].append(time.perf_counter() - began)
    ours.close()
    theirs.close()
    return {name: statistics.median(values) * 1000 for name, values in parts.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--steps", help="comma-separated step names to run (default: all), e.g. 'inside markers,(over HTTP)'"
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    chosen = STEPS if args.steps is None else [name.strip() for name in args.steps.split(",")]
    if unknown := set(chosen) - set(STEPS):
        parser.error(f"no such step: {', '.join(sorted(unknown))} (the steps: {', '.join(STEPS)})")
    if args.worker is not None:
        serve_step(args.worker)
        return

    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
    from webapp import create_app
    from webapp.guide_pdfs import variant_css
    from webapp.pdf.fonts import PDF_FONT_FAMILIES
    from webapp.variants import HANS

    app = create_app({"PDF_PRERENDER": False})
    html = summary_html(app, HANS)
    css = (ROOT / "webapp/static/css/print.css").read_text() + variant_css(app, PDF_FONT_FAMILIES)[HANS.tag]
    workers: dict[int, StepWorker | OverHttp] = {
        step: OverHttp() if step == HTTP_STEP else StepWorker(step) for step, name in enumerate(STEPS) if name in chosen
    }
    weasy: list[list[dict]] = [[] for _ in STEPS]
    chrome: list[list[float]] = [[] for _ in STEPS]
    chrome_cpu: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        document = html.replace("</head>", f"<style>{css}</style></head>")
        ours_pids = {worker.pid for worker in workers.values()}

        def chromium_pdf() -> tuple[float, float, bytes]:
            cpu_before, start = tree_cpu_seconds(os.getpid(), ours_pids, False), time.perf_counter()
            page.set_content(document, wait_until="load")
            pdf = page.pdf(format="A4", prefer_css_page_size=True, tagged=True)
            elapsed = time.perf_counter() - start
            return elapsed, tree_cpu_seconds(os.getpid(), ours_pids, False) - cpu_before, pdf

        for worker in workers.values():  # warm both sides
            worker.ask()
            chromium_pdf()
        chrome_pdf = b""
        for _ in range(args.runs):
            for step, worker in workers.items():
                seconds, cpu, chrome_pdf = chromium_pdf()
                chrome[step].append(seconds * 1000)
                chrome_cpu.append(cpu * 1000)
                weasy[step].append(worker.ask())
        browser.close()
    last_step = max(workers)
    if last_step == HTTP_STEP:
        last = workers[HTTP_STEP].pdf  # type: ignore[union-attr]
    else:
        with tempfile.TemporaryDirectory() as folder:
            workers[last_step].ask(f"save {folder}/last.pdf")
            last = Path(folder, "last.pdf").read_bytes()
    for worker in workers.values():
        worker.close()

    print(f"summary PDF (zh-Hans, typical situation), {args.runs} alternating rounds, python {sys.version.split()[0]}")
    print(
        "time x: our median over the median of the Chromium renders taken next to ours; pooled: over all of them;\n"
        "best: our fastest over Chromium's fastest (steadier on a busy machine); vs base: our median over baseline's;\n"
        "cpu x: our median CPU time (the worker, its render children or pool; for HTTP, all of the server's\n"
        "processes) over Chromium's (all its processes)"
    )
    print(
        f"{'step':14} {'ours ms':>8} {'chrome ms':>9} {'time x':>7} {'pooled':>7} {'best':>6} {'vs base':>8} "
        f"{'cpu x':>6} {'ours KB':>8} {'size x':>7}"
    )
    base = statistics.median(r["ms"] for r in weasy[0]) if weasy[0] else None
    every_chrome = [ms for samples in chrome for ms in samples]
    pooled, fastest = statistics.median(every_chrome), min(every_chrome)
    for step, name in enumerate(STEPS):
        if step not in workers:
            continue
        ours = statistics.median(r["ms"] for r in weasy[step])
        best = min(r["ms"] for r in weasy[step])
        theirs = statistics.median(chrome[step])
        cpu = statistics.median(r["cpu_ms"] for r in weasy[step]) / statistics.median(chrome_cpu)
        size = weasy[step][-1]["size"]
        versus = ours / base if base else float("nan")  # no baseline when --steps leaves it out
        print(
            f"{name:14} {ours:>8.0f} {theirs:>9.0f} {ours / theirs:>7.2f} {ours / pooled:>7.2f} {best / fastest:>6.2f} "
            f"{versus:>8.2f} {cpu:>6.2f} {size / 1024:>8.1f} {size / len(chrome_pdf):>7.2f}"
        )
    print(f"Chromium's median CPU time per PDF: {statistics.median(chrome_cpu):.0f} ms (all its processes)")
    for step in workers:  # the spread: each round's ratio, ours over the Chromium render taken just before it
        ratios = sorted(r["ms"] / c for r, c in zip(weasy[step], chrome[step], strict=True))
        q1, median, q3 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        under = sum(ratio <= 1.0 for ratio in ratios)
        print(
            f"per round, {STEPS[step]}: quartiles {q1:.2f} {median:.2f} {q3:.2f} x Chromium; "
            f"{under} of {len(ratios)} rounds at or under 1.0x"
        )
    groups = {
        "before 'fixed tables'": weasy[:NEW_CSS_FROM],
        "from 'fixed tables' to 'inside markers'": weasy[NEW_CSS_FROM:MARKERS_FROM],
        "from 'inside markers'": weasy[MARKERS_FROM:HTTP_STEP],
    }
    for name, steps in groups.items():
        shas = {r["sha"] for results in steps for r in results}
        if not shas:
            continue
        same = "yes" if len(shas) == 1 else f"NO ({len(shas)} variants)"
        print(f"bytes identical across the steps {name}, in every run: {same}")
    if weasy[HTTP_STEP] and weasy[MARKERS_FROM]:
        over_http = {r["sha"] for r in weasy[HTTP_STEP]} == {weasy[MARKERS_FROM][-1]["sha"]}
        print(f"over HTTP, the same bytes as 'inside markers': {'yes' if over_http else 'no (its own identifier)'}")
    if HTTP_STEP in workers:
        parts = around_the_render(app)
        listed = ", ".join(f"{name} {ms:.1f}" for name, ms in parts.items())
        print(f"around the render, in the serving process (median ms): {listed}; total {sum(parts.values()):.1f}")
    print(f"Chromium's PDF: {len(chrome_pdf) / 1024:.1f} KB")
    print(f"ours, last step: {checks(last)}")
    print(f"Chromium:        {checks(chrome_pdf)}")


if __name__ == "__main__":
    main()
