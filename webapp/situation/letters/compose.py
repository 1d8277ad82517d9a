"""A letter from its answers: who receives it, its paragraphs (each with the sources of what it says about law),
what it does and does not do, how to send it, its deadline and its warnings; and the same letter as plain text.

Pure: dates and amounts are formatted by the callables passed in, `today` is an argument, and the contact rules
(which logged contacts broke a rule) are the assessment's own (webapp/situation/assess.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from datetime import date as Date

from webapp.situation.assess import MoneyFormatter, log_kinds, plain_money
from webapp.situation.letters.model import (
    LICENSED_KINDS,
    AllowedChannel,
    Complaint,
    ContactRestriction,
    CreditDispute,
    LenderKind,
    LetterBase,
    LetterKind,
    ObjectionReason,
    PaymentOrderObjection,
    RecordItem,
    RecordsRequest,
    RepaymentProposal,
    ThirdParty,
    letter_date,
)
from webapp.situation.letters.texts import KindTexts, LetterTexts
from webapp.situation.model import Contact
from webapp.situation.rules import Rules, Statement
from webapp.sources import Source
from webapp.variants import VARIANTS

DateFormatter = Callable[[date], str]
OBJECTION_DAYS = 15  # CPL Art. 227: within 15 days of receiving the order
NUMERALS = "一二三四五六七八九十"
ARABIC_LIST = "{n}. {text}"


@dataclass(frozen=True)
class Part:
    """One paragraph of a letter or of its notes: a sourced template, filled."""

    id: str
    template: str
    fill: dict[str, str] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    reader: frozenset[str] = frozenset()  # the fill keys that hold the reader's own words, kept as typed

    @property
    def text(self) -> str:
        return self.template.format(**self.fill)


@dataclass(frozen=True)
class LetterWarning:
    code: str
    part: Part


@dataclass(frozen=True)
class Letter:
    kind: LetterKind
    variant: str  # zh-Hans | zh-Hant
    title: str
    to: str
    date: Date
    deadline: Date | None
    body: tuple[Part, ...]
    closing: str
    signer: str
    blank: str
    date_label: str
    long_date: str  # the letter's date, as printed
    does: tuple[Part, ...]  # above the letter: what it does and does not do
    timing: tuple[Part, ...]  # above the letter too: the deadline and how it is counted
    send: tuple[Part, ...]  # below: how to send it so you can prove it
    warnings: tuple[LetterWarning, ...]

    def plain_text(self) -> str:
        """The letter to paste into an app's chat or a message, or to print: title, body, closing, signature."""
        lines = [self.title, "", *(p for part in self.body for p in (part.text, ""))]
        lines += [self.closing, "", f"{self.signer}：{self.blank}", f"{self.date_label}：{self.long_date}"]
        return "\n".join(lines) + "\n"

    def sources(self) -> list[Source]:
        """Every source the letter and its notes cite, once, in the order a reader meets them on the page."""
        parts = [*self.does, *self.timing, *(w.part for w in self.warnings), *self.body, *self.send]
        return list({s.id: s for part in parts for s in part.sources}.values())


def part(statement: Statement, reader: tuple[str, ...] = (), **fill: str) -> Part:
    return Part(
        id=statement.id, template=statement.text, fill=fill, sources=statement.sources, reader=frozenset(reader)
    )


def _ended(text: str, last: bool) -> str:
    """A list item as the data writes it (ending in ；), or the list's last item, ending the sentence."""
    return text.rstrip("；") + "。" if last else text


def _numbered(index: int) -> str:
    return NUMERALS[index] if index < len(NUMERALS) else str(index + 1)


def _listed(words: list[str], conjunction: str = "或") -> str:
    """电话、短信或电子邮件: a list as a sentence writes it."""
    if len(words) <= 1:
        return "".join(words)
    return "、".join(words[:-1]) + conjunction + words[-1]


