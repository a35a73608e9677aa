"""One composite font per typeface: Type0 over CIDFontType2, Identity-H, 2-byte codes.

reportlab embeds a TrueType font as simple fonts of 256 glyphs each, so CJK text switches
font (``Tf``) every few characters, and a page of text becomes thousands of text runs for a
viewer or a checker to walk. ``IdentityHFont`` keeps reportlab's parsed face (metrics, the
character map) and changes only what is written: every character of the document gets a
2-byte code in order of first use, a line of text is one string in one font, and at save time
the font is cut once to exactly the glyphs used (the face's own glyph, metric and hinting
bytes, sliced from the mapped file; fontTools' SFNTWriter assembles and checksums the font file), with a
``W`` array of the same widths the layout measured, a CIDToGIDMap from codes to the subset's
glyphs and a ToUnicode CMap so the text can be copied and checked. (fontTools' own subsetter
gives the same glyphs but decompiles whole tables of 30,000-glyph fonts: twice the time.)

Everything written depends only on the characters used and their order, so the bytes are
the same on every build of the same input.
"""
from __future__ import annotations

import hashlib
import io
import struct
import sys
import zlib
from array import array
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont

CMAP_CHUNK = 100          # entries per beginbfchar block (the PDF limit)
W_RUN = 512               # widths per run of the W array (keeps lines of the file short)


FONT_FLATE_LEVEL = 4      # zlib level of the embedded font programs: the sample report's fonts
                          # compress in 34 ms instead of 55 at level 6, 1.6 % larger


class _FontFlate(pdfdoc.PDFStreamFilterZCompress):
    """FlateDecode at ``FONT_FLATE_LEVEL`` (reportlab's filter uses zlib's default, 6)."""

    def encode(self, text):
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, FONT_FLATE_LEVEL)


_FONT_FLATE = _FontFlate()


class _DocState:
    """Codes handed out in one document: code -> code point, and back."""

    def __init__(self) -> None:
        self.codes: dict[int, int] = {}     # code point -> 2-byte code (1, 2, ...)
        self.chars: list[int] = []          # code - 1 -> code point
        self.encoded: dict[str, bytes] = {}  # character -> its two bytes (0 for a missing glyph)
        self.internal_name: str | None = None
        self.frozen = False


class IdentityHFont(TTFont):
    """A reportlab TrueType font written as one Identity-H composite font per document."""

    _multiByte = 1

    def _doc_state(self, doc) -> _DocState:
        states = self.__dict__.get("_cid_states")
        if states is None:
            states = self.__dict__["_cid_states"] = WeakKeyDictionary()
        state = states.get(doc)
        if state is None:
            state = states[doc] = _DocState()
        return state

    def splitString(self, text, doc, encoding="utf-8"):
        """The text as one chunk of big-endian 2-byte codes (a glyph the face lacks is code 0,
        .notdef, as reportlab does)."""
        if isinstance(text, bytes):
            text = text.decode(encoding)
        state = self._doc_state(doc)
        encoded = state.encoded
        try:                        # every character seen before: one lookup each
            return [(0, b"".join(map(encoded.__getitem__, text)))] if text else []
        except KeyError:
            pass
        codes = state.codes
        have = self.face.charToGlyph
        out = bytearray()
        for ch in text:
            cp = ord(ch)
            if cp == 0xA0:
                cp = 32
            code = codes.get(cp)
            if code is None:
                if cp not in have:
                    code = 0
                else:
                    if state.frozen:
                        raise pdfdoc.PDFError(f"font {self.fontName} already written, cannot add U+{cp:04X}")
                    state.chars.append(cp)
                    code = codes[cp] = len(state.chars)
            two = encoded[ch] = code.to_bytes(2, "big")
            out += two
        return [(0, bytes(out))] if out else []

    def getSubsetInternalName(self, subset, doc):
        state = self._doc_state(doc)
        if state.internal_name is None:
            state.internal_name = f"F{len(doc.fontMapping) + 1}"
            doc.fontMapping[self.fontName] = "/" + state.internal_name
            doc.delayedFonts.append(self)
        return "/" + state.internal_name

    # ---- writing ------------------------------------------------------------------------

    def addObjects(self, doc):
        state = self._doc_state(doc)
        state.frozen = True
        chars = state.chars
        face = self.face
        ps_name = face.name.decode("latin-1") + face.subfontNameX.decode("latin-1")
        base_name = f"{_tag(ps_name, chars)}+{ps_name}"
        program, gids = subset_program(face, [face.charToGlyph[cp] for cp in chars])

        font_file = pdfdoc.PDFStream(content=program)
        font_file.dictionary["Length1"] = len(program)
        flags = (self.face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "Ascent": face.ascent, "CapHeight": face.capHeight, "Descent": face.descent,
            "Flags": flags, "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(base_name), "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": doc.Reference(font_file, f"cidFontFile:{base_name}"),
        })
        cid_to_gid = pdfdoc.PDFStream(content=b"".join(g.to_bytes(2, "big") for g in [0] + gids))
        cid_font = pdfdoc.PDFDictionary({
            "Type": "/Font", "Subtype": "/CIDFontType2", "BaseFont": pdfdoc.PDFName(base_name),
            "CIDSystemInfo": pdfdoc.PDFDictionary({
                "Registry": pdfdoc.PDFString("Adobe"), "Ordering": pdfdoc.PDFString("Identity"),
                "Supplement": 0}),
            "FontDescriptor": doc.Reference(descriptor, f"cidFontDescriptor:{base_name}"),
            "DW": face.defaultWidth,
            "W": pdfdoc.PDFArray(_widths(face, chars)),
            "CIDToGIDMap": doc.Reference(cid_to_gid, f"cidToGid:{base_name}"),
        })
        to_unicode = pdfdoc.PDFStream(content=to_unicode_cmap(base_name, chars).encode("ascii"))
        if doc.compression:
            font_file.filters = [_FONT_FLATE]
            for stream in (cid_to_gid, to_unicode):
                stream.filters = [pdfdoc.PDFZCompress]
        font = pdfdoc.PDFDictionary({
            "Type": "/Font", "Subtype": "/Type0", "BaseFont": pdfdoc.PDFName(base_name),
            "Encoding": "/Identity-H",
            "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font, f"cidFont:{base_name}")]),
            "ToUnicode": doc.Reference(to_unicode, f"cidToUnicode:{base_name}"),
        })
        ref = doc.Reference(font, state.internal_name)
        doc.idToObject["BasicFonts"].dict[state.internal_name] = ref
        del self._cid_states[doc]


