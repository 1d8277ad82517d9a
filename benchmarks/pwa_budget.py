"""The offline app's budgets, measured in Debian's Chromium against the real server on loopback, in one run.

Budgets (issue "Offline-first installable PWA"):
  first uncached visit to a guide page <= 40 KB transferred, of which HTML + CSS for the first paint <= 14 KB;
  whole precache <= 300 KB without PDFs; offline-ready (precache complete) within 2 s of first load.

Served over HTTPS (a throwaway self-signed certificate, on a loopback TLS front that stands in for the deployment's
proxy): readers reach the site over HTTPS, and Chromium offers brotli only there; over plain http it would measure
gzip, which readers never get.

Run: .venv/bin/python benchmarks/pwa_budget.py [--runs 5]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo's own modules, run from anywhere
from benchmarks.common import TlsFront, free_port, start_server
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

GUIDE = "/zh-hans/guides/58-finance-overdue"

STORED = """async () => {
    const out = {};
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        let bytes = 0, count = 0;
        for (const request of await cache.keys()) {
            bytes += (await (await cache.match(request)).blob()).size;
            count += 1;
        }
        out[name.split("-")[0]] = [count, bytes];
    }
    return out;
}"""


def one_visit(browser, base: str) -> dict:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    encodings: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on(
        "Network.responseReceived",
        lambda e: encodings.__setitem__(
            e["requestId"], {k.lower(): v for k, v in e["response"]["headers"].items()}.get("content-encoding", "-")
        ),
    )
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))

    start = time.perf_counter()
    page.goto(base + GUIDE, wait_until="load")
    loaded = time.perf_counter() - start
    while not page.evaluate("navigator.serviceWorker.controller !== null"):  # CSP: no in-page string evaluation
        page.wait_for_timeout(20)
    expected = page.evaluate(
        "fetch('/sw.js').then((r) => r.text()).then((t) => JSON.parse(t.match(/const PRECACHE = (.*);/)[1]).length)"
    )
    precache_done = None
    pdf_done = None
    while time.perf_counter() - start < 30 and (precache_done is None or pdf_done is None):
        stored = page.evaluate(STORED)
        count = stored.get("pages", [0, 0])[0] + stored.get("assets", [0, 0])[0]
        if precache_done is None and count >= expected:
            precache_done = time.perf_counter() - start
        if pdf_done is None and stored.get("pdfs", [0, 0])[0] > 0:
            pdf_done = time.perf_counter() - start
        time.sleep(0.02)
    page.wait_for_timeout(300)  # let the manifest and icon fetches the browser makes on its own finish
    by_url = {urls[r]: size for r, size in sizes.items() if r in urls}
    encoding_of = {urls[r]: encoding for r, encoding in encodings.items() if r in urls}
    stored = page.evaluate(STORED)
    context.close()

    first_paint = sum(size for url, size in by_url.items() if url.endswith(GUIDE) or url.endswith(".css"))
    return {
        "load_s": loaded,
        "page_transfer": sum(by_url.values()),
        "first_paint_transfer": first_paint,
        "by_url": by_url,
        "encoding_of": encoding_of,
        "precache_bytes": stored["pages"][1] + stored["assets"][1],
        "precache_entries": stored["pages"][0] + stored["assets"][0],
        "pdf_bytes": stored.get("pdfs", [0, 0])[1],
        "offline_ready_s": precache_done,
        "pdf_ready_s": pdf_done,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    port = free_port()
    certs = Path(tempfile.mkdtemp(prefix="pwa-budget-"))
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(certs / "key.pem"), "-out", str(certs / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    server = start_server(port)
    front = TlsFront(port, certs / "cert.pem", certs / "key.pem")
    base = f"https://127.0.0.1:{front.port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--ignore-certificate-errors"])
            runs = [one_visit(browser, base) for _ in range(args.runs)]
            browser.close()
    finally:
        front.close()
        server.terminate()
        server.wait(10)

    last = runs[-1]
    print("first uncached visit to", GUIDE, "over HTTPS (bytes on the wire, content encoding):")
    for url, size in sorted(last["by_url"].items(), key=lambda item: -item[1]):
        print(f"  {size:>7}  {last['encoding_of'].get(url, '-'):>4}  {url.removeprefix(base)}")
    kb = 1024
    print(f"total page transfer:           {last['page_transfer'] / kb:6.1f} KB  (budget 40 KB)")
    print(f"HTML + CSS for first paint:    {last['first_paint_transfer'] / kb:6.1f} KB  (budget 14 KB)")
    entries = last["precache_entries"]
    print(f"precache stored, without PDFs: {last['precache_bytes'] / kb:6.1f} KB  {entries} entries (budget 300 KB)")
    print(f"guide PDF kept for offline:    {last['pdf_bytes'] / kb:6.1f} KB")
    ready = [r["offline_ready_s"] for r in runs if r["offline_ready_s"] is not None]
    pdf = [r["pdf_ready_s"] for r in runs if r["pdf_ready_s"] is not None]
    print(
        f"offline-ready after first load: median {statistics.median(ready):.2f} s, max {max(ready):.2f} s (budget 2 s)"
    )
    print(f"PDF kept offline after:         median {statistics.median(pdf):.2f} s, max {max(pdf):.2f} s")
    print(f"runs: {len(runs)}")
    print(f"page load event:                median {statistics.median(r['load_s'] for r in runs):.2f} s")


if __name__ == "__main__":
    main()
