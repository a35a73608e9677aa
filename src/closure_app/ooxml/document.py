"""A DOCX package read once into a small intermediate form, for the checker and the importers.

``read_docx(path)`` gives a ``DocxDocument``: the main story as paragraphs and tables in
reading order, each paragraph with its resolved style chain, outline level, alignment, the
number text Word shows for automatic numbering, and its runs (text with the effective
format: East-Asian font, size, bold, italic, super/subscript, strike, highlight), footnote and
endnote marks at their places, images (inline and floating). Text boxes are read once (a
``mc:AlternateContent`` holds each twice, under ``mc:Choice`` and ``mc:Fallback``); fields are
followed, so TOC entries are marked; tracked changes are read as accepted and counted;
what has no place in a manuscript (equations, OLE objects, charts, SmartArt, comments) is
listed in ``losses`` with its place.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Union

from closure_app.ooxml.numbering import NumberLabel, Numbering
from closure_app.ooxml.safety import CannotRead, SafeZip, parse_xml
from closure_app.ooxml.styles import W, RunFormat, StyleSheet, on_off, w

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W, "mc": MC, "r": R, "a": A, "m": M, "wp": WP, "v": V,
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
      "o": "urn:schemas-microsoft-com:office:office"}
OPENING_CHARS = 16

# Wingdings-family symbols people use as ticks and boxes (w:sym w:char), as the Unicode they show.
_SYMBOLS = {"F0FE": "☑", "F0FD": "☒", "F0A8": "☐", "F06F": "☐", "F078": "☒", "F0FC": "✓",
            "F052": "☑", "F053": "☒", "F0A3": "☐", "F0D6": "✗", "F050": "✓", "F06E": "■", "F06C": "●",
            "F0B2": "☐", "F0A1": "○", "F09F": "●"}


def opening(text: str) -> str:
    """The opening words of a paragraph, to show where a finding is."""
    s = " ".join(text.split())
    return s if len(s) <= OPENING_CHARS else s[:OPENING_CHARS] + "…"


@dataclass
class Run:
    text: str
    fmt: RunFormat


@dataclass
class NoteMark:
    kind: str          # footnote | endnote
    id: str


@dataclass
class Image:
    part: Optional[str]       # the package member holding it (word/media/image1.png), None if missing
    floating: bool            # wp:anchor (floating) or wp:inline
    description: str = ""     # alt text (wp:docPr descr or title)
    width_emu: int = 0
    height_emu: int = 0


Item = Union[Run, NoteMark, Image]


@dataclass
class Para:
    index: Optional[int]      # 1-based among the main story's w:p (tables included, text boxes not)
    style_id: Optional[str]
    style_name: str
    style_names: tuple[str, ...]   # the basedOn chain, nearest first
    outline_level: Optional[int]   # 1-based, own w:outlineLvl or the style chain's
    align: str                # left | center | right | both | distribute ...
    number: Optional[NumberLabel]
    items: list[Item] = field(default_factory=list)
    where: str = "body"       # body | table | textbox | footnote | endnote
    in_toc: bool = False      # inside a TOC field or a TOC content control
    note_id: Optional[str] = None
    anchor: Optional[int] = None   # a text box paragraph: the index of the paragraph holding the box
    page_break_before: bool = False

    @property
    def runs(self) -> list[Run]:
        return [i for i in self.items if isinstance(i, Run)]

    @property
    def text(self) -> str:
        """The text in the runs (the automatic number is not part of it)."""
        return "".join(r.text for r in self.runs)

    @property
    def label(self) -> str:
        """The automatic number as shown, with what follows it ("第一章" + tab), or ""."""
        return (self.number.text + self.number.suffix) if self.number else ""

    @property
    def shown_text(self) -> str:
        """What a reader sees: the automatic number, then the text."""
        return self.label + self.text

    @property
    def images(self) -> list[Image]:
        return [i for i in self.items if isinstance(i, Image)]

    @property
    def place(self) -> str:
        where = {"footnote": f"脚注 {self.note_id}", "endnote": f"尾注 {self.note_id}",
                 "textbox": f"文本框（第 {self.anchor} 段）"}.get(self.where, f"第 {self.index} 段")
        return f"{where}「{opening(self.shown_text)}」"


@dataclass
class Cell:
    paragraphs: list[Para]
    span: int = 1                   # w:gridSpan
    vmerge: Optional[str] = None    # restart | continue | None (w:vMerge)


@dataclass
class Table:
    rows: list[list[Cell]]
    index: Optional[int] = None     # the index of its first paragraph

    def paragraphs(self) -> Iterator[Para]:
        for row in self.rows:
            for cell in row:
                yield from cell.paragraphs

    def caption_row(self) -> Optional[Para]:
        """The caption paragraph when the first row is one cell across the table holding one
        caption-style paragraph (Word's way to repeat a caption on each page; our DOCX writes
        it so), or None."""
        rows = [row for row in self.rows if row]
        if len(rows) < 2 or len(rows[0]) != 1:
            return None
        width = max(sum(c.span for c in row) for row in rows[1:])
        inked = [p for p in rows[0][0].paragraphs if p.text.strip()]
        if rows[0][0].span != width or len(inked) != 1:
            return None
        styles = {n.strip().lower() for n in inked[0].style_names}
        return inked[0] if styles & {"caption", "题注"} else None


Block = Union[Para, Table]


@dataclass
class Loss:
    """Something of the file that has no place in the manuscript, and what was done with it."""
    what: str
    place: str
    action: str


@dataclass
class DocxDocument:
    path: str
    blocks: list[Block]
    footnotes: dict[str, list[Para]]
    endnotes: dict[str, list[Para]]
    sheet: StyleSheet
    sections: list            # w:sectPr elements, in order
    losses: list[Loss]
    revisions: int            # tracked insertions, deletions and moves (read as accepted)
    comments: int
    media: dict[str, bytes]   # package member -> bytes, for the images the story uses

    def story(self) -> Iterator[Para]:
        """Every paragraph of the main story in reading order: tables and text boxes included."""
        for b in self.blocks:
            if isinstance(b, Table):
                yield from b.paragraphs()
            else:
                yield b

    def all_paragraphs(self) -> Iterator[Para]:
        """The main story, then the footnotes, then the endnotes."""
        yield from self.story()
        for notes in (self.footnotes, self.endnotes):
            for paras in notes.values():
                yield from paras


# ---- the package -----------------------------------------------------------------------

def _rels(z: SafeZip, part: str) -> dict[str, tuple[str, str, bool]]:
    """Relationships of ``part``: id -> (type, resolved member name, external). WPS writes
    targets like "NULL": those resolve to a member that does not exist and are simply unused."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    out: dict[str, tuple[str, str, bool]] = {}
    if not z.has(rels_name):
        return out
    root = parse_xml(z.read(rels_name), rels_name)
    for rel in root.iterfind(f"{{{PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if not external:
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target, external)
    return out


