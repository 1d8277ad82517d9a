"""Two builds of the app (two venvs' interpreters) on the same summary render, alternating, in one run.

Each interpreter runs a worker in its own process: it makes the app (create_app), renders the typical summary
(zh-Hans) twice to warm up, then renders it on request, with the cyclic GC off during the render and a collection
between renders, as a render process does. Rounds alternate between the builds, so the machine's drift falls on both;
the figures are CPU times (the render is single-threaded) and their ratios, with the bytes' hashes, which must match.

What it compared for the README (2026-11-29, 2 cores):
  - Debian's python3 against a pyenv Python built without PGO or LTO: a venv from each (`make` in two clones, one with
    PYTHON=/root/.pyenv/versions/3.11.7/bin/python3);
  - extensions built with profile-guided optimization against without (a clone built with
    `python scripts/compile_hot_modules.py --no-pgo`).

Run: .venv/bin/python benchmarks/compare_builds.py [--runs 20] PYTHON_A PYTHON_B
(each PYTHON is a venv's bin/python; its project is the clone the venv was made in, or this one)
"""

import argparse
import json
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = """
import gc, hashlib, json, logging, sys, time
sys.path.insert(0, sys.argv[1])
logging.disable(logging.WARNING)
from benchmarks.common import TYPICAL_SITUATION
from webapp import create_app
from webapp.state import state
from webapp.summary import print_html
app = create_app({"PDF_PRERENDER": False, "PDF_WARM_UP": False})
renderer = state(app).pdf_renderer
html = print_html(app, {**TYPICAL_SITUATION, "variant": "zh-Hans"})
for _ in range(2):
    renderer.render_here(html, "zh-Hans")
gc.disable()
gc.freeze()
import weasyprint.layout.block
print(json.dumps({"python": sys.version.split()[0], "block": weasyprint.layout.block.__file__}), flush=True)
for _ in sys.stdin:
    gc.collect()
    cpu = time.process_time()
    pdf = renderer.render_here(html, "zh-Hans")
    cpu = time.process_time() - cpu
    print(json.dumps({"cpu_ms": cpu * 1000, "sha": hashlib.sha256(pdf).hexdigest()}), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("pythons", nargs=2, help="two interpreters (venvs' bin/python)")
    args = parser.parse_args()
    workers = []
    for python in args.pythons:
        project = project_of(python)
        worker = subprocess.Popen(
            [python, "-c", WORKER, str(project)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=project
        )
        assert worker.stdout is not None
        print(f"{python}: {worker.stdout.readline().strip()} (project {project})")
        workers.append(worker)
    times: list[list[float]] = [[], []]
    hashes: list[set[str]] = [set(), set()]
    started = time.perf_counter()
    for _ in range(args.runs):
        for index, worker in enumerate(workers):
            assert worker.stdin is not None and worker.stdout is not None
            worker.stdin.write("render\n")
            worker.stdin.flush()
            answer = json.loads(worker.stdout.readline())
            times[index].append(answer["cpu_ms"])
            hashes[index].add(answer["sha"])
    for worker in workers:
        worker.stdin.close()  # type: ignore[union-attr]
        worker.wait()
    print(f"{args.runs} alternating rounds in {time.perf_counter() - started:.0f} s; CPU ms per render:")
    for index, python in enumerate(args.pythons):
        print(f"  {python}: median {statistics.median(times[index]):.0f}, fastest {min(times[index]):.0f}")
    paired = sorted(b / a for a, b in zip(times[0], times[1], strict=True))
    q1, median, q3 = statistics.quantiles(paired, n=4)
    print(
        f"B over A: {statistics.median(times[1]) / statistics.median(times[0]):.3f}x (medians), "
        f"{min(times[1]) / min(times[0]):.3f}x (fastest); per round: quartiles {q1:.3f} {median:.3f} {q3:.3f}"
    )
    same = hashes[0] == hashes[1] and len(hashes[0]) == 1
    print(f"the same bytes from both, in every round: {'yes' if same else f'NO ({hashes})'}")


def project_of(python: str) -> Path:
    """The project a venv's interpreter belongs to: the directory holding the venv, if it is a clone of this
    repository (it has webapp/), else this one."""
    venv = Path(python).absolute().parent.parent
    return venv.parent if (venv.parent / "webapp").is_dir() else ROOT


if __name__ == "__main__":
    main()
