"""The one place that calls WeasyPrint.

A `PdfRenderer` is made once per process: it sets up what it needs of the process (a filter on WeasyPrint's
progress logger, glibc's malloc_trim, the WeasyPrint patches of patches.py; importing this module does none of
it), parses the print stylesheets and sets up the FontConfiguration once, is warmed up in the process itself
(`warm_up`, so that everything forked from it starts warm), and then turns HTML strings into PDF bytes under
these rules:

- Resources come only from the app's own static folder, through `BundledFilesFetcher`; file://, http(s) (loopback
  included) and large data: URLs are refused, so a document cannot read local files or reach any server.
- No presentational hints, no attachments; the PDF is tagged (PDF/UA-1) and carries title, language and dates.
- The finisher (finisher.py) gives list items their LBody tags and re-subsets embedded fonts compactly, in one
  HarfBuzz pass per face (patches.py).
- A page limit and a time limit. WeasyPrint has no timeout of its own; it reports each step and each page it lays
  out to the `weasyprint.progress` logger, and a filter there stops the render (per thread) once the deadline
  passes or a page past the limit is started. The page count is checked again after `render()` and before
  `write_pdf()`.
- At most `max_concurrent` renders at a time in a process; more wait up to `queue_timeout`, then PdfBusy.
- Each render runs in a child process forked from the warm worker (`isolate`): Pango, HarfBuzz and cairo keep a
  little native memory after every render (~20 KB, not reachable from Python), which a long-lived worker would
  accumulate; a child takes it away when it exits. The parent also kills a child that overruns the time limit,
  so even a render stuck in native code cannot hold a worker. The child runs no cyclic GC (its memory all goes
  when it exits), writes its PDF into a pipe wide enough to take it whole, and is reaped after it has answered.
  The bytes are the same as in-process. A render pool can call `render()` with `isolate=False` in its own
  processes, forked from a warmed parent.
"""

import contextlib
import ctypes
import functools
import gc
import hashlib
import json
import logging
import mimetypes
import os
import select
import signal
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, URLFetcher
from weasyprint.logger import PROGRESS_LOGGER
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from webapp.pdf import finisher, patches

# Documents are rendered as if they lived here; `.invalid` can never resolve, so even a bug cannot make a request.
BASE_URL = "https://app.invalid/"
STATIC_PREFIX = BASE_URL + "static/"
MAX_DATA_URL = 4096  # characters; enough for a tiny inline icon, not for smuggling a large payload


class PdfRefused(Exception):
    """A render that was stopped on purpose; the message is for logs, not for readers."""


class PdfTooLong(PdfRefused):
    pass


class PdfTooSlow(PdfRefused):
    pass


class PdfBusy(PdfRefused):
    """Every render slot stayed taken for the whole wait: the caller answers 503 and the reader retries."""


class ClientGone(PdfBusy):
    """The reader left while the request waited: nothing was rendered."""


class BundledFilesFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    """Serves files under the app's static folder and refuses every other URL."""

    def __init__(self, static_dir: Path) -> None:
        super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False)
        self._root = static_dir.resolve()
        self.refused: list[str] = []  # what was asked for and refused, for tests and debugging
        self._lock = threading.Lock()

    def record(self, refused: list[str]) -> None:
        """Refusals made in a render child: the child's copy of this list went with it."""
        with self._lock:
            self.refused.extend(refused)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith(STATIC_PREFIX):
            relative = unquote(urlsplit(url).path).removeprefix("/static/")
            path = (self._root / relative).resolve()
            if path.is_relative_to(self._root) and path.is_file():
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
        elif url.startswith("data:") and len(url) <= MAX_DATA_URL:
            return super().fetch(url, headers)
        with self._lock:
            self.refused.append(url[:200])
        raise ValueError(f"refused by the PDF fetcher: {url[:80]}")


_limits = threading.local()


