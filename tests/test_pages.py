"""Every page in both variants, through the Flask test client."""

import re

import pytest

from tests.helpers import GUIDE_SLUG, GUIDE_SLUGS, elements, links

PAGES = ["/{v}/", f"/{{v}}/guides/{GUIDE_SLUG}"]
VARIANTS = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
OTHER = {"zh-hans": "zh-hant", "zh-hant": "zh-hans"}
every_page = pytest.mark.parametrize(("page", "code"), [(page, code) for page in PAGES for code in VARIANTS])


@every_page
def test_page_is_served_in_its_variant(client, page: str, code: str) -> None:
    response = client.get(page.format(v=code))
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert elements(response.text, "html")[0]["lang"] == VARIANTS[code]


@every_page
def test_page_has_hreflang_alternates_for_both_variants(client, page: str, code: str) -> None:
    html = client.get(page.format(v=code)).text
    for other_code, tag in VARIANTS.items():
        # Absolute, as search engines require (Lighthouse's hreflang audit), on the address the reader used.
        assert elements(
            html, "link", rel="alternate", hreflang=tag, href=f"http://localhost{page.format(v=other_code)}"
        )
    assert elements(html, "link", rel="alternate", hreflang="x-default", href="http://localhost/")


@every_page
def test_variant_switch_keeps_the_reader_on_the_same_page(client, page: str, code: str) -> None:
    html = client.get(page.format(v=code)).text
    [switch] = elements(html, "a", class_="variant-switch")
    assert switch["href"] == page.format(v=OTHER[code])
    assert switch["hreflang"] == switch["lang"] == VARIANTS[OTHER[code]]


def test_switch_label_is_in_the_readers_script(client) -> None:
    assert "繁體中文</a>" in client.get("/zh-hans/").text
    assert "簡體中文</a>" in client.get("/zh-hant/").text


@pytest.mark.parametrize("code", VARIANTS)
def test_guide_has_a_table_of_contents_with_an_anchor_per_section(client, code: str) -> None:
    html = client.get(f"/{code}/guides/{GUIDE_SLUG}").text
    body = html[html.index('<div class="guide-body">') :]
    section_ids = re.findall(r'<h2 id="([a-z0-9-]+)">', body)
    toc = html[html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))]
    assert len(section_ids) >= 10
    assert re.findall(r'href="#([a-z0-9-]+)"', toc) == [s for s in section_ids if s != "sources-heading"]


def test_section_anchors_are_the_same_in_both_variants(client) -> None:
    ids = [re.findall(r' id="([a-z0-9-]+)"', client.get(f"/{code}/guides/{GUIDE_SLUG}").text) for code in VARIANTS]
    assert ids[0] == ids[1]


@pytest.mark.parametrize("code", VARIANTS)
def test_home_leads_in_by_the_readers_situation_to_each_guide(client, code: str) -> None:
    html = client.get(f"/{code}/").text
    situations = html[
        html.index('<ul class="situations">') : html.index("</ul>", html.index('<ul class="situations">'))
    ]
    targets = re.findall(r'href="/[a-z-]+/guides/([a-z0-9-]+)(?:#[a-z0-9-]+)?"', situations)
    assert set(targets) == set(GUIDE_SLUGS)  # every guide is reached from a situation
    assert f'href="/{code}/guides/court-papers#payment-order"' in situations
    assert "我收到了支付令" in situations  # the same characters in both scripts
    for slug in GUIDE_SLUGS:
        assert f'href="/{code}/guides/{slug}"' in html  # and from the list of all guides


@every_page
def test_page_makes_no_third_party_requests_and_has_no_inline_script(client, page: str, code: str) -> None:
    html = client.get(page.format(v=code)).text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
    assert scripts and all('src="/assets/' in attrs and body == "" for attrs, body in scripts)
    assert " style=" not in html and "<style" not in html
    for url in links(html, "src") + re.findall(r'<link [^>]*href="([^"]*)"', html):
        url = url.removeprefix("http://localhost")  # the hreflang alternates: absolute, on our own address
        assert url.startswith("/") and not url.startswith("//"), url


def test_guide_shows_sources_and_not_legal_advice_line(client) -> None:
    html = client.get(f"/zh-hans/guides/{GUIDE_SLUG}").text
    assert '<li id="src-civil-code">' in html
    assert "依据法律或规章的条文核对。" in html
    assert "依据官方公告或新闻报道核对，尚未对照原文。" in html
    assert "核对于2026年11月" in html  # the date each source was checked
    assert "不是法律意见。最后核对于2026年12月3日" in html


@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [
        ("/zh-hans/guides/no-such-guide", "zh-Hans", "找不到这个页面"),
        ("/zh-hant/guides/no-such-guide", "zh-Hant", "找不到這個頁面"),
        ("/zh-hant/no-such-page", "zh-Hant", "找不到這個頁面"),
        ("/en/", "zh-Hans", "找不到这个页面"),
        ("/zh-HANT/", "zh-Hans", "找不到这个页面"),
    ],
)
def test_unknown_page_is_a_404_in_the_readers_variant(client, path: str, lang: str, text: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert elements(response.text, "html")[0]["lang"] == lang
    assert text in response.text


def test_unknown_variant_404_follows_the_browser_language(client) -> None:
    response = client.get("/fr/guides/x", headers={"Accept-Language": "zh-TW,zh;q=0.9"})
    assert response.status_code == 404
    assert elements(response.text, "html")[0]["lang"] == "zh-Hant"


def test_error_page_switch_leads_to_the_other_variants_home(client) -> None:
    html = client.get("/zh-hant/guides/no-such-guide").text
    assert [a["href"] for a in elements(html, "a", class_="variant-switch")] == ["/zh-hans/"]
    assert 'hreflang="zh-Hans" href' not in html  # no alternates for a page that does not exist


def test_wrong_method_is_a_405_page_not_a_500(client) -> None:
    response = client.post(f"/zh-hans/guides/{GUIDE_SLUG}")
    assert response.status_code == 405
    assert "这个页面不能这样打开" in response.text


def test_stylesheet_is_served(client) -> None:
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "prefers-color-scheme: dark" in response.text


@every_page
def test_page_shows_no_markdown_syntax(client, page: str, code: str) -> None:
    # CommonMark does not close ** after CJK punctuation followed by a letter: 。**欠 stays literal.
    html = client.get(page.format(v=code)).text
    assert "**" not in html
    assert "{#" not in html