@dataclass(frozen=True)
class Drafting:
    """What every kind's composer needs besides its answers."""

    texts: LetterTexts
    k: KindTexts
    rules: Rules
    long_date: DateFormatter
    money: MoneyFormatter

    def name(self, answers: LetterBase) -> str:
        return answers.name or self.texts.blank


@dataclass(frozen=True)
class Drafted:
    to: str
    body: list[Part]
    does: list[Part] = field(default_factory=list)  # beyond the kind's own
    timing: list[Part] = field(default_factory=list)
    send: list[Part] = field(default_factory=list)  # before the kind's own
    warnings: list[LetterWarning] = field(default_factory=list)
    deadline: date | None = None


def objection_deadline(received_on: date) -> date:
    """The last day to object: the day of receipt is not counted (CPL Art. 85), so 15 days after it. Holidays
    are not counted here: a deadline on a public holiday moves to the next working day, but the page tells the
    reader not to rely on that, so it shows this date."""
    return received_on + timedelta(days=OBJECTION_DAYS)


def _objection(a: PaymentOrderObjection, d: Drafting, on: date) -> Drafted:
    k = d.k
    deadline = objection_deadline(a.received_on)
    body = [
        part(k.paragraph("parties"), ("name", "lender"), name=d.name(a), lender=a.lender, blank=d.texts.blank),
        part(
            k.paragraph("intro_part" if a.scope == "part" else "intro_whole"),
            ("case_number",),
            received_on=d.long_date(a.received_on),
            case_number=a.case_number,
        ),
    ]
    reasons = [r for r in ObjectionReason if r in a.reasons and r != ObjectionReason.CANNOT_PAY]
    choices = k.choices["reasons"]
    for index, reason in enumerate(reasons):
        choice = choices[reason.value]
        body.append(
            Part(id=f"reasons.{reason.value}", template=f"{_numbered(index)}、{choice.text}", sources=choice.sources)
        )
    if a.details:
        body.append(part(k.paragraph("details"), ("details",), details=a.details))
    if ObjectionReason.CANNOT_PAY in a.reasons:
        body.append(part(k.paragraph("cannot_pay_also")))
    body += [part(k.paragraph("request")), part(k.paragraph("attachment"))]

    warnings = []
    if on > deadline:
        warnings.append(
            LetterWarning("deadline_passed", part(k.say("warnings.deadline_passed"), deadline=d.long_date(deadline)))
        )
    if ObjectionReason.INTEREST_ABOVE_CAP in a.reasons and a.lender_kind in LICENSED_KINDS:
        warnings.append(LetterWarning("cap_not_for_licensed", part(k.say("warnings.cap_not_for_licensed"))))
    return Drafted(
        to=a.court,
        body=body,
        does=[part(k.say("partial"))] if a.scope == "part" else [],
        timing=[part(k.say("deadline"), deadline=d.long_date(deadline)), part(k.say("holiday"))],
        warnings=warnings,
        deadline=deadline,
    )


def _restriction(a: ContactRestriction, d: Drafting, on: date) -> Drafted:
    k = d.k
    channels = _listed([k.choices["channels"][c.value].text for c in AllowedChannel if c in a.channels])
    named = [k.choices["third_parties"][t.value].text for t in ThirdParty if t in a.third_parties]
    parties = "、".join(named) if named else k.strings["default_third_parties"]
    if a.hours is None:
        reach = part(k.paragraph("channels"), channels=channels)
    else:
        reach = part(
            k.paragraph("channels_hours"),
            channels=channels,
            hours_from=a.hours.start.strftime("%H:%M"),
            hours_until=a.hours.end.strftime("%H:%M"),
        )
    body = [
        part(k.paragraph("salutation"), ("lender",), lender=a.lender),
        part(k.paragraph("intro"), ("name",), name=d.name(a), blank=d.texts.blank),
        part(k.paragraph("third_parties"), third_parties=parties),
        part(k.paragraph("withdraw")),
        reach,
        part(k.paragraph("reply")),
        part(k.paragraph("closing")),
    ]
    return Drafted(to=a.lender, body=body)


