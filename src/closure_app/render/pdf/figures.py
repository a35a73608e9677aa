"""Figures and captioned tables in the PDF.

``FigureBlock`` is an image with its caption below, one unsplittable flowable, scaled to fit the
text block (never wider, never taller than a page's text height less the caption). A JPEG goes
in undecoded (a CMYK JPEG stays CMYK; EXIF rotation is a transform of the drawing, no pixel is
re-encoded); other rasters go through Pillow (``images.upright``); an SVG is drawn as vectors
(svglib) with its text in an embedded font.

``FloatingDocTemplate`` lets a figure that does not fit in what is left of a page wait for the
top of the next page while the text after it fills the gap (as LaTeX floats do); figures keep
their order, and a forced page break (a new chapter) places the waiting figures first.

``CaptionedTable`` keeps a table's caption above it; a table broken over pages repeats its
header rows (reportlab's ``repeatRows``) and each later part starts with the caption again and
（续表）, with the same space above it: the DOCX holds the caption in a first header row, which
Word and LibreOffice repeat as it is (without （续表））.
"""
from __future__ import annotations

from typing import Callable, Optional

import hashlib

from reportlab.pdfbase import pdfdoc
from reportlab.platypus import BaseDocTemplate, Flowable, PageBreak

from closure_app.blocks import Figure
from closure_app.errors import UserError
from closure_app.images import (
    ImageInfo, ImageProblem, PngData, fit, png_passthrough, probe, svg_drawing, upright,
)
from closure_app.render.pdf.textflow import LineBlock

CAPTION_GAP = 6.0        # pt between an image and its caption, and between a table's caption and it
FIT_SLACK = 1.0          # pt a full-page figure keeps free, so rounding never makes it too tall


def image_problem(figure: Figure, problem: ImageProblem) -> UserError:
    where = f"第 {figure.line} 行的图：" if figure.line else ""
    return UserError(f"{where}{problem.message}")


class FigureBlock(Flowable):
    """An image centred in the text block, its caption (a ``LineBlock``) below it. ``font``
    (a font file and its index) draws the text of an SVG as outlines."""

    def __init__(self, figure: Figure, caption: Optional[LineBlock], page_height: float,
                 space_before: float, space_after: float, font: tuple[str, int],
                 on_drawn: Callable[[Figure, ImageInfo, float, int], None]):
        super().__init__()
        self.figure = figure
        try:
            self.info = probe(figure.path)
        except ImageProblem as problem:
            raise image_problem(figure, problem) from None
        self.caption = caption
        self.page_height = page_height
        self.space_before = space_before
        self.space_after = space_after
        self.font = font
        self.on_drawn = on_drawn

    def _caption_height(self, width: float) -> float:
        if self.caption is None:
            return 0.0
        return self.caption.wrap(width, self.page_height)[1] + CAPTION_GAP

    def image_size(self, width: float) -> tuple[float, float]:
        room = self.page_height - self.space_before - self.space_after - self._caption_height(width) - FIT_SLACK
        return fit(self.info, self.figure.width, width, room)

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.image_w, self.image_h = self.image_size(availWidth)
        self.height = self.space_before + self.image_h + self._caption_height(availWidth) + self.space_after
        return availWidth, self.height

    def draw(self):
        canv = self.canv
        x = (self.width - self.image_w) / 2
        y = self.height - self.space_before - self.image_h
        try:
            self._draw_image(canv, x, y, self.image_w, self.image_h)
        except ImageProblem as problem:
            raise image_problem(self.figure, problem) from None
        if self.caption is not None:
            self.caption._frame = getattr(self, "_frame", None)
            self.caption.drawOn(canv, 0, self.space_after)
        self.on_drawn(self.figure, self.info, self.image_w, canv.getPageNumber())

    def _draw_image(self, canv, x: float, y: float, w: float, h: float) -> None:
        info = self.info
        if info.kind == "SVG":
            drawing = svg_drawing(info, self.font)
            from reportlab.graphics import renderPDF

            canv.saveState()
            canv.translate(x, y)
            canv.scale(w / info.width_pt, h / info.height_pt)
            renderPDF.draw(drawing, canv, 0, 0)
            canv.restoreState()
        elif info.kind == "JPEG" and info.orientation in (1, 3, 6, 8):
            # The JPEG as it is (DCT data copied, CMYK kept); a rotation is the drawing's.
            angle = {1: 0, 3: 180, 6: -90, 8: 90}[info.orientation]
            sw, sh = (h, w) if angle in (90, -90) else (w, h)
            canv.saveState()
            canv.translate(x + w / 2, y + h / 2)
            canv.rotate(angle)
            canv.drawImage(str(info.path), -sw / 2, -sh / 2, sw, sh)
            canv.restoreState()
        elif (png := png_passthrough(info)) is not None:
            draw_png(canv, info, png, x, y, w, h)
        else:
            from reportlab.lib.utils import ImageReader

            img = upright(info)
            canv.drawImage(ImageReader(img), x, y, w, h, mask="auto" if img.mode == "RGBA" else None)


