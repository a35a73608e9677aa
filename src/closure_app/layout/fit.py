"""What can never be typeset: a block that does not split over pages and is taller than one.

A heading, a table row and a footnote are kept whole on their page; one taller than the text
block cannot be set at all. ``too_tall`` finds them before any rendering, from the same
character-width estimate the form's boxes use, so validate refuses what build would refuse,
with the line (a Markdown line, or a Word file's paragraph) and what to do about it.
"""
from __future__ import annotations

import math

from closure_app.blocks import Footnote, Heading, Inline, Table, Text, width_in_chars
from closure_app.errors import Finding, Place
from closure_app.profile import Profile

PAGE = "report"


def _text(runs: list[Inline]) -> str:
    return "".join(r.text for r in runs if isinstance(r, Text))


def lines_needed(text: str, width_pt: float, size_pt: float, indent_chars: float = 0) -> int:
    """Lines ``text`` wraps to in ``width_pt`` at ``size_pt``, whole characters to a line."""
    per_line = max(1, math.floor(width_pt / size_pt))
    return max(1, math.ceil((width_in_chars(text) + indent_chars) / per_line))


def too_tall(body: list, footnotes: dict[int, Footnote], profile: Profile, source: str) -> list[Finding]:
    page = profile.page(PAGE)
    height, width = page.text_height_pt, page.text_width_pt
    found: list[Finding] = []
    for block in body:
        if isinstance(block, Heading):
            role = profile.role(block.role)
            n = lines_needed(_text(block.runs), width, role.size_pt, role.first_line_chars)
            if n * profile.line_pitch(block.role, PAGE) > height:
                found.append(Finding(Place(source, block.line),
                                     f"标题太长（约 {len(_text(block.runs))} 字，排出来比一页还高，无法排版）："
                                     "标题应是一句话，请把说明文字移到标题下的正文里"))
        elif isinstance(block, Table) and block.rows:
            found += _rows(block, profile, width, height, source)
    note = profile.role("footnote")
    room = height - 2 * profile.line_pitch("body", PAGE)      # a note shares its page with its line
    for number, fn in sorted(footnotes.items()):
        n = lines_needed(_text(fn.runs), width, note.size_pt)
        if n * profile.line_pitch("footnote", PAGE) > room:
            found.append(Finding(Place(source, fn.line), f"脚注 {number} 太长（排出来比一页还高，无法排在页下）：请精简，或改写进正文"))
    return found


def _rows(table: Table, profile: Profile, width: float, height: float, source: str) -> list[Finding]:
    role = profile.role(table.role if table.role in profile.roles else "table")
    total = sum(table.col_widths) or 1
    cols = [w * width / total for w in table.col_widths]
    pitch = profile.line_pitch(role_name(table, profile), PAGE)
    out = []
    for r, row in enumerate(table.rows, start=1):
        col, tallest = 0, 0
        for cell in row.cells:
            inside = max(role.size_pt, sum(cols[col:col + cell.colspan]) - role.size_pt)   # padding: about a character
            lines = sum(lines_needed(p.text, inside, role.size_pt) for p in cell.paragraphs) or 1
            tallest = max(tallest, lines)
            col += cell.colspan
        if tallest * pitch > height:
            line = next((p.line for c in row.cells for p in c.paragraphs if p.line), table.line)
            out.append(Finding(Place(source, line), f"表格第 {r} 行有一格太长（排出来比一页还高，表格的一行不能跨页）："
                                                     "请把长段文字移到表格外的正文里，或拆成几行"))
    return out


def role_name(table: Table, profile: Profile) -> str:
    return table.role if table.role in profile.roles else "table"
