"""Lighthouse's four categories on home, a guide and the form, in both scripts, against the real server on loopback.

Goal (issue "The guide library"): 100 in performance, accessibility, best-practices and seo on each page.

Lighthouse is pinned in benchmarks/lighthouse/package-lock.json and installed here with `npm ci` when missing (Node
>= 18.16; lighthouse 13 needs Node 22). It runs with its mobile defaults (simulated throttling: a 4x slower CPU and a
slow 4G network, Moto G Power screen) in Debian's Chromium. On a small shared machine the performance figures are
noisy; --runs N reports the median of N runs per page.

Nothing leaves loopback: run as root, the whole benchmark (the server and Chromium) re-executes itself in a new network
namespace that has only `lo`; Chromium also gets a host-resolver rule that answers every name but 127.0.0.1 with
"not found" (it otherwise looks up Google's update and account hosts), and Lighthouse runs with no plugins, no error
reporting and no full-page screenshot. Each report's own list of requests is checked: any URL off the app's origin is
printed.

Run: .venv/bin/python benchmarks/lighthouse.py [--runs 3] [--save DIR] [--no-netns]
Prints figures and exits 0 whatever the scores.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo's own modules, run from anywhere
from benchmarks.common import ROOT, free_port, start_server

LIGHTHOUSE_DIR = ROOT / "benchmarks" / "lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Chromium still resolves clients2.google.com, accounts.google.com and update.googleapis.com without this.
    '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"',
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PATHS = ["/{lang}/", "/{lang}/guides/58-finance-overdue", "/{lang}/situation"]
LANGS = ["zh-hans", "zh-hant"]
IN_NETNS = "LIGHTHOUSE_BENCH_NETNS"
Report = dict[str, Any]  # a Lighthouse result (LHR), as JSON


def ensure_lighthouse() -> str:
    pinned = json.loads((LIGHTHOUSE_DIR / "package.json").read_text())["dependencies"]["lighthouse"]
    installed = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    if not LIGHTHOUSE_BIN.exists() or json.loads(installed.read_text())["version"] != pinned:
        print(f"installing lighthouse {pinned}: npm ci --prefix {LIGHTHOUSE_DIR.relative_to(ROOT)}", flush=True)
        subprocess.run(
            ["npm", "ci", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund", "--loglevel=error"], check=True
        )
    return str(pinned)


def reexec_in_netns() -> None:
    """Run this same command again in a network namespace with only loopback; return if that cannot be done."""
    if os.environ.get(IN_NETNS) or os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return
    if subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode != 0:
        return
    command = ["unshare", "--net", "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", sys.executable, *sys.argv]
    sys.exit(subprocess.run(command, env={**os.environ, IN_NETNS: "1"}).returncode)


def run_lighthouse(url: str, out: Path, cpu_slowdown: float | None) -> Report:
    command = [
        str(LIGHTHOUSE_BIN),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--disable-full-page-screenshot",
        "--no-enable-error-reporting",
        "--quiet",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    if cpu_slowdown is not None:
        command.append(f"--throttling.cpuSlowdownMultiplier={cpu_slowdown}")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse exited {done.returncode}: {done.stderr.strip()[-800:]}")
    report: Report = json.loads(out.read_text())
    return report


def scores(report: Report) -> dict[str, float | None]:
    return {c: report["categories"][c]["score"] for c in CATEGORIES}


def shown(score: float | None) -> str:
    return "err" if score is None else str(round(score * 100))


def short_detail(audit: Report) -> str:
    """The audit's own figure, then the first few things it names (elements, URLs), cut short."""
    parts = [audit["displayValue"]] if audit.get("displayValue") else []
    items = (audit.get("details") or {}).get("items", [])
    # An insight nests its tables in a list; its other sections are prose and links, left out.
    items = [i for t in items if isinstance(t, dict) and t.get("type") == "table" for i in t["items"]] + items
    for section in items:  # the network dependency tree: its longest chain of requests
        tree = section.get("value") if isinstance(section, dict) else None
        if isinstance(tree, dict) and tree.get("type") == "network-tree":
            chain, level = [], tree.get("chains", {})
            while level:
                link = next((c for c in level.values() if c.get("isLongest")), next(iter(level.values())))
                chain.append(urlsplit(link["url"]).path)
                level = link.get("children", {})
            took = tree.get("longestChain", {}).get("duration", 0)
            parts.append(f"longest chain {took:.0f} ms: " + " > ".join(chain))
    for item in [i for i in items if isinstance(i, dict) and "type" not in i][:3]:
        node = item.get("node") or {}
        sub = (item.get("subItems") or {}).get("items") or [{}]
        source = item["source"] if isinstance(item.get("source"), dict) else {}
        reflow = f"reflow {item['reflowTime']:.0f} ms" if "reflowTime" in item else None
        named = (
            node.get("snippet")
            or node.get("selector")
            or item.get("url")
            or source.get("url")
            or (source.get("value") if source.get("type") == "text" else None)
            or item.get("label")
            or item.get("description")
            or (sub[0].get("relatedNode") or {}).get("snippet")
        )
        if named:
            parts.append(" ".join(str(named).split())[:140] + (f" ({reflow})" if reflow else ""))
    if audit.get("errorMessage"):
        parts.append("error: " + audit["errorMessage"][:140])
    return " | ".join(parts)


