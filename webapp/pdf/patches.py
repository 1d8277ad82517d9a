"""Faster PDF output for WeasyPrint 70.0 (with pydyf 0.13.0): five patches of private functions, each written
as an upstream proposal (docs/upstream/README.md) and each keeping the PDF bytes exactly as they are without it
(tests/test_pdf_speed.py compares).

They are applied by `install()`, which a `PdfRenderer` calls when it is made (nothing happens on import), after
checking both versions (`check_version()`, also called at start-up), and each acts only inside a `session()` that
names it, so any other WeasyPrint use in the process gets WeasyPrint's own behaviour.

- `SUBSET_ONCE`: WeasyPrint subsets each face with HarfBuzz twice (RETAIN_GIDS, then cut after the last glyph used),
  and for a CID-keyed CFF font (Noto Sans CJK) our finisher then subsets that result a third time, compactly
  (finisher.py), throwing the first two away. With this patch, when the finisher will run, the compact subset is
  made once, straight from the original font file, and handed to the finisher, which only has to check it and
  embed its CFF. The PDF's CIDs are the glyph IDs Pango shaped with; the result is used only if its charset names
  every kept glyph `cid<N>` for exactly those IDs (the same check the finisher makes), so a font whose CIDs are not
  its glyph IDs, or any other surprise, goes through WeasyPrint's own subsetting as before.
- `ZERO_COPY`: `Font.__init__` copies the whole font file into a Python bytes object (a 20 MB .ttc, per face, per
  render) that nothing reads when the subset is made from the face. With this patch the copy is made only if
  something reads `file_content` before a subset replaces it (variable or colour fonts, unsubsetted fonts).
- `WRITE_ONCE`: pydyf's `PDF.write` serializes every object (compressing every stream at level 9) to write it,
  then serializes them all again to hash them for the file identifier. With this patch, while a PDF is written,
  each object's serialization is kept (with the object, so no id is reused) and the hash reads the same bytes
  back. Nothing changes an object during `write`, so the bytes are the same.
- `NOTELESS_UA`: WeasyPrint's user-agent stylesheet gives every element five pseudo-elements for footnotes and notes
  (`::footnote-call`, `::footnote-marker`, `::note-call`, `::note-marker`, `::note-callback`) and a `::marker`,
  and WeasyPrint computes a style for each of them up front, used or not: six styles per element, about 2,300 for
  a typical summary, none of which ever makes a box. With this patch a render uses the same stylesheet without the
  five note rules and with `::marker` for `li` only (the only list item it makes). It is only for documents whose
  stylesheets make no footnote, no note and no other list item (`needs_full_ua()`; the renderer checks its own
  stylesheets): there those pseudo-elements make no box, so the bytes are the same.
- `QUICK_STYLE`: `ComputedStyle.__missing__`, which computes each property of an element on first use, takes its
  whole path (logical properties, pending values, math functions) for every property, also for the ~80% that no
  stylesheet sets and that simply inherit or take their initial value. With this patch those take a short path
  that does what the long one does for them; every other property, and any inherited value holding a math
  function, takes the long path as before.

The original font is read by uharfbuzz (the same HarfBuzz the finisher uses, so the same bytes): only the tables
a CFF subset needs, read once per process into one `hb.Face` per file and index (~15 MB for each distinct CFF
table; Noto's SC and TC faces share theirs), so a renderer that warms up in the parent (PdfRenderer.warm_up)
hands them to every child it forks (copy-on-write: never written, so shared).
"""

import re
import struct
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

SUPPORTED_VERSION = "70.0"
SUPPORTED_PYDYF_VERSION = "0.13.0"
SUBSET_ONCE = "subset_once"
ZERO_COPY = "zero_copy"
WRITE_ONCE = "write_once"
NOTELESS_UA = "noteless_ua"
QUICK_STYLE = "quick_style"
ALL = frozenset({SUBSET_ONCE, ZERO_COPY, WRITE_ONCE, NOTELESS_UA, QUICK_STYLE})


@dataclass(frozen=True)
class Compacted:
    """A compact subset made by SUBSET_ONCE: the OpenType font WeasyPrint embeds, and its bare CFF."""

    font_program: bytes
    cff: bytes
    cids: frozenset[int]


