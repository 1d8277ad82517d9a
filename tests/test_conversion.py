"""zh-Hant is made from zh-Hans by OpenCC s2tw + our glossary + inline markers; a golden list pins it."""

from pathlib import Path

import opencc
import pytest

from tests.helpers import readable_text
from webapp.content import load_library
from webapp.conversion import Converter, Glossary
from webapp.variants import HANS, HANT

ROOT = Path(__file__).resolve().parent.parent


def golden_pairs() -> list[tuple[str, str, str]]:
    rows = (ROOT / "tests" / "golden" / "conversion.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(row.split("\t")) for row in rows if row and not row.startswith("#")]


@pytest.fixture(scope="module")
def converter() -> Converter:
    return Converter(Glossary.load(ROOT / "guides" / "glossary.yaml"))


@pytest.mark.parametrize(("hans", "hant", "why"), golden_pairs())
def test_conversion_matches_golden_list(converter: Converter, hans: str, hant: str, why: str) -> None:
    assert converter.convert(hans, HANT) == hant, why


def test_every_glossary_override_is_in_the_golden_list(converter: Converter) -> None:
    pinned = {hans for hans, _, _ in golden_pairs()}
    assert set(converter.glossary.overrides) <= pinned


def test_law_names_keep_mainland_vocabulary_in_a_sentence(converter: Converter) -> None:
    text = "依据《个人信息保护法》，你可以要求删除个人信息，也可以拒绝发短信的骚扰。"
    assert converter.convert(text, HANT) == "依據《個人信息保護法》，你可以要求刪除個人信息，也可以拒絕發短信的騷擾。"


def test_s2twp_would_rename_the_law_which_is_why_we_use_s2tw() -> None:
    assert opencc.OpenCC("s2twp").convert("个人信息保护法") == "個人資訊保護法"


def test_marker_chooses_text_per_variant(converter: Converter) -> None:
    text = "前文。-{zh-hans:简体句子。;zh-hant:繁體句子不同。}-后文。"
    assert converter.convert(text, HANS) == "前文。简体句子。后文。"
    assert converter.convert(text, HANT) == "前文。繁體句子不同。後文。"


def test_protected_marker_is_kept_verbatim_in_both_variants(converter: Converter) -> None:
    assert converter.convert("看-{后台}-设置", HANT) == "看后台設置"
    assert converter.convert("看-{后台}-设置", HANS) == "看后台设置"


def test_zh_hans_text_passes_through_unchanged(converter: Converter) -> None:
    text = "逾期后要按合同约定支付罚息。"
    assert converter.convert(text, HANS) == text


@pytest.mark.parametrize("seed_error", ["范圍", "后果", "采取", "什么", "关于"])
def test_leftover_scan_catches_the_seed_articles_errors(converter: Converter, seed_error: str) -> None:
    assert converter.simplified_leftovers(seed_error)


def test_leftover_scan_accepts_correct_traditional_text(converter: Converter) -> None:
    assert converter.simplified_leftovers("法律若干問題的規定；頭髮；面對；干預；徵信；裡面") == set()


def test_zh_hant_quotes_are_corner_brackets(converter: Converter) -> None:
    text = "他说：“合同里写着‘逾期’。”"
    assert converter.convert(text, HANT) == "他說：「合同裡寫著『逾期』。」"
    assert converter.convert(text, HANS) == text


def test_quotes_are_mapped_around_glossary_terms_too(converter: Converter) -> None:
    assert converter.convert("“58金融”“个人信息”", HANT) == "「58金融」「個人信息」"


def test_phone_settings_read_she_ding_but_setting_up_an_obstacle_stays(converter: Converter) -> None:
    assert converter.convert("在手机设置里关掉权限，不要设置障碍", HANT) == "在手機設定裡關掉權限，不要設置障礙"


@pytest.fixture(scope="module")
def hant_guides(converter: Converter) -> dict[str, str]:
    """Each guide's zh-Hant text as a reader sees it: body, front matter and its sources' titles and notes."""
    glossary = ROOT / "guides" / "glossary.yaml"
    library = load_library(ROOT / "guides", converter, glossary.read_text(encoding="utf-8"))
    return {
        g.slug: "\n".join(
            [readable_text(g.html), g.title, g.description, *(s.title + (s.note or "") for s in g.sources)]
        )
        for g in library.all(HANT)
    }


def test_every_guide_in_zh_hant_has_no_simplified_leftovers(converter: Converter, hant_guides: dict[str, str]) -> None:
    assert {slug: converter.simplified_leftovers(text) for slug, text in hant_guides.items()} == {
        slug: set() for slug in hant_guides
    }


@pytest.mark.parametrize("wrong", ["“", "”", "‘", "’", "寫明瞭", "籤", "設置裡", "公佈"])
def test_zh_hant_guides_avoid_known_wrong_forms(hant_guides: dict[str, str], wrong: str) -> None:
    assert [slug for slug, text in hant_guides.items() if wrong in text] == []
