"""How this project starts Debian's Chromium (tests, benchmarks, screenshots): one place for the path and flags.

As root in a sandboxed machine: no sandbox, no GPU, and none of the background connections Chromium would try to
make to the outside (the test for "no request leaves the origin" relies on that).
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
