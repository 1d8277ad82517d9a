"""What every summary and guide PDF gets after WeasyPrint has built it and before it is written: a WeasyPrint
`finisher` (called with the document and the pydyf PDF, after `add_tags`).

- Fonts made small (`compact_fonts`): WeasyPrint embeds each CID-keyed CFF face as an OpenType subset that keeps
  every glyph slot up to the last one used; the finisher replaces it by a compact bare CFF (cff.py), the CIDs and
  widths untouched.
- List items tagged whole (`wrap_list_bodies`): WeasyPrint tags an item whose marker sits inside its first line
  (`list-style-position: inside`, as the summary prints its lists) as LI > Lbl, then the item's content straight
  under the LI; with an outside marker it is LI > Lbl, LBody > content. Each LI whose first child is its Lbl and
  whose other children are all structure elements gets an LBody holding those children, so screen readers meet
  the same structure either way. Marked content and annotations keep their parents (only structure elements
  move). A document without inside markers is unchanged, byte for byte. Public API only: no patch needed.
"""

import logging
from typing import Any

import pydyf

from webapp.pdf import patches
from webapp.pdf.cff import compact_subset

LOGGER = logging.getLogger(__name__)


def finish(document: object, pdf: pydyf.PDF, *, compact: bool = True) -> None:
    """The finisher every renderer passes to WeasyPrint (`compact=False` keeps WeasyPrint's own font subsets)."""
    wrap_list_bodies(pdf)
    if compact:
        compact_fonts(document, pdf)


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _cids(widths: pydyf.Array) -> list[int]:
    """The CIDs a /W array lists: [start [w w w] start [w] ...]."""
    cids = {0}
    items = list(widths)
    for start, run in zip(items[::2], items[1::2], strict=True):
        cids.update(range(int(start), int(start) + len(run)))
    return sorted(cids)


def compact_fonts(document: object, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: replace each CID-keyed CFF font program by its compact subset.

    A font program that patches.py's SUBSET_ONCE already made compact (in this render) is only unwrapped: its CFF
    was checked when it was made, against the glyphs drawn, which must all be in it."""
    session = patches.current()
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


def wrap_list_bodies(pdf: Any) -> int:
    """Give each LI tagged as Lbl + structure elements an LBody holding the elements; returns how many it gave."""
    elements = {obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)}
    wrapped = 0
    for item in [obj for obj in elements.values() if obj.get("S") == "/LI"]:
        kids = [elements.get(reference) for reference in item["K"]]
        if (
            len(kids) < 2
            or kids[0] is None
            or kids[0].get("S") != "/Lbl"
            or any(kid is None or "S" not in kid or kid["S"] in ("/Lbl", "/LBody") for kid in kids[1:])
        ):
            continue
        body = pydyf.Dictionary(
            {
                "Type": "/StructElem",
                "S": "/LBody",
                "K": pydyf.Array(item["K"][1:]),
                "Pg": item["Pg"],
                "P": item.reference,
            }
        )
        pdf.add_object(body)
        for kid in kids[1:]:
            assert kid is not None  # checked above
            kid["P"] = body.reference
        item["K"] = pydyf.Array([item["K"][0], body.reference])
        wrapped += 1
    return wrapped
