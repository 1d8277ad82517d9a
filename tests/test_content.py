"""The guides: each states its key facts where the reader looks for them, sourced, in short plain paragraphs.

The first guide also covers every point of the article it grew from, in our own words (the overlap with that
article is measured by a hook outside the repository). The loader refuses content that must not be served.
"""

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.helpers import GUIDES_DIR
from webapp.content import ContentError, Library, load_library
from webapp.conversion import Converter, Glossary
from webapp.variants import HANS, HANT

FIRST_GUIDE = "58-finance-overdue"
GUIDES = sorted(p.parent.name for p in GUIDES_DIR.glob("*/guide.md"))


def body(slug: str) -> str:
    return (GUIDES_DIR / slug / "guide.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]


def section(slug: str, anchor: str) -> str:
    """The text of one `{#anchor}` section, up to the next heading of the same or a higher level."""
    text = body(slug)
    match = re.search(rf"\{{#{anchor}\}}\n(#+) ", text)
    assert match, f"{slug}#{anchor}"
    level = len(match.group(1))
    rest = text[match.end() :]
    end = re.search(rf"\n\{{#[a-z0-9-]+\}}\n#{{1,{level}}} ", rest)
    return rest[: end.start()] if end else rest


def own_text(slug: str) -> dict[str, str]:
    """Each heading's own text: up to the next heading of any level."""
    parts = re.split(r"\{#([a-z0-9-]+)\}\n#+ ", body(slug))
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def missing_words(slug: str, anchor: str, words: list[str]) -> list[str]:
    text = section(slug, anchor)
    return [w for w in words if w not in text]


@pytest.fixture(scope="module")
def library() -> Library:
    glossary = GUIDES_DIR / "glossary.yaml"
    return load_library(GUIDES_DIR, Converter(Glossary.load(glossary)), glossary.read_text(encoding="utf-8"))


# The original article's points, each with the words that show the first guide covers it.
SEED_POINTS = {
    "platform background: 58同城 and big data, as the platform's own description": (
        "about-58",
        ["58同城", "大数据", "宣传", "没有核实"],
    ),
    "services: small personal, credit and consumer loans after review": (
        "about-58",
        ["小额个人贷款", "信用贷款", "消费贷款", "审核"],
    ),
    "definition of overdue: missing the agreed repayment date": ("what-is-overdue", ["约定的还款日", "本金和利息"]),
    "short-term vs long-term overdue": ("what-is-overdue", ["短期逾期", "长期逾期"]),
    "consequence: penalty interest per the contract": ("penalty-interest", ["罚息", "合同"]),
    "consequence: credit record harmed, harder to borrow": ("credit-record", ["征信", "不良记录"]),
    "consequence: lawsuits and legal liability": ("lawsuit", ["起诉", "违约责任"]),
    "collection step 1: phone calls": ("collection-process", ["电话催收", "打电话"]),
    "collection step 2: SMS and email": ("collection-process", ["短信", "邮件"]),
    "collection step 3: home visits when long overdue": ("collection-process", ["上门"]),
    "visits: long overdue": ("home-visits", ["逾期时间很长"]),
    "visits: borrower unreachable": ("home-visits", ["联系不上你"]),
    "visits: contract terms": ("home-visits", ["合同里有约定"]),
    "legality: creditors may collect lawfully, no threats": ("collector-limits", ["合法", "威胁", "恐吓"]),
    "borrower's rights: person and privacy": ("summary", ["人身安全", "隐私"]),
    "what to do: contact the platform early": ("step-contact-early", ["主动联系", "官方"]),
    "what to do: ask for an extension": ("step-contact-early", ["申请延期"]),
    "what to do: a repayment plan": ("step-plan", ["还款计划"]),
    "conclusion: visits possible, phone and SMS first, know your rights": (
        "summary",
        ["上门催收", "电话、短信", "法律边界"],
    ),
}


@pytest.mark.parametrize(("point", "where"), SEED_POINTS.items(), ids=list(SEED_POINTS))
def test_first_guide_covers_seed_point(point: str, where: tuple[str, list[str]]) -> None:
    assert missing_words(FIRST_GUIDE, *where) == [], point


# Facts each guide must state, and where: (guide, section, words).
KEY_FACTS = {
    # 58-finance-overdue
    "110 is among the key points": (FIRST_GUIDE, "key-points", ["110"]),
    "4x LPR cap for private lending, at contract time": (FIRST_GUIDE, "penalty-interest", ["4倍", "合同成立时", "12%"]),
    "the LPR explained, with the latest fixing on file": (
        FIRST_GUIDE,
        "penalty-interest",
        ["贷款市场报价利率", "2026年2月24日"],
    ),
    "contracts before 2020-08-20 follow a transition rule": (FIRST_GUIDE, "penalty-interest", ["2020年8月20日以前"]),
    "licensed lenders explained; small-loan companies are outside the rule": (
        FIRST_GUIDE,
        "penalty-interest",
        ["持牌金融机构", "也就是经金融监管部门批准", "小额贷款公司"],
    ),
    "24%/36% is not the current line": (FIRST_GUIDE, "penalty-interest", ["24%", "过时"]),
    "credit record: told before reporting": (FIRST_GUIDE, "credit-record", ["事先告诉你"]),
    "credit record: kept 5 years from when the default ends": (FIRST_GUIDE, "credit-record", ["5年", "终止之日起"]),
    "credit record: 2 free reports a year": (FIRST_GUIDE, "credit-record", ["两次"]),
    "credit record: dispute answered within 20 days": (FIRST_GUIDE, "credit-record", ["20日内"]),
    "limitation: three years, restarted by each demand": (
        FIRST_GUIDE,
        "lawsuit",
        ["三年", "重新计算", "民法典第195条"],
    ),
    "no prison for debt, except refusing a judgment while able to pay": (
        FIRST_GUIDE,
        "lawsuit",
        ["不会因此坐牢", "有能力履行却拒不履行", "刑法第313条"],
    ),
    "应诉 explained": (FIRST_GUIDE, "lawsuit", ["应诉", "也就是对起诉作出回应"]),
    "外访 explained": (FIRST_GUIDE, "collection-process", ["上门", "外访"]),
    "lawful visit: two collectors, not 22:00-08:00, no entry without consent": (
        FIRST_GUIDE,
        "lawful-visit",
        ["两个人", "晚上10点到早上8点", "没有你的同意", "不是法律"],
    ),
    "what the reader may refuse at the door": (FIRST_GUIDE, "your-rights-at-the-door", ["不让进", "不跟他们走", "110"]),
    "entering a home is what the offence needs": (FIRST_GUIDE, "your-rights-at-the-door", ["强行闯进住宅"]),
    "unlawful conduct and offences": (FIRST_GUIDE, "collector-limits", ["冒充", "人身自由", "刑法第246条"]),
    "催收非法债务罪 covers illegal debts only": (FIRST_GUIDE, "crime-of-illegal-debt", ["非法债务", "最高可判三年"]),
    "contacts are not necessary personal information": (FIRST_GUIDE, "contacts-and-employer", ["通讯录不在其中"]),
    "entrusted collection is Art. 21; handing data to another processor is Art. 23": (
        FIRST_GUIDE,
        "contacts-and-employer",
        ["个人信息保护法第21条", "委托", "单独同意", "个人信息保护法第23条"],
    ),
    "the banking guideline is self-regulation, not law": (
        FIRST_GUIDE,
        "contacts-and-employer",
        ["行业自律规范，不是法律"],
    ),
    "complaint channels": (
        FIRST_GUIDE,
        "complaints",
        ["110", "12378", "12321", "人民银行分支机构", "地方金融管理部门"],
    ),
    # court-papers
    "court-papers: who it is for": ("court-papers", "key-points", ["写给", "支付令", "传票"]),
    "court-papers: check with 12368, never the caller's number": (
        "court-papers",
        "is-it-real",
        ["12368", "不要", "对方给的"],
    ),
    "court-papers: a payment order gives 15 days to pay or object in writing": (
        "court-papers",
        "payment-order",
        ["15日", "书面异议", "申请法院强制执行"],
    ),
    "court-papers: what an objection must contain to count": (
        "court-papers",
        "objection",
        ["书面", "口头", "15日内", "还不起", "支付令照样有效", "本身"],
    ),
    "court-papers: an objection moves the case to a lawsuit": (
        "court-papers",
        "after-objection",
        ["失效", "诉讼", "7日"],
    ),
    "court-papers: default judgment if absent without good reason": (
        "court-papers",
        "summons",
        ["没有正当理由", "缺席判决", "应诉", "也就是对起诉作出回应"],
    ),
    "court-papers: small claims are final at first instance": (
        "court-papers",
        "small-claims",
        ["50%", "一审终审", "不能上诉"],
    ),
    "court-papers: electronic service needs consent; a contract clause can count": (
        "court-papers",
        "electronic-service",
        ["同意", "借款合同", "30日"],
    ),
    "court-papers: pre-suit mediation needs consent and lasts 30 days": (
        "court-papers",
        "pre-suit-mediation",
        ["同意", "30日"],
    ),
    "court-papers: online arbitration unless a party objects; advance awards are not enforced": (
        "court-papers",
        "arbitration",
        ["明确表示不同意", "先予仲裁", "不受理"],
    ),
    "court-papers: what to bring": ("court-papers", "what-to-bring", ["借款合同", "还款记录", "催收记录"]),
    "court-papers: limitation restarts on each demand; payment after expiry": (
        "court-papers",
        "limitation",
        ["三年", "最后一期", "重新计算", "同意还"],
    ),
    # after-judgment
    "after-judgment: who it is for": ("after-judgment", "key-points", ["写给", "强制执行"]),
    "after-judgment: inability to pay is not a ground for the blacklist": (
        "after-judgment",
        "blacklist",
        ["有履行能力而拒不履行", "没有能力还钱，不在这六种里", "未成年人"],
    ),
    "after-judgment: the six grounds": (
        "after-judgment",
        "blacklist",
        ["妨碍、抗拒执行", "转移财产", "财产报告", "限制消费令", "执行和解协议"],
    ),
    "after-judgment: listing period": ("after-judgment", "how-long", ["2年", "1到3年", "提前删除"]),
    "after-judgment: consumption restriction needs no ability to pay": (
        "after-judgment",
        "consumption-restriction",
        ["执行通知书", "因素之一", "飞机", "G字头"],
    ),
    "after-judgment: applying for what daily life needs": (
        "after-judgment",
        "daily-needs",
        ["生活或者经营必需", "申请", "解除"],
    ),
    "after-judgment: refusing is a crime only with the ability to pay": (
        "after-judgment",
        "refusal-crime",
        ["还不起，不是犯罪", "有能力执行而拒不执行", "情节严重"],
    ),
    "after-judgment: removal within three working days, wording not read in full": (
        "after-judgment",
        "removal",
        ["三个工作日", "没有读到全文"],
    ),
    # credit-report
    "credit-report: who it is for": ("credit-report", "key-points", ["写给", "征信"]),
    "credit-report: kept 5 years from when it ends": ("credit-report", "how-long", ["5年", "终止之日起"]),
    "credit-report: told before reporting": ("credit-report", "overdue-record", ["事先告诉你"]),
    "credit-report: two free copies a year through official channels": (
        "credit-report",
        "get-report",
        ["两次", "www.pbccrc.org.cn", "人民银行", "不是官方渠道"],
    ),
    "credit-report: dispute answered in 20 days; complaint answered in 30": (
        "credit-report",
        "dispute",
        ["异议", "20日内", "30日内", "错误"],
    ),
    "credit-report: nobody can repair a correct record": (
        "credit-report",
        "no-repair",
        ["不能修改正确的征信记录", "诈骗"],
    ),
    # scams
    "scams: who it is for": ("scams", "key-points", ["写给", "官方渠道"]),
    "scams: credit repair is fraud": ("scams", "credit-repair", ["征信修复", "诈骗"]),
    "scams: anti-collection agents take IDs and cards": (
        "scams",
        "anti-collection",
        ["反催收", "停息挂账", "身份证和银行卡", "官方客服"],
    ),
    "scams: fake customer service cancelling loans": ("scams", "fake-customer-service", ["客服", "注销", "诈骗"]),
    "scams: new loans for old and 砍头息": ("scams", "new-loans-for-old", ["借新还旧", "砍头息"]),
    "scams: regulators charge no fees": ("scams", "fake-authority", ["不会向消费者收取任何名目的费用", "12368"]),
    "scams: pay only into the lender's official channels": ("scams", "pay-safely", ["合同写明", "个人账户"]),
    "scams: if scammed, call 110": ("scams", "if-scammed", ["110"]),
    # help
    "help: every line in one table": (
        "help",
        "key-points",
        ["110", "12378", "地方金融管理部门", "12321", "人民银行分支机构", "12368", "12348", "12356"],
    ),
    "help: 110 for danger": ("help", "emergency", ["110"]),
    "help: 12348 free basic legal services": ("help", "legal-aid", ["12348", "免费", "法律援助"]),
    "help: 12356 psychological help line": ("help", "mental-health", ["12356", "心理援助"]),
    # review of 2026-12-03 (issue #21)
    "court-papers: appeal within 15 days of a judgment, 10 of a ruling, through the original court": (
        "court-papers",
        "judgment",
        ["15日内", "10日内", "缺席判决", "原审法院", "民事诉讼法第173条", "6个月"],
    ),
    "court-papers: a payment order cannot be appealed; the objection is the only remedy": (
        "court-papers",
        "payment-order",
        ["没有上诉", "民诉法解释第378条", "收到那天不算"],
    ),
    "court-papers: posting before the deadline counts; a partial objection leaves the rest in force": (
        "court-papers",
        "objection",
        ["寄出", "民事诉讼法第85条", "其他各项照样有效", "民诉法解释第432条", "终结督促程序"],
    ),
    "court-papers: answer within 15 days": ("court-papers", "summons", ["15日内交答辩状", "民事诉讼法第128条"]),
    "court-papers: mediation failing is not automatic filing": (
        "court-papers",
        "pre-suit-mediation",
        ["由当事人选择", "在线调解规则第21条"],
    ),
    "court-papers: an award is final; set aside or refuse enforcement; new law's periods unchecked": (
        "court-papers",
        "arbitration-award",
        ["一裁终局", "第一次开庭前", "6个月内", "不予执行", "还没有核对"],
    ),
    "court-papers: limitation must be raised by the debtor": ("court-papers", "limitation", ["民法典第193条"]),
    "after-judgment: wages, accounts and e-wallets can be frozen": (
        "after-judgment",
        "frozen",
        ["工资", "支付宝", "微信", "民事诉讼法第253条", "民事诉讼法第254条"],
    ),
    "after-judgment: the court must leave living necessities": (
        "after-judgment",
        "living-costs",
        ["生活必需费用", "所扶养家属", "最低生活保障"],
    ),
    "after-judgment: a written enforcement objection, reviewed in 15 days": (
        "after-judgment",
        "what-to-do-when-frozen",
        ["书面", "执行异议", "15日内", "民事诉讼法第236条"],
    ),
    "after-judgment: enforcement is applied for, within 2 years": (
        "after-judgment",
        "what-is-enforcement",
        ["申请执行", "2年", "民事诉讼法第247条", "民事诉讼法第250条"],
    ),
    "after-judgment: 恶意透支 caveat for credit cards": (
        "after-judgment",
        "credit-card",
        ["恶意透支", "两次有效催收", "三个月", "5万元", "改换联系方式", "不能只凭没按时还款"],
    ),
    "after-judgment: lifting a consumption ban on security is may, on payment shall": (
        "after-judgment",
        "daily-needs",
        ["**可以**解除", "**应当**及时解除"],
    ),
    "58: limitation must be pleaded; credit-card caveat": (
        FIRST_GUIDE,
        "lawsuit",
        ["民法典第193条", "恶意透支", "after-judgment#credit-card"],
    ),
    "58: family members do not owe the debt; a spouse only in limited cases": (
        FIRST_GUIDE,
        "family-liability",
        ["民法典第465条", "民法典第1064条", "日常生活需要", "担保"],
    ),
    "58: 砍头息: one owes what one actually received": (
        FIRST_GUIDE,
        "upfront-deduction",
        ["实际拿到", "民法典第670条"],
    ),
    "58: personal bankruptcy only as far as confirmed": (
        FIRST_GUIDE,
        "bankruptcy",
        ["深圳", "草案", "还没有读到"],
    ),
    "credit-report: dispute with the bureau or the lender; the three outcomes; a suit": (
        "credit-report",
        "dispute",
        ["信息的机构", "取消异议标注", "仍不能确认", "起诉"],
    ),
    "credit-report: a statement on a correct record": ("credit-report", "statement", ["作出说明", "记载"]),
    "scams: the paid agent is the scam, not the instalment plan": (
        "scams",
        "anti-collection",
        ["收费的中介", "自己向发卡银行申请", "民法典第543、678条"],
    ),
    "help: legal aid for representation is limited to listed matters": (
        "help",
        "legal-aid",
        ["法律援助法第23条", "法律援助法第31条"],
    ),
}


@pytest.mark.parametrize(("fact", "where"), KEY_FACTS.items(), ids=list(KEY_FACTS))
def test_guide_states_key_fact(fact: str, where: tuple[str, str, list[str]]) -> None:
    assert missing_words(*where) == [], fact


def test_every_guide_has_key_facts_checked() -> None:
    assert {slug for slug, _, _ in KEY_FACTS.values()} == set(GUIDES)


@pytest.mark.parametrize("slug", GUIDES)
def test_each_guide_says_who_it_is_for_in_its_first_lines(slug: str) -> None:
    first_paragraph = body(slug).split("\n\n")[1]
    assert "写给" in first_paragraph


# Unconfirmed facts and myths: they may be named only where the guide says they are wrong or unconfirmed.
@pytest.mark.parametrize(
    ("claim", "allowed_in"),
    [
        ("8点到21点", {"myths"}),
        ("24%", {"penalty-interest"}),
        ("36%", {"penalty-interest"}),
        ("国家标准", {"myths"}),
        ("公约", {"collector-limits", "myths"}),
    ],
)
def test_unconfirmed_claims_appear_only_where_they_are_corrected(claim: str, allowed_in: set[str]) -> None:
    assert {a for a, text in own_text(FIRST_GUIDE).items() if claim in text} <= allowed_in
    for slug in GUIDES:
        if slug != FIRST_GUIDE:
            assert claim not in body(slug), slug


@pytest.mark.parametrize(
    "unconfirmed",
    [
        "每天最多3次",  # the GB/T standard's call limit: its text was not read
        "3次接通",
        "第141号",  # the cash-loan notice's number
        "141号文",
        "24%的上限",  # a 24% ceiling for bank internet loans
        "第50条",  # an article number of the revised public security law
        "12381",  # a merger of 12321 into 12381
        "12377",  # what the 12377 centre takes
        "起诉时一年期",  # 4x the LPR at filing, for contracts before 2020-08-20
    ],
)
def test_no_guide_states_unconfirmed_facts(unconfirmed: str) -> None:
    for slug in GUIDES:
        assert unconfirmed not in body(slug), slug


@pytest.mark.parametrize("slug", GUIDES)
def test_public_security_law_is_named_without_article_numbers(slug: str) -> None:
    """The law was revised (in force 2026-01-01) and its new article numbers are not confirmed."""
    text = body(slug)
    assert "2012年文本" not in text
    assert not re.search(r"治安管理处罚法[^）)，。\]]{0,12}第\d+条", text)
    for mention in re.findall(r"\[[^\]]*治安管理处罚法[^\]]*\]", text):
        assert "第" not in mention


def test_nobody_is_said_to_have_entered_a_home_where_nobody_did() -> None:
    """Standing at the door is not entering a home: the offence is named only for entering."""
    door = section(FIRST_GUIDE, "your-rights-at-the-door")
    assert "拒不离开，情节可能构成非法侵入住宅" not in door
    assert "非法侵入住宅" not in door.split("强行闯进住宅", 1)[0]


LEGAL_SECTIONS = {
    FIRST_GUIDE: [
        "key-points",
        "about-58",
        "penalty-interest",
        "credit-record",
        "lawsuit",
        "collection-process",
        "lawful-visit",
        "your-rights-at-the-door",
        "collector-limits",
        "crime-of-illegal-debt",
        "contacts-and-employer",
        "myths",
        "step-know-the-debt",
        "step-check-credit",
        "complaints",
    ],
    "court-papers": [
        "key-points",
        "is-it-real",
        "payment-order",
        "objection",
        "after-objection",
        "summons",
        "small-claims",
        "electronic-service",
        "pre-suit-mediation",
        "arbitration",
        "limitation",
        "help",
    ],
    "after-judgment": [
        "key-points",
        "what-is-enforcement",
        "blacklist",
        "how-long",
        "stay-off",
        "consumption-restriction",
        "daily-needs",
        "refusal-crime",
        "removal",
        "what-to-do",
    ],
    "credit-report": ["key-points", "what-is-it", "overdue-record", "how-long", "get-report", "dispute", "no-repair"],
    "scams": [
        "key-points",
        "credit-repair",
        "anti-collection",
        "fake-customer-service",
        "new-loans-for-old",
        "fake-authority",
        "if-scammed",
    ],
    "help": ["emergency", "collection-complaints", "harassment", "credit", "court", "legal-aid", "mental-health"],
}


@pytest.mark.parametrize(
    ("slug", "anchor"), [(slug, anchor) for slug, anchors in LEGAL_SECTIONS.items() for anchor in anchors]
)
def test_section_about_the_law_cites_its_sources(slug: str, anchor: str) -> None:
    assert "(#src-" in section(slug, anchor)


@pytest.mark.parametrize(
    ("slug", "target"),
    [
        (FIRST_GUIDE, "court-papers"),
        (FIRST_GUIDE, "credit-report"),
        (FIRST_GUIDE, "after-judgment#refusal-crime"),
        (FIRST_GUIDE, "scams#new-loans-for-old"),
        (FIRST_GUIDE, "help"),
        ("court-papers", "after-judgment"),
        ("credit-report", "scams"),
        ("scams", "credit-report#dispute"),
    ],
)
def test_guide_sends_the_reader_on_where_the_next_question_is_answered(slug: str, target: str) -> None:
    assert f"]({target})" in body(slug)


@pytest.mark.parametrize("slug", GUIDES)
def test_paragraphs_are_short_enough_for_a_phone(slug: str) -> None:
    paragraphs = [p for p in body(slug).split("\n\n") if p and not p.startswith(("{#", "#", "|", "-", "1.", "-{"))]
    assert max(len(p) for p in paragraphs) <= 160


@pytest.mark.parametrize("slug", GUIDES)
def test_guide_contains_no_phone_numbers_or_links_to_other_sites(slug: str) -> None:
    text = body(slug)
    assert not re.search(r"\d{7,}|\d{3,4}-\d{3,4}-\d{4}", text)
    # The situation form and the letters' forms are ours.
    assert not re.search(r"\]\((?!#|\.\./situation\)|\.\./letters/[a-z-]+\)|[a-z0-9-]+(?:#[a-z0-9-]+)?\))", text)


@pytest.mark.parametrize("slug", GUIDES)
def test_guide_front_matter_is_complete(slug: str, library: Library) -> None:
    guide = library.get(slug, HANS)
    assert guide is not None
    assert guide.title and guide.short_title and guide.description and guide.sources
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)


