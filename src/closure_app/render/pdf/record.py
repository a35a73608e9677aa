"""What the final pass placed on each page, as the renderer knows it: every string of text it
showed (text, font, size, drawn bold or not, where it stands) and the straight segments of
the paths it painted (table rules, the footnote separator, a vector figure's strokes).

The build's self-check judges a PDF it has just written from this record instead of reading
the file's text back (check/placed.py). Text is recorded where it is drawn (textflow's
``_draw_pieces``, the page number); paths are read at the end of each page from the content
the canvas wrote (``q``/``Q``/``cm`` and the path operators), so whatever draws them (a
reportlab table, svglib's drawing of a figure) is covered.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

MAX_SEGMENTS = 2400        # per page, as the reader keeps (check.pdf_reader.MAX_RULES * 4)
_PAINT = frozenset(("S", "s", "f", "F", "f*", "B", "B*", "b", "b*"))
_CLOSING_PAINT = frozenset(("s", "b", "b*"))


@dataclass(slots=True)
class PlacedRun:
    """One string shown (one ``Tj``): what a reader finds as one text object. Its box is the
    union of its glyphs' outlines (as pdfium bounds a text object), not of their em boxes."""
    text: str
    font: str            # the PDF font's name (BaseFont without a subset prefix)
    size: float
    stroked: bool        # drawn with a stroke (fake bold)
    left: float          # pt, page space
    right: float
    bottom: float
    top: float
    x: float = 0.0       # origin of the first glyph, and of the last one
    y: float = 0.0
    last_x: float = 0.0
    first_w: float = 0.0  # advance of the first and the last glyph, 1/1000 em
    last_w: float = 0.0


@dataclass
class PlacedPage:
    width: float
    height: float
    runs: list[PlacedRun] = field(default_factory=list)
    segments: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class Placement:
    """Every page of one PDF, in order."""
    pages: list[PlacedPage] = field(default_factory=list)


