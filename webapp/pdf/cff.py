"""Compact subsets of the embedded CJK fonts, made with HarfBuzz: what the finisher (finisher.py) and the
SUBSET_ONCE patch (patches.py) embed.

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

import uharfbuzz as hb
from fontTools.ttLib import TTFont

# Vertical metrics and layout tables: PDF text is positioned by the content stream, not by these.
_DROP_TABLES = ("vmtx", "vhea", "VORG", "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "DSIG")
_FLAGS = hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED


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
