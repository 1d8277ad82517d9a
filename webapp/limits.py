"""Per-client rate limits on the expensive POST routes (Flask-Limiter, fixed windows).

Counted for the whole instance: `memory://` (the default) keeps the counters in shared memory made when the app
is (in gunicorn's master, before it forks its workers), so every worker and thread counts against the same
limit; a redis:// URI shares them across instances. A client is its address, and an IPv6 client its /64: one
phone or home gets a whole /64, and every address in it is the same reader.

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
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from flask import Flask, request
from flask.typing import RouteCallable
from flask_limiter import Limiter
from limits.storage import Storage

from webapp.settings import Settings

SUMMARY_LIMIT = "30 per minute;300 per hour"
PDF_LIMIT = "10 per minute;100 per hour"
LIMITED_ENDPOINTS = {
    "situation.form_again": SUMMARY_LIMIT,
    "situation.summary": SUMMARY_LIMIT,
    "situation.summary_pdf": PDF_LIMIT,
    "api.assessment": SUMMARY_LIMIT,
    "api.summary_pdf": PDF_LIMIT,
    "letters.letter": SUMMARY_LIMIT,
    "letters.letter_pdf": PDF_LIMIT,
    "api.letter": SUMMARY_LIMIT,
    "api.letter_pdf": PDF_LIMIT,
}


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
    """Fixed-window counters in memory shared by the processes forked after it was made (gunicorn's workers).

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


def init_app(app: Flask, limiter: Limiter) -> None:
    """Call after the blueprints are registered: it wraps their views."""
    limiter.init_app(app)
    for endpoint, limit in LIMITED_ENDPOINTS.items():
        app.view_functions[endpoint] = cast(RouteCallable, limiter.limit(limit)(app.view_functions[endpoint]))