@dataclass
class Session:
    patches: frozenset[str]
    compacted: dict[int, Compacted] = field(default_factory=dict)  # id(font_program) -> what it is

    def compacted_for(self, stream_parts: list[Any]) -> Compacted | None:
        """The compact subset whose font program is this stream's only part, if SUBSET_ONCE made it."""
        if len(stream_parts) != 1:
            return None
        found = self.compacted.get(id(stream_parts[0]))
        return found if found is not None and found.font_program is stream_parts[0] else None


_local = threading.local()
_install_lock = threading.Lock()
_originals: dict[str, Any] = {}
_faces: dict[tuple[str, int], Any] = {}  # (file, index) -> (uharfbuzz Face, its tables); see the docstring
_faces_lock = threading.Lock()


def current() -> Session | None:
    return getattr(_local, "session", None)


def _active(patch: str) -> bool:
    session = current()
    return session is not None and patch in session.patches


@contextmanager
def session(patches: Collection[str]) -> Iterator[Session]:
    """The patches named act in this thread until the block ends (one render, write_pdf and finisher included)."""
    unknown = set(patches) - ALL
    if unknown:
        raise ValueError(f"unknown WeasyPrint patches: {sorted(unknown)}")
    if patches and not _originals:
        raise RuntimeError("patches.install() must be called before a session uses its patches")
    previous = current()
    _local.session = Session(frozenset(patches))
    try:
        yield _local.session
    finally:
        _local.session = previous


def check_version() -> None:
    import pydyf
    import weasyprint

    for name, installed, supported in (
        ("WeasyPrint", weasyprint.__version__, SUPPORTED_VERSION),
        ("pydyf", pydyf.__version__, SUPPORTED_PYDYF_VERSION),
    ):
        if installed != supported:
            raise RuntimeError(
                f"webapp/pdf/patches.py patches private functions of {name} {supported}, but {name} {installed} "
                f"is installed. Pin {name}=={supported} (pyproject.toml), or re-check each patched function "
                "against the new version, run tests/test_pdf_speed.py, and update the supported version there."
            )


def install() -> None:
    """Apply the patches (idempotent), or refuse another WeasyPrint or pydyf. They act only inside `session()`."""
    check_version()
    with _install_lock:
        if _originals:
            return
        import pydyf
        import weasyprint
        from weasyprint import css
        from weasyprint.pdf import fonts

        _bind_style_tables()
        if not _noteless_ua:  # refuses a user-agent stylesheet that is not the one this patch was written for
            from weasyprint.css.counters import CounterStyle

            # Its @counter-style rules go to a throwaway registry: renders take WeasyPrint's own (UA_COUNTER_STYLE,
            # filled once by the original), which refuses them a second time with a warning.
            _noteless_ua.append(weasyprint.CSS(string=_noteless_ua_text(), counter_style=CounterStyle()))
        _originals.update(
            init=fonts.Font.__init__,
            subset=fonts.Font.subset,
            get_hb_object_data=fonts.get_hb_object_data,
            write=pydyf.PDF.write,
            data={cls: cls.__dict__["data"] for cls in _serialized_classes()},
            ua_stylesheets=weasyprint.HTML._ua_stylesheets,
            missing=css.ComputedStyle.__missing__,
        )
        weasyprint.HTML._ua_stylesheets = _ua_stylesheets
        css.ComputedStyle.__missing__ = _quick_missing
        fonts.Font.__init__ = _font_init
        fonts.Font.subset = _font_subset
        fonts.Font.file_content = property(_get_file_content, _set_file_content)
        fonts.get_hb_object_data = _get_hb_object_data
        pydyf.PDF.write = _pdf_write
        for cls, data in _originals["data"].items():
            cls.data = property(_kept(data.fget))


