"""UI string catalogs: zh_Hans is written by hand, zh_Hant is generated from it by the guides' converter."""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.support import Translations

from webapp.conversion import Converter
from webapp.variants import HANS, HANT, VARIANTS


def po_path(translations_dir: Path, locale: str) -> Path:
    return translations_dir / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, locale: str) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def hant_from_hans(hans: Catalog, converter: Converter) -> Catalog:
    hant = Catalog(
        locale=HANT.locale,
        header_comment="# Generated from zh_Hans by `make catalogs-sync`; do not edit by hand.",
        project=hans.project,
        version=hans.version,
        creation_date=hans.creation_date,
        revision_date=hans.revision_date,
        fuzzy=False,
    )
    for message in hans:
        if not message.id:
            continue
        string: str | tuple[str, ...]
        if isinstance(message.string, tuple | list):
            string = tuple(converter.convert(s, HANT) for s in message.string)
        else:
            string = converter.convert(message.string or "", HANT)
        hant.add(message.id, string, context=message.context)
    return hant


def drift(translations_dir: Path, converter: Converter) -> list[str]:
    """msgids whose checked-in zh_Hant text differs from what the converter makes of zh_Hans."""
    hans = read_catalog(po_path(translations_dir, HANS.locale), HANS.locale)
    expected = hant_from_hans(hans, converter)
    actual = read_catalog(po_path(translations_dir, HANT.locale), HANT.locale)
    want = {m.id: m.string for m in expected if m.id}
    have = {m.id: m.string for m in actual if m.id}
    return sorted(str(i) for i in want.keys() | have.keys() if want.get(i) != have.get(i))


CatalogStatus = dict[str, bool]  # locale -> whether its compiled catalog loads


def loaded(translations_dir: Path) -> CatalogStatus:
    """Per locale: does a compiled catalog load? (`make catalogs` compiles them.)"""
    return {
        v.locale: isinstance(Translations.load(str(translations_dir), [v.locale]), Translations)
        for v in VARIANTS.values()
    }
