"""Load the guides: zh-Hans Markdown with front matter -> checked, converted, rendered HTML for each variant.

Everything here runs once at start-up; requests only look the result up.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup
from mdit_py_plugins.attrs import attrs_block_plugin

from webapp.conversion import Converter
from webapp.variants import VARIANTS, Variant

GUIDE_FILE = "guide.md"
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Sources we may cite as law: V (read in the legal text) and V2 (read in an official or press copy).
# U (unconfirmed) facts are never cited as law, so a U source in a guide is a content error.
CITABLE_STATUSES = {"V", "V2"}


class ContentError(ValueError):
    """A guide that must not be served: the message says which file and what is wrong."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    status: str
    url: str | None = None

    @property
    def anchor(self) -> str:
        return f"src-{self.id}"


@dataclass(frozen=True)
class Heading:
    id: str
    title: str
    level: int


@dataclass(frozen=True)
class Guide:
    slug: str
    variant: Variant
    title: str
    short_title: str
    description: str
    updated: date
    sources: tuple[Source, ...]
    toc: tuple[Heading, ...]
    html: Markup
    version: str  # changes whenever the source, the glossary or the converter output changes


class Library:
    """All guides in all variants, keyed by slug."""

    def __init__(self, guides: dict[str, dict[str, Guide]]) -> None:
        self._guides = guides

    def get(self, slug: str, variant: Variant) -> Guide | None:
        return self._guides.get(slug, {}).get(variant.code)

    def all(self, variant: Variant) -> list[Guide]:
        return [by_variant[variant.code] for _, by_variant in sorted(self._guides.items())]

    @property
    def slugs(self) -> list[str]:
        return sorted(self._guides)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(attrs_block_plugin)

    def table_open(renderer: object, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # Wide tables scroll inside their own box on a 360 px screen instead of widening the page.
        return '<div class="table-wrap" tabindex="0">' + md.renderer.renderToken(tokens, idx, options, env)

    def table_close(renderer: object, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return md.renderer.renderToken(tokens, idx, options, env) + "</div>"

    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)
    return md


def _split_front_matter(text: str, path: Path) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ContentError(f"{path}: no front matter between --- lines")
    meta = yaml.safe_load(match.group(1))
    if not isinstance(meta, dict):
        raise ContentError(f"{path}: front matter is not a mapping")
    return meta, text[match.end() :]


def _sources(meta: dict, path: Path) -> tuple[Source, ...]:
    sources = []
    for raw in meta.get("sources") or []:
        source = Source(id=str(raw["id"]), title=str(raw["title"]), status=str(raw["status"]), url=raw.get("url"))
        if source.status not in CITABLE_STATUSES:
            raise ContentError(f"{path}: source {source.id} has status {source.status}; only V and V2 are cited")
        sources.append(source)
    ids = [s.id for s in sources]
    if len(set(ids)) != len(ids):
        raise ContentError(f"{path}: duplicate source ids")
    return tuple(sources)


def _check_tokens(tokens: list[Token], sources: tuple[Source, ...], path: Path) -> tuple[Heading, ...]:
    """Each heading has a stable ASCII id (same in both variants), each #link lands, each source is cited."""
    headings: list[Heading] = []
    targets: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            anchor = token.attrs.get("id")
            title = tokens[i + 1].content
            if not anchor or not _SLUG.match(str(anchor)):
                raise ContentError(f"{path}: heading {title!r} needs an id line such as {{#what-to-do}}")
            headings.append(Heading(id=str(anchor), title=title, level=int(token.tag[1])))
        for child in token.children or ():
            href = str(child.attrs.get("href", ""))
            if child.type == "link_open" and href.startswith("#"):
                targets.append(href[1:])
    known = {h.id for h in headings} | {s.anchor for s in sources}
    if len(known) != len(headings) + len(sources):
        raise ContentError(f"{path}: two headings or sources share an id")
    broken = sorted(set(targets) - known)
    if broken:
        raise ContentError(f"{path}: links to missing anchors {broken}")
    uncited = sorted({s.anchor for s in sources} - set(targets))
    if uncited:
        raise ContentError(f"{path}: sources listed but never cited {uncited}")
    return tuple(headings)


def load_guide(folder: Path, converter: Converter, variant: Variant, fingerprint: str) -> Guide:
    path = folder / GUIDE_FILE
    meta, body = _split_front_matter(path.read_text(encoding="utf-8"), path)
    for key in ("title", "description", "updated"):
        if key not in meta:
            raise ContentError(f"{path}: front matter lacks {key}")
    if not isinstance(meta["updated"], date):
        raise ContentError(f"{path}: updated must be an ISO date")

    def conv(text: str) -> str:
        return converter.convert(text, variant)

    sources = tuple(Source(id=s.id, title=conv(s.title), status=s.status, url=s.url) for s in _sources(meta, path))
    md = _markdown()
    tokens = md.parse(conv(body))
    toc = _check_tokens(tokens, sources, path)
    html = md.renderer.render(tokens, md.options, {})
    return Guide(
        slug=folder.name,
        variant=variant,
        title=conv(str(meta["title"])),
        short_title=conv(str(meta.get("short_title") or meta["title"])),
        description=conv(str(meta["description"])),
        updated=meta["updated"],
        sources=sources,
        toc=toc,
        html=Markup(html),  # markdown-it escapes the source (html disabled); the source is ours, not a user's
        version=fingerprint,
    )


def load_library(guides_dir: Path, converter: Converter, glossary_text: str) -> Library:
    guides: dict[str, dict[str, Guide]] = {}
    for folder in sorted(p for p in guides_dir.iterdir() if (p / GUIDE_FILE).is_file()):
        if not _SLUG.match(folder.name):
            raise ContentError(f"{folder}: a guide folder name is its URL slug: lowercase ASCII and hyphens")
        digest = hashlib.sha256((folder / GUIDE_FILE).read_bytes() + glossary_text.encode()).hexdigest()
        guides[folder.name] = {v.code: load_guide(folder, converter, v, digest[:16]) for v in VARIANTS.values()}
    if not guides:
        raise ContentError(f"{guides_dir}: no guides found")
    return Library(guides)
