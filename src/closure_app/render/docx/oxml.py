"""Our OOXML helpers, in one layer: what python-docx has no API for.

East-Asian fonts (``w:rFonts`` with ``w:eastAsia``, theme attributes removed), run and
paragraph properties in schema order, complex fields (PAGE, TOC), the footnotes part and the
table-cell properties. Every function builds or edits lxml elements; none knows about the
profile or the document model.
"""
from __future__ import annotations

from typing import Iterable, Optional

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from lxml import etree

THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
JC = {"left": "left", "center": "center", "right": "right", "justify": "both", "distribute": "distribute"}
VALIGN = {"top": "top", "middle": "center", "bottom": "bottom"}
TWIPS_PER_PT = 20
TWIPS_PER_MM = 1440 / 25.4


def twips(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


def w(tag: str, **attrs) -> etree._Element:
    """``w("sz", val=32)`` -> ``<w:sz w:val="32"/>``; attribute names without prefix."""
    return OxmlElement(f"w:{tag}", {qn(f"w:{k}"): str(v) for k, v in attrs.items()})


def on_off(tag: str, value: bool) -> etree._Element:
    """``<w:b/>`` or ``<w:b w:val="0"/>``: an explicit off beats an inherited on."""
    return w(tag) if value else w(tag, val="0")


# ---- fonts -------------------------------------------------------------------------------

def rfonts(family: str) -> etree._Element:
    """One family for every script, East-Asian first: what Word shows and uses for 汉字."""
    return w("rFonts", ascii=family, hAnsi=family, eastAsia=family, cs=family, hint="eastAsia")


def strip_theme_fonts(root: etree._Element) -> int:
    """Delete theme-font attributes under ``root`` (a theme attribute beats an explicit name)."""
    removed = 0
    for el in root.iter(qn("w:rFonts")):
        for attr in THEME_FONT_ATTRS:
            if el.attrib.pop(qn(attr), None) is not None:
                removed += 1
    return removed


# ---- run and paragraph properties (children in schema order) ----------------------------

def rpr(*, style: Optional[str] = None, family: Optional[str] = None,
        bold: Optional[bool] = None, italic: Optional[bool] = None,
        half_points: Optional[int] = None, vert_align: Optional[str] = None,
        lang_zh: bool = False) -> etree._Element:
    el = w("rPr")
    if style:
        el.append(w("rStyle", val=style))
    if family:
        el.append(rfonts(family))
    if bold is not None:
        el.append(on_off("b", bold))
        el.append(on_off("bCs", bold))
    if italic is not None:
        el.append(on_off("i", italic))
        el.append(on_off("iCs", italic))
    if half_points:
        el.append(w("sz", val=half_points))
        el.append(w("szCs", val=half_points))
    if vert_align:
        el.append(w("vertAlign", val=vert_align))
    if lang_zh:
        el.append(w("lang", val="en-US", eastAsia="zh-CN"))
    return el


def ppr(*, style: Optional[str] = None, keep_next: bool = False, keep_lines: bool = False,
        page_break_before: Optional[bool] = False, widow_control: Optional[bool] = None,
        tabs: Iterable[tuple[str, str, int]] = (), flags: Iterable[tuple[str, bool]] = (),
        line_twips: Optional[int] = None, before_twips: Optional[int] = None,
        after_twips: Optional[int] = None, first_line_chars: Optional[float] = None,
        first_line_twips: int = 0, left_chars: Optional[float] = None, left_twips: int = 0,
        right_chars: Optional[float] = None, right_twips: int = 0,
        hanging_chars: Optional[float] = None, hanging_twips: int = 0,
        align: Optional[str] = None, outline_level: Optional[int] = None) -> etree._Element:
    """Paragraph properties. ``first_line_chars`` writes w:firstLineChars (which wins in Word)
    with w:firstLine as the fallback, ``left_chars``, ``right_chars`` and ``hanging_chars``
    likewise beside w:left, w:right and w:hanging (which LibreOffice reads);
    ``page_break_before``: True writes it, False leaves it out, ``PAGE_BREAK_OFF`` writes an
    explicit off (beats a style that breaks);
    ``flags``: typesetting switches (PARAGRAPH_FLAGS) as (name, on);
    ``outline_level`` is 1-based (w:outlineLvl is 0-based);
    ``tabs`` are (kind, leader, position in twips)."""
    el = w("pPr")
    if style:
        el.append(w("pStyle", val=style))
    if keep_next:
        el.append(w("keepNext"))
    if keep_lines:
        el.append(w("keepLines"))
    if page_break_before is not None and (page_break_before or page_break_before is PAGE_BREAK_OFF):
        el.append(on_off("pageBreakBefore", bool(page_break_before)))
    if widow_control is not None:
        el.append(on_off("widowControl", widow_control))
    tabs = list(tabs)
    if tabs:
        tabs_el = w("tabs")
        for kind, leader, pos in tabs:
            tabs_el.append(w("tab", val=kind, leader=leader, pos=pos))
        el.append(tabs_el)
    given = dict(flags)
    for name in PARAGRAPH_FLAGS:
        if name in given:
            el.append(on_off(name, given[name]))
    spacing = {}
    if before_twips is not None:
        spacing["before"] = before_twips
    if after_twips is not None:
        spacing["after"] = after_twips
    if line_twips is not None:
        spacing.update(line=line_twips, lineRule="exact")
    if spacing:
        el.append(w("spacing", **spacing))
    ind = {}
    if left_chars is not None:
        ind.update(left=left_twips, leftChars=round(left_chars * 100))
    if right_chars is not None:
        ind.update(right=right_twips, rightChars=round(right_chars * 100))
    if hanging_chars is not None:
        ind.update(hanging=hanging_twips, hangingChars=round(hanging_chars * 100))
    elif first_line_chars is not None:
        ind.update(firstLine=first_line_twips, firstLineChars=round(first_line_chars * 100))
    if ind:
        el.append(w("ind", **{k: ind[k] for k in IND_ORDER if k in ind}))
    if align:
        el.append(w("jc", val=JC[align]))
    if outline_level is not None:
        el.append(w("outlineLvl", val=outline_level - 1))
    return el


# An explicit "no page break before" (beats a style that has one): pass as page_break_before.
class _Off:
    def __bool__(self) -> bool:
        return False


PAGE_BREAK_OFF = _Off()
# The typesetting switches of w:pPr, in schema order.
PARAGRAPH_FLAGS = ("kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN")
IND_ORDER = ("left", "leftChars", "right", "rightChars", "hanging", "hangingChars",
             "firstLine", "firstLineChars")


# ---- runs and fields ---------------------------------------------------------------------

def text_run(text: str, props: Optional[etree._Element] = None) -> etree._Element:
    """A run of ``text``; each newline becomes a line break inside the paragraph."""
    r = w("r")
    if props is not None and len(props):
        r.append(props)
    for i, line in enumerate(text.split("\n")):
        if i:
            r.append(w("br"))
        t = w("t")
        t.text = line
        if line != line.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)
    return r


