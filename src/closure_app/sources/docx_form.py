"""A 结项申请书 filled in Word -> the form model (the same one forms/application.yaml gives).

The DOCX is read by ``closure_app.ooxml``; the answers are found by the form's own labels,
wherever they stand: the cover lines (立 项 编 号 or 立项编号, in a table or as 标签：值
paragraphs), the 声明 choices, the 项目变更情况数据表 cell by cell (the 原/现负责人 blocks, the
participant rows however many were added), and 所在单位审核意见 with its date. Ticks are read as
people make them: √ ✓ ✔ ☑ ■ ● before or after the option, the other option struck through or
deleted, or the chosen one highlighted. What cannot be read is a finding naming its cell,
never a guess.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from closure_app.errors import Finding, InvalidInput, Place
from closure_app.models.manuscript import join_lines
from closure_app.ooxml import document as ox

TICKS = set("√✓✔☑■●▣☒✗×✅◉")
BOXES = set("□☐○◯〇")
_SPACE = re.compile(r"[\s\u3000:：_＿]+")
_DATE = re.compile(r"(\d{4})\s*(?:年|[.\-/．])\s*(\d{1,2})\s*(?:月|[.\-/．])\s*(\d{1,2})\s*日?")
_YEAR_MONTH = re.compile(r"(\d{4})\s*(?:年|[.\-/．])\s*(\d{1,2})\s*月?")

COVER = {"立项编号": "立项编号", "项目类别": "项目类别", "项目名称": "项目名称", "项目负责人": "项目负责人",
         "所在单位": "所在单位", "填表日期": "填表日期"}
TABLE_LABELS = ("立项项目名称", "结项成果名称", "是否变更", "变更的内容", "原计划成果形式", "现成果形式",
                "原计划完成时间", "实际完成时间")
LEADER_LABELS = ("姓名", "性别", "民族", "出生日期", "所在单位", "行政职务", "专业职务", "通讯地址", "联系电话")
MEMBER_LABELS = ("姓名", "单位", "职称", "联系电话")
QUESTIONS = {"涉及敏感问题": "成果是否涉及敏感问题或其他不宜公开出版的内容", "涉密": "成果是否涉密"}
TABLE_KEY = "项目变更情况数据表"


def norm(text: str) -> str:
    return _SPACE.sub("", text)


def _text(paras: list[ox.Para]) -> str:
    """A cell's or paragraph's text. A line break inside a paragraph reads as a space (writers,
    ours among them, set a long value on two lines by turning its space into a break); separate
    paragraphs join as lines do: a space between words, nothing between Chinese characters (a
    name typed on two lines with Enter)."""
    return join_lines([" ".join(p.text.replace("\t", " ").split()) for p in paras])


def is_form(doc: ox.DocxDocument) -> bool:
    opening = norm("".join(p.text for p in list(doc.story())[:80]))
    return "结项申请书" in opening and "立项编号" in opening


def parse_date(text: str) -> Optional[dt.date]:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def blank_date(text: str) -> bool:
    """年　　月　　日 and the like: a date left for handwriting."""
    return not re.search(r"\d", text)


@dataclass
class FormReading:
    data: dict
    places: dict = field(default_factory=dict)       # label path -> where it stands, in words
    findings: list[Finding] = field(default_factory=list)


class _Reader:
    def __init__(self, doc: ox.DocxDocument, file: str):
        self.doc = doc
        self.file = file
        self.data: dict = {}
        self.places: dict = {}
        self.findings: list[Finding] = []

    def unreadable(self, path: tuple, where: str, message: str) -> None:
        self.places[path] = where
        self.findings.append(Finding(Place(f"{self.file}（{where}）"), message, field=".".join(path)))

    def put(self, path: tuple, value, where: str) -> None:
        target = self.data
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value
        self.places[path] = where

    # the whole form

    def read(self) -> FormReading:
        change = opinions = None
        for b in self.doc.blocks:
            if isinstance(b, ox.Table):
                first = norm(_text(b.rows[0][0].paragraphs)) if b.rows and b.rows[0] else ""
                if first.startswith("立项项目名称") and change is None:
                    change = b
                elif first.startswith("二、") and "审核意见" in first and opinions is None:
                    opinions = b
                elif change is None:
                    self.cover_rows(b)
            elif change is None:
                self.cover_paragraph(b)
                self.declaration(b)
        if change is not None:
            self.change_table(change)
        else:
            self.findings.append(Finding(Place(self.file), "找不到「一、项目变更情况数据表」（第一格应为「立项项目名称」）",
                                         field=TABLE_KEY))
        if opinions is not None:
            self.review(opinions)
        else:
            self.findings.append(Finding(Place(self.file), "找不到「二、申请人所在单位审核意见」一栏", field="所在单位审核意见"))
        for label in COVER:
            if (label,) not in self.places:
                self.unreadable((label,), f"封面「{label}」一栏", "找不到这一栏")
        for key in QUESTIONS:
            if ("声明", key) not in self.places:
                self.unreadable(("声明", key), f"声明「{QUESTIONS[key]}」", "找不到这个问题的选项")
        return FormReading(self.data, self.places, self.findings)

    # cover

    def cover_value(self, label: str, value: str, where: str) -> None:
        key = COVER[label]
        if (key,) in self.places:
            return
        value = value.strip().strip("_＿").strip()
        if key == "填表日期":
            day = parse_date(value)
            if day is None and value and not blank_date(value):
                self.unreadable((key,), where, f"无法识别的日期「{value}」（可写作 2025年10月15日、2025-10-15、2025.10.15 或 2025/10/15）")
                return
            self.put((key,), day.isoformat() if day else None, where)
        else:
            self.put((key,), value, where)

    def cover_rows(self, table: ox.Table) -> None:
        for row in table.rows:
            for i, cell in enumerate(row[:-1]):
                label = norm(_text(cell.paragraphs))
                if label in COVER:
                    self.cover_value(label, _text(row[i + 1].paragraphs), f"封面「{label}」一栏")

    def cover_paragraph(self, p: ox.Para) -> None:
        text = p.text.strip()
        for label in COVER:
            spaced = r"[\s\u3000]*".join(label)
            m = re.match(rf"^{spaced}\s*[：:]?\s*(.*)$", text)
            if m and (COVER[label],) not in self.places and not norm(m.group(1)).startswith(("（", "(")):
                self.cover_value(label, m.group(1), f"封面「{label}」一栏")
                return

    # 声明

    def declaration(self, p: ox.Para) -> None:
        compact = norm(p.text)
        for key, question in QUESTIONS.items():
            q = norm(question)
            if compact.startswith(q) and ("声明", key) not in self.places:
                where = f"声明「{question}」"
                choice = choose(p, ["是", "否"], after=question)
                if choice is None:
                    self.unreadable(("声明", key), where, "看不出选了「是」还是「否」：请在选中的一项前打 √")
                else:
                    self.put(("声明", key), choice, where)

    # 一、项目变更情况数据表

    def change_table(self, table: ox.Table) -> None:
        section: Optional[str] = None
        members: dict[str, list[dict]] = {"原参与人员": [], "现参与人员": []}
        for row in table.rows:
            cells = [c for c in row]
            texts = [_text(c.paragraphs) for c in cells]
            keys = [norm(t) for t in texts]
            start = 0
            if keys and keys[0]:
                head = keys[0].replace("（续）", "").replace("(续)", "")
                if head in ("原负责人", "现负责人", "原参与人员", "现参与人员"):
                    section, start = head, 1
                elif head in TABLE_LABELS or head.startswith("项目负责人及参与人员"):
                    section = None
            elif cells and cells[0].vmerge == "continue":
                start = 1
            if section in members:
                values = texts[start:]
                if [norm(v) for v in values][:len(MEMBER_LABELS)] == list(MEMBER_LABELS):
                    continue                                   # the header row
                if any(v.strip() for v in values):
                    person = dict(zip(MEMBER_LABELS, [v.strip() for v in values] + [""] * 4))
                    members[section].append(person)
                continue
            labels = LEADER_LABELS if section in ("原负责人", "现负责人") else TABLE_LABELS
            for i in range(start, len(cells)):
                if keys[i] in labels:
                    value = texts[i + 1] if i + 1 < len(cells) and keys[i + 1] not in labels else ""
                    path = (TABLE_KEY, section, keys[i]) if section else (TABLE_KEY, keys[i])
                    where = f"项目变更情况数据表「{section + '·' if section else ''}{keys[i]}」一格"
                    self.table_value(path, keys[i], value, cells[i + 1] if i + 1 < len(cells) else None, where)
        for key, people in members.items():
            self.put((TABLE_KEY, key), people, f"项目变更情况数据表「{key}」")

    def table_value(self, path: tuple, label: str, value: str, cell: Optional[ox.Cell], where: str) -> None:
        if label == "是否变更":
            choice = choose_cell(cell, ["是", "否"]) if cell is not None else None
            if choice is None:
                self.unreadable(path, where, "看不出选了「是」还是「否」：请在选中的一项前打 √")
                return
            self.put(path, choice, where)
        elif label in ("原计划完成时间", "实际完成时间"):
            day = parse_date(value)
            if day is None and value.strip() and not blank_date(value):
                self.unreadable(path, where, f"无法识别的日期「{value}」（可写作 2025年10月15日、2025-10-15、2025.10.15 或 2025/10/15）")
                return
            self.put(path, day.isoformat() if day else None, where)
        elif label == "出生日期":
            m = _YEAR_MONTH.search(value)
            if m is None and value.strip() and not blank_date(value):
                self.unreadable(path, where, f"无法识别的年月「{value}」（可写作 1980年5月 或 1980-05）")
                return
            self.put(path, f"{int(m.group(1)):04d}-{int(m.group(2)):02d}" if m else "", where)
        else:
            self.put(path, value.strip(), where)

    # 二、所在单位审核意见

    def review(self, table: ox.Table) -> None:
        cell = table.rows[0][0]
        opinion, day, date_text = [], None, ""
        for p in cell.paragraphs:
            t = _text([p])
            k = norm(t)
            if not k or k.startswith("二、") or k in ("签章", "单位公章", "公章") or k.startswith("签章"):
                continue
            if re.fullmatch(r"[\d年月日.\-/．]+", k) or k == "年月日":
                date_text = t
                day = parse_date(t)
                continue
            opinion.append(t)
        where = "所在单位审核意见"
        self.put(("所在单位审核意见", "意见"), "".join(opinion), f"{where}「意见」")
        if day is None and date_text and not blank_date(date_text):
            self.unreadable(("所在单位审核意见", "日期"), f"{where}「日期」", f"无法识别的日期「{date_text}」")
        else:
            self.put(("所在单位审核意见", "日期"), day.isoformat() if day else None, f"{where}「日期」")


def choose(p: ox.Para, options: list[str], after: str = "") -> Optional[str]:
    """The option ticked in one paragraph (after the question text ``after``)."""
    runs = p.runs
    text = "".join(r.text for r in runs)
    start = 0
    if after:
        pos = norm_index(text, after)
        start = pos if pos is not None else 0
    return _chosen(runs, text, start, options)


def choose_cell(cell: ox.Cell, options: list[str]) -> Optional[str]:
    runs = [r for p in cell.paragraphs for r in p.runs]
    text = "".join(r.text for r in runs)
    return _chosen(runs, text, 0, options)


def norm_index(text: str, prefix: str) -> Optional[int]:
    """Where ``prefix`` (compared without spaces or colons) ends in ``text``."""
    want = norm(prefix)
    got = ""
    for i, ch in enumerate(text):
        if not _SPACE.fullmatch(ch):
            got += ch
        if got == want:
            j = i + 1
            while j < len(text) and _SPACE.fullmatch(text[j]):
                j += 1
            return j
    return None


def _chosen(runs: list[ox.Run], text: str, start: int, options: list[str]) -> Optional[str]:
    fmt_at = []
    for r in runs:
        fmt_at += [r.fmt] * len(r.text)
    found: dict[str, dict] = {}
    for option in options:
        for m in re.finditer(re.escape(option), text[start:]):
            i = start + m.start()
            before = text[start:i].rstrip(" \u3000ABCDabcd、.．")
            follow = text[i + len(option): i + len(option) + 1]     # a mark after an option touches it
            mark_before = before[-1:] if before else ""
            mark_after = follow if follow in TICKS or follow in BOXES else ""
            fmt = fmt_at[i] if i < len(fmt_at) else None
            found[option] = {
                "at": i,
                "before": mark_before in TICKS,
                "after": mark_after in TICKS,
                "after_box": mark_after in BOXES,
                "box": mark_before in BOXES,
                "struck": bool(fmt and fmt.strike),
                "marked": bool(fmt and fmt.highlight),
            }
            break
    # marks stand before the options (□是 √否) or after them (是√ 否□), not both ways at once
    # the first option shows which: a mark in front of it, or none there
    first = min(found.values(), key=lambda f: f["at"]) if found else None
    marks_before = bool(first and (first["before"] or first["box"] or not (first["after"] or first["after_box"])))
    ticked = [o for o, f in found.items() if (f["before"] if marks_before else f["after"])]
    if len(ticked) == 1:
        return ticked[0]
    if len(ticked) > 1:
        return None
    marked = [o for o, f in found.items() if f["marked"] and not f["struck"]]
    if len(marked) == 1:
        return marked[0]
    alive = [o for o, f in found.items() if not f["struck"]]
    if len(found) == len(options) and len(alive) == 1:
        return alive[0]
    if len(found) == 1 and len(options) == 2 and not next(iter(found.values()))["box"]:
        return next(iter(found))                         # the other option deleted
    return None


# ---- loading ---------------------------------------------------------------------------

def read_form_docx(path: Path, doc: Optional[ox.DocxDocument] = None) -> FormReading:
    """The form's answers in the Word file at ``path``; ``doc``: the file already read (the
    checker has read it for its fonts), so that it is not read twice."""
    if doc is None:
        from closure_app.sources.docx_report import open_word

        doc = open_word(Path(path))
    return _Reader(doc, str(path)).read()


def load_form_docx(path: Path, doc: Optional[ox.DocxDocument] = None):
    """The Word form as a checked ``ApplicationForm``; findings placed at the Word cell.
    ``doc``: the file already read, as ``read_form_docx`` takes it."""
    from pydantic import ValidationError

    from closure_app.models.form import ApplicationForm, form_issues
    from closure_app.sources.form import FORM_WORDING, LoadedForm
    from closure_app.sources.validation import error_message, field_label

    file = str(path)
    reading = read_form_docx(Path(path), doc)
    findings = list(reading.findings)

    def where(loc: tuple) -> str:
        for n in range(len(loc), 0, -1):
            if tuple(loc[:n]) in reading.places:
                return reading.places[tuple(loc[:n])]
        return "表单"

    try:
        form = ApplicationForm.model_validate(reading.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(str(x) for x in err["loc"])
            if any(f.field == ".".join(loc) for f in reading.findings):
                continue                                   # already said why it could not be read
            findings.append(Finding(Place(f"{file}（{where(loc)}）"), error_message(err, ApplicationForm, FORM_WORDING),
                                    field=field_label(loc)))
        raise InvalidInput(findings) from None
    rules = [Finding(Place(f"{file}（{where(i.path)}）"), i.message, i.severity, field_label(i.path))
             for i in form_issues(form)]
    if findings or any(f.severity == "error" for f in rules):
        raise InvalidInput(findings + rules)
    return LoadedForm(form, rules)