def test_guide_sources_are_converted_for_each_variant(library: Library) -> None:
    hans = library.get("court-papers", HANS)
    hant = library.get("court-papers", HANT)
    assert hans is not None and hant is not None
    assert [s.id for s in hans.sources] == [s.id for s in hant.sources]
    assert "诉讼法" in next(s.title for s in hans.sources if s.id == "civil-procedure-law")
    assert "訴訟法" in next(s.title for s in hant.sources if s.id == "civil-procedure-law")


def test_library_exposes_the_registry_for_the_summary(library: Library) -> None:
    assert library.sources.get("lpr", HANS).status == "V2"
    assert {s.id for g in library.all(HANS) for s in g.sources} <= set(library.sources.ids)


# The home page's ways in, by situation.
SITUATIONS = yaml.safe_load((GUIDES_DIR / "situations.yaml").read_text(encoding="utf-8"))


def test_situations_are_a_handful_of_plain_questions() -> None:
    assert 6 <= len(SITUATIONS) <= 8
    assert all(set(entry) == {"question", "guide", "section"} for entry in SITUATIONS)
    assert all(entry["question"].startswith(("我", "催收", "有人", "逾期", "法院")) for entry in SITUATIONS)


@pytest.mark.parametrize("entry", SITUATIONS, ids=[e["guide"] + "#" + str(e["section"]) for e in SITUATIONS])
def test_each_situation_points_to_an_existing_guide_and_section(entry: dict, library: Library) -> None:
    guide = library.get(entry["guide"], HANS)
    assert guide is not None, entry
    assert entry["section"] is None or entry["section"] in {h.id for h in guide.toc}, entry


