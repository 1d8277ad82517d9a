"""The sources registry: every source cited once, citable only when confirmed, each one cited somewhere."""

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.helpers import GUIDES_DIR
from webapp.conversion import Converter, Glossary
from webapp.sources import SourceError, SourceRegistry, load_sources
from webapp.variants import HANS, HANT

REGISTRY_PATH = GUIDES_DIR / "sources.yaml"


@pytest.fixture(scope="module")
def registry() -> SourceRegistry:
    return load_sources(REGISTRY_PATH, Converter(Glossary.load(GUIDES_DIR / "glossary.yaml")))


def cited_by_guides() -> set[str]:
    ids: set[str] = set()
    for path in GUIDES_DIR.glob("*/guide.md"):
        front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n")
        ids |= set(yaml.safe_load(front)["sources"])
    return ids


def cited_by_data(registry_ids: set[str]) -> set[str]:
    """Ids the situation summary's data files cite under a `source` or `sources` key."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"source", "sources"}:
                    values = value if isinstance(value, list) else [value]
                    found.update(v for v in values if isinstance(v, str) and v in registry_ids)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in (GUIDES_DIR / "data").glob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def test_every_source_is_cited_by_a_guide_or_the_summary_data(registry: SourceRegistry) -> None:
    ids = set(registry.ids)
    assert ids - cited_by_guides() - cited_by_data(ids) == set()


def test_every_id_the_summary_data_cites_is_in_the_registry(registry: SourceRegistry) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (GUIDES_DIR / "data").glob("*.yaml"))
    listed = {i.strip() for group in re.findall(r"sources: \[([^\]]*)\]", text) for i in group.split(",") if i}
    single = set(re.findall(r"^\s+source: ([a-z0-9-]+)$", text, re.MULTILINE))
    assert listed | single <= set(registry.ids)


def test_registry_keeps_the_ids_the_summary_relies_on(registry: SourceRegistry) -> None:
    summary_ids = {"civil-code", "spc-private-lending", "spc-reply-2020-27", "lpr", "credit-regulation"}
    summary_ids |= {"cba-collection-guideline", "complaint-channels", "pipl", "criminal-law", "public-security-law"}
    summary_ids |= {"consumer-protection-measures", "nifa-convention"}
    assert summary_ids <= set(registry.ids)


def test_only_confirmed_sources_with_a_checked_date(registry: SourceRegistry) -> None:
    for source_id in registry.ids:
        source = registry.get(source_id, HANS)
        assert source.status in {"V", "V2"}
        assert date(2026, 11, 28) <= source.checked <= date(2026, 12, 3)
        assert source.url is None or source.url.startswith("https://")


def test_public_security_law_is_the_revised_law_without_old_article_numbers(registry: SourceRegistry) -> None:
    title = registry.get("public-security-law", HANS).title
    assert "2026年1月1日起施行" in title
    assert "2012" not in title and not re.search(r"第\d+", title)


def test_lpr_source_covers_the_fixings_through_the_latest_on_file(registry: SourceRegistry) -> None:
    assert "2026年2月24日" in registry.get("lpr", HANS).title


def test_a_source_read_in_an_unofficial_text_says_so(registry: SourceRegistry) -> None:
    for source_id in ("civil-code", "enforcement-blacklist", "consumption-restriction"):
        note = registry.get(source_id, HANS).note
        assert note is not None and "非官方" in note


def test_get_converts_the_title_to_the_variant(registry: SourceRegistry) -> None:
    hans, hant = registry.get("credit-regulation", HANS), registry.get("credit-regulation", HANT)
    assert "征信业管理条例" in hans.title
    assert "徵信業管理條例" in hant.title
    assert (hans.id, hans.status, hans.checked, hans.anchor) == (
        hant.id,
        hant.status,
        hant.checked,
        "src-credit-regulation",
    )


def test_get_names_an_unknown_id(registry: SourceRegistry) -> None:
    with pytest.raises(KeyError, match="no-such-law"):
        registry.get("no-such-law", HANS)


GOOD = {"title": "某法", "status": "V", "checked": "2026-11-29"}


def write(tmp_path: Path, entries: dict[str, dict[str, str]]) -> Path:
    lines = []
    for source_id, fields in entries.items():
        lines.append(f"{source_id}:")
        lines.extend(f"  {key}: {value}" for key, value in fields.items())
    path = tmp_path / "sources.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("source_id", "fields", "error"),
    [
        ("law", {**GOOD, "status": "U"}, "only V and V2"),
        ("law", {**GOOD, "status": "V (reprint)"}, "only V and V2"),
        ("law", {k: v for k, v in GOOD.items() if k != "title"}, "lacks title"),
        ("law", {k: v for k, v in GOOD.items() if k != "status"}, "lacks status"),
        ("law", {k: v for k, v in GOOD.items() if k != "checked"}, "lacks checked"),
        ("law", {**GOOD, "checked": "last week"}, "ISO date"),
        ("law", {**GOOD, "url": "http://example.org/"}, "https"),
        ("law", {**GOOD, "sattus": "V"}, "unknown keys"),
        ("Civil-Code", GOOD, "lowercase"),
        ("civil_code", GOOD, "lowercase"),
        ("民法典", GOOD, "lowercase"),
    ],
)
def test_loader_refuses_a_bad_registry(tmp_path: Path, source_id: str, fields: dict[str, str], error: str) -> None:
    with pytest.raises(SourceError, match=error):
        load_sources(write(tmp_path, {source_id: fields}), Converter(Glossary()))


def test_source_errors_are_value_errors() -> None:
    assert issubclass(SourceError, ValueError)


def test_a_good_registry_keeps_its_order(tmp_path: Path) -> None:
    path = write(tmp_path, {"b-law": GOOD, "a-law": {**GOOD, "url": "https://flk.npc.gov.cn/", "note": "说明"}})
    registry = load_sources(path, Converter(Glossary()))
    assert registry.ids == ("b-law", "a-law")
    assert registry.get("a-law", HANS).note == "说明"
    assert "a-law" in registry and "c-law" not in registry
