"""The reader on a phone (issue #21), through the Flask test client: the quick exit and "leave no trace" on every
page, hotlines as tel: links, neutral titles, the offline search, the contents list and the variant switch."""

import re
from html.parser import HTMLParser

import pytest
import yaml

from tests.helpers import GUIDE_SLUGS, GUIDES_DIR, elements, links, readable_text

CODES = ("zh-hans", "zh-hant")
EVERY_PAGE = [
    "/{v}/",
    *(f"/{{v}}/guides/{slug}" for slug in GUIDE_SLUGS),
    "/{v}/situation",
    "/{v}/no-trace",
    "/{v}/offline",
    "/{v}/guides/no-such-guide",  # an error page
]
every_page = pytest.mark.parametrize(("page", "code"), [(page, code) for page in EVERY_PAGE for code in CODES])


@every_page
def test_every_page_has_the_quick_exit_and_its_guard_before_the_page_is_drawn(client, page: str, code: str) -> None:
    html = client.get(page.format(v=code)).text
    assert elements(html, "a", id="quick-exit", href="about:blank")  # no request leaves the device by default
    head = html.split("</head>")[0]
    guard = re.search(r'<script src="(/assets/js/exit\.[0-9a-f]+\.js)"></script>', head)
    assert guard, "exit.js must load in <head>, not deferred, to hide a page Back brings back after an exit"
    assert client.get(guard[1]).status_code == 200
    assert elements(html, "html", **{"data-exit": "about:blank"})


@every_page
def test_every_page_leads_to_leave_no_trace(client, page: str, code: str) -> None:
    assert f"/{code}/no-trace" in links(client.get(page.format(v=code)).text)


@pytest.mark.parametrize(
    ("code", "words"), [("zh-hans", ["无痕", "历史记录", "删除"]), ("zh-hant", ["無痕", "歷史記錄", "刪除"])]
)
def test_leave_no_trace_explains_private_mode_history_what_is_kept_and_how_to_wipe(client, code: str, words) -> None:
    text = readable_text(client.get(f"/{code}/no-trace").text)
    for word in words:
        assert word in text
    assert "localStorage" not in text  # the reader's words, not ours


def test_leave_no_trace_opens_offline(client) -> None:
    worker = client.get("/sw.js").text
    for code in CODES:
        assert f'"url": "/{code}/no-trace"' in worker or f'"url":"/{code}/no-trace"' in worker


# --- Hotlines: one tap to call, wherever a number is written ------------------------------------------------------


def hotline_numbers() -> list[str]:
    """Read from the data, as a content writer adds them: hotlines.yaml and the numbers opening channels' names."""
    data = yaml.safe_load((GUIDES_DIR / "data" / "hotlines.yaml").read_text(encoding="utf-8"))
    numbers = [str(entry["number"]) for entry in data["hotlines"]]
    channels = yaml.safe_load((GUIDES_DIR / "data" / "channels.yaml").read_text(encoding="utf-8"))["channels"]
    numbers += [m[0] for c in channels.values() if (m := re.match(r"[0-9]{3,}", c["name"]))]
    return sorted(set(numbers))


