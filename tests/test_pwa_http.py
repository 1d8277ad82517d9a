"""PWA plumbing over HTTP: manifests, the generated service worker, and cache and compression headers."""

import gzip
import hashlib
import json
import re
import shutil
from pathlib import Path

import brotli
import pytest
from PIL import Image

from tests.helpers import GUIDE_SLUG, ROOT, elements
from webapp import create_app
from webapp.state import state

STATIC = ROOT / "webapp" / "static"
CODES = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


def precache_of(body: str) -> list[dict]:
    return json.loads(re.search(r"const PRECACHE = (.*);", body).group(1))


def test_service_worker_is_served_from_the_root_and_always_revalidated(client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"


def test_precache_lists_every_page_in_both_variants_and_the_fingerprinted_assets(app, client) -> None:
    entries = precache_of(client.get("/sw.js").text)
    urls = [e["url"] for e in entries]
    for code in CODES:
        for path in (f"/{code}/", f"/{code}/guides/{GUIDE_SLUG}", f"/{code}/offline"):
            assert path in urls
    assets = state(app).assets
    for name in ("css/site.css", "js/app.js"):
        digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]
        assert {"url": assets.url(name), "revision": digest} in entries
        assert digest in assets.url(name)


def test_precache_revisions_are_the_hashes_of_the_pages_served(client) -> None:
    for entry in precache_of(client.get("/sw.js").text):
        if not entry["url"].startswith("/assets/"):
            body = client.get(entry["url"]).data
            assert entry["revision"] == hashlib.sha256(body).hexdigest()[:12], entry["url"]


def copy_guides(tmp_path: Path) -> Path:
    target = tmp_path / "guides"
    shutil.copytree(ROOT / "guides", target)
    return target


def service_worker(guides: Path) -> str:
    return (
        create_app({"PDF_PRERENDER": False, "PDF_WARM_UP": False, "GUIDES_DIR": guides})
        .test_client()
        .get("/sw.js")
        .text
    )


def test_service_worker_is_the_same_bytes_in_every_process_for_the_same_content(client, tmp_path: Path) -> None:
    assert service_worker(copy_guides(tmp_path)) == client.get("/sw.js").text


def test_any_content_change_changes_the_service_worker(client, tmp_path: Path) -> None:
    guides = copy_guides(tmp_path)
    guide = guides / GUIDE_SLUG / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("深呼吸。", "深呼吸，慢慢来。"), encoding="utf-8")
    before, after = client.get("/sw.js").text, service_worker(guides)
    assert re.search(r'VERSION = "(\w+)"', before).group(1) != re.search(r'VERSION = "(\w+)"', after).group(1)
    changed = {e["url"] for e in precache_of(after)} - {
        e["url"] for e in precache_of(before) if e in precache_of(after)
    }
    assert changed == {f"/zh-hans/guides/{GUIDE_SLUG}", f"/zh-hant/guides/{GUIDE_SLUG}"}


@pytest.mark.parametrize("code", CODES)
def test_variant_manifest_speaks_the_variant_and_opens_the_chosen_one(client, code: str) -> None:
    response = client.get(f"/{code}/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["lang"] == CODES[code]
    assert manifest["name"] == "指南"  # neutral: the installed app's window and switcher show it
    assert manifest["short_name"] == "指南"  # discreet on a home screen
    assert manifest["id"] == manifest["start_url"] == manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]


def real_size(url: str, app) -> tuple[int, int]:
    name = state(app).assets.resolve(url.removeprefix("/assets/"))
    with Image.open(STATIC / name) as image:
        return image.size


