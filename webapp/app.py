"""The composition root: `create_app` builds the app and is the one place that wires the packages together.

Everything is loaded once (`build_state`) into one typed `AppState`; requests only read it."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask_babel import Babel

from webapp import access_log, assets, catalogs, cli, formatting, guide_pdfs, limits, security, settings, summary
from webapp.content import ContentError, check_step_links, load_library
from webapp.conversion import Converter, Glossary
from webapp.negotiation import VariantConverter, current_variant
from webapp.pdf import fonts, patches
from webapp.pdf.fonts import PDF_FONT_FAMILIES
from webapp.pdf.pool import PooledRenderer
from webapp.pwa import caching, service_worker
from webapp.search import build_index
from webapp.situation.assess import unknown_conditions
from webapp.situation.letters.texts import load_letters, unknown_letter_kinds
from webapp.situation.rules import RulesError, load_rules
from webapp.state import EXTENSION_KEY, AppState
from webapp.variants import HANS, VARIANTS
from webapp.views import api, errors, health, letters, pages, situation


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


def build_state(app: Flask, config: settings.Settings) -> AppState:
    """Everything loaded once: content, rules, fonts, catalogs, the PDF renderer and the guide PDFs."""
    glossary_path = config.GUIDES_DIR / "glossary.yaml"
    converter = Converter(Glossary.load(glossary_path))
    library = load_library(config.GUIDES_DIR, converter, glossary_path.read_text(encoding="utf-8"))
    try:
        rules = load_rules(config.GUIDES_DIR / "data", library.sources.get, converter)
        letters = load_letters(config.GUIDES_DIR / "data", library.sources.get, converter)
    except RulesError as error:
        raise ContentError(str(error)) from error
    if unknown := unknown_conditions(rules):
        raise ContentError(f"{config.GUIDES_DIR / 'data'}: next steps name unknown conditions {unknown}")
    if unknown := unknown_letter_kinds(rules):
        raise ContentError(f"{config.GUIDES_DIR / 'data'}: next steps link to unknown letters {unknown}")
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
        letters=letters,
        catalogs=catalogs.loaded(config.TRANSLATIONS_DIR),
        assets=assets.Assets(static),
        pdf_renderer=renderer,
        guide_pdfs=guide_pdfs.GuidePdfs(app, renderer, config.TRANSLATIONS_DIR, library.slugs),
        limiter=limits.make_limiter(config),
        pdf_slots=limits.ClientSlots(config.PDF_CLIENT_SLOTS),
        search=build_index(library),
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

    cli.init_app(app)
    access_log.init_app(app)  # first: its after_request runs last, on the answer as it leaves
    caching.init_app(app)
    security.init_app(app, config)
    assets.init_app(app, app_state.assets)
    app.register_blueprint(pages.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(situation.bp)
    app.register_blueprint(letters.bp)
    app.register_blueprint(api.bp)
    limits.init_app(app, app_state.limiter)
    service_worker.init_app(app)
    errors.init_app(app)
    patches.check_version()  # stops start-up if WeasyPrint or pydyf is not the version the patches were written for
    # Warmed here, in the process every worker, zygote and render process is forked from (preload).
    app_state.pdf_renderer.warm_up(summary.warm_up_documents(app) if config.PDF_WARM_UP else None)
    if config.PDF_PRERENDER:
        app_state.guide_pdfs.prerender([guide for v in VARIANTS.values() for guide in app_state.library.all(v)])
    service_worker.build_at_startup(app)
    security.guard_hosts(app, config)
    return app