def _main_part(z: SafeZip) -> str:
    for rtype, target, external in _rels(z, "").values():
        if rtype == "officeDocument" and not external and z.has(target):
            return target
    if z.has("word/document.xml"):
        return "word/document.xml"
    raise CannotRead("不是 Word 文档：缺少 word/document.xml。")


def read_docx(path: Path) -> DocxDocument:
    """Read a DOCX (or DOCM) package; raise ``CannotRead`` for one that cannot be read safely."""
    with SafeZip(Path(path)) as z:
        main = _main_part(z)
        rels = _rels(z, main)
        by_type: dict[str, str] = {}
        for rtype, target, external in rels.values():
            if not external and z.has(target):
                by_type.setdefault(rtype, target)

        def part(rtype: str, fallback: str):
            name = by_type.get(rtype) or (fallback if z.has(fallback) else None)
            return parse_xml(z.read(name), name) if name else None

        doc = parse_xml(z.read(main), main)
        styles = part("styles", "word/styles.xml")
        theme = part("theme", "word/theme/theme1.xml")
        numbering = part("numbering", "word/numbering.xml")
        footnotes = part("footnotes", "word/footnotes.xml")
        endnotes = part("endnotes", "word/endnotes.xml")
        comments = part("comments", "word/comments.xml")
        reader = _StoryReader(StyleSheet(styles, theme), Numbering(numbering), rels)
        body = doc.find(w("body"))
        blocks = list(reader.blocks(body)) if body is not None else []
        notes = {kind: reader.notes(root, kind) for kind, root in (("footnote", footnotes), ("endnote", endnotes))}
        media = {}
        for target in reader.media_parts:
            if z.has(target):
                media[target] = z.read(target)
    n_comments = len(comments.findall(w("comment"))) if comments is not None else 0
    if n_comments:
        reader.losses.append(Loss(f"批注 {n_comments} 条", "全文", "未导入（批注不属于正文）"))
    return DocxDocument(str(path), blocks, notes["footnote"], notes["endnote"], reader.sheet,
                        list(doc.iter(w("sectPr"))), reader.losses, reader.revisions, n_comments, media)


# ---- the story -------------------------------------------------------------------------