def failing(report: Report) -> list[tuple[str, Report, bool]]:
    """(category, audit, counts) for each audit below 1 in a category below 100; counts=False for weight-0 ones."""
    rows = []
    for category in CATEGORIES:
        if report["categories"][category]["score"] == 1:
            continue
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if audit.get("scoreDisplayMode") == "error":
                rows.append((category, audit, True))
            elif (audit.get("score") is not None and audit["score"] < 1) and (
                ref["weight"] > 0 or audit.get("scoreDisplayMode") in ("binary", "metricSavings", "numeric")
            ):
                rows.append((category, audit, ref["weight"] > 0))
    return rows


def off_origin(report: Report, base: str) -> list[str]:
    items = (report["audits"].get("network-requests", {}).get("details") or {}).get("items", [])
    return [i["url"] for i in items if not i["url"].startswith((base + "/", "data:", "blob:"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median of each category is shown")
    parser.add_argument("--save", type=Path, help="keep each JSON report in this folder")
    parser.add_argument(
        "--cpu-slowdown",
        type=float,
        help="Lighthouse's simulated CPU slowdown (default 4, meant for a fast desktop; its benchmarkIndex is printed)",
    )
    parser.add_argument("--no-netns", action="store_true", help="do not isolate the run in a loopback-only namespace")
    args = parser.parse_args()

    version = ensure_lighthouse()  # needs the registry: before leaving the network
    if not args.no_netns:
        reexec_in_netns()
    isolation = "loopback-only network namespace" if os.environ.get(IN_NETNS) else "host network"
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    folder = args.save or Path(tempfile.mkdtemp(prefix="lighthouse-"))
    folder.mkdir(parents=True, exist_ok=True)
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    slowdown = "default CPU slowdown 4x" if args.cpu_slowdown is None else f"CPU slowdown {args.cpu_slowdown:g}x"
    print(f"lighthouse {version}, {chromium}, mobile ({slowdown}), {args.runs} run(s) per page, {isolation}")
    indexes: list[float] = []
    per_run: dict[str, list[float | None]] = {}
    results: list[tuple[str, dict[str, float | None], Report | None, list[str]]] = []
    try:
        for lang in LANGS:
            for template in PATHS:
                path = template.format(lang=lang)
                reports: list[Report] = []
                problems: list[str] = []
                for run in range(args.runs):
                    name = path.strip("/").replace("/", "_") + f".run{run + 1}.json"
                    try:
                        reports.append(run_lighthouse(base + path, folder / name, args.cpu_slowdown))
                    except (RuntimeError, subprocess.TimeoutExpired) as error:
                        problems.append(str(error))
                if not reports:
                    results.append((path, dict.fromkeys(CATEGORIES), None, problems))
                    continue
                median: dict[str, float | None] = {}
                for c in CATEGORIES:
                    values = [v for r in reports if (v := scores(r)[c]) is not None]
                    median[c] = statistics.median_low(values) if values else None
                # Audits are shown from the run whose performance score is the median one.
                chosen = next((r for r in reports if scores(r)["performance"] == median["performance"]), reports[0])
                leaks = sorted({u for r in reports for u in off_origin(r, base)})
                problems += [f"request off the app's origin: {u}" for u in leaks]
                problems += [
                    f"lighthouse warning: {w}"[:200]
                    for w in chosen.get("runWarnings", [])
                    if "slower CPU" not in w  # the benchmark index is printed below the table
                ]
                indexes += [r["environment"]["benchmarkIndex"] for r in reports]
                per_run[path] = [scores(r)["performance"] for r in reports]
                results.append((path, median, chosen, problems))
    finally:
        server.terminate()
        server.wait(timeout=30)

    print()
    each = "  performance per run" if args.runs > 1 else ""
    print(f"{'page':<38}" + "".join(f"{c:>16}" for c in CATEGORIES) + each)
    for path, median, _, _ in results:
        line = f"{path:<38}" + "".join(f"{shown(median[c]):>16}" for c in CATEGORIES)
        if args.runs > 1:
            line += "  " + " ".join(shown(p) for p in per_run.get(path, []))
        print(line)
    if indexes:
        print(
            f"benchmarkIndex of this machine: {min(indexes):.0f}-{max(indexes):.0f} (Lighthouse warns below 1000: "
            "a slower CPU than its 4x slowdown assumes, which inflates total blocking time)"
        )
    for path, _, report, problems in results:
        rows = failing(report) if report else []
        if not rows and not problems:
            continue
        print(f"\n{path}")
        for problem in problems:
            print(f"  ! {problem}")
        if report:
            metrics = {
                a: report["audits"][a].get("displayValue", "")
                for a in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "speed-index")
                if a in report["audits"]
            }
            metrics["cumulative-layout-shift"] = report["audits"]["cumulative-layout-shift"].get("displayValue", "")
            print("  metrics: " + ", ".join(f"{k.replace('-', ' ')} {v}" for k, v in metrics.items()))
        for category, audit, counts in rows:
            weight = "" if counts else " (not scored)"
            score = shown(audit.get("score"))
            print(f"  [{category}] {audit['id']} {score}{weight}: {audit['title']}")
            detail = short_detail(audit)
            if detail:
                print(f"      {detail}")
    print(f"\nJSON reports: {folder}")


if __name__ == "__main__":
    main()
