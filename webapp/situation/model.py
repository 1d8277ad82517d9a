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


class Answers(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    variant: Literal["zh-Hans", "zh-Hant"] = "zh-Hans"
    as_of: IsoDate | None = None
    due_date: IsoDate
    overdue_amount: Amount
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

    @model_validator(mode="after")
    def _consistent(self) -> "Answers":
        if self.outstanding_total is not None and self.outstanding_total < self.overdue_amount:
            raise PydanticCustomError("outstanding_below_overdue", "less than the overdue amount")
        if len(set(self.contacts)) != len(self.contacts):
            raise PydanticCustomError("duplicate_contacts", "a contact type appears twice")
        if self.contract_date is not None and self.contract_date > self.due_date:
            raise PydanticCustomError("contract_after_due", "the contract date is after the due date")
        return self


# Errors raised by the model validator belong to these fields (pydantic reports them at the root).
MODEL_ERROR_FIELDS = {
    "outstanding_below_overdue": "outstanding_total",
    "duplicate_contacts": "contacts",
    "contract_after_due": "contract_date",
}


def answers_from(data: object, drawable: frozenset[int] | None) -> Answers:
    """Answers from plain data, or pydantic's ValidationError; `drawable`: the code points a PDF can show (None:
    no font check, for callers that print nothing)."""
    return Answers.model_validate(data, context={"drawable": drawable})
