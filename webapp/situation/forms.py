"""The situation form <-> the model's input. Form fields use the JSON names; the debts are posted as rows
`debts-<n>-<field>`, the budget as `budget-<field>`, the contact log as rows `contact_log-<n>-<field>`.

One filled debt and no budget is posted to the model as the one-debt answers of old (top-level fields, the lender as
the platform), so a one-debt summary is what it always was; several debts, or a budget, as `debts` and `budget`.
Rows left blank are skipped (and not shown again); the model's error paths are mapped back to the rows the reader
filled (form_field).

The form is kinder than the API, and never guesses. Amounts may be typed as readers write them (12,000, ¥12000,
1.2万, full-width digits) and are normalised here; the API takes ASCII digits only. The penalty rate is read in
the unit the reader chose from the list or typed with the number (万分之5, 0.05%, 日息0.05%, 年化18%); a bare
number with no unit chosen is an error, never silently read as a percentage per day.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, Protocol

from webapp.situation.model import (
    DEFAULT_PLATFORM,
    FORBIDDEN_CATEGORIES,
    MAX_DEBTS,
    MAX_LOG_ENTRIES,
    ONE_DEBT_FIELDS,
    RATE_PLACES,
    canonical,
)
from webapp.variants import Variant

SCALARS = ("as_of", "monthly_payment")  # the answers about the reader as a whole
# A debt's fields as the form posts them (debts-<n>-<field>): the model's, the rate's unit and its confirmation.
DEBT_FIELDS = (
    "lender",
    "lender_type",
    "overdue_amount",
    "outstanding_total",
    "annual_rate_percent",
    "penalty_daily_rate_percent",
    "penalty_rate_unit",
    "confirm_rate",
    "contract_date",
    "due_date",
    "stage_hint",
)
# What makes a debt row filled: any of these typed, or a choice other than the first (the unit alone is not).
_DEBT_TYPED = (
    "overdue_amount",
    "outstanding_total",
    "annual_rate_percent",
    "penalty_daily_rate_percent",
    "contract_date",
    "due_date",
)
_DEBT_DEFAULTS = {"lender_type": "unknown", "stage_hint": "none"}
BUDGET_FIELDS = ("monthly_income", "essential_costs", "dependants")
MONEY = {"overdue_amount", "outstanding_total", "monthly_payment", "monthly_income", "essential_costs"}
DATES = {"as_of", "due_date", "contract_date"}
LOG_FIELDS = ("date", "time", "channel", "note", "debt")
_LOG_ENTRY_FIELDS = ("date", "time", "channel", "note")
# The units a reader may choose for the penalty rate: "" is "not chosen" (the list's first entry).
RATE_UNITS = ("", "daily_percent", "wan", "annual_percent")
_LOG_KEY = re.compile(r"^contact_log-(\d{1,3})-(date|time|channel|note|debt)$")
_DEBT_KEY = re.compile(rf"^debts-(\d{{1,3}})-({'|'.join(DEBT_FIELDS)})$")
BLANK_LOG_ROWS = 3  # empty rows offered without JavaScript
BLANK_DEBT_ROWS = 1  # a spare debt offered without JavaScript (with it, "add a debt" makes one)
# The PBOC day-count convention for turning an annual rate into a daily one.
DAYS_PER_YEAR = 360
_NUMBER = re.compile(r"[0-9]{1,12}(\.[0-9]{1,12})?")
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")

Kind = Literal["percent", "wan", "permille"]
Period = Literal["day", "year"]
_UNIT_OF_CHOICE: dict[str, tuple[Kind, Period]] = {
    "daily_percent": ("percent", "day"),
    "wan": ("wan", "day"),
    "annual_percent": ("percent", "year"),
}
_KIND_MARKERS: tuple[tuple[str, Kind], ...] = (
    ("万分之", "wan"),
    ("‱", "wan"),
    ("千分之", "permille"),
    ("‰", "permille"),
)
_DAY_WORDS = re.compile(r"日利率|日利息|日息|每日|每天|一天|/日|/天|日|天")
_YEAR_WORDS = re.compile(r"年化利率|年化|年利率|年利息|年息|每年|一年|/年|年")
_FILLER = re.compile(r"逾期|罚息|利率|利息|约|按|为|是|:")
_CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


# The longest penalty rate a reader types (日利率万分之五点五, 年化利率24%): room for the words, not for pages.
RATE_TEXT_LENGTH = 30


@dataclass(frozen=True)
class FormProblem:
    """An answer the form could not read: the field, a code field_errors.py turns into a message, and what the
    message needs (a limit)."""

    field: str
    code: str  # rate_unit_missing | rate_unit_conflict | rate_format | control_characters | string_too_long | too_long
    context: dict[str, Any] | None = None


@dataclass(frozen=True)
class RateReading:
    """How the form read the penalty rate, to show back to the reader."""

    typed: str  # what the reader typed
    number: Decimal  # the number, in `kind` per `period`
    kind: Kind
    period: Period
    unit_typed: bool  # the unit came with the number (else from the list)
    daily_percent: Decimal  # what the model receives


@dataclass
class FormInput:
    data: dict[str, Any]  # what the model validates
    values: dict[str, Any]  # what the form shows again: the reader's own text, untouched (debts: one dict a row)
    log_rows: list[dict[str, str]] = field(default_factory=list)
    log_row_of: list[int] = field(default_factory=list)  # model's contact_log index -> form row number
    debt_row_of: list[int] = field(default_factory=list)  # model debt index -> row shown again (one debt: its row)
    problems: list[FormProblem] = field(default_factory=list)
    rate: RateReading | None = None  # one debt's penalty rate as read (None with several debts)
    debt_rates: list[RateReading | None] = field(default_factory=list)  # several debts: each one's, in model order

    @property
    def several(self) -> bool:
        return "debts" in self.data

    def form_field(self, path: str) -> str:
        """A model error path as the form field it belongs to: contact_log.2.note -> contact_log-5-note,
        debts.1.overdue_amount -> debts-3-overdue_amount, budget.essential_costs -> budget-essential_costs; with
        one debt its top-level answers are its row's fields (overdue_amount -> debts-0-overdue_amount)."""
        parts = path.split(".")
        head = parts[0]
        if head in ("contact_log", "debts") and len(parts) >= 2 and parts[1].isdigit():
            rows = self.log_row_of if head == "contact_log" else self.debt_row_of
            row = rows[int(parts[1])] if int(parts[1]) < len(rows) else int(parts[1])
            return f"{head}-{row}-{parts[2]}" if len(parts) >= 3 else head
        if head == "budget" and len(parts) >= 2:
            return f"budget-{parts[1]}"
        if head in ONE_DEBT_FIELDS and not self.several:
            row = self.debt_row_of[0] if self.debt_row_of else 0
            return f"debts-{row}-{'lender' if head == 'platform' else head}"
        return head


