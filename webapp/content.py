"""Load the guides: zh-Hans Markdown with front matter -> checked, converted, rendered HTML for each variant.

Everything here runs once at start-up; requests only look the result up.
"""

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup
from mdit_py_plugins.attrs import attrs_block_plugin

from webapp.conversion import Converter
from webapp.situation.assess import guide_ref
from webapp.situation.letters.model import LetterKind
from webapp.situation.rules import Rules
from webapp.sources import Source, SourceError, SourceRegistry, load_sources
from webapp.variants import HANS, VARIANTS, Variant

GUIDE_FILE = "guide.md"
SOURCES_FILE = "sources.yaml"
FORM_LINK = "../situation"  # from /<v>/guides/<slug>: the situation form, in the same variant
# From /<v>/guides/<slug>: a letter's form, in the same variant (`../letters/payment-order-objection`).
LETTER_LINKS = frozenset(f"../letters/{kind.value}" for kind in LetterKind)
SITUATIONS_FILE = "situations.yaml"  # the home page's ways in, by the reader's situation
HOTLINES_FILE = Path("data") / "hotlines.yaml"  # numbers linked as tel: wherever they are written
CHANNELS_FILE = Path("data") / "channels.yaml"  # where to complain: a name that opens with a number is a hotline
_NUMBER = re.compile(r"^[0-9]{3,11}$")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A link to another guide is relative: `court-papers#summons` resolves from /<variant>/guides/<slug>.
_GUIDE_LINK = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?:#(?P<section>[a-z0-9]+(?:-[a-z0-9]+)*))?$")


class ContentError(ValueError):
    """A guide that must not be served: the message says which file and what is wrong."""


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
    audience: str  # who it is written for, in a phrase: shown on the home page and the PDF's cover
    updated: date
    sources: tuple[Source, ...]  # in the order the front matter lists them, titles in this variant
    toc: tuple[Heading, ...]
    html: Markup
    version: str  # changes whenever the guide, the sources registry, the glossary or the converter output changes
    guide_links: tuple[str, ...] = ()  # links to other guides, as written: `court-papers#summons`


@dataclass(frozen=True)
class Situation:
    """A way into the library, in the reader's words: "I got a court text" -> the guide section that answers it."""

    question: str
    slug: str
    section: str | None  # a heading id, or None for the guide's top


@dataclass(frozen=True)
class Hotline:
    number: str
    name: str  # in the variant's script: "12356 心理援助热线"
    source: Source


@dataclass(frozen=True)
class Hotlines:
    """The numbers a reader may call: each written number becomes a tel: link, in guides and in the summary."""

    numbers: tuple[str, ...]  # every number to link: hotlines.yaml's and those opening a channel's name
    lines: dict[str, tuple[Hotline, ...]]  # variant code -> the named hotlines, in the data's order
    crisis: tuple[str, ...]  # the home page's "I can't hold on" path, in this order

    def pattern(self) -> re.Pattern[str]:
        return hotline_pattern(self.numbers)

    def named(self, variant: Variant, numbers: tuple[str, ...]) -> list[Hotline]:
        by_number = {line.number: line for line in self.lines.get(variant.code, ())}
        return [by_number[n] for n in numbers if n in by_number]


