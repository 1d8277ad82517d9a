"""Letters as readers would ask for them: one typical set of answers per kind, and the refusals. Shared by the
golden-letter, PDF and browser tests. Each fixes `date`, so no letter depends on the day the tests run."""

LETTER_DATE = "2026-12-03"
KINDS = [
    "payment-order-objection",
    "contact-restriction",
    "repayment-proposal",
    "complaint",
    "credit-dispute",
    "records-request",
]
TYPICAL: dict[str, dict[str, object]] = {
    "payment-order-objection": {
        "name": "张三",
        "lender": "长沙五八小额贷款有限责任公司",
        "lender_kind": "small_loan",
        "court": "长沙市岳麓区人民法院",
        "case_number": "（2026）湘0104民督123号",
        "received_on": "2026-11-25",
        "reasons": ["amount_disputed", "fees_not_agreed", "already_paid"],
        "scope": "part",
        "details": "我在2026年10月8日已经还了2000元，支付令上的金额没有扣除。",
        "date": LETTER_DATE,
    },
    "contact-restriction": {
        "lender": "58金融",
        "channels": ["phone", "app_message"],
        "hours": {"from": "09:00", "until": "20:00"},
        "third_parties": ["family", "employer"],
        "date": LETTER_DATE,
    },
    "repayment-proposal": {
        "name": "李四",
        "lender": "58金融",
        "monthly": "800",
        "offer": "5000",
        "reason": "今年8月失业，10月才找到新工作",
        "start": "2026-12-15",
        "date": LETTER_DATE,
    },
    "complaint": {
        "lender": "某消费金融有限公司",
        "lender_kind": "consumer_finance",
        "contacts": ["call_contacts", "threats_or_insults"],
        "contact_log": [
            {"date": "2026-11-02", "time": "22:40", "channel": "phone", "note": "半夜打电话催款"},
            {"date": "2026-11-05", "channel": "call_contacts", "note": "给我母亲打电话，说我欠钱不还"},
            {"date": "2026-11-06", "time": "10:15", "channel": "sms"},
        ],
        "what_happened": "从11月起，对方每天打电话，还联系我的家人。",
        "date": LETTER_DATE,
    },
    "credit-dispute": {
        "name": "王五",
        "lender": "某银行",
        "entry": "某银行信用卡，2024年开户，2025年2月逾期记录",
        "why_wrong": "我在2025年3月10日已经全部还清，记录仍显示逾期未还。",
        "date": LETTER_DATE,
    },
    "records-request": {
        "lender": "58金融",
        "items": ["contract", "repayment_record", "fee_breakdown", "annual_rate"],
        "date": LETTER_DATE,
    },
}
# Answers each letter refuses, by name: (kind, answers, the field named, the code).
REFUSALS: dict[str, tuple[str, dict[str, object], str, str]] = {
    "objection-only-cannot-pay": (
        "payment-order-objection",
        {**TYPICAL["payment-order-objection"], "reasons": ["cannot_pay"]},
        "reasons",
        "cannot_pay_only",
    ),
}