def uninstall() -> None:
    """Put WeasyPrint back as it was (for tests)."""
    with _install_lock:
        if not _originals:
            return
        import weasyprint
        from weasyprint import css
        from weasyprint.pdf import fonts

        weasyprint.HTML._ua_stylesheets = _originals["ua_stylesheets"]
        css.ComputedStyle.__missing__ = _originals["missing"]
        fonts.Font.__init__ = _originals["init"]
        fonts.Font.subset = _originals["subset"]
        del fonts.Font.file_content
        fonts.get_hb_object_data = _originals["get_hb_object_data"]
        import pydyf

        pydyf.PDF.write = _originals["write"]
        for cls, data in _originals["data"].items():
            cls.data = data
        _originals.clear()


# NOTELESS_UA
_NOTE_RULES = (
    "::footnote-call { content: counter(footnote); vertical-align: super; font-size: smaller; line-height: inherit }\n",
    '::footnote-marker { content: counter(footnote) ". " }\n',
    "::note-call { content: counter(note); vertical-align: super; font-size: smaller; line-height: inherit }\n",
    '::note-marker { content: counter(note) ". " }\n',
    '::note-callback { content: "\u202f\u21a9" }\n',
)
_MARKER_RULE = "::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }"
_noteless_ua: list[Any] = []  # the stylesheet, parsed once per process by install()


_FULL_UA_NEEDED = re.compile(r"footnote|note\(|display\s*:[^;}]*list-item")


def needs_full_ua(css_text: str) -> bool:
    """Whether a stylesheet may make a footnote, a note or a list item other than `li` (then NOTELESS_UA would
    change the output). Comments count too: a false alarm only costs the patch."""
    return _FULL_UA_NEEDED.search(css_text) is not None


def _noteless_ua_text() -> str:
    from weasyprint.html import UA

    text: str = UA
    for rule in (*_NOTE_RULES, _MARKER_RULE):
        if text.count(rule) != 1:
            raise RuntimeError(f"webapp/pdf/patches.py: WeasyPrint's user-agent stylesheet has changed ({rule[:20]!r})")
        text = text.replace(rule, "" if rule in _NOTE_RULES else "li" + rule)
    return text


def _ua_stylesheets(html: Any, forms: bool = False) -> Any:
    if forms or not _active(NOTELESS_UA):
        return _originals["ua_stylesheets"](html, forms)
    return [_noteless_ua[0]]


# QUICK_STYLE
_LONG_PATH = frozenset({"float", "display", "position", "page"})  # the properties __missing__ treats apart
# WeasyPrint's tables, bound by install() (importing this module imports no WeasyPrint)
_PHYSICAL_FUNCTIONS: Any = None
_COMPUTER_FUNCTIONS: Any = None
_INHERITED: Any = None
_INITIAL_NOT_COMPUTED: Any = None
_INITIAL_VALUES: Any = None
_check_math: Any = None


def _bind_style_tables() -> None:
    global _PHYSICAL_FUNCTIONS, _COMPUTER_FUNCTIONS, _INHERITED, _INITIAL_NOT_COMPUTED, _INITIAL_VALUES, _check_math
    from weasyprint.css.computed_values import COMPUTER_FUNCTIONS, PHYSICAL_FUNCTIONS
    from weasyprint.css.functions import check_math
    from weasyprint.css.properties import INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES

    _PHYSICAL_FUNCTIONS, _COMPUTER_FUNCTIONS, _check_math = PHYSICAL_FUNCTIONS, COMPUTER_FUNCTIONS, check_math
    _INHERITED, _INITIAL_NOT_COMPUTED, _INITIAL_VALUES = INHERITED, INITIAL_NOT_COMPUTED, INITIAL_VALUES


