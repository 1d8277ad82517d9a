"""Helpers shared by the test modules: reading pages and PDFs back as a reader would."""

import fcntl
import hashlib
import re
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
GUIDES_DIR = ROOT / "guides"
GUIDE_SLUG = "58-finance-overdue"  # the first guide
GUIDE_SOURCE = GUIDES_DIR / GUIDE_SLUG / "guide.md"
# Every guide in the library, by slug: what each page, PDF and precache test walks.
GUIDE_SLUGS = sorted(p.name for p in GUIDES_DIR.iterdir() if (p / "guide.md").is_file())


class _TextAndAttributes(HTMLParser):
    """What a reader sees or hears: text nodes and the human-readable attributes."""

    READABLE = frozenset({"title", "alt", "aria-label", "content", "placeholder", "value"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.extend(v for k, v in attrs if k in self.READABLE and v)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


class _Elements(HTMLParser):
    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag:
            self.found.append({k: v or "" for k, v in attrs})


def elements(html: str, tag: str, **wanted: str) -> list[dict[str, str]]:
    """The attributes of each `tag` element having the `wanted` attributes (class_ for class), in any order."""
    parser = _Elements(tag)
    parser.feed(html)
    want = {k.rstrip("_").replace("_", "-"): v for k, v in wanted.items()}
    return [attrs for attrs in parser.found if all(attrs.get(k) == v for k, v in want.items())]


def readable_text(html: str) -> str:
    parser = _TextAndAttributes()
    parser.feed(html)
    return "\n".join(parser.parts)


def cjk(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def links(html: str, attribute: str = "href") -> list[str]:
    return re.findall(rf'{attribute}="([^"]*)"', html)


def squash(text: str) -> str:
    """Text with all white space removed and composed (NFC): PDF text wraps anywhere."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def pdftotext(pdf: bytes, *extra: str) -> str:
    """The text of a PDF as poppler reads it back."""
    return subprocess.run(["pdftotext", *extra, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def pdffonts(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return out.splitlines()[2:]


class SharedGuideRenders:
    """The guide PDFs' renderer for the session apps, with the bytes shared by every worker of this run.

    Each worker's session app would otherwise render the same two dozen guide PDFs again (test_pdf.py,
    test_situation_downloads.py, the browser tests' precache: ~1 s each). The app's own code still makes the HTML,
    the ETag, the dates and the file names in every worker; only the render of HTML already rendered in this run,
    by this same code, is read back from the run's folder instead of done again. The key is the whole input (the
    HTML, the script, the options); the renderer and its stylesheets are the same in every worker of a run, and
    nothing outlives the run (the folder is in its basetemp), so a change to the code is always rendered anew."""

    def __init__(self, renderer: Any, folder: Path) -> None:
        self._renderer = renderer
        self._folder = folder

    def render(self, html: str, variant_tag: str, **options: Any) -> bytes:
        key = hashlib.sha256(repr((html, variant_tag, sorted(options.items()))).encode()).hexdigest()
        done = self._folder / f"{key}.pdf"
        with (self._folder / f"{key}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker, asking for the same guide, waits for this render
            if not done.exists():
                pdf = self._renderer.render(html, variant_tag, **options)
                done.with_suffix(".part").write_bytes(pdf)
                done.with_suffix(".part").rename(done)
            return done.read_bytes()


def share_guide_renders(app: "Flask", folder: Path) -> "Flask":
    from webapp.state import state

    guide_pdfs = state(app).guide_pdfs
    guide_pdfs._renderer = SharedGuideRenders(guide_pdfs._renderer, folder)  # type: ignore[assignment]
    return app
