"""The situation answers: one pydantic model for the form and the API (DESIGN's "Situation answers").

Input reaches the model as plain Python data: JSON is parsed with exact decimals (numbers never pass through
float), form fields are gathered into the same shape by forms.py. Every failure is a field error with a code
that errors.py turns into a message in the reader's variant.

Validate with `validate(data, drawable)`: the characters the embedded PDF font can draw come in through pydantic's
validation context, never from a process global, so validation is the same whatever app exists.
"""

import re
import unicodedata
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

MAX_AMOUNT = Decimal("10000000")
DEFAULT_PLATFORM = "58金融"  # the platform of the first guide: the form's and the API's default
MAX_LOG_ENTRIES = 100
MAX_DEBTS = 20
MAX_DEPENDANTS = 20
RATE_PLACES = 6  # rates carry at most six decimal places (万分之0.0001 per day is 0.000001%)
# What a number may look like when sent as a string: ASCII digits only (Python's Decimal would also take
# Arabic-Indic or full-width digits and 1_000), no exponent, and short enough to be a real amount or rate.
_NUMBER_TEXT = re.compile(r"[+-]?[0-9]{1,20}(\.[0-9]{1,20})?")
_NOT_FINITE = re.compile(r"[+-]?(nan|snan|inf|infinity)", re.IGNORECASE)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")
# Unicode categories no reader types on purpose: controls, format characters (bidi overrides, zero-width
# joiners), surrogates, private use, unassigned, and line/paragraph separators.
FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


