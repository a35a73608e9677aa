"""Figures, captions and cross-references in the DOCX, as Word itself makes them.

A figure is an inline picture alone in a centred paragraph kept with its caption; the caption
is a ``Caption`` (题注) paragraph: ``图 1-`` then a real ``SEQ 图 \\* ARABIC \\s 1`` field (per
chapter: it restarts at each Heading 1; a chapter's first also has ``\\r 1``) or
``SEQ 图 \\* ARABIC`` (through the document), with the number as the cached result, so Word's 插入题注 continues the sequence and updating fields
changes nothing. The label and number sit in a hidden ``_Ref`` bookmark, and ``@fig:key`` in
the text is ``REF _Ref… \\h`` showing the same cached text: Word's 交叉引用 (只有标签和编号).

Pictures: PNG, JPEG (CMYK kept), GIF and BMP as they are; TIFF and WebP, and any raster that
EXIF says to turn, are written upright as PNG (or JPEG for photos); an SVG is embedded as SVG
with a PNG rendering as the fallback picture (``a:blip`` with an ``asvg:svgBlip`` extension).
"""
from __future__ import annotations

import io
import math
from typing import Callable, Optional

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.shape import CT_Inline
from docx.shared import Emu
from lxml import etree

from ...blocks import CaptionNumber, Figure, Inline, Ref, Table, Text, width_in_chars
from ...errors import UserError
from ...images import ImageInfo, ImageProblem, fit, jpeg_bytes, png_bytes, probe, svg_png, upright
from ...profile import Profile
from . import oxml

EMU_PER_PT = 12700
SVG_FALLBACK_DPI = 150
SVG_BLIP_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CAPTION_STYLE = "Caption"
BOOKMARK_BASE = 100_000_000     # _Ref100000001 ...: hidden bookmarks, as Word names them
SPACE_BEFORE_LINES = 0.25       # as in the PDF: a quarter line above a figure, half below its caption
SPACE_AFTER_LINES = 0.5


def seq_instruction(number: CaptionNumber) -> str:
    """The SEQ field of a caption. Per chapter it restarts after each Heading 1 (``\\s 1``, which
    Word honours); the first of a chapter also says ``\\r 1`` (restart at 1), which LibreOffice
    needs, as it ignores ``\\s``."""
    if number.chapter is None:
        return f"SEQ {number.kind} \\* ARABIC"
    restart = " \\r 1" if number.first_in_chapter else ""
    return f"SEQ {number.kind} \\* ARABIC{restart} \\s 1"


def bookmark_names(blocks) -> dict[str, str]:
    """label -> the hidden bookmark around its caption's label and number."""
    names: dict[str, str] = {}
    for block in blocks:
        if isinstance(block, (Figure, Table)) and block.number is not None and block.label \
                and block.label not in names:
            names[block.label] = f"_Ref{BOOKMARK_BASE + len(names) + 1}"
    return names


