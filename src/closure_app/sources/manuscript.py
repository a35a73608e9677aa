"""Read manuscript.md (YAML front matter + CommonMark with GFM tables and footnotes) into a
``Manuscript``.

Every construct the report cannot print (raw HTML, images, code blocks, block quotes, nested
lists, headings deeper than ####, footnotes defined but unused or used but undefined) is an
error naming file:line: text is never dropped silently. Heading-numbering slips are warnings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from closure_app.blocks import (
    Cell, Footnote, Heading, Inline, ListBlock, NoteRef, Paragraph, Row, Table, Text, plain_text,
    width_in_chars,
)
from closure_app.errors import Finding, InvalidInput, Place
from closure_app.models.manuscript import (
    FrontMatter, Manuscript, is_references_heading, space_between,
)
from closure_app.numbering import check_heading_numbering
from closure_app.sources.files import read_text
from closure_app.sources.validation import Wording, read_model


@dataclass
class LoadedManuscript:
    manuscript: Manuscript
    findings: list[Finding]          # warnings only: errors raise InvalidInput


def _markdown() -> MarkdownIt:
    return (MarkdownIt("commonmark").enable("table")
            .use(front_matter_plugin).use(footnote_plugin))


def load_manuscript(path: Path) -> LoadedManuscript:
    """Read and check a manuscript file; raise UsageError/InvalidInput with Chinese messages."""
    return parse_manuscript(read_text(Path(path), "书稿"), str(path))


def parse_manuscript(text: str, file: str = "<text>") -> LoadedManuscript:
    """Parse manuscript text; raise InvalidInput carrying every error (and the warnings)."""
    env: dict = {}
    tree = SyntaxTreeNode(_markdown().parse(text, env))
    reader = _BodyReader(file)
    front: Optional[FrontMatter] = None
    front_node = tree.children[0] if tree.children and tree.children[0].type == "front_matter" else None
    if front_node:
        front = _read_front_matter(front_node, file, reader.findings)
    elif _FRONT_OPENING.match(text):     # opened, and the parser found no closing line
        raise InvalidInput([Finding(Place(file, 1), "第 1 行开始的 YAML 前言没有结束的 ---："
                                                    "请在前言最后一行之后另起一行写 ---")])
    else:
        reader.error(1, "缺少开头的 YAML 前言：以 --- 开始和结束，写明 title、author、abstract、keywords")
    reader.read(tree.children)
    reader.unused_footnotes(env, text)
    if len(tree.children) == (1 if front_node else 0):
        reader.error(front_node.map[1] + 1 if front_node else 1, "正文为空：至少需要一章（在前言之后写 # 第一章 ……，下面写正文）")
    warnings = check_heading_numbering([b for b in reader.body if isinstance(b, Heading)], file)
    warnings += [Finding(Place(file, h.line), f"标题「{h.text}」下面没有内容：请补写正文，或删去这个标题",
                         "warning") for h in empty_sections(reader.body)]
    findings = sorted(reader.findings + warnings, key=lambda f: f.place.line or 0)
    if front is None or any(f.severity == "error" for f in findings):
        raise InvalidInput(findings)
    manuscript = Manuscript(front=front, body=reader.body, footnotes=reader.footnotes)
    return LoadedManuscript(manuscript, findings)


def empty_sections(body: list) -> list[Heading]:
    """Headings with nothing under them: the next block is a heading of the same or a higher
    level (or there is none). A sub-heading counts as content."""
    following = body[1:] + [None]
    return [block for block, after in zip(body, following) if isinstance(block, Heading)
            and (after is None or isinstance(after, Heading) and after.level <= block.level)]


# ---- front matter ----------------------------------------------------------------------

_FRONT_OPENING = re.compile(r"\A---+[ \t]*(\r?\n|\Z)")

FRONT_WORDING = Wording(
    key_noun="键",
    empty="YAML 前言是空的：请写明 title、author、abstract、keywords",
    not_mapping="YAML 前言应为若干“键: 值”（title: …）",
)


def _read_front_matter(node: SyntaxTreeNode, file: str, findings: list[Finding]) -> Optional[FrontMatter]:
    """The front matter checked; its findings name the Markdown file's own lines."""
    first_line = node.map[0] + 2          # the line after the opening ---
    reading = read_model(node.content, FrontMatter, file, FRONT_WORDING, first_line)
    findings.extend(reading.findings)
    return reading.value


# ---- body ------------------------------------------------------------------------------

_UNSUPPORTED_BLOCKS = {
    "html_block": "HTML 代码块（请改用 Markdown 写法）",
    "code_block": "缩进代码块（行首 4 个空格；正文请顶格写）",
    "fence": "代码块（```）",
    "blockquote": "引用块（>）",
    "hr": "分隔线（---、***）",
}
_UNDEFINED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")


