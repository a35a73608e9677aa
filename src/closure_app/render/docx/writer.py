"""Document -> .docx bytes: blocks become paragraphs and tables that name their role's style.

Runs carry only what the text itself says (bold, italic, superscript, subscript, note
references); every font, size, indent and line pitch comes from the styles built from the
profile (styles.py). The output is deterministic: fixed package dates and no random ids.
"""
from __future__ import annotations

import io
import os
import zipfile
from datetime import datetime, timezone
from typing import Optional

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Twips

from ...blocks import (Block, CaptionList, Cell, Document, Figure, Heading, Inline, ListBlock, NoteRef,
                       PageBreak, Paragraph, Ref, Spacer, Table, Text, Toc, plain_text)
from ...profile import MM_PT, PageGeometry, PageNumberStyle, Profile
from . import oxml, package, styles
from .figures import FigureWriter
from .grid import place_cells, scale_widths

# Parts of python-docx's template a Word file of ours should not carry: a second styles part
# with theme fonts (Word 2010) and the template's thumbnail of a blank page.
DROPPED_RELATIONSHIPS = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
                         RT.THUMBNAIL)
FIXED_DATE = datetime(2025, 1, 1, tzinfo=timezone.utc)
# As the PDF's tables (pdf/tables.py). Word and LibreOffice make a row as tall as its text,
# its cell margins and its rules (half of each rule above and below), the PDF as its text and
# padding (the rule drawn on the boundary): the DOCX's margins give the rules' half back.
TABLE_RULE_PT, TABLE_PAD_X_PT, TABLE_PAD_Y_PT = 0.5, 4.0, 2.0
CAPTION_GAP_PT = 6.0           # between a table's caption and its top rule, as in the PDF (pdf/figures.py)
SEPARATOR_LINES = 0.5          # the notes' rule takes half a note line, as in the PDF (pdf/notes.py)
TOC_BOOKMARK_BASE = 100000001   # _Toc100000001, _Toc100000002 ...: fixed, so builds are reproducible


def render_docx(doc: Document, profile: Profile, *, toc_pages: Optional[list[int]] = None,
                fonts=None, caption_pages: Optional[dict[str, list[int]]] = None) -> bytes:
    """The .docx file of ``doc``.

    ``toc_pages[i]`` is the page of ``doc.toc_headings(toc.levels)[i]`` (from the PDF layout);
    without it the TOC entries have no page numbers and Word is asked to update fields on open.
    Each entry links to a ``_Toc`` bookmark on its heading and gives its number by a PAGEREF
    field to it (cached with the PDF's page), as Word writes a TOC. The entries carry no line or
    page break: they wrap by the TOC styles' indents (the number in the right indent, wrapped
    lines hanging), on as many lines as the PDF gives each (render/pdf: the TOC), so an
    update in Word or LibreOffice lays the TOC out on the PDF's pages again.
    The page geometry is ``profile.page(doc.page)``, except that a form left on the default
    "report" page gets the "form" page. ``fonts`` (a FontSet) draws the text of SVG figures'
    fallback pictures; without it the profile's fonts are resolved when an SVG needs them.
    ``caption_pages`` ("fig"/"tbl" -> page of each numbered one, from the PDF layout) are the
    page numbers of the lists of figures and tables.
    """
    page_key = doc.kind if doc.page == "report" else doc.page
    geometry = profile.page(page_key)
    word = docx.Document()
    _drop_template_extras(word)
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    styles.install_styles(word, profile, page_key, captions=_has_captions(doc))
    section = word.sections[0]
    _set_geometry(section, geometry, word.settings.element)
    if geometry.page_numbers:
        _add_page_numbers(word, section, profile.page_number, geometry)

    writer = _BodyWriter(doc, profile, page_key, toc_pages, word.part, fonts)
    writer.caption_pages = caption_pages or {}
    for block in doc.blocks:
        writer.add(block)
    for el in writer.elements:
        body.insert_element_before(el, "w:sectPr")
    oxml.do_not_expand_shift_return(word.settings.element)   # display lines end in w:br
    if writer.has_toc and toc_pages is None:
        oxml.set_flag(word.settings.element, "updateFields")
    if doc.footnotes:
        notes = [(n, [writer.footnote_paragraph(note.runs)])
                 for n, note in sorted(doc.footnotes.items())]
        rule_room = SEPARATOR_LINES * profile.line_pitch("footnote", page_key)
        oxml.add_footnotes_part(word.part, oxml.footnotes_xml(notes, oxml.twips(rule_room)))
    _set_core_properties(word, doc)
    _set_settings(word.settings.element, profile)
    out = io.BytesIO()
    word.save(out)
    return _repack(out.getvalue(), {"docProps/app.xml": package.app_xml(),
                                    "word/fontTable.xml": package.font_table_xml(profile)})