class _Glyphs:
    """A font's name in the PDF, and per character its advance and outline box in 1/1000 em
    (the glyph's own bounding box from the font file; (0, 0, 0, 0) for an empty glyph)."""

    def __init__(self, rl_name: str):
        font = pdfmetrics.getFont(rl_name)
        face = font.face
        name = face.name
        if isinstance(name, bytes):
            name = name.decode("latin-1") + getattr(face, "subfontNameX", b"").decode("latin-1")
        self.name = name
        self.font = font
        self.face = face
        self.boxes: dict[str, tuple[int, int, int, int]] = {}
        self.widths: dict[str, float] = {}
        self.low: dict[str, int] = {}      # the lowest and highest point of each glyph drawn
        self.high: dict[str, int] = {}
        self._glyf = None

    def width(self, ch: str) -> float:
        w = self.widths.get(ch)
        if w is None:
            w = self.widths[ch] = self.font.stringWidth(ch, 1000)
        return w

    def _tables(self):
        if self._glyf is None:
            import struct

            from closure_app.render.pdf.cidfont import _Tables

            tables = _Tables(self.face)
            head = tables.raw("head")
            upem = struct.unpack_from(">H", head, 18)[0] or 1000
            long_loca = struct.unpack_from(">h", head, 50)[0] == 1
            loca = tables.shorts("loca", "I" if long_loca else "H")
            self._glyf = (tables.data, tables.pos["glyf"][0], loca, 1 if long_loca else 2, upem)
        return self._glyf

    def box(self, ch: str) -> tuple[int, int, int, int]:
        b = self.boxes.get(ch)
        if b is None:
            import struct

            data, at, loca, scale, upem = self._tables()
            cp = 32 if ch == "\xa0" else ord(ch)
            gid = self.face.charToGlyph.get(cp, 0)
            start, end = loca[gid] * scale, loca[gid + 1] * scale
            if end - start >= 10:
                x0, y0, x1, y1 = struct.unpack_from(">hhhh", data, at + start + 2)
                b = tuple(int((v * 1000 + upem // 2) / upem) for v in (x0, y0, x1, y1))
            else:
                b = (0, 0, 0, 0)
            self.boxes[ch] = b
            self.low[ch], self.high[ch] = b[1], b[3]
        return b

    def extent(self, text: str) -> tuple[int, int]:
        """The lowest and highest point of the glyphs of ``text``, 1/1000 em."""
        chars = set(text)
        for ch in chars.difference(self.low):
            self.box(ch)
        return min(map(self.low.__getitem__, chars)), max(map(self.high.__getitem__, chars))


_GLYPHS: dict[str, _Glyphs] = {}


def glyphs(rl_name: str) -> _Glyphs:
    g = _GLYPHS.get(rl_name)
    if g is None:
        g = _GLYPHS[rl_name] = _Glyphs(rl_name)
    return g


def _apply(m, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _concat(m, n):
    """``n cm`` applied to the current matrix ``m`` (PDF order: n x m)."""
    a, b, c, d, e, f = n
    a0, b0, c0, d0, e0, f0 = m
    return (a * a0 + b * c0, a * b0 + b * d0, c * a0 + d * c0, c * b0 + d * d0,
            e * a0 + f * c0 + e0, e * b0 + f * d0 + f0)


def page_segments(code: list[str]) -> list[tuple[float, float, float, float]]:
    """The straight segments of the painted paths in a page's content, in page space: the
    segments a reader walking the page's path objects finds (a curve's end point only moves
    the pen; a closed subpath gets its closing segment; a clip-only path is no object)."""
    out: list[tuple[float, float, float, float]] = []
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack: list = []
    pending: list[tuple[float, float, float, float]] = []
    start = last = None
    nums: list[float] = []
    for entry in code:
        if entry.startswith("BT") or entry.startswith("BI"):
            continue                  # text (recorded where it is drawn) and inline images
        for tok in entry.split():
            try:
                nums.append(float(tok))
                continue
            except ValueError:
                pass
            if tok == "m" and len(nums) >= 2:
                start = last = _apply(ctm, nums[-2], nums[-1])
            elif tok == "l" and len(nums) >= 2:
                point = _apply(ctm, nums[-2], nums[-1])
                if last is not None:
                    pending.append((*last, *point))
                last = point
            elif tok == "c" and len(nums) >= 6 or tok in ("v", "y") and len(nums) >= 4:
                last = _apply(ctm, nums[-2], nums[-1])
            elif tok == "re" and len(nums) >= 4:
                x, y, w, h = nums[-4:]
                corners = [_apply(ctm, x, y), _apply(ctm, x + w, y), _apply(ctm, x + w, y + h),
                           _apply(ctm, x, y + h)]
                pending += [(*corners[i], *corners[(i + 1) % 4]) for i in range(4)]
                start = last = corners[0]
            elif tok == "h" or tok in _CLOSING_PAINT:
                if start is not None and last is not None and last != start:
                    pending.append((*last, *start))
                last = start
                if tok in _CLOSING_PAINT and len(out) <= MAX_SEGMENTS:
                    out += pending
                if tok != "h":
                    pending, start, last = [], None, None
            elif tok in _PAINT:
                if len(out) <= MAX_SEGMENTS:
                    out += pending
                pending, start, last = [], None, None
            elif tok == "n":
                pending, start, last = [], None, None
            elif tok == "q":
                stack.append(ctm)
            elif tok == "Q":
                ctm = stack.pop() if stack else ctm
            elif tok == "cm" and len(nums) >= 6:
                ctm = _concat(ctm, tuple(nums[-6:]))
            nums.clear()
    return out


class RecordingCanvas(Canvas):
    """The final pass's canvas: draws as reportlab's does and keeps a ``Placement``."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.placement = Placement()
        self._runs: list[PlacedRun] = []
        self._deferred: list[tuple] = []
        self._pdf_pages: list = []

    def defer(self, draw: Callable[["RecordingCanvas"], None]) -> None:
        """Keep this place in the page's content for ``draw(canvas)``, called by ``complete``
        once the document is laid out (a table of contents' page numbers): one pass makes the
        document, what is drawn later sits where it would have been drawn now. Text only: the
        record's path segments are read when the page ends."""
        marker = f"%closure-deferred-{len(self._deferred)}"
        self._code.append(marker)
        self._deferred.append((marker, len(self.placement.pages), len(self._runs), self._currentMatrix, draw))

    def complete(self) -> None:
        """Draw what was deferred, each in the page, place and user space it was left for."""
        code, runs, matrix = self._code, self._runs, self._currentMatrix
        inserts: list[tuple[int, int, int, list]] = []
        try:
            for seq, (marker, page, at, m, draw) in enumerate(self._deferred):
                self._code, self._runs, self._currentMatrix = [], [], m
                draw(self)
                pdf_page = self._pdf_pages[page]
                pdf_page.stream = pdf_page.stream.replace(marker + "\n", "\n".join(self._code) + "\n", 1)
                inserts.append((page, at, seq, self._runs))
        finally:
            self._code, self._runs, self._currentMatrix = code, runs, matrix
        for page, at, _, new in sorted(inserts, reverse=True):
            self.placement.pages[page].runs[at:at] = new
        self._deferred.clear()

    def place(self, text: str, rl_font: str, size: float, rise: float, x: float, baseline: float,
              char_space: float, stroked: bool, line_width: float = 0.0) -> None:
        """A string shown from (``x``, ``baseline``) in the current user space (no rotation:
        our pages are upright), each glyph followed by ``char_space``."""
        if not text:
            return
        g = glyphs(rl_font)
        m = self._currentMatrix
        ox, oy = _apply(m, x, baseline + rise)
        scale = m[0]
        fs = size / 1000
        first, last = text[0], text[-1]
        last_x = (g.font.stringWidth(text, size) - g.width(last) * fs) + char_space * (len(text) - 1)
        # the box: x from the first glyph and the last two, y from every different glyph
        min_x = g.box(first)[0] * fs
        max_x = g.box(last)[2] * fs + last_x
        if len(text) > 1:
            before = last_x - g.width(text[-2]) * fs - char_space
            min_x = min(min_x, g.width(first) * fs + char_space + g.box(text[1])[0] * fs)
            max_x = max(max_x, g.box(text[-2])[2] * fs + before)
        low, high = g.extent(text)
        min_y, max_y = low * fs, high * fs
        half = line_width / 2 if stroked else 0.0
        self._runs.append(PlacedRun(
            text.replace("\xa0", " "), g.name, size * scale, stroked,
            ox + (min_x - half) * scale, ox + (max_x + half) * scale,
            oy + (min_y - half) * scale, oy + (max_y + half) * scale,
            ox, oy, ox + last_x * scale, g.width(first), g.width(last)))

    def showPage(self):
        w, h = self._pagesize
        self.placement.pages.append(PlacedPage(float(w), float(h), self._runs, page_segments(self._code)))
        self._runs = []
        super().showPage()
        self._pdf_pages.append(self._doc.Pages.pages[-1])


def recording(canv) -> Optional[RecordingCanvas]:
    return canv if isinstance(canv, RecordingCanvas) else None