class _Fields:
    """Follows complex fields (fldChar begin / instrText / separate / end) across paragraphs."""

    def __init__(self):
        self.stack: list[list] = []      # [instruction, in result part]

    def feed(self, el) -> None:
        if el.tag == w("fldChar"):
            kind = el.get(w("fldCharType"))
            if kind == "begin":
                self.stack.append(["", False])
            elif kind == "separate" and self.stack:
                self.stack[-1][1] = True
            elif kind == "end" and self.stack:
                self.stack.pop()
        elif el.tag == w("instrText") and self.stack:
            self.stack[-1][0] += el.text or ""

    @property
    def in_toc(self) -> bool:
        return any(instr.strip().upper().startswith("TOC") for instr, _ in self.stack)

    @property
    def in_instruction(self) -> bool:
        """Between begin and separate: what is there is the field's code, not its result."""
        return bool(self.stack) and not self.stack[-1][1]


_RUN_CONTAINERS = {w("hyperlink"), w("smartTag"), w("fldSimple"), w("customXml"), w("ins"),
                   w("moveTo"), w("bdo"), w("dir")}
_SKIPPED = {w("del"), w("moveFrom")}
_REVISIONS = {w("ins"), w("del"), w("moveTo"), w("moveFrom")}


class _StoryReader:
    def __init__(self, sheet: StyleSheet, numbering: Numbering, rels: dict):
        self.sheet = sheet
        self.numbering = numbering
        self.rels = rels
        self.fields = _Fields()
        self.losses: list[Loss] = []
        self.revisions = 0
        self.count = 0                      # main-story paragraphs so far
        self.media_parts: list[str] = []
        self._pending_boxes: list[Para] = []
        self._toc_sdt = 0

    # blocks

    def blocks(self, parent, where: str = "body") -> Iterator[Block]:
        for el in parent:
            tag = el.tag
            if tag == w("p"):
                yield from self._paragraph_and_boxes(el, where)
            elif tag == w("tbl"):
                yield self._table(el)
            elif tag == w("sdt"):
                gallery = el.find("w:sdtPr/w:docPartObj/w:docPartGallery", NS)
                is_toc = gallery is not None and "table of contents" in (gallery.get(w("val")) or "").lower()
                content = el.find(w("sdtContent"))
                if content is not None:
                    self._toc_sdt += is_toc
                    yield from self.blocks(content, where)
                    self._toc_sdt -= is_toc
            elif tag in (w("customXml"), w("ins"), w("moveTo")):
                if tag != w("customXml"):
                    self.revisions += 1
                yield from self.blocks(el, where)
            elif tag in _SKIPPED:
                self.revisions += 1
            elif tag == f"{{{MC}}}AlternateContent":
                choice = el.find("mc:Choice", NS)
                if choice is not None:
                    yield from self.blocks(choice, where)

    def _paragraph_and_boxes(self, el, where: str) -> Iterator[Para]:
        para = self.paragraph(el, where)
        yield para
        boxes, self._pending_boxes = self._pending_boxes, []
        yield from boxes

    def _table(self, tbl) -> Table:
        rows = []
        first = self.count + 1
        for tr in tbl.iterfind("w:tr", NS):
            cells = []
            for tc in tr.iterfind("w:tc", NS):
                span_el = tc.find("w:tcPr/w:gridSpan", NS)
                span = int(span_el.get(w("val"), "1")) if span_el is not None and (span_el.get(w("val")) or "").isdigit() else 1
                vm = tc.find("w:tcPr/w:vMerge", NS)
                vmerge = None if vm is None else ("restart" if vm.get(w("val")) == "restart" else "continue")
                paras: list[Para] = []
                for b in self.blocks(tc, "table"):
                    if isinstance(b, Table):      # a table in a cell: its text is kept as paragraphs
                        self.losses.append(Loss("表格中嵌套的表格", f"第 {b.index} 段", "内容按段落并入所在单元格"))
                        paras.extend(b.paragraphs())
                    else:
                        paras.append(b)
                cells.append(Cell(paras, max(span, 1), vmerge))
            rows.append(cells)
        return Table(rows, first)

    # paragraphs

    def paragraph(self, p, where: str, note_id: Optional[str] = None, anchor: Optional[int] = None) -> Para:
        ppr = p.find(w("pPr"))
        style_id = None
        if ppr is not None:
            ps = ppr.find(w("pStyle"))
            style_id = ps.get(w("val")) if ps is not None else None
        style = self.sheet.paragraph_style(style_id)
        sid = style.style_id if style else None
        index = None
        if where in ("body", "table"):
            self.count += 1
            index = self.count
        para = Para(index, sid, style.name if style else "", self.sheet.style_names(sid),
                    self._outline(ppr, sid), self._align(ppr, sid), self._number(ppr, sid),
                    where=where, note_id=note_id, anchor=anchor)
        pbb = ppr.find(w("pageBreakBefore")) if ppr is not None else None
        if pbb is None:
            pbb = self.sheet.paragraph_property(sid, "pageBreakBefore")
        para.page_break_before = bool(on_off(pbb))
        para.in_toc = bool(self._toc_sdt) or self.fields.in_toc
        self._inline(p, para, sid)
        para.in_toc = para.in_toc or self.fields.in_toc
        if ppr is not None and ppr.find("w:rPr/w:del", NS) is not None:
            self.revisions += 1
        return para

    def _outline(self, ppr, sid) -> Optional[int]:
        own = ppr.find(w("outlineLvl")) if ppr is not None else None
        if own is not None:
            val = own.get(w("val"), "")
            return int(val) + 1 if val.isdigit() and int(val) < 9 else None
        return self.sheet.outline_level(sid)

    def _align(self, ppr, sid) -> str:
        jc = ppr.find(w("jc")) if ppr is not None else None
        if jc is None:
            jc = self.sheet.paragraph_property(sid, "jc")
        val = jc.get(w("val"), "left") if jc is not None else "left"
        return {"start": "left", "end": "right"}.get(val, val)

    def _number(self, ppr, sid) -> Optional[NumberLabel]:
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        if numpr is None:
            numpr = self.sheet.paragraph_property(sid, "numPr")
        if numpr is None:
            return None
        num = numpr.find(w("numId"))
        if num is None:
            style_numpr = self.sheet.paragraph_property(sid, "numPr")
            num = style_numpr.find(w("numId")) if style_numpr is not None else None
        if num is None:
            return None
        num_id = num.get(w("val"), "")
        lvl = numpr.find(w("ilvl"))
        if lvl is not None and (lvl.get(w("val")) or "").isdigit():
            ilvl = int(lvl.get(w("val")))
        else:
            ilvl = self.numbering.ilvl_for_style(num_id, sid)
        return self.numbering.next_label(num_id, ilvl)

    # inline content

    def _inline(self, parent, para: Para, sid) -> None:
        for el in parent:
            tag = el.tag
            if tag == w("r"):
                self._run(el, para, sid)
            elif tag in _RUN_CONTAINERS:
                if tag in _REVISIONS:
                    self.revisions += 1
                self._inline(el, para, sid)
            elif tag in _SKIPPED:
                self.revisions += 1
            elif tag == w("sdt"):
                content = el.find(w("sdtContent"))
                if content is not None:
                    self._inline(content, para, sid)
            elif tag == f"{{{MC}}}AlternateContent":
                choice = el.find("mc:Choice", NS)
                if choice is not None:
                    self._inline(choice, para, sid)
            elif tag in (f"{{{M}}}oMath", f"{{{M}}}oMathPara"):
                text = "".join(t.text or "" for t in el.iter(f"{{{M}}}t"))
                para.items.append(Run(text, self.sheet.run_format(sid, None)))
                self.losses.append(Loss("公式", self._where(para), f"按纯文本保留为「{opening(text)}」，请核对"))

    def _where(self, para: Para) -> str:
        return {"footnote": f"脚注 {para.note_id}", "endnote": f"尾注 {para.note_id}",
                "textbox": f"文本框（第 {para.anchor} 段）"}.get(para.where, f"第 {para.index} 段")

    def _run(self, r, para: Para, sid) -> None:
        rpr = r.find(w("rPr"))
        fmt = self.sheet.run_format(sid, rpr)
        if rpr is not None and rpr.find(w("vanish")) is not None and on_off(rpr.find(w("vanish"))):
            return                                    # hidden text is not shown, so not read
        buf: list[str] = []

        def flush():
            if buf:
                para.items.append(Run("".join(buf), fmt))
                buf.clear()

        for el in r:
            tag = el.tag
            if tag in (w("fldChar"), w("instrText")):
                flush()
                self.fields.feed(el)
                para.in_toc = para.in_toc or self.fields.in_toc
                continue
            if self.fields.in_instruction:
                continue
            if tag == w("t"):
                buf.append(el.text or "")
            elif tag == w("tab"):
                buf.append("\t")
            elif tag in (w("br"), w("cr")):
                if el.get(w("type")) == "page":
                    flush()
                    para.page_break_before = para.page_break_before or not para.text
                else:
                    buf.append("\n")
            elif tag == w("noBreakHyphen"):
                buf.append("-")
            elif tag == w("sym"):
                code = (el.get(w("char")) or "").upper()
                buf.append(_SYMBOLS.get(code, chr(int(code, 16)) if _is_hex(code) and int(code, 16) < 0xF000 else ""))
            elif tag in (w("footnoteReference"), w("endnoteReference")):
                flush()
                kind = "footnote" if tag == w("footnoteReference") else "endnote"
                para.items.append(NoteMark(kind, el.get(w("id"), "")))
            elif tag == w("drawing"):
                flush()
                self._drawing(el, para)
            elif tag == w("pict"):
                flush()
                self._vml(el, para)
            elif tag == w("object"):
                flush()
                self.losses.append(Loss("嵌入对象（OLE，如 Excel 表格、Visio 图）", self._where(para),
                                        "未导入：请另存为图片后插入"))
            elif tag == f"{{{MC}}}AlternateContent":
                flush()
                choice = el.find("mc:Choice", NS)
                if choice is not None:
                    for child in choice:
                        if child.tag == w("drawing"):
                            self._drawing(child, para)
                        elif child.tag == w("pict"):
                            self._vml(child, para)
            elif tag == w("commentReference"):
                pass
        flush()

    def _drawing(self, drawing, para: Para) -> None:
        floating = drawing.find("wp:anchor", NS) is not None
        holder = drawing.find("wp:anchor", NS) if floating else drawing.find("wp:inline", NS)
        if drawing.find(".//c:chart", NS) is not None:
            self.losses.append(Loss("图表（Word 图表）", self._where(para), "未导入：请另存为图片后插入"))
            return
        if drawing.find(".//dgm:relIds", NS) is not None:
            self.losses.append(Loss("SmartArt 图形", self._where(para), "未导入：请另存为图片后插入"))
            return
        boxes = [b for b in drawing.iterfind(".//w:txbxContent", NS) if not _in_fallback(b, drawing)]
        if boxes:
            self._text_boxes(boxes, para)
        for blip in drawing.iterfind(".//a:blip", NS):
            if _in_fallback(blip, drawing) or any(a.tag == w("txbxContent") for a in blip.iterancestors()):
                continue
            rid = blip.get(f"{{{R}}}embed") or blip.get(f"{{{R}}}link")
            self._image(rid, para, floating, holder)

    def _vml(self, pict, para: Para) -> None:
        boxes = pict.findall(".//w:txbxContent", NS)
        if boxes:
            self._text_boxes(boxes, para)
        for data in pict.iterfind(".//v:imagedata", NS):
            self._image(data.get(f"{{{R}}}id"), para, True, None)

    def _image(self, rid: Optional[str], para: Para, floating: bool, holder) -> None:
        rel = self.rels.get(rid or "")
        target = rel[1] if rel and not rel[2] else None
        descr, cx, cy = "", 0, 0
        if holder is not None:
            doc_pr = holder.find("wp:docPr", NS)
            if doc_pr is not None:
                descr = doc_pr.get("descr") or doc_pr.get("title") or ""
            ext = holder.find("wp:extent", NS)
            if ext is not None:
                cx, cy = int(ext.get("cx", "0") or 0), int(ext.get("cy", "0") or 0)
        if target:
            self.media_parts.append(target)
        para.items.append(Image(target, floating, descr, cx, cy))

    def _text_boxes(self, boxes, para: Para) -> None:
        for box in boxes:
            for p in box.iterfind(".//w:p", NS):
                if any(a.tag == w("txbxContent") for a in p.iterancestors() if a is not box):
                    continue                          # a box inside a box: read with its own box
                self._pending_boxes.append(self.paragraph(p, "textbox", anchor=para.index))
            if box.find(".//w:tbl", NS) is not None or box.find(".//w:drawing", NS) is not None:
                self.losses.append(Loss("含表格或图片的文本框", self._where(para), "只取其中的文字"))

    # notes

    def notes(self, root, kind: str) -> dict[str, list[Para]]:
        out: dict[str, list[Para]] = {}
        if root is None:
            return out
        for note in root.iterfind(f"w:{kind}", NS):
            if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            nid = note.get(w("id"), "")
            out[nid] = [self.paragraph(p, kind, note_id=nid) for p in note.iterfind("w:p", NS)]
        return out


def _in_fallback(el, top) -> bool:
    """Inside an mc:Fallback below ``top``: the copy of something already read under mc:Choice."""
    for a in el.iterancestors():
        if a is top:
            return False
        if a.tag == f"{{{MC}}}Fallback":
            return True
    return False


def _is_hex(s: str) -> bool:
    try:
        int(s, 16)
        return bool(s)
    except ValueError:
        return False

