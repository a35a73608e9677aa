"""A report written in Word or WPS -> the manuscript model (the same one manuscript.md gives).

The package is read by ``closure_app.ooxml`` (safe reading, style chains, numbering, notes,
tables, images, text boxes) and its structure decided there (title, author block, TOC,
abstract, keywords, headings and their levels). This module turns those decisions into
front matter and body blocks, and says what it could not carry over.

A ``.doc``, ``.wps``, Word 2003 XML or flat-XML file is converted to DOCX by LibreOffice first
when ``soffice`` is installed.
"""
from __future__ import annotations

import atexit
import hashlib
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from closure_app.blocks import Cell, Figure, Footnote, Heading, Inline, ListBlock, NoteRef, Paragraph, Row, Table, Text
from closure_app.errors import Finding, InvalidInput, Place, UsageError
from closure_app.models.manuscript import FrontMatter, Manuscript, join_lines, space_between
from closure_app.numbering import check_heading_numbering
from closure_app.ooxml import CannotRead, DocxDocument, read_docx
from closure_app.ooxml import document as ox
from closure_app.ooxml.structure import ABSTRACT, CAPTION, KEYWORDS, Decision, analyse
from closure_app.word_file import OLE_MAGIC, ZIP_MAGIC, is_word_file  # noqa: F401 - is_word_file used by importers
from closure_app.word_file import is_word_xml as _is_word_xml

CONVERT_TIMEOUT_S = 120
_BULLETS = ("• ", "● ", "▪ ", "◆ ", "■ ", "·")
_REF_NUMBER = re.compile(r"^\s*(?:[\[［〔]\d+[\]］〕]|\d+[.．、])\s*")
_AUTHOR_LABELS = ("作者单位", "职务职称", "通讯地址", "邮编", "电子邮箱", "联系电话")
_AUTHOR_KEYS = {"作者单位": "unit", "职务职称": "position", "通讯地址": "address", "邮编": "postcode",
                "电子邮箱": "email", "联系电话": "phone"}
_FRONT_NAMES = {"title": "主标题", "name": "作者姓名", "unit": "作者单位", "position": "职务职称",
                "address": "通讯地址", "postcode": "邮编", "email": "电子邮箱", "phone": "联系电话",
                "abstract": "摘要", "keywords": "关键词"}


# ---- opening the file ------------------------------------------------------------------

def open_word(path: Path) -> DocxDocument:
    """Read any Word/WPS file as a DOCX document; Chinese errors for what cannot be read."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"找不到文件：{path}")
    with open(path, "rb") as fh:
        head = fh.read(2048)
    try:
        if head.startswith(ZIP_MAGIC):
            return read_docx(path)
        if head.startswith(OLE_MAGIC) or _is_word_xml(head):
            return read_docx(_convert(path, head))
    except CannotRead as exc:
        raise UsageError(f"{path}：{exc.message}") from None
    raise UsageError(f"{path} 不是 Word 文档（.docx、.docm、.doc、.wps）")


_CONVERTED: dict[str, Path] = {}     # sha256 of a file's bytes -> its DOCX, for this process


def _convert(path: Path, head: bytes) -> Path:
    """The file converted to DOCX by LibreOffice; a file read again (import, then build) is
    converted once."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    done = _CONVERTED.get(digest)
    if done is not None and done.exists():
        return done
    out = _soffice_convert(path, head)
    _CONVERTED[digest] = out
    return out


def _soffice_convert(path: Path, head: bytes) -> Path:
    kind = "Word 2003 XML 文档" if _is_word_xml(head) else "旧版 Word/WPS 文档（.doc/.wps）"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UsageError(f"{path} 是{kind}，需要先转换为 .docx：在 Word 或 WPS 中“另存为 .docx”，"
                         "或安装 LibreOffice 后重试（closure-app 会自动转换）")
    work = Path(tempfile.mkdtemp(prefix="closure-convert-"))
    atexit.register(shutil.rmtree, work, True)
    src = work / ("source" + (".xml" if _is_word_xml(head) else ".doc"))
    shutil.copyfile(path, src)
    try:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/profile",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work), str(src)],
                       check=False, capture_output=True, timeout=CONVERT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise UsageError(f"{path}：LibreOffice 转换超时（{CONVERT_TIMEOUT_S} 秒），请在 Word/WPS 中另存为 .docx") from None
    out = work / "source.docx"
    if not out.exists():
        raise UsageError(f"{path}：LibreOffice 无法转换这个{kind}（文件可能已损坏或加密），请在 Word/WPS 中另存为 .docx")
    return out


