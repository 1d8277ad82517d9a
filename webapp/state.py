"""The application's state, typed: everything `create_app` loads once and requests only read.

One `AppState` per app (never per process), reached through `state()` like flaskr's `get_db()`; no string keys
scattered through the code. The service worker (with its precache list) is built last, from pages the app
renders itself, so it is filled in after the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:  # types only: every module may read the state, so this one imports none of them at run time
    from flask_limiter import Limiter

    from webapp.assets import Assets
    from webapp.catalogs import CatalogStatus
    from webapp.content import Library
    from webapp.conversion import Converter
    from webapp.guide_pdfs import GuidePdfs
    from webapp.limits import ClientSlots
    from webapp.pdf.pool import PooledRenderer
    from webapp.search import SearchIndex
    from webapp.settings import Settings
    from webapp.situation.letters.texts import Letters
    from webapp.situation.rules import Rules

EXTENSION_KEY = "yuqi_guide"


@dataclass
class AppState:
    settings: Settings
    converter: Converter
    library: Library
    fonts: dict[str, Path | None]  # family -> file, None when missing
    drawable: frozenset[int]  # code points the embedded font can draw: what a reader may type into a PDF
    rules: Rules
    letters: Letters  # the letters' texts, in both variants
    catalogs: CatalogStatus
    assets: Assets
    pdf_renderer: PooledRenderer  # a PdfRenderer that renders in its pool of processes once the server starts it
    guide_pdfs: GuidePdfs
    limiter: Limiter  # held here: Flask-Limiter keeps only a weak reference to it
    pdf_slots: ClientSlots  # no client holds more than PDF_CLIENT_SLOTS of the render pool's places
    search: SearchIndex  # every guide's sections, both scripts
    service_worker: str | None = field(default=None)  # sw.js, rendered once: fixed until the next deploy


def state(app: Flask | None = None) -> AppState:
    """This app's state (the current app's, inside a request or app context)."""
    found = (app or current_app).extensions[EXTENSION_KEY]
    assert isinstance(found, AppState)
    return found