class _PngXObject(pdfdoc.PDFImageXObject):
    """An image XObject holding a PNG's own compressed data (FlateDecode, PNG predictors)."""

    def __init__(self, name: str, png: PngData):
        self.name = name
        self.width, self.height = png.width, png.height
        self.bitsPerComponent = 8
        self.colorSpace = "DeviceGray" if png.colors == 1 else "DeviceRGB"
        self.streamContent = png.idat
        self._filters = ("FlateDecode",)
        self.mask = None
        self.colors = png.colors

    def format(self, document):
        stream = pdfdoc.PDFStream(content=self.streamContent)
        d = stream.dictionary
        d["Type"] = pdfdoc.PDFName("XObject")
        d["Subtype"] = pdfdoc.PDFName("Image")
        d["Width"], d["Height"] = self.width, self.height
        d["BitsPerComponent"] = 8
        d["ColorSpace"] = pdfdoc.PDFName(self.colorSpace)
        d["Filter"] = pdfdoc.PDFName("FlateDecode")
        d["DecodeParms"] = pdfdoc.PDFDictionary({"Predictor": 15, "Colors": self.colors,
                                                 "BitsPerComponent": 8, "Columns": self.width})
        d["Length"] = len(self.streamContent)
        stream.filters = ()          # the content is compressed already: no filter of reportlab's
        return stream.format(document)


def draw_png(canv, info: ImageInfo, png: PngData, x: float, y: float, w: float, h: float) -> None:
    """Draw a PNG whose data goes into the PDF as it is (as ``Canvas.drawImage`` registers an
    image: one XObject per file, however often it is drawn)."""
    # named by content, not path: the same image from another folder (a Word report's images
    # are extracted to a fresh temporary folder each build) gives the same PDF bytes
    name = hashlib.md5(b"png|%d|%d|%d|" % (png.width, png.height, png.colors) + png.idat).hexdigest()
    reg = canv._doc.getXObjectName(name)
    if canv._doc.idToObject.get(reg) is None:
        obj = _PngXObject(name, png)
        canv._setXObjects(obj)
        canv._doc.Reference(obj, reg)
        canv._doc.addForm(name, obj)
    canv._currentPageHasImages = 1
    canv.saveState()
    canv.translate(x, y)
    canv.scale(w, h)
    canv._code.append(f"/{reg} Do")
    canv.restoreState()
    canv._formsinuse.append(name)


class CaptionedTable(Flowable):
    """A table with its caption above it; each later part after a page break starts with
    ``continued`` (the caption again, with （续表）)."""

    def __init__(self, caption: Optional[LineBlock], table, continued: Optional[LineBlock],
                 on_drawn: Optional[Callable[[int], None]] = None, space_before: float = 0.0):
        super().__init__()
        # above the caption, on every part: the DOCX repeats the caption as a header row, its
        # space before with it (render/docx/oxml.caption_row)
        self.space_before = space_before
        self.caption = caption
        self.table = table
        self.continued = continued
        self.on_drawn = on_drawn          # called with the page of the first part

    def _caption_h(self, width: float, height: float) -> float:
        if self.caption is None:
            return self.space_before
        return self.space_before + self.caption.wrap(width, height)[1] + CAPTION_GAP

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self._cap_h = self._caption_h(availWidth, availHeight)
        self.table_w, self.table_h = self.table.wrap(availWidth, availHeight - self._cap_h)
        self.height = self._cap_h + self.table_h
        return availWidth, self.height

    def split(self, availWidth, availHeight):
        cap_h = self._caption_h(availWidth, availHeight)
        if availHeight - cap_h <= 0:
            return []
        parts = self.table.split(availWidth, availHeight - cap_h)
        if len(parts) < 2:
            return []
        return [CaptionedTable(self.caption, parts[0], self.continued, self.on_drawn, self.space_before)] + \
            [CaptionedTable(self.continued, p, self.continued, space_before=self.space_before)
             for p in parts[1:]]

    def draw(self):
        canv = self.canv
        if self.caption is not None:
            self.caption._frame = getattr(self, "_frame", None)
            self.caption.drawOn(canv, 0, self.height - self._cap_h + CAPTION_GAP)
        self.table.drawOn(canv, (self.width - self.table_w) / 2, 0)
        if self.on_drawn is not None:
            self.on_drawn(canv.getPageNumber())


class _FlushFigures(Flowable):
    """Placed at the end of the story once a figure waits: the figures still waiting go here."""

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass


class FloatingDocTemplate(BaseDocTemplate):
    """A doc template whose figures move on to the next page when they do not fit and let the
    text after them fill the page."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.waiting: list[FigureBlock] = []

    def handle_flowable(self, flowables):
        f = flowables[0]
        frame = getattr(self, "frame", None)
        if frame is None:                   # before the first page begins
            return super().handle_flowable(flowables)
        if self.waiting and (getattr(frame, "_atTop", False) or isinstance(f, (PageBreak, _FlushFigures))):
            # a new page (or a chapter's page break, or the end): the waiting figures come first;
            # what was moved on to this page may move on again once they take it
            f.__dict__.pop("_postponed", None)
            flowables[0:0] = self.waiting
            self.waiting = []
            if not getattr(frame, "_atTop", False):
                flowables.insert(0, PageBreak())
        elif isinstance(f, FigureBlock) and not getattr(frame, "_atTop", False):
            avail_w = frame._getAvailableWidth() if hasattr(frame, "_getAvailableWidth") else frame._aW
            _, h = f.wrap(avail_w, frame._y - frame._y1p)
            if self.waiting or h > frame._y - frame._y1p + 1e-6:
                del flowables[0]
                self.waiting.append(f)
                if not any(isinstance(g, _FlushFigures) for g in flowables):
                    flowables.append(_FlushFigures())
                return
        super().handle_flowable(flowables)
