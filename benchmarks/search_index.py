"""Offline search: what each way of searching adds to the precache, and whether it finds what readers type.

Three candidates, each over every guide in both scripts:
  ours      the sections of the guide pages the service worker already stores, cut and searched in the page by
            static/js/search.js: it adds the search page (both scripts) and the script;
  bigram    a character-bigram inverted index of our own (JSON: each section's guide, anchor and heading, and for
            each bigram the sections holding it), which would be precached besides the pages;
  pagefind  Pagefind's extended build (Chinese segmentation), run from a throwaway venv (it is not a dependency):
            everything it writes, which offline search needs whole (its chunks load lazily).
Each must find 征信, 支付令, 上门, 家人, 冻结 and 12378, and the Traditional forms of the Chinese ones.

Run: .venv/bin/python benchmarks/search_index.py [--guides DIR] [--pagefind /path/to/venv/bin/python]
(`python -m venv /tmp/pf && /tmp/pf/bin/pip install 'pagefind[extended]'` makes the throwaway venv.)
"""

import argparse
import functools
import gzip
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo's own modules, run from anywhere
from playwright.sync_api import sync_playwright

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from webapp import create_app
from webapp.state import state
from webapp.variants import HANT, VARIANTS

QUERIES = ["征信", "支付令", "上门", "家人", "冻结", "12378"]


def sizes(data: bytes) -> tuple[int, int]:
    return len(data), len(gzip.compress(data, 9))


def kb(pair: tuple[int, int]) -> str:
    return f"{pair[0] / 1024:7.1f} KB raw {pair[1] / 1024:6.1f} KB gzip"


def bigram_index(app) -> tuple[bytes, dict[str, set[int]], list[str]]:
    sections = [s for v in VARIANTS.values() for s in state(app).search.sections[v.code]]
    keys: list[str] = []
    postings: dict[str, set[int]] = {}
    for section in sections:
        key = f"{section.slug}#{section.anchor}"
        if key not in keys:
            keys.append(key)
        number = keys.index(key)
        text = section.text.lower()
        for i in range(len(text) - 1):
            postings.setdefault(text[i : i + 2], set()).add(number)
    headings = {f"{s.slug}#{s.anchor}": s.heading for s in state(app).search.sections["zh-hans"]}
    data = json.dumps(
        {"sections": [[k, headings[k]] for k in keys], "postings": {b: sorted(n) for b, n in postings.items()}},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return data, postings, keys


def bigram_finds(postings: dict[str, set[int]], query: str) -> int:
    grams = [query[i : i + 2] for i in range(len(query) - 1)] or [query]
    found = set.intersection(*(postings.get(g, set()) for g in grams))
    return len(found)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def pagefind(app, python: str, guides: list[tuple[str, str]]) -> tuple[tuple[int, int], dict[str, int]]:
    site = Path(tempfile.mkdtemp(prefix="pagefind-site-"))
    client = app.test_client()
    for url, _ in guides:
        html = client.get(url).text.replace('<div class="guide-body">', '<div class="guide-body" data-pagefind-body>')
        target = site / url.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    (site / "search.html").write_text("<!doctype html><html lang='zh-Hans'><body>search</body></html>")
    subprocess.run([python, "-m", "pagefind", "--site", str(site)], check=True, capture_output=True)
    output = site / "pagefind"
    total = b"".join(p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file())
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/search.html")
            for query in QUERIES + [state(app).converter.convert(q, HANT) for q in QUERIES]:
                found[query] = page.evaluate(
                    """async (q) => {
                      const pagefind = await import("/pagefind/pagefind.js");
                      const search = await pagefind.search(q);
                      return search.results.length;
                    }""",
                    query,
                )
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(site)
    return sizes(total), found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guides", type=Path, default=None, help="a guides/ folder (default: this repository's)")
    parser.add_argument("--pagefind", default=None, help="a Python with pagefind[extended] installed")
    args = parser.parse_args()
    config = {"PDF_PRERENDER": False, "PDF_WARM_UP": False}
    if args.guides:
        config["GUIDES_DIR"] = args.guides
    app = create_app(config)
    client = app.test_client()
    index = state(app).search
    guides = [(f"/{v.code}/guides/{slug}", v.code) for v in VARIANTS.values() for slug in state(app).library.slugs]
    pages = sum(len(client.get(url).get_data()) for url, _ in guides)
    print(f"guide pages, both scripts (stored already): {pages / 1024:.1f} KB raw")

    static = Path(app.static_folder or "")
    ours = b"".join(client.get(f"/{v.code}/search").get_data() for v in VARIANTS.values())
    ours += (static / "js" / "search.js").read_bytes()
    print(f"ours      adds {kb(sizes(ours))}  (the search page in both scripts and search.js)")
    data, postings, _ = bigram_index(app)
    print(f"bigram    adds {kb(sizes(data))}  (the index alone; a script to search it besides)")
    if args.pagefind:
        pf_sizes, pf_found = pagefind(app, args.pagefind, guides)
        print(f"pagefind  adds {kb(pf_sizes)}  (everything in pagefind/)")
    print("\nsections found (ours in zh-hans | bigram | pagefind), for each query and its Traditional form:")
    for query in QUERIES:
        for q in dict.fromkeys([query, state(app).converter.convert(query, HANT)]):
            line = f"  {q:8} {len(index.search(q, VARIANTS['zh-hans'])):3} | {bigram_finds(postings, q.lower()):3}"
            if args.pagefind:
                line += f" | {pf_found.get(q, 0):3} pages"
            print(line)


if __name__ == "__main__":
    main()
