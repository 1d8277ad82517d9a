"""The dated data the assessment uses (guides/data/*.yaml), loaded once and converted for each variant.

The data cites sources by id; `lookup` finds each in the sources registry (in the variant's script), so a
data file can never cite a source the registry does not have.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from webapp.conversion import Converter
from webapp.sources import Source
from webapp.variants import VARIANTS, Variant

DATA_FILES = (
    "lpr.yaml",
    "stages.yaml",
    "channels.yaml",
    "contact_rules.yaml",
    "actions.yaml",
    "summary.yaml",
    "plan.yaml",
)
SourceLookup = Callable[[str, Variant], Source]


class RulesError(ValueError):
    """A data file in guides/data is malformed or cites a source that does not exist."""


@dataclass(frozen=True)
class LprRate:
    since: date  # the fixing from which this rate applied
    percent: Decimal


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
    short: str  # the rule in one line, beside each logged contact of this kind
    sources: tuple[Source, ...]
    channels: tuple[Channel, ...]


@dataclass(frozen=True)
class ActionText:
    id: str
    when: str  # the name of the condition under which this step applies (webapp/situation/assess.py)
    title: str
    why: str
    sources: tuple[Source, ...]
    guide: str | None = None  # the guide section that says more: "court-papers#is-it-real"
    letter: str | None = None  # the letter that fits this step: a kind of webapp/situation/letters/
    scope: str = "debt"  # "reader": about the reader as a whole, shown once above several debts


@dataclass(frozen=True)
class Statement:
    """One of the summary's fixed statements of law or of a rule, with the sources it comes from."""

    id: str
    text: str  # with {placeholders}
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class VariantTexts:
    channels: dict[str, Channel]
    contacts: dict[str, ContactRule]
    actions: tuple[ActionText, ...]  # in the order the summary shows them
    statements: dict[str, Statement]
    message_template: str
    plan_groups: dict[str, Statement]  # why a debt takes its place in a plan: one per PlanGroup
    plan_statements: dict[str, Statement]  # the plan's fixed statements (an empty source list: plain advice)


@dataclass(frozen=True)
class Rules:
    version: date  # when the data was last checked against the facts (guides/data/summary.yaml)
    lpr: tuple[LprRate, ...]
    lpr_checked_through: date  # the latest fixing confirmed; later dates assume no change
    lpr_in_force_through: date  # the last day that fixing is certainly in force (the day before the next can come)
    contract_date_rule_from: date  # contracts from this day: LPR at the contract date; before: the transition rule
    night_from: time  # a logged contact from this time...
    night_until: time  # ...or before this one is a night contact
    rate_check_above: Decimal  # a penalty rate per day (percent) above this is confirmed with the reader
    stage_buckets: tuple[tuple[str, int], ...]
    plan_long_months: int
    texts: dict[str, VariantTexts]  # variant code -> texts in that script
    sources: dict[str, dict[str, Source]]  # variant code -> every source the data cites, by id

    def for_variant(self, variant: Variant) -> VariantTexts:
        return self.texts[variant.code]

    def source(self, source_id: str, variant: Variant) -> Source:
        return self.sources[variant.code][source_id]


def load_rules(data_dir: Path, lookup: SourceLookup, converter: Converter) -> Rules:
    raw: dict[str, Any] = {name: yaml.safe_load((data_dir / name).read_text(encoding="utf-8")) for name in DATA_FILES}
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
                short=conv(c["short"]),
                sources=tuple(cite(s) for s in c["sources"]),
                channels=tuple(channels[ch] for ch in c["channels"]),
            )
            for key, c in raw["contact_rules.yaml"]["contacts"].items()
        }
        actions = tuple(
            ActionText(
                id=a["id"],
                when=a["when"],
                title=conv(a["title"]),
                why=conv(a["why"]),
                sources=tuple(cite(s) for s in a["sources"]),
                guide=a.get("guide"),
                letter=a.get("letter"),
                scope=a.get("scope", "debt"),
            )
            for a in raw["actions.yaml"]["actions"]
        )
        statements = {
            key: Statement(id=key, text=conv(st["text"]), sources=tuple(cite(s) for s in st["sources"]))
            for key, st in summary["statements"].items()
        }
        for key, st in statements.items():
            if not st.sources:
                raise RulesError(f"{data_dir / 'summary.yaml'}: statement {key!r} cites no source")
        plan = raw["plan.yaml"]
        plan_groups, plan_statements = (
            {
                key: Statement(id=key, text=conv(st["text"]), sources=tuple(cite(s) for s in st["sources"]))
                for key, st in part.items()
            }
            for part in (plan["groups"], plan["statements"])
        )
        for key, st in plan_groups.items():
            if not st.sources:
                raise RulesError(f"{data_dir / 'plan.yaml'}: group {key!r} cites no source")
        return VariantTexts(
            channels=channels,
            contacts=contacts,
            actions=actions,
            statements=statements,
            message_template=conv(raw["actions.yaml"]["message_template"]),
            plan_groups=plan_groups,
            plan_statements=plan_statements,
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
                    raise RulesError(f"{data_dir}: cites {source_id!r}, which no source has") from None
            return cited[source_id]

        texts_by_variant[variant.code] = texts(variant, cite)
        cite(lpr["source"])
        sources[variant.code] = cited

    rates = tuple(
        LprRate(since=r["from"], percent=Decimal(r["percent"])) for r in sorted(lpr["rates"], key=lambda r: r["from"])
    )
    if not isinstance(summary["version"], date) or not isinstance(lpr["checked_through"], date):
        raise RulesError(f"{data_dir}: version and checked_through must be ISO dates")
    if lpr["checked_through"] < rates[-1].since:
        raise RulesError(f"{data_dir / 'lpr.yaml'}: checked_through is before the last listed change")
    in_force_through = lpr.get("in_force_through", lpr["checked_through"])
    if not isinstance(in_force_through, date) or in_force_through < lpr["checked_through"]:
        raise RulesError(f"{data_dir / 'lpr.yaml'}: in_force_through must be an ISO date on or after checked_through")
    return Rules(
        version=summary["version"],
        lpr=rates,
        lpr_checked_through=lpr["checked_through"],
        lpr_in_force_through=in_force_through,
        contract_date_rule_from=lpr["contract_date_rule_from"],
        night_from=time.fromisoformat(raw["contact_rules.yaml"]["night"]["from"]),
        night_until=time.fromisoformat(raw["contact_rules.yaml"]["night"]["until"]),
        rate_check_above=Decimal(str(stages["rate_check_above_daily_percent"])),
        stage_buckets=tuple((b["stage"], int(b["through_day"])) for b in stages["buckets"]),
        plan_long_months=int(stages.get("plan_long_months", 36)),
        texts=texts_by_variant,
        sources=sources,
    )