# ---- the result ------------------------------------------------------------------------

@dataclass
class HeadingChoice:
    paragraph: Optional[int]
    level: int
    how: str
    text: str
    certain: bool


@dataclass
class ImportedReport:
    """What a Word file gives: front matter as found (maybe incomplete), the body, and notes."""
    front: dict
    body: list
    footnotes: dict[int, Footnote]
    findings: list[Finding] = field(default_factory=list)     # warnings, and what was not carried over
    headings: list[HeadingChoice] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)    # file name -> bytes, for images/
    revisions: int = 0

    def missing_front(self) -> list[str]:
        """The front-matter fields not found in the file, by their Chinese names."""
        author = self.front.get("author", {})
        missing = [k for k in ("title", "abstract", "keywords") if not self.front.get(k)]
        missing += [k for k in ("name", "unit", "position", "address", "postcode", "email", "phone")
                    if not author.get(k)]
        return [_FRONT_NAMES[k] for k in missing]


def import_docx(path: Path, *, accept_changes: bool = False, image_dir: str = "images",
                image_root: Optional[Path] = None) -> ImportedReport:
    """Read a Word report. Tracked changes are refused unless ``accept_changes``. Images are
    named ``<image_dir>/figN.ext``; when ``image_root`` is given they are written under it and
    figures point there (absolute), else figures point at ``image_dir/…`` relative names."""
    doc = open_word(path)
    file = str(path)
    if doc.revisions and not accept_changes:
        raise InvalidInput([Finding(Place(file), f"文件含有 {doc.revisions} 处修订（修订模式下的插入、删除），"
                                                 "请先在 Word/WPS 中“接受所有修订”后保存；或加 --accept-changes（closure-app import 或 build），按接受后的内容读入")])
    builder = _Builder(doc, file, image_dir, image_root)
    report = builder.build(analyse(doc))
    if doc.revisions:
        report.findings.append(Finding(Place(file), f"已接受 {doc.revisions} 处修订，按修订后的内容读入", "warning"))
    report.revisions = doc.revisions
    return report


def load_docx_manuscript(path: Path, *, accept_changes: bool = False):
    """The Word report as a checked ``Manuscript`` (for build/validate straight from Word)."""
    from closure_app.sources.manuscript import LoadedManuscript

    root = Path(tempfile.mkdtemp(prefix="closure-images-"))
    atexit.register(shutil.rmtree, root, True)
    report = import_docx(path, accept_changes=accept_changes, image_root=root)
    front = front_matter(report, str(path))
    return LoadedManuscript(Manuscript(front=front, body=report.body, footnotes=report.footnotes), report.findings)


def front_matter(report: ImportedReport, file: str) -> FrontMatter:
    """The front matter found, checked; what is missing is named with where to add it."""
    missing = report.missing_front()
    if missing:
        raise InvalidInput([Finding(Place(file), f"文件中找不到{'、'.join(missing)}。请在标题下方写明作者信息"
                                                 "（作者单位：… 职务职称：… 通讯地址：… 邮编：… 电子邮箱：… 联系电话：…），"
                                                 "并写“摘要：”“关键词：”；或先用 closure-app import 转成 Markdown，在前言中补写")]
                           + [f for f in report.findings if f.severity == "error"])
    from pydantic import ValidationError
    try:
        return FrontMatter.model_validate(report.front)
    except ValidationError as exc:
        findings = []
        for err in exc.errors():
            loc = [str(x) for x in err["loc"]]
            name = _FRONT_NAMES.get(loc[-1], ".".join(loc)) if loc else ""
            findings.append(Finding(Place(file), f"{name}「{err.get('input', '')}」不符合要求：{_reason(err)}"))
        raise InvalidInput(findings) from None


