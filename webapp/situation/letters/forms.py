"""A letter's form <-> its model's input. Form fields use the JSON names; the proposed hours are `hours-from` and
`hours-until`; the complaint's contact log is posted as rows `contact_log-<n>-<field>`, as on the situation form.

As there, amounts may be typed as readers write them (12,000, ¥800, 1.2万, full-width digits) and dates with
full-width digits; everything else reaches the model as typed.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from webapp.situation.forms import FormData, money_text, parse_log
from webapp.situation.forms import _plain as plain
from webapp.situation.letters.model import LetterKind, RecordItem
from webapp.situation.model import MAX_AMOUNT, MAX_DEBTS
from webapp.variants import Variant

COMMON = ("name", "lender", "lender_kind", "date")
SCALARS: dict[LetterKind, tuple[str, ...]] = {
    LetterKind.PAYMENT_ORDER_OBJECTION: ("court", "case_number", "received_on", "scope", "details"),
    LetterKind.CONTACT_RESTRICTION: (),
    LetterKind.REPAYMENT_PROPOSAL: ("monthly", "offer", "reason", "start"),
    LetterKind.COMPLAINT: ("about", "what_happened", "asked_for"),
    LetterKind.CREDIT_DISPUTE: ("send_to", "entry", "why_wrong"),
    LetterKind.RECORDS_REQUEST: (),
}
LISTS: dict[LetterKind, tuple[str, ...]] = {
    LetterKind.PAYMENT_ORDER_OBJECTION: ("reasons",),
    LetterKind.CONTACT_RESTRICTION: ("channels", "third_parties"),
    LetterKind.REPAYMENT_PROPOSAL: (),
    LetterKind.COMPLAINT: ("contacts",),
    LetterKind.CREDIT_DISPUTE: (),
    LetterKind.RECORDS_REQUEST: ("items",),
}
MONEY = {"monthly", "offer"}
DATES = {"date", "received_on", "start"}
BLANK_LOG_ROWS = 3  # empty rows offered without JavaScript
DEFAULT_LENDER = "58金融"  # the first guide's platform, as on the situation form
# The summary's link to a letter for one of several debts: ?debt=<0-based index>, and for the repayment proposal
# &monthly=<the plan's offer for it, a decimal string>. Nothing else, and never the lender's name.
_DEBT_ARG = re.compile(r"[0-9]{1,2}")
_OFFER_ARG = re.compile(r"[0-9]{1,8}(\.[0-9]{1,2})?")


@dataclass
class LetterForm:
    kind: LetterKind
    data: dict[str, Any]  # what the model validates
    values: dict[str, Any]  # what the form shows again: the reader's own text, untouched
    log_rows: list[dict[str, str]] = field(default_factory=list)
    log_row_of: list[int] = field(default_factory=list)  # model's contact_log index -> form row number

    def form_field(self, path: str) -> str:
        """A model error path as the form field it belongs to: hours.from -> hours-from, contact_log.2.note ->
        contact_log-5-note."""
        parts = path.split(".")
        if parts[0] == "hours" and len(parts) >= 2:
            return f"hours-{parts[1]}"
        if parts[0] == "contact_log" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            row = self.log_row_of[index] if index < len(self.log_row_of) else index
            return f"contact_log-{row}-{parts[2]}" if len(parts) >= 3 else "contact_log"
        return parts[0]

    def rows_to_show(self) -> list[dict[str, str]]:
        blank = dict.fromkeys(("date", "time", "channel", "note"), "")
        return [*self.log_rows, *([blank] * BLANK_LOG_ROWS)]


def parse(kind: LetterKind, form: FormData, variant: Variant) -> LetterForm:
    scalars = COMMON + SCALARS[kind]
    values: dict[str, Any] = {name: form.get(name, "") for name in scalars}
    values.update({name: form.getlist(name) for name in LISTS[kind]})
    data: dict[str, Any] = {"variant": variant.tag}
    for name in scalars:
        text = values[name].strip()
        if not text:
            continue
        if name in MONEY:
            data[name] = money_text(text)
        elif name in DATES:
            data[name] = plain(text)
        else:
            data[name] = text
    for name in LISTS[kind]:
        data[name] = values[name]
    letter = LetterForm(kind=kind, data=data, values=values)
    if kind == LetterKind.CONTACT_RESTRICTION:
        start, end = form.get("hours-from", "").strip(), form.get("hours-until", "").strip()
        values["hours-from"], values["hours-until"] = start, end
        if start or end:  # one without the other reaches the model, which names the missing one
            data["hours"] = {key: plain(value) for key, value in (("from", start), ("until", end)) if value}
    if kind == LetterKind.REPAYMENT_PROPOSAL:
        values["ask_waiver"] = form.get("ask_waiver", "")
        data["ask_waiver"] = values["ask_waiver"] == "yes"
    if kind == LetterKind.COMPLAINT:
        # Past the most rows the model takes nothing is read (a crafted post costs what the largest real one does);
        # the form never offers more rows than that.
        letter.log_rows, letter.log_row_of, data["contact_log"], _beyond = parse_log(form)
    return letter


def empty(kind: LetterKind) -> LetterForm:
    """The form as first shown: the first guide's platform as the lender, every record asked for, and a request
    to waive penalty interest (the reader can untick any of them)."""
    values: dict[str, Any] = dict.fromkeys(COMMON + SCALARS[kind], "")
    values.update({name: [] for name in LISTS[kind]})
    values["lender"] = DEFAULT_LENDER
    values["lender_kind"] = "unknown"
    values["hours-from"] = values["hours-until"] = ""
    values["ask_waiver"] = "yes"
    values["scope"] = "whole"
    values["about"] = "collection"
    values["send_to"] = "credit_center"
    if kind == LetterKind.RECORDS_REQUEST:
        values["items"] = [item.value for item in RecordItem]
    return LetterForm(kind=kind, data={}, values=values)


def for_debt(kind: LetterKind, args: FormData) -> tuple[LetterForm, int | None]:
    """The empty form, or, opened from the summary for one of several debts (`?debt=<i>`), the form for that debt
    and its index: the lender left empty, since its name is never in a URL (the page's script fills it in from
    the answers saved on the phone), and for the repayment proposal the summary's offer (`&monthly=`) as the
    monthly amount. A query out of bounds is ignored: the form is then the plain one."""
    letter = empty(kind)
    debt_arg = args.get("debt", "")
    if not _DEBT_ARG.fullmatch(debt_arg) or int(debt_arg) >= MAX_DEBTS:
        return letter, None
    letter.values["lender"] = ""
    monthly = args.get("monthly", "")
    if kind == LetterKind.REPAYMENT_PROPOSAL and _OFFER_ARG.fullmatch(monthly) and 0 < Decimal(monthly) <= MAX_AMOUNT:
        letter.values["monthly"] = monthly
    return letter, int(debt_arg)
