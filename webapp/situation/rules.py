"""The dated data the assessment uses (guides/data/*.yaml), loaded once and converted for each variant.

The data cites sources by id; `lookup` finds each in the sources registry (in the variant's script), so a
data file can never cite a source the registry does not have.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from webapp.content import ContentError
from webapp.conversion import Converter
from webapp.sources import Source
from webapp.variants import VARIANTS, Variant

DATA_FILES = ("lpr.yaml", "stages.yaml", "channels.yaml", "contact_rules.yaml", "actions.yaml", "summary.yaml")
SourceLookup = Callable[[str, Variant], Source]


@dataclass(frozen=True)
class LprRate:
    since: date
    percent: Decimal
    checked: bool


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    when: str
    source: Source


@dataclass(frozen=True)
class ContactRule:
    level: str  # normal | restricted | unlawful
    label: str
    rule: str
    sources: tuple[Source, ...]
    channels: tuple[Channel, ...]


@dataclass(frozen=True)
class ActionText:
    id: str
    when: str  # the name of the condition under which this step applies (webapp/situation/assess.py)
    title: str
    why: str


@dataclass(frozen=True)
class VariantTexts:
    channels: dict[str, Channel]
    contacts: dict[str, ContactRule]
    actions: tuple[ActionText, ...]  # in the order the summary shows them
    message_template: str


@dataclass(frozen=True)
class Rules:
    version: str
    lpr: tuple[LprRate, ...]
    lpr_source: str
    lpr_checked_through: date
    stage_buckets: tuple[tuple[str, int], ...]
    plan_long_months: int
    summary_sources_first: tuple[str, ...]  # cited by the summary's fixed paragraphs
    summary_sources_last: tuple[str, ...]  # cited by its complaint section
    texts: dict[str, VariantTexts]  # variant code -> texts in that script
    sources: dict[str, dict[str, Source]]  # variant code -> every source the data cites, by id

    def for_variant(self, variant: Variant) -> VariantTexts:
        return self.texts[variant.code]

    def source(self, source_id: str, variant: Variant) -> Source:
        return self.sources[variant.code][source_id]


def load_rules(data_dir: Path, lookup: SourceLookup, converter: Converter) -> Rules:
    raw: dict[str, Any] = {name: yaml.safe_load((data_dir / name).read_text(encoding="utf-8")) for name in DATA_FILES}
    digest = hashlib.sha256(b"".join((data_dir / name).read_bytes() for name in DATA_FILES)).hexdigest()
    lpr = raw["lpr.yaml"]
    stages = raw["stages.yaml"]
    summary = raw["summary.yaml"]

    def texts(variant: Variant, cite: Callable[[str], Source]) -> VariantTexts:
        def conv(text: str) -> str:
            return converter.convert(str(text), variant)

        channels = {
            key: Channel(id=key, name=conv(c["name"]), when=conv(c["when"]), source=cite(c["source"]))
            for key, c in raw["channels.yaml"]["channels"].items()
        }
        contacts = {
            key: ContactRule(
                level=c["level"],
                label=conv(c["label"]),
                rule=conv(c["rule"]),
                sources=tuple(cite(s) for s in c["sources"]),
                channels=tuple(channels[ch] for ch in c["channels"]),
            )
            for key, c in raw["contact_rules.yaml"]["contacts"].items()
        }
        actions = tuple(
            ActionText(id=a["id"], when=a["when"], title=conv(a["title"]), why=conv(a["why"]))
            for a in raw["actions.yaml"]["actions"]
        )
        return VariantTexts(
            channels=channels,
            contacts=contacts,
            actions=actions,
            message_template=conv(raw["actions.yaml"]["message_template"]),
        )

    texts_by_variant: dict[str, VariantTexts] = {}
    sources: dict[str, dict[str, Source]] = {}
    for variant in VARIANTS.values():
        cited: dict[str, Source] = {}

        def cite(source_id: str, variant: Variant = variant, cited: dict[str, Source] = cited) -> Source:
            if source_id not in cited:
                try:
                    cited[source_id] = lookup(source_id, variant)
                except KeyError:
                    raise ContentError(f"{data_dir}: cites {source_id!r}, which no source has") from None
            return cited[source_id]

        texts_by_variant[variant.code] = texts(variant, cite)
        for source_id in (*summary["sources_first"], *summary["sources_last"]):
            cite(source_id)
        sources[variant.code] = cited

    return Rules(
        version=digest[:12],
        lpr=tuple(
            LprRate(since=r["from"], percent=Decimal(r["percent"]), checked=bool(r["checked"]))
            for r in sorted(lpr["rates"], key=lambda r: r["from"])
        ),
        lpr_source=lpr["source"],
        lpr_checked_through=lpr["checked_through"],
        stage_buckets=tuple((b["stage"], int(b["through_day"])) for b in stages["buckets"]),
        plan_long_months=int(stages.get("plan_long_months", 36)),
        summary_sources_first=tuple(summary["sources_first"]),
        summary_sources_last=tuple(summary["sources_last"]),
        texts=texts_by_variant,
        sources=sources,
    )
