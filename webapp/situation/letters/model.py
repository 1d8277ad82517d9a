"""What each kind of letter needs: one pydantic model per kind, with DESIGN's field names and bounds.

Text fields get the situation's checks (no control or formatting characters, only characters the PDF font can
draw: the `drawable` set comes in through the validation context). Refusals are validation errors too: an
objection to a 支付令 whose only reason is that the reader cannot pay is refused on `reasons` (code
`cannot_pay_only`); the glue adds the sourced explanation of what the court does with such an objection.
"""

from datetime import date as Date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from webapp.situation.model import MAX_LOG_ENTRIES, Amount, Contact, IsoDate, IsoTime, LogEntry, _text


class LetterKind(StrEnum):
    PAYMENT_ORDER_OBJECTION = "payment-order-objection"
    CONTACT_RESTRICTION = "contact-restriction"
    REPAYMENT_PROPOSAL = "repayment-proposal"
    COMPLAINT = "complaint"
    CREDIT_DISPUTE = "credit-dispute"
    RECORDS_REQUEST = "records-request"


class LenderKind(StrEnum):
    BANK = "bank"
    CONSUMER_FINANCE = "consumer_finance"
    SMALL_LOAN = "small_loan"
    PLATFORM = "platform"
    PRIVATE = "private"
    UNKNOWN = "unknown"


# Licensed financial institutions: the private-lending rate line (4 x LPR) does not bind them.
LICENSED_KINDS = frozenset({LenderKind.BANK, LenderKind.CONSUMER_FINANCE, LenderKind.SMALL_LOAN})


class ObjectionReason(StrEnum):
    AMOUNT_DISPUTED = "amount_disputed"
    INTEREST_ABOVE_AGREED = "interest_above_agreed"
    INTEREST_ABOVE_CAP = "interest_above_cap"
    FEES_NOT_AGREED = "fees_not_agreed"
    ALREADY_PAID = "already_paid"
    NOT_MY_DEBT = "not_my_debt"
    OTHER = "other"
    CANNOT_PAY = "cannot_pay"  # never enough alone: CPL-I Art. 436


