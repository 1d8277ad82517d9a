"""逾期应对指南: the Flask application factory. Importing this package does nothing but define `create_app`."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask_babel import Babel

from webapp import (
    assets,
    catalogs,
    compiled,
    fonts,
    formatting,
    guide_pdfs,
    http_caching,
    limits,
    pwa,
    security,
    settings,
    summary,
)
from webapp.content import ContentError, Library, load_library
from webapp.conversion import Converter, Glossary
from webapp.fonts import PDF_FONT_FAMILIES
from webapp.pdf_pool import PooledRenderer
from webapp.situation.assess import guide_ref, unknown_conditions
from webapp.situation.rules import Rules, load_rules
from webapp.state import EXTENSION_KEY, AppState
from webapp.variants import HANS, VARIANTS, VariantConverter, current_variant
from webapp.views import api, errors, health, pages, situation


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """JSON whose strings can never be read as markup: <, > and & are written as \\u escapes."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def check_fonts(found: dict[str, Path | None]) -> None:
    missing = [family for family, path in found.items() if path is None]
    if missing:
        raise RuntimeError(
            f"Fonts not found: {', '.join(missing)}. Install Debian's fonts-noto-cjk (make run does), "
            "then start again. PDFs would otherwise fall back to fonts without Chinese glyphs."
        )


def check_step_links(rules: Rules, library: Library, data_dir: Path) -> None:
    """Every next step that links to a guide names a guide and a section that exist."""
    for step in rules.for_variant(HANS).actions:
        ref = guide_ref(step.guide or None)
        if ref is not None and library.missing(ref.slug, ref.section):
            raise ContentError(f"{data_dir}: next step {step.id} links to {step.guide!r}: no such section")


def build_state(app: Flask, config: settings.Settings) -> AppState:
    """Everything loaded once: content, rules, fonts, catalogs, the PDF renderer and the guide PDFs."""
    glossary_path = config.GUIDES_DIR / "glossary.yaml"
    converter = Converter(Glossary.load(glossary_path))
    library = load_library(config.GUIDES_DIR, converter, glossary_path.read_text(encoding="utf-8"))
    rules = load_rules(config.GUIDES_DIR / "data", library.sources.get, converter)
    if unknown := unknown_conditions(rules):
        raise ContentError(f"{config.GUIDES_DIR / 'data'}: next steps name unknown conditions {unknown}")
    check_step_links(rules, library, config.GUIDES_DIR / "data")
    found = fonts.find_fonts()
    check_fonts(found)
    sans_sc = found[PDF_FONT_FAMILIES["zh-Hans"]]
    assert sans_sc is not None
    static = Path(app.static_folder or "")
    renderer = PooledRenderer(
        static,
        [static / "css" / "print.css"],
        guide_pdfs.variant_css(app, PDF_FONT_FAMILIES),
        max_pages=config.PDF_MAX_PAGES,
        time_limit=config.PDF_TIME_LIMIT,
        isolate=config.PDF_ISOLATE,
        pool_size=config.PDF_POOL_SIZE,
        pool_queue=config.PDF_POOL_QUEUE,
        pool_wait=config.PDF_QUEUE_WAIT,
        renders_per_process=config.PDF_POOL_RENDERS,
    )
    return AppState(
        settings=config,
        converter=converter,
        library=library,
        fonts=found,
        drawable=fonts.coverage(sans_sc, PDF_FONT_FAMILIES["zh-Hans"]),
        rules=rules,
        catalogs=catalogs.loaded(config.TRANSLATIONS_DIR),
        assets=assets.Assets(static),
        pdf_renderer=renderer,
        guide_pdfs=guide_pdfs.GuidePdfs(app, renderer, config.TRANSLATIONS_DIR, library.slugs),
        limiter=limits.make_limiter(config),
    )


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The app. `test_config` overrides settings by name (typed values) and may add Flask's own keys (TESTING)."""
    overrides = dict(test_config or {})
    declared = {s.name for s in settings.SETTINGS}
    config = settings.load(overrides={k: v for k, v in overrides.items() if k in declared})
    app = Flask(__name__)
    app.json = HtmlSafeJSONProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = config.MAX_CONTENT_LENGTH
    app.config.from_mapping({k: v for k, v in overrides.items() if k not in declared})
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(config.TRANSLATIONS_DIR)
    app.config["BABEL_DEFAULT_LOCALE"] = HANS.locale
    app.url_map.converters["variant"] = VariantConverter
    Babel(app, locale_selector=lambda: current_variant().locale)
    formatting.init_app(app)

    app_state = build_state(app, config)
    app.extensions[EXTENSION_KEY] = app_state

    catalogs.register_cli(app)
    guide_pdfs.register_cli(app)
    http_caching.init_app(app)
    security.init_app(app, config)
    assets.init_app(app, app_state.assets)
    app.register_blueprint(pages.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(situation.bp)
    app.register_blueprint(api.bp)
    limits.init_app(app, app_state.limiter)
    pwa.init_app(app)
    errors.init_app(app)
    compiled.checked()  # stops start-up if a compiled module was built from another source than the one installed
    # Warmed here, in the process every worker, zygote and render process is forked from (preload).
    app_state.pdf_renderer.warm_up(summary.warm_up_documents(app) if config.PDF_WARM_UP else None)
    if config.PDF_PRERENDER:
        app_state.guide_pdfs.prerender([guide for v in VARIANTS.values() for guide in app_state.library.all(v)])
    pwa.build_at_startup(app)
    security.guard_hosts(app, config)
    return app
