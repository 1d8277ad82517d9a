"""The reader on a phone (issue #21) in Chromium at 360 x 740: the quick exit always in reach and leaving nothing one
Back away, every hotline a tap away, search offline in both scripts, nothing wider than a 320 px screen."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, go_offline, wait_until, wait_until_offline_ready
from tests.helpers import GUIDE_SLUGS, GUIDES_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VARIANT_CODES = ("zh-hans", "zh-hant")


def longest_guide() -> str:
    return max(GUIDE_SLUGS, key=lambda slug: len((GUIDES_DIR / slug / "guide.md").read_text(encoding="utf-8")))


# A summary as long as a reader's can be: every kind of contact, a long repayment plan, 40 logged contacts.
LARGE_SUMMARY = {
    "platform": "58金融",
    "due_date": "2026-03-01",
    "overdue_amount": "123456.78",
    "outstanding_total": "234567.89",
    "penalty_daily_rate_percent": "万分之5",
    "annual_rate_percent": "24",
    "contract_date": "2019-06-01",
    "lender_type": "private",
    "monthly_payment": "500",
    "reachable": "no",
    "contacts": ["call_contacts", "call_employer", "home_visit", "night_contact", "threats_or_insults"],
    **{
        f"contact_log-{i}-{part}": value
        for i in range(40)
        for part, value in (
            ("date", f"2026-0{3 + i % 6}-{10 + i % 18}"),
            ("time", "23:40" if i % 3 == 0 else "10:15"),
            ("channel", ("phone", "call_contacts", "home_visit", "threats_or_insults")[i % 4]),
            ("note", "打给我姐姐，说要去我单位" * (1 + i % 3)),
        )
    },
}

POST = """([action, fields]) => {
  const form = Object.assign(document.createElement("form"), { method: "post", action });
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      form.append(Object.assign(document.createElement("input"), { type: "hidden", name, value: one }));
    }
  }
  document.body.append(form);
  form.submit();
}"""


def open_large_summary(page: Page, server: LiveServer, code: str) -> None:
    """A summary posted as the form posts it (forty log rows typed by hand would make a slow test)."""
    page.goto(f"{server.url}/{code}/situation")
    with page.expect_navigation():
        page.evaluate(POST, [f"/{code}/situation/summary", LARGE_SUMMARY])
    expect(page.locator("table.evidence")).to_be_visible()


def exit_in_view(page: Page) -> None:
    box = page.locator("#quick-exit").bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= 740 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    # Nothing covers it: the topmost element at its centre is the button itself.
    covered = page.evaluate(
        """([x, y]) => !document.elementFromPoint(x, y)?.closest("#quick-exit")""",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert not covered


@pytest.mark.parametrize("code", VARIANT_CODES)
def test_quick_exit_stays_in_reach_at_the_end_of_the_longest_guide_and_a_large_summary(
    page: Page, server: LiveServer, code: str
):
    page.goto(f"{server.url}/{code}/guides/{longest_guide()}")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("window.scrollY") > 10 * 740  # the end of a long page, far below the first screen
    exit_in_view(page)
    open_large_summary(page, server, code)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("window.scrollY") > 5 * 740
    exit_in_view(page)


ANSWER = "9876543"


def typed_answers_on_screen(page: Page) -> list[str]:
    """Every answer a reader could see on the page now showing, in any field or text."""
    if page.url == "about:blank":
        return []
    return page.evaluate(
        """(answer) => {
          if (getComputedStyle(document.documentElement).display === "none") return [];
          const fields = [...document.querySelectorAll("input, select, textarea")].map((f) => f.value);
          return [...fields, document.body.innerText].filter((text) => text.includes(answer));
        }""",
        ANSWER,
    )


@pytest.mark.parametrize("bfcache", [True, False], ids=["back-forward-cache", "reloaded"])
def test_back_after_a_quick_exit_from_a_summary_shows_no_answer(page: Page, server: LiveServer, bfcache: bool):
    page.goto(f"{server.url}/zh-hans/situation")
    if not bfcache:  # a page that cannot be kept whole in the back-forward cache loads again, and restores answers
        page.evaluate("addEventListener('unload', () => {})")
    page.fill("#debts-0-due_date", "2026-10-01")
    page.fill("#debts-0-overdue_amount", ANSWER)
    page.fill("input[name='contact_log-0-date']", "2026-10-05")
    page.fill("input[name='contact_log-0-note']", f"电话{ANSWER}")
    wait_until(page, f"(localStorage.getItem('situation-answers') || '').includes('{ANSWER}')")
    page.click("#submit-button")
    expect(page.locator("h1")).to_have_text("你的情况摘要")
    assert typed_answers_on_screen(page)  # the check below can see an answer when one is shown
    page.click("#quick-exit")
    expect(page).to_have_url("about:blank")
    for _ in range(3):  # back, and back again: to the form, then to the page before it
        page.go_back()
        page.wait_for_timeout(300)
        assert typed_answers_on_screen(page) == []
    # Opened again on purpose, the form still has the answers kept on this phone: the exit hid them, nothing more.
    page.goto(f"{server.url}/zh-hans/situation")
    expect(page.locator("#debts-0-overdue_amount")).to_have_value(ANSWER)


def test_the_exit_hides_the_page_before_the_next_one_arrives(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/guides/{longest_guide()}")
    # Read in the same task as the tap: before any next page could have arrived, on any network.
    shown = page.evaluate(
        """() => {
          document.getElementById("quick-exit").click();
          return [getComputedStyle(document.documentElement).display, document.title.replace("\\u200b", "")];
        }"""
    )
    assert shown == ["none", ""]
    expect(page).to_have_url("about:blank")


PLAIN_HOTLINES = r"""(numbers) => {
  const pattern = new RegExp(`(?<![0-9第])(${numbers.join("|")})(?![0-9条條元万萬号號天年月日])`, "g");
  const plain = [];
  const tapped = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("template, script")) continue;
    for (const [number] of node.data.matchAll(pattern)) {
      const link = node.parentElement.closest("a");
      if (!link) plain.push(node.data.trim().slice(0, 40));
      else if (link.getAttribute("href") === `tel:${number}`) tapped.add(number);
    }
  }
  return { plain, tapped: [...tapped].sort() };
}"""


@pytest.mark.parametrize("code", VARIANT_CODES)
def test_every_hotline_is_a_tel_link_on_the_help_guide_home_and_a_summary(page: Page, server: LiveServer, code: str):
    numbers = ["110", "12356", "12368", "12378", "12348", "12321"]
    page.goto(f"{server.url}/{code}/guides/help")
    found = page.evaluate(PLAIN_HOTLINES, numbers)
    assert found["plain"] == [] and set(found["tapped"]) >= {"110", "12356", "12368", "12348"}
    page.goto(f"{server.url}/{code}/")
    assert page.evaluate(PLAIN_HOTLINES, numbers)["plain"] == []
    expect(page.locator(".crisis a[href='tel:12356']")).to_be_visible()
    open_large_summary(page, server, code)
    found = page.evaluate(PLAIN_HOTLINES, numbers)
    assert found["plain"] == [] and set(found["tapped"]) >= {"110", "12321"}


@pytest.mark.parametrize("code", VARIANT_CODES)
def test_search_works_offline_in_both_scripts_and_opens_at_the_section(
    context: BrowserContext, page: Page, server: LiveServer, code: str
):
    page.goto(f"{server.url}/{code}/")
    wait_until_offline_ready(page)
    go_offline(context, server)
    page.goto(f"{server.url}/{code}/search")
    for query in ("征信", "徵信", "支付令", "上门", "家人", "12378"):
        page.fill("#search-q", query)
        page.click(".search-form button")
        expect(page.locator("#search-results li").first).to_be_visible()
        assert page.url == f"{server.url}/{code}/search"  # the words searched for stay out of the history
    # A Simplified query on a Traditional page finds the Traditional text, and the other way round.
    page.fill("#search-q", "征信" if code == "zh-hant" else "徵信")
    page.click(".search-form button")
    expect(page.locator("#search-results mark").first).to_have_text("徵信" if code == "zh-hant" else "征信")
    # Opened from the home page's box (a plain GET with ?q=) offline: the stored page answers in the page.
    page.goto(f"{server.url}/{code}/search?q=支付令")
    expect(page.locator("#search-results li").first).to_be_visible()
    first = page.locator("#search-results li a").first
    href = first.get_attribute("href")
    assert href and "#" in href and href.startswith(f"/{code}/guides/")
    first.click()
    anchor = href.split("#")[1]
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()


@pytest.mark.parametrize("code", VARIANT_CODES)
def test_the_script_switch_keeps_the_section_being_read(page: Page, server: LiveServer, code: str):
    other = "zh-hant" if code == "zh-hans" else "zh-hans"
    slug = longest_guide()
    # Jumped to from the contents list.
    page.goto(f"{server.url}/{code}/guides/{slug}")
    toc_link = page.locator("nav.toc a").nth(5)
    anchor = (toc_link.get_attribute("href") or "").lstrip("#")
    toc_link.click()
    page.click("a.variant-switch")
    expect(page).to_have_url(f"{server.url}/{other}/guides/{slug}#{anchor}")
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    # Scrolled to, with no jump: the section at the top of the screen.
    page.goto(f"{server.url}/{code}/guides/{slug}")
    ids = page.eval_on_selector_all(".guide-body h2[id]", "(hs) => hs.map((h) => h.id)")
    every = page.eval_on_selector_all(".guide-body h2[id], .guide-body h3[id]", "(hs) => hs.map((h) => h.id)")
    # 200 px into the fourth section: that section, or one of its subsections.
    within = every[every.index(ids[3]) : every.index(ids[4])]
    page.eval_on_selector(
        f"#{ids[3]}",
        "(h) => window.scrollTo({ top: h.getBoundingClientRect().top + scrollY + 200, behavior: 'instant' })",
    )
    page.click("a.variant-switch")
    expect(page).to_have_url(re.compile(rf"/{other}/guides/{slug}#"))
    assert page.url.split("#")[1] in within


@pytest.mark.parametrize("code", VARIANT_CODES)
def test_the_script_switch_keeps_the_summary(page: Page, server: LiveServer, code: str):
    other = "zh-hant" if code == "zh-hans" else "zh-hans"
    open_large_summary(page, server, code)
    rows = page.locator("table.evidence tbody tr").count()
    page.click(".variant-switch")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant" if other == "zh-hant" else "zh-Hans")
    expect(page.locator("h1")).to_have_text("你的情況摘要" if other == "zh-hant" else "你的情况摘要")
    expect(page.locator("table.evidence tbody tr")).to_have_count(rows)
    expect(page.locator("dl.facts")).to_contain_text("123,456.78")


@pytest.mark.parametrize("code", VARIANT_CODES)
def test_nothing_is_wider_than_a_320_px_screen(page: Page, server: LiveServer, code: str):
    page.set_viewport_size({"width": 320, "height": 640})
    wide = "document.documentElement.scrollWidth"
    page.goto(f"{server.url}/{code}/guides/{longest_guide()}")
    assert page.evaluate(wide) <= 320
    page.goto(f"{server.url}/{code}/situation")
    assert page.evaluate(wide) <= 320
    page.goto(f"{server.url}/{code}/search?q=征信")
    assert page.evaluate(wide) <= 320
    open_large_summary(page, server, code)
    assert page.evaluate(wide) <= 320
    # The due date is shown whole, not cut at the edge.
    box = page.locator("dl.facts dd").nth(1).bounding_box()
    assert box and box["x"] + box["width"] <= 320


CELL_LABELS = """(selector) => [...document.querySelectorAll(selector)].map(
  (td) => getComputedStyle(td, "::before").content.replace(/^"|"$/g, ""))"""


@pytest.mark.parametrize("code", VARIANT_CODES)
def test_the_money_tables_keep_their_column_names_on_a_phone(page: Page, server: LiveServer, code: str):
    open_large_summary(page, server, code)
    for table in ("schedule", "projection"):
        columns = page.eval_on_selector_all(
            f"table.{table} thead th", "(ths) => ths.map((th) => th.textContent.trim())"
        )
        expect(page.locator(f"table.{table} thead")).not_to_be_in_viewport()  # the cards replace the header row
        first_row = page.evaluate(CELL_LABELS, f"table.{table} tbody tr:first-child td")
        assert first_row == columns and len(columns) >= 2
    page.locator("table.schedule").scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/reader/summary-tables-{code}.png")


def test_every_log_row_can_be_removed_at_once_after_a_second_tap(page: Page, server: LiveServer):
    page.goto(f"{server.url}/zh-hans/situation")
    for _ in range(4):
        page.click("#add-row")
    page.fill("input[name='contact_log-5-note']", "第六行")
    rows = page.locator("#log-rows > li")
    expect(rows).to_have_count(7)
    page.click("#clear-rows")
    expect(page.locator("#clear-rows")).to_have_text("再点一次，删除全部7行")
    expect(rows).to_have_count(7)  # the first tap only asks
    page.click("#clear-rows")
    expect(rows).to_have_count(1)
    expect(page.locator("input[name='contact_log-0-note']")).to_have_value("")
    wait_until(page, "!(localStorage.getItem('situation-answers') || '').includes('第六行')")
