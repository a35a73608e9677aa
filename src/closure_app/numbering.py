"""Heading numbering as people write it: 第一部分, 第一章, 1.1, 1., 1)、, 一、, （一）, (1).

``classify_numbering`` reads the number a heading carries in its own text; the report reader and
the checker use it to guess a heading's level and to see whether the numbers run in order.
``check_heading_numbering`` turns slips (a skipped, repeated or misplaced number) into warnings.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from closure_app.errors import Finding, Place

if TYPE_CHECKING:        # annotations only: the document model is not loaded for numbering
    from closure_app.blocks import Heading

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "零〇一二两三四五六七八九十百"


def chinese_numeral(s: str) -> Optional[int]:
    """'十二' -> 12, '二十' -> 20, '一百零五' -> 105, '12' -> 12; anything else -> None."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN for c in s):
        return None
    total, digit = 0, None
    for c in s:
        if c in _DIGITS:
            if digit is not None and digit != 0:
                return None            # two digits in a row: 一二
            digit = _DIGITS[c]
        else:
            unit = 10 if c == "十" else 100
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)


def to_chinese_numeral(n: int) -> str:
    """12 -> '十二', 20 -> '二十', 105 -> '一百零五' (1..999)."""
    names = "零一二三四五六七八九"
    if not 0 < n < 1000:
        return str(n)
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    out = f"{names[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else names[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (names[ones] if ones else "")


@dataclass(frozen=True)
class NumberingMatch:
    """The number at the start of a heading.

    kind: part 第一部分 / 第一篇 | chapter 第一章 | section_cn 第一节 | decimal 1.1 / 1.1.1 | dot 1. / 1、 | paren_tail 1)、 |
          cn_comma 一、 | cn_paren （一） | arabic_paren (1)
    values: the numbers, outermost first ((2, 3) for "2.3").
    level: the heading level this kind of number usually marks.
    label: the number as written ("第二章", "2.3", "1)、", "⑴"): ``text[len(label):]`` is the rest.
    """
    kind: str
    values: tuple[int, ...]
    level: int
    label: str

    @property
    def value(self) -> int:
        return self.values[-1]


# (kind, pattern on NFKC-normalised text, level guess); the first match wins.
_PATTERNS: list[tuple[str, re.Pattern, int]] = [
    ("part", re.compile(rf"第\s*([{_CN}\d]+)\s*(?:部分|篇)"), 1),
    ("chapter", re.compile(rf"第\s*([{_CN}\d]+)\s*章"), 1),
    ("section_cn", re.compile(rf"第\s*([{_CN}\d]+)\s*节"), 2),
    ("decimal", re.compile(r"(\d+(?:\.\d+)+)\.?(?![\d.])"), 0),   # level = number of parts
    ("paren_tail", re.compile(r"(\d+)\)、?"), 4),
    ("dot", re.compile(r"(\d+)[.、](?!\d)"), 3),
    ("cn_comma", re.compile(rf"([{_CN}]+)、"), 1),
    ("cn_paren", re.compile(rf"\(([{_CN}]+)\)"), 2),
    ("arabic_paren", re.compile(r"\((\d+)\)"), 4),
]


def _written_end(text: str, normalised_end: int) -> int:
    """Where a match that ends at ``normalised_end`` of NFKC(text) ends in ``text`` ("⑴" is "(1)")."""
    length = 0
    for i, ch in enumerate(text):
        if length >= normalised_end:
            return i
        length += len(unicodedata.normalize("NFKC", ch))
    return len(text)


def classify_numbering(text: str) -> Optional[NumberingMatch]:
    """The numbering a heading starts with, or None ('参考文献', '结论')."""
    stripped = text.strip()
    norm = unicodedata.normalize("NFKC", stripped)
    for kind, pattern, level in _PATTERNS:
        m = pattern.match(norm)
        if not m:
            continue
        if kind == "decimal":
            values = tuple(int(p) for p in m.group(1).split("."))
            level = min(len(values), 4)
        else:
            n = chinese_numeral(m.group(1))
            if n is None:
                continue
            values = (n,)
        return NumberingMatch(kind, values, level, stripped[: _written_end(stripped, m.end())])
    return None


def expected_label(kind: str, values: tuple[int, ...], like: str = "") -> str:
    """How a number of this kind is written: ('chapter', (3,)) -> '第三章'; a part is written
    第三部分, or 第三篇 when ``like`` (the label written) says 篇."""
    n = values[-1]
    return {
        "part": f"第{to_chinese_numeral(n)}{'篇' if like.rstrip().endswith('篇') else '部分'}",
        "chapter": f"第{to_chinese_numeral(n)}章",
        "section_cn": f"第{to_chinese_numeral(n)}节",
        "decimal": ".".join(str(v) for v in values),
        "paren_tail": f"{n})、",
        "dot": f"{n}.",
        "cn_comma": f"{to_chinese_numeral(n)}、",
        "cn_paren": f"（{to_chinese_numeral(n)}）",
        "arabic_paren": f"({n})",
    }[kind]


_UNIT = {1: "章", 2: "节", 3: "个三级标题", 4: "个四级标题"}
_UNAMBIGUOUS = {"chapter", "section_cn", "decimal"}   # kinds whose level is certain


def _unit(m: NumberingMatch, level: int) -> str:
    """What one heading of this number is called in a message: 章, 节 …; 部分 or 篇 for a part."""
    if m.kind == "part":
        return "篇" if m.label.rstrip().endswith("篇") else "部分"
    return _UNIT[level]


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_heading_numbering(headings: list[Heading], file: str) -> list[Finding]:
    """Warnings where the headings' own numbers do not run in order.

    Chapters run 1, 2, 3; "2.1" sits under 第二章; sections run in order within a chapter;
    level-3 and level-4 numbers restart under each heading one level up. After a slip the
    count goes on from the number written, so one slip gives one warning. An unnumbered
    heading (参考文献, 结论) is not judged and leaves the count at its level alone, but the
    numbering below it starts again.
    """
    findings: list[Finding] = []
    last: dict[int, Optional[NumberingMatch]] = {}      # last numbered heading per level
    path: dict[int, Optional[NumberingMatch]] = {}      # numbering of the current parents

    def warn(h: Heading, message: str) -> None:
        findings.append(Finding(Place(file, h.line), f"标题「{_short(h.text)}」{message}",
                                severity="warning"))

    for h in headings:
        level = h.level
        for deeper in [k for k in last if k > level]:
            del last[deeper]
        for deeper in [k for k in path if k >= level]:
            del path[deeper]
        m = classify_numbering(h.text)
        path[level] = m
        if m is None:
            continue
        if m.kind in _UNAMBIGUOUS and m.level != level:
            warn(h, f"的编号像{to_chinese_numeral(m.level)}级标题，"
                    f"却写成了{to_chinese_numeral(level)}级（{'#' * level}）")
        parent = path.get(level - 1)
        if m.kind == "decimal" and parent is not None and parent.values != m.values[:-1]:
            unit = _UNIT[level - 1]
            warn(h, f"与所在{unit}不符：所在{unit}是 {parent.label}")
        prev = last.get(level)
        expected = (prev.value if prev else 0) + 1
        if m.value != expected:
            if prev is None:
                first = m.values[:-1] + (1,)
                warn(h, f"编号不连续：应从 {expected_label(m.kind, first, m.label)} 开始")
            elif m.value == prev.value:
                warn(h, f"编号重复：上一{_unit(m, level)}也是 {prev.label}")
            else:
                warn(h, f"编号不连续：上一{_unit(m, level)}是 {prev.label}")
        last[level] = m
    return findings