def _proposal(a: RepaymentProposal, d: Drafting, on: date) -> Drafted:
    k = d.k
    start = d.long_date(a.start)
    if a.monthly is not None and a.offer is not None:
        plan = part(k.paragraph("both"), start=start, monthly=d.money(str(a.monthly)), offer=d.money(str(a.offer)))
    elif a.monthly is not None:
        plan = part(k.paragraph("monthly"), start=start, monthly=d.money(str(a.monthly)))
    else:
        plan = part(k.paragraph("offer"), start=start, offer=d.money(str(a.offer)))
    body = [
        part(k.paragraph("salutation"), ("lender",), lender=a.lender),
        part(k.paragraph("intro"), ("name", "reason"), name=d.name(a), blank=d.texts.blank, reason=a.reason),
        plan,
        *(
            [part(k.paragraph("waiver")), part(k.paragraph("writing"))]
            if a.ask_waiver
            else [part(k.paragraph("writing_no_waiver"))]
        ),
    ]
    return Drafted(to=a.lender, body=body)


def _complaint(a: Complaint, d: Drafting, on: date) -> Drafted:
    k = d.k
    body_key = "credit_report" if a.about == "credit_report" else a.lender_kind.value
    to = k.choices["bodies"][body_key].to.format(lender=a.lender)
    contact_rules = d.rules.for_variant(VARIANTS[a.variant.lower()]).contacts
    logged = log_kinds(a.contact_log, d.rules)
    judged = [c for c in Contact if (c in a.contacts or c in logged) and contact_rules[c.value].level != "normal"]
    conduct = k.choices["conduct"]
    body = [
        part(k.paragraph("salutation"), to=to),
        part(
            k.paragraph("intro_credit" if a.about == "credit_report" else "intro"),
            ("name", "lender"),
            name=d.name(a),
            lender=a.lender,
            blank=d.texts.blank,
        ),
    ]
    if a.what_happened:
        body.append(part(k.paragraph("what_happened"), ("what_happened",), what_happened=a.what_happened))
    if judged:
        body.append(part(k.paragraph("conduct_heading")))
        for index, contact in enumerate(judged):
            rule = conduct[contact.value]
            body.append(
                Part(
                    id=f"conduct.{contact.value}",
                    template=k.paragraph("conduct").text,
                    fill={"n": _numbered(index), "label": rule.label, "rule": rule.text},
                    sources=rule.sources,
                )
            )
    flagged: dict[int, list[Contact]] = {}
    for contact in judged:
        for row in logged.get(contact, []):
            flagged.setdefault(row, []).append(contact)
    if flagged:
        body.append(part(k.paragraph("log_heading"), count=str(len(flagged))))
        channel_words = {
            c: ch.text for c, ch in d.texts.kind(LetterKind.CONTACT_RESTRICTION).choices["channels"].items()
        }
        for row in sorted(flagged):
            entry = a.contact_log[row]
            when = entry.date.isoformat() + (f" {entry.time.strftime('%H:%M')}" if entry.time else "")
            kinds = flagged[row]
            body.append(
                Part(
                    id=f"log.{row}",
                    template=k.paragraph("log_row" if entry.note else "log_row_no_note").text,
                    fill={
                        "row": str(row + 1),
                        "when": when,
                        "channel": channel_words.get(entry.channel.value) or conduct[entry.channel.value].label,
                        "note": entry.note,
                        "items": "、".join(_numbered(judged.index(c)) for c in kinds),
                    },
                    sources=tuple({s.id: s for c in kinds for s in conduct[c.value].sources}.values()),
                    reader=frozenset({"note"}),
                )
            )
    if a.asked_for:
        body.append(part(k.paragraph("asked_for"), ("asked_for",), asked_for=a.asked_for))
    else:
        body.append(part(k.paragraph("asked_for_default"), ("lender",), lender=a.lender))
    body.append(part(k.paragraph("attachment")))

    warnings = []
    if any(contact_rules[c.value].level == "unlawful" for c in judged):
        warnings.append(LetterWarning("call_110", part(k.say("warnings.call_110"))))
    if a.about == "collection" and a.lender_kind in (LenderKind.PLATFORM, LenderKind.UNKNOWN):
        warnings.append(
            LetterWarning("find_lender_kind", part(k.say("warnings.find_lender_kind"), ("lender",), lender=a.lender))
        )
    answer = part(k.say(f"bodies.{body_key}.answer"), ("lender",), lender=a.lender)
    return Drafted(to=to, body=body, send=[answer], warnings=warnings)


