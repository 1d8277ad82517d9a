"""Helpers shared by the test modules: reading pages and PDFs back as a reader would."""

import re
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

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
