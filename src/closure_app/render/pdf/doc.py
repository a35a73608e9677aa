"""Pages: the text block as a frame, footnotes and the page number drawn with each page,
metadata, and byte-identical output (reportlab's invariant mode)."""
from __future__ import annotations

import io
from typing import Callable, Optional
import re

from reportlab import rl_config
from reportlab.platypus import Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from closure_app.errors import UserError
from closure_app.profile import MM_PT, PageGeometry, PageNumberStyle
from closure_app.render.pdf.figures import FloatingDocTemplate
from closure_app.render.pdf.notes import FootnoteArea, NotesTail
from closure_app.render.pdf.record import Placement, RecordingCanvas, recording
from closure_app.render.pdf.textflow import ASCENT, PageState


def page_number_x(style: PageNumberStyle, page: int, left: float, width: float,
                  text_width: float) -> float:
    """Left edge of the page number: odd and even pages on their own side, inset from the
    text block's edge by ``inset_chars`` characters."""
    side = style.odd if page % 2 else style.even
    inset = style.inset_chars * style.size_pt
    if side == "left":
        return left + inset
    if side == "right":
        return left + width - inset - text_width
    return left + (width - text_width) / 2


def text_block(geo: PageGeometry, page: int) -> tuple[float, float, float, float]:
    """(x, y, width, height) of the text block on ``page`` (mirrored margins swap sides)."""
    left = geo.margin_pt("inner")
    if geo.mirror_margins and page % 2 == 0:
        left = geo.margin_pt("outer")
    return left, geo.margin_pt("bottom"), geo.text_width_pt, geo.text_height_pt


class PageDecor:
    """Draws what belongs to the page rather than the flow: notes and the page number."""

    def __init__(self, geo: PageGeometry, number_style: PageNumberStyle, number_font: str,
                 notes: FootnoteArea, state: PageState, measure):
        self.geo = geo
        self.style = number_style
        self.font = number_font
        self.notes = notes
        self.state = state
        self.measure = measure
        self.carry: list = []        # note lines continued on the next page

    def begin(self, canv, doc) -> None:
        """A new page: no notes yet; the frame is the text block of this page's side, its
        foot back where the text block ends."""
        self.state.on_page.clear()
        if canv.getPageNumber() == 1:        # a new layout pass
            self.carry = []
        self.state.continues = False
        self.state.carried = self.notes.lines_height(self.carry) - (self.notes.rule_space if self.carry else 0.0)
        x, _, _, _ = text_block(self.geo, canv.getPageNumber())
        for frame in doc.pageTemplate.frames:
            frame._x1 = x
            frame._geom()
            # a note continued from the page before takes its room at the foot first
            frame._y1p += self.notes.lines_height(self.carry)

    def end(self, canv, doc) -> None:
        page = canv.getPageNumber()
        x, y, w, _ = text_block(self.geo, page)
        frame = doc.frame
        room = frame._y1p - frame._y1 - frame._bottomPadding if self.state.continues else None
        self.carry = self.notes.draw(canv, self.state.on_page, x, y, self.carry, room)
        if not self.geo.page_numbers:
            return
        text = self.style.text(page)
        size = self.style.size_pt
        text_w = self.measure.width(text, self.font, size)
        baseline = y - self.style.below_text_mm * MM_PT - ASCENT * size
        canv.saveState()
        canv.setFont(self.font, size)
        number_x = page_number_x(self.style, page, x, w, text_w)
        canv.drawString(number_x, baseline, text)
        record = recording(canv)
        if record is not None:
            record.place(text, self.font, size, 0.0, number_x, baseline, 0.0, False)
        canv.restoreState()


def too_tall(layout_error: str) -> UserError:
    """reportlab's LayoutError (a block taller than a page that cannot be split) for people."""
    page = re.search(r"on page (\d+)", layout_error)
    where = f"第 {page.group(1)} 页：" if page else ""
    return UserError(f"{where}有一块内容比一页还高又不能拆开，无法排版"
                     "（多为表格中某一格的内容太长，如上千字的单位名称）")


def build_pdf(story: list, geo: PageGeometry, decor: PageDecor, meta: dict,
              laid_out: Optional[Callable[[], None]] = None) -> tuple[bytes, int, Placement]:
    """Lay out ``story`` on pages of ``geo``; the PDF bytes, the page count and what was placed
    on each page. ``laid_out`` is called once every page is drawn, before the file is written."""
    buf = io.BytesIO()
    doc = FloatingDocTemplate(
        buf, pagesize=(geo.width_pt, geo.height_pt), invariant=1,
        leftMargin=geo.margin_pt("inner"), rightMargin=geo.margin_pt("outer"),
        topMargin=geo.margin_pt("top"), bottomMargin=geo.margin_pt("bottom"),
        title=meta.get("title", ""), author=meta.get("author", ""), subject=meta.get("subject", ""),
        keywords=meta.get("keywords", ""), creator="closure-app", producer="closure-app",
        pageCompression=1, initialFontName=decor.font, initialFontSize=decor.style.size_pt,
    )
    x, y, w, h = text_block(geo, 1)
    frame = Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                  id="text", showBoundary=0, overlapAttachedSpace=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decor.begin,
                                       onPageEnd=decor.end)])
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0    # binary streams: smaller and faster than ASCII85
    doc._doSave = 0          # saved below, once what waited for the layout is drawn
    try:
        doc.build(story + [NotesTail(decor.state)], canvasmaker=RecordingCanvas)
        doc.canv.complete()
        if laid_out is not None:
            laid_out()
        doc.canv.save()
    except LayoutError as exc:
        raise too_tall(str(exc)) from None
    finally:
        rl_config.useA85 = saved_a85
    return buf.getvalue(), doc.page, doc.canv.placement