def _quick_missing(style: Any, key: str) -> Any:
    """ComputedStyle.__missing__ (WeasyPrint 70.0), with a short path for a property no stylesheet sets for this
    element: an inherited one takes its parent's computed value, any other its initial value, computed if it must
    be, exactly as the long path does for them."""
    if (
        key not in style.cascaded
        and key not in _PHYSICAL_FUNCTIONS
        and key not in _LONG_PATH
        and key[:16] != "text_decoration_"
        and (session := getattr(_local, "session", None)) is not None  # _active(QUICK_STYLE), without a call
        and QUICK_STYLE in session.patches
    ):
        if key in _INHERITED or key[:2] == "__":
            parent = style.parent_style
            if parent is not None:
                value = parent[key]
                # check_math() is falsy for anything but a tuple or a function token: no call for the rest
                if (type(value) is not tuple and getattr(value, "type", None) != "function") or not _check_math(value):
                    style[key] = value
                    return value
        elif key not in _INITIAL_NOT_COMPUTED:
            value = style[key] = _INITIAL_VALUES[key]
            return value
        elif key in _COMPUTER_FUNCTIONS:
            value = style[key] = _COMPUTER_FUNCTIONS[key](style, key, _INITIAL_VALUES[key])
            return value
    return _originals["missing"](style, key)


# WRITE_ONCE
def _serialized_classes() -> tuple[type, ...]:
    import pydyf

    return (pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String)


def _pdf_write(pdf: Any, *args: Any, **kwargs: Any) -> None:
    if not _active(WRITE_ONCE):
        _originals["write"](pdf, *args, **kwargs)
        return
    _local.written = {}
    try:
        _originals["write"](pdf, *args, **kwargs)
    finally:
        _local.written = None


def _kept(serialize: Any) -> Any:
    def data(obj: Any) -> bytes:
        written = getattr(_local, "written", None)
        if written is None:
            return cast(bytes, serialize(obj))
        kept = written.get(id(obj))
        if kept is None or kept[0] is not obj:
            kept = written[id(obj)] = (obj, serialize(obj))
        serialized: bytes = kept[1]  # not cast(): a call, thousands of times a render
        return serialized

    return data


# ZERO_COPY
class _FaceData:
    """The bytes of a HarfBuzz face, read only when asked for."""

    def __init__(self, hb_face: Any) -> None:
        self.hb_face = hb_face  # keeps the face, and so its blob, alive until then

    def load(self) -> bytes | None:
        return cast(bytes | None, _originals["get_hb_object_data"](self.hb_face))


def _get_hb_object_data(hb_object: Any, ot_color: str | None = None, glyph: int | None = None) -> Any:
    if ot_color is None and getattr(_local, "in_font_init", False) and _active(ZERO_COPY):
        return _FaceData(hb_object)
    return _originals["get_hb_object_data"](hb_object, ot_color, glyph)


def _get_file_content(font: Any) -> bytes | None:
    value = font.__dict__["_file_content"]
    if isinstance(value, _FaceData):
        value = font.__dict__["_file_content"] = value.load()
    return cast(bytes | None, value)


def _set_file_content(font: Any, value: Any) -> None:
    font.__dict__["_file_content"] = value


def _font_init(font: Any, pango_font: Any, description: Any, font_size: float) -> None:
    _local.in_font_init = True
    try:
        _originals["init"](font, pango_font, description, font_size)
    finally:
        _local.in_font_init = False
    font._wp_file = _font_file(pango_font) if _active(SUBSET_ONCE) else None


# SUBSET_ONCE
def _font_subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    session = current()
    if session is not None and SUBSET_ONCE in session.patches and _may_subset_once(font, to_unicode):
        cids = frozenset({0, *to_unicode})
        compacted = _subset_once(font, cids)
        if compacted is not None:
            font.file_content = compacted.font_program
            session.compacted[id(compacted.font_program)] = compacted
            return
    _originals["subset"](font, to_unicode, hinting)


def _may_subset_once(font: Any, to_unicode: dict[int, str]) -> bool:
    """Only plain outline fonts whose every glyph is real; anything else takes WeasyPrint's own path."""
    return bool(
        to_unicode
        and getattr(font, "_wp_file", None)
        and not font.missing  # .notdef stand-ins get glyph IDs past the end of the font
        and not font.bitmap
        and not (font.png or font.svg or font.colr)
        and "fvar" not in font.tables
        and "CFF " in font.tables
    )


def _subset_once(font: Any, cids: frozenset[int]) -> Compacted | None:
    from webapp.pdf.cff import compact_subset_of_face

    face = _face(font._wp_file, font.index)
    if face is None or face.glyph_count != font.glyph_count:
        return None
    result = compact_subset_of_face(face, sorted(cids))
    if result is None:
        return None
    font_program, cff = result
    return Compacted(font_program, cff, cids)