class _LimitsFilter(logging.Filter):
    """Raises inside WeasyPrint's own progress reports when the current render is over its limits."""

    def filter(self, record: logging.LogRecord) -> bool:
        limits: _Limits | None = getattr(_limits, "current", None)
        if limits is not None:
            if time.monotonic() > limits.deadline:
                raise PdfTooSlow(f"render took longer than {limits.seconds} s")
            if "Creating layout - Page" in str(record.msg) and record.args:
                page = record.args[0] if isinstance(record.args, tuple) else 0
                if isinstance(page, int) and page > limits.max_pages:
                    raise PdfTooLong(f"document is longer than {limits.max_pages} pages")
        return False  # progress messages are never printed


@dataclass(frozen=True)
class _Limits:
    deadline: float
    seconds: float
    max_pages: int


@contextlib.contextmanager
def _within(max_pages: int, seconds: float) -> Iterator[None]:
    _limits.current = _Limits(deadline=time.monotonic() + seconds, seconds=seconds, max_pages=max_pages)
    try:
        yield
    finally:
        _limits.current = None


_malloc_trim: "ctypes._NamedFuncPointer | None" = None
_set_up = False
_set_up_lock = threading.Lock()


def _set_up_process() -> None:
    """What a renderer needs of the process, done once when the first renderer is made (never on import): the
    limits filter on WeasyPrint's progress logger and glibc's malloc_trim."""
    global _malloc_trim, _set_up
    with _set_up_lock:
        if _set_up:
            return
        PROGRESS_LOGGER.setLevel(logging.INFO)
        PROGRESS_LOGGER.propagate = False
        if not any(isinstance(f, _LimitsFilter) for f in PROGRESS_LOGGER.filters):
            PROGRESS_LOGGER.addFilter(_LimitsFilter())
        try:
            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = None  # not glibc: nothing to do
        _set_up = True


def _return_freed_memory() -> None:
    """A render allocates tens of MB in Pango, HarfBuzz and cairo and frees them; glibc keeps the freed pages, so
    a worker's RSS climbs by ~50 MB and stays there. Handing them back keeps workers near their real size
    (measured: 263-277 MB without, 214-220 MB with; benchmarks/load.py shows the soak)."""
    if _malloc_trim is not None:
        _malloc_trim(0)


_PIPE_SIZE = 1 << 20


def _widen(pipe_end: int) -> None:
    """A pipe that holds a typical PDF whole (Linux; 64 KB otherwise): the child writes it in one go."""
    with contextlib.suppress(ImportError, OSError, AttributeError):
        import fcntl

        fcntl.fcntl(pipe_end, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)


def _reap(pid: int) -> None:
    """Collect a child that has answered: now if it has exited, else in a thread once it has (its exit, unmapping a
    worker-sized address space, takes a few ms that the reader need not wait for)."""
    with contextlib.suppress(ChildProcessError):  # someone else (a SIGCHLD handler) collected it already
        if os.waitpid(pid, os.WNOHANG)[0] == 0:
            threading.Thread(target=_wait_for, args=(pid,), name="pdf-child-reaper", daemon=True).start()


