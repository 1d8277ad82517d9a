"""Guide PDFs: rendered once per content version and kept in memory; served with ETag and Last-Modified."""

import hashlib
import threading
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import weasyprint
from flask import Flask, render_template
from flask_babel import force_locale, gettext

from webapp.content import Guide
from webapp.pdf.render import PdfRenderer
from webapp.variants import VARIANTS, Variant

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEMPLATE = "print/guide.html"


@dataclass(frozen=True)
class GuidePdf:
    data: bytes
    etag: str
    last_modified: datetime
    content_disposition: str


def page_label_css(variant: Variant, family: str) -> str:
    """Per-variant print CSS: the font family and the 第 N 页 / 共 M 页 page label, translated."""
    with force_locale(variant.locale):
        label = gettext("Page %(page)s of %(pages)s", page="\x00page\x00", pages="\x00pages\x00")
    parts = label.replace('"', "").split("\x00")
    content = " ".join(
        {"page": "counter(page)", "pages": "counter(pages)"}.get(part, f'"{part}"') for part in parts if part
    )
    return (
        f'html, body {{ font-family: "{family}"; }}\n'
        f'@page {{ font-family: "{family}"; @bottom-center {{ content: {content}; font-family: "{family}"; }}'
        f' @top-center {{ font-family: "{family}"; }} }}\n'
    )


class GuidePdfs:
    def __init__(self, app: Flask, renderer: PdfRenderer, translations_dir: Path, slugs: list[str]) -> None:
        self._app = app
        self._renderer = renderer
        self._slugs = sorted(slugs)
        self._cache: dict[tuple[str, str, str], GuidePdf] = {}
        self._lock = threading.Lock()
        # Anything that changes the printed bytes besides the guide itself.
        parts = [weasyprint.__version__.encode()]
        for path in (
            Path(app.root_path) / "templates" / TEMPLATE,
            Path(app.root_path) / "templates" / "_sources.html",
            Path(app.static_folder or "") / "css" / "print.css",
            *sorted(translations_dir.glob("*/LC_MESSAGES/messages.po")),
        ):
            parts.append(path.read_bytes())
        self.fingerprint = hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]

    def html(self, guide: Guide) -> str:
        with self._app.app_context(), force_locale(guide.variant.locale):
            return render_template(TEMPLATE, guide=guide, variant=guide.variant, number=self.number(guide))

    def get(self, guide: Guide) -> GuidePdf:
        key = (guide.slug, guide.variant.code, guide.version)
        with self._lock:  # one render per guide and version, however many readers ask at once
            if key not in self._cache:
                self._cache[key] = self._render(guide)
            return self._cache[key]

    def etag(self, guide: Guide) -> str:
        """Known without rendering: the same in every process for the same content and print setup."""
        return hashlib.sha256(f"{guide.version}/{self.fingerprint}/{guide.variant.code}".encode()).hexdigest()[:24]

    def file_name(self, guide: Guide) -> str:
        """What the saved file is called (the download link and the response agree): 指南-3.pdf. A phone's download
        list and notifications are seen by others, so it names neither the debt, nor the platform, nor the topic
        (a slug or title may name all three); the number, the guide's place in the library, tells guides apart."""
        with self._app.app_context(), force_locale(guide.variant.locale):
            word = gettext("Guide")
        return f"{word}-{self.number(guide)}.pdf"

    def number(self, guide: Guide) -> int:
        return self._slugs.index(guide.slug) + 1

    def _render(self, guide: Guide) -> GuidePdf:
        etag = self.etag(guide)
        data = self._renderer.render(self.html(guide), guide.variant.tag, identifier=etag.encode())
        return GuidePdf(
            data=data,
            etag=etag,
            last_modified=datetime.combine(guide.updated, time(), SHANGHAI),
            content_disposition=self.content_disposition(guide),
        )

    def content_disposition(self, guide: Guide) -> str:
        return (
            f"attachment; filename=\"guide-{self.number(guide)}.pdf\"; filename*=UTF-8''{quote(self.file_name(guide))}"
        )

    def prerender(self, guides: list[Guide]) -> None:
        for guide in guides:
            self.get(guide)


def variant_css(app: Flask, families: dict[str, str]) -> dict[str, str]:
    with app.app_context():
        return {v.tag: page_label_css(v, families[v.tag]) for v in VARIANTS.values()}
