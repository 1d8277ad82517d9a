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
    pdf_absent: list[str] = field(default_factory=list)  # zh-Hans text the PDF must not show
    warnings: list[str] | None = None  # the exact warning codes, in order (None: not checked)
    log_rows: dict[str, list[int]] = field(default_factory=dict)  # contact -> the log rows that show it


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
            "annual_equivalent_percent": "18.25",
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
            "annual_equivalent_percent": "18.25",
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
            "annual_equivalent_percent": "182.5",
            "to_date": "2.68",
            "projection": {"30": "82.93", "60": "163.18", "90": "243.43"},
        },
        pdf_text=["¥2.68", "这个罚息利率高得不寻常"],
        warnings=["rate_implausible"],
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
            "annual_equivalent_percent": "36500",
            "to_date": "910000000.00",
            "projection": {"30": "1210000000.00", "60": "1510000000.00", "90": "1810000000.00"},
        },
        months=92000000000,
        actions=["plan_too_long"],
        pdf_text=["¥910,000,000.00"],
        warnings=["rate_implausible"],
    ),
    "private lender above 4 x LPR at the contract date": Case(
        base(contract_date="2025-06-01", annual_rate_percent="24", lender_type="private"),
        58,
        "m2",
        interest_cap={
            "basis": "contract_date",
            "lpr_percent": "3.00",
            "lpr_date": "2025-05-20",
            "cap_percent": "12.00",
            "annual_rate_exceeds": True,
            "applies": True,
            "lpr_checked": True,
        },
        actions=["rate_above_cap"],
        not_actions=["check_rate"],
        pdf_text=["你填写的年化利率24%高于这条线", "当时的一年期LPR是3.00%", "4倍是每年12.00%"],
        warnings=[],
    ),
    "licensed lender above the line: the rule does not apply, check the rate instead": Case(
        base(contract_date="2025-06-01", annual_rate_percent="24", lender_type="licensed"),
        58,
        "m2",
        interest_cap={"cap_percent": "12.00", "annual_rate_exceeds": True, "applies": False},
        actions=["check_rate"],
        not_actions=["rate_above_cap"],
        pdf_text=["持牌金融机构不适用民间借贷的这条规则"],
        pdf_absent=["高于这条线", "高于这个数字"],
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
        interest_cap={"lpr_percent": "3.35", "lpr_date": "2024-07-22", "lpr_checked": True},
        pdf_text=["当时的一年期LPR是3.35%", "2024年7月22日的报价"],
        pdf_absent=["假定报价没有变化"],
        warnings=[],
    ),
    "LPR changes on its publication day: 21 October 2024 is 3.10%": Case(
        base(contract_date="2024-10-21"), 58, "m2", interest_cap={"lpr_percent": "3.10", "lpr_date": "2024-10-21"}
    ),
    "contract before the LPR reform: the transition rule, shown as if sued today": Case(
        base(contract_date="2019-01-01"),
        58,
        "m2",
        interest_cap={
            "basis": "if_sued_today",
            "lpr_percent": "3.00",
            "lpr_date": "2025-05-20",
            "lpr_checked": False,
            "cap_percent": "12.00",
        },
        pdf_text=["2020年8月20日以前，适用过渡规定", "如果今天起诉，4倍是每年12.00%"],
        pdf_absent=["2019年8月20日以前的合同"],
        warnings=["lpr_unconfirmed"],
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
        log_rows={"phone": [0], "threats_or_insults": [1]},
    ),
    # --- Issue #11: the cap rule by lender type and contract date -------------------------------------------------
    "unknown lender above the line: no cap claim, find out who lends": Case(
        base(contract_date="2025-06-01", annual_rate_percent="24"),
        58,
        "m2",
        interest_cap={"basis": "contract_date", "cap_percent": "12.00", "annual_rate_exceeds": True, "applies": None},
        actions=["check_rate"],
        not_actions=["rate_above_cap"],
        pdf_text=["高于这个数字", "看借款合同里写的出借人", "不能说你的利率“超过了上限”"],
        pdf_absent=["高于这条线"],
        warnings=[],
    ),
    "unknown lender below the line": Case(
        base(contract_date="2025-06-01", annual_rate_percent="10"),
        58,
        "m2",
        interest_cap={"annual_rate_exceeds": False, "applies": None},
        actions=["check_rate"],
        not_actions=["rate_above_cap"],
        pdf_absent=["高于这个数字", "高于这条线", "没有超过这条线"],
    ),
    "licensed lender below the line": Case(
        base(contract_date="2025-06-01", annual_rate_percent="10", lender_type="licensed"),
        58,
        "m2",
        interest_cap={"annual_rate_exceeds": False, "applies": False},
        actions=["check_rate"],
        not_actions=["rate_above_cap"],
        pdf_text=["持牌金融机构不适用民间借贷的这条规则"],
        pdf_absent=["没有超过这条线"],
    ),
    "private lender exactly at the line is not above it": Case(
        base(contract_date="2025-06-01", annual_rate_percent="12", lender_type="private"),
        58,
        "m2",
        interest_cap={"cap_percent": "12.00", "annual_rate_exceeds": False, "applies": True},
        not_actions=["rate_above_cap", "check_rate"],
        pdf_text=["你填写的年化利率12%没有超过这条线"],
    ),
    "contract made on 2020-08-20: the LPR at the contract date": Case(
        base(contract_date="2020-08-20", annual_rate_percent="24", lender_type="private"),
        58,
        "m2",
        interest_cap={
            "basis": "contract_date",
            "lpr_percent": "3.85",
            "lpr_date": "2020-04-20",
            "cap_percent": "15.40",
            "annual_rate_exceeds": True,
            "lpr_checked": True,
        },
        actions=["rate_above_cap"],
        pdf_text=["你的合同成立于2020年8月20日", "4倍是每年15.40%"],
        pdf_absent=["过渡规定"],
    ),
    "contract made on 2020-08-19: the transition rule, never a contract-date cap": Case(
        base(contract_date="2020-08-19", annual_rate_percent="24", lender_type="private"),
        58,
        "m2",
        interest_cap={
            "basis": "if_sued_today",
            "lpr_percent": "3.00",
            "cap_percent": "12.00",
            "annual_rate_exceeds": True,
            "applies": True,
        },
        not_actions=["rate_above_cap", "check_rate"],
        pdf_text=["起诉时本规定的利率保护标准", "只能作参考"],
        pdf_absent=["4倍是每年15.40%", "高于这条线"],
        warnings=["lpr_unconfirmed"],
    ),
    "licensed lender, old contract: the transition rule and the licensed lender's note": Case(
        base(contract_date="2018-05-01", annual_rate_percent="30", lender_type="licensed"),
        58,
        "m2",
        interest_cap={"basis": "if_sued_today", "applies": False},
        actions=["check_rate"],
        not_actions=["rate_above_cap"],
        pdf_text=["适用过渡规定", "持牌金融机构不适用"],
    ),
    "contract on the last confirmed fixing day is confirmed": Case(
        base(contract_date="2026-02-24", lender_type="private", annual_rate_percent="8"),
        58,
        "m2",
        interest_cap={"lpr_percent": "3.00", "lpr_checked": True, "cap_percent": "12.00"},
        pdf_absent=["假定报价没有变化"],
        warnings=[],
    ),
    "contract before the next fixing can come (2026-03-01): the confirmed fixing is in force, no errand": Case(
        base(contract_date="2026-03-01", lender_type="private", annual_rate_percent="8"),
        58,
        "m2",
        interest_cap={"lpr_percent": "3.00", "lpr_checked": True, "cap_percent": "12.00"},
        pdf_absent=["假定报价没有变化", "请到中国货币网核对"],
        warnings=[],
    ),
    "contract once a new fixing may have come: LPR assumed unchanged, and said so": Case(
        base(contract_date="2026-03-20", lender_type="private", annual_rate_percent="24"),
        58,
        "m2",
        interest_cap={"lpr_percent": "3.00", "lpr_date": "2025-05-20", "lpr_checked": False, "cap_percent": "12.00"},
        actions=["rate_above_cap"],
        pdf_text=["一年期LPR的报价只核对到2026年2月24日", "2026年3月20日晚于这个日期", "假定报价没有变化"],
        warnings=["lpr_unconfirmed"],
    ),
    # --- The log is evidence ------------------------------------------------------------------------------------
    "a logged call at 23:40 is a night contact, with nothing ticked": Case(
        base(contact_log=[{"date": "2026-11-20", "time": "23:40", "channel": "phone", "note": "半夜打来"}]),
        58,
        "m2",
        levels={"phone": "normal", "night_contact": "restricted"},
        log_rows={"phone": [0], "night_contact": [0]},
        pdf_text=["见你的记录：第1行", "不在晚上10点到早上8点之间催收", "23:40"],
    ),
    "a logged workplace visit is judged and leads to the visit step": Case(
        base(
            contact_log=[{"date": "2026-11-21", "time": "10:15", "channel": "workplace_visit", "note": "两个人到公司"}]
        ),
        58,
        "m2",
        actions=["visit_rights"],
        levels={"workplace_visit": "restricted"},
        log_rows={"workplace_visit": [0]},
        pdf_text=["到你的单位找你", "不经同意不进入单位"],
    ),
    "08:00 is daytime, 07:59 is night": Case(
        base(
            contact_log=[
                {"date": "2026-11-20", "time": "08:00", "channel": "phone"},
                {"date": "2026-11-21", "time": "07:59", "channel": "sms"},
            ]
        ),
        58,
        "m2",
        log_rows={"phone": [0], "sms": [1], "night_contact": [1]},
    ),
    "22:00 is night, 21:59 is not": Case(
        base(
            contact_log=[
                {"date": "2026-11-20", "time": "21:59", "channel": "phone"},
                {"date": "2026-11-20", "time": "22:00", "channel": "phone"},
            ]
        ),
        58,
        "m2",
        log_rows={"phone": [0, 1], "night_contact": [1]},
        pdf_text=["见你的记录：第2行"],
    ),
    "mixed: a ticked call and a logged threat, each judged once": Case(
        base(
            contacts=["phone", "home_visit"],
            contact_log=[
                {"date": "2026-11-22", "channel": "threats_or_insults", "note": "说要让我好看"},
                {"date": "2026-11-23", "time": "14:00", "channel": "home_visit", "note": "敲门"},
            ],
        ),
        58,
        "m2",
        actions=["report_unlawful", "visit_rights"],
        levels={"phone": "normal", "home_visit": "restricted", "threats_or_insults": "unlawful"},
        log_rows={"phone": [], "home_visit": [1], "threats_or_insults": [0]},
        pdf_text=["不得用恐吓、侮辱等方式催收", "见你的记录：第1行", "见你的记录：第2行"],
    ),
    "a logged call to the reader's contacts asks them to stop": Case(
        base(contact_log=[{"date": "2026-11-24", "channel": "call_contacts", "note": "打给我妈"}]),
        58,
        "m2",
        actions=["protect_contacts"],
        log_rows={"call_contacts": [0]},
    ),
    "logged violence puts safety first": Case(
        base(contact_log=[{"date": "2026-11-25", "time": "19:00", "channel": "violence_or_detention"}]),
        58,
        "m2",
        actions=["safety_first", "report_unlawful"],
        log_rows={"violence_or_detention": [0]},
        pdf_text=["先保证安全"],
    ),
    "a logged night contact is not listed twice": Case(
        base(contact_log=[{"date": "2026-11-25", "time": "23:00", "channel": "night_contact"}]),
        58,
        "m2",
        log_rows={"night_contact": [0]},
    ),
    # --- Rates ----------------------------------------------------------------------------------------------------
    "0.1% a day is not flagged": Case(
        base(penalty_daily_rate_percent="0.1"), 58, "m2", warnings=[], pdf_absent=["这个罚息利率高得不寻常"]
    ),
    "0.100001% a day is flagged for the reader to check": Case(
        base(penalty_daily_rate_percent="0.100001"),
        58,
        "m2",
        penalty={
            "daily_rate_percent": "0.100001",
            "annual_equivalent_percent": "36.500365",
            "to_date": "580.01",
            "projection": {"30": "880.01", "60": "1180.01", "90": "1480.01"},
        },
        warnings=["rate_implausible"],
        pdf_text=["这个罚息利率高得不寻常", "每天0.100001%"],
    ),
    "5% a day on 12,000 is shown with its annual equivalent and flagged": Case(
        base(overdue_amount="12000", penalty_daily_rate_percent="5"),
        58,
        "m2",
        penalty={
            "daily_rate_percent": "5",
            "annual_equivalent_percent": "1825",
            "to_date": "34800.00",
            "projection": {"30": "52800.00", "60": "70800.00", "90": "88800.00"},
        },
        warnings=["rate_implausible"],
        pdf_text=["按一年365天算约为1825%", "¥34,800.00"],
    ),
}
