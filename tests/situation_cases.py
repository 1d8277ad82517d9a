"""Golden situations: answers -> the facts the assessment must state. Shared by the JSON and the PDF tests.

Each case fixes `as_of`, so the outcome never depends on the day the tests run.
"""

from dataclasses import dataclass, field

AS_OF = "2026-11-28"
ALL_CONTACTS = [
    "phone",
    "sms",
    "app_message",
    "email",
    "call_contacts",
    "call_employer",
    "home_visit",
    "workplace_visit",
    "night_contact",
    "threats_or_insults",
    "impersonation",
    "public_exposure",
    "violence_or_detention",
]


@dataclass(frozen=True)
class Case:
    answers: dict
    days_overdue: int
    stage: str
    penalty: dict | None = None  # expected penalty object, or None
    interest_cap: dict | None = None  # expected subset of the interest_cap object
    months: int | None = None  # expected repayment plan months (None: no plan, or cannot pay)
    actions: list[str] = field(default_factory=list)  # must appear, in this relative order
    not_actions: list[str] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)
    pdf_text: list[str] = field(default_factory=list)  # zh-Hans text the PDF must show (no spaces)


def base(**answers: object) -> dict:
    return {"as_of": AS_OF, "due_date": "2026-10-01", "overdue_amount": "10000", **answers}


