"""Read manuscript.md (YAML front matter + CommonMark with GFM tables and footnotes) into a
``Manuscript``.

Every construct the report cannot print (raw HTML, code blocks, block quotes, nested lists,
headings deeper than ####, footnotes defined but unused or used but undefined, an image inside
running text) is an error naming file:line: text is never dropped silently. Heading-numbering
slips are warnings.

Figures and captions follow pandoc and pandoc-crossref: ``![图题](images/x.png){#fig:key
width=60%}`` alone in a paragraph is a ``Figure`` (the path relative to the manuscript's
folder, the image checked here); a paragraph ``表：表题 {#tbl:key}`` (or ``Table: …``) just
before a table is its caption (``Table: …`` may also follow it, as pandoc allows);
``@fig:key`` / ``@tbl:key`` (or ``[@fig:key]``) in the text is a ``Ref``. Numbers are not
given here: ``layout.captions`` numbers every caption and resolves every reference, whatever
the reader.
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
    Cell, Figure, Footnote, Heading, Inline, ListBlock, NoteRef, Paragraph, Ref, Row, Table, Text,
    plain_text, width_in_chars,
)
from closure_app.errors import Finding, InvalidInput, Place
from closure_app.models.manuscript import (
    FrontMatter, Manuscript, is_references_heading, space_between,
)
from closure_app.numbering import check_heading_numbering
from closure_app.sources.files import read_text
from closure_app.sources.validation import Wording, read_model
from closure_app.sources.yaml_positions import unprintable_characters


@dataclass
class LoadedManuscript:
    manuscript: Manuscript
    findings: list[Finding]          # warnings only: errors raise InvalidInput


def _markdown() -> MarkdownIt:
    return (MarkdownIt("commonmark").enable("table")
            .use(front_matter_plugin).use(footnote_plugin))


def load_manuscript(path: Path) -> LoadedManuscript:
    """Read and check a manuscript file; raise UsageError/InvalidInput with Chinese messages."""
    path = Path(path)
    return parse_manuscript(read_text(path, "书稿"), str(path), base=path.resolve().parent)


def parse_manuscript(text: str, file: str = "<text>", base: Optional[Path] = None) -> LoadedManuscript:
    """Parse manuscript text; raise InvalidInput carrying every error (and the warnings).
    Image paths are relative to ``base`` (the manuscript's folder; default the current one)."""
    env: dict = {}
    tree = SyntaxTreeNode(_markdown().parse(text, env))
    reader = _BodyReader(file, Path(base) if base is not None else Path.cwd())
    front: Optional[FrontMatter] = None
    front_node = tree.children[0] if tree.children and tree.children[0].type == "front_matter" else None
    if front_node:
        front = _read_front_matter(front_node, file, reader.findings, text)
    elif _FRONT_OPENING.match(text):     # opened, and the parser found no closing line
        raise InvalidInput([Finding(Place(file, 1), "第 1 行开始的 YAML 前言没有结束的 ---："
                                                    "请在前言最后一行之后另起一行写 ---")])
    else:
        reader.error(1, "缺少开头的 YAML 前言：以 --- 开始和结束，写明 title、author、abstract、keywords")
    reader.read(tree.children)
    front_lines = range(front_node.map[0] + 1, front_node.map[1] + 1) if front_node else range(0)  # the YAML says its own
    reader.findings += [Finding(Place(file, p.position.line, p.position.column), p.message)
                        for p in unprintable_characters(text, front_lines)]
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


def _read_front_matter(node: SyntaxTreeNode, file: str, findings: list[Finding], text: str) -> Optional[FrontMatter]:
    """The front matter checked; its findings name the Markdown file's own lines. The YAML is
    taken from the file as written (markdown-it turns NUL into U+FFFD, which would hide it)."""
    first_line = node.map[0] + 2          # the line after the opening ---
    lines = re.sub(r"\r\n?", "\n", text).split("\n")
    raw = "".join(line + "\n" for line in lines[node.map[0] + 1:node.map[1] - 1])
    reading = read_model(raw, FrontMatter, file, FRONT_WORDING, first_line)
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

    def __init__(self, file: str, base: Path):
        self.file = file
        self.base = base
        self.pending_caption: Optional[tuple[list[Inline], Optional[str], int]] = None
        self.body: list = []
        self.footnotes: dict[int, Footnote] = {}
        self.findings: list[Finding] = []
        self.in_references = False

    def error(self, line: Optional[int], message: str) -> None:
        self.findings.append(Finding(Place(self.file, line), message))

    def read(self, nodes: list[SyntaxTreeNode]) -> None:
        for i, node in enumerate(nodes):
            line = node.map[0] + 1 if node.map else None
            if node.type == "front_matter":
                continue
            following = nodes[i + 1].type if i + 1 < len(nodes) else None
            if node.type == "paragraph" and self._caption_paragraph(node, line, following):
                continue
            if node.type != "table":                 # a caption is only ever pending just before one
                self.pending_caption = None
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
        if any(c.type == "image" for c in node.children[0].children):
            self._figure(node, line)
            return
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
        table = Table(rows, column_widths(rows), line=line)
        if self.pending_caption is not None:
            table.caption, table.label, _ = self.pending_caption
            self.pending_caption = None
        return table

    # ---- figures and captions ----

    def _figure(self, node: SyntaxTreeNode, line: int) -> None:
        """A paragraph holding an image: the image alone (its {attributes} after it) is a figure."""
        children = [c for c in node.children[0].children
                    if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"]
        image = children[0]
        rest = children[1:]
        attrs_text = rest[0].content.strip() if len(rest) == 1 and rest[0].type == "text" else None
        if image.type != "image" or rest and (attrs_text is None or not _ATTRS.fullmatch(attrs_text)):
            self.error(line, "图片要单独成段（前后空一行）：![图题](路径){#fig:标签}；"
                             "不能夹在文字中间，也不能一段放两张图")
            return
        if self.in_references:
            self.error(line, "参考文献下不能放图片")
            return
        attrs = self._attributes(attrs_text or "", line, "fig", ("width",))
        if attrs is None:
            return
        label, values = attrs
        width = self._width(values.get("width"), line)
        from urllib.parse import unquote

        src = unquote(str(image.attrs.get("src", "")).strip())     # markdown-it percent-encodes it
        if not src:
            self.error(line, "图片没有写路径：![图题](images/图片.png)")
            return
        if "://" in src:
            self.error(line, f"图片 {src} 是网址：请下载到书稿旁的文件夹，写相对路径（如 images/图片.png）")
            return
        path = Path(src)
        path = path if path.is_absolute() else self.base / path
        from closure_app.images import ImageProblem, probe

        try:
            probe(path)
        except ImageProblem as problem:
            self.error(line, f"{problem.message}（![…]({src})）")
            return
        caption = self.inline(image, line)
        self.body.append(Figure(path=path, caption=_strip_runs(caption), width=width, label=label, line=line))

    def _caption_paragraph(self, node: SyntaxTreeNode, line: int, following: Optional[str]) -> bool:
        """``表：表题 {#tbl:key}`` / ``Table: 表题`` just before a table (or ``Table:`` just after
        one) is that table's caption: True when ``node`` was taken as one."""
        inline = node.children[0]
        first = inline.children[0] if inline.children else None
        if first is None or first.type != "text":
            return False
        m = _CAPTION_PREFIX.match(first.content)
        if not m:
            return False
        pandoc_style = not m.group(0).startswith("表")
        before = following == "table"
        previous = self.body[-1] if self.body else None
        after = (pandoc_style and not before and isinstance(previous, Table) and not previous.caption
                 and previous.label is None)
        if not before and not after:
            if pandoc_style or _ATTRS_AT_END.search(inline.content):
                self.error(line, "表题要紧挨在表格之前（表：表题 {#tbl:标签}，下一行即是表格）")
                return True
            return False                                  # a sentence that opens with 表：
        runs = self.inline(inline, line)
        runs = _strip_prefix(runs, len(m.group(0)))
        label = None
        tail = _last_text(runs)
        found = _ATTRS_AT_END.search(tail.text) if tail is not None else None
        if found:
            attrs = self._attributes(found.group(0), line, "tbl", ())
            if attrs is None:
                return True
            label = attrs[0]
            tail.text = tail.text[:found.start()]
        runs = _strip_runs(runs)
        if not runs:
            self.error(line, "表题是空的：表：表题")
            return True
        if after:
            previous.caption, previous.label = runs, label
        else:
            self.pending_caption = (runs, label, line)
        return True

    def _attributes(self, text: str, line: int, kind: str, keys: tuple[str, ...]):
        """``{#fig:key width=60%}`` -> (label, {key: value}); None (and an error) when wrong."""
        label = None
        values: dict[str, str] = {}
        body = text.strip()[1:-1] if text.strip() else ""
        for token in _ATTR_TOKEN.finditer(body):
            ident, key, value = token.group("id"), token.group("key"), token.group("value")
            if ident is not None:
                if not ident.startswith(f"{kind}:") or len(ident) == len(kind) + 1:
                    what = "图" if kind == "fig" else "表"
                    self.error(line, f"{what}的标签应以 {kind}: 开头，如 {{#{kind}:甲}} 写作 {{#{kind}:key}}"
                                     f"（这里是 #{ident}）")
                    return None
                label = ident
            elif key is not None:
                if key not in keys:
                    allowed = "、".join(keys) or "无"
                    self.error(line, f"不支持的属性 {key}（这里可用的属性：{allowed}）")
                    return None
                values[key] = value.strip('"\'')
            else:
                self.error(line, f"不支持的写法 {token.group(0)}（属性只能是 #{kind}:标签 或 键=值）")
                return None
        return label, values

    def _width(self, value: Optional[str], line: int) -> Optional[float]:
        if value is None:
            return None
        m = re.fullmatch(r"(\d+(?:\.\d+)?)%", value.strip())
        if not m or not 0 < float(m.group(1)) <= 100:
            self.error(line, f"width={value} 不对：宽度写成版心宽度的百分比，1% 到 100%，如 width=60%")
            return None
        return float(m.group(1)) / 100

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


_CAPTION_PREFIX = re.compile(r"^\s*(?:表\s*[：:]|[Tt]able\s*:|:(?=\s))\s*")
_ATTRS = re.compile(r"\{[^{}]*\}")
_ATTRS_AT_END = re.compile(r"\s*\{[^{}]*#(?:tbl|fig):[^{}]*\}\s*$")
_ATTR_TOKEN = re.compile(r"#(?P<id>[^\s}]+)|(?P<key>[A-Za-z_][\w-]*)=(?P<value>\"[^\"]*\"|'[^']*'|\S+)|\S+")
_REF = re.compile(r"\[@((?:fig|tbl):[A-Za-z0-9_\-]+(?:[.:][A-Za-z0-9_\-]+)*)\]"
                  r"|@((?:fig|tbl):[A-Za-z0-9_\-]+(?:[.:][A-Za-z0-9_\-]+)*)")


def _last_text(runs: list[Inline]) -> Optional[Text]:
    return next((r for r in reversed(runs) if isinstance(r, Text)), None)


def _strip_prefix(runs: list[Inline], n: int) -> list[Inline]:
    """``runs`` without their first ``n`` characters (a caption's 表： prefix)."""
    out = list(runs)
    while n > 0 and out and isinstance(out[0], Text):
        head = out[0]
        if len(head.text) <= n:
            n -= len(head.text)
            out.pop(0)
        else:
            out[0] = Text(head.text[n:], head.bold, head.italic, head.sup, head.sub)
            n = 0
    return out


def _strip_runs(runs: list[Inline]) -> list[Inline]:
    """Runs without leading and trailing spaces (and without runs left empty)."""
    out = [r for r in runs if not isinstance(r, Text) or r.text]
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip(), out[0].bold, out[0].italic, out[0].sup, out[0].sub)
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip(), out[-1].bold, out[-1].italic, out[-1].sup, out[-1].sub)
    return [r for r in out if not isinstance(r, Text) or r.text]


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

    def add_with_refs(self, text: str, bold: bool, italic: bool) -> None:
        """Text in which @fig:key / @tbl:key (or [@fig:key]) are cross-references."""
        pos = 0
        for m in _REF.finditer(text):
            self.add(text[pos:m.start()], bold, italic)
            self.runs.append(Ref(m.group(1) or m.group(2), line=self.line, bold=bold, italic=italic))
            pos = m.end()
        self.add(text[pos:], bold, italic)

    def walk(self, nodes: list[SyntaxTreeNode], bold: bool, italic: bool) -> None:
        for node in nodes:
            t = node.type
            if t == "text":
                for m in _UNDEFINED_NOTE.finditer(node.content):   # [^x] left as text: no [^x]: …
                    self.body.error(self.line, f"脚注 [^{m.group(1)}] 没有定义（缺少 [^{m.group(1)}]: 脚注内容）")
                self.add_with_refs(node.content, bold, italic)
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
                self.body.error(self.line, f"图片要单独成段（前后空一行），不能放在这里："
                                           f"{node.attrs.get('src', '')}")
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
