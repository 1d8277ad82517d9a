"""Simplified -> Traditional conversion of our own text: OpenCC s2tw, a glossary, and inline markers.

`s2tw` converts characters only (Taiwan standard forms) and leaves vocabulary alone, which is what
mainland legal names need: 个人信息保护法 -> 個人信息保護法, where `s2twp` would write 個人資訊保護法,
a different name. The glossary in guides/glossary.yaml pins the few terms OpenCC gets wrong for our
text and protects names that must not change.

zh-Hant typography: “” and ‘’ quotes become 「」 and 『』 (zh-Hans keeps “” and ‘’), in guides, UI catalogs
and summary data alike, since they all pass through here.

Markers, MediaWiki style, for the rare passage that must differ:
  -{zh-hans:简体文字;zh-hant:繁體文字}-   each variant gets its own text, verbatim
  -{原样}-                                  kept as written in both variants
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import yaml

from webapp.variants import HANT, Variant

_MARKER = re.compile(r"-\{(.*?)\}-", re.DOTALL)
_CHOICE = re.compile(r"^\s*zh-hans\s*:(?P<hans>.*?);\s*zh-hant\s*:(?P<hant>.*?);?\s*$", re.DOTALL)
# Traditional Chinese typography uses corner brackets: “” -> 「」, and for a quote inside a quote ‘’ -> 『』.
HANT_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})


@dataclass(frozen=True)
class Glossary:
    overrides: dict[str, str] = field(default_factory=dict)  # simplified term -> its Traditional form
    protected: tuple[str, ...] = ()  # kept exactly as written
    allowed_in_hant: dict[str, str] = field(default_factory=dict)  # character -> why it is right in Traditional

    @classmethod
    def load(cls, path: Path) -> "Glossary":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(
            overrides={str(k): str(v) for k, v in (data.get("overrides") or {}).items()},
            protected=tuple(str(t) for t in data.get("protected") or ()),
            allowed_in_hant={str(k): str(v) for k, v in (data.get("allowed_in_hant") or {}).items()},
        )


class Converter:
    """Turns zh-Hans source text into the requested variant."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._opencc = opencc.OpenCC("s2tw")
        fixed = {**{t: t for t in glossary.protected}, **glossary.overrides}
        self._fixed = fixed
        # Longest first, so a pinned phrase wins over a shorter one inside it.
        terms = sorted(fixed, key=len, reverse=True)
        self._terms = re.compile("|".join(map(re.escape, terms))) if terms else None

    def convert(self, text: str, variant: Variant) -> str:
        out: list[str] = []
        pos = 0
        for marker in _MARKER.finditer(text):
            out.append(self._plain(text[pos : marker.start()], variant))
            out.append(self._marker(marker.group(1), variant))
            pos = marker.end()
        out.append(self._plain(text[pos:], variant))
        return "".join(out)

    def _marker(self, body: str, variant: Variant) -> str:
        choice = _CHOICE.match(body)
        if choice is None:
            return body
        return choice.group("hant" if variant == HANT else "hans")

    def _plain(self, text: str, variant: Variant) -> str:
        if variant != HANT or not text:
            return text
        out: list[str] = []
        pos = 0
        for term in self._terms.finditer(text) if self._terms else ():
            out.append(self._characters(text[pos : term.start()]))
            out.append(self._fixed[term.group(0)])
            pos = term.end()
        out.append(self._characters(text[pos:]))
        return "".join(out).translate(HANT_QUOTES)

    def _characters(self, text: str) -> str:
        converted: str = self._opencc.convert(text)
        return converted

    def simplified_leftovers(self, text: str) -> set[str]:
        """Characters in Traditional text that s2tw would still change, less the reviewed allowlist."""
        return {ch for ch in set(text) if ch not in self.glossary.allowed_in_hant and self._opencc.convert(ch) != ch}
