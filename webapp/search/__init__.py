"""Search across every guide, in both scripts (docs/decisions/0013-offline-search.md).

The index is the guides' own sections, read once at start-up from the rendered pages: each heading with an id and
the text under it, in both variants. A query in either script finds a section when each of its words appears in
the section's text in either script, so 征信 and 徵信 find the same places; the hit is shown in the reader's
script and links to its section (guide#anchor). Offline, static/js/search.js does the same in the page, reading
the sections from the guide pages the service worker has already stored: no second copy of the text to download.
"""

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from webapp.content import Library
from webapp.variants import VARIANTS, Variant

MAX_QUERY = 50  # characters: longer queries are cut, never refused
MAX_HITS = 30
SNIPPET = 28  # characters of context on each side of the first match


@dataclass(frozen=True)
class Section:
    slug: str
    anchor: str  # the heading's id, the same in both variants; "" for the text before the first heading
    guide_title: str
    heading: str
    text: str  # the heading and the text under it, white space collapsed


@dataclass(frozen=True)
class Hit:
    slug: str
    anchor: str
    guide_title: str
    heading: str
    before: str  # the snippet: text before the match, the match, text after it
    match: str
    after: str


class _Sections(HTMLParser):
    """A guide's rendered body cut at each h2 and h3 that has an id."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[tuple[str, list[str], list[str]]] = [("", [], [])]  # (anchor, heading text, text)
        self.in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        anchor = dict(attrs).get("id")
        if tag in ("h2", "h3") and anchor:
            self.parts.append((anchor, [], []))
            self.in_heading = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3"):
            self.in_heading = False

    def handle_data(self, data: str) -> None:
        _, heading, text = self.parts[-1]
        if self.in_heading:
            heading.append(data)
        text.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sections_of(html: str, slug: str, guide_title: str) -> list[Section]:
    parser = _Sections()
    parser.feed(html)
    return [
        Section(slug, anchor, guide_title, _squash("".join(heading)) or guide_title, _squash("".join(text)))
        for anchor, heading, text in parser.parts
        if _squash("".join(text))
    ]


def normalize(query: str) -> list[str]:
    """The words of a query: full-width letters and digits made plain (NFKC), split on white space."""
    return unicodedata.normalize("NFKC", query)[:MAX_QUERY].lower().split()


class SearchIndex:
    """Every section of every guide, by variant, in the same order in both (the same headings, the same ids)."""

    def __init__(self, sections: dict[str, list[Section]]) -> None:
        self.sections = sections

    def search(self, query: str, variant: Variant) -> list[Hit]:
        words = normalize(query)
        if not words:
            return []
        shown = self.sections[variant.code]
        others = [self.sections[v.code] for v in VARIANTS.values() if v != variant]
        scored: list[tuple[int, int, Hit]] = []
        for order, section in enumerate(shown):
            versions = [section, *(other[order] for other in others)]
            texts = [v.text.lower() for v in versions]
            if not all(any(word in text for text in texts) for word in words):
                continue
            # Each word counts in the script that has it, so a query scores the same in either script.
            score = sum(
                max(v.text.lower().count(word) + (10 if word in v.heading.lower() else 0) for v in versions)
                for word in words
            )
            scored.append((-score, order, self._hit(section, texts, words[0])))
        return [hit for _, _, hit in sorted(scored, key=lambda item: item[:2])[:MAX_HITS]]

    @staticmethod
    def _hit(section: Section, texts: list[str], word: str) -> Hit:
        # Where the word is, in whichever script has it; the scripts are converted character for character almost
        # everywhere, so the same place in the reader's script holds the same words.
        at = next(text.find(word) for text in texts if word in text)
        text = section.text
        end = min(at + len(word), len(text))
        start = max(at - SNIPPET, 0)
        return Hit(
            slug=section.slug,
            anchor=section.anchor,
            guide_title=section.guide_title,
            heading=section.heading,
            before=("…" if start else "") + text[start:at],
            match=text[at:end],
            after=text[end : end + SNIPPET] + ("…" if end + SNIPPET < len(text) else ""),
        )


def build_index(library: Library) -> SearchIndex:
    sections: dict[str, list[Section]] = {}
    for variant in VARIANTS.values():
        sections[variant.code] = [
            section for guide in library.all(variant) for section in sections_of(guide.html, guide.slug, guide.title)
        ]
    counts = {code: [(s.slug, s.anchor) for s in found] for code, found in sections.items()}
    if len({tuple(keys) for keys in counts.values()}) != 1:
        raise ValueError("the guides' sections differ between the variants: headings and ids must be the same")
    return SearchIndex(sections)