class FigureWriter:
    """Makes figure and caption paragraphs and reference runs for one document."""

    def __init__(self, part, profile: Profile, page_key: str, blocks,
                 runs: Callable[[list[Inline]], list], body_style: str, fonts=None):
        self.part = part
        self.fonts = fonts
        self.body_style = body_style
        self.profile = profile
        self.page = profile.page(page_key)
        self.pitch = profile.line_pitch("body", page_key)
        self.runs = runs
        self.bookmarks = bookmark_names(blocks)
        self._bookmark_ids: dict[str, int] = {}
        self._shape_id = 0

    # -- captions and references --
    def caption_paragraph(self, number: Optional[CaptionNumber], caption: list[Inline],
                          label: Optional[str], keep_next: bool, page_break_before: bool = False,
                          space_after: bool = False, space_before: bool = False):
        props = oxml.ppr(style=CAPTION_STYLE, keep_next=keep_next, page_break_before=page_break_before,
                         before_twips=oxml.twips(SPACE_BEFORE_LINES * self.pitch) if space_before else None,
                         after_twips=oxml.twips(SPACE_AFTER_LINES * self.pitch) if space_after else None)
        p = oxml.w("p")
        p.append(props)
        if number is not None:
            name = self.bookmarks.get(label) if label else None
            if name:
                bid = self._bookmark_ids.setdefault(name, len(self._bookmark_ids) + 1)
                p.append(oxml.w("bookmarkStart", id=bid, name=name))
            p.append(oxml.text_run(number.kind + number.label_gap))
            if number.chapter is not None:
                p.append(oxml.text_run(f"{number.chapter}{number.separator}"))
            p.extend(oxml.field_runs(seq_instruction(number), str(number.number)))
            if name:
                p.append(oxml.w("bookmarkEnd", id=self._bookmark_ids[name]))
            if caption:
                p.append(oxml.text_run(number.title_gap))
        p.extend(self.runs(caption))
        return p

    def ref_runs(self, ref: Ref) -> list:
        """A cross-reference: a REF field to the caption's bookmark, its number cached."""
        shown = ref.text or f"@{ref.label}"
        props = oxml.rpr(bold=True if ref.bold else None, italic=True if ref.italic else None)
        name = self.bookmarks.get(ref.label)
        if name is None:
            return [oxml.text_run(shown, props)]
        runs = oxml.field_runs(f"REF {name} \\h", "")
        runs[3] = oxml.text_run(shown, props)       # the cached result, formatted as its text
        return runs

    # -- figures --
    def figure(self, fig: Figure, page_break_before: bool) -> list:
        try:
            info = probe(fig.path)
            width, height = self._size(fig, info)
            inline = self._inline(fig, info, width, height)
        except ImageProblem as problem:
            where = f"第 {fig.line} 行的图：" if fig.line else ""
            raise UserError(f"{where}{problem.message}") from None
        props = oxml.ppr(style=self.body_style, keep_next=bool(fig.caption or fig.number),
                         page_break_before=page_break_before,
                         before_twips=oxml.twips(SPACE_BEFORE_LINES * self.pitch), after_twips=0,
                         first_line_chars=0, align="center")
        _auto_line_height(props)           # an exact line height would crop the picture
        pic = oxml.w("p")
        pic.append(props)
        run = oxml.w("r")
        drawing = oxml.w("drawing")
        drawing.append(inline)
        run.append(drawing)
        pic.append(run)
        out = [pic]
        if fig.caption or fig.number:
            out.append(self.caption_paragraph(fig.number, fig.caption, fig.label, keep_next=False,
                                              space_after=True))
        return out

    def _size(self, fig: Figure, info: ImageInfo) -> tuple[float, float]:
        caption_role = self.profile.role("caption")
        text = (fig.number.text if fig.number else "") + "".join(
            r.text for r in fig.caption if isinstance(r, (Text, Ref)))
        lines = max(1, math.ceil(width_in_chars(text) * caption_role.size_pt / self.page.text_width_pt)) \
            if text else 0
        caption_h = lines * self.profile.line_pitch("caption") + SPACE_AFTER_LINES * self.pitch
        room = self.page.text_height_pt - caption_h - SPACE_BEFORE_LINES * self.pitch - 2 * self.pitch / 4
        return fit(info, fig.width, self.page.text_width_pt, room)

    def _inline(self, fig: Figure, info: ImageInfo, width: float, height: float):
        cx, cy = Emu(round(width * EMU_PER_PT)), Emu(round(height * EMU_PER_PT))
        svg_blob = None
        if info.kind == "SVG":
            svg_blob = info.path.read_bytes()
            px = max(1, round(width / 72 * SVG_FALLBACK_DPI))
            stream, ext = io.BytesIO(svg_png(info, px, self._svg_font())), "png"
        else:
            stream, ext = _picture(info)
        stream.name = f"image.{ext}"
        rid, image = self.part.get_or_add_image(stream)
        self._shape_id += 1
        inline = CT_Inline.new_pic_inline(self._shape_id, rid, image.filename, cx, cy)
        inline.docPr.name = f"图片 {self._shape_id}"
        for side in ("distT", "distB", "distL", "distR"):   # absent, LibreOffice keeps 0.125 in clear
            inline.set(side, "0")
        if svg_blob is not None:
            self._add_svg(inline, svg_blob)
        return inline

    def _svg_font(self) -> tuple[str, int]:
        """The caption role's font file: the text of an SVG's fallback picture is drawn in it."""
        if self.fonts is None:
            from ...fonts import load_fontset

            self.fonts = load_fontset(self.profile)
        resolved = self.fonts.resolve(self.profile.role("caption").family)
        return str(resolved.path), resolved.subfont_index

    def _add_svg(self, inline, blob: bytes) -> None:
        n = sum(1 for p in self.part.package.iter_parts() if str(p.partname).endswith(".svg")) + 1
        svg_part = Part(PackURI(f"/word/media/vector{n}.svg"), "image/svg+xml", blob, self.part.package)
        rid = self.part.relate_to(svg_part, RT.IMAGE)
        blip = inline.find(f".//{{{A_NS}}}blip")
        ext_list = etree.SubElement(blip, f"{{{A_NS}}}extLst")
        ext = etree.SubElement(ext_list, f"{{{A_NS}}}ext", uri=SVG_BLIP_URI)
        svg = etree.SubElement(ext, f"{{{ASVG_NS}}}svgBlip", nsmap={"asvg": ASVG_NS})
        svg.set(f"{{{R_NS}}}embed", rid)


def _picture(info: ImageInfo) -> tuple[io.BytesIO, str]:
    """The bytes Word gets for a raster: the file itself when Word takes it as it is."""
    native = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "BMP": "bmp"}
    if info.orientation == 1 and info.kind in native:
        return io.BytesIO(info.path.read_bytes()), native[info.kind]
    img = upright(info)
    if info.kind == "JPEG" and img.mode in ("RGB", "L", "CMYK"):
        return io.BytesIO(jpeg_bytes(img)), "jpg"
    return io.BytesIO(png_bytes(img)), "png"


def _auto_line_height(props) -> None:
    """Single line spacing (w:lineRule auto) on a paragraph: its line grows with the picture."""
    from docx.oxml.ns import qn

    spacing = props.find(qn("w:spacing"))
    if spacing is None:
        spacing = oxml.w("spacing")
        jc = props.find(qn("w:jc"))
        (jc.addprevious if jc is not None else props.append)(spacing)
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
