"""The render pool: PDF renders in a few pre-started processes, so that no render ever runs in a serving process.

`PooledRenderer` is the app's `PdfRenderer` (a subclass) and keeps its `render()`: same arguments, same bytes,
the same PdfBusy, PdfTooSlow and PdfTooLong. Until `start()` is called (the server calls it in its process as it
starts serving), it renders as PdfRenderer does: start-up, the CLI and the test client work unchanged.

Once started, in the serving process:

- A zygote is forked while the serving process is still single-threaded: a warm copy of the app (fonts, stylesheets and
  WeasyPrint's caches already loaded when the app was made) that does nothing but fork render processes on
  request. Every render process comes from it, so none is ever forked from a process running request threads.
- `size` render processes (PDF_POOL_SIZE; one per CPU by default) wait for work, at a lower CPU priority than the
  server, so pages stay quick while they render. Each renders in its own process, one document at a time, under
  the renderer's page and time limits, and is replaced by a fresh one after `renders_per_process` renders: the
  native memory Pango and cairo keep after a render goes with it.
- A render that overruns its time limit (plus a margin, for a render stuck in native code where the limits filter
  cannot run) is killed, and a fresh process takes its place.
- At most `queue` requests wait for a render process, each at most `wait` seconds; any more, or a longer wait, is
  PdfBusy at once (the views answer 503 with Retry-After). A request whose `cancelled()` says yes by the time a
  process is free (its client has gone) is not rendered at all.

The pool knows nothing of the web: the caller passes `cancelled`, a callable (the server's own disconnect check).
"""

import contextlib
import functools
import gc
import json
import logging
import os
import select
import signal
import socket
import stat
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from webapp.pdf.render import ClientGone, PdfBusy, PdfRenderer, PdfTooSlow, fork_child, raise_for_outcome, run_reporting

log = logging.getLogger(__name__)

# Render processes yield some CPU to the server's threads. Measured in a burst of heavy PDFs on the shared 2-core
# machine: guide page p50 27 ms at 10, 39 ms at 0 (p99 ~700 ms both); but at 10 a render on a host busy with other
# work got so little CPU that a typical summary overran its time limit. 5: a third of the share, not a tenth.
NICENESS = 5
_FRAME = struct.Struct(">II")  # header length, payload length


@dataclass
class _Process:
    pid: int
    sock: socket.socket
    renders: int = 0
    dead: bool = False


def _send(sock: socket.socket, header: dict[str, Any], payload: bytes) -> None:
    encoded = json.dumps(header).encode()
    sock.sendall(_FRAME.pack(len(encoded), len(payload)) + encoded + payload)


