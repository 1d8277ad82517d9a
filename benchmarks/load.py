"""Load test against the real server on loopback (as `make run` starts it), bounded in time and count; it stops by
itself.

Phase 1: 60 s of mixed traffic (pages, guide PDFs, HTML and PDF summaries, the API) at 8 and at 32 concurrent
clients. Rate limits are on, as in production; each simulated reader has its own address (X-Forwarded-For from
the 198.51.100.0/24 documentation range, trusted through TRUSTED_PROXIES=1), so a 429 is a limit doing its job.
Reports throughput, p50/p99 per route, status counts and the serving process's RSS.

Phase 2, abuse: four shapes, each for --abuse-seconds, while a probe reads a guide page and /healthz every half
second; after each, the time until the guide page is back to its normal latency (3 answers in a row under 3x its
median before the shape, and at least 50 ms):
- PDF burst: the heaviest valid summary PDFs from a dozen clients, each its own loopback address (127.0.0.2...),
  rate limits on;
- slow clients: a dozen; half trickle their request headers a byte a second, half send a 200 KB form a kilobyte
  at a time;
- idle sockets: 450 connections from one address that send nothing (each one the server closes is opened again);
- form flood: 30 addresses post "change answers" (the form shown again) with 1,000 contact-log rows, as fast as
  they are answered.
Reports the probe's p50/p99/max and failures during each, what the attacking clients got, and the recovery.

Phase 3: 1,000 summary PDFs, RSS of the serving process and of the render processes sampled every 100: it must
level off.

Run: .venv/bin/python benchmarks/load.py [--seconds 60] [--abuse-seconds 30] [--renders 1000]
Traffic goes only to 127.0.0.0/8.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo's own modules, run from anywhere
from benchmarks.common import HEAVIEST_SITUATION, TYPICAL_SITUATION, Probe, free_port, start_server

MAX_REQUESTS = 200_000  # a hard cap, whatever the clock says
ANSWERS = {k: v for k, v in TYPICAL_SITUATION.items() if k != "contact_log"}
FORM = (
    "&".join(
        f"{key}={value}"
        for key, values in ANSWERS.items()
        for value in (values if isinstance(values, list) else [values])
    )
    + "&penalty_rate_unit=daily_percent"
)
# "Change answers" with a thousand contact-log rows: what a crafted post may send within MAX_CONTENT_LENGTH.
_ROW = "contact_log-{i}-date=2026-11-01&contact_log-{i}-channel=sms&contact_log-{i}-note=n"
THOUSAND_ROWS = ("due_date=2026-09-15&overdue_amount=6800&" + "&".join(_ROW.format(i=i) for i in range(1000))).encode()
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
    return start_server(port, **env)


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def serving_pids(server: subprocess.Popen) -> list[int]:
    """The process that answers requests: the server itself (gunicorn's, before #20: its workers)."""
    return [server.pid]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    return [rss_mb(pid) for pid in serving_pids(server)]


def pool_rss_mb(server: subprocess.Popen) -> list[float]:
    """The render processes: children of the serving process's zygote (its only child)."""
    return [rss_mb(pid) for worker in serving_pids(server) for zygote in children(worker) for pid in children(zygote)]


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None,
    content_type: str | None,
    client_ip: str,
    source: str | None = None,
    timeout: float = 60,
) -> int:
    source_address = (source, 0) if source else None
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=source_address)
    headers = {"X-Forwarded-For": client_ip, "Accept-Encoding": "br, gzip"} if client_ip else {}
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
    print(f"   unexpected statuses: {unexpected or 'none'}; server RSS MB: {[round(r) for r in rss]}")