class AllowedChannel(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    APP_MESSAGE = "app_message"
    EMAIL = "email"


class ThirdParty(StrEnum):
    FAMILY = "family"
    FRIENDS = "friends"
    EMPLOYER = "employer"
    OTHERS = "others"


class RecordItem(StrEnum):
    CONTRACT = "contract"
    REPAYMENT_RECORD = "repayment_record"
    FEE_BREAKDOWN = "fee_breakdown"
    ANNUAL_RATE = "annual_rate"
    PERSONAL_DATA = "personal_data"


Name = Annotated[str, StringConstraints(max_length=40), AfterValidator(_text)]
Lender = Annotated[str, StringConstraints(min_length=1, max_length=40), AfterValidator(_text)]
Court = Annotated[str, StringConstraints(min_length=1, max_length=60), AfterValidator(_text)]
CaseNumber = Annotated[str, StringConstraints(min_length=1, max_length=60), AfterValidator(_text)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(_text)]
Words = Annotated[str, StringConstraints(max_length=500), AfterValidator(_text)]
Story = Annotated[str, StringConstraints(max_length=1000), AfterValidator(_text)]
Account = Annotated[str, StringConstraints(min_length=1, max_length=1000), AfterValidator(_text)]


def _unique(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise PydanticCustomError("duplicate_choices", "a choice appears twice")
    return values


Unique = AfterValidator(_unique)


class LetterBase(BaseModel):
    """What every letter has: who writes, to which lender, on which day, in which script."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    variant: Literal["zh-Hans", "zh-Hant"] = "zh-Hans"
    name: Name = ""  # blank: the letter leaves a line to write the name by hand
    lender: Lender
    lender_kind: LenderKind = LenderKind.UNKNOWN
    date: IsoDate | None = None  # the letter's date; default today in Asia/Shanghai


class PaymentOrderObjection(LetterBase):
    court: Court
    case_number: CaseNumber
    received_on: IsoDate
    reasons: Annotated[list[ObjectionReason], Field(min_length=1, max_length=len(ObjectionReason)), Unique]
    scope: Literal["whole", "part"] = "whole"  # part: only some of the order's claims are disputed
    details: Story = ""  # the facts in the reader's own words

    @model_validator(mode="after")
    def _consistent(self) -> "PaymentOrderObjection":
        if set(self.reasons) == {ObjectionReason.CANNOT_PAY}:
            raise PydanticCustomError("cannot_pay_only", "inability to pay alone does not stop a payment order")
        if ObjectionReason.OTHER in self.reasons and not self.details:
            raise PydanticCustomError("other_needs_details", "say what the other reason is")
        if self.date is not None and self.received_on > self.date:
            raise PydanticCustomError("received_after_letter", "received after the letter's date")
        return self


class Hours(BaseModel):
    """The hours the reader proposes for contact (a proposal: no law lets a borrower fix them)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: IsoTime = Field(alias="from")
    end: IsoTime = Field(alias="until")

    @model_validator(mode="after")
    def _ordered(self) -> "Hours":
        if self.start >= self.end:
            raise PydanticCustomError("hours_order", "the end is not after the start")
        return self


class ContactRestriction(LetterBase):
    channels: Annotated[list[AllowedChannel], Field(min_length=1, max_length=len(AllowedChannel)), Unique]
    hours: Hours | None = None
    third_parties: Annotated[list[ThirdParty], Field(max_length=len(ThirdParty)), Unique] = []


class RepaymentProposal(LetterBase):
    monthly: Amount | None = None  # an instalment each month
    offer: Amount | None = None  # or one payment that settles the loan
    reason: Short  # why the reader could not pay, in their own words
    start: IsoDate
    ask_waiver: bool = True  # ask to waive penalty interest

    @model_validator(mode="after")
    def _consistent(self) -> "RepaymentProposal":
        if self.monthly is None and self.offer is None:
            raise PydanticCustomError("offer_or_monthly", "give a monthly amount or a one-off offer")
        if self.date is not None and self.start < self.date:
            raise PydanticCustomError("start_in_past", "the start is before the letter's date")
        return self


class Complaint(LetterBase):
    about: Literal["collection", "credit_report"] = "collection"
    contacts: Annotated[list[Contact], Field(max_length=len(Contact)), Unique] = []
    contact_log: list[LogEntry] = Field(default_factory=list, max_length=MAX_LOG_ENTRIES)
    what_happened: Story = ""
    asked_for: Words = ""

    @model_validator(mode="after")
    def _consistent(self) -> "Complaint":
        if not (self.contacts or self.contact_log or self.what_happened):
            raise PydanticCustomError("nothing_to_complain", "say what happened")
        # A row's `debt` (the situation's index of the debt it was about) is accepted and not printed: the letter
        # is about one lender. Rows about two debts are two lenders' contacts, not evidence against this one.
        if len({entry.debt for entry in self.contact_log if entry.debt is not None}) > 1:
            raise PydanticCustomError("log_debts_mixed", "the rows are about different debts")
        return self


class CreditDispute(LetterBase):
    send_to: Literal["credit_center", "lender"] = "credit_center"
    entry: Short  # the record: institution, kind of account, date, amount
    why_wrong: Account


class RecordsRequest(LetterBase):
    items: Annotated[list[RecordItem], Field(min_length=1, max_length=len(RecordItem)), Unique]


LetterAnswers = (
    PaymentOrderObjection | ContactRestriction | RepaymentProposal | Complaint | CreditDispute | RecordsRequest
)
MODELS: dict[LetterKind, type[LetterBase]] = {
    LetterKind.PAYMENT_ORDER_OBJECTION: PaymentOrderObjection,
    LetterKind.CONTACT_RESTRICTION: ContactRestriction,
    LetterKind.REPAYMENT_PROPOSAL: RepaymentProposal,
    LetterKind.COMPLAINT: Complaint,
    LetterKind.CREDIT_DISPUTE: CreditDispute,
    LetterKind.RECORDS_REQUEST: RecordsRequest,
}

# Errors raised by a model validator belong to these fields (pydantic reports them at the model's root).
MODEL_ERROR_FIELDS = {
    "cannot_pay_only": "reasons",
    "other_needs_details": "details",
    "received_after_letter": "received_on",
    "offer_or_monthly": "monthly",
    "start_in_past": "start",
    "nothing_to_complain": "what_happened",
    "log_debts_mixed": "contact_log",
}


def letter_from(kind: LetterKind, data: object, drawable: frozenset[int] | None) -> LetterBase:
    """A kind's answers from plain data, or pydantic's ValidationError. `drawable`: the code points the PDF
    can show (None: no font check)."""
    return MODELS[kind].model_validate(data, context={"drawable": drawable})


def letter_date(answers: LetterBase, today: Date) -> Date:
    return answers.date or today