class _BodyReader:
    """Walks the block tree in order, building body blocks and collecting findings."""

    def __init__(self, file: str):
        self.file = file
        self.body: list = []
        self.footnotes: dict[int, Footnote] = {}
        self.findings: list[Finding] = []
        self.in_references = False

    def error(self, line: Optional[int], message: str) -> None:
        self.findings.append(Finding(Place(self.file, line), message))

    def read(self, nodes: list[SyntaxTreeNode]) -> None:
        for node in nodes:
            line = node.map[0] + 1 if node.map else None
            if node.type == "front_matter":
                continue
            if node.type == "heading":
                self._heading(node, line)
            elif node.type == "paragraph":
                self._paragraph(node, line)
            elif node.type in ("ordered_list", "bullet_list"):
                self._list(node, line)
            elif node.type == "table":
                self.body.append(self._table(node, line))
            elif node.type == "footnote_block":
                self._footnotes(node)
            else:
                what = _UNSUPPORTED_BLOCKS.get(node.type, node.type)
                self.error(line, f"不支持的写法：{what}")

    def _heading(self, node: SyntaxTreeNode, line: int) -> None:
        level = int(node.tag[1])
        if level > 4:
            self.error(line, f"标题最多四级（####），这里是 {level} 级（{'#' * level}）")
            return
        heading = Heading(level, self.inline(node.children[0], line), in_toc=level <= 3, line=line)
        self.in_references = is_references_heading(heading) or (self.in_references and level > 1)
        self.body.append(heading)

    def _paragraph(self, node: SyntaxTreeNode, line: int) -> None:
        runs = self.inline(node.children[0], line)
        if self.in_references:
            self.error(line, "参考文献下应为编号列表（1. 作者. 题名……），每条一项")
        self.body.append(Paragraph(runs, line=line))

    def _list(self, node: SyntaxTreeNode, line: int) -> None:
        items = []
        for item in node.children:
            item_line = item.map[0] + 1
            kinds = [c.type for c in item.children]
            if any(k != "paragraph" for k in kinds):
                self.error(item_line, "不支持的写法：列表项里的嵌套列表或其他块（列表只支持一层，每项一段）")
                continue
            if len(kinds) > 1:
                self.error(item_line, "列表项只能有一段文字：请把后面的段落写成单独的段落")
                continue
            items.append(self.inline(item.children[0].children[0], item_line) if kinds else [])
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        if self.in_references:
            if not ordered:
                self.error(line, "参考文献请写成编号列表（1. 2. 3. ……），不要用 - 或 *")
            self.body.append(ListBlock(items, True, start, label="[{n}]", role="reference", line=line))
        else:
            self.body.append(ListBlock(items, ordered, start, line=line))

    def _table(self, node: SyntaxTreeNode, line: int) -> Table:
        rows = []
        for section in node.children:                      # thead, tbody
            for tr in section.children:
                row_line = tr.map[0] + 1 if tr.map else line
                cells = [self._cell(td, row_line) for td in tr.children]
                rows.append(Row(cells, header=section.type == "thead"))
        return Table(rows, column_widths(rows), line=line)

    def _cell(self, td: SyntaxTreeNode, line: int) -> Cell:
        style = str(td.attrs.get("style", ""))
        align = style.removeprefix("text-align:") if style.startswith("text-align:") else "left"
        runs = self.inline(td.children[0], line) if td.children else []
        return Cell([Paragraph(runs, role="table", align=align, first_line_chars=0, line=line)],
                    align=align)

    def _footnotes(self, block: SyntaxTreeNode) -> None:
        for note in block.children:
            number = note.meta["id"] + 1               # numbered by first reference already
            paragraphs = [c for c in note.children if c.type == "paragraph"]
            line = paragraphs[0].map[0] + 1 if paragraphs else None
            if len(paragraphs) != 1 or len(paragraphs) != len(note.children):
                self.error(line, f"脚注 [^{note.meta['label']}] 只能是一段文字")
            runs = self.inline(paragraphs[0].children[0], line) if paragraphs else []
            self.footnotes[number] = Footnote(number, runs, line=line)

    def unused_footnotes(self, env: dict, text: str) -> None:
        refs = env.get("footnotes", {}).get("refs", {})
        lines = text.splitlines()
        for label in (k[1:] for k, v in refs.items() if v < 0):
            pattern = re.compile(rf"^ {{0,3}}\[\^{re.escape(label)}\]:")
            line = next((i + 1 for i, l in enumerate(lines) if pattern.match(l)), None)
            self.error(line, f"脚注 [^{label}] 有定义，但正文没有引用它")

    # ---- inline ----

    def inline(self, node: SyntaxTreeNode, line: int) -> list[Inline]:
        reader = _InlineReader(self, line)
        reader.walk(node.children, bold=False, italic=False)
        return reader.runs