def tab_run() -> etree._Element:
    r = w("r")
    r.append(w("tab"))
    return r


def page_break_run() -> etree._Element:
    r = w("r")
    r.append(w("br", type="page"))
    return r


def fld_char_run(kind: str) -> etree._Element:
    """``begin`` / ``separate`` / ``end`` of a complex field."""
    r = w("r")
    r.append(w("fldChar", fldCharType=kind))
    return r


def instr_run(instruction: str) -> etree._Element:
    r = w("r")
    t = w("instrText")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = f" {instruction} "
    r.append(t)
    return r


def field_runs(instruction: str, cached: str) -> list[etree._Element]:
    """A whole one-paragraph complex field whose cached result is ``cached``."""
    return [fld_char_run("begin"), instr_run(instruction), fld_char_run("separate"),
            text_run(cached), fld_char_run("end")]


def toc_number_runs(anchor: str, page: Optional[int]) -> list[etree._Element]:
    """A TOC entry's tab and page number as Word writes them: a PAGEREF field to the entry's
    bookmark whose cached result is ``page`` (no field, only the tab, without a page), each run
    ``w:webHidden`` (the TOC's \\z: no numbers in Web view)."""
    def hidden(run: etree._Element) -> etree._Element:
        props = w("rPr")
        props.append(w("webHidden"))
        run.insert(0, props)
        return run

    runs = [tab_run()]
    if page is not None:
        runs += [fld_char_run("begin"), instr_run(f"PAGEREF {anchor} \\h"), fld_char_run("separate"),
                 text_run(str(page)), fld_char_run("end")]
    return [hidden(r) for r in runs]


