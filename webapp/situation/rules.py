"""The dated data the assessment uses (guides/data/*.yaml), loaded once and converted for each variant."""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from webapp.content import Source
from webapp.conversion import Converter
from webapp.variants import VARIANTS, Variant

DATA_FILES = ("lpr.yaml", "stages.yaml", "channels.yaml", "contact_rules.yaml", "actions.yaml")


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
    title: str
    why: str


@dataclass(frozen=True)
class VariantTexts:
    channels: dict[str, Channel]
    contacts: dict[str, ContactRule]
    actions: dict[str, ActionText]
    message_template: str


@dataclass(frozen=True)
class Rules:
    version: str
    lpr: tuple[LprRate, ...]
    lpr_source: str
    lpr_checked_through: date
    stage_buckets: tuple[tuple[str, int], ...]
    plan_long_months: int
    texts: dict[str, VariantTexts]  # variant code -> texts in that script

    def for_variant(self, variant: Variant) -> VariantTexts:
        return self.texts[variant.code]


def load_rules(data_dir: Path, sources: dict[str, dict[str, Source]], converter: Converter) -> Rules:
    """`sources`: variant code -> the guide's sources by id (rules cite the guide's sources, never new ones)."""
    raw = {name: yaml.safe_load((data_dir / name).read_text(encoding="utf-8")) for name in DATA_FILES}
    digest = hashlib.sha256(b"".join((data_dir / name).read_bytes() for name in DATA_FILES)).hexdigest()
    lpr = raw["lpr.yaml"]
    stages = raw["stages.yaml"]

    def texts(variant: Variant) -> VariantTexts:
        def conv(text: str) -> str:
            return converter.convert(str(text), variant)

        cited = sources[variant.code]
        channels = {
            key: Channel(id=key, name=conv(c["name"]), when=conv(c["when"]), source=cited[c["source"]])
            for key, c in raw["channels.yaml"]["channels"].items()
        }
        contacts = {
            key: ContactRule(
                level=c["level"],
                label=conv(c["label"]),
                rule=conv(c["rule"]),
                sources=tuple(cited[s] for s in c["sources"]),
                channels=tuple(channels[ch] for ch in c["channels"]),
            )
            for key, c in raw["contact_rules.yaml"]["contacts"].items()
        }
        actions = {
            key: ActionText(title=conv(a["title"]), why=conv(a["why"]))
            for key, a in raw["actions.yaml"]["actions"].items()
        }
        return VariantTexts(
            channels=channels,
            contacts=contacts,
            actions=actions,
            message_template=conv(raw["actions.yaml"]["message_template"]),
        )

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
        texts={v.code: texts(v) for v in VARIANTS.values()},
    )