def _wait_for(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def fork_child(child: Callable[[], object]) -> int:
    """Fork; the child runs `child` and leaves with os._exit (status 1 if it raised), so it never returns into the
    parent's code or runs any of the parent's clean-up. Returns the child's pid, in the parent."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            child()
            code = 0
        finally:
            os._exit(code)
    return pid


def run_reporting(render: Callable[[], bytes], fetcher: BundledFilesFetcher) -> tuple[dict[str, Any], bytes]:
    """Run a render in a process that reports to another: (a JSON-able header saying how it went, the PDF). The
    fetcher's refusals made during the render go into the header, taken off this process's list."""
    before = len(fetcher.refused)
    status, message, data = "ok", "", b""
    try:
        data = render()
    except PdfTooLong as error:
        status, message = "too_long", str(error)
    except PdfTooSlow as error:
        status, message = "too_slow", str(error)
    except Exception as error:
        status, message = "error", f"{type(error).__name__}: {error}"
    refused = fetcher.refused[before:]
    del fetcher.refused[before:]
    return {"status": status, "message": message, "refused": refused}, data


def raise_for_outcome(header: Mapping[str, Any], fetcher: BundledFilesFetcher, where: str) -> None:
    """The other side of run_reporting(): record the refusals here, and raise what the render raised there."""
    fetcher.record(header["refused"])
    if header["status"] == "too_long":
        raise PdfTooLong(header["message"])
    if header["status"] == "too_slow":
        raise PdfTooSlow(header["message"])
    if header["status"] == "error":
        raise RuntimeError(f"PDF render failed in {where}: {header['message']}")


class PdfRenderer:
    def __init__(
        self,
        static_dir: Path,
        stylesheets: list[Path],
        variant_css: dict[str, str],
        *,
        max_pages: int = 40,
        time_limit: float = 20.0,
        max_concurrent: int = 2,
        queue_timeout: float = 10.0,
        compact_fonts: bool = True,
        isolate: bool = True,
        fast_fonts: bool = True,
    ) -> None:
        _set_up_process()
        patches.install()  # they act only in a session that names them
        # WeasyPrint patches used by this renderer's renders; SUBSET_ONCE makes fonts only the finisher can embed.
        self.patches = patches.ALL if fast_fonts else frozenset()
        if not compact_fonts:
            self.patches -= {patches.SUBSET_ONCE}
        if any(patches.needs_full_ua(path.read_text()) for path in stylesheets) or any(
            patches.needs_full_ua(css) for css in variant_css.values()
        ):
            self.patches -= {patches.NOTELESS_UA}  # footnotes, notes or list items of its own: WeasyPrint's own
        self.queue_timeout = queue_timeout
        self.isolate = isolate and hasattr(os, "fork")
        # A render child does not run Python's cyclic GC: ~15 ms of a summary's render, and everything the child
        # allocated goes when it exits anyway (measured: the same peak RSS for a 40-page guide either way).
        self.collect_in_child = False
        self._finisher = functools.partial(finisher.finish, compact=compact_fonts)
        self.fetcher = BundledFilesFetcher(static_dir)
        self.font_config = FontConfiguration()
        self.max_pages = max_pages
        self.time_limit = time_limit
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._stylesheets = [
            CSS(filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config) for path in stylesheets
        ]
        self._variant_css = {
            tag: CSS(string=css, base_url=BASE_URL, url_fetcher=self.fetcher, font_config=self.font_config)
            for tag, css in variant_css.items()
        }

    def render(
        self,
        html: str,
        variant_tag: str,
        *,
        max_pages: int | None = None,
        identifier: bytes | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> bytes:
        """HTML -> PDF bytes, or PdfRefused. The same HTML gives the same bytes, in any process. `cancelled` says
        whether the answer is still wanted (the client may have gone): checked before the render starts."""
        if not self._slots.acquire(timeout=self.queue_timeout):
            raise PdfBusy(f"no render slot within {self.queue_timeout} s")
        try:
            if cancelled is not None and cancelled():
                raise ClientGone("the client left before the render started")
            if self.isolate:
                max_pages, identifier, stylesheets = self._prepare(html, variant_tag, max_pages, identifier)
                return self._render_in_child(html, stylesheets, max_pages, identifier)
            return self.render_here(html, variant_tag, max_pages=max_pages, identifier=identifier)
        finally:
            self._slots.release()
            _return_freed_memory()

    def render_here(
        self, html: str, variant_tag: str, *, max_pages: int | None = None, identifier: bytes | None = None
    ) -> bytes:
        """render() in this process, with no slot and no tidying after: for a process that renders nothing else
        at the time, and tidies (collect_garbage) once its answer has gone."""
        max_pages, identifier, stylesheets = self._prepare(html, variant_tag, max_pages, identifier)
        return self._render(html, stylesheets, max_pages, identifier)

    def _prepare(
        self, html: str, variant_tag: str, max_pages: int | None, identifier: bytes | None
    ) -> tuple[int, bytes, list[CSS]]:
        """The page limit, the file identifier (from the HTML, so that the same HTML gives the same bytes) and the
        stylesheets of a render."""
        return (
            max_pages or self.max_pages,
            identifier or hashlib.sha256(html.encode()).hexdigest()[:32].encode(),
            [*self._stylesheets, self._variant_css[variant_tag]],
        )

    def _render_in_child(self, html: str, stylesheets: list[CSS], max_pages: int, identifier: bytes | None) -> bytes:
        """Render in a forked child; its memory goes when it exits. Framing: header length, JSON header, PDF."""
        read_end, write_end = os.pipe()
        _widen(write_end)

        def child() -> None:
            os.close(read_end)
            if not self.collect_in_child:
                gc.disable()
            header, data = run_reporting(lambda: self._render(html, stylesheets, max_pages, identifier), self.fetcher)
            encoded = json.dumps(header).encode()
            with os.fdopen(write_end, "wb") as out:
                out.write(struct.pack(">I", len(encoded)) + encoded + data)

        pid = fork_child(child)
        os.close(write_end)
        try:
            raw = self._read_from_child(read_end, pid)
        except BaseException:
            os.close(read_end)
            os.waitpid(pid, 0)
            raise
        os.close(read_end)
        _reap(pid)
        size = struct.unpack(">I", raw[:4])[0]
        raise_for_outcome(json.loads(raw[4 : 4 + size]), self.fetcher, "the child")
        return raw[4 + size :]

    def _read_from_child(self, read_end: int, pid: int) -> bytes:
        # The child enforces the time limit itself between pages; this is the backstop for a render stuck inside
        # native code, where no Python check can run.
        deadline = time.monotonic() + self.time_limit + max(1.0, self.time_limit / 2)
        chunks = []
        while True:
            ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                raise PdfTooSlow(f"render killed after {self.time_limit} s")
            chunk = os.read(read_end, _PIPE_SIZE)
            if not chunk:
                break
            chunks.append(chunk)
        raw = b"".join(chunks)
        if len(raw) < 4:
            raise RuntimeError("PDF render child exited without an answer")
        return raw

    def _render(self, html: str, stylesheets: list[CSS], max_pages: int, identifier: bytes | None) -> bytes:
        with _within(max_pages, self.time_limit), patches.session(self.patches):
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=self.fetcher).render(
                font_config=self.font_config,
                stylesheets=stylesheets,
                presentational_hints=False,
                pdf_tags=True,
            )
            if len(document.pages) > max_pages:
                raise PdfTooLong(f"document has {len(document.pages)} pages, more than {max_pages}")
            pdf: bytes = document.write_pdf(
                pdf_variant="pdf/ua-1",
                pdf_identifier=identifier,
                attachments=[],
                uncompressed_pdf=False,
                finisher=self._finisher,
            )
            return pdf

    @staticmethod
    def collect_garbage() -> None:
        """What a render leaves: cycles for the cyclic GC, then freed pages handed back to the system."""
        gc.collect()
        _return_freed_memory()

    def warm_up(self, documents: Mapping[str, str] | None = None) -> None:
        """Render once per variant in this process, not in a child, so that every child forked later (and every
        worker forked from this process under preload) starts warm: fonts found and loaded, font files mapped,
        WeasyPrint's caches filled. `documents` maps a variant tag to a real document to warm with (the app
        passes a typical summary); the default is a short page of regular and bold text."""
        for tag in self._variant_css:
            html = (documents or {}).get(tag) or (
                f'<html lang="{tag}"><head><title>warm-up</title></head><body><h1 id="x">预热 預熱</h1>'
                "<p>逾期应对指南 逾期應對指南 <strong>0123</strong> <a href='#x'>abc</a></p>"
                "<ul><li>一</li></ul><table><tr><th>二</th><td>三</td></tr></table></body></html>"
            )
            self.render_here(html, tag)
        _return_freed_memory()
