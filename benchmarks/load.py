"""Load test against real gunicorn on loopback, bounded in time and count; it stops by itself.

Phase 1: 60 s of mixed traffic (pages, guide PDFs, HTML and PDF summaries, the API) at 8 and at 32 concurrent
clients. Rate limits are on, as in production; each simulated reader has its own address (X-Forwarded-For from
the 198.51.100.0/24 documentation range, trusted through TRUSTED_PROXIES=1), so a 429 is a limit doing its job.
Reports throughput, p50/p99 per route, status counts and worker RSS.

Phase 2: 1,000 summary PDFs through one worker with recycling off, RSS sampled every 100: it must level off.

Run: .venv/bin/python benchmarks/load.py [--seconds 60] [--renders 1000]
Traffic goes only to 127.0.0.1.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo's own modules, run from anywhere
from benchmarks.common import TYPICAL_SITUATION, free_port, start_gunicorn

MAX_REQUESTS = 200_000  # a hard cap, whatever the clock says
ANSWERS = {k: v for k, v in TYPICAL_SITUATION.items() if k != "contact_log"}
FORM = "&".join(
    f"{key}={value}" for key, values in ANSWERS.items() for value in (values if isinstance(values, list) else [values])
)
# (weight, name, method, path, body, content type)
MIX = [
    (30, "home", "GET", "/zh-hans/", None, None),
    (30, "guide", "GET", "/zh-hant/guides/58-finance-overdue", None, None),
    (8, "asset", "GET", None, None, None),  # filled in with the fingerprinted CSS URL
    (6, "guide pdf", "GET", "/zh-hans/guides/58-finance-overdue.pdf", None, None),
    (10, "summary html", "POST", "/zh-hans/situation/summary", FORM.encode(), "application/x-www-form-urlencoded"),
    (8, "assessment api", "POST", "/api/v1/assessment", json.dumps(ANSWERS).encode(), "application/json"),
    (4, "summary pdf", "POST", "/api/v1/summary.pdf", json.dumps(ANSWERS).encode(), "application/json"),
]


def start(port: int, **env: str) -> subprocess.Popen:
    return start_gunicorn(port, **env)


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def request(port: int, method: str, path: str, body: bytes | None, content_type: str | None, client_ip: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"X-Forwarded-For": client_ip, "Accept-Encoding": "br, gzip"}
    if content_type:
        headers["Content-Type"] = content_type
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def css_url(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/zh-hans/", timeout=10) as page:
        html = page.read().decode()
    start_at = html.index("/assets/css/site.")
    return html[start_at : html.index('"', start_at)]


def mixed_traffic(port: int, clients: int, seconds: float) -> dict:
    mix = [(w, n, m, p or css_url(port), b, c) for w, n, m, p, b, c in MIX]
    weights = [item[0] for item in mix]
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: Counter = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    sent = [0]

    def client(index: int) -> None:
        rng = random.Random(index)
        ip = f"198.51.100.{index + 1}"
        while time.monotonic() < stop_at:
            with lock:
                if sent[0] >= MAX_REQUESTS:
                    return
                sent[0] += 1
            _, name, method, path, body, content_type = rng.choices(mix, weights)[0]
            began = time.perf_counter()
            try:
                status = request(port, method, path, body, content_type, ip)
            except OSError:
                status = 0
            with lock:
                latencies[name].append(time.perf_counter() - began)
                statuses[(name, status)] += 1

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"elapsed": time.monotonic() - began, "latencies": latencies, "statuses": statuses}


def report(clients: int, result: dict, rss: list[float]) -> None:
    total = sum(result["statuses"].values())
    elapsed = result["elapsed"]
    print(f"\n== {clients} concurrent clients: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s")
    print(f"   {'route':16} {'count':>6} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for name, values in sorted(result["latencies"].items()):
        values = sorted(values)
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        codes = {status: n for (route, status), n in result["statuses"].items() if route == name}
        print(f"   {name:16} {len(values):>6} {statistics.median(values) * 1000:>8.0f} {p99 * 1000:>8.0f}  {codes}")
    unexpected = {k: v for k, v in result["statuses"].items() if k[1] not in (200, 429)}
    print(f"   unexpected statuses: {unexpected or 'none'}; worker RSS MB: {[round(r) for r in rss]}")


def render_soak(renders: int) -> None:
    port = free_port()
    server = start(port, WEB_CONCURRENCY="1", GUNICORN_MAX_REQUESTS="0", RATELIMIT_ENABLED="0")
    body = json.dumps(ANSWERS).encode()
    every = max(1, renders // 10)
    try:
        samples = [(0, worker_rss_mb(server)[0])]
        for done in range(1, renders + 1):
            status = request(port, "POST", "/api/v1/summary.pdf", body, "application/json", "198.51.100.200")
            if status != 200:
                print(f"render {done}: status {status}")
            if done % every == 0:
                samples.append((done, worker_rss_mb(server)[0]))
    finally:
        server.terminate()
        server.wait(20)
    print(f"\n== {renders} summary PDFs through one worker (recycling off): RSS MB after N renders")
    print("   " + "  ".join(f"{n}:{rss:.0f}" for n, rss in samples))
    second_half = [rss for n, rss in samples if n >= renders // 2]
    print(f"   growth over the second half: {second_half[-1] - second_half[0]:+.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--renders", type=int, default=1000)
    args = parser.parse_args()
    port = free_port()
    server = start(port, TRUSTED_PROXIES="1", RATELIMIT_ENABLED="1")
    try:
        print(f"gunicorn workers: {len(worker_rss_mb(server))} on {os.cpu_count()} CPUs")
        for clients in (8, 32):
            result = mixed_traffic(port, clients, args.seconds)
            report(clients, result, worker_rss_mb(server))
    finally:
        server.terminate()
        server.wait(20)
    if args.renders:
        render_soak(args.renders)


if __name__ == "__main__":
    main()