def _reason(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "string_pattern_mismatch":
        return "格式不对（邮编 6 位数字；电子邮箱形如 name@example.com；电话为数字）"
    if kind in ("string_too_short", "missing"):
        return "不能为空"
    return err.get("msg", "")


class _Builder:
    def __init__(self, doc: DocxDocument, file: str, image_dir: str, image_root: Optional[Path]):
        self.doc = doc
        self.file = file
        self.image_dir = image_dir
        self.image_root = image_root
        self.body: list = []
        self.footnotes: dict[int, Footnote] = {}
        self.note_numbers: dict[tuple[str, str], int] = {}
        self.findings: list[Finding] = []
        self.images: dict[str, bytes] = {}
        self.tables = {id(b): b for b in doc.blocks if isinstance(b, ox.Table)}

    def place(self, p: ox.Para) -> Place:
        return Place(self.file, paragraph=p.index if p.index is not None else p.anchor)

    # the whole document

    def build(self, decisions: list[Decision]) -> ImportedReport:
        by_para = {id(d.para): d for d in decisions}
        front = {"title": "", "author": {}, "abstract": "", "keywords": []}
        titles, authors, abstract = [], [], []
        headings: list[HeadingChoice] = []
        pending_caption: Optional[list[Inline]] = None
        for block in self.doc.blocks:
            if isinstance(block, ox.Table):
                table = self.table(block)
                if table is None:               # no cells at all: nothing to set
                    continue
                if pending_caption is not None and not table.caption:
                    table.caption, pending_caption = pending_caption, None
                elif pending_caption is not None:
                    self.body.append(Paragraph(pending_caption))
                    pending_caption = None
                self.body.append(table)
                continue
            d = by_para.get(id(block))
            if d is None:
                continue
            p = block
            if pending_caption is not None and d.role != "empty":
                self.body.append(Paragraph(pending_caption))     # a caption with nothing to caption
                pending_caption = None
            if p.where == "textbox" and d.role == "body" and p.text.strip():
                self.findings.append(Finding(self.place(p), "文本框中的文字已作为正文段落导入（位置在其所在段落之后）", "warning"))
            role = d.role
            if role in ("empty", "toc", "toc_title"):
                continue
            if role in _FRONT_ROLES:
                self._front_notes(p, _FRONT_ROLES[role])
            if role == "title":
                titles.append(_plain(p.text))
            elif role == "author":
                authors.append(p.text)
            elif role == "abstract":
                rest = ABSTRACT.sub("", p.text.strip(), 1) if ABSTRACT.match(p.text.strip()) else p.text.strip()
                if rest:
                    abstract.append(_plain(rest))
            elif role == "keywords":
                front["keywords"] = [k for k in re.split(r"[；;，,、\s]+", KEYWORDS.sub("", p.text.strip(), 1)) if k]
            elif role == "heading":
                runs = self.inline(p, plain=True)
                label = _label(p)
                if label:
                    runs = [Text(label)] + runs
                runs = _strip_runs(runs)
                text = "".join(r.text for r in runs if isinstance(r, Text))
                self.body.append(Heading(d.level, runs, in_toc=d.level <= 3, line=p.index))
                headings.append(HeadingChoice(p.index, d.level, d.how, text, d.certain))
            elif role == "reference":
                runs = _strip_runs(self.inline(p))
                if runs and isinstance(runs[0], Text) and not p.number:
                    runs[0] = Text(_REF_NUMBER.sub("", runs[0].text, 1), runs[0].bold, runs[0].italic)
                self._append_item(runs, "reference", True, p)
            elif role == "caption":
                runs = _strip_caption_number(_strip_runs(self.inline(p)))
                if self.body and isinstance(self.body[-1], Figure) and not self.body[-1].caption:
                    self.body[-1].caption = runs
                else:
                    pending_caption = runs
            elif role == "figure" or role == "body":
                self.paragraph(p)
        front["title"] = join_lines(titles)
        front["author"] = parse_author(authors)
        front["abstract"] = "\n\n".join(abstract)
        warnings = self._numbering_warnings()
        self._losses()
        return ImportedReport(front, self.body, self.footnotes, self.findings + warnings, headings, self.images)

    def _front_notes(self, p: ox.Para, what: str) -> None:
        """A note on the title (基金项目 …), the author or the abstract has no place in the front
        matter: say so, with its text, so it can be written elsewhere."""
        for mark in (i for i in p.items if isinstance(i, ox.NoteMark)):
            paras = (self.doc.footnotes if mark.kind == "footnote" else self.doc.endnotes).get(mark.id, [])
            text = _plain(" ".join(q.text for q in paras)) or "（空）"
            kind = "脚注" if mark.kind == "footnote" else "尾注"
            self.findings.append(Finding(self.place(p), f"{what}上的{kind}「{text}」无法放入前言，未导入："
                                                        "请写进正文或致谢", "warning"))

    def _numbering_warnings(self) -> list[Finding]:
        heads = [b for b in self.body if isinstance(b, Heading)]
        out = []
        for f in check_heading_numbering(heads, self.file):
            out.append(Finding(Place(self.file, paragraph=f.place.line), f.message, f.severity))
        return out

    def _losses(self) -> None:
        for loss in self.doc.losses:
            self.findings.append(Finding(Place(f"{self.file} {loss.place}"), f"{loss.what}：{loss.action}", "warning"))

    # paragraphs, lists, figures

    def paragraph(self, p: ox.Para) -> None:
        runs = self.inline(p)
        text = "".join(r.text for r in runs if isinstance(r, Text))
        if p.number is not None and p.number.text:
            if p.number.bullet:
                self._append_item(_strip_runs(runs), "bullet", False, p)
            elif re.fullmatch(r"\d+\.", p.number.text):
                self._append_item(_strip_runs(runs), ".", True, p, int(p.number.text[:-1]))
            else:      # 1、 （1） ①: Markdown lists have no such markers, so the number stays in the text
                self.body.append(Paragraph(_strip_runs([Text(_label(p))] + runs), line=p.index))
        elif text.startswith(_BULLETS) and not p.images:
            first = runs[0]
            runs[0] = Text(first.text.lstrip("•●▪◆■· "), first.bold, first.italic, first.sup, first.sub)
            self._append_item(_strip_runs(runs), "bullet", False, p)
        elif text.strip() or any(isinstance(r, NoteRef) for r in runs):
            self.body.append(Paragraph(_strip_runs(runs), line=p.index))
        for image in p.images:
            fig = self.figure(image, p)
            if fig is not None:
                self.body.append(fig)

    def _append_item(self, runs: list[Inline], kind: str, ordered: bool, p: ox.Para, number: int = 1) -> None:
        last = self.body[-1] if self.body else None
        if kind == "reference":
            if isinstance(last, ListBlock) and last.role == "reference":
                last.items.append(runs)
            else:
                self.body.append(ListBlock([runs], True, 1, label="[{n}]", role="reference", line=p.index))
            return
        label = "{n}" + kind if ordered else "{n}."
        if isinstance(last, ListBlock) and last.role == "body" and last.ordered == ordered \
                and (not ordered or last.label == label and number == last.start + len(last.items)):
            last.items.append(runs)
        else:
            self.body.append(ListBlock([runs], ordered, number if ordered else 1, label=label, line=p.index))

    def figure(self, image: ox.Image, p: ox.Para) -> Optional[Figure]:
        data = self.doc.media.get(image.part or "")
        if data is None:
            self.findings.append(Finding(self.place(p), "图片的文件在文档中缺失（链接的外部图片或已损坏），未导入", "warning"))
            return None
        ext = Path(image.part).suffix.lower() or ".png"
        if ext in (".emf", ".wmf"):
            self.findings.append(Finding(self.place(p), f"图片为 {ext[1:].upper()} 矢量格式，无法排版，未导入：请另存为 PNG 后插入", "warning"))
            return None
        name = f"fig{len(self.images) + 1}{'.jpg' if ext == '.jpeg' else ext}"
        self.images[name] = data
        if self.image_root is not None:
            target = self.image_root / self.image_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            path = target
        else:
            path = Path(self.image_dir) / name
        if image.floating:
            self.findings.append(Finding(self.place(p), "浮动图片已改为独占一段的嵌入图片", "warning"))
        caption = [Text(image.description)] if image.description and not _looks_like_file(image.description) else []
        return Figure(path, caption, None, None, p.index)

    # tables

    def table(self, t: ox.Table) -> Optional[Table]:
        source_rows = [row for row in t.rows if row]     # a w:tr without a w:tc holds nothing
        if not source_rows:
            return None
        caption = t.caption_row()
        if caption is not None:                            # Word's repeated caption: the table's caption
            source_rows = source_rows[1:]
        rows: list[Row] = []
        grid: list[list[Optional[Cell]]] = []   # cells by (row, column) for vertical merges
        for r, row in enumerate(source_rows):
            cells: list[Cell] = []
            col = 0
            grid.append([])
            for c in row:
                if c.vmerge == "continue":
                    above = _cell_above(grid, r, col)
                    if above is not None:
                        above.rowspan += 1
                        grid[r].extend([above] * c.span)
                        col += c.span
                        continue
                paras = [Paragraph(_strip_runs(self.inline(p)), role="table", align="left", first_line_chars=0, line=p.index)
                         for p in c.paragraphs if p.text.strip()]
                cell = Cell(paras or [Paragraph([], role="table", align="left", first_line_chars=0)], colspan=c.span)
                cells.append(cell)
                grid[r].extend([cell] * c.span)
                col += c.span
            rows.append(Row(cells, header=r == 0))
        n_cols = max((len(g) for g in grid), default=1)
        from closure_app.sources.manuscript import column_widths
        widths = column_widths(rows) if all(len(g) == n_cols for g in grid) else [1.0] * n_cols
        if len(widths) != n_cols:
            widths = [1.0] * n_cols
        table = Table(rows, widths, line=t.index)
        if caption is not None:
            table.caption = _strip_caption_number(_strip_runs(self.inline(caption)))
        return table

    # runs

    def inline(self, p: ox.Para, plain: bool = False) -> list[Inline]:
        out: list[Inline] = []
        for item in p.items:
            if isinstance(item, ox.Run):
                text = item.text.replace("\t", " ")
                if "\n" in text and p.where not in ("footnote", "endnote"):
                    parts = text.split("\n")
                    text = parts[0]
                    for part in parts[1:]:
                        text += space_between(text, part) + part
                if not text:
                    continue
                f = item.fmt
                run = Text(text) if plain else Text(text, f.bold, f.italic, f.vert_align == "superscript",
                                                    f.vert_align == "subscript")
                prev = out[-1] if out else None
                if isinstance(prev, Text) and (prev.bold, prev.italic, prev.sup, prev.sub) == \
                        (run.bold, run.italic, run.sup, run.sub):
                    out[-1] = Text(prev.text + run.text, prev.bold, prev.italic, prev.sup, prev.sub)
                else:
                    out.append(run)
            elif isinstance(item, ox.NoteMark):
                out.append(NoteRef(self.note(item, p)))
        return out

    def note(self, mark: ox.NoteMark, p: ox.Para) -> int:
        key = (mark.kind, mark.id)
        if key in self.note_numbers:
            return self.note_numbers[key]
        number = len(self.note_numbers) + 1
        self.note_numbers[key] = number
        paras = (self.doc.footnotes if mark.kind == "footnote" else self.doc.endnotes).get(mark.id, [])
        runs: list[Inline] = []
        for np_ in paras:
            part = [r for r in self.inline(np_) if isinstance(r, Text)]
            if runs and part:
                runs.append(Text(space_between(runs[-1].text, part[0].text)))
            runs += part
        runs = _strip_runs(runs)
        if not runs:
            self.findings.append(Finding(self.place(p), f"{'脚注' if mark.kind == 'footnote' else '尾注'}内容为空", "warning"))
            runs = [Text("（空）")]
        if mark.kind == "endnote":
            self.findings.append(Finding(self.place(p), "尾注已转为脚注（成果稿的注释排在页下）", "warning")) \
                if not any("尾注已转为脚注" in f.message for f in self.findings) else None
        self.footnotes[number] = Footnote(number, runs, line=p.index)
        return number


_FRONT_ROLES = {"title": "标题", "author": "作者信息", "abstract": "摘要", "keywords": "关键词"}


def _label(p: ox.Para) -> str:
    """The automatic number as text in front of the paragraph's own: what follows the number
    in Word (a tab or a space) reads as one space, none after a full-width mark (一、 （一）)."""
    if p.number is None or not p.number.text:
        return ""
    text = p.number.text
    last = text[-1]
    if not p.number.suffix or unicodedata.east_asian_width(last) in "WF" and unicodedata.category(last).startswith("P"):
        return text
    return text + " "


def _cell_above(grid, r: int, col: int) -> Optional[Cell]:
    for rr in range(r - 1, -1, -1):
        if col < len(grid[rr]) and grid[rr][col] is not None:
            return grid[rr][col]
    return None


def _strip_runs(runs: list[Inline]) -> list[Inline]:
    """Leading and trailing white space off a paragraph's runs."""
    runs = list(runs)
    while runs and isinstance(runs[0], Text) and not runs[0].text.strip():
        runs.pop(0)
    while runs and isinstance(runs[-1], Text) and not runs[-1].text.strip():
        runs.pop()
    if runs and isinstance(runs[0], Text):
        t = runs[0]
        runs[0] = Text(t.text.lstrip(), t.bold, t.italic, t.sup, t.sub)
    if runs and isinstance(runs[-1], Text):
        t = runs[-1]
        runs[-1] = Text(t.text.rstrip(), t.bold, t.italic, t.sup, t.sub)
    return runs


def _strip_caption_number(runs: list[Inline]) -> list[Inline]:
    """图 1-1 题名 -> 题名: the number is given again by the caption pass."""
    if runs and isinstance(runs[0], Text):
        t = runs[0]
        rest = CAPTION.sub("", t.text, 1).lstrip(" ：:　")
        runs = [Text(rest, t.bold, t.italic)] + runs[1:]
    return _strip_runs(runs)


def _plain(text: str) -> str:
    """A paragraph's text on one line: a line break reads as a space (a long title set on two
    lines by turning its space into a break), except before a dash (——副标题)."""
    out = ""
    for part in (s.strip() for s in text.replace("\t", " ").split("\n")):
        if part:
            out += (" " if out and not part.startswith("—") else "") + part
    return " ".join(out.split(" ")) if out else ""


def _looks_like_file(s: str) -> bool:
    return bool(re.search(r"\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg)$", s, re.IGNORECASE)) or s.startswith("图片")


def parse_author(lines: list[str]) -> dict:
    """The author block as the sample writes it: a line 单位 姓名, then （作者单位：… 职务职称：…
    通讯地址：… 邮编：… 电子邮箱：… 联系电话：…）, on as many lines as it takes."""
    text = " ".join(" ".join(l.split()) for l in lines)
    author: dict = {}
    labels = "|".join(_AUTHOR_LABELS + ("作者", "姓名"))
    for m in re.finditer(rf"({labels})\s*[：:]\s*(.*?)(?=\s*(?:{labels})\s*[：:]|[）)]\s*$|$)", text):
        key = _AUTHOR_KEYS.get(m.group(1))
        value = m.group(2).strip().strip("（）() ")
        if key and value:
            author[key] = value
        elif m.group(1) in ("作者", "姓名") and value:
            author["name"] = value
    if "name" not in author and lines:
        first = " ".join(lines[0].split())
        if "：" not in first and ":" not in first:
            unit = author.get("unit", "")
            rest = first.replace(unit, "", 1).strip() if unit and unit in first else first.split(" ")[-1]
            if rest and len(rest) <= 10:
                author["name"] = rest
                if not unit and " " in first:
                    author["unit"] = first.rsplit(" ", 1)[0]
    return author
