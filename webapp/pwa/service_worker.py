"""PWA plumbing: the manifests, the service worker with its generated precache list, and the offline page.

The precache list is built from the app's real routes: every page (home, each guide, the offline page) in both
variants, and the fingerprinted CSS, script and icon, each with a hash of its bytes. `sw.js` embeds that list and
a version made from it, so any change to any of them changes `sw.js` byte for byte and browsers install the new
worker. Built once per process at start-up, outside any request, from pages rendered through the app itself:
a page fetched inside another request would share its app context (and Flask-Babel's cached locale with it).
"""

import hashlib
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, has_app_context, render_template, url_for
from flask_babel import force_locale, gettext

from webapp.negotiation import current_variant
from webapp.situation.letters.model import LetterKind
from webapp.state import state
from webapp.variants import VARIANTS, Variant

bp = Blueprint("pwa", __name__)

THEME_COLOR = "#1d5e8c"
BACKGROUND_COLOR = "#fdfcfa"
# Fingerprinted files the pages need to render offline. Screenshots and large icons are fetched only by the
# browser's install dialog, so they are not precached.
PRECACHED_ASSETS = (
    "css/site.css",
    "css/situation.css",
    "css/letters.css",
    "js/exit.js",
    "js/app.js",
    "js/situation.js",
    "js/letters.js",
    "js/search.js",
    "icons/favicon-32.png",
)


@dataclass(frozen=True)
class Precache:
    version: str
    entries: tuple[dict[str, str], ...]  # {"url", "revision"}
    pdfs: dict[str, list[str]]  # variant code -> guide PDF URLs, cached once the reader has visited


def page_urls(app: Flask, variant: Variant) -> list[str]:
    library = state(app).library
    return [
        url_for("pages.home", v=variant),
        *(url_for("pages.guide", v=variant, slug=slug) for slug in library.slugs),
        url_for("situation.form", v=variant),
        url_for("letters.index", v=variant),
        *(url_for("letters.form", v=variant, kind=kind.value) for kind in LetterKind),
        url_for("pages.no_trace", v=variant),
        url_for("pages.search", v=variant),
        url_for("pwa.offline", v=variant),
    ]


def build_precache(app: Flask) -> Precache:
    app_state = state(app)
    assets, library, pdfs = app_state.assets, app_state.library, app_state.guide_pdfs
    pdf_urls: dict[str, list[str]] = {}
    pdf_etags: list[str] = []
    with app.test_request_context():  # only to build URLs: pages are fetched below, each in its own context
        pages = [url for variant in VARIANTS.values() for url in page_urls(app, variant)]
        for variant in VARIANTS.values():
            guides = library.all(variant)
            pdf_urls[variant.code] = [url_for("pages.guide_pdf", v=variant, slug=g.slug) for g in guides]
            pdf_etags += [pdfs.etag(g) for g in guides]
    entries: list[dict[str, str]] = []
    client = app.test_client()
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"precache: {url} answered {response.status_code}")
        entries.append({"url": url, "revision": hashlib.sha256(response.get_data()).hexdigest()[:12]})
    for name in PRECACHED_ASSETS:
        entries.append({"url": assets.url(name), "revision": assets.digests[name]})
    version = hashlib.sha256(json.dumps([entries, pdf_etags], sort_keys=True).encode()).hexdigest()[:16]
    return Precache(version=version, entries=tuple(entries), pdfs=pdf_urls)


def png_size(path: Path) -> str:
    """'192x192' from the PNG header: the manifest declares the real pixel sizes."""
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return f"{width}x{height}"


def manifest(variant: Variant) -> dict[str, Any]:
    assets = state().assets
    static = Path(current_app.static_folder or "")

    def image(name: str, **extra: str) -> dict[str, str]:
        return {"src": assets.url(name), "sizes": png_size(static / name), "type": "image/png", **extra}

    with force_locale(variant.locale):
        return {
            "id": "/",
            # The installed app's name and window title: neutral, like the page titles
            # (docs/decisions/0012-neutral-titles.md); the description says what it is.
            "name": gettext("Guide"),
            # On the home screen: a plain word, so the icon does not tell others what the reader is facing.
            "short_name": gettext("Guide"),
            "description": gettext(
                "Calm, sourced answers for people overdue on an online loan. Works offline; keeps nothing."
            ),
            "lang": variant.tag,
            "dir": "ltr",
            # "/" opens the variant the reader last chose: the service worker remembers it, offline too.
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "icons": [
                image("icons/icon-192.png", purpose="any"),
                image("icons/icon-512.png", purpose="any"),
                image("icons/maskable-192.png", purpose="maskable"),
                image("icons/maskable-512.png", purpose="maskable"),
            ],
            "screenshots": [
                image(f"screenshots/narrow-{variant.code}.png", form_factor="narrow", label=gettext("The guide")),
                image(f"screenshots/wide-{variant.code}.png", form_factor="wide", label=gettext("The guide")),
            ],
        }


def manifest_response(variant: Variant) -> Response:
    response = Response(
        json.dumps(manifest(variant), ensure_ascii=False, indent=1), mimetype="application/manifest+json"
    )
    response.cache_control.no_cache = True
    return response


@bp.get("/manifest.webmanifest")
def root_manifest() -> Response:
    response = manifest_response(current_variant())
    response.vary.update(("Cookie", "Accept-Language"))
    return response


@bp.get("/<variant:v>/manifest.webmanifest")
def variant_manifest(v: Variant) -> Response:
    return manifest_response(v)


@bp.get("/sw.js")
def service_worker() -> Response:
    worker = state().service_worker
    assert worker is not None, "create_app builds the service worker before serving"
    response = Response(worker, mimetype="text/javascript")
    response.cache_control.no_cache = True  # browsers must see a new version as soon as there is one
    return response


@bp.get("/<variant:v>/offline")
def offline(v: Variant) -> str:
    return render_template("offline.html", guides=state().library.all(v))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def build_at_startup(app: Flask) -> None:
    """Call last in create_app, with no request or app context active."""
    if has_app_context():
        raise RuntimeError("build the precache outside any app context: its pages would share that context")
    cache = build_precache(app)
    # Its bytes are fixed until the next deploy: rendered once, not on every browser's update check.
    with app.app_context():
        worker = render_template("sw.js", version=cache.version, precache=list(cache.entries), pdfs=cache.pdfs)
    state(app).service_worker = worker
