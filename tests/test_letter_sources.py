"""Every statement of law in a letter, its "what this does and does not do" and its sending advice comes from
guides/data/letters.yaml with source ids; no rendered letter (page or print) shows one outside its sources."""

from typing import Any

import pytest
import yaml
from flask import Flask

from tests.helpers import GUIDES_DIR
from tests.letter_cases import KINDS, REFUSALS, TYPICAL
from tests.test_letters import flatten
from tests.test_situation_sources import _Statements, states_law, summary_part

LETTERS = GUIDES_DIR / "data" / "letters.yaml"


def statements(node: Any, where: str = "") -> list[tuple[str, str, list[str]]]:
    """(where, text, sources) for every text in the letters' data: statements, choices, bodies' answers."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("text"), str):
            found.append((where, node["text"], list(node.get("sources") or [])))
        for key, value in node.items():
            found += statements(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += statements(item, f"{where}.{index}")
    return found


DATA = statements(yaml.safe_load(LETTERS.read_text(encoding="utf-8")))


def test_the_data_has_the_statements_of_every_letter() -> None:
    kinds = {where.split(".")[1] for where, _, _ in DATA if where.startswith("kinds.")}
    assert kinds == set(KINDS)
    assert len(DATA) > 80


@pytest.mark.parametrize(("where", "text", "sources"), DATA, ids=[d[0] for d in DATA])
def test_every_statement_of_law_in_the_letters_names_its_sources(where: str, text: str, sources: list[str]) -> None:
    if states_law(text):
        assert sources, f"letters.yaml {where} states a rule without a source: {text}"


def test_the_check_fails_for_a_rule_without_a_source() -> None:
    """The guard itself: a sentence of law with no source is caught (this is the test that fails when one is
    added to the data without its sources)."""
    bad = statements({"kinds": {"x": {"does": [{"text": "法院会裁定驳回只说没有能力还款的异议。", "sources": []}]}}})
    assert [where for where, text, sources in bad if states_law(text) and not sources] == ["kinds.x.does.0"]


class _LetterStatements(_Statements):
    """As the summary's, and two more things that state no law: who receives the letter (a court or a regulator,
    by name), and the plain-text copy of the letter shown above it, paragraph by paragraph with its sources."""

    SKIP_CLASSES = _Statements.SKIP_CLASSES | {"addressee", "plain-text"}


def assert_sourced(html: str) -> None:
    parser = _LetterStatements()
    parser.feed(html)
    assert [t for t in parser.unsourced if states_law(t)] == []
    assert parser.sourced_ids and set(parser.sourced_ids) == parser.listed


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_sentence_about_law_on_a_letters_page_is_without_its_sources(client, kind: str, code: str) -> None:
    response = client.post(f"/{code}/letters/{kind}", data=flatten(TYPICAL[kind]))
    assert response.status_code == 200
    assert_sourced(summary_part(response.text))


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_printed_letter_follows_the_same_rule(app: Flask, kind: str, code: str) -> None:
    from webapp.letters import build, letter_print_html, validate
    from webapp.situation.letters.model import LetterKind
    from webapp.variants import VARIANTS

    with app.test_request_context(f"/{code}/"):
        answers = validate(LetterKind(kind), {**TYPICAL[kind], "variant": VARIANTS[code].tag})
        html = letter_print_html(build(answers))  # type: ignore[arg-type]
    assert_sourced(summary_part(html))


def test_the_list_of_letters_and_a_refusal_follow_the_same_rule(client) -> None:
    assert_sourced(summary_part(client.get("/zh-hant/letters/").text))
    _, answers, _, _ = REFUSALS["objection-only-cannot-pay"]
    form = client.post("/zh-hans/letters/payment-order-objection", data=flatten(answers)).text
    # The form's own labels are interface words; what it says about law is in "does" and the refusal.
    for part in ('<section class="letter-does"', '<div class="error-summary"'):
        section = form[form.index(part) :]
        section = section[: section.index("</section>" if "section" in part else "</div>")]
        parser = _LetterStatements()
        parser.feed(section)
        assert [t for t in parser.unsourced if states_law(t)] == []
