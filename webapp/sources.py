"""The sources registry: every law, rule or report the guides and the situation summary cite, listed once.

guides/sources.yaml maps a source id to its title (zh-Hans), official URL, status and the date its facts were
checked. Guides list the ids they cite; the summary looks sources up by id. Only V (read in the text) and V2 (read
in an official or press copy) sources exist here: an unconfirmed fact is never cited as law, so the registry
refuses any other status.
"""

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from webapp.conversion import Converter
from webapp.variants import VARIANTS, Variant

CITABLE_STATUSES = frozenset({"V", "V2"})
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REQUIRED = ("title", "status", "checked")
_KEYS = frozenset({*_REQUIRED, "url", "note"})


class SourceError(ValueError):
    """A registry that must not be served: the message names the file, the source and what is wrong."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    status: str  # V: read in the legal text; V2: read in an official or press copy
    url: str | None
    checked: date  # when the fact sheet behind this source was checked
    note: str | None = None  # e.g. the wording was read in an unofficial full text

    @property
    def anchor(self) -> str:
        return f"src-{self.id}"


class SourceRegistry:
    """The registry's sources by id, each converted once for each variant."""

    def __init__(self, by_variant: dict[str, dict[str, Source]], ids: tuple[str, ...]) -> None:
        self._by_variant = by_variant
        self._ids = ids

    @property
    def ids(self) -> tuple[str, ...]:
        return self._ids

    def get(self, source_id: str, variant: Variant) -> Source:
        try:
            return self._by_variant[variant.code][source_id]
        except KeyError:
            raise KeyError(f"unknown source id {source_id!r}: it is not in guides/sources.yaml") from None

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._ids


def _source(source_id: object, raw: object, path: Path) -> Source:
    if not isinstance(source_id, str) or not _ID.match(source_id):
        raise SourceError(f"{path}: source id {source_id!r} must be lowercase ASCII letters, digits and hyphens")
    if not isinstance(raw, dict):
        raise SourceError(f"{path}: source {source_id} must be a mapping of title, url, status, checked, note")
    missing = [key for key in _REQUIRED if not raw.get(key)]
    if missing:
        raise SourceError(f"{path}: source {source_id} lacks {', '.join(missing)}")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise SourceError(f"{path}: source {source_id} has unknown keys {unknown}")
    status = str(raw["status"])
    if status not in CITABLE_STATUSES:
        raise SourceError(f"{path}: source {source_id} has status {status}; only V and V2 are cited")
    if not isinstance(raw["checked"], date):
        raise SourceError(f"{path}: source {source_id}: checked must be an ISO date")
    url = raw.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith("https://")):
        raise SourceError(f"{path}: source {source_id}: url must be an https:// address")
    note = raw.get("note")
    return Source(
        id=source_id,
        title=str(raw["title"]),
        status=status,
        url=url,
        checked=raw["checked"],
        note=str(note) if note else None,
    )


def load_sources(path: Path, converter: Converter) -> SourceRegistry:
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data:
        raise SourceError(f"{path}: the registry must map source ids to sources")
    sources = [_source(source_id, raw, path) for source_id, raw in data.items()]
    by_variant = {
        variant.code: {
            s.id: replace(
                s,
                title=converter.convert(s.title, variant),
                note=converter.convert(s.note, variant) if s.note else None,
            )
            for s in sources
        }
        for variant in VARIANTS.values()
    }
    return SourceRegistry(by_variant, tuple(s.id for s in sources))
