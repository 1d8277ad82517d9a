"""Per-client rate limits on the expensive POST routes (Flask-Limiter, fixed windows), and per-client PDF slots.

The limits are per client across routes: every POST of answers (the form again, the summary, its PDF, the API)
counts against one shared limit, and the two PDF routes against a second, lower one. A PDF request answered 503
(the render pool busy, or this client's slots taken) or 499 (the client left) is not counted: the reader is asked to
come back, and must be let in when they do.

Counted for the whole instance: `memory://` (the default) keeps the counters in memory shared with any process
forked after the app was made, so every thread counts against the same limit; a redis:// URI shares them across
instances. A client is its address, and an IPv6 client its /64: one phone or home gets a whole /64, and every
address in it is the same reader.

`ClientSlots` keeps any one client from holding more than PDF_CLIENT_SLOTS of the render pool's places (rendering or
waiting) at once, so a handful of clients cannot take every render from everyone else.

Pages and static files are not limited: readers behind one shared address (a campus, a carrier NAT) must always
be able to read. Each app gets its own Limiter, so two apps in one process never share counters or settings.
"""

import fcntl
import hashlib
import ipaddress
import mmap
import os
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from flask import Flask, request
from flask.typing import RouteCallable
from flask_limiter import Limiter
from limits.storage import Storage
from werkzeug.wrappers import Response

from webapp.settings import Settings

ANSWERS_LIMIT = "30 per minute;300 per hour"  # every POST of answers, all routes together
PDF_LIMIT = "10 per minute;100 per hour"  # summary PDFs, both routes together
ANSWER_ENDPOINTS = ("situation.form_again", "situation.summary", "api.assessment", "letters.letter", "api.letter")
PDF_ENDPOINTS = ("situation.summary_pdf", "api.summary_pdf", "letters.letter_pdf", "api.letter_pdf")
NOT_COUNTED = frozenset({499, 503})  # the client left, or was asked to come back later


def client_key() -> str:
    """The client a limit counts: its address; for IPv6, its /64 (an IPv4-mapped address is the IPv4 one)."""
    address = request.remote_addr or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


class SharedMemoryStorage(Storage):
    """Fixed-window counters in memory shared by the processes forked after it was made.

    A table of SLOTS slots (key digest, window end, count) in a shared anonymous file, probed linearly from the
    key's hash. A POSIX record lock on that file orders the processes (the kernel drops it if its holder dies); a
    thread lock orders each process's threads. When every slot near a key is taken by a live window, the one
    ending soonest is reused: under a flood of distinct clients some are forgotten early, never blocked wrongly.
    """

    STORAGE_SCHEME = ["shared-memory"]  # noqa: RUF012  # declared so by limits' Storage
    SLOTS = 1 << 15
    PROBES = 32
    _SLOT = struct.Struct("<16sdq")  # key digest, window end (time.time()), count

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._fd = os.memfd_create("rate-limits")
        os.ftruncate(self._fd, self.SLOTS * self._SLOT.size)
        self._table = mmap.mmap(self._fd, self.SLOTS * self._SLOT.size, mmap.MAP_SHARED)
        self._thread_lock = threading.Lock()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return OSError

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def _find(self, key: str, now: float) -> tuple[int, bool]:
        """(slot, whether it holds this key's live window); for a miss, the slot to use for it."""
        digest = self._digest(key)
        start = int.from_bytes(digest[:8], "little") % self.SLOTS
        reuse, reuse_end = -1, float("inf")
        for probe in range(self.PROBES):
            slot = (start + probe) % self.SLOTS
            held, end, _ = self._SLOT.unpack_from(self._table, slot * self._SLOT.size)
            if held == digest and end > now:
                return slot, True
            if end <= now and reuse_end > 0:  # empty or expired: as good as it gets
                reuse, reuse_end = slot, 0
            elif end < reuse_end:
                reuse, reuse_end = slot, end
        return reuse, False

    def _digest(self, key: str) -> bytes:
        return hashlib.blake2b(key.encode(), digest_size=16).digest()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._locked():
            slot, live = self._find(key, now)
            offset = slot * self._SLOT.size
            if live:
                digest, end, count = self._SLOT.unpack_from(self._table, offset)
                count += amount
            else:
                digest, end, count = self._digest(key), now + expiry, amount
            self._SLOT.pack_into(self._table, offset, digest, end, count)
            return int(count)

    def get(self, key: str) -> int:
        with self._locked():
            slot, live = self._find(key, time.time())
            return int(self._SLOT.unpack_from(self._table, slot * self._SLOT.size)[2]) if live else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        with self._locked():
            slot, live = self._find(key, now)
            return float(self._SLOT.unpack_from(self._table, slot * self._SLOT.size)[1]) if live else now

    def clear(self, key: str) -> None:
        with self._locked():
            slot, live = self._find(key, time.time())
            if live:
                self._SLOT.pack_into(self._table, slot * self._SLOT.size, b"\0" * 16, 0.0, 0)

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._locked():
            self._table[:] = bytes(len(self._table))
        return None


def storage_uri(settings: Settings) -> str:
    uri = settings.RATELIMIT_STORAGE_URI
    return "shared-memory://" if uri.rstrip("/") in ("memory:", "memory") else uri


def make_limiter(settings: Settings) -> Limiter:
    return Limiter(
        key_func=client_key,
        storage_uri=storage_uri(settings),
        strategy="fixed-window",
        enabled=settings.RATELIMIT_ENABLED,
        headers_enabled=True,
        default_limits=[],
    )


def counted(response: Response) -> bool:
    return response.status_code not in NOT_COUNTED


def init_app(app: Flask, limiter: Limiter) -> None:
    """Call after the blueprints are registered: it wraps their views. The same scope in two shared limits is one
    counter: the PDF routes count against the answers limit too, but only once answered."""
    limiter.init_app(app)
    answers = limiter.shared_limit(ANSWERS_LIMIT, scope="answers")
    answers_once_answered = limiter.shared_limit(ANSWERS_LIMIT, scope="answers", deduct_when=counted)
    pdfs = limiter.shared_limit(PDF_LIMIT, scope="pdfs", deduct_when=counted)
    for endpoint in ANSWER_ENDPOINTS:
        app.view_functions[endpoint] = cast(RouteCallable, answers(app.view_functions[endpoint]))
    for endpoint in PDF_ENDPOINTS:
        view = answers_once_answered(pdfs(app.view_functions[endpoint]))
        app.view_functions[endpoint] = cast(RouteCallable, view)


class SlotsTaken(Exception):
    """This client already holds its share of the render pool's places."""


class ClientSlots:
    """At most `per_client` places held at once by any one client (its `client_key()`), in this process."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self._held: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, client: str) -> Iterator[None]:
        with self._lock:
            if self._held[client] >= self.per_client:
                raise SlotsTaken(client)
            self._held[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._held[client] -= 1
                if not self._held[client]:
                    del self._held[client]
