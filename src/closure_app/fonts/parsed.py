"""reportlab fonts, parsed once per font and kept: in this process and on disk.

reportlab parses a TrueType file in pure Python (about a second for a 30,000-glyph CJK
font). What the PDF back end needs of a parsed face is kept under the cache folder in a flat
form: the few scalars reportlab reads, and the character map and widths as plain arrays,
which load in milliseconds (no 100,000 small objects to unpickle). It is keyed by the
font's content (SHA-1 of the file, its index, the format and reportlab's version), so every
checkout and every copy of the same font shares it; a small per-path note (path, size,
modification time -> content hash) saves hashing the file again on every run. The file's
bytes are not copied but mapped, read only where a subset is made.
"""
from __future__ import annotations

import hashlib
import mmap
import os
import pickle
import struct
from array import array
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from closure_app.errors import UserError
from closure_app.fonts.catalog import cache_dir
from closure_app.render.pdf.cidfont import IdentityHFont

FLAT_FORMAT = 3     # bump when what is kept changes
_REGISTERED: dict[tuple[str, int], str] = {}   # (path as given, index) -> reportlab font name
_CHARSETS: dict[str, frozenset[int]] = {}       # cache key -> mapped code points
_CHARSET_OF: dict[tuple[str, int], frozenset[int]] = {}   # (path as given, index) -> the same


_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF (Extension B) written as the
    UTF-16 surrogate pairs PDF requires: reportlab writes <20000>, which readers decode wrongly."""
    cmap = _reportlab_to_unicode_cmap(fontname, subset)
    for i, cp in enumerate(subset):
        if cp > 0xFFFF:
            cmap = cmap.replace(f"<{i:02X}> <{cp:04X}>", f"<{i:02X}> <{chr(cp).encode('utf-16-be').hex().upper()}>")
    return cmap


ttfonts.makeToUnicodeCMap = to_unicode_cmap   # copy and paste and text checks see 𠀀, not ⩪


def _content_key(path: Path, index: int) -> str:
    """The font's content key: SHA-1 of the file, its index, the format and reportlab's version.
    Remembered per path (by size and modification time) so the file is hashed once."""
    st = path.stat()
    resolved = path.resolve()
    note_name = hashlib.sha1(f"{resolved}|{st.st_size}|{st.st_mtime_ns}".encode("utf-8")).hexdigest()[:16]
    note = cache_dir() / "font-ids" / note_name
    try:
        digest = note.read_text(encoding="ascii").strip()
        if len(digest) != 40:
            raise ValueError(digest)
    except (OSError, ValueError):
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha1").hexdigest() if hasattr(hashlib, "file_digest") \
                else hashlib.sha1(fh.read()).hexdigest()
        _write_quietly(note, digest.encode("ascii"))
    raw = f"{FLAT_FORMAT}|{digest}|{index}|{reportlab.Version}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


_KEY_OF: dict[tuple[str, int], str] = {}


def _key(path: Path, index: int) -> str:
    ident = (str(path), index)
    if ident not in _KEY_OF:
        _KEY_OF[ident] = _content_key(path, index)
    return _KEY_OF[ident]


def _parse(path: Path, index: int, name: str) -> TTFont:
    try:
        return IdentityHFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError, struct.error, KeyError, ValueError) as exc:
        raise UserError(f"无法读取字体文件 {path}：{exc}") from None


def _flat_path(key: str) -> Path:
    return cache_dir() / "parsed-fonts" / f"{key}.face"


# Kept out of the flat form: big tables only reportlab's own subsetter reads (the Identity-H
# writer reads the file's tables itself), per-document state, and what is mapped or rebuilt.
_FACE_DROPPED = ("charToGlyph", "charWidths", "glyphToChar", "hmetrics", "glyphPos", "_ttf_data")
_FONT_DROPPED = ("face", "state", "source", "_cid_states")


def _load(path: Path, index: int, name: str, key: str) -> TTFont:
    """The font for a file: from its flat form in the cache, or parsed and then cached."""
    cached = _flat_path(key)
    try:
        font_state, face_state, codes, glyphs, width_codes, widths = pickle.loads(cached.read_bytes())
        face_state = dict(face_state)
        face_state["charToGlyph"] = dict(zip(array("I", codes), array("I", glyphs)))
        face_state["charWidths"] = dict(zip(array("I", width_codes), array("d", widths)))
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        font = _parse(path, index, name)
        _store(cached, font)
        return font
    face = ttfonts.TTFontFace.__new__(ttfonts.TTFontFace)
    face.__dict__.update(face_state)
    face.glyphToChar, face.hmetrics, face.glyphPos = {}, [], []
    face._ttf_data = _mapped(path)
    font = IdentityHFont.__new__(IdentityHFont)
    font.__dict__.update(font_state)
    font.face = face
    font.fontName = name
    font.state = WeakKeyDictionary()   # per-document subsets: never cached
    return font


def _mapped(path: Path) -> mmap.mmap:
    """The file's bytes, paged in from disk as they are read."""
    with open(path, "rb") as fh:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


