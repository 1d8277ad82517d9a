"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against the app on a free loopback port."""

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.helpers import ROOT, share_guide_renders
from webapp import create_app


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass  # nothing about requests is logged, as in production

    def handle_one_request(self) -> None:
        if getattr(self.server, "cut", False):  # LiveServer.stop(): the connection ends with no answer at all
            self.close_connection = True
            return
        super().handle_one_request()


class LiveServer:
    """The app on 127.0.0.1:<free port>. `deploy()` swaps in a new app; `stop()`/`start()` cut the network."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_Quiet)
        self.port = self._server.server_port
        # Polled often: close() (every test's teardown) waits for serve_forever to notice, 0.5 s by default.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wsgi(self, environ: dict, start_response: Callable) -> Any:
        return self.app(environ, start_response)

    def start(self) -> None:
        """Answer again, on the same socket, so no other program can take the port."""
        self._server.cut = False

    def stop(self) -> None:
        """Stop answering: every request gets its connection closed with no answer, a network error to the browser
        (which is also set offline, so it does not even try)."""
        self._server.cut = True

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join()  # werkzeug closes the socket as serve_forever returns

    def deploy(self, app: Flask) -> None:
        self.app = app


@pytest.fixture
def guides_dir(tmp_path: Path) -> Path:
    target = tmp_path / "guides"
    shutil.copytree(ROOT / "guides", target)
    return target


@pytest.fixture(scope="session")
def browser_app(guide_renders: Path) -> Flask:
    """One app for the browser tests (what a test changes lives in its own browser profile, not in the app); a
    test that deploys a new version builds its own (tests/browser/test_pwa.py). Its guide PDFs are the run's
    (tests/conftest.py, SharedGuideRenders)."""
    app = create_app({"PDF_PRERENDER": False, "PDF_WARM_UP": False, "RATELIMIT_ENABLED": False})
    return share_guide_renders(app, guide_renders)


@pytest.fixture
def server(browser_app: Flask) -> Iterator[LiveServer]:
    """A server of its own per test, so cutting the network in one test never reaches another."""
    live = LiveServer(browser_app)
    yield live
    live.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def profile_context(playwright: Playwright, server: LiveServer, tmp_path: Path) -> Iterator[BrowserContext]:
    """A persistent (non-incognito) profile, as a reader's browser is: needed where Chromium checks install."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 360, "height": 740}
    )
    outside = watch_origin(context, server)
    yield context
    context.close()
    assert outside == [], f"requests left the origin: {outside}"


def watch_origin(context: BrowserContext, server: LiveServer) -> list[str]:
    outside: list[str] = []
    context.on(
        "request",
        lambda request: (
            None if request.url.startswith((server.url + "/", "data:", "blob:")) else outside.append(request.url)
        ),
    )
    return outside


@pytest.fixture
def context(browser: Browser, server: LiveServer) -> Iterator[BrowserContext]:
    """A fresh profile per test; every request it makes is checked to stay on the app's origin."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="allow")
    outside = watch_origin(context, server)
    yield context
    context.close()
    assert outside == [], f"requests left the origin: {outside}"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def wait_until(page: Page, script: str, seconds: float = 15, what: str = "") -> None:
    """Poll a script through page.evaluate until it is truthy. (wait_for_function evaluates a string inside the
    page, which our CSP refuses without 'unsafe-eval'; it would also take an async predicate's Promise as true.)"""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        if time.monotonic() > deadline:
            raise TimeoutError(what or script)
        page.wait_for_timeout(100)


def wait_until_offline_ready(page: Page) -> None:
    """The page is controlled and this version's precache and the reader's PDFs are stored."""
    wait_until(page, "navigator.serviceWorker.controller !== null", what="no service worker controls the page")
    wait_until(
        page,
        """async () => {
            const pdfs = (await caches.keys()).find((n) => n.startsWith("pdfs-"));
            return Boolean(pdfs) && (await (await caches.open(pdfs)).keys()).length > 0;
        }""",
        what="the service worker did not finish storing the pages and PDFs",
    )


def go_offline(context: BrowserContext, server: LiveServer) -> None:
    """No network at all: the server answers nothing and the browser reports offline."""
    server.stop()
    context.set_offline(True)


def go_online(context: BrowserContext, server: LiveServer) -> None:
    server.start()
    context.set_offline(False)
