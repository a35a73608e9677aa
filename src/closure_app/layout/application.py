"""The application form (结项申请书) as document blocks, faithful to the official form.

Four A4 pages, one A3 sheet folded: 1 cover; 2 声明 and 填表说明; 3 一、项目变更情况数据表
(one table with the official merged cells); 4 the opinion boxes 二 to 五. The fixed texts
and the box sizes (in lines) are data in ``templates/form_text.yaml``; fonts, sizes and line
pitches come from the profile through the roles named here.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from closure_app.blocks import Block, Cell, Document, PageBreak, Paragraph, Row, Spacer, Table, Text, width_in_chars
from closure_app.models.form import ApplicationForm, ChangeTable, Leader, Member, label_of
from closure_app.profile import Profile

PAGE = "form"
TABLE_ROLE = "form_small"  # the 9-column table needs the smaller size to keep to one page


@lru_cache(maxsize=1)
def form_text() -> dict:
    """The official form's fixed texts and box sizes."""
    ref = Path(__file__).parent.parent / "templates" / "form_text.yaml"   # the package's folder
    if not ref.is_file():   # a package not unpacked into folders (importlib.resources costs ~5 ms)
        from importlib import resources

        ref = resources.files("closure_app") / "templates" / "form_text.yaml"
    # libyaml's safe loader where PyYAML has it (the same data, parsed in C: 1 ms instead of 10)
    return yaml.load(ref.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# ---- small pieces -----------------------------------------------------------------------------

def para(text: str, role: str, align: Optional[str] = None, indent: Optional[float] = 0,
         display: bool = False) -> Paragraph:
    return Paragraph([Text(text)], role=role, align=align, first_line_chars=indent, display=display)


def marked_options(options: list[str], chosen: Optional[str] = None) -> str:
    """['是', '否'], '否' -> '□是　√否': a box before each option, √ on the chosen one."""
    marks = form_text()["marks"]
    return "　".join(
        (marks["chosen"] if option.split("、")[-1] == chosen else marks["empty"]) + option for option in options
    )


def chinese_date(day: Optional[dt.date], blank: str) -> str:
    """2025-10-15 -> '2025 年 10 月 15 日'; no date -> the blank for handwriting."""
    return f"{day.year} 年 {day.month} 月 {day.day} 日" if day else blank


def chinese_year_month(year_month: str, blank: str) -> str:
    """'1980-05' -> '1980 年 5 月'."""
    if not year_month:
        return blank
    year, month = year_month.split("-")
    return f"{int(year)} 年 {int(month)} 月"


def _lines(profile: Profile, n: float) -> float:
    """Height of ``n`` lines of filled-in text, in points."""
    return n * profile.line_pitch("form_text", PAGE)


# ---- page 1: cover ------------------------------------------------------------------------------

def cover(form: ApplicationForm, profile: Profile) -> list[Block]:
    text = form_text()["cover"]
    values = {
        "project_id": form.project_id, "category": form.category, "project_name": form.project_name,
        "leader": form.leader, "unit": form.unit,
        "filled_on": chinese_date(form.filled_on, form_text()["opinions"]["date_blank"]),
    }
    blocks: list[Block] = [
        Spacer(_lines(profile, text["space_before_lines"])),
        para(text["header"], "form_title", "center"),
        para(text["title"], "form_doctitle", "center"),
        Spacer(_lines(profile, text["space_after_title_lines"])),
    ]
    # Labels 分散对齐 in one column, values in the next: long values wrap in their own column,
    # between words (display text).
    rows = [Row([Cell([para(label, "form_label", "distribute")], valign="top"),
                 Cell([para(values[name], "form_text", "left", display=True)], valign="top")],
                height_pt=_lines(profile, 1 + text["gap_lines"]))
            for name, label in text["labels"].items()]
    blocks.append(Table(rows, col_widths=text["column_chars"], role="form_text", borders=False))
    blocks += [
        Spacer(_lines(profile, text["space_before_issuer_lines"])),
        para(text["issuer"], "form_label", "center"),
        para(text["edition"], "form_label", "center"),
    ]
    return blocks


# ---- page 2: 声明 and 填表说明 ----------------------------------------------------------------------

def declaration(form: ApplicationForm) -> list[Block]:
    text = form_text()["declaration"]
    answers = {"sensitive": form.declaration.sensitive, "classified": form.declaration.classified}
    blocks: list[Block] = [
        para(text["title"], "form_heading", "center"),
        para(text["text"], "form_text", "justify", 2),
    ]
    for name, question in text["questions"].items():
        blocks.append(para(question + marked_options(text["options"], answers[name]), "form_text", "left", 2))
    blocks += [
        Paragraph([Text(text["signature"])], role="form_text", align="right",
                  space_before_lines=text["space_before_signature_lines"]),
        para(text["date"], "form_text", "right"),
    ]
    return blocks


def instructions() -> list[Block]:
    text = form_text()["instructions"]
    return [Paragraph([Text(text["title"])], role="form_heading", align="center",
                      space_before_lines=text["space_before_lines"])] + [
        para(p, "form_text", "justify", 2) for p in text["paragraphs"]
    ]


# ---- page 3: 一、项目变更情况数据表 --------------------------------------------------------------------

def label_cell(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell([para(text, TABLE_ROLE, "center")], colspan=colspan, rowspan=rowspan, align="center")


def value_cell(text: str, colspan: int = 1) -> Cell:
    return Cell([para(text, TABLE_ROLE, "left")], colspan=colspan, align="left")


def leader_rows(title: str, leader: Leader, month_blank: str) -> list[list[Cell]]:
    """Three rows; the title spans them (原 负 责 人 / 现 负 责 人)."""
    of = lambda name: label_of(Leader, name)  # noqa: E731
    return [
        [label_cell(title, rowspan=3), label_cell(of("name")), value_cell(leader.name), label_cell(of("sex")),
         value_cell(leader.sex or ""), label_cell(of("ethnicity")), value_cell(leader.ethnicity),
         label_cell(of("birth")), value_cell(chinese_year_month(leader.birth, month_blank))],
        [label_cell(of("unit")), value_cell(leader.unit, 2), label_cell(of("admin_post")),
         value_cell(leader.admin_post, 2), label_cell(of("title")), value_cell(leader.title)],
        [label_cell(of("address")), value_cell(leader.address, 4), label_cell(of("phone")),
         value_cell(leader.phone, 2)],
    ]


def runs_within(heights: list[float], budget: float) -> list[int]:
    """Lengths of consecutive runs whose heights add up to at most ``budget`` (one item at least):
    [3, 3, 3, 4], 7 -> [2, 2]."""
    lengths: list[int] = []
    used = budget
    for height in heights:
        if used + height > budget:
            lengths.append(0)
            used = 0.0
        lengths[-1] += 1
        used += height
    return lengths


def member_cells(person: Member) -> list[Cell]:
    return [value_cell(person.name), value_cell(person.unit, 3), value_cell(person.title), value_cell(person.phone, 3)]


def row_height(cells: list[Cell], widths_pt: list[float], profile: Profile) -> float:
    """Estimated height of a row of ``cells`` side by side over columns ``widths_pt`` wide: its
    tallest cell's wrapped lines, or the official minimum row height."""
    tallest, col = 0.0, 0
    for cell in cells:
        inside_pt = sum(widths_pt[col:col + cell.colspan]) - profile.role(TABLE_ROLE).size_pt  # padding: about a character
        tallest = max(tallest, sum(estimated_lines(p, profile, inside_pt) for p in cell.paragraphs))
        col += cell.colspan
    return _lines(profile, max(tallest, form_text()["change_table"]["row_lines"]))


def member_title_cell(title: str, rowspan: int, continued: Optional[str]) -> Cell:
    """原 参 与 人 员 down the left of a group; ``continued`` (（续）) below it on later groups."""
    lines = [title] + ([continued] if continued else [])
    return Cell([para(line, TABLE_ROLE, "center") for line in lines], rowspan=rowspan, align="center")


def member_rows(title: str, members: list[Member], profile: Profile) -> list[list[Cell]]:
    """Per group: a header row and one row per person (blank rows up to the official number), the
    title spanning them. A long list is cut into groups of at most a share of the page, so the table
    can break across pages between groups; later groups mark the title （续）."""
    text = form_text()["change_table"]
    of = lambda name: label_of(Member, name)  # noqa: E731
    people = list(members) + [Member(name="")] * max(0, text["min_member_rows"] - len(members))
    header = [label_cell(of("name")), label_cell(of("unit"), 3), label_cell(of("title")), label_cell(of("phone"), 3)]
    person_rows = [member_cells(p) for p in people]
    page = profile.page(PAGE)
    widths_pt = [w * page.text_width_pt / sum(text["col_widths"]) for w in text["col_widths"][1:]]  # right of the title
    budget = text["member_group_share"] * page.text_height_pt - row_height(header, widths_pt, profile)
    rows: list[list[Cell]] = []
    start = 0
    for k, length in enumerate(runs_within([row_height(r, widths_pt, profile) for r in person_rows], budget)):
        title_cell = member_title_cell(title, 1 + length, text["continued"] if k else None)
        rows += [[title_cell, *header], *person_rows[start:start + length]]
        start += length
    return rows


# The last word of a long label (实际完成 | 时间): where a label too long for its cell breaks.
LABEL_WORDS = ("时间", "日期", "名称", "形式", "内容", "单位", "职务", "电话", "地址", "情况")


def whole_word_label(text: str, chars_per_line: int) -> str:
    """A label too long for one line of its cell broken before its last word (实际完成 / 时间),
    never inside one (实际完成时 / 间); a label that fits, wraps there by itself, or has no
    such word, as it is."""
    if len(text) <= chars_per_line or "\n" in text:
        return text
    for word in LABEL_WORDS:
        head = text[:-len(word)]
        if text.endswith(word) and head and len(head) <= chars_per_line:
            # where the cell would wrap it anyway before the word (出生 / 日期), leave it be
            return text if len(head) == chars_per_line else f"{head}\n{word}"
    return text


def break_labels(rows: list[list[Cell]], widths_pt: list[float], profile: Profile) -> None:
    """Break the label cells of ``rows`` (one paragraph, centred) at a word where they wrap;
    columns are counted past cells reaching down from the rows above."""
    size = profile.role(TABLE_ROLE).size_pt
    taken: set[tuple[int, int]] = set()
    for r, cells in enumerate(rows):
        col = 0
        for cell in cells:
            while (r, col) in taken:
                col += 1
            for dr in range(1, cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            inside = sum(widths_pt[col:col + cell.colspan]) - CELL_PADDING_PT
            if len(cell.paragraphs) == 1 and cell.align == "center":
                p = cell.paragraphs[0]
                p.runs = [Text(whole_word_label(p.text, max(1, math.floor(inside / size))))]
            col += cell.colspan


CELL_PADDING_PT = 8.0   # left and right cell padding together (both back ends)


def change_table(table: ChangeTable, profile: Profile) -> Table:
    text = form_text()["change_table"]
    date_blank, n_cols = text["date_blank"], len(text["col_widths"])
    of = lambda name: label_of(ChangeTable, name)  # noqa: E731
    rows: list[list[Cell]] = [
        [label_cell(of("approved_name")), value_cell(table.approved_name, n_cols - 1)],
        [label_cell(of("result_name")), value_cell(table.result_name, n_cols - 1)],
        [label_cell(of("changed")), value_cell(marked_options(text["changed_options"], table.changed), 2),
         label_cell(of("change_content"), 2), value_cell(table.change_content, 4)],
        [label_cell(of("planned_form")), value_cell(table.planned_form, 2),
         label_cell(of("actual_form"), 2), value_cell(table.actual_form, 4)],
        [label_cell(of("planned_finish")), value_cell(chinese_date(table.planned_finish, date_blank), 2),
         label_cell(of("actual_finish"), 2), value_cell(chinese_date(table.actual_finish, date_blank), 4)],
        [label_cell(text["people_heading"], n_cols)],
        *leader_rows(text["old_leader"], table.old_leader, text["month_blank"]),
        *leader_rows(text["new_leader"], table.new_leader, text["month_blank"]),
        *member_rows(text["old_members"], table.old_members, profile),
        *member_rows(text["new_members"], table.new_members, profile),
    ]
    page = profile.page(PAGE)
    break_labels(rows, [w * page.text_width_pt / sum(text["col_widths"]) for w in text["col_widths"]], profile)
    height = _lines(profile, text["row_lines"])
    return Table([Row(cells, height_pt=height) for cells in rows], col_widths=text["col_widths"], role=TABLE_ROLE)


# ---- page 4: opinions 二 to 五 ------------------------------------------------------------------

def estimated_lines(paragraph: Paragraph, profile: Profile, width_pt: float) -> float:
    """How many lines of filled-in text ``paragraph`` takes in ``width_pt``: its wrapped lines (whole
    characters to a line) at its role's pitch, in lines of filled-in text."""
    role = profile.role(paragraph.role)
    chars = width_in_chars(paragraph.text) + (paragraph.first_line_chars or 0)
    per_line = max(1, math.floor(width_pt / role.size_pt))
    wrapped = math.ceil(chars / per_line)
    return max(1, wrapped) * profile.line_pitch(paragraph.role, PAGE) / profile.line_pitch("form_text", PAGE)


def opinion_cell(section: dict, form: ApplicationForm, profile: Profile, filled: bool) -> Cell:
    """One box: title, notes and choices at the top, room to write, signatures and date at the foot."""
    date_blank = form_text()["opinions"]["date_blank"]
    top = [para(section["title"], "form_heading", "left")]
    top += [para(note, "form_small", "left") for note in section.get("notes", [])]
    top += [para(q + marked_options(options), "form_text", "left", 2) for q, options in section.get("choices", [])]
    if filled:
        top.append(para(form.unit_review.opinion, "form_text", "justify", 2))
    day = form.unit_review.date if filled else None
    foot = [para(s, "form_text", "right") for s in section["signatures"]]
    foot.append(para(chinese_date(day, date_blank), "form_text", "right"))
    width = profile.page(PAGE).text_width_pt
    used = sum(estimated_lines(p, profile, width) for p in top + foot)
    room = max(0, math.floor(section["lines"] - used) - 1)  # one line kept for the box's own padding
    return Cell(top + [para("", "form_text") for _ in range(room)] + foot, valign="top")


def opinions(form: ApplicationForm, profile: Profile) -> Table:
    sections = form_text()["opinions"]["sections"]
    rows = [Row([opinion_cell(s, form, profile, filled=i == 0)], height_pt=_lines(profile, s["lines"]))
            for i, s in enumerate(sections)]
    return Table(rows, col_widths=[1], role="form_text")


# ---- the whole form -------------------------------------------------------------------------------

def application_document(form: ApplicationForm, profile: Profile) -> Document:
    """The 结项申请书 as blocks: four pages with a PageBreak between them."""
    pages: list[list[Block]] = [
        cover(form, profile),
        declaration(form) + instructions(),
        [para(form_text()["change_table"]["title"], "form_heading", "left"), change_table(form.changes, profile)],
        [opinions(form, profile)],
    ]
    blocks: list[Block] = []
    for i, page in enumerate(pages):
        blocks += ([PageBreak()] if i else []) + page
    return Document(kind="form", title=f"{form_text()['cover']['title']}：{form.project_name}", blocks=blocks,
                    author=form.leader, subject=form_text()["cover"]["header"] + form_text()["cover"]["title"],
                    page=PAGE, model=form)


# ---- what fits in each box ------------------------------------------------------------------------

# Each filled-in box of the official form: the field it holds (its path in the form's own
# labels), where it is (for the message), the columns it spans (cover: the value column; change
# table: first column and span, as ``change_table`` lays it out) and how many lines it may take.
# A value within these limits is typeset on the official form's pages; longer is an error.
COVER_BOXES = {"category": 1, "project_name": 3, "leader": 1, "unit": 2}
TABLE_BOXES = (
    # (path below 项目变更情况数据表, first column, span, lines)
    (("立项项目名称",), 1, 8, 2), (("结项成果名称",), 1, 8, 2), (("变更的内容",), 5, 4, 4),
    (("原计划成果形式",), 1, 2, 2), (("现成果形式",), 5, 4, 2),
)
LEADER_BOXES = (("姓名", 2, 1, 2), ("民族", 6, 1, 2), ("所在单位", 2, 2, 3), ("行政职务", 5, 2, 3),
                ("专业职务", 8, 1, 3), ("通讯地址", 2, 4, 2), ("联系电话", 7, 2, 2))
MEMBER_BOXES = (("姓名", 1, 1, 2), ("单位", 2, 3, 3), ("职称", 5, 1, 3), ("联系电话", 6, 3, 2))


@dataclass(frozen=True)
class Overflow:
    """A value too long for its box: ``path`` in the form's labels, ``message`` in Chinese."""
    path: tuple
    message: str


def wrapped_lines(text: str, size_pt: float, width_pt: float) -> int:
    """Lines ``text`` takes at ``size_pt`` in a box ``width_pt`` wide (whole characters to a line)."""
    per_line = max(1, math.floor(width_pt / size_pt))
    return sum(max(1, math.ceil(width_in_chars(part) / per_line)) for part in (text.split("\n") or [""]))


def _too_long(path: tuple, box: str, text: str, lines: int, size_pt: float, width_pt: float,
              indent: str = "") -> Optional[Overflow]:
    needed = wrapped_lines(indent + text, size_pt, width_pt)
    if needed <= lines:
        return None
    per_line = max(1, math.floor(width_pt / size_pt))
    return Overflow(path, f"太长：{box}只能写 {lines} 行（约 {lines * per_line} 字），这里约 "
                          f"{math.ceil(width_in_chars(text))} 字、要 {needed} 行；请精简")


CHANGE_TABLE_PAGE = 2          # 0-based: 一、项目变更情况数据表 is the form's third page


def change_table_must_fit(form: ApplicationForm) -> bool:
    """The change table is one page unless the people listed need more rows than the official
    form prints (then it goes on over the next page by design)."""
    rows = form_text()["change_table"]["min_member_rows"]
    return len(form.changes.old_members) <= rows and len(form.changes.new_members) <= rows


def change_table_overflow(form: ApplicationForm, profile: Profile, over_pt: float) -> Optional[Overflow]:
    """The table too full for its page, ``over_pt`` points past it: each box is within its own
    limit, but together they run onto the next page. Names the boxes that take most lines."""
    if over_pt <= 0 or not change_table_must_fit(form):
        return None
    page = profile.page(PAGE)
    table_text = form_text()["change_table"]
    widths = [w * page.text_width_pt / sum(table_text["col_widths"]) for w in table_text["col_widths"]]
    size = profile.role(TABLE_ROLE).size_pt
    values = form.changes.model_dump(by_alias=True)
    boxes: list[tuple[int, str]] = []
    for (label,), first, span, _ in TABLE_BOXES:
        boxes.append((wrapped_lines(values[label] or "", size, sum(widths[first:first + span]) - size), label))
    for leader in ("原负责人", "现负责人"):
        for label, first, span, _ in LEADER_BOXES:
            text = values[leader][label] or ""
            boxes.append((wrapped_lines(text, size, sum(widths[first:first + span]) - size), f"{leader}「{label}」"))
    long = [f"{name}（{n} 行）" for n, name in sorted(boxes, key=lambda b: -b[0]) if n > 1][:4]
    lines = math.ceil(over_pt / profile.line_pitch(TABLE_ROLE, PAGE))
    hint = f"请精简较长的几栏：{'、'.join(long)}" if long else "请精简"
    return Overflow((label_of(ApplicationForm, "changes"),),
                    f"填得太满：每栏都没有超出各自的限度，但合起来排出来超出第 {CHANGE_TABLE_PAGE + 1} 页"
                    f"约 {lines} 行，会挤到下一页（申请书须是一张 A3 的四页）；{hint}")


def box_overflows(form: ApplicationForm, profile: Profile) -> list[Overflow]:
    """Every value longer than its box on the official form, in the form's order."""
    page = profile.page(PAGE)
    found: list[Optional[Overflow]] = []

    cover_text = form_text()["cover"]
    value_width = page.text_width_pt * cover_text["column_chars"][1] / sum(cover_text["column_chars"])
    cover_size = profile.role("form_text").size_pt
    for name, lines in COVER_BOXES.items():
        label = label_of(ApplicationForm, name)
        found.append(_too_long((label,), f"封面「{label}」一栏", getattr(form, name), lines, cover_size,
                               value_width - cover_size))

    table_text = form_text()["change_table"]
    widths = [w * page.text_width_pt / sum(table_text["col_widths"]) for w in table_text["col_widths"]]
    size = profile.role(TABLE_ROLE).size_pt
    inside = lambda first, span: sum(widths[first:first + span]) - size  # noqa: E731 (padding: about a character)
    changes = label_of(ApplicationForm, "changes")
    table_name = table_text["title"]
    values = form.changes.model_dump(by_alias=True)
    for (label,), first, span, lines in TABLE_BOXES:
        found.append(_too_long((changes, label), f"{table_name}「{label}」栏", values[label] or "",
                               lines, size, inside(first, span)))
    for leader in ("原负责人", "现负责人"):
        for label, first, span, lines in LEADER_BOXES:
            found.append(_too_long((changes, leader, label), f"{table_name}「{leader}」的「{label}」栏",
                                   values[leader][label] or "", lines, size, inside(first, span)))
    for group in ("原参与人员", "现参与人员"):
        for i, member in enumerate(values[group]):
            for label, first, span, lines in MEMBER_BOXES:
                found.append(_too_long((changes, group, i, label), f"{table_name}「{group}」的「{label}」栏",
                                       member[label] or "", lines, size, inside(first, span)))

    section = form_text()["opinions"]["sections"][0]
    empty = opinion_cell(section, form.model_copy(update={"unit_review": form.unit_review.model_copy(
        update={"opinion": ""})}), profile, filled=True)
    fixed = sum(estimated_lines(p, profile, page.text_width_pt) for p in empty.paragraphs if p.text) + 1
    room = max(1, math.floor(section["lines"] - fixed))
    opinion = form.unit_review.opinion
    text_size = profile.role("form_text").size_pt
    review = label_of(ApplicationForm, "unit_review")
    found.append(_too_long((review, "意见"), f"「{section['title']}」方框", opinion, room, text_size,
                           page.text_width_pt - text_size, indent="　　"))   # the box's padding; the first-line indent
    return [o for o in found if o is not None]