class _BodyWriter:
    """Turns blocks into body elements (w:p, w:tbl), in order."""

    def __init__(self, doc: Document, profile: Profile, page_key: str,
                 toc_pages: Optional[list[int]], part=None, fonts=None):
        self.doc = doc
        self.figures = FigureWriter(part, profile, page_key, doc.blocks, self._runs,
                                    styles.style_id("body"), fonts)
        self.profile = profile
        self.page_key = page_key
        self.toc_pages = toc_pages
        self.text_width = oxml.twips(profile.page(page_key).text_width_pt)
        self.elements: list = []
        self.break_pending = False
        self.has_toc = False
        toc = next((b for b in doc.blocks if isinstance(b, Toc)), None)
        self.bookmarks = ({id(h): n for n, h in enumerate(doc.toc_headings(toc.levels))}
                          if toc is not None else {})

    # -- blocks --
    def add(self, block: Block) -> None:
        if isinstance(block, PageBreak):
            self.break_pending = bool(self.elements)
        elif isinstance(block, Paragraph):
            self._paragraph(block)
        elif isinstance(block, Heading):
            self._heading(block)
        elif isinstance(block, ListBlock):
            self._list(block)
        elif isinstance(block, Table):
            caption = None
            if (block.caption or block.number is not None) and not block.rows:
                self._emit(self.figures.caption_paragraph(block.number, block.caption, block.label,
                                                          keep_next=True, space_before=True,
                                                          page_break_before=self._take_break()))
            elif block.caption or block.number is not None:
                # Word's way to repeat a caption on each page a table continues on (the PDF's
                # caption with （续表）): a first header row, borderless, holding it
                caption = self.figures.caption_paragraph(block.number, block.caption, block.label,
                                                         keep_next=True, space_before=True)
            self._table(block, caption)
        elif isinstance(block, Figure):
            for el in self.figures.figure(block, self._take_break()):
                self._emit(el)
        elif isinstance(block, Toc):
            self._toc(block)
        elif isinstance(block, CaptionList):
            self._caption_list(block)
        elif isinstance(block, Spacer):
            self._emit(_paragraph_el(oxml.ppr(line_twips=oxml.twips(block.height_pt),
                                              page_break_before=self._take_break()), []))
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"未知的文档块：{type(block).__name__}")

    def _take_break(self) -> bool:
        pending, self.break_pending = self.break_pending, False
        return pending

    def _emit(self, el) -> None:
        self.elements.append(el)

    def _emit_p(self, style_id: str, runs: list[Inline], **direct) -> None:
        props = oxml.ppr(style=style_id, page_break_before=self._take_break(), **direct)
        self._emit(_paragraph_el(props, self._runs(runs)))

    def _heading(self, heading: Heading) -> None:
        """A heading; one whose style breaks the page (标题 1) breaks by its style where the
        layout asks for a new page, and says it does not where the layout runs on."""
        brk = self._take_break()
        if self.profile.role(heading.role).page_break_before:
            brk = None if brk else oxml.PAGE_BREAK_OFF
        props = oxml.ppr(style=styles.style_id(heading.role), page_break_before=brk)
        runs = self._runs(heading.display_runs if heading.display_runs is not None else heading.runs)
        mark = self.bookmarks.get(id(heading))
        if mark is not None:
            runs = oxml.bookmarked(runs, mark, self.bookmark_name(mark))
        self._emit(_paragraph_el(props, runs))

    def bookmark_name(self, n: int) -> str:
        """The TOC's bookmark on the n-th TOC heading, named as Word names them."""
        return f"_Toc{TOC_BOOKMARK_BASE + n}"

    def _list(self, block: ListBlock) -> None:
        """List items; where the role has no first-line indent the marker hangs, the text after
        a tab at the same width as in the PDF (``ListBlock.label_chars``)."""
        sid = styles.style_id(block.role)
        role = self.profile.role(block.role)
        if role.first_line_chars:
            for i, item in enumerate(block.items):
                self._emit_p(sid, [Text(block.marker(i) + " ")] + item)
            return
        chars = block.label_chars()
        twips = oxml.twips(chars * role.size_pt)
        for i, item in enumerate(block.items):
            props = oxml.ppr(style=sid, page_break_before=self._take_break(), left_chars=chars,
                             left_twips=twips, hanging_chars=chars, hanging_twips=twips)
            runs = [oxml.text_run(block.marker(i)), oxml.tab_run()] + self._runs(item)
            self._emit(_paragraph_el(props, runs))

    def _paragraph(self, para: Paragraph) -> None:
        self._emit_p(styles.style_id(para.role), para.runs, **self._direct_ppr(para))

    def _direct_ppr(self, para: Paragraph) -> dict:
        """The paragraph's own settings where they differ from its role (never fonts)."""
        pitch = self.profile.line_pitch(para.role, self.page_key)
        role = self.profile.role(para.role)
        direct: dict = {"keep_next": para.keep_with_next, "align": para.align}
        if para.first_line_chars is not None:
            direct.update(first_line_chars=para.first_line_chars,
                          first_line_twips=oxml.twips(para.first_line_chars * role.size_pt))
        if para.space_before_lines:
            direct["before_twips"] = oxml.twips(para.space_before_lines * pitch)
        if para.space_after_lines:
            direct["after_twips"] = oxml.twips(para.space_after_lines * pitch)
        return direct

    def _toc(self, toc: Toc) -> None:
        """The TOC's title and field, in a "Table of Contents" content control as Word inserts
        one (Word offers 更新目录 on it)."""
        start = len(self.elements)
        self._toc_paragraphs(toc)
        self.elements[start:] = [oxml.toc_block(self.elements[start:])]

    def _toc_paragraphs(self, toc: Toc) -> None:
        self.has_toc = True
        self._emit_p(styles.style_id("toc_title"), [Text(toc.title)])
        headings = self.doc.toc_headings(toc.levels)
        if self.toc_pages is not None and len(self.toc_pages) != len(headings):
            raise ValueError(f"目录有 {len(headings)} 条，页码却有 {len(self.toc_pages)} 个")
        instruction = f'TOC \\o "1-{toc.levels}" \\h \\z \\u'
        if not headings:
            self._emit(_paragraph_el(oxml.ppr(style=styles.toc_style_id(1)),
                                     oxml.field_runs(instruction, "")))
            return
        for i, heading in enumerate(headings):
            name = self.bookmark_name(i)
            page = self.toc_pages[i] if self.toc_pages is not None else None
            # the entry Word's own update writes (the heading's line breaks as spaces)
            text = plain_text(heading.toc_runs)
            link = oxml.hyperlink(name, [oxml.text_run(text)] + oxml.toc_number_runs(name, page))
            lead = []
            if i == 0:
                lead = [oxml.fld_char_run("begin"), oxml.instr_run(instruction),
                        oxml.fld_char_run("separate")]
            tail = [oxml.fld_char_run("end")] if i == len(headings) - 1 else []
            self._emit(_paragraph_el(oxml.ppr(style=styles.toc_style_id(heading.level)),
                                     lead + [link] + tail))

    def _caption_list(self, listing: CaptionList) -> None:
        """A list of figures or tables: Word's TOC \\c field over the SEQ fields, its entries
        cached with the PDF's pages; a labelled caption's entry links to the caption's bookmark
        and gives its page by a PAGEREF to it, as the TOC's do."""
        from ...layout.captions import caption_runs

        self.has_toc = True
        self._emit_p(styles.style_id("toc_title"), [Text(listing.title)])
        blocks = self.doc.numbered(listing.kind)
        pages = self.caption_pages.get(listing.kind)
        word = blocks[0].number.kind if blocks else ("图" if listing.kind == "fig" else "表")
        instruction = f'TOC \\h \\z \\c "{word}"'
        if not blocks:
            self._emit(_paragraph_el(oxml.ppr(style=styles.toc_style_id(1)), oxml.field_runs(instruction, "")))
            return
        for i, block in enumerate(blocks):
            head, body = caption_runs(block.number, block.caption)
            text = oxml.text_run(head + "".join(r.text for r in body if isinstance(r, (Text, Ref))))
            page = pages[i] if pages and i < len(pages) and pages[i] else None
            mark = self.figures.bookmarks.get(block.label) if block.label else None
            if mark:     # as a TOC entry: a link to the caption, its page a PAGEREF to it
                runs = [oxml.hyperlink(mark, [text] + oxml.toc_number_runs(mark, page))]
            else:
                runs = [text, oxml.tab_run()] + ([oxml.text_run(str(page))] if page else [])
            if i == 0:
                runs[:0] = [oxml.fld_char_run("begin"), oxml.instr_run(instruction),
                            oxml.fld_char_run("separate")]
            if i == len(blocks) - 1:
                runs.append(oxml.fld_char_run("end"))
            self._emit(_paragraph_el(oxml.ppr(style=styles.toc_style_id(1)), runs))

    def _table(self, table: Table, caption=None) -> None:
        if self.break_pending:  # a table cannot start with a page break: give it a paragraph
            self._emit(_paragraph_el(oxml.ppr(line_twips=oxml.twips(1)), [oxml.page_break_run()]))
            self.break_pending = False
        widths = scale_widths(table.col_widths, self.text_width)
        tbl = oxml.w("tbl")
        tbl.append(oxml.table_properties(self.text_width, TABLE_RULE_PT, borders_on=table.borders,
                                         pad_x_twips=oxml.twips(TABLE_PAD_X_PT),
                                         pad_y_twips=oxml.twips(TABLE_PAD_Y_PT - TABLE_RULE_PT / 2)))
        tbl.append(oxml.table_grid(widths))
        if caption is not None:
            tbl.append(oxml.caption_row(caption, self.text_width, len(widths),
                                        gap_twips=oxml.twips(CAPTION_GAP_PT), borders_on=table.borders))
        for row, slots in zip(table.rows, place_cells(table.rows, table.n_cols)):
            tr = oxml.w("tr")
            tr.append(oxml.row_properties(
                min_height_twips=oxml.twips(row.height_pt) if row.height_pt else None,
                header=row.header))
            for slot in slots:
                cell = slot.cell or Cell()
                tc = oxml.w("tc")
                tc.append(oxml.cell_properties(
                    width_twips=sum(widths[slot.col:slot.col + slot.span]),
                    grid_span=slot.span, v_merge=slot.v_merge, valign=cell.valign))
                tc.extend(self._cell_paragraphs(cell, table.role) if slot.v_merge != "continue"
                          else [_paragraph_el(oxml.ppr(style=styles.style_id(table.role)), [])])
                tr.append(tc)
            tbl.append(tr)
        self._emit(tbl)

    def _cell_paragraphs(self, cell: Cell, table_role: str) -> list:
        if not cell.paragraphs:
            return [_paragraph_el(oxml.ppr(style=styles.style_id(table_role), align=cell.align), [])]
        out = []
        for para in cell.paragraphs:
            direct = self._direct_ppr(para)
            direct["align"] = para.align or cell.align
            out.append(_paragraph_el(oxml.ppr(style=styles.style_id(para.role), **direct),
                                     self._runs(para.runs)))
        return out

    # -- inline --
    def _runs(self, runs: list[Inline]) -> list:
        out = []
        for run in runs:
            if isinstance(run, NoteRef):
                out.append(oxml.footnote_reference_run(run.number, styles.NOTE_REFERENCE_STYLE[1]))
            elif isinstance(run, Ref):
                out.extend(self.figures.ref_runs(run))
            elif run.text:
                out.append(oxml.text_run(run.text, _inline_props(run)))
        return out

    def footnote_paragraph(self, runs: list[Inline]):
        props = oxml.ppr(style=styles.style_id("footnote"))
        content = [oxml.footnote_mark_run(styles.NOTE_REFERENCE_STYLE[1]), oxml.text_run(" ")]
        return _paragraph_el(props, content + self._runs(runs))


