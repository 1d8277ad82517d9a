"""Every setting, declared once: name, type, default, meaning and bounds (Datasette's settings are the model).

Settings come only from environment variables (tests pass a mapping instead). Parsing is strict: a boolean is
one of 1/0/true/false/yes/no/on/off, a number must be a number within its bounds, a choice one of its choices.
Anything else stops start-up with a message naming the variable (`python -m webapp.wsgi` and the app read the
same declarations). The README's settings table is generated from `SETTINGS`
(`python -m webapp.settings`) and a test checks the two agree.
"""

import ipaddress
import math
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_type_hints

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingsError(ValueError):
    """A setting that is malformed or out of bounds: the message names it."""


def setting(
    default: Any,
    meaning: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple[str, ...] = (),
    shown_default: str | None = None,
    check: str = "",
) -> Any:
    """One setting's declaration: its default, its meaning for the README, its bounds or choices."""
    return field(
        default=default,
        metadata={
            "meaning": meaning,
            "minimum": minimum,
            "maximum": maximum,
            "choices": choices,
            "shown_default": shown_default,
            "check": check,
        },
    )


PAGE_THREADS = 16  # threads no PDF request can hold, when SERVER_THREADS is left to its default


CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")  # cgroup v2: "<quota> <period>" or "max <period>"


