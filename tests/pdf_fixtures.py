"""Source PDFs for imposition tests and benchmarks, drawn with reportlab.

Every page shows its own label, ``PAGE-007``, large at the centre, so a half sheet of the
booklet can be read back and named. CJK pages add a full page of Chinese text in a font the
project ships under ``fonts/open/``.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Optional

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFError
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_FONTS = ROOT / "fonts" / "open"
LABEL_RE = re.compile(r"PAGE-(\d{3})")
CJK_TEXT = (
    "巴中市哲学社会科学规划项目结项申请书须用纸双面印制中缝装订最终成果打印稿一级标题用黑体"
    "二级标题用楷体三级标题用仿宋加粗正文用仿宋三号字深度融合科技创新与产业创新助推新质生产力"
    "跨越发展研究背景与意义技术创新产业协同跨界融合人才培养政策保障参考文献摘要关键词目录"
)


def label(n: int) -> str:
    return f"PAGE-{n:03d}"


def shipped_cjk_font() -> Optional[Path]:
    """A TrueType CJK font from fonts/open/ that reportlab can embed, or None."""
    for path in sorted(SHIPPED_FONTS.glob("**/*")):
        if path.suffix.lower() not in (".ttf", ".otf", ".ttc"):
            continue
        try:
            font = TTFont("probe", str(path), subfontIndex=0)
        except (TTFError, OSError):
            continue
        if font.face.charToGlyph.get(ord("巴")):
            return path
    return None


def numbered_pdf(
    n_pages: int,
    size: tuple[float, float] = A4,
    sizes: Optional[dict[int, tuple[float, float]]] = None,
    cjk_font: Optional[Path] = None,
    stored_turned: frozenset[int] = frozenset(),
) -> bytes:
    """``n_pages`` pages labelled PAGE-001...; ``sizes`` overrides single pages (1-based).

    Pages in ``stored_turned`` are stored a quarter turn round (content drawn sideways) with
    ``/Rotate 90``, so a viewer shows them upright, as scanners and some exporters write them."""
    font = None
    if cjk_font is not None:
        font = f"CJK-{cjk_font.stem}"
        if font not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(font, str(cjk_font), subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, pageCompression=1, initialFontName=font)
    for n in range(1, n_pages + 1):
        w, h = (sizes or {}).get(n, size)
        c.setPageSize((w, h))
        c.setPageRotation(90 if n in stored_turned else 0)
        c.setFont(font or "Helvetica-Bold", 28)
        if n in stored_turned:
            c.translate(h / 2, w / 2)
            c.rotate(90)
            c.drawCentredString(0, 0, label(n))
        else:
            c.drawCentredString(w / 2, h / 2, label(n))
        if font is not None:
            _cjk_page(c, font, n, w, h)
        c.showPage()
    c.save()
    return buf.getvalue()


def _cjk_page(c: canvas.Canvas, font: str, n: int, w: float, h: float) -> None:
    """22 lines of 28 characters of 16 pt Chinese, as the mandate's body text fills a page."""
    c.setFont(font, 16)
    start = n * 37
    for line in range(22):
        offset = (start + line * 28) % len(CJK_TEXT)
        text = (CJK_TEXT * 2)[offset:offset + 28]
        c.drawString(79, h - 105 - line * 28.95, text)


def form_pdf(value: str) -> bytes:
    """One A4 page with a text form field filled with ``value`` (and an appearance for it)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica-Bold", 28)
    c.drawCentredString(A4[0] / 2, A4[1] / 2, label(1))
    c.acroForm.textfield(name="owner", value=value, x=100, y=200, width=300, height=30,
                         fontName="Helvetica", fontSize=14, borderWidth=0)
    c.showPage()
    c.save()
    return buf.getvalue()
