"""The render modules compiled by scripts/compile_hot_modules.py: what make installs runs them compiled, they print
the same PDFs byte for byte as their Python sources, and start-up refuses extensions built from other sources."""

import hashlib
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT
from webapp import compiled

# Renders each document with the app's own renderer in a fresh process and prints their hashes: with the compiled
# modules, or (argument "sources") with benchmarks.common.prefer_sources() importing them as Python sources.
RENDER = """
import hashlib, json, sys
if sys.argv[1] == "sources":
    from benchmarks.common import prefer_sources
    assert prefer_sources() > 0
from benchmarks.common import TYPICAL_SITUATION
from webapp import create_app
from webapp.state import state
from webapp.summary import print_html
from webapp.variants import VARIANTS
import weasyprint.layout.block, pydyf
app = create_app({"PDF_PRERENDER": False, "PDF_WARM_UP": False})
renderer = state(app).pdf_renderer
log = [{"date": "2026-11-20", "channel": "phone", "note": "催收电话，说要去我单位。" * 8}] * 40
documents = {
    "summary zh-Hans": (print_html(app, {**TYPICAL_SITUATION, "variant": "zh-Hans"}), "zh-Hans"),
    "summary zh-Hant": (print_html(app, {**TYPICAL_SITUATION, "variant": "zh-Hant"}), "zh-Hant"),
    "long summary": (print_html(app, {**TYPICAL_SITUATION, "variant": "zh-Hans", "contact_log": log}), "zh-Hans"),
}
for code, variant in VARIANTS.items():
    guide = state(app).library.get("58-finance-overdue", variant)
    documents[f"guide {code}"] = (state(app).guide_pdfs.html(guide), variant.tag)
hashes = {
    name: hashlib.sha256(renderer.render(html, tag, identifier=b"0" * 32)).hexdigest()
    for name, (html, tag) in documents.items()
}
files = [weasyprint.layout.block.__file__, pydyf.__file__]
print(json.dumps({"hashes": hashes, "files": files}))
"""


def render(how: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", RENDER, how], cwd=ROOT, capture_output=True, text=True, check=False, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_the_render_modules_run_compiled() -> None:
    found = compiled.status()
    assert found.manifest is not None, "scripts/compile_hot_modules.py did not run (make runs it)"
    assert not found.stale
    assert not found.as_sources
    for name in ("weasyprint.layout.block", "weasyprint.layout.inline", "weasyprint.css", "weasyprint.draw", "pydyf"):
        assert name in found.compiled
    assert len(found.compiled) >= 60


def test_the_extensions_were_built_with_a_profile_and_are_not_instrumented() -> None:
    """make builds them twice (scripts/compile_hot_modules.py): instrumented, a training run, then with its profile.
    An instrumented build left in place would write profile counts at every process exit: each such extension
    holds the name of its .gcda file, and none of those installed may."""
    path = compiled.manifest_path()
    manifest = json.loads(path.read_text())
    assert manifest["pgo"] is True, "built without profile-guided optimization (--no-pgo)"
    assert manifest["training"]
    instrumented = [
        entry["extension"]
        for entry in manifest["modules"].values()
        if b".gcda" in (path.parent / entry["extension"]).read_bytes()
    ]
    assert not instrumented


@pytest.mark.slow
def test_compiled_and_source_modules_print_the_same_bytes() -> None:
    ours, sources = render("compiled"), render("sources")
    assert all(not f.endswith(".py") for f in ours["files"]), ours["files"]
    assert all(f.endswith(".py") for f in sources["files"]), sources["files"]
    assert len(ours["hashes"]) == 5
    assert ours["hashes"] == sources["hashes"]


def fake_manifest(tmp_path: Path, change: str) -> Path:
    """A manifest naming the real extension of weasyprint.layout.block, with its source's hash changed as told."""
    real = compiled.manifest_path()
    entry = json.loads(real.read_text())["modules"]["weasyprint.layout.block"]
    source, extension = real.parent / entry["source"], real.parent / entry["extension"]
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if change == "stale":
        digest = hashlib.sha256(b"another version").hexdigest()
    modules = {"weasyprint.layout.block": {"source": str(source), "extension": str(extension), "source_sha256": digest}}
    path = tmp_path / compiled.MANIFEST
    path.write_text(json.dumps({"modules": modules}))
    return path


def test_an_extension_built_from_another_source_stops_start_up(tmp_path: Path) -> None:
    assert compiled.check(fake_manifest(tmp_path, "current")).compiled == ("weasyprint.layout.block",)
    with pytest.raises(compiled.StaleExtensions, match=r"weasyprint\.layout\.block"):
        compiled.check(fake_manifest(tmp_path, "stale"))


def test_without_compiled_modules_start_up_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="webapp.compiled"):
        found = compiled.check(tmp_path / compiled.MANIFEST)
    assert found.manifest is None
    assert "as Python sources" in caplog.text


def test_the_manifest_name_is_the_one_the_build_writes() -> None:
    script = (ROOT / "scripts" / "compile_hot_modules.py").read_text()
    assert f'MANIFEST = "{compiled.MANIFEST}"' in script