# Traditional forms a zh-Hant reader types (萬分之5, 1.2萬, 三點五), read like their Simplified ones.
_TRADITIONAL = str.maketrans({"萬": "万", "點": "点", "兩": "两", "罰": "罚", "幣": "币", "約": "约", "為": "为"})


def _plain(text: str) -> str:
    """Full-width digits and signs as ASCII (NFKC: １２，０００ -> 12,000; ￥ -> ¥), without white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_TRADITIONAL)


def money_text(text: str) -> str:
    """An amount as the model reads it: 12,000 / ¥12000 / 1.2万 / １２０００元 -> 12000. Anything else is left
    as typed, for the model to name as not a number."""
    plain = re.sub(r"^(人民币|rmb|cny)|元$|^¥", "", _plain(text).lower())
    plain = plain.removesuffix("元")
    multiplier = 1
    if plain.endswith("万"):
        plain, multiplier = plain[:-1], 10_000
    if _GROUPED.fullmatch(plain):
        plain = plain.replace(",", "")
    if multiplier != 1 and _NUMBER.fullmatch(plain):
        return str(canonical(Decimal(plain) * multiplier))
    return plain if _NUMBER.fullmatch(plain) else _plain(text)


def _chinese_number(text: str) -> str | None:
    """五 -> 5, 十五 -> 15, 三点五 -> 3.5 (contracts write 万分之五); None for anything else."""
    whole, point, fraction = text.partition("点")
    if not whole or (point and not fraction) or any(ch not in _CHINESE_DIGITS for ch in fraction):
        return None
    if "十" in whole:
        tens, _, ones = whole.partition("十")
        if len(tens) > 1 or len(ones) > 1 or any(ch not in _CHINESE_DIGITS for ch in tens + ones):
            return None
        number = (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)
    elif len(whole) == 1 and whole in _CHINESE_DIGITS:
        number = _CHINESE_DIGITS[whole]
    else:
        return None
    return f"{number}.{''.join(str(_CHINESE_DIGITS[ch]) for ch in fraction)}" if point else str(number)


def read_rate(text: str, unit: str) -> RateReading | FormProblem:
    """The penalty rate per day in percent, from what the reader typed and the unit they chose (if any). What was
    typed is shown back on the page and in the PDF, so it gets the checks every text field gets first: no control
    or formatting characters, and a bounded length."""
    if any(unicodedata.category(ch) in FORBIDDEN_CATEGORIES for ch in text):
        return FormProblem("penalty_daily_rate_percent", "control_characters")
    if len(text.strip()) > RATE_TEXT_LENGTH:
        return FormProblem("penalty_daily_rate_percent", "string_too_long", {"max_length": RATE_TEXT_LENGTH})
    rest = _FILLER.sub("", _plain(text).replace("％", "%"))
    kind: Kind | None = None
    for marker, marked in _KIND_MARKERS:
        if marker in rest:
            kind, rest = marked, rest.replace(marker, "")
            break
    if "%" in rest:
        if kind is not None:
            return FormProblem("penalty_daily_rate_percent", "rate_format")
        kind, rest = "percent", rest.replace("%", "")
    period: Period | None = None
    if _DAY_WORDS.search(rest):
        period, rest = "day", _DAY_WORDS.sub("", rest)
    if _YEAR_WORDS.search(rest):
        if period is not None:
            return FormProblem("penalty_daily_rate_percent", "rate_format")
        period, rest = "year", _YEAR_WORDS.sub("", rest)
    number_text = rest if _NUMBER.fullmatch(rest) else _chinese_number(rest)
    if number_text is None:
        return FormProblem("penalty_daily_rate_percent", "rate_format")

    unit_typed = kind is not None or period is not None
    chosen = _UNIT_OF_CHOICE.get(unit)
    if chosen is None and not unit_typed:
        return FormProblem("penalty_daily_rate_percent", "rate_unit_missing")
    if chosen is not None and ((kind and kind != chosen[0]) or (period and period != chosen[1])):
        return FormProblem("penalty_daily_rate_percent", "rate_unit_conflict")
    kind = kind or (chosen[0] if chosen else "percent")
    period = period or (chosen[1] if chosen else "day")

    number = Decimal(number_text)
    percent = number / {"percent": 1, "wan": 100, "permille": 10}[kind]
    if period == "year":
        # An annual rate to a daily one by the PBOC day count; six places is the model's precision for rates.
        percent = (percent / DAYS_PER_YEAR).quantize(Decimal(1).scaleb(-RATE_PLACES), rounding=ROUND_HALF_UP)
    return RateReading(
        typed=text.strip(),
        number=number,
        kind=kind,
        period=period,
        unit_typed=unit_typed,
        daily_percent=percent,
    )


def annual_rate_text(text: str) -> str:
    """The annual rate field already says "a year, in percent": 18%, 年化18% and １８ all mean 18."""
    return _YEAR_WORDS.sub("", _plain(text).replace("％", "%").removesuffix("%"))


class FormData(Protocol):
    """A posted form as the web framework hands it over (werkzeug's MultiDict is one): one value, or all of them."""

    def get(self, key: str, default: str) -> str: ...

    def getlist(self, key: str) -> list[str]: ...

    def __iter__(self) -> Iterator[str]: ...


def _blank_debt(lender: str = "") -> dict[str, str]:
    return {**dict.fromkeys(DEBT_FIELDS, ""), **_DEBT_DEFAULTS, "lender": lender}


def debt_filled(row: dict[str, str], number: int) -> bool:
    """A debt row the reader filled: anything typed, a choice made, or a lender named (the first row's default
    lender alone is not an answer)."""
    if any(row.get(f, "").strip() for f in _DEBT_TYPED):
        return True
    if any(row.get(f, "") not in ("", default) for f, default in _DEBT_DEFAULTS.items()):
        return True
    lender = row.get("lender", "").strip()
    return bool(lender) and not (number == 0 and lender == DEFAULT_PLATFORM)


def _debt_rows(form: FormData) -> tuple[list[dict[str, str]], list[FormProblem]]:
    """The debt rows as posted, in row order, at most MAX_DEBTS of them (rows past it are neither read nor shown
    again; filled ones there are an error). A post from the one-debt form of old (a page this device kept from
    before, or answers saved under the old names) is its first row."""
    rows: dict[int, dict[str, str]] = {}
    for key in form:
        match = _DEBT_KEY.match(key)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = form.get(key, "")
    if not rows:
        legacy = {"platform" if f == "lender" else f: f for f in DEBT_FIELDS}
        rows[0] = {f: form.get(name, "") for name, f in legacy.items()}
    numbers = sorted(rows)
    shown = [{**_blank_debt(), **rows[n]} for n in numbers[:MAX_DEBTS]]
    problems = []
    if any(debt_filled(rows[n], n) for n in numbers[MAX_DEBTS:]):
        problems.append(FormProblem("debts", "too_long", {"max_length": MAX_DEBTS}))
    return shown, problems


def _read_debt(row: dict[str, str], prefix: str) -> tuple[dict[str, Any], RateReading | None, list[FormProblem]]:
    """One debt row as the model's fields (blank ones left out); `prefix`: where its errors go ("" for the one
    debt's top-level answers, "debts.<i>." for one of several)."""
    data: dict[str, Any] = {}
    rate: RateReading | None = None
    problems: list[FormProblem] = []
    for name in DEBT_FIELDS:
        text = row[name].strip()
        if not text or name in ("penalty_rate_unit", "confirm_rate"):
            continue
        if name in MONEY:
            data[name] = money_text(text)
        elif name in DATES:
            data[name] = _plain(text)
        elif name == "annual_rate_percent":
            data[name] = annual_rate_text(text)
        elif name == "penalty_daily_rate_percent":
            unit = row["penalty_rate_unit"] if row["penalty_rate_unit"] in RATE_UNITS else ""
            reading = read_rate(text, unit)
            if isinstance(reading, FormProblem):
                # The model is not asked about a rate the form could not read.
                problems.append(replace(reading, field=prefix + reading.field))
            else:
                rate = reading
                data[name] = str(canonical(reading.daily_percent))
        else:
            data[name] = text
    return data, rate, problems


def _read_budget(values: dict[str, str]) -> dict[str, Any]:
    budget: dict[str, Any] = {}
    for name in BUDGET_FIELDS:
        text = values[name].strip()
        if not text:
            continue
        if name == "dependants":
            plain = _plain(text).removesuffix("人")
            budget[name] = int(plain) if plain.isascii() and plain.isdigit() and len(plain) <= 3 else text
        else:
            budget[name] = money_text(text)
    return budget


def parse(form: FormData, variant: Variant) -> FormInput:
    values: dict[str, Any] = {name: form.get(name, "") for name in SCALARS}
    values["contacts"] = form.getlist("contacts")
    values["reachable"] = form.get("reachable", "yes")
    debt_rows, problems = _debt_rows(form)
    values["debts"] = debt_rows
    values["budget"] = {name: form.get(f"budget-{name}", "") for name in BUDGET_FIELDS}

    data: dict[str, Any] = {"variant": variant.tag}
    for name in SCALARS:
        text = values[name].strip()
        if text:
            data[name] = money_text(text) if name in MONEY else _plain(text)
    data["contacts"] = values["contacts"]
    data["reachable"] = values["reachable"] != "no"

    # The debts the reader filled; none: the first row, whose missing answers the model names.
    filled = [n for n, row in enumerate(debt_rows) if debt_filled(row, n)] or [0]
    budget = _read_budget(values["budget"])
    rate: RateReading | None = None
    debt_rates: list[RateReading | None] = []
    if len(filled) == 1 and not budget:
        one, rate, debt_problems = _read_debt(debt_rows[filled[0]], "")
        if "lender" in one:
            one["platform"] = one.pop("lender")
        if one.get("stage_hint") == "none":
            del one["stage_hint"]  # today's one-debt answers, exactly
        data.update(one)
        problems += debt_problems
    else:
        debts = []
        for index, number in enumerate(filled):
            debt, reading, debt_problems = _read_debt(debt_rows[number], f"debts.{index}.")
            debts.append(debt)
            debt_rates.append(reading)
            problems += debt_problems
        data["debts"] = debts
        if budget:
            data["budget"] = budget

    log_rows, log_row_of, entries, log_problems = parse_log(form)
    problems += log_problems
    for entry, number in zip(entries, log_row_of, strict=True):
        chosen = log_rows[number]["debt"].strip()
        if not chosen:
            continue
        row = int(chosen) if chosen.isascii() and chosen.isdigit() and len(chosen) <= 3 else -1
        if row not in filled:
            unknown = FormProblem("contact_log", "log_debt_unknown")
            problems += [] if unknown in problems else [unknown]
        elif "debts" in data:
            entry["debt"] = filled.index(row)  # one debt: a row about it is about the reader's only debt
    data["contact_log"] = entries
    # Shown again without the blank rows between, so the form's "Debt 2" is the debt an error calls "Debt 2"; the
    # log rows name their debts by the new numbers.
    values["debts"] = [debt_rows[n] for n in filled]
    for log_row in log_rows:
        chosen = log_row["debt"].strip()
        if chosen.isascii() and chosen.isdigit() and int(chosen) in filled:
            log_row["debt"] = str(filled.index(int(chosen)))
    return FormInput(
        data=data,
        values=values,
        log_rows=log_rows,
        log_row_of=log_row_of,
        debt_row_of=list(range(len(filled))),
        problems=problems,
        rate=rate,
        debt_rates=debt_rates,
    )


def parse_log(
    form: FormData,
) -> tuple[list[dict[str, str]], list[int], list[dict[str, Any]], list[FormProblem]]:
    """The contact log's rows as posted (to show again), the form row of each model entry, the entries (without
    the debt a row names: the caller knows the debts), and what is wrong with the log as a whole (more rows than
    the model takes)."""
    problems: list[FormProblem] = []
    rows: dict[int, dict[str, str]] = {}
    for key in form:
        match = _LOG_KEY.match(key)
        if match:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = form.get(key, "")
    log_rows: list[dict[str, str]] = []
    log_row_of: list[int] = []
    entries: list[dict[str, Any]] = []
    numbers = sorted(rows)
    for index, number in enumerate(numbers):
        row = {f: rows[number].get(f, "") for f in LOG_FIELDS}
        filled = any(row[f].strip() for f in ("date", "time", "note"))  # a row with only a channel chosen is blank
        if len(log_rows) >= MAX_LOG_ENTRIES:
            # Rows past the most the model takes are neither read nor shown again: a crafted post of a thousand
            # rows costs what the largest real one does. Blank rows there (the form's spare ones) are no error.
            rest = (rows[n].get(f, "") for n in numbers[index:] for f in ("date", "time", "note"))
            if any(text.strip() for text in rest):
                problems.append(FormProblem("contact_log", "too_long", {"max_length": MAX_LOG_ENTRIES}))
            break
        log_rows.append(row)
        if filled:
            log_row_of.append(len(log_rows) - 1)
            entry = {f: row[f].strip() for f in _LOG_ENTRY_FIELDS if row[f].strip()}
            for part in ("date", "time"):
                if part in entry:
                    entry[part] = _plain(entry[part])
            entries.append(entry)
    return log_rows, log_row_of, entries, problems


def empty() -> FormInput:
    values: dict[str, Any] = dict.fromkeys(SCALARS, "")
    values.update(
        contacts=[],
        reachable="yes",
        debts=[_blank_debt(DEFAULT_PLATFORM)],
        budget=dict.fromkeys(BUDGET_FIELDS, ""),
    )
    return FormInput(data={}, values=values)


def rows_to_show(form_input: FormInput) -> list[dict[str, str]]:
    """The reader's rows, then blank ones so there is always room to add without JavaScript."""
    blank = dict.fromkeys(LOG_FIELDS, "")
    return [*form_input.log_rows, *([blank] * BLANK_LOG_ROWS)]


def debts_to_show(form_input: FormInput) -> list[dict[str, str]]:
    """The reader's debt rows, then a spare one (up to MAX_DEBTS) so a debt can be added without JavaScript."""
    rows = form_input.values["debts"]
    return [*rows, *([_blank_debt()] * min(BLANK_DEBT_ROWS, MAX_DEBTS - len(rows)))]
