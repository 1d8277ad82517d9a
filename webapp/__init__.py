"""逾期应对指南: the Flask application factory."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, g, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import Babel
from werkzeug.routing import BaseConverter

from webapp import assets, catalogs, config, fonts, formatting, guide_pdfs, http_caching, limits, pwa, security
from webapp.content import load_library
from webapp.conversion import Converter, Glossary
from webapp.pdf import PdfRenderer
from webapp.situation.model import set_drawable_characters
from webapp.situation.rules import load_rules
from webapp.variants import COOKIE, VARIANTS, Variant, negotiate


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """JSON whose strings can never be read as markup: <, > and & are written as \\u escapes."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class VariantConverter(BaseConverter):
    """`/<variant:v>/...`: only our two codes match, so any other prefix is an ordinary 404."""

    regex = "|".join(VARIANTS)

    def to_python(self, value: str) -> Variant:
        return VARIANTS[value]

    def to_url(self, value: Variant | str) -> str:
        return str(value)


def current_variant() -> Variant:
    """The variant in the URL (even one no route matched); else the reader's negotiated one."""
    variant = g.get("variant") or VARIANTS.get(request.path.split("/")[1])
    if variant is None:
        variant = negotiate(request.cookies.get(COOKIE), request.headers.get("Accept-Language"))
    return variant


# The embedded fonts: Simplified and Traditional glyph forms of Noto Sans CJK (Debian's fonts-noto-cjk).
PDF_FONT_FAMILIES = {"zh-Hans": "Noto Sans CJK SC", "zh-Hant": "Noto Sans CJK TC"}
SOURCES_GUIDE = "58-finance-overdue"  # the guide whose sources list the situation rules cite


def init_situation(app: Flask) -> None:
    """The dated rules, citing the guide's own sources, and the characters a summary PDF can show."""
    library = app.extensions["library"]
    sources = {v.code: {s.id: s for s in library.get(SOURCES_GUIDE, v).sources} for v in VARIANTS.values()}
    app.extensions["rules"] = load_rules(app.config["GUIDES_DIR"] / "data", sources, app.extensions["converter"])
    font = app.extensions["fonts"].get(PDF_FONT_FAMILIES["zh-Hans"])
    if font is not None:
        set_drawable_characters(fonts.coverage(font, PDF_FONT_FAMILIES["zh-Hans"]))


def init_pdfs(app: Flask) -> None:
    missing = [family for family, path in app.extensions["fonts"].items() if path is None]
    if missing:
        raise RuntimeError(
            f"Fonts not found: {', '.join(missing)}. Install Debian's fonts-noto-cjk (make run does), "
            "then start again. PDFs would otherwise fall back to fonts without Chinese glyphs."
        )
    renderer = PdfRenderer(
        Path(app.static_folder or ""),
        [Path(app.static_folder or "") / "css" / "print.css"],
        guide_pdfs.variant_css(app, PDF_FONT_FAMILIES),
        max_pages=app.config["PDF_MAX_PAGES"],
        time_limit=app.config["PDF_TIME_LIMIT"],
        max_concurrent=app.config["PDF_MAX_CONCURRENT"],
        queue_timeout=app.config["PDF_QUEUE_TIMEOUT"],
        isolate=app.config["PDF_ISOLATE"],
    )
    renderer.warm_up()
    app.extensions["pdf_renderer"] = renderer
    pdfs = guide_pdfs.GuidePdfs(app, renderer)
    app.extensions["guide_pdfs"] = pdfs
    guide_pdfs.register_cli(app)
    if app.config["PDF_PRERENDER"]:
        library = app.extensions["library"]
        pdfs.prerender([guide for v in VARIANTS.values() for guide in library.all(v)])


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.json = HtmlSafeJSONProvider(app)
    app.config.from_mapping(config.from_environment())
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(app.config["TRANSLATIONS_DIR"])
    app.config["BABEL_DEFAULT_LOCALE"] = VARIANTS["zh-hans"].locale
    app.url_map.converters["variant"] = VariantConverter

    glossary_path = app.config["GUIDES_DIR"] / "glossary.yaml"
    converter = Converter(Glossary.load(glossary_path))
    app.extensions["converter"] = converter
    app.extensions["library"] = load_library(
        app.config["GUIDES_DIR"], converter, glossary_path.read_text(encoding="utf-8")
    )
    app.extensions["fonts"] = fonts.find_fonts()
    init_situation(app)
    app.extensions["catalogs"] = catalogs.loaded(app.config["TRANSLATIONS_DIR"])

    Babel(app, locale_selector=lambda: current_variant().locale)
    formatting.init_app(app)
    catalogs.register_cli(app)
    init_pdfs(app)

    from webapp.views import api, errors, health, pages, situation

    http_caching.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(situation.bp)
    app.register_blueprint(api.bp)
    limits.init_app(app)
    pwa.init_app(app)
    errors.init_app(app)
    pwa.build_at_startup(app)
    return app