CASES: dict[str, Case] = {
    "due today is day 0, not yet overdue": Case(
        base(due_date="2026-11-28"), 0, "not_due", actions=["contact_before_due"], not_actions=["check_credit_report"]
    ),
    "one day overdue is M1": Case(base(due_date="2026-11-27"), 1, "m1", actions=["contact_platform"]),
    "day 30 is still M1": Case(base(due_date="2026-10-29"), 30, "m1"),
    "day 31 is M2": Case(base(due_date="2026-10-28"), 31, "m2"),
    "day 60 is still M2": Case(base(due_date="2026-09-29"), 60, "m2"),
    "day 61 is M3": Case(base(due_date="2026-09-28"), 61, "m3", not_actions=["prepare_for_lawsuit"]),
    "day 90 is still M3": Case(base(due_date="2026-08-30"), 90, "m3"),
    "day 91 is past M3: prepare for a lawsuit": Case(
        base(due_date="2026-08-29"), 91, "m3_plus", actions=["prepare_for_lawsuit"]
    ),
    "future due date: negative days, no penalty yet, prevention first": Case(
        base(due_date="2026-12-10", penalty_daily_rate_percent="0.05"),
        -12,
        "not_due",
        penalty={
            "daily_rate_percent": "0.05",
            "to_date": "0.00",
            "projection": {"30": "90.00", "60": "240.00", "90": "390.00"},
        },
        actions=["contact_before_due"],
        pdf_text=["距离还款日还有", "12天"],
    ),
    "leap day due date counts across 29 February": Case(
        base(as_of="2024-03-01", due_date="2024-02-29", contract_date="2024-02-29"),
        1,
        "m1",
        interest_cap={"lpr_percent": "3.45", "lpr_date": "2023-08-21", "cap_percent": "13.80"},
    ),
    "penalty with the formula: 10,000 x 0.05% x 58 days": Case(
        base(due_date="2026-10-01", penalty_daily_rate_percent="0.05"),
        58,
        "m2",
        penalty={
            "daily_rate_percent": "0.05",
            "to_date": "290.00",
            "projection": {"30": "440.00", "60": "590.00", "90": "740.00"},
        },
        pdf_text=["¥10,000.00×0.05%×58天=¥290.00", "再过30天", "¥440.00"],
    ),
    "rounding where float and Decimal differ: 2.675 rounds up to 2.68": Case(
        base(due_date="2026-11-27", overdue_amount="535", penalty_daily_rate_percent="0.5"),
        1,
        "m1",
        penalty={
            "daily_rate_percent": "0.5",
            "to_date": "2.68",
            "projection": {"30": "82.93", "60": "163.18", "90": "243.43"},
        },
        pdf_text=["¥2.68"],
    ),
    "every contact type is judged, violence first in the steps": Case(
        base(contacts=list(reversed(ALL_CONTACTS))),
        58,
        "m2",
        actions=["safety_first", "report_unlawful", "know_the_debt", "protect_contacts", "visit_rights"],
        levels={
            **dict.fromkeys(["phone", "sms", "app_message", "email"], "normal"),
            **dict.fromkeys(
                ["call_contacts", "call_employer", "home_visit", "workplace_visit", "night_contact"], "restricted"
            ),
            **dict.fromkeys(
                ["threats_or_insults", "impersonation", "public_exposure", "violence_or_detention"], "unlawful"
            ),
        },
        pdf_text=["不允许", "有条件才允许", "110"],
    ),
    "only what is required: no penalty, no cap, no plan, no contacts": Case(
        {"as_of": AS_OF, "due_date": "2026-11-01", "overdue_amount": "800"},
        27,
        "m1",
        actions=[
            "know_the_debt",
            "contact_platform",
            "make_plan",
            "check_rate",
            "check_credit_report",
            "keep_evidence",
        ],
        not_actions=["follow_plan", "rate_above_cap", "report_unlawful"],
        pdf_text=["你没有填写罚息利率"],
    ),
    "the largest amounts stay exact": Case(
        base(
            due_date="2026-08-29",
            overdue_amount="10000000",
            outstanding_total="10000000",
            penalty_daily_rate_percent="100",
            monthly_payment="0.01",
        ),
        91,
        "m3_plus",
        penalty={
            "daily_rate_percent": "100",
            "to_date": "910000000.00",
            "projection": {"30": "1210000000.00", "60": "1510000000.00", "90": "1810000000.00"},
        },
        months=92000000000,
        actions=["plan_too_long"],
        pdf_text=["¥910,000,000.00"],
    ),
    "private lender above 4 x LPR at the contract date": Case(
        base(contract_date="2025-06-01", annual_rate_percent="24", lender_type="private"),
        58,
        "m2",
        interest_cap={
            "lpr_percent": "3.00",
            "lpr_date": "2025-05-20",
            "cap_percent": "12.00",
            "annual_rate_exceeds": True,
            "applies": True,
            "lpr_checked": True,
        },
        actions=["rate_above_cap"],
        not_actions=["check_rate"],
        pdf_text=["超过了这条参考线", "3.00%"],
    ),
    "licensed lender above the line: the rule does not apply, check the rate instead": Case(
        base(contract_date="2025-06-01", annual_rate_percent="24", lender_type="licensed"),
        58,
        "m2",
        interest_cap={"cap_percent": "12.00", "annual_rate_exceeds": True, "applies": False},
        actions=["check_rate"],
        not_actions=["rate_above_cap"],
        pdf_text=["不适用这条民间借贷规则"],
    ),
    "private lender within the line": Case(
        base(contract_date="2025-06-01", annual_rate_percent="10", lender_type="private"),
        58,
        "m2",
        interest_cap={"annual_rate_exceeds": False, "applies": True},
        not_actions=["rate_above_cap"],
    ),
    "LPR changes on its publication day: 20 October 2024 is 3.35%": Case(
        base(contract_date="2024-10-20"),
        58,
        "m2",
        interest_cap={"lpr_percent": "3.35", "lpr_date": "2024-07-22", "lpr_checked": False},
        pdf_text=["还没有对照官方公告重新核对"],
    ),
    "LPR changes on its publication day: 21 October 2024 is 3.10%": Case(
        base(contract_date="2024-10-21"), 58, "m2", interest_cap={"lpr_percent": "3.10", "lpr_date": "2024-10-21"}
    ),
    "contract before the LPR reform: no reference line computed": Case(
        base(contract_date="2019-01-01"), 58, "m2", interest_cap=None, pdf_text=["2019年8月20日以前的合同"]
    ),
    "unreachable borrower is told to stay reachable": Case(base(reachable=False), 58, "m2", actions=["stay_reachable"]),
    "nothing to pay now: no schedule, ask for an extension": Case(
        base(monthly_payment="0"), 58, "m2", months=None, actions=["cannot_pay_now"], pdf_text=["你现在暂时还不上"]
    ),
    "a plan: 10,000 plus 290 penalty at 1,500 a month is 7 months": Case(
        base(monthly_payment="1500", penalty_daily_rate_percent="0.05"),
        58,
        "m2",
        months=7,
        actions=["follow_plan"],
        pdf_text=["每月还¥1,500.00", "大约需要7个月"],
    ),
    "a plan longer than three years is flagged": Case(
        base(outstanding_total="100000", monthly_payment="500"), 58, "m2", months=200, actions=["plan_too_long"]
    ),
    "the contact log is printed as evidence": Case(
        base(
            contacts=["phone", "threats_or_insults"],
            contact_log=[
                {"date": "2026-11-20", "time": "21:30", "channel": "phone", "note": "说要去我单位"},
                {"date": "2026-11-21", "channel": "threats_or_insults", "note": "短信辱骂 <b>不是标签</b>"},
            ],
        ),
        58,
        "m2",
        pdf_text=["说要去我单位", "短信辱骂<b>不是标签</b>", "21:30"],
    ),
}