def _has_captions(doc: Document) -> bool:
    """Whether the document needs the Caption style (a document without figures or captioned
    tables is written as before)."""
    return any(isinstance(b, Figure) or isinstance(b, Table) and (b.caption or b.number is not None)
               for b in doc.blocks)


def _inline_props(run: Text):
    vert = "superscript" if run.sup else "subscript" if run.sub else None
    return oxml.rpr(bold=True if run.bold else None, italic=True if run.italic else None,
                    vert_align=vert)


def _paragraph_el(props, runs: list):
    p = oxml.w("p")
    if len(props):
        p.append(props)
    p.extend(runs)
    return p


# ---- section, footers, package -----------------------------------------------------------

def _set_geometry(section, geometry: PageGeometry, settings) -> None:
    mm = lambda v: Twips(round(v * oxml.TWIPS_PER_MM))  # noqa: E731 - a unit, read as one
    section.page_width, section.page_height = mm(geometry.width_mm), mm(geometry.height_mm)
    margins = geometry.margin_mm
    section.top_margin, section.bottom_margin = mm(margins.top), mm(margins.bottom)
    section.left_margin, section.right_margin = mm(margins.inner), mm(margins.outer)
    section.gutter = Twips(0)
    if geometry.mirror_margins:
        oxml.set_flag(settings, "mirrorMargins")