def render_soak(renders: int) -> None:
    port = free_port()
    server = start(port, RATELIMIT_ENABLED="0")
    body = json.dumps(ANSWERS).encode()
    every = max(1, renders // 10)
    try:
        samples = [(0, worker_rss_mb(server)[0], pool_rss_mb(server))]
        for done in range(1, renders + 1):
            status = request(port, "POST", "/api/v1/summary.pdf", body, "application/json", "")
            if status != 200:
                print(f"render {done}: status {status}")
            if done % every == 0:
                samples.append((done, worker_rss_mb(server)[0], pool_rss_mb(server)))
    finally:
        server.terminate()
        server.wait(20)
    print(f"\n== {renders} summary PDFs (the server never recycles; render processes after PDF_POOL_RENDERS)")
    print("   renders: server RSS MB, render processes' RSS MB")
    for n, worker, pool in samples:
        print(f"   {n:>5}: {worker:.0f}  {[round(r) for r in pool]}")
    second_half = [worker for n, worker, _ in samples if n >= renders // 2]
    print(f"   server growth over the second half: {second_half[-1] - second_half[0]:+.1f} MB")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def summarise(name: str, samples: list[tuple[float, int]]) -> str:
    latencies = [latency for latency, status in samples if status == 200]
    failed = sum(1 for _, status in samples if status != 200)
    return (
        f"{name}: n={len(samples)} p50={percentile(latencies, 0.5) * 1000:.0f}ms "
        f"p99={percentile(latencies, 0.99) * 1000:.0f}ms max={max(latencies, default=0) * 1000:.0f}ms failed={failed}"
    )


class Shape:
    """One abuse shape, measured the same way: the probe's figures during it, and the recovery after it."""

    def __init__(self, port: int, title: str) -> None:
        self.port, self.title = port, title

    def __enter__(self) -> "Shape":
        self.probe = Probe(self.port).__enter__()
        time.sleep(3)
        before = [lat for lat, st in self.probe.between("guide", 0, time.monotonic()) if st == 200]
        self.normal = max(3 * percentile(before, 0.5), 0.05)
        self.began = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.ended = time.monotonic()
        recovered_at = None
        while time.monotonic() < self.ended + 120:
            time.sleep(0.5)
            recent = [s for s in self.probe.samples if s[1] == "guide" and s[0] >= self.ended][-3:]
            if len(recent) == 3 and all(status == 200 and latency <= self.normal for _, _, latency, status in recent):
                recovered_at = recent[0][0]
                break
        self.probe.__exit__()
        print(f"\n== {self.title}")
        for line in getattr(self, "notes", []):
            print(f"   {line}")
        print(f"   during: {summarise('guide', self.probe.between('guide', self.began, self.ended))}")
        print(f"           {summarise('healthz', self.probe.between('healthz', self.began, self.ended))}")
        after = "not within 120 s" if recovered_at is None else f"{max(0.0, recovered_at - self.ended):.1f} s"
        print(f"   back to normal (guide under {self.normal * 1000:.0f} ms, 3 in a row) after: {after}")


def pdf_burst(port: int, clients: int, seconds: float) -> None:
    body = json.dumps(HEAVIEST_SITUATION).encode()
    statuses: Counter = Counter()
    pdf_latency: dict[int, list[float]] = defaultdict(list)
    with Shape(port, f"heavy summary PDF burst: {clients} clients for {seconds:.0f} s (each its own address)") as shape:
        stop_at = shape.began + seconds

        def client(index: int) -> None:
            source = f"127.0.0.{index + 2}"
            for _ in range(1000):
                if time.monotonic() >= stop_at:
                    return
                start_at = time.perf_counter()
                try:
                    status = request(port, "POST", "/api/v1/summary.pdf", body, "application/json", "", source, 60)
                except OSError:
                    status = 0
                statuses[status] += 1
                pdf_latency[status].append(time.perf_counter() - start_at)
                if status in (429, 503):
                    time.sleep(1)  # a client told to come back later does, a second later

        run_threads([threading.Thread(target=client, args=(i,)) for i in range(clients)])
        shape.notes = [
            f"PDFs: {dict(statuses)}; "
            + ", ".join(
                f"{status}: p50 {percentile(v, 0.5):.1f} s max {max(v):.1f} s"
                for status, v in sorted(pdf_latency.items())
            )
        ]


def run_threads(threads: list[threading.Thread], timeout: float | None = None) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)


def slow_clients(port: int, clients: int, seconds: float) -> None:
    form = ("platform=" + "x" * 200_000).encode()
    title = f"{clients} slow clients for {seconds:.0f} s (half trickle headers, half a 200 KB form body)"
    with Shape(port, title) as shape:
        stop_at = shape.began + seconds

        def trickle_headers(index: int) -> None:
            with socket.create_connection(("127.0.0.1", port), source_address=(f"127.0.1.{index + 2}", 0)) as s:
                s.sendall(b"GET /zh-hans/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                while time.monotonic() < stop_at:
                    s.sendall(b"X")
                    time.sleep(1)

        def trickle_body(index: int) -> None:
            with socket.create_connection(("127.0.0.1", port), source_address=(f"127.0.1.{index + 2}", 0)) as s:
                s.sendall(
                    b"POST /zh-hans/situation/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                    + f"Content-Length: {len(form)}\r\n\r\n".encode()
                )
                for offset in range(0, len(form), 1024):
                    if time.monotonic() >= stop_at:
                        return
                    s.sendall(form[offset : offset + 1024])
                    time.sleep(0.15)

        def guarded(target, index: int) -> None:  # type: ignore[no-untyped-def]
            with contextlib.suppress(OSError):  # closed by the server: the shape goes on with the others
                target(index)

        run_threads(
            [
                threading.Thread(target=guarded, args=(trickle_headers if i % 2 == 0 else trickle_body, i), daemon=True)
                for i in range(clients)
            ],
            seconds + 10,
        )


def idle_sockets(port: int, count: int, seconds: float) -> None:
    """`count` connections from one address that never send a byte; each one the server closes is opened again."""
    with Shape(port, f"{count} idle sockets from one address for {seconds:.0f} s (reopened when closed)") as shape:
        stop_at = shape.began + seconds
        opened, refused = [0], [0]

        def holder(index: int) -> None:
            while time.monotonic() < stop_at:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=("127.0.2.2", 0)) as s:
                        opened[0] += 1
                        s.settimeout(max(0.1, stop_at - time.monotonic()))
                        with contextlib.suppress(TimeoutError, OSError):
                            s.recv(1)  # returns b"" when the server closes it
                except OSError:
                    refused[0] += 1
                    time.sleep(0.5)

        run_threads([threading.Thread(target=holder, args=(i,), daemon=True) for i in range(count)], seconds + 15)
        shape.notes = [
            f"connections opened: {opened[0]} ({opened[0] - count} after the server closed one); failed: {refused[0]}"
        ]


def form_flood(port: int, clients: int, seconds: float) -> None:
    """Each client posts "change answers" with a thousand log rows, again as soon as it is answered."""
    statuses: Counter = Counter()
    latencies: list[float] = []
    title = f"form flood: {clients} addresses post change answers with 1,000 rows for {seconds:.0f} s"
    with Shape(port, title) as shape:
        stop_at = shape.began + seconds

        def client(index: int) -> None:
            while time.monotonic() < stop_at:
                began = time.perf_counter()
                try:
                    status = request(
                        port, "POST", "/zh-hans/situation", THOUSAND_ROWS, "application/x-www-form-urlencoded", "",
                        f"127.0.3.{index + 2}", 30,
                    )  # fmt: skip
                except OSError:
                    status = 0
                statuses[status] += 1
                latencies.append(time.perf_counter() - began)

        run_threads([threading.Thread(target=client, args=(i,)) for i in range(clients)])
        shape.notes = [
            f"posts: {dict(statuses)}; p50 {percentile(latencies, 0.5) * 1000:.0f} ms,"
            f" p99 {percentile(latencies, 0.99) * 1000:.0f} ms"
        ]


SHAPES = ("burst", "slow", "idle", "flood")


def abuse(seconds: float, shapes: tuple[str, ...] = SHAPES) -> None:
    port = free_port()
    server = start(port, RATELIMIT_ENABLED="1")
    try:
        if "burst" in shapes:
            pdf_burst(port, 12, seconds)
        if "slow" in shapes:
            slow_clients(port, 12, seconds)
        if "idle" in shapes:
            idle_sockets(port, 450, seconds)
        if "flood" in shapes:
            form_flood(port, 30, seconds)
    finally:
        server.terminate()
        server.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--abuse-seconds", type=float, default=30)
    parser.add_argument("--renders", type=int, default=1000)
    parser.add_argument("--only", choices=("mixed", "abuse", "soak"), default=None)
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"abuse shapes to run, of {','.join(SHAPES)}")
    args = parser.parse_args()
    if args.only in (None, "abuse"):
        abuse(args.abuse_seconds, tuple(name.strip() for name in args.shapes.split(",")))
    if args.only in (None, "soak") and args.renders:
        render_soak(args.renders)
    if args.only not in (None, "mixed"):
        return
    port = free_port()
    server = start(port, TRUSTED_PROXIES="1", RATELIMIT_ENABLED="1")
    try:
        print(f"serving processes: {len(worker_rss_mb(server))} on {os.cpu_count()} CPUs")
        for clients in (8, 32):
            result = mixed_traffic(port, clients, args.seconds)
            report(clients, result, worker_rss_mb(server))
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    main()