def toc_block(paragraphs: list[etree._Element]) -> etree._Element:
    """``paragraphs`` (a TOC's title and entries) in the block content control Word puts a
    table of contents in (w:sdt, docPartGallery "Table of Contents")."""
    sdt = w("sdt")
    props = w("sdtPr")
    part = w("docPartObj")
    part.append(w("docPartGallery", val="Table of Contents"))
    part.append(w("docPartUnique"))
    props.append(part)
    content = w("sdtContent")
    content.extend(paragraphs)
    sdt.extend([props, content])
    return sdt


def hyperlink(anchor: str, runs: list[etree._Element]) -> etree._Element:
    """``runs`` as a link to bookmark ``anchor`` in the same document (a TOC entry)."""
    link = w("hyperlink", anchor=anchor, history=1)
    link.extend(runs)
    return link


def bookmarked(runs: list[etree._Element], bookmark_id: int, name: str) -> list[etree._Element]:
    """``runs`` inside bookmark ``name`` (a heading a TOC entry points at)."""
    return [w("bookmarkStart", id=bookmark_id, name=name), *runs, w("bookmarkEnd", id=bookmark_id)]


# ---- footnotes ---------------------------------------------------------------------------

def footnote_reference_run(note_id: int, style: str) -> etree._Element:
    r = w("r")
    r.append(rpr(style=style))
    r.append(w("footnoteReference", id=note_id))
    return r


def footnote_mark_run(style: str) -> etree._Element:
    """The note's own number at the start of its text."""
    r = w("r")
    r.append(rpr(style=style))
    r.append(w("footnoteRef"))
    return r


def _separator_note(note_id: int, kind: str, sep_tag: str, line_twips: Optional[int]) -> etree._Element:
    note = w("footnote", id=note_id, type=kind)
    p = w("p")
    p.append(ppr(after_twips=0, before_twips=0, line_twips=line_twips, first_line_chars=0))
    r = w("r")
    r.append(w(sep_tag))
    p.append(r)
    note.append(p)
    return note


def footnotes_xml(notes: Iterable[tuple[int, list[etree._Element]]],
                  separator_twips: Optional[int] = None) -> bytes:
    """The footnotes part: separator (id -1), continuation separator (id 0), each a line of
    ``separator_twips`` (the room the PDF gives its rule), then each note ``(id, paragraphs)``."""
    root = etree.fromstring(f"<w:footnotes {nsdecls('w', 'r')}/>")
    root.append(_separator_note(-1, "separator", "separator", separator_twips))
    root.append(_separator_note(0, "continuationSeparator", "continuationSeparator", separator_twips))
    for note_id, paragraphs in notes:
        note = w("footnote", id=note_id)
        note.extend(paragraphs)
        root.append(note)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_footnotes_part(document_part, blob: bytes) -> Part:
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, document_part.package)
    document_part.relate_to(part, RT.FOOTNOTES)
    return part


# ---- settings ----------------------------------------------------------------------------

# Each flag's successors that python-docx's default settings part can hold (schema order).
SETTINGS_SUCCESSORS = {
    "mirrorMargins": ("w:proofState", "w:defaultTabStop", "w:evenAndOddHeaders",
                      "w:characterSpacingControl", "w:savePreviewPicture", "w:compat"),
    "updateFields": ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:rsids"),
}


def set_flag(settings: etree._Element, tag: str) -> None:
    """Add ``<w:mirrorMargins/>`` or ``<w:updateFields w:val="true"/>`` in schema order."""
    if settings.find(qn(f"w:{tag}")) is not None:
        return
    el = w(tag, val="true") if tag == "updateFields" else w(tag)
    settings.insert_element_before(el, *SETTINGS_SUCCESSORS[tag])