def test_situations_reach_every_new_guide() -> None:
    assert {e["guide"] for e in SITUATIONS} == set(GUIDES)


# The loader refuses content that must not be served.
REGISTRY = """\
law:
  title: 某法
  status: V
  checked: 2026-11-29
"""


def write_guide(root: Path, front: str, body: str, slug: str = "a-guide", registry: str = REGISTRY) -> Path:
    folder = root / slug
    folder.mkdir(parents=True)
    (folder / "guide.md").write_text(f"---\n{textwrap.dedent(front)}---\n{textwrap.dedent(body)}", encoding="utf-8")
    (root / "glossary.yaml").write_text("", encoding="utf-8")
    (root / "sources.yaml").write_text(registry, encoding="utf-8")
    return root


FRONT = """\
title: 标题
description: 说明
audience: 读者
updated: 2026-11-29
sources: [law]
"""
CITES = "{#a}\n## 问\n\n见[法](#src-law)。\n"


def load(root: Path) -> Library:
    return load_library(root, Converter(Glossary()), "")


@pytest.mark.parametrize(
    ("front", "body", "registry", "error"),
    [
        (FRONT, CITES, REGISTRY.replace("status: V", "status: U"), "only V and V2"),
        (FRONT, "## 没有锚点的标题\n\n见[法](#src-law)。\n", REGISTRY, "needs an id"),
        (FRONT, "{#a}\n## 问\n\n见[法](#src-other)。\n", REGISTRY, "missing anchors"),
        (FRONT, "{#a}\n## 问\n\n见[别处](#b)和[法](#src-law)。\n", REGISTRY, "missing anchors"),
        (FRONT, "{#a}\n## 问\n\n没有引用。\n", REGISTRY, "never cited"),
        (FRONT.replace("[law]", "[law, other]"), CITES, REGISTRY, "unknown source ids"),
        (FRONT.replace("[law]", "[law, law]"), CITES, REGISTRY, "duplicate"),
        (
            FRONT.replace("sources: [law]", "sources:\n  - id: law\n    title: 某法\n    status: V"),
            CITES,
            REGISTRY,
            "list",
        ),
        ("title: 标题\nupdated: 2026-11-29\n", "{#a}\n## 问\n", REGISTRY, "lacks description"),
        (FRONT.replace("audience: 读者\n", ""), CITES, REGISTRY, "lacks audience"),
        (FRONT, "{#a}\n## 问\n\n见[法](#src-law)和[另一篇](no-such-guide)。\n", REGISTRY, "names no guide"),
        (FRONT, "{#a}\n## 问\n\n见[法](#src-law)和[本篇](a-guide#nowhere)。\n", REGISTRY, "names no section"),
        (FRONT, "{#a}\n## 问\n\n见[法](#src-law)和[上一级](../home)。\n", REGISTRY, "other-guide#section"),
    ],
)
def test_loader_refuses_bad_content(tmp_path: Path, front: str, body: str, registry: str, error: str) -> None:
    root = write_guide(tmp_path, front, body, registry=registry)
    with pytest.raises(ContentError, match=error):
        load(root)


