"""Make the embedded CJK fonts small: a WeasyPrint `finisher` that re-subsets them compactly.

WeasyPrint subsets with HarfBuzz's RETAIN_GIDS, so a CJK font whose used glyphs sit at IDs up to ~60,000 keeps
60,000 slots: about 250 KB of hmtx/vmtx and CFF offsets per face, compressed, for a few hundred glyphs. In a
CID-keyed CFF font (Noto Sans CJK is one), the PDF's CIDs reach glyphs through the font's own charset, not by
glyph position, and HarfBuzz keeps each glyph's CID in that charset when it subsets without RETAIN_GIDS.

The compact font is embedded as a bare CID-keyed CFF (FontFile3 /CIDFontType0C), the classic form in which every
viewer maps CIDs through the charset; with the OpenType wrapper, poppler maps CIDs to glyph positions and draws
the wrong glyphs. The content streams, widths (/W) and ToUnicode maps, all keyed by CID, stay exactly as
WeasyPrint wrote them. Each result is checked (CID-keyed, the same CIDs, in order) before it replaces the
original; anything unexpected leaves the original in place.
"""

import io
import logging

import pydyf
import uharfbuzz as hb
from fontTools.ttLib import TTFont

from webapp import pdf_patches

LOGGER = logging.getLogger(__name__)

# Vertical metrics and layout tables: PDF text is positioned by the content stream, not by these.
_DROP_TABLES = ("vmtx", "vhea", "VORG", "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "DSIG")
_FLAGS = hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _cids(widths: pydyf.Array) -> list[int]:
    """The CIDs a /W array lists: [start [w w w] start [w] ...]."""
    cids = {0}
    items = list(widths)
    for start, run in zip(items[::2], items[1::2], strict=True):
        cids.update(range(int(start), int(start) + len(run)))
    return sorted(cids)


def compact_subset_of_face(face: hb.Face, cids: list[int]) -> tuple[bytes, bytes] | None:
    """The font (OpenType) and its bare CFF with only these glyphs and no empty slots, each glyph's charset name
    `cid<N>` for the N asked for; None unless it is CID-keyed CFF and the names check."""
    subset_input = hb.SubsetInput()
    for cid in cids:
        subset_input.glyph_set.add(cid)
    drop = subset_input.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in _DROP_TABLES:
        drop.add(int.from_bytes(tag.encode(), "big"))
    subset_input.flags = _FLAGS
    subset = hb.subset(face, subset_input)
    if subset is None:
        return None
    data = subset.blob.data
    font = TTFont(io.BytesIO(data), lazy=True)
    if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        return None
    if font.getGlyphOrder()[1:] != [f"cid{cid:05d}" for cid in cids[1:]]:
        return None
    return data, font.reader["CFF "]


def compact_subset(font_program: bytes, cids: list[int]) -> bytes | None:
    """The bare CFF of the font with only these glyphs and no empty slots; None unless it is CID-keyed CFF."""
    result = compact_subset_of_face(hb.Face(hb.Blob(font_program)), cids)
    return None if result is None else result[1]


def compact_fonts(document: object, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: replace each CID-keyed CFF font program by its compact subset.

    A font program that pdf_patches's SUBSET_ONCE already made compact (in this render) is only unwrapped: its CFF
    was checked when it was made, against the glyphs drawn, which must all be in it."""
    session = pdf_patches.current()
    by_program: dict[int, tuple[pydyf.Stream, list[pydyf.Dictionary]]] = {}
    for obj in list(pdf.objects):
        if not (isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/CIDFontType0" and "W" in obj):
            continue
        descriptor = pdf.objects[_number(obj["FontDescriptor"])]
        if "FontFile3" not in descriptor:
            continue
        number = _number(descriptor["FontFile3"])
        by_program.setdefault(number, (pdf.objects[number], []))[1].append(obj)
    unwrapped = set()
    for stream, fonts in by_program.values():
        cids = sorted(set().union(*(_cids(font["W"]) for font in fonts)))
        compacted = session.compacted_for(stream.stream) if session is not None else None
        if compacted is not None:
            if not compacted.cids.issuperset(cids):
                raise RuntimeError(f"the compact subset of {fonts[0].get('BaseFont')} lacks glyphs it draws")
            compact: bytes | None = compacted.cff
            unwrapped.add(id(compacted.font_program))
        else:
            compact = compact_subset(b"".join(stream.stream), cids)
        if compact is None:
            LOGGER.warning("kept the font %s as WeasyPrint embedded it", fonts[0].get("BaseFont"))
            continue
        stream.stream = [compact]
        stream.extra["Subtype"] = "/CIDFontType0C"
    if session is not None and set(session.compacted) - unwrapped:
        # Left as OpenType, a compact subset would be drawn by glyph position, not CID: wrong glyphs.
        raise RuntimeError("a compact font subset was not unwrapped: refusing to write wrong glyphs")