def test_manifest_icons_and_screenshots_have_their_real_pixel_sizes(app, client) -> None:
    manifest = client.get("/zh-hant/manifest.webmanifest").get_json(force=True)
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert purposes == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for image in manifest["icons"] + manifest["screenshots"]:
        width, height = real_size(image["src"], app)
        assert image["sizes"] == f"{width}x{height}"
        assert client.get(image["src"]).status_code == 200
    forms = {s["form_factor"]: s for s in manifest["screenshots"]}
    assert set(forms) == {"narrow", "wide"}
    assert "zh-hant" in forms["narrow"]["src"]
    w, h = (int(x) for x in forms["wide"]["sizes"].split("x"))
    assert w > h


def test_root_manifest_follows_the_readers_variant(client) -> None:
    assert client.get("/manifest.webmanifest").get_json(force=True)["lang"] == "zh-Hans"
    client.set_cookie("variant", "zh-hant")
    response = client.get("/manifest.webmanifest")
    assert response.get_json(force=True)["lang"] == "zh-Hant"
    assert "Cookie" in response.headers["Vary"]


def test_pages_link_their_manifest_apple_touch_icon_and_script(app, client) -> None:
    html = client.get("/zh-hant/").text
    assert elements(html, "link", rel="manifest", href="/zh-hant/manifest.webmanifest")
    icon = elements(html, "link", rel="apple-touch-icon")[0]["href"]
    assert real_size(icon, app) == (180, 180)
    assert re.search(r'<script src="/assets/js/app\.[0-9a-f]{10}\.js" defer></script>', html)


def test_fingerprinted_assets_are_immutable_for_a_year(app, client) -> None:
    response = client.get(state(app).assets.url("css/site.css"))
    assert response.status_code == 200
    assert {"public", "immutable", "max-age=31536000"} <= set(
        part.strip() for part in response.headers["Cache-Control"].split(",")
    )


def test_stale_or_unknown_fingerprint_is_a_404(client) -> None:
    assert client.get("/assets/css/site.0000000000.css").status_code == 404
    assert client.get("/assets/../config.py").status_code == 404


def test_pages_are_revalidated_with_an_etag_and_compressed(client) -> None:
    first = client.get("/zh-hans/", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert first.headers["Cache-Control"] == "no-cache"
    assert "逾期" in gzip.decompress(first.data).decode()
    again = client.get("/zh-hans/", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path", ["/zh-hant/guides/58-finance-overdue", "/sw.js", "/zh-hans/manifest.webmanifest"])
def test_text_is_sent_with_brotli_when_the_browser_accepts_it(client, path: str) -> None:
    assert client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"}).headers["Content-Encoding"] == "br"


def test_pdfs_are_not_compressed_again(client) -> None:
    response = client.get(f"/zh-hans/guides/{GUIDE_SLUG}.pdf", headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in response.headers


@pytest.mark.parametrize(("code", "title"), [("zh-hans", "你现在处于离线状态"), ("zh-hant", "你現在處於離線狀態")])
def test_offline_page_in_each_variant(client, code: str, title: str) -> None:
    response = client.get(f"/{code}/offline")
    assert response.status_code == 200
    assert title in response.text


def test_every_page_carries_translated_install_update_and_offline_texts(client) -> None:
    html = client.get("/zh-hant/").text
    for element_id, text in [
        ("offline-indicator", "當前離線"),
        ("update-banner", "指南有新版本。"),
        ("install-button", "安裝到手機"),
        ("ios-install-hint", "加入主畫面"),
    ]:
        assert re.search(rf'id="{element_id}"[^>]*hidden>\s*(<span>)?[^<]*{text}', html), element_id
    assert re.search(r'<button id="update-button" type="button">立即更新</button>', html)


@pytest.mark.parametrize("name", ["css/site.css", "css/situation.css", "js/app.js", "js/situation.js"])
def test_text_assets_come_precompressed_at_brotli_11(app, client, name: str) -> None:
    url = state(app).assets.url(name)
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    original = (ROOT / "webapp" / "static" / name).read_bytes()
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == original
    assert len(response.data) < len(brotli.compress(original, quality=6))
    assert "immutable" in response.headers["Cache-Control"] and "Accept-Encoding" in response.headers["Vary"]
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.data == original
