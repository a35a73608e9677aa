"""reportlab fonts, parsed once per file and kept: in this process and pickled on disk.

reportlab parses a TrueType file in pure Python (about a second for a 30,000-glyph CJK
font). The parsed face is pickled under the cache folder, keyed by the file's path, index,
size, modification time and the reportlab version, so a warm build only unpickles it; the
file's bytes are not in the pickle but mapped from the file, read only where a subset is made.
"""
from __future__ import annotations

import gc
import hashlib
import mmap
import os
import pickle
import struct
from array import array
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from closure_app.errors import UserError
from closure_app.fonts.catalog import cache_dir
from closure_app.render.pdf.cidfont import IdentityHFont

PICKLE_FORMAT = 2   # bump when what is pickled changes
_REGISTERED: dict[tuple[str, int], str] = {}   # (path as given, index) -> reportlab font name
_CHARSETS: dict[str, frozenset[int]] = {}       # cache key -> mapped code points


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


@lru_cache(maxsize=256)
def _real_path(path: Path) -> Path:
    return path.resolve()


def _key(path: Path, index: int) -> str:
    st = path.stat()
    raw = f"{PICKLE_FORMAT}|{_real_path(path)}|{index}|{st.st_size}|{st.st_mtime_ns}|{reportlab.Version}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def _parse(path: Path, index: int, name: str) -> TTFont:
    try:
        return IdentityHFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError, struct.error, KeyError, ValueError) as exc:
        raise UserError(f"无法读取字体文件 {path}：{exc}") from None


@contextmanager
def _no_gc():
    """Unpickling a face makes some 100,000 small objects, none cyclic: the cyclic garbage
    collector, triggered again and again meanwhile, would double the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pickle_path(key: str) -> Path:
    return cache_dir() / "parsed-fonts" / f"{key}.pickle"


def _load(path: Path, index: int, name: str, key: str) -> TTFont:
    """The TTFont for a file: unpickled from the cache, or parsed and then cached."""
    cached = _pickle_path(key)
    try:
        with open(cached, "rb") as fh, _no_gc():
            state = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        font = _parse(path, index, name)
        _store(cached, font)
        return font
    font = IdentityHFont.__new__(IdentityHFont)
    font.__dict__.update(state)
    font.face._ttf_data = _mapped(path)   # read by reportlab only where it subsets the font
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
    """Pickle the parsed font without its per-document state and without the file's bytes."""
    font.face._pdfScale = _Scale(font.face._pdfScale(1000) / 1000)
    state = {k: v for k, v in font.__dict__.items() if k not in ("state", "source", "_cid_states")}
    data = font.face.__dict__.pop("_ttf_data")
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except (OSError, pickle.PicklingError, AttributeError, TypeError):
        tmp.unlink(missing_ok=True)   # no cache only costs time
    finally:
        font.face._ttf_data = data


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
    array of its own: a coverage check (validate) need not load the whole face."""
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