def _receive_exactly(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks, missing = [], size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([sock], [], [], remaining)[0]:
                raise TimeoutError
        chunk = sock.recv(min(missing, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _receive(sock: socket.socket, deadline: float | None = None) -> tuple[dict[str, Any], bytes]:
    header_size, payload_size = _FRAME.unpack(_receive_exactly(sock, _FRAME.size, deadline))
    header = json.loads(_receive_exactly(sock, header_size, deadline))
    return header, _receive_exactly(sock, payload_size, deadline)


def _reset_signals() -> None:
    """A child of the serving process inherits its signal set-up (a wakeup fd, the server's signal handlers)."""
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)
    for name in ("SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGCHLD"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)


def _close_listening_sockets(keep: set[int]) -> None:
    """The server's listening sockets stay with it: a render process must never hold the port."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd in keep or fd < 3:
            continue
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            probe = socket.socket(fileno=fd)
        except OSError:
            continue
        try:
            listening = probe.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
        except OSError:
            listening = 0
        if listening:
            probe.close()
        else:
            probe.detach()


def _serve_renders(sock: socket.socket, renderer: PdfRenderer) -> None:
    """A render process: one job at a time until the pool closes its end (or retires it). The cyclic GC does not run
    during a render; the process collects after its answer has gone, while the reader is already reading."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    gc.disable()
    gc.freeze()  # what the zygote handed down (the warm app) is never garbage: no collection scans it again
    while True:
        try:
            job, html = _receive(sock)
        except (EOFError, OSError):
            return
        renderer.time_limit = job["time_limit"]
        header, data = run_reporting(
            functools.partial(
                renderer.render_here,
                html.decode(),
                job["variant"],
                max_pages=job["max_pages"],
                identifier=bytes.fromhex(job["identifier"]) if job["identifier"] else None,
            ),
            renderer.fetcher,
        )
        try:
            _send(sock, header, data)
        except OSError:
            return
        del data
        renderer.collect_garbage()


def _render_process(renderer: PdfRenderer, sock: socket.socket, *inherited: socket.socket) -> None:
    """A render process as the zygote forks it: the zygote's sockets closed, then serve renders on `sock`."""
    for unneeded in inherited:
        unneeded.close()
    _serve_renders(sock, renderer)


def _zygote(control: socket.socket, renderer: PdfRenderer) -> None:
    """Forks render processes on request; each is handed to the pool as (pid, socket). Single-threaded."""
    _reset_signals()
    _close_listening_sockets({control.fileno()})
    while True:
        ready = select.select([control], [], [], 1.0)[0]
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        if not ready:
            continue
        try:
            asked = control.recv(1)
        except OSError:
            return
        if not asked:
            return  # the serving process closed the pool, or died
        ours, theirs = socket.socketpair()
        pid = fork_child(functools.partial(_render_process, renderer, theirs, ours, control))
        theirs.close()
        try:
            socket.send_fds(control, [struct.pack(">I", pid)], [ours.fileno()])
        except OSError:
            return
        finally:
            ours.close()


class PooledRenderer(PdfRenderer):
    """A PdfRenderer whose `render()` runs in a bounded pool of processes once started (see the module's
    docstring); before that, or in any other process, it renders as PdfRenderer does."""

    def __init__(
        self,
        *args: Any,
        pool_size: int,
        pool_queue: int,
        pool_wait: float,
        renders_per_process: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.pool_size = pool_size
        self.pool_queue = pool_queue
        self.pool_wait = pool_wait
        self.renders_per_process = renders_per_process
        self._pid = 0  # the process the pool was started in; elsewhere (a fork of it) it is not started
        self._control: socket.socket | None = None
        self._zygote_pid = 0
        self._zygote_lock = threading.Lock()
        self._cond = threading.Condition()
        self._idle: list[_Process] = []
        self._total = 0  # processes alive: idle, rendering, or being started
        self._waiting = 0
        self.stats = {"rendered": 0, "busy": 0, "client_gone": 0, "killed": 0, "replaced": 0}

    @property
    def started(self) -> bool:
        return self._pid == os.getpid()

    def start(self) -> None:
        """Fork the zygote and the render processes. Call in the serving process, before its threads start."""
        if self.started:
            return
        self._idle, self._total, self._waiting = [], 0, 0
        self._start_zygote()
        self._pid = os.getpid()
        for _ in range(self.pool_size):
            with self._cond:
                self._total += 1
            self._put_back(self._spawn())

    def close(self) -> None:
        if not self.started:
            return
        self._pid = 0
        with self._cond:
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for process in idle:
            process.sock.close()  # it sees the end of its socket and exits
        if self._control is not None:
            self._control.close()
            self._control = None
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._zygote_pid, 0)

    def render(
        self,
        html: str,
        variant_tag: str,
        *,
        max_pages: int | None = None,
        identifier: bytes | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> bytes:
        if not self.started:
            return super().render(html, variant_tag, max_pages=max_pages, identifier=identifier, cancelled=cancelled)
        process = self._acquire()
        try:
            if cancelled is not None and cancelled():
                self.stats["client_gone"] += 1
                log.info("PDF render pool: the client left while waiting; not rendered")
                raise ClientGone("the client left before a render process was free")
            pdf = self._render_in(process, html, variant_tag, max_pages or self.max_pages, identifier)
            self.stats["rendered"] += 1
            return pdf
        finally:
            self._put_back(process)

    # --- the queue -------------------------------------------------------------------------------------------

    def _acquire(self) -> _Process:
        deadline = time.monotonic() + self.pool_wait
        spawn = False
        with self._cond:
            if self._waiting >= self.pool_queue and not self._idle and self._total >= self.pool_size:
                self.stats["busy"] += 1
                log.warning("PDF render pool: busy, %d requests already waiting", self._waiting)
                raise PdfBusy(f"{self._waiting} renders are already waiting")
            self._waiting += 1
            try:
                while True:
                    if self._idle:
                        return self._idle.pop()
                    if self._total < self.pool_size:
                        self._total += 1
                        spawn = True
                        break
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self.stats["busy"] += 1
                        log.warning("PDF render pool: no render process within %s s", self.pool_wait)
                        raise PdfBusy(f"no render process within {self.pool_wait} s")
                    self._cond.wait(remaining)
            finally:
                self._waiting -= 1
        assert spawn
        try:
            return self._spawn()
        except BaseException:
            with self._cond:
                self._total -= 1
                self._cond.notify()
            raise

    def _put_back(self, process: _Process) -> None:
        retire = process.dead or process.renders >= self.renders_per_process or not self.started
        if retire:
            process.sock.close()  # it exits on its own; a killed one is already gone; the zygote reaps both
        with self._cond:
            if retire:
                self._total -= 1
                self.stats["replaced"] += 1
            else:
                self._idle.append(process)
            self._cond.notify()

    # --- processes ---------------------------------------------------------------------------------------------

    def _start_zygote(self) -> None:
        ours, theirs = socket.socketpair()

        def zygote() -> None:
            ours.close()
            _zygote(theirs, self)

        pid = fork_child(zygote)
        theirs.close()
        self._control, self._zygote_pid = ours, pid

    def _spawn(self) -> _Process:
        with self._zygote_lock:
            for attempt in (1, 2):
                try:
                    assert self._control is not None
                    self._control.sendall(b"F")
                    message, fds, _, _ = socket.recv_fds(self._control, 4, 1)
                    if len(message) == 4 and fds:
                        return _Process(pid=struct.unpack(">I", message)[0], sock=socket.socket(fileno=fds[0]))
                except OSError:
                    pass
                if attempt == 1:  # the zygote died: start another (rare; this one forks from a threaded process)
                    log.error("PDF render pool: the zygote is gone, starting another")
                    if self._control is not None:
                        self._control.close()
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(self._zygote_pid, os.WNOHANG)
                    self._start_zygote()
        raise PdfBusy("no render process could be started")

    def _render_in(
        self, process: _Process, html: str, variant_tag: str, max_pages: int, identifier: bytes | None
    ) -> bytes:
        renderer = self
        job = {
            "variant": variant_tag,
            "max_pages": max_pages,
            "identifier": identifier.hex() if identifier else None,
            "time_limit": renderer.time_limit,
        }
        # The process stops its own render past the time limit, between pages; this is the backstop for one stuck
        # inside native code, where no Python check can run.
        deadline = time.monotonic() + renderer.time_limit + max(1.0, renderer.time_limit / 2)
        process.renders += 1
        try:
            _send(process.sock, job, html.encode())
            header, pdf = _receive(process.sock, deadline)
        except TimeoutError:
            self._kill(process)
            log.warning("PDF render pool: render process %d killed after %s s", process.pid, renderer.time_limit)
            raise PdfTooSlow(f"render killed after {renderer.time_limit} s") from None
        except (EOFError, OSError) as error:
            self._kill(process)
            log.error("PDF render pool: render process %d failed: %r", process.pid, error)
            raise RuntimeError(f"PDF render process {process.pid} failed: {error!r}") from None
        if header["status"] == "too_slow":
            log.warning("PDF render pool: %s", header["message"])
        raise_for_outcome(header, renderer.fetcher, "the pool")
        return pdf

    def _kill(self, process: _Process) -> None:
        process.dead = True
        self.stats["killed"] += 1
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
