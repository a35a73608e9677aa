"""What a font file says about itself: its names, weight and outline format (fontTools)."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

# name IDs that identify a face: family, full name, PostScript name, typographic family, WWS family.
IDENTIFYING_NAME_IDS = (1, 4, 6, 16, 21)


@dataclass(frozen=True)
class FaceInfo:
    """One face of a font file (a TTC holds several)."""
    path: str
    index: int
    names: tuple[str, ...]   # every identifying name, in every language the file carries
    family: str              # the English family name (name ID 16, else 1)
    postscript_name: str
    weight: int              # OS/2 usWeightClass
    italic: bool
    truetype: bool           # glyf outlines (reportlab cannot read CFF)


def normalize(name: str) -> str:
    """Names compare like Word compares them: width- and case-insensitive, spaces, '-' and '_' ignored."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-_")


def _english(name_table, *ids: int) -> str:
    for nid in ids:
        rec = name_table.getName(nid, 3, 1, 0x409) or name_table.getName(nid, 1, 0, 0)
        if rec is not None:
            return rec.toUnicode(errors="replace")
    for nid in ids:
        value = name_table.getDebugName(nid)
        if value:
            return value
    return ""


def face_info(font: TTFont, path: Path, index: int) -> FaceInfo:
    table = font["name"]
    names = []
    for rec in table.names:
        if rec.nameID in IDENTIFYING_NAME_IDS:
            try:
                text = rec.toUnicode()
            except UnicodeDecodeError:
                continue
            if text and text not in names:
                names.append(text)
    os2 = font["OS/2"] if "OS/2" in font else None
    return FaceInfo(
        path=str(path),
        index=index,
        names=tuple(names),
        family=_english(table, 16, 1),
        postscript_name=_english(table, 6),
        weight=getattr(os2, "usWeightClass", 400),
        italic=bool(getattr(os2, "fsSelection", 0) & 1),
        truetype="glyf" in font,
    )


def read_faces(path: Path) -> list[FaceInfo]:
    """Every face of a font file; [] for a file that is not a readable font."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            return [face_info(f, path, i) for i, f in enumerate(TTCollection(path, lazy=True).fonts)]
        return [face_info(TTFont(path, lazy=True), path, 0)]
    except (TTLibError, OSError, KeyError, AssertionError, ValueError, IndexError):
        return []