# All a CFF subset reads. Without the cmap, HarfBuzz does not map the font's 44,000 code points on every subset
# (more than half its time for a summary); the CFF it writes is the same.
_SUBSET_TABLES = (b"CFF ", b"head", b"maxp")


def _face(path: str, index: int) -> Any:
    """A uharfbuzz face of the tables a CFF subset needs, read once per process (shared between the faces of a
    collection that share them: Noto's SC and TC faces have one CFF table, ~15 MB)."""
    import uharfbuzz as hb

    key = (path, index)
    found = _faces.get(key)  # no lock for a face already read: a child forked mid-read elsewhere cannot wait on it
    if found is not None:
        return found[0]
    with _faces_lock:
        found = _faces.get(key)
        if found is None:
            try:
                tables = _read_tables(path, index, _SUBSET_TABLES)
            except (OSError, ValueError, struct.error):
                return None
            if tables is None:
                return None
            face = hb.Face.create_for_tables(lambda face, tag, tables: tables.get(tag.encode(), b""), tables)
            found = _faces[key] = (face, tables)  # the face reads the bytes in place: keep them with it
        return found[0]


_table_data: dict[tuple[str, int, int], bytes] = {}  # (file, offset, length) -> the table's bytes


def _read_tables(path: str, index: int, tags: tuple[bytes, ...]) -> dict[bytes, bytes] | None:
    """These tables of face `index` of an OpenType file or collection, or None if one is missing."""
    with open(path, "rb") as file:
        header = file.read(12)
        start = 0
        if header[:4] == b"ttcf":
            file.seek(12 + 4 * index)
            (start,) = struct.unpack(">I", file.read(4))
        elif index != 0:
            return None
        file.seek(start)
        (count,) = struct.unpack(">4xH6x", file.read(12))
        records = file.read(16 * count)
        where = {}
        for number in range(count):
            tag, _checksum, offset, length = struct.unpack(">4sIII", records[16 * number : 16 * number + 16])
            where[tag] = (offset, length)
        if not all(tag in where for tag in tags):
            return None
        tables = {}
        for tag in tags:
            offset, length = where[tag]
            key = (path, offset, length)
            if key not in _table_data:
                file.seek(offset)
                _table_data[key] = file.read(length)
                if len(_table_data[key]) != length:
                    raise ValueError(f"{path}: table {tag!r} is cut short")
            tables[tag] = _table_data[key]
        return tables


_fc: Any = None


def _font_file(pango_font: Any) -> str | None:
    """The file fontconfig found this Pango font in (WeasyPrint's font map is Pango's fontconfig one)."""
    global _fc
    try:
        if _fc is None:
            _fc = _FontconfigLookup()
        return cast(str | None, _fc.file_of(pango_font))
    except (OSError, AttributeError):
        return None


class _FontconfigLookup:
    def __init__(self) -> None:
        import cffi  # type: ignore[import-untyped]
        from weasyprint.text.ffi import ffi as weasy_ffi

        self._weasy_ffi = weasy_ffi
        self._ffi = ffi = cffi.FFI()
        ffi.cdef(
            "typedef struct _FcPattern FcPattern;"
            "FcPattern *pango_fc_font_get_pattern (void *font);"
            "int FcPatternGetString (const FcPattern *p, const char *object, int n, unsigned char **s);"
        )
        self._pangoft2 = ffi.dlopen("libpangoft2-1.0.so.0")
        self._fontconfig = ffi.dlopen("libfontconfig.so.1")

    def file_of(self, pango_font: Any) -> str | None:
        ffi = self._ffi
        address = int(self._weasy_ffi.cast("uintptr_t", pango_font))
        pattern = self._pangoft2.pango_fc_font_get_pattern(ffi.cast("void *", address))
        if pattern == ffi.NULL:
            return None
        value = ffi.new("unsigned char **")
        if self._fontconfig.FcPatternGetString(pattern, b"file", 0, value) != 0:  # FcResultMatch
            return None
        return cast(str, ffi.string(value[0]).decode())