class _Calls(HTMLParser):
    """Each written hotline number, and whether it is a tel: link to itself (a citation link such as [12368] is a
    link already, and the number beside it is the one to tap)."""

    def __init__(self, numbers: list[str]) -> None:
        super().__init__()
        self.pattern = re.compile(rf"(?<![0-9第])({'|'.join(numbers)})(?![0-9条元万号天年月日])")
        self.links: list[str] = []  # the href of each open <a>
        self.skip = 0  # inside <head>, <script> or <template>
        self.plain: list[str] = []
        self.tapped: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        elif tag in ("head", "script", "template"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            self.links.pop()
        elif tag in ("head", "script", "template"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        for number in self.pattern.findall(data):
            if not self.links:
                self.plain.append(f"{number}: {data.strip()[:60]}")
            elif self.links[-1] == f"tel:{number}":
                self.tapped.append(number)


def calls(html: str) -> _Calls:
    parser = _Calls(hotline_numbers())
    parser.feed(html)
    return parser


def test_the_hotlines_are_the_issues_six_and_every_complaint_channels_number() -> None:
    assert {"110", "12356", "12368", "12378", "12348", "12321"} <= set(hotline_numbers())


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("slug", GUIDE_SLUGS)
def test_every_hotline_in_every_guide_is_a_tel_link(client, slug: str, code: str) -> None:
    found = calls(client.get(f"/{code}/guides/{slug}").text)
    assert found.plain == []


def test_the_help_guide_links_every_hotline(client) -> None:
    for code in CODES:
        assert set(calls(client.get(f"/{code}/guides/help").text).tapped) >= {"110", "12356", "12368", "12348"}


SUMMARY_WITH_EVERY_CHANNEL = {
    "due_date": "2026-03-01",
    "overdue_amount": "5000",
    "contract_date": "2019-06-01",
    "lender_type": "unknown",
    "monthly_payment": "100",
    "contacts": ["home_visit", "threats_or_insults", "call_contacts", "night_contact", "impersonation"],
}


@pytest.mark.parametrize("code", CODES)
def test_every_hotline_in_the_summary_is_a_tel_link_and_the_pdf_keeps_plain_numbers(app, client, code: str) -> None:
    response = client.post(f"/{code}/situation/summary", data=SUMMARY_WITH_EVERY_CHANNEL)
    assert response.status_code == 200
    found = calls(response.text)
    assert found.plain == []
    assert {"110", "12378", "12321"} <= set(found.tapped)
    from webapp.summary import print_html

    printed = print_html(app, {**SUMMARY_WITH_EVERY_CHANNEL, "variant": "zh-Hant" if code == "zh-hant" else "zh-Hans"})
    assert "110" in printed and "tel:" not in printed


@pytest.mark.parametrize("code", CODES)
def test_home_offers_a_one_tap_crisis_path_12356_then_110_first(client, code: str) -> None:
    html = client.get(f"/{code}/").text
    crisis = html.split('class="crisis"')[1].split("</section>")[0]
    assert re.findall(r'href="tel:([0-9]+)"', crisis)[:2] == ["12356", "110"]
    assert html.index('class="crisis"') < html.index('class="situations"')  # before anything else to choose


def test_a_new_hotline_in_the_data_is_linked_everywhere(tmp_path) -> None:
    import shutil

    from webapp import create_app

    guides = tmp_path / "guides"
    shutil.copytree(GUIDES_DIR, guides)
    data = guides / "data" / "hotlines.yaml"
    data.write_text(
        data.read_text(encoding="utf-8").replace(
            "hotlines:\n", 'hotlines:\n  - number: "12345"\n    name: 12345 热线\n    source: complaint-channels\n'
        ),
        encoding="utf-8",
    )
    guide = guides / "help" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n也可以打12345问问。\n", encoding="utf-8")
    app = create_app({"PDF_PRERENDER": False, "PDF_WARM_UP": False, "GUIDES_DIR": guides})
    assert '<a href="tel:12345" class="tel">12345</a>问问' in app.test_client().get("/zh-hans/guides/help").text


def test_numbers_that_are_not_calls_stay_plain() -> None:
    from webapp.content import hotline_pattern, link_hotlines

    pattern = hotline_pattern(("110", "12368"))
    text = "民事诉讼法第110条；借了1100元；2110年；¥110；打110；12368。"
    assert str(link_hotlines(text, pattern)).count("tel:") == 2


@every_page
def test_no_page_writes_a_hotline_that_cannot_be_tapped(client, page: str, code: str) -> None:
    assert calls(client.get(page.format(v=code)).text).plain == []


# --- Neutral titles (docs/decisions/0012-neutral-titles.md) ------------------------------------------------------

REVEALING = ("逾期", "58", "催收", "债", "債", "法院", "征信", "徵信", "诈骗", "詐騙", "撑不住", "撐不住")


@every_page
def test_every_page_title_is_neutral_while_h1_and_description_say_what_it_is(client, page: str, code: str) -> None:
    html = client.get(page.format(v=code)).text
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)[1]
    assert title.endswith("指南") and not any(word in title for word in REVEALING), title
    brand = re.search(r'<a class="brand"[^>]*>(.*?)</a>', html)[1]
    assert brand == "指南"


@pytest.mark.parametrize("code", CODES)
def test_guide_pages_keep_a_descriptive_h1_and_meta_description_for_search_engines(client, code: str) -> None:
    html = client.get(f"/{code}/guides/58-finance-overdue").text
    assert "58" in re.search(r"<h1>(.*?)</h1>", html)[1]
    assert "58" in re.search(r'<meta name="description" content="([^"]*)"', html)[1]


@pytest.mark.parametrize("code", CODES)
def test_a_summarys_title_is_neutral(client, code: str) -> None:
    html = client.post(f"/{code}/situation/summary", data=SUMMARY_WITH_EVERY_CHANNEL).text
    title = re.search(r"<title>(.*?)</title>", html)[1]
    assert title.endswith("指南") and not any(word in title for word in REVEALING), title


@pytest.mark.parametrize("code", CODES)
def test_the_installed_apps_name_is_neutral(client, code: str) -> None:
    manifest = client.get(f"/{code}/manifest.webmanifest").get_json()
    assert manifest["name"] == manifest["short_name"] == "指南"


# --- Search across every guide, both scripts (docs/decisions/0013-offline-search.md) -----------------------------


def search_hits(client, code: str, query: str) -> list[str]:
    html = client.get(f"/{code}/search", query_string={"q": query}).text
    return re.findall(r'<li><a href="([^"]+)">', html)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize(("hans", "hant"), [("征信", "徵信"), ("支付令", "支付令"), ("上门", "上門"), ("家人", "家人")])
def test_a_query_in_either_script_finds_the_same_sections(client, code: str, hans: str, hant: str) -> None:
    found = search_hits(client, code, hans)
    assert found and found == search_hits(client, code, hant)
    assert all(href.startswith(f"/{code}/guides/") for href in found)


def test_search_finds_a_hotline_and_full_width_digits_alike(client) -> None:
    found = search_hits(client, "zh-hans", "12378")
    assert found and found == search_hits(client, "zh-hans", "１２３７８")


def test_search_results_open_at_their_section(client, app) -> None:
    from webapp.state import state
    from webapp.variants import VARIANTS

    found = search_hits(client, "zh-hant", "支付令")
    for href in found:
        path, anchor = href.split("#")
        slug = path.rsplit("/", 1)[1]
        assert anchor in {h.id for h in state(app).library.get(slug, VARIANTS["zh-hant"]).toc}


def test_search_shows_the_match_in_the_readers_script_and_escapes_the_query(client) -> None:
    html = client.get("/zh-hant/search", query_string={"q": "征信"}).text
    assert "<mark>徵信</mark>" in html
    html = client.get("/zh-hans/search", query_string={"q": "<script>x"}).text
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_search_is_precached_and_keeps_no_query_in_any_cache(client) -> None:
    worker = client.get("/sw.js").text
    assert '"/zh-hans/search"' in worker and '"/zh-hant/search"' in worker and "/assets/js/search." in worker
    assert "no-store" in client.get("/zh-hans/search", query_string={"q": "征信"}).headers["Cache-Control"]


@pytest.mark.parametrize("code", CODES)
def test_home_and_every_guide_offer_the_search_box(client, code: str) -> None:
    for page in ["/{v}/", *(f"/{{v}}/guides/{slug}" for slug in GUIDE_SLUGS)]:
        assert elements(client.get(page.format(v=code)).text, "form", role="search", action=f"/{code}/search")


# --- The script switch keeps the reader's place --------------------------------------------------------------------


@pytest.mark.parametrize(("code", "other"), [("zh-hans", "zh-hant"), ("zh-hant", "zh-hans")])
def test_the_summarys_switch_reposts_the_same_answers_to_the_other_script(client, code: str, other: str) -> None:
    html = client.post(f"/{code}/situation/summary", data=SUMMARY_WITH_EVERY_CHANNEL).text
    form = html.split('class="variant-switch-form"')[1].split("</form>")[0]
    assert f'action="/{other}/situation/summary"' in form
    assert 'name="debts-0-overdue_amount" value="5000"' in form and 'name="contacts" value="impersonation"' in form


def test_every_guide_opens_with_a_contents_list_of_its_sections(client, app) -> None:
    from webapp.state import state
    from webapp.variants import VARIANTS

    for slug in GUIDE_SLUGS:
        html = client.get(f"/zh-hans/guides/{slug}").text
        toc = html.split('<nav class="toc"')[1].split("</nav>")[0]
        sections = [h.id for h in state(app).library.get(slug, VARIANTS["zh-hans"]).toc if h.level == 2]
        assert re.findall(r'href="#([^"]+)"', toc) == sections
        assert html.index('<nav class="toc"') < html.index('class="guide-body"')


# --- The summary on a phone and the form's rough edges ------------------------------------------------------------

NIGHT_AND_THIRD_PARTY = {
    "due_date": "2026-03-01",
    "overdue_amount": "5000",
    "penalty_daily_rate_percent": "万分之5",
    "monthly_payment": "500",
    "contact_log-0-date": "2026-03-20",
    "contact_log-0-time": "23:40",
    "contact_log-0-channel": "phone",
    "contact_log-0-note": "半夜打来",
    "contact_log-1-date": "2026-03-21",
    "contact_log-1-time": "10:00",
    "contact_log-1-channel": "call_contacts",
    "contact_log-1-note": "打给我姐姐",
    "contact_log-2-date": "2099-01-01",
    "contact_log-2-channel": "sms",
    "contact_log-2-note": "日期填错了",
}


def summary(client, code: str, data: dict) -> str:
    response = client.post(f"/{code}/situation/summary", data=data)
    assert response.status_code == 200, response.text[:2000]
    return response.text


def row(html: str, n: int) -> str:
    return readable_text(html.split(f'id="log-row-{n}"')[1].split("</tr>")[0])


@pytest.mark.parametrize(("code", "night", "third", "check"), [
    ("zh-hans", "在规则允许的时间以外", "联系了你以外的人", "请核对日期"),
    ("zh-hant", "在規則允許的時間以外", "聯繫了你以外的人", "請核對日期"),
])  # fmt: skip
def test_each_log_row_outside_the_rules_is_named_with_its_rule(client, code: str, night, third, check) -> None:
    html = summary(client, code, NIGHT_AND_THIRD_PARTY)
    first = row(html, 1)
    assert night in first and "23:40" in first and "22:00" in first and "08:00" in first
    assert "10点到早上8点" in first or "10點到早上8點" in first  # the rule itself, from guides/data
    assert third in row(html, 2)
    assert check in row(html, 3)  # a date after the summary's day is not printed as evidence without a word
    # The 23:40 call is judged once: not also listed as an ordinary phone call.
    assert 'id="conduct-phone"' not in html


def test_a_ticked_ordinary_contact_keeps_its_card_without_the_flagged_row(client) -> None:
    html = summary(client, "zh-hans", {**NIGHT_AND_THIRD_PARTY, "contacts": ["phone"]})
    card = html.split('id="conduct-phone"')[1].split("</article>")[0]
    assert "第1行" not in readable_text(card)


@pytest.mark.parametrize("code", CODES)
def test_a_not_yet_due_summary_does_not_speak_of_an_overdue_amount(client, code: str) -> None:
    html = summary(client, code, {"due_date": "2099-01-01", "overdue_amount": "5000"})
    text = readable_text(html)
    assert "已逾期的金额" not in text and "已逾期的金額" not in text
    assert ("到期应还的金额" if code == "zh-hans" else "到期應還的金額") in text


@pytest.mark.parametrize("code", CODES)
def test_the_money_tables_name_their_columns_in_every_cell(client, code: str) -> None:
    html = summary(client, code, NIGHT_AND_THIRD_PARTY)
    for table in ("projection", "schedule"):
        body = html.split(f'<table class="{table}">')[1].split("</table>")[0].split("<tbody>")[1]
        cells = re.findall(r"<td([^>]*)>", body)
        labelled = [c for c in cells if "data-label=" in c]
        assert cells and len(labelled) >= len(cells) - 1, table  # all but the "…" row of a long plan


def test_form_errors_are_links_to_their_fields(client) -> None:
    response = client.post(
        "/zh-hans/situation/summary",
        data={"due_date": "", "overdue_amount": "abc", "contact_log-0-date": "2026-02-30", "contact_log-0-note": "x"},
    )
    assert response.status_code == 422
    summary_box = response.text.split('id="error-summary"')[1].split("</div>")[0]
    targets = re.findall(r'<a href="#([^"]+)">', summary_box)
    assert len(targets) >= 3
    for target in targets:
        assert f'id="{target}"' in response.text, target