def _credit_dispute(a: CreditDispute, d: Drafting, on: date) -> Drafted:
    k = d.k
    to = k.choices["recipients"][a.send_to].to.format(lender=a.lender)
    body = [
        part(k.paragraph("salutation"), ("to",) if a.send_to == "lender" else (), to=to),
        part(k.paragraph("intro"), ("name",), name=d.name(a), blank=d.texts.blank),
        part(k.paragraph("entry"), ("entry", "lender"), entry=a.entry, lender=a.lender),
        part(k.paragraph("why_wrong"), ("why_wrong",), why_wrong=a.why_wrong),
        part(k.paragraph("request")),
        part(k.paragraph("attachment")),
    ]
    return Drafted(to=to, body=body)


def _records(a: RecordsRequest, d: Drafting, on: date) -> Drafted:
    k = d.k
    items = k.choices["items"]
    asked = [i for i in RecordItem if i in a.items]
    body = [
        part(k.paragraph("salutation"), ("lender",), lender=a.lender),
        part(k.paragraph("intro"), ("name",), name=d.name(a), blank=d.texts.blank),
        *(
            Part(
                id=f"items.{item.value}",
                template=ARABIC_LIST.format(n=n, text=_ended(items[item.value].text, n == len(asked))),
            )
            for n, item in enumerate(asked, start=1)
        ),
        part(k.paragraph("law")),
        part(k.paragraph("how")),
    ]
    return Drafted(to=a.lender, body=body)


COMPOSERS: dict[type[LetterBase], Callable[..., Drafted]] = {
    PaymentOrderObjection: _objection,
    ContactRestriction: _restriction,
    RepaymentProposal: _proposal,
    Complaint: _complaint,
    CreditDispute: _credit_dispute,
    RecordsRequest: _records,
}
KIND_OF: dict[type[LetterBase], LetterKind] = {
    PaymentOrderObjection: LetterKind.PAYMENT_ORDER_OBJECTION,
    ContactRestriction: LetterKind.CONTACT_RESTRICTION,
    RepaymentProposal: LetterKind.REPAYMENT_PROPOSAL,
    Complaint: LetterKind.COMPLAINT,
    CreditDispute: LetterKind.CREDIT_DISPUTE,
    RecordsRequest: LetterKind.RECORDS_REQUEST,
}


def compose(
    answers: LetterBase,
    texts: LetterTexts,
    rules: Rules,
    today: date,
    long_date: DateFormatter = date.isoformat,
    money: MoneyFormatter = plain_money,
) -> Letter:
    """The letter for these answers, in the script of `texts` (the caller picks the answers' variant)."""
    kind = KIND_OF[type(answers)]
    k = texts.kind(kind)
    on = letter_date(answers, today)
    drafted = COMPOSERS[type(answers)](answers, Drafting(texts, k, rules, long_date, money), on)
    return Letter(
        kind=kind,
        variant=answers.variant,
        title=k.title,
        to=drafted.to,
        date=on,
        deadline=drafted.deadline,
        body=tuple(drafted.body),
        closing=k.strings["closing"].format(to=drafted.to),
        signer=k.signer,
        blank=texts.blank,
        date_label=texts.date_label,
        long_date=long_date(on),
        does=tuple([*(part(s) for s in k.does), *drafted.does]),
        timing=tuple(drafted.timing),
        send=tuple([*drafted.send, *(part(s) for s in k.send), *(part(s) for s in texts.send)]),
        warnings=tuple(drafted.warnings),
    )