def do_not_expand_shift_return(settings: etree._Element) -> None:
    """``<w:compat><w:doNotExpandShiftReturn/>``: a justified line that ends in a line break
    (w:br) is not spread to the margin, as the PDF sets it (Word and LibreOffice spread it
    otherwise). It is the first of w:compat's children in schema order."""
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = w("compat")
        settings.insert_element_before(compat, "w:rsids", "m:mathPr", "w:themeFontLang",
                                       "w:clrSchemeMapping", "w:doNotAutoCompressPictures",
                                       "w:shapeDefaults", "w:decimalSymbol", "w:listSeparator")
    if compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, w("doNotExpandShiftReturn"))


# ---- tables ------------------------------------------------------------------------------

def table_properties(width_twips: int, border_pt: float = 0.5, borders_on: bool = True,
                     pad_x_twips: int = 80, pad_y_twips: int = 40) -> etree._Element:
    """Fixed layout at an exact width, its left border on the margin (w:tblInd 0: in
    compatibility mode 15 Word and LibreOffice measure it to the border), single borders of
    ``border_pt`` all round and inside (w:sz in eighths of a point) or none at all, and the
    cells' padding."""
    pr = w("tblPr")
    pr.append(w("tblW", w=width_twips, type="dxa"))
    pr.append(w("tblInd", w=0, type="dxa"))
    borders = w("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if borders_on:
            borders.append(w(side, val="single", sz=round(border_pt * 8), space=0, color="000000"))
        else:
            borders.append(w(side, val="nil"))
    pr.append(borders)
    pr.append(w("tblLayout", type="fixed"))
    margins = w("tblCellMar")
    for side, value in (("top", pad_y_twips), ("left", pad_x_twips), ("bottom", pad_y_twips),
                        ("right", pad_x_twips)):
        margins.append(w(side, w=value, type="dxa"))
    pr.append(margins)
    return pr


def table_grid(widths_twips: list[int]) -> etree._Element:
    grid = w("tblGrid")
    for width in widths_twips:
        grid.append(w("gridCol", w=width))
    return grid


def row_properties(*, min_height_twips: Optional[int], header: bool) -> etree._Element:
    pr = w("trPr")
    pr.append(w("cantSplit"))
    if min_height_twips:
        pr.append(w("trHeight", val=min_height_twips, hRule="atLeast"))
    if header:
        pr.append(w("tblHeader"))
    return pr


def caption_row(caption: etree._Element, width_twips: int, n_cols: int, *, gap_twips: int,
                borders_on: bool = True) -> etree._Element:
    """A table's caption as its first row, repeated with the header rows on every page the
    table continues on (Word's way to repeat a caption): one cell across the table, no rule
    above it or at its sides (the rule below it is the table's top rule), no padding but
    ``gap_twips`` below the caption."""
    tr = w("tr")
    pr = w("trPr")
    pr.append(w("cantSplit"))
    pr.append(w("tblHeader"))
    tr.append(pr)
    tc = w("tc")
    tcpr = w("tcPr")
    tcpr.append(w("tcW", w=width_twips, type="dxa"))
    if n_cols > 1:
        tcpr.append(w("gridSpan", val=n_cols))
    if borders_on:
        borders = w("tcBorders")
        for side in ("top", "left", "right"):
            borders.append(w(side, val="nil"))
        tcpr.append(borders)
    margins = w("tcMar")
    for side, value in (("top", 0), ("left", 0), ("bottom", gap_twips), ("right", 0)):
        margins.append(w(side, w=value, type="dxa"))
    tcpr.append(margins)
    tcpr.append(w("vAlign", val="bottom"))
    tc.append(tcpr)
    tc.append(caption)
    tr.append(tc)
    return tr


def cell_properties(*, width_twips: int, grid_span: int, v_merge: Optional[str],
                    valign: str) -> etree._Element:
    """``v_merge``: None, "restart" (first row of a rowspan) or "continue"."""
    pr = w("tcPr")
    pr.append(w("tcW", w=width_twips, type="dxa"))
    if grid_span > 1:
        pr.append(w("gridSpan", val=grid_span))
    if v_merge == "restart":
        pr.append(w("vMerge", val="restart"))
    elif v_merge == "continue":
        pr.append(w("vMerge"))
    pr.append(w("vAlign", val=VALIGN[valign]))
    return pr
