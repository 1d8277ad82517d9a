"""Find the CJK fonts the pages name and the PDFs embed (Debian's fonts-noto-cjk), through fontconfig."""

import shutil
import subprocess
from pathlib import Path

# The embedded fonts: Simplified and Traditional glyph forms of Noto Sans CJK (Debian's fonts-noto-cjk).
PDF_FONT_FAMILIES = {"zh-Hans": "Noto Sans CJK SC", "zh-Hant": "Noto Sans CJK TC"}
REQUIRED_FAMILIES = tuple(PDF_FONT_FAMILIES.values())


def find_fonts(families: tuple[str, ...] = REQUIRED_FAMILIES) -> dict[str, Path | None]:
    """Each family -> the font file fontconfig has for it, or None when it is not installed."""
    found: dict[str, Path | None] = dict.fromkeys(families)
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return found
    listing = subprocess.run(
        [fc_list, "--format", "%{family}\t%{style}\t%{file}\n"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    ).stdout
    for line in sorted(listing.splitlines()):
        names, styles, file = ([*line.split("\t"), "", ""])[:3]
        for family in families:
            # Any face proves the family is there; the Regular face is the one to name.
            if family in names.split(",") and (found[family] is None or "Regular" in styles.split(",")):
                found[family] = Path(file)
    return found


def coverage(font_file: Path, family: str) -> frozenset[int]:
    """The code points a family in a font file (or collection) can draw: what users may type into a PDF."""
    from fontTools.ttLib import TTCollection, TTFont

    if font_file.suffix.lower() == ".ttc":
        faces = TTCollection(str(font_file), lazy=True).fonts
    else:
        faces = [TTFont(str(font_file), lazy=True)]
    for face in faces:
        if face["name"].getDebugName(1) == family:
            return frozenset(face.getBestCmap())
    raise LookupError(f"{family} is not in {font_file}")