def _cpus(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """The CPUs this process may really use: in a container, its CPU limit (the cgroup's quota), not the host's
    count, which is what `os.cpu_count()` reports there; else the CPUs it is allowed to run on."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass  # no cgroup v2 limit to read: the affinity count stands
    return max(1, cpus)


# Letters, digits and hyphens (RFC 952/1123): an underscore is no host name, and Werkzeug would build redirects with
# an empty host from one.
_HOST_NAME = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?")


def _check_addresses(text: str) -> None:
    for item in split_list(text):
        if item != "*":
            try:
                ipaddress.ip_network(item)
            except ValueError:
                raise SettingsError(f"not an address or network: {item!r} (like 10.0.0.0/8 or ::1)") from None


def is_host_name(name: str) -> bool:
    """A DNS name or an IPv4 address, as a Host header may carry it (a trailing dot allowed)."""
    return len(name) <= 253 and _HOST_NAME.fullmatch(name.lower()) is not None and not name.startswith(".")


def _check_hosts(text: str) -> None:
    for item in split_list(text):
        try:
            ipaddress.ip_address(item.strip("[]"))
            continue
        except ValueError:
            pass
        if not is_host_name(item.removeprefix(".")):
            raise SettingsError(f"not a host name: {item!r} (like guide.example.org or .example.org)")


_CHECKS = {"addresses": _check_addresses, "hosts": _check_hosts}


def split_list(text: str) -> list[str]:
    """A comma-separated setting's items, stripped, empty ones dropped."""
    return [item.strip() for item in text.split(",") if item.strip()]


@dataclass(frozen=True)
class Settings:
    # Where and how the server (waitress, webapp/wsgi.py) serves.
    HOST: str = setting("127.0.0.1", "where `make run` and the container listen")
    PORT: int = setting(8000, "the port", minimum=1, maximum=65535)
    SERVER_THREADS: int = setting(
        0,
        "threads that answer requests (waitress reads each request whole and writes each answer out itself); must"
        " exceed PDF_POOL_SIZE + PDF_POOL_QUEUE, the most that PDFs may hold; 0: those plus 16 for pages",
        minimum=0,
        maximum=512,
    )
    SERVER_CHANNEL_TIMEOUT: float = setting(
        20.0,
        "seconds a connection may stay silent (an idle keep-alive, or headers or a body that stopped coming) before"
        " the server closes it; checked every second or so",
        minimum=2,
        maximum=600,
    )
    SERVER_CONNECTION_LIMIT: int = setting(
        500,
        "open connections the server holds at most; past it, new ones wait in the listen backlog until one closes",
        minimum=10,
        maximum=10_000,
    )
    FORWARDED_ALLOW_IPS: str = setting(
        "127.0.0.1,::1",
        "addresses or networks of the proxies whose X-Forwarded-For/-Proto are trusted, when TRUSTED_PROXIES > 0"
        " (* for any)",
        check="addresses",
    )
    LOG_LEVEL: str = setting(
        "info",
        "what the server and the app log (the access log is at info)",
        choices=("debug", "info", "warning", "error", "critical"),
    )
    # The app.
    GUIDES_DIR: Path = setting(
        PROJECT_ROOT / "guides", "content: guides, glossary, sources, data", shown_default="guides/"
    )
    TRANSLATIONS_DIR: Path = setting(
        PROJECT_ROOT / "translations", "UI catalogs (compiled by `make`)", shown_default="translations/"
    )
    VARIANT_COOKIE_SECURE: bool = setting(False, "mark the variant cookie Secure (serve over HTTPS)")
    MAX_CONTENT_LENGTH: int = setting(
        # The largest valid answers (a 100-row contact log of 200-character notes, URL-encoded) are ~200 KB.
        256 * 1024,
        "largest request body, in bytes",
        minimum=64 * 1024,
        maximum=16 * 1024 * 1024,
    )
    RATELIMIT_ENABLED: bool = setting(True, "per-client rate limits on the POST routes")
    RATELIMIT_STORAGE_URI: str = setting(
        "memory://", "where rate-limit counters live; a redis:// URI shares them across instances"
    )
    HSTS_SECONDS: int = setting(
        365 * 24 * 3600, "Strict-Transport-Security max-age on HTTPS requests; 0 turns it off", minimum=0
    )
    TRUSTED_PROXIES: int = setting(
        0,
        "how many reverse proxies stand in front; 0: no forwarded header is trusted",
        minimum=0,
        maximum=5,
    )
    TRUSTED_HOSTS: str = setting(
        "",
        "host names the site answers to, comma-separated (.example.org: it and its subdomains); empty: any"
        " well-formed Host. Any other Host gets a 400",
        check="hosts",
    )
    QUICK_EXIT_URL: str = setting(
        "about:blank",
        "where the quick-exit button goes, replacing the page in history (about:blank: a blank page, no request"
        " leaves the device)",
    )
    PDF_PRERENDER: bool = setting(True, "render the guide PDFs at start-up (off: on first request)")
    PDF_WARM_UP: bool = setting(
        True,
        "print a typical summary in each variant at start-up, so that readers' first PDFs are as quick as the rest"
        " (off: a short page only, for tools and tests that build many apps)",
    )
    PDF_MAX_PAGES: int = setting(40, "a guide PDF that would be longer is refused during layout", minimum=1)
    SUMMARY_MAX_PAGES: int = setting(
        # Typical summaries are 2-4 pages; the largest valid answers (100 log rows of 200 characters) print on 29.
        30,
        "a summary PDF that would be longer is refused; the reader is asked to shorten the contact log",
        minimum=1,
    )
    PDF_TIME_LIMIT: float = setting(20.0, "seconds a PDF render may take", minimum=1, maximum=300)
    PDF_ISOLATE: bool = setting(
        True,
        "outside the render pool (start-up, CLI), render each PDF in a forked child (memory returned, overruns killed)",
    )
    PDF_POOL_SIZE: int = setting(
        0,
        "render processes per worker; 0: one per CPU it may use (in a container, its CPU limit)",
        minimum=0,
        maximum=64,
    )
    PDF_POOL_QUEUE: int = setting(
        0,
        "PDF requests that may wait for a render process (more get a 503 at once); 0: twice the pool size",
        minimum=0,
        maximum=256,
    )
    PDF_QUEUE_WAIT: float = setting(
        3.0,
        "seconds a PDF request may wait for a render process before a 503 with Retry-After",
        minimum=0.1,
        maximum=60,
    )
    PDF_POOL_RENDERS: int = setting(
        100, "renders a render process does before a fresh one replaces it (returns native memory)", minimum=1
    )
    PDF_CLIENT_SLOTS: int = setting(
        1,
        "summary PDFs one client (an address, an IPv6 /64) may have rendering or waiting at once; more get a 503",
        minimum=1,
        maximum=64,
    )


SETTINGS = fields(Settings)
_TYPES: dict[str, Any] = get_type_hints(Settings)


def _parse(name: str, raw: str, kind: Any, meta: Mapping[str, Any]) -> Any:
    text = raw.strip()
    value: Any
    if kind is bool:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise SettingsError(f"{name}={raw!r}: expected one of 1, 0, true, false, yes, no, on, off")
    if kind is int or kind is float:
        try:
            value = kind(text)
        except ValueError:
            raise SettingsError(f"{name}={raw!r}: expected {'a whole number' if kind is int else 'a number'}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise SettingsError(f"{name}={raw!r}: expected a finite number")
    elif kind is Path:
        if not text:
            raise SettingsError(f"{name} is empty: expected a path")
        value = Path(text)
    else:
        value = text
    _check_bounds(name, value, meta)
    return value


def _check_bounds(name: str, value: Any, meta: Mapping[str, Any]) -> None:
    if meta["minimum"] is not None and value < meta["minimum"]:
        raise SettingsError(f"{name}={value!r}: must be at least {meta['minimum']}")
    if meta["maximum"] is not None and value > meta["maximum"]:
        raise SettingsError(f"{name}={value!r}: must be at most {meta['maximum']}")
    if meta["choices"] and value not in meta["choices"]:
        raise SettingsError(f"{name}={value!r}: expected one of {', '.join(meta['choices'])}")
    if meta["check"]:
        try:
            _CHECKS[meta["check"]](value)
        except SettingsError as error:
            raise SettingsError(f"{name}={value!r}: {error}") from None


def load(environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Settings from the environment, then `overrides` (typed values, for tests); SettingsError names a bad one."""
    environ = os.environ if environ is None else environ
    overrides = overrides or {}
    values: dict[str, Any] = {}
    for declared in SETTINGS:
        name = declared.name
        if name in overrides:
            value = overrides[name]
            _check_bounds(name, value, declared.metadata)
            values[name] = value
        elif name in environ:
            values[name] = _parse(name, environ[name], _TYPES[name], declared.metadata)
    settings = Settings(**values)
    if settings.PDF_POOL_SIZE == 0:
        settings = replace(settings, PDF_POOL_SIZE=_cpus())
    if settings.PDF_POOL_QUEUE == 0:
        settings = replace(settings, PDF_POOL_QUEUE=2 * settings.PDF_POOL_SIZE)
    for_pdfs = settings.PDF_POOL_SIZE + settings.PDF_POOL_QUEUE
    if settings.SERVER_THREADS == 0:
        settings = replace(settings, SERVER_THREADS=for_pdfs + PAGE_THREADS)
    elif for_pdfs >= settings.SERVER_THREADS:
        raise SettingsError(
            f"SERVER_THREADS={settings.SERVER_THREADS}: must be more than PDF_POOL_SIZE + PDF_POOL_QUEUE ({for_pdfs}),"
            " or PDF requests could take every thread and pages would wait"
        )
    return settings


def markdown_table() -> str:
    """The README's settings table."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for declared in SETTINGS:
        meta = declared.metadata
        default = meta["shown_default"] if meta["shown_default"] is not None else declared.default
        if isinstance(default, bool):
            default = "1" if default else "0"
        meaning = meta["meaning"]
        if meta["choices"]:
            meaning += f" ({', '.join(meta['choices'])})"
        rows.append(f"| `{declared.name}` | `{default}` | {meaning} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
