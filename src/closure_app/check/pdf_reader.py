"""What a PDF shows: page sizes, the fonts its text uses (embedded or not), and its text lines
with the dominant size and font of each. Read with pdfium (pypdfium2): fast, and it reads text
inside Form XObjects (imposed booklets) too."""
from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from closure_app.check.safety import CannotCheck

SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
BOLD_WEIGHT = 600
STROKED_MODES = (1, 2)     # stroke, fill + stroke: how a font without a bold face is drawn bold
LINE_BREAKS = ("\r", "\n")
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


@dataclass
class PdfFacts:
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    font_pages: dict[PdfFont, list[int]] = field(default_factory=dict)   # font -> pages it is used on


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _font_of(obj, cache: dict) -> tuple[PdfFont, bool]:
    key = ctypes.cast(obj, ctypes.c_void_p).value
    if key not in cache:
        font = raw.FPDFTextObj_GetFont(obj)
        buf = ctypes.create_string_buffer(_NAME_BUFFER)
        n = raw.FPDFFont_GetBaseFontName(font, buf, _NAME_BUFFER)
        name = decode_font_name(buf.raw[: max(n - 1, 0)])
        bold = raw.FPDFFont_GetWeight(font) >= BOLD_WEIGHT or "bold" in name.lower()
        cache[key] = (PdfFont(name, bool(raw.FPDFFont_GetIsEmbedded(font)), bold),
                      raw.FPDFTextObj_GetTextRenderMode(obj) in STROKED_MODES)
    return cache[key]


def _make_line(page: int, number: int, chars: list[tuple[str, float, PdfFont, bool]]) -> Line:
    inked = [c for c in chars if not c[0].isspace()]
    sizes = Counter(round(c[1], 1) for c in inked)
    han = [c for c in inked if _is_han(c[0])] or inked
    fonts = Counter(c[2] for c in han)
    stroked = sum(1 for c in inked if c[3]) * 2 > len(inked)
    return Line(page, number, "".join(c[0] for c in chars).strip(), sizes.most_common(1)[0][0],
                fonts.most_common(1)[0][0], stroked)


def _page_lines(textpage, page_no: int, cache: dict) -> list[Line]:
    tp = textpage.raw
    lines: list[Line] = []
    chars: list[tuple[str, float, PdfFont, bool]] = []

    def close():
        if any(not c[0].isspace() for c in chars):
            lines.append(_make_line(page_no, len(lines) + 1, chars))
        chars.clear()

    for i in range(raw.FPDFText_CountChars(tp)):
        ch = chr(raw.FPDFText_GetUnicode(tp, i))
        if ch in LINE_BREAKS:
            close()
            continue
        obj = raw.FPDFText_GetTextObject(tp, i)
        if not obj:
            if ch.isspace():
                chars.append((ch, 0.0, PdfFont("", True, False), False))
            continue
        font, stroked = _font_of(obj, cache)
        chars.append((ch, raw.FPDFText_GetFontSize(tp, i), font, stroked))
    close()
    return lines


def read_pdf(path: Path, *, with_lines: bool = True) -> PdfFacts:
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
            cache: dict = {}
            lines = _page_lines(textpage, index + 1, cache)
            for font, _ in cache.values():
                facts.font_pages.setdefault(font, []).append(index + 1)
            if with_lines:
                facts.lines += lines
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise CannotCheck(f"PDF 已损坏，无法读取（{exc}）。") from None
    finally:
        doc.close()
    return facts
