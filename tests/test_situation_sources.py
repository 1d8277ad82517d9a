"""Every statement of law or of a rule in the summary is sourced, and all of them live in guides/data.

A sentence "about law" is recognised by its words (statute names, articles, "must", "forbidden", courts, caps...).
The data may say such things only with source ids; the UI catalogs may not say them at all; and in a rendered
summary, page or PDF, no such sentence may stand outside an element that carries its sources.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import opencc
import pytest
import yaml
from babel.messages.pofile import read_po

from tests.helpers import GUIDES_DIR, ROOT
from tests.situation_cases import ALL_CONTACTS, AS_OF

DATA = GUIDES_DIR / "data"
T2S = opencc.OpenCC("t2s")
LAW_WORDS = re.compile(
    r"法律|法规|法典|刑法|条例|规定|司法解释|批复|第\d+条|禁止|不得|违法|犯罪|罪|处罚|拘留|罚款|法院|上限|LPR|指引|公约|"
    r"监管|有权|应当|必须|合法|非法|侵犯|侵害|构成|过渡"
)
# Interface words that contain those characters without stating any rule.
INTERFACE_PHRASES = ("不是法律意见", "法律援助")


def states_law(text: str) -> bool:
    text = T2S.convert(text)  # the words are listed in zh-Hans; zh-Hant text is read back through OpenCC
    for phrase in INTERFACE_PHRASES:
        text = text.replace(phrase, "")
    return bool(LAW_WORDS.search(text))


def test_the_detector_knows_a_rule_when_it_sees_one() -> None:
    assert states_law("对民间借贷，法院不支持超过4倍LPR的利息。")
    assert states_law("泄露你的欠款违法。")
    assert not states_law("这份摘要是一般信息，不是法律意见。")
    assert not states_law("列出收入和必要开支，剩下的才是能还债的钱。")


def data_texts() -> list[tuple[str, str, list[str]]]:
    """(where, text, source ids) for every text of guides/data that the summary shows."""
    out = []
    actions = yaml.safe_load((DATA / "actions.yaml").read_text(encoding="utf-8"))
    for a in actions["actions"]:
        out += [(f"actions.yaml {a['id']}.{k}", a[k], a["sources"]) for k in ("title", "why")]
    contacts = yaml.safe_load((DATA / "contact_rules.yaml").read_text(encoding="utf-8"))["contacts"]
    for key, c in contacts.items():
        out += [(f"contact_rules.yaml {key}.{k}", c[k], c["sources"]) for k in ("rule", "short")]
    channels = yaml.safe_load((DATA / "channels.yaml").read_text(encoding="utf-8"))["channels"]
    out += [(f"channels.yaml {key}", c["when"], [c["source"]]) for key, c in channels.items()]
    statements = yaml.safe_load((DATA / "summary.yaml").read_text(encoding="utf-8"))["statements"]
    out += [(f"summary.yaml {key}", st["text"], st["sources"]) for key, st in statements.items()]
    return out


@pytest.mark.parametrize(("where", "text", "sources"), data_texts(), ids=[t[0] for t in data_texts()])
def test_every_rule_in_the_data_names_its_sources(where: str, text: str, sources: list[str]) -> None:
    if states_law(text):
        assert sources, f"{where} states a rule without a source: {text}"


def test_every_summary_statement_cites_a_source() -> None:
    statements = yaml.safe_load((DATA / "summary.yaml").read_text(encoding="utf-8"))["statements"]
    assert all(st["sources"] for st in statements.values())


def catalog_strings(locale: str) -> list[tuple[str, str]]:
    path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with Path(path).open("rb") as po:
        return [(m.id, m.string) for m in read_po(po) if m.id]


# The only catalog strings allowed these words, because they state no rule: how a source was checked, what the
# pages are, where a reader may show their record. Field errors ("must be more than ...") are about the form.
CATALOG_LABELS = {
    "Read in the text of the law or rule.",  # how a listed source was checked: a label, not a rule
    "Every statement about the law above links to one of these. We say how each was checked.",
    "This guide is general information, not legal advice. It was last reviewed on %(date)s; laws and platform "
    "practices change.",
    "One row for each call, message or visit. It is printed as a table you can show to a regulator or a lawyer.",
    "Court that issued the payment order",  # a letter form's label: which court, no rule
    "Date you received the payment order",
    # What the reader has received about a debt (the form's choices and their field's name): papers, no rule.
    "Papers from a court",
    "Papers from a court (a summons, a complaint)",
    "A payment order (支付令) from a court",
    "A judgment or a mediation agreement from a court",
    "Nothing from a court",
}


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_catalogs_hold_interface_words_only(locale: str) -> None:
    offending = [
        (msgid, text)
        for msgid, text in catalog_strings(locale)
        if msgid not in CATALOG_LABELS and not msgid.startswith("%(field)s") and states_law(text)
    ]
    assert offending == []


class _Statements(HTMLParser):
    """Text of the summary, each piece marked as sourced (inside an element with data-sources) or not."""

    VOID = frozenset({"br", "input", "meta", "link", "img", "hr"})
    SKIP_CLASSES = frozenset(
        {"sources", "refs", "note", "channel"}
    )  # the sources list, citation marks, the reader's words

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[bool, bool]] = []  # (sourced, skipped)
        self.unsourced: list[str] = []
        self.sourced_ids: list[str] = []
        self.listed: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "li" and (a.get("id") or "").startswith("src-"):
            self.listed.add((a["id"] or "")[4:])
        if tag in self.VOID:
            return
        sourced, skipped = self.stack[-1] if self.stack else (False, False)
        if a.get("data-sources"):
            self.sourced_ids += (a["data-sources"] or "").split()
            sourced = True
        if set((a.get("class") or "").split()) & self.SKIP_CLASSES or tag in ("script", "template"):
            skipped = True
        self.stack.append((sourced, skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        sourced, skipped = self.stack[-1] if self.stack else (False, False)
        if not sourced and not skipped and data.strip():
            self.unsourced.append(data.strip())


def summary_part(html: str) -> str:
    """The summary itself: the page's <main> (not the site's header and footer), or the printed body."""
    if "<main" in html:
        return html[html.index("<main") : html.index("</main>")]
    return html[html.index("<body") :]


RICH = {
    "as_of": AS_OF,
    "due_date": "2026-08-01",
    "overdue_amount": "12000",
    "outstanding_total": "20000",
    "penalty_daily_rate_percent": "万分之5",
    "annual_rate_percent": "24",
    "contract_date": "2019-06-01",
    "monthly_payment": "500",
    "contacts": ALL_CONTACTS,
    "reachable": "no",
    "contact_log-0-date": "2026-11-20",
    "contact_log-0-time": "23:40",
    "contact_log-0-channel": "phone",
    "contact_log-0-note": "半夜来电",
    "contact_log-1-date": "2026-11-21",
    "contact_log-1-channel": "workplace_visit",
}
SITUATIONS = {
    "everything at once, old contract": RICH,
    "recent contract, private lender": {**RICH, "contract_date": "2025-06-01", "lender_type": "private"},
    "licensed lender": {**RICH, "contract_date": "2026-05-01", "lender_type": "licensed"},
    "no contract date, nothing ticked": {"as_of": AS_OF, "due_date": "2026-12-10", "overdue_amount": "800"},
}


@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize("situation", SITUATIONS)
def test_no_sentence_about_law_in_the_summary_is_without_its_sources(client, situation: str, code: str) -> None:
    response = client.post(f"/{code}/situation/summary", data=SITUATIONS[situation])
    assert response.status_code == 200
    parser = _Statements()
    parser.feed(summary_part(response.text))
    assert [t for t in parser.unsourced if states_law(t)] == []
    # Each cited source is listed at the end, and each listed source is cited.
    assert parser.sourced_ids and set(parser.sourced_ids) == parser.listed


@pytest.mark.slow
@pytest.mark.parametrize("code", ["zh-hans", "zh-hant"])
def test_the_printed_summary_follows_the_same_rule(app, client, code: str) -> None:
    from flask_babel import force_locale

    from webapp.summary import run_assessment, summary_context, validate
    from webapp.variants import VARIANTS

    with app.test_request_context(f"/{code}/"):
        answers = validate(
            {
                "as_of": AS_OF,
                "due_date": "2026-08-01",
                "overdue_amount": "12000",
                "penalty_daily_rate_percent": "0.05",
                "contract_date": "2025-06-01",
                "annual_rate_percent": "24",
                "contacts": ALL_CONTACTS,
                "variant": VARIANTS[code].tag,
                "contact_log": [{"date": "2026-11-20", "time": "23:40", "channel": "phone"}],
            }
        )
        assessment = run_assessment(answers)
        with force_locale(VARIANTS[code].locale):
            from flask import render_template

            html = render_template("print/summary.html", **summary_context(answers, assessment))
    parser = _Statements()
    parser.feed(summary_part(html))
    assert [t for t in parser.unsourced if states_law(t)] == []
    assert set(parser.sourced_ids) == parser.listed