def test_loader_refuses_a_guide_without_a_registry(tmp_path: Path) -> None:
    root = write_guide(tmp_path, FRONT, CITES)
    (root / "sources.yaml").unlink()
    with pytest.raises(ContentError, match="registry is missing"):
        load(root)


def test_links_between_guides_resolve_to_their_sections(tmp_path: Path) -> None:
    root = write_guide(tmp_path, FRONT, "{#a}\n## 问\n\n见[法](#src-law)和[那一节](b-guide#there)。\n")
    write_guide(tmp_path, FRONT, "{#there}\n## 答\n\n见[法](#src-law)。\n", slug="b-guide")
    guide = load(root).get("a-guide", HANT)
    assert guide is not None
    assert guide.guide_links == ("b-guide#there",)
    assert 'href="b-guide#there"' in guide.html  # relative: resolves from /<variant>/guides/a-guide


def test_version_changes_when_the_sources_registry_changes(tmp_path: Path) -> None:
    root = write_guide(tmp_path, FRONT, CITES)
    before = load(root).get("a-guide", HANS)
    (root / "sources.yaml").write_text(REGISTRY.replace("某法", "某某法"), encoding="utf-8")
    after = load(root).get("a-guide", HANS)
    assert before is not None and after is not None
    assert before.version != after.version
    assert after.sources[0].title == "某某法"