def _tag(font_name: str, chars: list[int]) -> str:
    """Six capitals naming the subset, from what it holds (the same subset, the same tag)."""
    digest = hashlib.sha1(font_name.encode("utf-8") + b"|" + ",".join(map(str, chars)).encode()).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _widths(face, chars: list[int]) -> list:
    """``W``: ``first [w w w ...]`` runs, codes 1..n, in the widths the layout measured."""
    out: list = []
    widths = [face.getCharWidth(cp) for cp in chars]
    for start in range(0, len(widths), W_RUN):
        out.append(start + 1)
        out.append(pdfdoc.PDFArray(widths[start:start + W_RUN]))
    return out


def to_unicode_cmap(name: str, chars: list[int]) -> str:
    """Code -> text, two bytes a code; characters beyond U+FFFF as UTF-16 surrogate pairs."""
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        f"/CMapName /{name.replace(' ', '')} def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
    ]
    for start in range(0, len(chars), CMAP_CHUNK):
        block = chars[start:start + CMAP_CHUNK]
        lines.append(f"{len(block)} beginbfchar")
        for k, cp in enumerate(block, start + 1):
            lines.append(f"<{k:04X}> <{chr(cp).encode('utf-16-be').hex().upper()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


# composite glyph flags (TrueType 'glyf')
_ARG_WORDS, _SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080
_KEPT_TABLES = ("OS/2", "cvt ", "fpgm", "prep", "name")   # hinting kept: glyphs render as before
_POST_FORMAT_3 = 0x00030000


class _Tables:
    """A face's raw tables, read from its file's bytes (mapped, not copied)."""

    def __init__(self, face):
        self.data = face._ttf_data
        self.pos = {tag: (t["offset"], t["length"]) for tag, t in face.table.items()}

    def raw(self, tag: str) -> bytes | None:
        if tag not in self.pos:
            return None
        offset, length = self.pos[tag]
        return bytes(self.data[offset:offset + length])

    def shorts(self, tag: str, fmt: str = "H") -> array:
        values = array(fmt, self.raw(tag))
        if sys.byteorder == "little":
            values.byteswap()
        return values


def _components(glyph: bytes) -> list[tuple[int, int]]:
    """(offset of the glyph index, glyph index) of each part of a composite glyph."""
    out = []
    pos = 10
    while True:
        flags, gid = struct.unpack_from(">HH", glyph, pos)
        out.append((pos + 2, gid))
        pos += 4 + (4 if flags & _ARG_WORDS else 2)
        pos += 8 if flags & _TWO_BY_TWO else 4 if flags & _XY_SCALE else 2 if flags & _SCALE else 0
        if not flags & _MORE:
            return out


def subset_program(face, glyphs: list[int]) -> tuple[bytes, list[int]]:
    """The face cut down to ``glyphs`` (ids in the full font), .notdef and the parts of any
    composite glyph, renumbered in that order; and the new id of each of ``glyphs``.

    The glyph outlines, advances and hinting programs are the font's own bytes; fontTools
    assembles and checksums the file. No character map is kept: a CID font is drawn through
    its CIDToGIDMap and read back through its ToUnicode CMap."""
    tables = _Tables(face)
    head, hhea, maxp = tables.raw("head"), tables.raw("hhea"), tables.raw("maxp")
    n_full = struct.unpack_from(">H", maxp, 4)[0]
    long_loca = struct.unpack_from(">h", head, 50)[0] == 1
    loca = tables.shorts("loca", "I" if long_loca else "H")
    scale = 1 if long_loca else 2
    glyf_at, _ = tables.pos["glyf"]
    n_metrics = struct.unpack_from(">H", hhea, 34)[0]
    hmtx = tables.shorts("hmtx")

    order: list[int] = [0]
    new_id = {0: 0}
    bodies: list[bytes] = []
    todo = list(glyphs)
    while todo:
        gid = todo.pop(0)
        if gid in new_id or gid >= n_full:
            continue
        new_id[gid] = len(order)
        order.append(gid)
    k = 0
    while k < len(order):                   # bodies, pulling in composite parts as found
        gid = order[k]
        start, end = loca[gid] * scale, loca[gid + 1] * scale
        body = bytes(tables.data[glyf_at + start:glyf_at + end])
        if len(body) >= 10 and struct.unpack_from(">h", body, 0)[0] < 0:
            patched = bytearray(body)
            for where, part in _components(body):
                if part not in new_id:
                    new_id[part] = len(order)
                    order.append(part)
                struct.pack_into(">H", patched, where, new_id[part])
            body = bytes(patched)
        bodies.append(body + b"\0" * (-len(body) % 4))
        k += 1

    glyf = b"".join(bodies)
    offsets = array("I", [0])
    for body in bodies:
        offsets.append(offsets[-1] + len(body))
    if sys.byteorder == "little":
        offsets.byteswap()
    metrics = array("H")
    last_advance = hmtx[2 * (n_metrics - 1)]
    for gid in order:
        if gid < n_metrics:
            metrics.extend(hmtx[2 * gid:2 * gid + 2])
        else:
            metrics.extend((last_advance, hmtx[2 * n_metrics + (gid - n_metrics)]))
    if sys.byteorder == "little":
        metrics.byteswap()

    head = bytearray(head)
    struct.pack_into(">h", head, 50, 1)            # long loca offsets
    struct.pack_into(">I", head, 8, 0)             # checksum adjustment: set on save
    hhea = bytearray(hhea)
    struct.pack_into(">H", hhea, 34, len(order))
    maxp = bytearray(maxp)
    struct.pack_into(">H", maxp, 4, len(order))
    post = struct.pack(">I", _POST_FORMAT_3) + (tables.raw("post") or bytes(32))[4:16] + bytes(16)
    raw = {"head": bytes(head), "hhea": bytes(hhea), "maxp": bytes(maxp), "hmtx": metrics.tobytes(),
           "loca": offsets.tobytes(), "glyf": glyf, "post": post}
    for tag in _KEPT_TABLES:
        data = tables.raw(tag)
        if data is not None:
            raw[tag] = data

    return sfnt(raw), [new_id.get(g, 0) for g in glyphs]


# Tables written before a table that needs them, as fontTools' TTFont.save orders them (each
# table class's ``dependencies``), so the file is the one it writes.
_WRITTEN_AFTER = {"OS/2": ("head",), "head": ("maxp", "loca"), "hhea": ("hmtx", "glyf"),
                  "loca": ("glyf",), "maxp": ("glyf",), "post": ("maxp",)}


def sfnt(tables: dict[str, bytes]) -> bytes:
    """A TrueType file of raw ``tables``, assembled and checksummed by fontTools' SFNTWriter
    (what TTFont.save uses, without importing a module per table to compile nothing)."""
    from fontTools.ttLib.sfnt import SFNTWriter
    from fontTools.ttLib.ttFont import sortedTagList

    order: list[str] = []

    def add(tag: str) -> None:
        if tag in order or tag not in tables:
            return
        for first in _WRITTEN_AFTER.get(tag, ()):
            add(first)
        order.append(tag)

    for tag in sortedTagList(list(tables)):
        add(tag)
    buf = io.BytesIO()
    writer = SFNTWriter(buf, len(tables))
    for tag in order:
        writer[tag] = tables[tag]
    writer.close()
    return buf.getvalue()
