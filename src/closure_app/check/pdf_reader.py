"""What a PDF shows: page sizes, the fonts its text uses (embedded or not), and its text lines
with the dominant size and font of each. Read with pdfium (pypdfium2): fast, and it reads text
inside Form XObjects (imposed booklets) too."""
from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from closure_app.check.safety import CannotCheck

SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
BOLD_WEIGHT = 600
SAME_LINE = 0.6            # centres closer than this many sizes: one line
STROKED_MODES = (1, 2)     # stroke, fill + stroke: how a font without a bold face is drawn bold
_NAME_BUFFER = 512


def decode_font_name(data: bytes) -> str:
    """A BaseFont name as people read it: subset prefix gone, GBK bytes decoded
    (b'ABCDEF+\\xb7\\xbd\\xd5\\xfd\\xb7\\xc2\\xcb\\xce_GBK' -> '方正仿宋_GBK')."""
    for codec in ("utf-8", "gbk"):
        try:
            name = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        name = data.decode("latin-1")
    return SUBSET_PREFIX.sub("", name)


@dataclass(frozen=True)
class PdfFont:
    name: str
    embedded: bool
    bold: bool


@dataclass
class Line:
    page: int            # 1-based
    number: int          # 1-based on its page
    text: str
    size: float          # the dominant character size, pt
    font: PdfFont        # the dominant font of its Han characters (of all, if it has none)
    stroked: bool        # most characters drawn with a stroke (fake bold)
    right: float = 0.0   # the last character's right edge, pt from the page's left


@dataclass
class PdfFacts:
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    font_pages: dict[PdfFont, list[int]] = field(default_factory=dict)   # font -> pages it is used on


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


@dataclass
class _Run:
    """One text object: a piece of text in one font and size (a show-text operator)."""
    text: str
    size: float
    font: PdfFont
    stroked: bool
    middle: float        # vertical centre, pt from the page foot
    left: float
    right: float


def _font(obj, known: dict[int, PdfFont]) -> PdfFont:
    """The font of a text object; ``known`` keeps fonts already read, by their handle."""
    font = raw.FPDFTextObj_GetFont(obj)
    key = ctypes.cast(font, ctypes.c_void_p).value
    if key not in known:
        known[key] = _read_font(font)
    return known[key]


def _read_font(font) -> PdfFont:
    buf = ctypes.create_string_buffer(_NAME_BUFFER)
    n = raw.FPDFFont_GetBaseFontName(font, buf, _NAME_BUFFER)
    name = decode_font_name(buf.raw[: max(n - 1, 0)])
    bold = raw.FPDFFont_GetWeight(font) >= BOLD_WEIGHT or "bold" in name.lower()
    return PdfFont(name, bool(raw.FPDFFont_GetIsEmbedded(font)), bold)


def _text(obj, textpage) -> str:
    n = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
    buf = (ctypes.c_ushort * (n // 2))()
    raw.FPDFTextObj_GetText(obj, textpage, buf, n)
    return bytes(buf).decode("utf-16-le", errors="replace").rstrip("\0")


def _runs(objects, textpage, in_form: bool, fonts: dict[int, PdfFont], runs: list) -> None:
    """Walk page objects (into Form XObjects too): every font used, and the page's own text runs."""
    for obj in objects:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            count = raw.FPDFFormObj_CountObjects(obj)
            _runs((raw.FPDFFormObj_GetObject(obj, i) for i in range(count)), textpage, True, fonts, runs)
        elif kind == raw.FPDF_PAGEOBJ_TEXT:
            font = _font(obj, fonts)
            if in_form:
                continue     # a placed page (booklet): its fonts count, its lines are the source's
            size = ctypes.c_float()
            raw.FPDFTextObj_GetFontSize(obj, size)
            box = [ctypes.c_float() for _ in range(4)]
            raw.FPDFPageObj_GetBounds(obj, *box)
            left, bottom, right, top = (b.value for b in box)
            runs.append(_Run(_text(obj, textpage), size.value, font,
                             raw.FPDFTextObj_GetTextRenderMode(obj) in STROKED_MODES,
                             (bottom + top) / 2, left, right))


def _make_line(page: int, number: int, runs: list[_Run]) -> Line:
    runs = sorted(runs, key=lambda r: r.left)
    sizes: Counter = Counter()
    fonts: Counter = Counter()
    han_fonts: Counter = Counter()
    stroked = inked = 0
    for r in runs:
        n = sum(1 for c in r.text if not c.isspace())
        han = sum(1 for c in r.text if _is_han(c))
        sizes[round(r.size, 1)] += n
        fonts[r.font] += n
        han_fonts[r.font] += han
        inked += n
        stroked += n if r.stroked else 0
    font = (han_fonts if sum(han_fonts.values()) else fonts).most_common(1)[0][0]
    return Line(page, number, "".join(r.text for r in runs).strip(), sizes.most_common(1)[0][0], font,
                stroked * 2 > inked, max(r.right for r in runs))


def group_lines(page: int, runs: list[_Run]) -> list[Line]:
    """Runs in content order become lines. A run joins the current line when its vertical centre
    is near that of the line's largest run (a raised note number stays on its line)."""
    groups: list[list[_Run]] = []
    anchor: Optional[_Run] = None
    for r in runs:
        if not r.text.strip():
            continue
        if anchor and abs(anchor.middle - r.middle) <= max(anchor.size, r.size) * SAME_LINE:
            groups[-1].append(r)
            anchor = r if r.size > anchor.size else anchor
        else:
            groups.append([r])
            anchor = r
    return [_make_line(page, n, g) for n, g in enumerate(groups, start=1)]


def read_pdf(path: Path) -> PdfFacts:
    """Everything the checker needs from a PDF. Raises CannotCheck if it cannot be opened."""
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise CannotCheck("PDF 已加密（需要密码），无法检查；请提供未加密的 PDF。") from None
        raise CannotCheck(f"PDF 已损坏，无法打开（{exc}）。") from None
    facts = PdfFacts()
    try:
        for index in range(len(doc)):
            page = doc[index]
            facts.page_sizes.append(tuple(page.get_size()))
            textpage = page.get_textpage()
            fonts: dict[int, PdfFont] = {}
            runs: list[_Run] = []
            count = raw.FPDFPage_CountObjects(page.raw)
            _runs((raw.FPDFPage_GetObject(page.raw, i) for i in range(count)), textpage.raw, False, fonts, runs)
            for font in set(fonts.values()):
                facts.font_pages.setdefault(font, []).append(index + 1)
            facts.lines += group_lines(index + 1, runs)
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise CannotCheck(f"PDF 已损坏，无法读取（{exc}）。") from None
    finally:
        doc.close()
    return facts
