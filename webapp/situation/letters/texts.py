"""The letters' texts (guides/data/letters.yaml), loaded once and converted for each variant.

Every statement is a `text` with the `sources` it rests on, looked up in the sources registry in the variant's
script; an id the registry lacks stops start-up. Choices on a form (an objection's reasons, the channels a reader
allows, the records asked for) carry a `label` for the form and the `text` the letter says.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from webapp.conversion import Converter
from webapp.situation.letters.model import (
    AllowedChannel,
    LenderKind,
    LetterKind,
    ObjectionReason,
    RecordItem,
    ThirdParty,
)
from webapp.situation.model import Contact
from webapp.situation.rules import Rules, RulesError, SourceLookup, Statement
from webapp.sources import Source
from webapp.variants import VARIANTS, Variant

FILE_NAME = "letters.yaml"


@dataclass(frozen=True)
class Choice:
    key: str
    label: str  # on the form
    text: str  # in the letter
    sources: tuple[Source, ...]
    to: str = ""  # a recipient's or a body's name, where the choice decides who receives the letter


@dataclass(frozen=True)
class KindTexts:
    kind: LetterKind
    title: str
    when: str  # on the list of letters: whom it is for
    signer: str
    does: tuple[Statement, ...]  # what this letter does and does not do
    send: tuple[Statement, ...]  # how to send this one, before the common advice
    statements: dict[str, Statement]  # by dotted path: "paragraphs.intro", "warnings.deadline_passed"
    choices: dict[str, dict[str, Choice]]  # group ("reasons", "items", "bodies"...) -> key -> choice
    strings: dict[str, str]  # plain strings ("default_third_parties")

    def say(self, path: str) -> Statement:
        return self.statements[path]

    def paragraph(self, key: str) -> Statement:
        return self.statements[f"paragraphs.{key}"]


@dataclass(frozen=True)
class LetterTexts:
    """Every letter's texts in one variant's script."""

    version: date
    blank: str  # a line to fill in by hand
    date_label: str  # before the letter's date, under the signature
    send: tuple[Statement, ...]  # how to send any letter so you can prove it
    kinds: dict[LetterKind, KindTexts]
    lender_kinds: dict[LenderKind, str]

    def kind(self, kind: LetterKind) -> KindTexts:
        return self.kinds[kind]


@dataclass(frozen=True)
class Letters:
    by_variant: dict[str, LetterTexts]  # variant code -> texts

    def for_variant(self, variant: Variant) -> LetterTexts:
        return self.by_variant[variant.code]


# Which choices each kind must offer, one per value of its enum: a missing one stops start-up.
REQUIRED_CHOICES: dict[LetterKind, dict[str, set[str]]] = {
    LetterKind.PAYMENT_ORDER_OBJECTION: {"reasons": {r.value for r in ObjectionReason}},
    LetterKind.CONTACT_RESTRICTION: {
        "channels": {c.value for c in AllowedChannel},
        "third_parties": {t.value for t in ThirdParty},
    },
    LetterKind.COMPLAINT: {
        "bodies": {k.value for k in LenderKind} | {"credit_report"},
        "about": {"collection", "credit_report"},
    },
    LetterKind.CREDIT_DISPUTE: {"recipients": {"credit_center", "lender"}},
    LetterKind.RECORDS_REQUEST: {"items": {i.value for i in RecordItem}},
}


def _is_statement(node: object) -> bool:
    return isinstance(node, dict) and "text" in node and "sources" in node and "label" not in node and "to" not in node


def _is_choice(node: object) -> bool:
    return isinstance(node, dict) and ("label" in node or "to" in node)


def load_letters(data_dir: Path, lookup: SourceLookup, converter: Converter) -> Letters:
    path = data_dir / FILE_NAME
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw.get("version"), date):
        raise RulesError(f"{path}: version must be an ISO date")
    missing_kinds = {k.value for k in LetterKind} - set(raw["kinds"])
    if missing_kinds:
        raise RulesError(f"{path}: no texts for {sorted(missing_kinds)}")

    def for_variant(variant: Variant) -> LetterTexts:
        def conv(text: object) -> str:
            return converter.convert(str(text), variant)

        def cite(source_id: str) -> Source:
            try:
                return lookup(source_id, variant)
            except KeyError:
                raise RulesError(f"{path}: cites {source_id!r}, which no source has") from None

        def statement(key: str, node: dict[str, Any]) -> Statement:
            return Statement(id=key, text=conv(node["text"]), sources=tuple(cite(s) for s in node["sources"] or ()))

        def kind_texts(kind: LetterKind, node: dict[str, Any]) -> KindTexts:
            statements: dict[str, Statement] = {}
            choices: dict[str, dict[str, Choice]] = {}
            strings: dict[str, str] = {}

            def walk(value: object, where: str) -> None:
                if _is_statement(value):
                    assert isinstance(value, dict)
                    statements[where] = statement(where, value)
                elif _is_choice(value):
                    assert isinstance(value, dict)
                    group, _, key = where.rpartition(".")
                    answer = value.get("answer")
                    if answer is not None:
                        statements[f"{where}.answer"] = statement(f"{where}.answer", answer)
                    choices.setdefault(group, {})[key] = Choice(
                        key=key,
                        label=conv(value.get("label", "")),
                        text=conv(value.get("text", value.get("label", ""))),
                        sources=tuple(cite(s) for s in value.get("sources") or ()),
                        to=conv(value.get("to", "")),
                    )
                elif isinstance(value, dict):
                    for key, item in value.items():
                        walk(item, f"{where}.{key}" if where else str(key))
                elif isinstance(value, list):
                    for index, item in enumerate(value):
                        walk(item, f"{where}.{index}")
                else:
                    strings[where] = conv(value)

            walk({k: v for k, v in node.items() if k not in ("title", "when", "signer")}, "")
            for group, keys in REQUIRED_CHOICES.get(kind, {}).items():
                if lacking := keys - set(choices.get(group, {})):
                    raise RulesError(f"{path}: {kind.value} offers no {group} for {sorted(lacking)}")
            if kind == LetterKind.COMPLAINT:
                judged = {c.value for c in Contact} - set(choices.get("conduct", {}))
                if not judged <= {"phone", "sms", "app_message", "email"}:
                    raise RulesError(f"{path}: complaint states no rule for {sorted(judged)}")
            return KindTexts(
                kind=kind,
                title=conv(node["title"]),
                when=conv(node["when"]),
                signer=conv(node["signer"]),
                does=tuple(statements[k] for k in statements if k.startswith("does.")),
                send=tuple(statements[k] for k in statements if k.startswith("send.")),
                statements=statements,
                choices=choices,
                strings=strings,
            )

        common = raw["common"]
        return LetterTexts(
            version=raw["version"],
            blank=str(common["blank"]),
            date_label=conv(common["date_label"]),
            send=tuple(statement(f"common.send.{i}", s) for i, s in enumerate(common["send"])),
            kinds={kind: kind_texts(kind, raw["kinds"][kind.value]) for kind in LetterKind},
            lender_kinds={LenderKind(k): conv(v) for k, v in raw["lender_kinds"].items()},
        )

    letters = Letters(by_variant={v.code: for_variant(v) for v in VARIANTS.values()})
    if set(letters.for_variant(VARIANTS["zh-hans"]).lender_kinds) != set(LenderKind):
        raise RulesError(f"{path}: lender_kinds must name every kind of lender")
    return letters


def unknown_letter_kinds(rules: Rules) -> list[str]:
    """Letters the next steps link to that no kind declares (checked at start-up: a typo must not hide a link)."""
    named = {a.letter for texts in rules.texts.values() for a in texts.actions if a.letter}
    return sorted(named - {k.value for k in LetterKind})
