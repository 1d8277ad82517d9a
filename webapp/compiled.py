"""Whether the modules a PDF render spends its time in run compiled (scripts/compile_hot_modules.py builds them).

The build leaves a manifest in site-packages naming each extension and the SHA-256 of the source it was built from.
At start-up `check()` reads it: compiled and current is what `make` and the image give; missing means PDFs render
as Python sources, correct but slower (a warning); an extension built from another source than the one installed
(a package reinstalled at another version since) would run code that is not the installed package's, so start-up
stops and says how to rebuild.
"""

import functools
import hashlib
import importlib.util
import json
import logging
import sysconfig
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MANIFEST = "yuqi_compiled_modules.json"  # the name scripts/compile_hot_modules.py writes


class StaleExtensions(RuntimeError):
    """Extensions built from sources other than those installed."""


@dataclass(frozen=True)
class Status:
    compiled: tuple[str, ...]  # imported from the extension built from the source installed
    stale: tuple[str, ...]  # an extension built from another source
    as_sources: tuple[str, ...]  # listed, but imported from their source (its extension gone or passed over)
    manifest: Path | None


def manifest_path() -> Path:
    return Path(sysconfig.get_paths()["purelib"]) / MANIFEST


def status(path: Path | None = None) -> Status:
    """How the modules the manifest lists (at `path`, by default the running interpreter's) are imported."""
    path = path or manifest_path()
    if not path.exists():
        return Status((), (), (), None)
    site = path.parent
    compiled, stale, as_sources = [], [], []
    for name, entry in sorted(json.loads(path.read_text())["modules"].items()):
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        if origin is None or origin != site / entry["extension"]:
            as_sources.append(name)
        elif hashlib.sha256((site / entry["source"]).read_bytes()).hexdigest() != entry["source_sha256"]:
            stale.append(name)
        else:
            compiled.append(name)
    return Status(tuple(compiled), tuple(stale), tuple(as_sources), path)


def check(path: Path | None = None) -> Status:
    """Log how the render modules run; raise StaleExtensions if any extension was built from another source."""
    found = status(path)
    if found.stale:
        raise StaleExtensions(
            f"{len(found.stale)} compiled modules were built from other sources than those installed "
            f"({', '.join(found.stale[:5])}...): run `python scripts/compile_hot_modules.py` (or `make`) again"
        )
    if found.manifest is None or found.as_sources:
        log.warning(
            "PDF renders run %s of WeasyPrint's modules as Python sources (slower): "
            "run `python scripts/compile_hot_modules.py` to compile them",
            "all" if found.manifest is None else len(found.as_sources),
        )
    else:
        log.info("PDF renders run %d compiled modules", len(found.compiled))
    return found


@functools.cache
def checked() -> Status:
    """check() once per process: create_app calls it for every app it makes."""
    return check()