class _Scale:
    """Picklable stand-in for the scale lambda reportlab keeps: font units -> 1/1000 em."""

    def __init__(self, factor: float):
        self.factor = factor

    def __call__(self, value):
        return value if self.factor == 1 else value * self.factor


def _store(cached: Path, font: TTFont) -> None:
    """Write the flat form: small scalars pickled, the character map and widths as arrays."""
    face = font.face
    face._pdfScale = _Scale(face._pdfScale(1000) / 1000)
    codes = array("I", sorted(face.charToGlyph))
    glyphs = array("I", (face.charToGlyph[c] for c in codes))
    width_codes = array("I", sorted(face.charWidths))
    widths = array("d", (face.charWidths[c] for c in width_codes))
    face_state = {k: v for k, v in face.__dict__.items() if k not in _FACE_DROPPED}
    font_state = {k: v for k, v in font.__dict__.items() if k not in _FONT_DROPPED}
    try:
        data = pickle.dumps((font_state, face_state, codes.tobytes(), glyphs.tobytes(),
                             width_codes.tobytes(), widths.tobytes()), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError, TypeError):
        return   # no cache only costs time
    _write_quietly(cached, data)


def register(path: Path, index: int = 0) -> str:
    """Register the face with reportlab (once per process) and return its reportlab name."""
    ident = (str(path), index)
    if ident in _REGISTERED:
        return _REGISTERED[ident]
    key = _key(Path(path), index)
    name = f"{Path(path).stem}-{index}-{key[:8]}"
    font = _load(Path(path), index, name, key)
    font.source = (Path(path), index)   # the file fontTools subsets when the PDF is written
    pdfmetrics.registerFont(font)
    _REGISTERED[ident] = name
    return name


def charset(path: Path, index: int = 0) -> frozenset[int]:
    """Code points the face maps to a glyph. Kept on disk beside the parsed face, as a small
    array of its own: a coverage check (validate) need not load the whole face. Asked
    hundreds of times a build, answered from memory after the first (no stat, no hash)."""
    ident = (str(path), index)
    known = _CHARSET_OF.get(ident)
    if known is not None:
        return known
    _CHARSET_OF[ident] = found = _charset(Path(path), index)
    return found


def _charset(path: Path, index: int) -> frozenset[int]:
    key = _key(Path(path), index)
    if key in _CHARSETS:
        return _CHARSETS[key]
    cached = cache_dir() / "parsed-fonts" / f"{key}.charset"
    try:
        codes = array("I", cached.read_bytes())
    except (OSError, ValueError):
        codes = array("I", sorted(pdfmetrics.getFont(register(path, index)).face.charToGlyph))
        _write_quietly(cached, codes.tobytes())
    _CHARSETS[key] = frozenset(codes)
    return _CHARSETS[key]


def _write_quietly(target: Path, data: bytes) -> None:
    """Write a cache file atomically; a cache that cannot be written only costs time."""
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