def _add_page_numbers(word, section, style: PageNumberStyle, geometry: PageGeometry) -> None:
    """Odd and even footers with a PAGE field in the profile's template ("— 1 —")."""
    word.settings.odd_and_even_pages_header_footer = True
    # Word's footer distance runs from the paper's edge to the foot of the page-number line.
    footer_mm = geometry.margin_mm.bottom - style.below_text_mm - style.size_pt / MM_PT
    section.footer_distance = Twips(round(footer_mm * oxml.TWIPS_PER_MM))
    before, after = style.template.split("{n}")
    for footer, side in ((section.footer, style.odd), (section.even_page_footer, style.even)):
        inset_twips = oxml.twips(style.inset_chars * style.size_pt)   # LibreOffice reads these
        inset = {"right": {"right_chars": style.inset_chars, "right_twips": inset_twips},
                 "left": {"left_chars": style.inset_chars, "left_twips": inset_twips}}.get(side, {})
        runs = [oxml.text_run(before)] + oxml.field_runs("PAGE", "1") + [oxml.text_run(after)]
        p = _paragraph_el(oxml.ppr(style=styles.FOOTER_STYLE[1], align=side, **inset), runs)
        root = footer._element
        for child in list(root):
            root.remove(child)
        root.append(p)


def _drop_template_extras(word) -> None:
    for rels in (word.part.rels, word.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype in DROPPED_RELATIONSHIPS:
                del rels[rid]


def _set_core_properties(word, doc: Document) -> None:
    props = word.core_properties
    props.title = doc.title
    props.author = props.last_modified_by = doc.author
    props.subject = doc.subject
    props.keywords = ", ".join(doc.keywords)
    props.comments = ""
    props.revision = 1
    date = _build_date()
    props.created = props.modified = date   # never printed: no lastPrinted


def _build_date() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), otherwise a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return FIXED_DATE


def _set_settings(settings, profile: Profile) -> None:
    """Word 2013+ layout (compatibilityMode 15, no [兼容模式]), Chinese theme fonts, and
    punctuation compression as the profile says."""
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = settings.find(qn("w:characterSpacingControl"))
    if spacing is not None:
        spacing.set(qn("w:val"), "compressPunctuation" if profile.typesetting.compress_punctuation
                    else "doNotCompress")


def _repack(blob: bytes, replace: Optional[dict[str, bytes]] = None) -> bytes:
    """The same package with fixed member dates, so equal input gives equal bytes; members
    named in ``replace`` get the given content. Pictures (compressed already) are stored, not
    deflated again."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            stored = info.filename.startswith("word/media/") and not info.filename.endswith((".svg", ".bmp"))
            fixed.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            dst.writestr(fixed, (replace or {}).get(info.filename) or src.read(info.filename))
    return out.getvalue()
