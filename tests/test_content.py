"""The guide: covers every point of the seed article, in our own words, with the facts right and sourced."""

import re
import textwrap
from pathlib import Path

import opencc
import pytest

from tests.conftest import GUIDE_SOURCE, SHARED, cjk
from webapp.content import ContentError, load_library
from webapp.conversion import Converter, Glossary

SOURCE = GUIDE_SOURCE.read_text(encoding="utf-8")
BODY = SOURCE.split("\n---\n", 1)[1]


def section(anchor: str) -> str:
    """The text of one `{#anchor}` section, up to the next heading of the same or a higher level."""
    match = re.search(rf"\{{#{anchor}\}}\n(#+) ", BODY)
    assert match, anchor
    level = len(match.group(1))
    rest = BODY[match.end() :]
    end = re.search(rf"\n\{{#[a-z0-9-]+\}}\n#{{1,{level}}} ", rest)
    return rest[: end.start()] if end else rest


def missing_words(anchor: str, words: list[str]) -> list[str]:
    text = section(anchor)
    return [w for w in words if w not in text]


# The seed article's points (../shared/seed), each with the words that show the guide covers it.
SEED_POINTS = {
    "platform background: part of 58同城, big-data credit assessment": ("about-58", ["58同城", "大数据"]),
    "services: small personal, credit and consumer loans after review": (
        "about-58",
        ["小额个人贷款", "信用贷款", "消费贷款", "审核"],
    ),
    "definition of overdue: missing the agreed repayment date": (
        "what-is-overdue",
        ["约定的还款日", "本金和利息"],
    ),
    "short-term vs long-term overdue": ("what-is-overdue", ["短期逾期", "长期逾期"]),
    "consequence: penalty interest per the contract": ("penalty-interest", ["罚息", "合同"]),
    "consequence: credit record harmed, harder to borrow": ("credit-record", ["征信", "不良记录"]),
    "consequence: lawsuits and legal liability": ("lawsuit", ["起诉", "违约责任"]),
    "collection step 1: phone calls (the seed lost 电话)": ("collection-process", ["电话催收", "打电话"]),
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

# Facts from ../shared/facts/legal-facts.md that the guide must state (and where).
KEY_FACTS = {
    "4x LPR cap for private lending, at contract time": ("penalty-interest", ["4倍", "合同成立时", "12%"]),
    "licensed lenders (incl. small-loan companies) are outside that rule": (
        "penalty-interest",
        ["小额贷款公司"],
    ),
    "24%/36% is not the current line": ("penalty-interest", ["24%", "过时"]),
    "credit record: told before reporting": ("credit-record", ["事先告诉你"]),
    "credit record: kept 5 years from when the default ends": ("credit-record", ["5年", "终止之日起"]),
    "credit record: 2 free reports a year": ("credit-record", ["两次"]),
    "credit record: dispute answered within 20 days": ("credit-record", ["20日内"]),
    "lawful visit: two collectors, not 22:00-08:00, no entry without consent": (
        "lawful-visit",
        ["两个人", "晚上10点到早上8点", "没有你的同意"],
    ),
    "what the reader may refuse at the door": ("your-rights-at-the-door", ["不让进", "不跟他们走", "110"]),
    "unlawful conduct and offences": ("collector-limits", ["冒充", "人身自由", "刑法第246条"]),
    "催收非法债务罪 covers illegal debts only": ("crime-of-illegal-debt", ["非法债务", "最高可判三年"]),
    "contacts are not necessary personal information": ("contacts-and-employer", ["通讯录不在其中"]),
    "complaint channels": ("complaints", ["110", "12378", "12321", "人民银行分支机构", "地方金融管理部门"]),
}


@pytest.mark.parametrize(("point", "where"), SEED_POINTS.items(), ids=list(SEED_POINTS))
def test_guide_covers_seed_point(point: str, where: tuple[str, list[str]]) -> None:
    assert missing_words(*where) == [], point


@pytest.mark.parametrize(("fact", "where"), KEY_FACTS.items(), ids=list(KEY_FACTS))
def test_guide_states_key_fact(fact: str, where: tuple[str, list[str]]) -> None:
    assert missing_words(*where) == [], fact


# U facts and myths: they may be named only where the guide says they are wrong or unconfirmed.
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
    # Each heading's own text: up to the next heading of any level.
    parts = re.split(r"\{#([a-z0-9-]+)\}\n#+ ", BODY)
    own_text = dict(zip(parts[1::2], parts[2::2], strict=True))
    assert {a for a, text in own_text.items() if claim in text} <= allowed_in


def test_guide_never_states_unconfirmed_rules_as_law() -> None:
    for unconfirmed in ["每天最多3次", "3次接通", "第141号", "141号文", "24%的上限"]:
        assert unconfirmed not in SOURCE


def test_public_security_law_articles_are_marked_as_the_2012_text() -> None:
    for mention in re.findall(r"\[[^\]]*治安管理处罚法[^\]]*\]", BODY):
        assert "2012年文本" in mention


LEGAL_SECTIONS = [
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
]


@pytest.mark.parametrize("anchor", LEGAL_SECTIONS)
def test_section_about_the_law_cites_its_sources(anchor: str) -> None:
    assert "(#src-" in section(anchor)


def test_guide_is_in_our_own_words_not_the_seeds() -> None:
    """No run of more than 25 Chinese characters in common with the seed (the before-stop hook's measure)."""
    t2s = opencc.OpenCC("t2s")
    raw = "".join(p.read_text(encoding="utf-8") for p in (SHARED / "seed").glob("*.txt"))
    seed = cjk(t2s.convert(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", raw)))
    ours = cjk(SOURCE)
    longest = 0
    for i in range(len(ours)):
        while i + longest < len(ours) and ours[i : i + longest + 1] in seed:
            longest += 1
    assert len(seed) > 900  # the whole seed was read
    assert longest <= 25


def test_paragraphs_are_short_enough_for_a_phone() -> None:
    paragraphs = [p for p in BODY.split("\n\n") if p and not p.startswith(("{#", "#", "|", "-", "1.", "-{"))]
    assert max(len(p) for p in paragraphs) <= 160


def test_guide_contains_no_phone_numbers_or_links_to_other_sites() -> None:
    assert not re.search(r"\d{7,}", BODY)
    assert not re.search(r"\]\((?!#)", BODY)


# The loader refuses content that must not be served.
def write_guide(root: Path, front: str, body: str) -> Path:
    folder = root / "a-guide"
    folder.mkdir(parents=True)
    (folder / "guide.md").write_text(f"---\n{textwrap.dedent(front)}---\n{textwrap.dedent(body)}", encoding="utf-8")
    (root / "glossary.yaml").write_text("", encoding="utf-8")
    return root


FRONT = """\
title: 标题
description: 说明
updated: 2026-11-28
sources:
  - id: law
    title: 某法
    status: {status}
"""


@pytest.mark.parametrize(
    ("front", "body", "error"),
    [
        (FRONT.format(status="U"), "{#a}\n## 问\n\n见[法](#src-law)。\n", "only V and V2"),
        (FRONT.format(status="V"), "## 没有锚点的标题\n\n见[法](#src-law)。\n", "needs an id"),
        (FRONT.format(status="V"), "{#a}\n## 问\n\n见[法](#src-other)。\n", "missing anchors"),
        (FRONT.format(status="V"), "{#a}\n## 问\n\n没有引用。\n", "never cited"),
        ("title: 标题\nupdated: 2026-11-28\n", "{#a}\n## 问\n", "lacks description"),
    ],
)
def test_loader_refuses_bad_content(tmp_path: Path, front: str, body: str, error: str) -> None:
    root = write_guide(tmp_path, front, body)
    with pytest.raises(ContentError, match=error):
        load_library(root, Converter(Glossary()), "")


def test_raw_html_in_content_is_escaped_not_rendered(tmp_path: Path) -> None:
    root = write_guide(tmp_path, FRONT.format(status="V"), "{#a}\n## 问\n\n<script>x</script>见[法](#src-law)。\n")
    guide = load_library(root, Converter(Glossary()), "").all(__import__("webapp.variants").variants.HANS)[0]
    assert "<script>" not in guide.html
    assert "&lt;script&gt;" in guide.html
