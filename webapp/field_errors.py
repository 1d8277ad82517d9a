"""Validation errors as values a reader can act on: the field, a stable code, and a message in their variant."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import format_decimal, lazy_gettext
from pydantic import ValidationError

from webapp.situation.model import MODEL_ERROR_FIELDS

_ = lazy_gettext

FIELD_LABELS = {
    "variant": _("Script"),
    "as_of": _("Date of this summary"),
    "due_date": _("Due date of the missed payment"),
    "overdue_amount": _("Amount now overdue"),
    "outstanding_total": _("Everything still owed"),
    "annual_rate_percent": _("Annual rate"),
    "penalty_daily_rate_percent": _("Penalty rate"),
    "contract_date": _("Contract date"),
    "lender_type": _("Type of lender"),
    "contacts": _("Collection contacts"),
    "reachable": _("Whether you still answer the platform"),
    "monthly_payment": _("What you can pay each month"),
    "platform": _("Platform"),
    "contact_log": _("Contact log"),
    "debts": _("Your debts"),
    "lender": _("Lender"),
    "stage_hint": _("Papers from a court"),
    "budget": _("Your money each month"),
    "monthly_income": _("Money coming in each month"),
    "essential_costs": _("Essential costs each month"),
    "dependants": _("People who depend on you"),
    "debt": _("Which debt"),
    "date": _("date"),
    "time": _("time"),
    "channel": _("way of contact"),
    "note": _("note"),
}

_NOT_A_DATE = _("%(field)s: enter a real date, such as 2026-03-15.")
_NOT_A_NUMBER = _("%(field)s: enter a number, such as 1500 or 1500.50.")
_WRONG_KIND = _("%(field)s has the wrong kind of value.")
MESSAGES = {
    "missing": _("%(field)s is required."),
    "date_format": _NOT_A_DATE,
    "date_parsing": _NOT_A_DATE,
    "date_from_datetime_parsing": _NOT_A_DATE,
    "date_from_datetime_inexact": _NOT_A_DATE,
    "date_type": _NOT_A_DATE,
    "time_format": _("%(field)s: enter a time such as 14:30."),
    "time_parsing": _("%(field)s: enter a time such as 14:30."),
    "decimal_parsing": _NOT_A_NUMBER,
    "decimal_type": _NOT_A_NUMBER,
    "finite_number": _NOT_A_NUMBER,
    "greater_than": _("%(field)s must be more than %(limit)s."),
    "greater_than_equal": _("%(field)s cannot be less than %(limit)s."),
    "less_than_equal": _("%(field)s cannot be more than %(limit)s."),
    "money_places": _("%(field)s: use at most two decimal places."),
    "string_too_long": _("%(field)s: at most %(limit)s characters."),
    "string_too_short": _("%(field)s cannot be empty."),
    "too_long": _("%(field)s: at most %(limit)s entries."),
    "enum": _("%(field)s: choose one of the options."),
    "literal_error": _("%(field)s: choose one of the options."),
    "bool_parsing": _("%(field)s: answer yes or no."),
    "bool_type": _("%(field)s: answer yes or no."),
    "extra_forbidden": _("%(field)s is not a question we ask; remove it."),
    "control_characters": _("%(field)s contains invisible control or formatting characters; please type it again."),
    "invalid_encoding": _("%(field)s arrived damaged (the characters were not valid text); please type it again."),
    "unsupported_characters": _("%(field)s contains characters that cannot be printed (%(characters)s); remove them."),
    "outstanding_below_overdue": _("%(field)s cannot be less than the amount now overdue."),
    "duplicate_contacts": _("%(field)s: each kind of contact can be ticked once."),
    "contract_after_due": _("%(field)s cannot be after the due date."),
    "too_long_to_print": _("%(field)s is too long to print; shorten the notes or remove some rows."),
    "number_format": _("%(field)s: write the number with the digits 0-9, such as 1500 or 1500.50."),
    "rate_places": _("%(field)s: use at most %(places)s decimal places."),
    "rate_unit_missing": _(
        "%(field)s: choose the unit from the list, or type it with the number, such as 万分之5, 0.05%% or 年化18%%."
    ),
    "rate_unit_conflict": _(
        "%(field)s: the unit typed with the number is not the unit chosen from the list; keep only one of them."
    ),
    "rate_format": _("%(field)s: enter a rate such as 万分之5, 0.05%% or 年化18%%."),
    # The letters' forms.
    "too_short": _("%(field)s: choose at least one."),
    "duplicate_choices": _("%(field)s: each choice can be ticked once."),
    "cannot_pay_only": _("%(field)s: “I cannot pay now” cannot be the only reason. Why, and what to do instead:"),
    "other_needs_details": _("%(field)s: say what your other reason is."),
    "received_after_letter": _("%(field)s cannot be after the date of the letter."),
    "hours_order": _("%(field)s: the end must be later than the start."),
    "offer_or_monthly": _("%(field)s: enter a monthly amount, a one-off amount, or both."),
    "start_in_past": _("%(field)s cannot be before the date of the letter."),
    "nothing_to_complain": _("%(field)s: say what happened, tick what they did, or add rows to your record."),
    "log_debts_mixed": _("%(field)s: the rows are about different debts. Send only the rows about this lender."),
    # Several debts.
    "one_debt_and_debts": _("%(field)s: give each debt in the list, not also the one-debt answers above it."),
    "log_debt_unknown": _("%(field)s: a row names a debt that is not in your list."),
    "int_type": _("%(field)s: enter a whole number."),
    "int_parsing": _("%(field)s: enter a whole number."),
    "int_from_float": _("%(field)s: enter a whole number."),
    "list_type": _WRONG_KIND,
}
_RATE_PER_DAY = _("%(field)s: enter the rate per day in percent, as a number such as 0.05.")
_RATE_PER_YEAR = _("%(field)s: enter the rate per year in percent, as a number such as 18 or 24.5.")
# Where the general message would mislead: a rate is not an amount of money.
FIELD_MESSAGES = {
    ("penalty_daily_rate_percent", "decimal_parsing"): _RATE_PER_DAY,
    ("penalty_daily_rate_percent", "decimal_type"): _RATE_PER_DAY,
    ("penalty_daily_rate_percent", "finite_number"): _RATE_PER_DAY,
    ("annual_rate_percent", "decimal_parsing"): _RATE_PER_YEAR,
    ("annual_rate_percent", "decimal_type"): _RATE_PER_YEAR,
    ("annual_rate_percent", "finite_number"): _RATE_PER_YEAR,
}
_LIMIT_KEYS = ("gt", "ge", "lt", "le", "max_length", "min_length")


@dataclass(frozen=True)
class FieldError:
    field: str  # dotted path: "overdue_amount", "contact_log.3.note"
    code: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


def field_label(path: tuple[str | int, ...], labels: Mapping[str, Any] = FIELD_LABELS) -> str:
    """The field's name as the form shows it; `labels`: the form's labels (the situation's by default)."""
    if not path:
        return str(_("Your answers"))
    head = str(path[0])
    label = str(labels.get(head, head))
    if head == "debts" and len(path) >= 2 and isinstance(path[1], int):
        debt = str(_("Debt %(n)s", n=path[1] + 1))
        if len(path) < 3:
            return debt
        return str(_("%(row)s: %(part)s", row=debt, part=FIELD_LABELS.get(str(path[2]), path[2])))
    if head == "budget" and len(path) >= 2:
        return str(FIELD_LABELS.get(str(path[1]), path[1]))
    if head == "contact_log" and len(path) >= 2 and isinstance(path[1], int):
        row = str(_("%(log)s, row %(row)s", log=label, row=path[1] + 1))
        if len(path) < 3:
            return row
        return str(_("%(row)s: %(part)s", row=row, part=FIELD_LABELS.get(str(path[2]), path[2])))
    if len(path) >= 2 and f"{head}.{path[1]}" in labels:  # a part of a grouped answer: the hours' start
        return str(labels[f"{head}.{path[1]}"])
    return label


def _limit(ctx: dict[str, Any]) -> str:
    for key in _LIMIT_KEYS:
        if key in ctx:
            value = ctx[key]
            return format_decimal(Decimal(str(value))) if isinstance(value, int | float | Decimal) else str(value)
    return ""


def from_validation_error(
    error: ValidationError,
    labels: Mapping[str, Any] = FIELD_LABELS,
    model_fields: Mapping[str, str] = MODEL_ERROR_FIELDS,
) -> list[FieldError]:
    """One FieldError per problem, in the order pydantic found them; the first per field is kept. `labels` and
    `model_fields` (the field each model-level error belongs to): the situation's unless a letter's are given."""
    found: dict[str, FieldError] = {}
    for problem in error.errors(include_url=False, include_input=False):
        code = problem["type"]
        path = tuple(problem["loc"])
        if code in model_fields and (not path or (path[0] == "debts" and len(path) == 2)):
            path = (*path, model_fields[code])  # a debt's own check belongs to its field as the answers' does
        ctx = problem.get("ctx") or {}
        name = ".".join(str(part) for part in path) or "__root__"
        found.setdefault(name, field_error(path, code, ctx, labels))
    return list(found.values())


def field_error(
    path: tuple[str | int, ...],
    code: str,
    ctx: dict[str, Any] | None = None,
    labels: Mapping[str, Any] = FIELD_LABELS,
) -> FieldError:
    """The error for one field: its dotted path, the code, and the message in the reader's variant."""
    ctx = ctx or {}
    head = str(path[0]) if path else ""
    message = FIELD_MESSAGES.get((head, code)) or MESSAGES.get(code, _WRONG_KIND)
    text = str(message) % {
        "field": field_label(path, labels),
        "limit": _limit(ctx),
        "characters": ctx.get("characters", ""),
        "places": ctx.get("places", ""),
    }
    return FieldError(field=".".join(str(part) for part in path) or "__root__", code=code, message=text)