def test_raw_html_in_content_is_escaped_not_rendered(tmp_path: Path) -> None:
    root = write_guide(tmp_path, FRONT, "{#a}\n## 问\n\n<script>x</script>见[法](#src-law)。\n")
    guide = load(root).all(HANS)[0]
    assert "<script>" not in guide.html
    assert "&lt;script&gt;" in guide.html


# What the reader does now: each guide opens with concrete steps; the help guide opens with the crisis lines.
@pytest.mark.parametrize("slug", [g for g in GUIDES if g != "help"])
def test_each_guide_opens_with_what_to_do_now_in_steps(slug: str) -> None:
    first = re.search(r"\{#([a-z0-9-]+)\}\n## (.+)", body(slug))
    assert first and first.group(1) == "key-points" and "现在先做什么" in first.group(2)
    assert "\n1. " in section(slug, "key-points")


def test_help_opens_with_the_crisis_lines_12356_and_110() -> None:
    first = re.search(r"\{#([a-z0-9-]+)\}\n## (.+)", body("help"))
    assert first and first.group(1) == "crisis"
    crisis = section("help", "crisis")
    assert "12356" in first.group(2) and "110" in first.group(2)
    assert crisis.index("12356") < crisis.index("110") < crisis.index("信任的人")


def test_the_crisis_situation_lands_on_the_crisis_section() -> None:
    entry = next(e for e in SITUATIONS if "撑不住" in e["question"])
    assert (entry["guide"], entry["section"]) == ("help", "crisis")