def column_widths(rows: list[Row]) -> list[float]:
    """Relative column widths by the longest text in each column, kept between 2 and 20."""
    n = max((len(r.cells) for r in rows), default=0)
    longest = [2] * n
    for row in rows:
        for i, cell in enumerate(row.cells):
            text = "".join(p.text for p in cell.paragraphs)
            longest[i] = max(longest[i], min(width_in_chars(text), 20))
    return [float(w) for w in longest]


class _InlineReader:
    """Inline tokens -> runs. Bold/italic come from nesting; <sup>/<sub> from open/close tags."""

    def __init__(self, body: _BodyReader, line: int):
        self.body = body
        self.line = line
        self.runs: list[Inline] = []
        self.sup = self.sub = False

    def add(self, text: str, bold: bool, italic: bool) -> None:
        if text:
            self.runs.append(Text(text, bold, italic, self.sup, self.sub))

    def walk(self, nodes: list[SyntaxTreeNode], bold: bool, italic: bool) -> None:
        for node in nodes:
            t = node.type
            if t == "text":
                for m in _UNDEFINED_NOTE.finditer(node.content):   # [^x] left as text: no [^x]: …
                    self.body.error(self.line, f"脚注 [^{m.group(1)}] 没有定义（缺少 [^{m.group(1)}]: 脚注内容）")
                self.add(node.content, bold, italic)
            elif t == "code_inline":
                self.add(node.content, bold, italic)
            elif t == "strong":
                self.walk(node.children, True, italic)
            elif t == "em":
                self.walk(node.children, bold, True)
            elif t in ("softbreak", "hardbreak"):
                self.line += 1
                self.add(space_between(self._last_text(), self._peek(node)), bold, italic)
            elif t == "footnote_ref":
                self.runs.append(NoteRef(node.meta["id"] + 1))
            elif t == "link":
                self._link(node, bold, italic)
            elif t == "html_inline":
                self._html(node.content.strip().lower())
            elif t == "image":
                self.body.error(self.line, f"不支持图片：{node.attrs.get('src', '')}")
            else:
                self.body.error(self.line, f"不支持的写法：{t}")

    def _last_text(self) -> str:
        return next((r.text for r in reversed(self.runs) if isinstance(r, Text)), "")

    @staticmethod
    def _peek(node: SyntaxTreeNode) -> str:
        nxt = node.next_sibling
        while nxt is not None and nxt.type != "text" and nxt.children:
            nxt = nxt.children[0]
        return nxt.content if nxt is not None else ""

    def _link(self, node: SyntaxTreeNode, bold: bool, italic: bool) -> None:
        start = len(self.runs)
        self.walk(node.children, bold, italic)
        visible = plain_text(self.runs[start:])
        href = str(node.attrs.get("href", ""))
        if href and href not in (visible, f"mailto:{visible}"):
            self.add(f"（{href}）", bold, italic)

    def _html(self, tag: str) -> None:
        flags = {"<sup>": ("sup", True), "</sup>": ("sup", False),
                 "<sub>": ("sub", True), "</sub>": ("sub", False)}
        if tag in flags:
            name, on = flags[tag]
            setattr(self, name, on)
        elif not tag.startswith("</"):    # the closing tag of one already reported
            self.body.error(self.line, f"不支持的 HTML 标签：{tag}（只支持 <sup> 和 <sub>）")


# ---- summary ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ManuscriptSummary:
    chapters: int
    sections: int
    paragraphs: int
    footnotes: int
    references: int
    characters: int

    def __str__(self) -> str:
        return (f"正文：{self.chapters} 章，{self.sections} 节，{self.paragraphs} 段，"
                f"{self.footnotes} 条脚注，{self.references} 条参考文献，共 {self.characters:,} 字")


def summarize(manuscript: Manuscript) -> ManuscriptSummary:
    """Counts a person checks against the report: chapters are level-1 headings but 参考文献;
    characters are the visible (non-space) characters of the body, footnotes left out."""
    headings = manuscript.headings()
    return ManuscriptSummary(
        chapters=sum(1 for h in headings if h.level == 1 and not is_references_heading(h)),
        sections=sum(1 for h in headings if h.level == 2),
        paragraphs=sum(1 for b in manuscript.body if isinstance(b, Paragraph)),
        footnotes=len(manuscript.footnotes),
        references=len(manuscript.references),
        characters=sum(_visible_chars(t) for t in _body_texts(manuscript)),
    )


def _body_texts(manuscript: Manuscript):
    for block in manuscript.body:
        if isinstance(block, (Heading, Paragraph)):
            yield block.text
        elif isinstance(block, ListBlock):
            yield from (plain_text(item) for item in block.items)
        elif isinstance(block, Table):
            yield from (p.text for row in block.rows for cell in row.cells for p in cell.paragraphs)


def _visible_chars(text: str) -> int:
    return sum(1 for c in text if not c.isspace())