class Contact(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    APP_MESSAGE = "app_message"
    EMAIL = "email"
    CALL_CONTACTS = "call_contacts"
    CALL_EMPLOYER = "call_employer"
    HOME_VISIT = "home_visit"
    WORKPLACE_VISIT = "workplace_visit"
    NIGHT_CONTACT = "night_contact"
    THREATS_OR_INSULTS = "threats_or_insults"
    IMPERSONATION = "impersonation"
    PUBLIC_EXPOSURE = "public_exposure"
    VIOLENCE_OR_DETENTION = "violence_or_detention"


class LenderType(StrEnum):
    LICENSED = "licensed"
    PRIVATE = "private"
    UNKNOWN = "unknown"


class StageHint(StrEnum):
    """What the reader has received about a debt: the court papers and enforcement give it its place in a plan."""

    NONE = "none"
    COURT_PAPERS = "court_papers"
    PAYMENT_ORDER = "payment_order"
    JUDGMENT = "judgment"
    ENFORCEMENT = "enforcement"


class _Missing:
    """Put in place of a one-debt answer that is required (there are no `debts`) but absent, so that the field's
    own validator names it as missing, beside every other field's error (a model-level check would come alone,
    after the others are fixed)."""

    def __repr__(self) -> str:
        return "missing"


MISSING = _Missing()


def _required(value: Any) -> Any:
    if value is MISSING:
        raise PydanticCustomError("missing", "Field required")
    return value


def _text(value: str, info: ValidationInfo) -> str:
    if "\ufffd" in value:  # bytes that were not UTF-8, replaced while decoding: not what the reader typed
        raise PydanticCustomError("invalid_encoding", "damaged characters")
    forbidden = sorted({ch for ch in value if unicodedata.category(ch) in FORBIDDEN_CATEGORIES})
    if forbidden:
        raise PydanticCustomError("control_characters", "control or formatting characters")
    drawable: frozenset[int] | None = (info.context or {}).get("drawable")
    undrawable = sorted({ch for ch in value if drawable and ord(ch) not in drawable and not ch.isspace()})
    if undrawable:
        raise PydanticCustomError(
            "unsupported_characters", "characters the fonts cannot show", {"characters": "".join(undrawable[:5])}
        )
    return value


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD in ASCII digits (or a date): pydantic would read "1700000000" or a JSON number as a Unix
    timestamp (a due date in 1970)."""
    _required(value)
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value.strip())):
        return value.strip() if isinstance(value, str) else value
    raise PydanticCustomError("date_format", "a date as YYYY-MM-DD")


def _iso_time(value: Any) -> Any:
    """Only HH:MM or HH:MM:SS: pydantic would read a number as seconds since midnight."""
    if isinstance(value, time) or (isinstance(value, str) and _ISO_TIME.fullmatch(value.strip())):
        return value.strip() if isinstance(value, str) else value
    raise PydanticCustomError("time_format", "a time as HH:MM")


def _number_text(value: Any) -> Any:
    """A number given as a string must be written in ASCII digits: the API is strict (the form normalises)."""
    _required(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if _NUMBER_TEXT.fullmatch(text) or _NOT_FINITE.fullmatch(text):
        return text  # NaN and Infinity go on to pydantic, which names them as not finite
    if any(unicodedata.digit(ch, None) is not None for ch in text if not ch.isascii()):
        raise PydanticCustomError("number_format", "digits other than ASCII 0-9")
    raise PydanticCustomError("decimal_parsing", "not a number")


def canonical(value: Decimal) -> Decimal:
    """The same number without an exponent or trailing zeros: JSON's 1e2 is shown as 100, never as 1E+2."""
    return Decimal(format(value.normalize(), "f")) if value else Decimal(0)


def _money_places(value: Decimal) -> Decimal:
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise PydanticCustomError("money_places", "at most two decimal places")
    return canonical(value)


def _rate_places(value: Decimal) -> Decimal:
    if value.as_tuple().exponent < -RATE_PLACES:  # type: ignore[operator]
        raise PydanticCustomError("rate_places", "at most six decimal places", {"places": RATE_PLACES})
    return canonical(value)


def _decimal_schema(minimum: int, maximum: int, *, exclusive: bool, places: int) -> dict[str, Any]:
    """What the API documents for an amount or a rate: a JSON number, or the same number as a decimal string."""
    number: dict[str, Any] = {"type": "number", "maximum": maximum}
    number["exclusiveMinimum" if exclusive else "minimum"] = minimum
    number["multipleOf"] = 10**-places
    fraction = rf"(\.[0-9]{{1,{places}}})?"
    return {"anyOf": [number, {"type": "string", "pattern": rf"^[0-9]{{1,20}}{fraction}$"}]}


IsoDate = Annotated[date, BeforeValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})]
IsoTime = Annotated[
    time,
    BeforeValidator(_iso_time),
    WithJsonSchema({"type": "string", "pattern": r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$"}),
]
Amount = Annotated[
    Decimal,
    BeforeValidator(_number_text),
    Field(gt=0, le=MAX_AMOUNT, allow_inf_nan=False),
    AfterValidator(_money_places),
    WithJsonSchema(_decimal_schema(0, int(MAX_AMOUNT), exclusive=True, places=2)),
]
Payment = Annotated[
    Decimal,
    BeforeValidator(_number_text),
    Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False),
    AfterValidator(_money_places),
    WithJsonSchema(_decimal_schema(0, int(MAX_AMOUNT), exclusive=False, places=2)),
]
AnnualRate = Annotated[
    Decimal,
    BeforeValidator(_number_text),
    Field(ge=0, le=10_000, allow_inf_nan=False),
    AfterValidator(_rate_places),
    WithJsonSchema(_decimal_schema(0, 10_000, exclusive=False, places=RATE_PLACES)),
]
DailyRate = Annotated[
    Decimal,
    BeforeValidator(_number_text),
    Field(ge=0, le=100, allow_inf_nan=False),
    AfterValidator(_rate_places),
    WithJsonSchema(_decimal_schema(0, 100, exclusive=False, places=RATE_PLACES)),
]


class LogEntry(BaseModel):
    """One collection contact the reader recorded: printed as an evidence table."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    date: IsoDate
    time: IsoTime | None = None
    channel: Contact
    note: Annotated[str, StringConstraints(max_length=200), AfterValidator(_text)] = ""
    debt: Annotated[int, Field(ge=0, lt=MAX_DEBTS, strict=True)] | None = None  # 0-based, into `debts`: who it was


Lender = Annotated[str, StringConstraints(min_length=1, max_length=40), AfterValidator(_text)]


def _one_debt_consistent(
    overdue: Decimal | None, outstanding: Decimal | None, contract: date | None, due: date | None
) -> None:
    if outstanding is not None and overdue is not None and outstanding < overdue:
        raise PydanticCustomError("outstanding_below_overdue", "less than the overdue amount")
    if contract is not None and due is not None and contract > due:
        raise PydanticCustomError("contract_after_due", "the contract date is after the due date")


class Debt(BaseModel):
    """One of several debts (DESIGN, "Several debts and a budget"): the one-debt fields, under the lender's name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    lender: Lender
    lender_type: LenderType = LenderType.UNKNOWN
    overdue_amount: Amount
    outstanding_total: Amount | None = None
    annual_rate_percent: AnnualRate | None = None
    penalty_daily_rate_percent: DailyRate | None = None
    contract_date: IsoDate | None = None
    due_date: IsoDate
    stage_hint: StageHint = StageHint.NONE

    @model_validator(mode="after")
    def _consistent(self) -> "Debt":
        _one_debt_consistent(self.overdue_amount, self.outstanding_total, self.contract_date, self.due_date)
        return self

    @property
    def owed(self) -> Decimal:
        """Everything owed on it, as far as the reader said: the outstanding total, else the overdue amount."""
        return self.outstanding_total or self.overdue_amount


class Budget(BaseModel):
    """Money in and the money that must go on rent, food, medicine, children and transport, each month."""

    model_config = ConfigDict(extra="forbid")

    monthly_income: Payment
    essential_costs: Payment
    dependants: Annotated[int, Field(ge=0, le=MAX_DEPENDANTS, strict=True)] | None = None


# The answers that describe one debt: with `debts`, each debt carries its own and these are not given.
ONE_DEBT_FIELDS = (
    "due_date",
    "overdue_amount",
    "outstanding_total",
    "annual_rate_percent",
    "penalty_daily_rate_percent",
    "contract_date",
    "lender_type",
    "platform",
    "stage_hint",
)


class Answers(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    variant: Literal["zh-Hans", "zh-Hant"] = "zh-Hans"
    as_of: IsoDate | None = None
    # Required unless `debts` is given (see _one_debt_or_several): None only in answers with debts.
    due_date: IsoDate | None = None
    overdue_amount: Amount | None = None
    outstanding_total: Amount | None = None
    annual_rate_percent: AnnualRate | None = None
    penalty_daily_rate_percent: DailyRate | None = None
    contract_date: IsoDate | None = None
    lender_type: LenderType = LenderType.UNKNOWN
    contacts: list[Contact] = Field(default_factory=list, max_length=len(Contact))
    reachable: bool = True
    monthly_payment: Payment | None = None
    platform: Annotated[str, StringConstraints(min_length=1, max_length=40), AfterValidator(_text)] = DEFAULT_PLATFORM
    contact_log: list[LogEntry] = Field(default_factory=list, max_length=MAX_LOG_ENTRIES)
    stage_hint: StageHint = StageHint.NONE
    debts: list[Debt] | None = Field(default=None, min_length=1, max_length=MAX_DEBTS)
    budget: Budget | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_debt_or_several(cls, data: Any) -> Any:
        """Without `debts`, the due date and the overdue amount are required: mark the absent ones for their own
        validators to name. With `debts`, no one-debt answer may be given as well."""
        if not isinstance(data, dict) or data.get("debts") is not None:
            return data
        return {**data, **{f: MISSING for f in ("due_date", "overdue_amount") if data.get(f) is None}}

    @model_validator(mode="after")
    def _consistent(self) -> "Answers":
        if self.debts is not None and self.model_fields_set & set(ONE_DEBT_FIELDS):
            raise PydanticCustomError("one_debt_and_debts", "one-debt answers given beside debts")
        _one_debt_consistent(self.overdue_amount, self.outstanding_total, self.contract_date, self.due_date)
        if len(set(self.contacts)) != len(self.contacts):
            raise PydanticCustomError("duplicate_contacts", "a contact type appears twice")
        count = len(self.debts or [])
        if any(entry.debt is not None and entry.debt >= count for entry in self.contact_log):
            raise PydanticCustomError("log_debt_unknown", "a log row names a debt that is not in the list")
        return self

    @property
    def several(self) -> bool:
        """Answers with a list of debts (even of one): the plan's answers, not today's one-debt answers."""
        return self.debts is not None

    def debt_answers(self, index: int, monthly_payment: Decimal | None) -> "Answers":
        """One debt of several as one-debt answers, assessed as one debt is: its lender as the platform, the
        contact log's rows that name it, and `monthly_payment` (its offer in the plan). The contacts ticked and
        the log rows that name no debt belong to the reader as a whole, not to one lender."""
        debt = (self.debts or [])[index]
        return Answers.model_construct(
            variant=self.variant,
            as_of=self.as_of,
            due_date=debt.due_date,
            overdue_amount=debt.overdue_amount,
            outstanding_total=debt.outstanding_total,
            annual_rate_percent=debt.annual_rate_percent,
            penalty_daily_rate_percent=debt.penalty_daily_rate_percent,
            contract_date=debt.contract_date,
            lender_type=debt.lender_type,
            contacts=[],
            reachable=self.reachable,
            monthly_payment=monthly_payment,
            platform=debt.lender,
            contact_log=[entry for entry in self.contact_log if entry.debt == index],
            stage_hint=debt.stage_hint,
            debts=None,
            budget=None,
        )


# Errors raised by the model validator belong to these fields (pydantic reports them at the root).
MODEL_ERROR_FIELDS = {
    "outstanding_below_overdue": "outstanding_total",
    "duplicate_contacts": "contacts",
    "contract_after_due": "contract_date",
    "one_debt_and_debts": "debts",
    "log_debt_unknown": "contact_log",
}


def answers_from(data: object, drawable: frozenset[int] | None) -> Answers:
    """Answers from plain data, or pydantic's ValidationError; `drawable`: the code points a PDF can show (None:
    no font check, for callers that print nothing)."""
    return Answers.model_validate(data, context={"drawable": drawable})
