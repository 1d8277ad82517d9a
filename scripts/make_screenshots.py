"""Take the manifest's screenshots of the real app (narrow and wide, each variant) with Debian's Chromium.

The install dialog shows them; they are committed, and refreshed by running this after a visible change.
Run: .venv/bin/python scripts/make_screenshots.py
"""

import sys
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo's own modules, run from anywhere
from werkzeug.serving import make_server

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from webapp import create_app

OUT = Path(__file__).resolve().parent.parent / "webapp" / "static" / "screenshots"
SIZES = {"narrow": (390, 844), "wide": (1280, 800)}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    server = make_server("127.0.0.1", 0, create_app({"PDF_PRERENDER": False}), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for form, (width, height) in SIZES.items():
            for code in ("zh-hans", "zh-hant"):
                page = browser.new_page(viewport={"width": width, "height": height}, service_workers="block")
                page.goto(f"{base}/{code}/guides/58-finance-overdue")
                target = OUT / f"{form}-{code}.png"
                page.screenshot(path=str(target))
                Image.open(target).quantize(colors=64).save(target, optimize=True)
                page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
