"""The manuscript model -> manuscript.md text (the contract ``sources.manuscript`` reads back).

Used by ``import``: what a Word file gave becomes an editable Markdown source. Text is escaped
so that it reads back as the same text; bold spans keep punctuation outside the ``**`` (a
CommonMark delimiter next to Chinese punctuation would not open or close).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

import yaml

from closure_app.blocks import Figure, Heading, Inline, ListBlock, NoteRef, Paragraph, Table, Text
from closure_app.models.manuscript import space_between

_ESCAPE = re.compile(r"([\\`*_\[\]<>&])")
_LINE_START = re.compile(r"^(#|>|[-+*](?=\s)|\d+(?=[.)]))")
_AUTHOR_ORDER = [("name", "姓名"), ("unit", "作者单位"), ("position", "职务职称"), ("address", "通讯地址"),
                 ("postcode", "邮编（6 位数字，加引号）"), ("email", "电子邮箱"), ("phone", "联系电话（加引号）")]


def _scalar(value: str) -> str:
    out = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9).strip()
    return out[:-4].strip() if out.endswith("\n...") else out.removesuffix("...").strip()


def front_matter_text(front: dict) -> str:
    lines = ["---"]
    title = front.get("title") or ""
    lines.append(f"title: {_scalar(title)}" if title else 'title: ""          # 待填写：主标题')
    lines.append("author:")
    author = front.get("author") or {}
    for key, label in _AUTHOR_ORDER:
        value = author.get(key, "")
        value = str(value)
        lines.append(f"  {key}: {_scalar(value)}   # {label}" if value else f'  {key}: ""   # 待填写：{label}')
    abstract = front.get("abstract") or ""
    if abstract:
        lines.append("abstract: |")
        lines += [f"  {l}" if l else "" for l in abstract.split("\n")]
    else:
        lines.append('abstract: ""          # 待填写：摘要，段落之间空一行')
    keywords = front.get("keywords") or []
    if keywords:
        lines.append("keywords: [" + ", ".join(_scalar(k) for k in keywords) + "]")
    else:
        lines.append("keywords: []          # 待填写：关键词列表，如 [科技创新, 产业创新]")
    lines.append("---")
    return "\n".join(lines)


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P") or unicodedata.category(ch).startswith("S")


def _flanks(inside: str, outside: Optional[str]) -> bool:
    """Whether a ** or * delimiter between ``outside`` (None: the start or end of the text) and
    ``inside`` (the emphasised text's first or last character) opens or closes emphasis
    (CommonMark's flanking rule: next to punctuation inside, it needs space or punctuation outside)."""
    if inside.isspace():
        return False
    return not _is_punct(inside) or outside is None or outside.isspace() or _is_punct(outside)


def _next_char(runs: list[Inline], k: int) -> Optional[str]:
    """The first character written after run ``k``: a marked-up run starts with * or <."""
    for r in runs[k + 1:]:
        if isinstance(r, NoteRef):
            return "["
        if isinstance(r, Text) and r.text:
            if r.bold or r.italic or r.sup or r.sub:
                return "*"
            return r.text[0]
    return None


def inline(runs: list[Inline], note_label=str) -> str:
    out: list[str] = []
    for k, r in enumerate(runs):
        if isinstance(r, NoteRef):
            out.append(f"[^{note_label(r.number)}]")
            continue
        if not isinstance(r, Text) or not r.text:
            continue
        text = " ".join(r.text.split("\n"))
        body = escape(text)
        if r.sup:
            body = f"<sup>{body}</sup>"
        elif r.sub:
            body = f"<sub>{body}</sub>"
        if r.bold or r.italic:
            lead = len(text) - len(text.lstrip(" "))
            trail = len(text) - len(text.rstrip(" "))
            core = text.strip(" ")
            before = " " if lead else ("".join(out)[-1:] or None)
            after = " " if trail else _next_char(runs, k)
            # punctuation at an edge stays inside the emphasis where the delimiter still flanks,
            # else it moves outside (“**加粗**”后文: a closing ** after ” before 后 would not close)
            i, j = 0, len(core)
            while i < j and not _flanks(core[i], before if i == 0 else core[i - 1]):
                i += 1
            while j > i and not _flanks(core[j - 1], after if j == len(core) else core[j]):
                j -= 1
            if i == j:
                out.append(body)
                continue
            mark = "**" if r.bold else "*"
            if r.bold and r.italic:
                mark = "***"
            inner = escape(core[i:j])
            if r.sup:
                inner = f"<sup>{inner}</sup>"
            elif r.sub:
                inner = f"<sub>{inner}</sub>"
            body = " " * lead + escape(core[:i]) + mark + inner + mark + escape(core[j:]) + " " * trail
        out.append(body)
    return "".join(out)


def _line(text: str) -> str:
    """A paragraph's text, safe at the start of a line."""
    text = text.strip()
    m = _LINE_START.match(text)
    if m:
        text = text[: m.end()] + "\\" + text[m.end():] if m.group(1)[0].isdigit() else "\\" + text
    return text


def to_markdown(front: dict, body: list, footnotes: dict) -> str:
    """The whole manuscript.md."""
    parts = [front_matter_text(front)]
    delimiter = "."
    for i, block in enumerate(body):
        if isinstance(block, Heading):
            text = inline(block.runs).replace("\n", " ").strip()
            parts.append("#" * block.level + " " + text)
        elif isinstance(block, Paragraph):
            parts.append(_line(inline(block.runs)))
        elif isinstance(block, ListBlock):
            # two lists in a row read back as one unless the second changes its delimiter
            follows = i > 0 and isinstance(body[i - 1], ListBlock) and body[i - 1].ordered == block.ordered
            delimiter = {".": ")", ")": "."}[delimiter] if follows else "."
            items = []
            for k, item in enumerate(block.items):
                marker = f"{block.start + k}{delimiter}" if block.ordered else ("*" if delimiter == ")" else "-")
                items.append(f"{marker} {_line(inline(item))}")
            parts.append("\n".join(items))
        elif isinstance(block, Table):
            if block.caption:
                parts.append("表：" + inline(block.caption))
            parts.append(table_text(block))
        elif isinstance(block, Figure):
            caption = inline(block.caption).replace("\n", " ") if block.caption else ""
            parts.append(f"![{caption}]({block.path.as_posix()})")
    if footnotes:
        parts.append("\n".join(f"[^{n}]: {inline(note.runs)}" for n, note in sorted(footnotes.items())))
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def table_text(table: Table) -> str:
    """A GFM pipe table; a merged cell's text stands in its first place, the others empty."""
    n = table.n_cols
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, row in enumerate(table.rows):
        cells: list[str] = []
        it = iter(row.cells)
        col = 0
        while col < n:
            if (r, col) in pending:
                cells.append(pending.pop((r, col)))
                col += 1
                continue
            cell = next(it, None)
            if cell is None:
                cells.append("")
                col += 1
                continue
            text = ""
            for para in cell.paragraphs:          # a pipe-table cell holds one paragraph
                part = inline(para.runs)
                if part:
                    text += space_between(text, part) + part if text else part
            text = text.replace("|", "\\|").replace("\n", " ")
            cells.append(text)
            for k in range(1, cell.colspan):
                cells.append("")
            for rr in range(1, cell.rowspan):
                for k in range(cell.colspan):
                    pending[(r + rr, col + k)] = ""
            col += cell.colspan
        grid.append(cells[:n])
    if not grid:
        return ""
    lines = ["| " + " | ".join(c or " " for c in grid[0]) + " |", "|" + "---|" * n]
    lines += ["| " + " | ".join(c or " " for c in row) + " |" for row in grid[1:]]
    return "\n".join(lines)


def markdown_losses(body: list) -> list[tuple[Optional[int], str]]:
    """What the Markdown cannot say of the body: (paragraph of the source, message)."""
    out = []
    for block in body:
        if not isinstance(block, Table):
            continue
        cells = [c for r in block.rows for c in r.cells]
        if any(c.colspan > 1 or c.rowspan > 1 for c in cells):
            out.append((block.line, "表格中的合并单元格无法写成 Markdown 表格：已拆开，文字留在合并区域的第一格，"
                                    "其余留空（用 build --manuscript 直接从 Word 文件生成可保留合并）"))
        if any(len([p for p in c.paragraphs if p.runs]) > 1 for c in cells):
            out.append((block.line, "表格单元格中的多个段落在 Markdown 表格中合为一段"))
    return out
