"""The situation form <-> the model's input. Form fields use the JSON names; the contact log is posted as rows
`contact_log-<n>-<field>`; the penalty rate may be given per day in percent, as 万分之N, or as an annual rate."""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from werkzeug.datastructures import MultiDict

from webapp.situation.model import DEFAULT_PLATFORM
from webapp.variants import Variant

SCALARS = (
    "as_of",
    "due_date",
    "overdue_amount",
    "outstanding_total",
    "annual_rate_percent",
    "penalty_daily_rate_percent",
    "contract_date",
    "lender_type",
    "monthly_payment",
    "platform",
)
NUMBERS = {
    "overdue_amount",
    "outstanding_total",
    "annual_rate_percent",
    "penalty_daily_rate_percent",
    "monthly_payment",
}
LOG_FIELDS = ("date", "time", "channel", "note")
RATE_UNITS = ("daily_percent", "wan", "annual_percent")
_LOG_KEY = re.compile(r"^contact_log-(\d{1,3})-(date|time|channel|note)$")
BLANK_LOG_ROWS = 3  # empty rows offered without JavaScript
# The PBOC day-count convention for turning an annual rate into a daily one.
DAYS_PER_YEAR = 360


@dataclass
class FormInput:
    data: dict[str, Any]  # what the model validates
    values: dict[str, Any]  # what the form shows again: the reader's own text, untouched
    log_rows: list[dict[str, str]] = field(default_factory=list)
    log_row_of: list[int] = field(default_factory=list)  # model's contact_log index -> form row number

    def form_field(self, path: str) -> str:
        """A model error path as the form field it belongs to: contact_log.2.note -> contact_log-5-note."""
        parts = path.split(".")
        if parts[0] == "contact_log" and len(parts) >= 2 and parts[1].isdigit():
            row = self.log_row_of[int(parts[1])] if int(parts[1]) < len(self.log_row_of) else int(parts[1])
            return f"contact_log-{row}-{parts[2]}" if len(parts) >= 3 else "contact_log"
        return parts[0]


def _number(text: str) -> str:
    """Readers type 10,000 or １００００ or ' 1500 元': keep the number, leave anything else for the model."""
    return text.replace(",", "").replace("，", "").replace("元", "").replace("¥", "").replace("￥", "").strip()


def daily_rate_percent(value: str, unit: str) -> str:
    """The penalty rate per day in percent, from the unit the reader chose (万分之5 -> 0.05; 18%/yr -> 0.05)."""
    if unit == "daily_percent":
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value  # the model reports it as not a number, on the rate field
    if not number.is_finite():
        return value
    daily = number / 100 if unit == "wan" else number / DAYS_PER_YEAR
    return str(daily.quantize(Decimal("0.0000000001"), rounding=ROUND_HALF_UP).normalize())


def parse(form: MultiDict[str, str], variant: Variant) -> FormInput:
    values: dict[str, Any] = {name: form.get(name, "") for name in SCALARS}
    values["penalty_rate_unit"] = form.get("penalty_rate_unit", "daily_percent")
    values["contacts"] = form.getlist("contacts")
    values["reachable"] = form.get("reachable", "yes")

    data: dict[str, Any] = {"variant": variant.tag}
    for name in SCALARS:
        text = values[name].strip()
        if text:
            data[name] = _number(text) if name in NUMBERS else text
    if "penalty_daily_rate_percent" in data:
        unit = values["penalty_rate_unit"] if values["penalty_rate_unit"] in RATE_UNITS else "daily_percent"
        data["penalty_daily_rate_percent"] = daily_rate_percent(data["penalty_daily_rate_percent"], unit)
    data["contacts"] = values["contacts"]
    data["reachable"] = values["reachable"] != "no"

    rows: dict[int, dict[str, str]] = {}
    for key in form:
        match = _LOG_KEY.match(key)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = form.get(key, "")
    log_rows, log_row_of, entries = [], [], []
    for number in sorted(rows):
        row = {f: rows[number].get(f, "") for f in LOG_FIELDS}
        log_rows.append(row)
        if any(row[f].strip() for f in ("date", "time", "note")):  # a row with only a channel chosen is blank
            log_row_of.append(len(log_rows) - 1)
            entries.append({f: row[f].strip() for f in LOG_FIELDS if row[f].strip()})
    data["contact_log"] = entries
    return FormInput(data=data, values=values, log_rows=log_rows, log_row_of=log_row_of)


def empty() -> FormInput:
    values: dict[str, Any] = dict.fromkeys(SCALARS, "")
    values.update(penalty_rate_unit="daily_percent", contacts=[], reachable="yes", platform=DEFAULT_PLATFORM)
    return FormInput(data={}, values=values)


def rows_to_show(form_input: FormInput) -> list[dict[str, str]]:
    """The reader's rows, then blank ones so there is always room to add without JavaScript."""
    blank = dict.fromkeys(LOG_FIELDS, "")
    return [*form_input.log_rows, *([blank] * BLANK_LOG_ROWS)]