@functools.cache
def hotline_pattern(numbers: tuple[str, ...]) -> re.Pattern[str]:
    """A number as a whole: not inside a longer number, an article (第110条), an amount or a date."""
    alternatives = "|".join(sorted(numbers, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?<![0-9A-Za-z.#&第¥])({alternatives})(?![0-9.%条元万号天年月日])")


def link_hotlines(text: str, pattern: re.Pattern[str]) -> Markup:
    """Plain text as HTML, each hotline number in it a tel: link."""
    parts = pattern.split(text)  # text, number, text, number, ..., text
    return Markup("").join(
        Markup('<a class="tel" href="tel:{0}">{0}</a>').format(part) if i % 2 else Markup.escape(part)
        for i, part in enumerate(parts)
    )


def load_hotlines(guides_dir: Path, registry: SourceRegistry, converter: Converter) -> Hotlines:
    path = guides_dir / HOTLINES_FILE
    if not path.is_file():
        return Hotlines((), {}, ())
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = raw.get("hotlines") or []
    for entry in entries:
        if not _NUMBER.match(str(entry.get("number"))) or not entry.get("name"):
            raise ContentError(f"{path}: each hotline needs a number (digits only, quoted) and a name: {entry!r}")
        if entry.get("source") not in registry:
            raise ContentError(f"{path}: hotline {entry['number']} cites no source of {SOURCES_FILE}")
    numbers = [str(e["number"]) for e in entries]
    channels_path = guides_dir / CHANNELS_FILE
    if channels_path.is_file():
        channels = (yaml.safe_load(channels_path.read_text(encoding="utf-8")) or {}).get("channels") or {}
        for channel in channels.values():
            leading = re.match(r"[0-9]{3,11}(?![0-9])", str(channel.get("name", "")))
            if leading and leading[0] not in numbers:
                numbers.append(leading[0])
    crisis = tuple(str(n) for n in raw.get("crisis") or ())
    if unknown := [n for n in crisis if n not in numbers]:
        raise ContentError(f"{path}: crisis names numbers that are not hotlines: {unknown}")
    lines = {
        v.code: tuple(
            Hotline(str(e["number"]), converter.convert(str(e["name"]), v), registry.get(str(e["source"]), v))
            for e in entries
        )
        for v in VARIANTS.values()
    }
    return Hotlines(tuple(numbers), lines, crisis)


class Library:
    """All guides in all variants, keyed by slug, the sources registry they cite, the home page's situations and
    the hotlines."""

    def __init__(
        self,
        guides: dict[str, dict[str, Guide]],
        sources: SourceRegistry,
        situations: dict[str, tuple[Situation, ...]] | None = None,
        hotlines: Hotlines | None = None,
    ) -> None:
        self._guides = guides
        self.sources = sources
        self._situations = situations or {}
        self.hotlines = hotlines or Hotlines((), {}, ())

    def situations(self, variant: Variant) -> tuple[Situation, ...]:
        return self._situations.get(variant.code, ())

    def get(self, slug: str, variant: Variant) -> Guide | None:
        return self._guides.get(slug, {}).get(variant.code)

    def all(self, variant: Variant) -> list[Guide]:
        return [by_variant[variant.code] for _, by_variant in sorted(self._guides.items())]

    @property
    def slugs(self) -> list[str]:
        return sorted(self._guides)

    def missing(self, slug: str, section: str | None) -> str | None:
        return missing_target(self._guides, slug, section)


def missing_target(guides: dict[str, dict[str, Guide]], slug: str, section: str | None) -> str | None:
    """What a link to `slug#section` (or to a guide's top) lacks: "guide", "section", or None when it lands."""
    target = guides.get(slug, {}).get(HANS.code)
    if target is None:
        return "guide"
    if section and section not in {heading.id for heading in target.toc}:
        return "section"
    return None


def _markdown(hotlines: re.Pattern[str] | None = None) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(attrs_block_plugin)

    # markdown-it binds each rule to the renderer, which comes in first.
    def table_open(renderer: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # A box for the table; below ~480 px site.css turns its rows into cards (see _label_cells).
        return '<div class="table-wrap">' + renderer.renderToken(tokens, idx, options, env)

    def table_close(renderer: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return renderer.renderToken(tokens, idx, options, env) + "</div>"

    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)
    md.core.ruler.push("cell_labels", _label_cells)
    if hotlines is not None:
        md.core.ruler.push("tel_links", lambda state: _tel_links(state, hotlines))
    return md


def _tel_links(state: StateCore, pattern: re.Pattern[str]) -> None:
    """Each hotline number written in the text becomes a tel: link (one tap to call), except inside a link."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_link = 0
        for child in block.children:
            in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
            if child.type != "text" or in_link or not pattern.search(child.content):
                children.append(child)
                continue
            for i, part in enumerate(pattern.split(child.content)):
                if not i % 2:
                    if part:
                        children.append(_text(part, child))
                    continue
                link = Token("link_open", "a", 1, attrs={"href": f"tel:{part}", "class": "tel"}, level=child.level)
                children += [link, _text(part, child), Token("link_close", "a", -1, level=child.level)]
        block.children = children


def _text(content: str, like: Token) -> Token:
    return Token("text", "", 0, content=content, level=like.level)


def _plain(token: Token) -> str:
    return "".join(child.content for child in token.children or () if child.type in ("text", "code_inline"))


def _label_cells(state: StateCore) -> None:
    """Give each body cell its column's header as `data-label`: below ~480 px a table reflows into one card per row,
    and each cell shows what it is (site.css), so no cell hides behind a sideways scroll."""
    headers: list[str] = []
    column = 0
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "thead_open":
            headers = []
        elif token.type == "th_open":
            headers.append(_plain(tokens[i + 1]))
        elif token.type == "tr_open":
            column = 0
        elif token.type == "td_open":
            if column < len(headers) and headers[column]:
                token.attrSet("data-label", headers[column])
            column += 1


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ContentError(f"{path}: no front matter between --- lines")
    meta = yaml.safe_load(match.group(1))
    if not isinstance(meta, dict):
        raise ContentError(f"{path}: front matter is not a mapping")
    return meta, text[match.end() :]


def _source_ids(meta: dict[str, Any], registry: SourceRegistry, path: Path) -> tuple[str, ...]:
    """The ids the guide cites, in the order its sources list shows them; each must be in the registry."""
    raw = meta.get("sources") or []
    if not isinstance(raw, list) or not all(isinstance(i, str) for i in raw):
        raise ContentError(f"{path}: sources must be a list of ids from {SOURCES_FILE}, such as [civil-code, lpr]")
    unknown = [i for i in raw if i not in registry]
    if unknown:
        raise ContentError(f"{path}: unknown source ids {unknown}: add them to guides/{SOURCES_FILE} first")
    if len(set(raw)) != len(raw):
        raise ContentError(f"{path}: duplicate source ids")
    return tuple(raw)


def _check_tokens(
    tokens: list[Token], sources: tuple[Source, ...], path: Path
) -> tuple[tuple[Heading, ...], tuple[str, ...]]:
    """Each heading has a stable ASCII id (same in both variants), each #link lands, each source is cited.

    Returns the headings and the links to other guides (checked once every guide is loaded).
    """
    headings: list[Heading] = []
    targets: list[str] = []
    guide_links: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            anchor = token.attrs.get("id")
            title = tokens[i + 1].content
            if not anchor or not _SLUG.match(str(anchor)):
                raise ContentError(f"{path}: heading {title!r} needs an id line such as {{#what-to-do}}")
            headings.append(Heading(id=str(anchor), title=title, level=int(token.tag[1])))
        for child in token.children or ():
            if child.type != "link_open":
                continue
            href = str(child.attrs.get("href", ""))
            if href.startswith("#"):
                targets.append(href[1:])
            elif _GUIDE_LINK.match(href):
                guide_links.append(href)
            elif (
                not href.startswith("https://")
                and href != FORM_LINK
                and href not in LETTER_LINKS
                and child.attrs.get("class") != "tel"
            ):
                kinds = ", ".join(sorted(k.value for k in LetterKind))
                raise ContentError(
                    f"{path}: link {href!r}: write #section, other-guide#section, {FORM_LINK},"
                    f" ../letters/<kind> (one of {kinds}) or an https:// address"
                )
    known = {h.id for h in headings} | {s.anchor for s in sources}
    if len(known) != len(headings) + len(sources):
        raise ContentError(f"{path}: two headings or sources share an id")
    broken = sorted(set(targets) - known)
    if broken:
        raise ContentError(f"{path}: links to missing anchors {broken}")
    uncited = sorted({s.anchor for s in sources} - set(targets))
    if uncited:
        raise ContentError(f"{path}: sources listed but never cited {uncited}")
    return tuple(headings), tuple(guide_links)


def load_guide(
    folder: Path,
    converter: Converter,
    variant: Variant,
    fingerprint: str,
    registry: SourceRegistry,
    hotlines: Hotlines | None = None,
) -> Guide:
    path = folder / GUIDE_FILE
    meta, body = _split_front_matter(path.read_text(encoding="utf-8"), path)
    for key in ("title", "description", "audience", "updated"):
        if key not in meta:
            raise ContentError(f"{path}: front matter lacks {key}")
    if not isinstance(meta["updated"], date):
        raise ContentError(f"{path}: updated must be an ISO date")

    def conv(text: str) -> str:
        return converter.convert(text, variant)

    sources = tuple(registry.get(i, variant) for i in _source_ids(meta, registry, path))
    md = _markdown(hotlines.pattern() if hotlines else None)
    tokens = md.parse(conv(body))
    toc, guide_links = _check_tokens(tokens, sources, path)
    html = md.renderer.render(tokens, md.options, {})
    return Guide(
        slug=folder.name,
        variant=variant,
        title=conv(str(meta["title"])),
        short_title=conv(str(meta.get("short_title") or meta["title"])),
        description=conv(str(meta["description"])),
        audience=conv(str(meta["audience"])),
        updated=meta["updated"],
        sources=sources,
        toc=toc,
        html=Markup(html),  # markdown-it escapes the source (html disabled); the source is ours, not a user's
        version=fingerprint,
        guide_links=guide_links,
    )


def _check_guide_links(guides: dict[str, dict[str, Guide]], guides_dir: Path) -> None:
    """Every `other-slug#section` link names a guide that exists and a section it has."""
    for slug, by_variant in guides.items():
        for href in by_variant[HANS.code].guide_links:
            match = _GUIDE_LINK.match(href)
            assert match is not None  # only matching links are collected
            missing = missing_target(guides, match["slug"], match["section"])
            if missing == "guide":
                raise ContentError(f"{guides_dir / slug / GUIDE_FILE}: link {href!r} names no guide")
            if missing == "section":
                raise ContentError(f"{guides_dir / slug / GUIDE_FILE}: link {href!r} names no section of that guide")


def _load_situations(
    guides_dir: Path, guides: dict[str, dict[str, Guide]], converter: Converter
) -> dict[str, tuple[Situation, ...]]:
    path = guides_dir / SITUATIONS_FILE
    if not path.is_file():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for entry in raw:
        missing = missing_target(guides, str(entry.get("guide")), entry.get("section"))
        if missing == "guide":
            raise ContentError(f"{path}: {entry.get('question')!r} names no guide")
        if missing == "section":
            raise ContentError(f"{path}: {entry.get('question')!r} names no section of {entry['guide']}")
    return {
        v.code: tuple(
            Situation(question=converter.convert(str(e["question"]), v), slug=e["guide"], section=e.get("section"))
            for e in raw
        )
        for v in VARIANTS.values()
    }


def load_library(guides_dir: Path, converter: Converter, glossary_text: str) -> Library:
    sources_path = guides_dir / SOURCES_FILE
    if not sources_path.is_file():
        raise ContentError(f"{sources_path}: the sources registry is missing")
    try:
        registry = load_sources(sources_path, converter)
    except SourceError as error:
        raise ContentError(str(error)) from error
    hotlines = load_hotlines(guides_dir, registry, converter)
    shared = glossary_text.encode() + sources_path.read_bytes() + repr(hotlines.numbers).encode()
    guides: dict[str, dict[str, Guide]] = {}
    for folder in sorted(p for p in guides_dir.iterdir() if (p / GUIDE_FILE).is_file()):
        if not _SLUG.match(folder.name):
            raise ContentError(f"{folder}: a guide folder name is its URL slug: lowercase ASCII and hyphens")
        digest = hashlib.sha256((folder / GUIDE_FILE).read_bytes() + shared).hexdigest()
        guides[folder.name] = {
            v.code: load_guide(folder, converter, v, digest[:16], registry, hotlines) for v in VARIANTS.values()
        }
    if not guides:
        raise ContentError(f"{guides_dir}: no guides found")
    _check_guide_links(guides, guides_dir)
    return Library(guides, registry, _load_situations(guides_dir, guides, converter), hotlines)


def check_step_links(rules: Rules, library: Library, data_dir: Path) -> None:
    """Every next step that links to a guide names a guide and a section that exist."""
    for step in rules.for_variant(HANS).actions:
        ref = guide_ref(step.guide or None)
        if ref is not None and library.missing(ref.slug, ref.section):
            raise ContentError(f"{data_dir}: next step {step.id} links to {step.guide!r}: no such section")
