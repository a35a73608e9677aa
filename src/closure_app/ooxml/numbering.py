"""Automatic numbering (numbering.xml): the number text Word shows in front of a paragraph.

The number is not in the runs: Word computes it from ``w:numPr`` (numId, ilvl), the list
definition (``w:abstractNum/w:lvl``: ``w:numFmt``, ``w:lvlText`` such as ``%1.%2`` or
``（%2）``, ``w:start``, ``w:lvlRestart``, ``w:isLgl``, ``w:suff``) and the instance's
overrides (``w:num/w:lvlOverride``: ``w:startOverride`` or a whole ``w:lvl``). Counters belong
to the list definition, so two ``w:num`` sharing one ``w:abstractNum`` continue each other,
unless an instance restarts with ``w:startOverride``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from closure_app.ooxml.styles import W, w

_NS = {"w": W}
_CN_DIGITS = "〇一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_counting(n: int) -> str:
    """Word's chineseCounting: 1 一, 10 十, 11 十一, 20 二十, 101 一百零一."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    out = ""
    units = [(1000, "千"), (100, "百"), (10, "十")]
    zero = False
    rest = n
    for value, name in units:
        d = rest // value
        rest %= value
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if d == 1 and value == 10 and not out else _CN_DIGITS[d]) + name
        elif out:
            zero = True
    if rest:
        if zero:
            out += "零"
        out += _CN_DIGITS[rest]
    return out


def roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def letters(n: int) -> str:
    """Word's upperLetter: A..Z, then AA, BB ... (the letter repeated)."""
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One number in a numFmt; unknown formats fall back to decimal."""
    if fmt in ("decimal", "decimalHalfWidth", ""):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified"):
        return chinese_counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(c)] for c in str(n))
    if fmt in ("ideographTraditional",):
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt in ("ideographZodiac",):
        return _DIZHI[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "upperLetter":
        return letters(n)
    if fmt == "lowerLetter":
        return letters(n).lower()
    if fmt == "upperRoman":
        return roman(n)
    if fmt == "lowerRoman":
        return roman(n).lower()
    if fmt == "ordinal":
        return f"{n}."
    return str(n)


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: Optional[int] = None      # w:lvlRestart: restart after this (1-based) level; 0 never
    legal: bool = False                # w:isLgl: every level shown in decimal
    suffix: str = "tab"                # tab | space | nothing
    style_id: Optional[str] = None     # w:pStyle: the paragraph style this level belongs to

    @property
    def is_bullet(self) -> bool:
        return self.fmt == "bullet"


def _level(el) -> Level:
    def val(name: str) -> Optional[str]:
        child = el.find(w(name))
        return child.get(w("val")) if child is not None else None

    lvl = Level()
    lvl.fmt = val("numFmt") or "decimal"
    text = el.find(w("lvlText"))
    if text is not None:
        lvl.text = text.get(w("val"), "")
    start = val("start")
    lvl.start = int(start) if start and start.lstrip("-").isdigit() else 1
    restart = val("lvlRestart")
    lvl.restart = int(restart) if restart and restart.isdigit() else None
    lgl = el.find(w("isLgl"))
    lvl.legal = lgl is not None and lgl.get(w("val"), "true") not in ("0", "false", "off")
    lvl.suffix = val("suff") or "tab"
    lvl.style_id = val("pStyle")
    return lvl


@dataclass
class _Instance:
    abstract_id: str
    starts: dict[int, int] = field(default_factory=dict)      # ilvl -> startOverride
    levels: dict[int, Level] = field(default_factory=dict)    # ilvl -> an overriding w:lvl
    used: bool = False


@dataclass(frozen=True)
class NumberLabel:
    """What Word shows in front of a numbered paragraph."""
    text: str              # "第一章", "（一）", "1.1", "•"
    suffix: str            # what follows it: "\t", " " or ""
    fmt: str               # numFmt of the paragraph's level
    level: int             # ilvl, 0-based
    num_id: str
    bullet: bool


class Numbering:
    """numbering.xml, with the counters of a reading in document order."""

    def __init__(self, root=None):
        self.abstract: dict[str, dict[int, Level]] = {}
        self.instances: dict[str, _Instance] = {}
        self.style_links: dict[str, tuple[str, int]] = {}   # style id -> (abstract id, ilvl)
        self._counters: dict[str, list[int]] = {}
        self._seen: dict[str, set[int]] = {}
        if root is None:
            return
        for a in root.iterfind("w:abstractNum", _NS):
            aid = a.get(w("abstractNumId"), "")
            levels = {}
            for el in a.iterfind("w:lvl", _NS):
                ilvl = int(el.get(w("ilvl"), "0") or 0)
                levels[ilvl] = _level(el)
                if levels[ilvl].style_id:
                    self.style_links[levels[ilvl].style_id] = (aid, ilvl)
            self.abstract[aid] = levels
        for n in root.iterfind("w:num", _NS):
            ref = n.find(w("abstractNumId"))
            inst = _Instance(ref.get(w("val"), "") if ref is not None else "")
            for ov in n.iterfind("w:lvlOverride", _NS):
                ilvl = int(ov.get(w("ilvl"), "0") or 0)
                so = ov.find(w("startOverride"))
                if so is not None and so.get(w("val"), "").lstrip("-").isdigit():
                    inst.starts[ilvl] = int(so.get(w("val")))
                lvl_el = ov.find(w("lvl"))
                if lvl_el is not None:
                    inst.levels[ilvl] = _level(lvl_el)
            self.instances[n.get(w("numId"), "")] = inst

    def level(self, num_id: str, ilvl: int) -> Optional[Level]:
        inst = self.instances.get(num_id)
        if inst is None:
            return None
        if ilvl in inst.levels:
            return inst.levels[ilvl]
        return self.abstract.get(inst.abstract_id, {}).get(ilvl)

    def ilvl_for_style(self, num_id: str, style_id: Optional[str]) -> int:
        """A style that carries numPr without ilvl takes the level its w:pStyle link names."""
        if style_id and style_id in self.style_links:
            inst = self.instances.get(num_id)
            aid, ilvl = self.style_links[style_id]
            if inst is None or inst.abstract_id == aid:
                return ilvl
        return 0

    def next_label(self, num_id: str, ilvl: int) -> Optional[NumberLabel]:
        """Advance the counters for one paragraph numbered (num_id, ilvl) and return its label.
        numId 0 (numbering switched off) and unknown ids give None."""
        inst = self.instances.get(num_id)
        if num_id in ("", "0") or inst is None:
            return None
        lvl = self.level(num_id, ilvl)
        if lvl is None:
            return None
        key = inst.abstract_id
        counters = self._counters.setdefault(key, [0] * 9)
        seen = self._seen.setdefault(key, set())
        if not inst.used:
            inst.used = True
            for k, start in inst.starts.items():      # a restarted instance starts over
                if 0 <= k < 9:
                    counters[k] = start - 1
                    seen.add(k)
        ilvl = max(0, min(ilvl, 8))
        if ilvl not in seen:
            counters[ilvl] = self._start(num_id, ilvl) - 1
            seen.add(ilvl)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):              # levels below restart after this one
            dl = self.level(num_id, deeper)
            if dl is not None and (dl.restart is None or dl.restart != 0 and ilvl + 1 <= dl.restart):
                counters[deeper] = self._start(num_id, deeper) - 1
        text = self._render(num_id, lvl, counters)
        suffix = {"tab": "\t", "space": " ", "nothing": ""}.get(lvl.suffix, "\t")
        return NumberLabel(text, suffix if text else "", lvl.fmt, ilvl, num_id, lvl.is_bullet)

    def _start(self, num_id: str, ilvl: int) -> int:
        lvl = self.level(num_id, ilvl)
        return lvl.start if lvl else 1

    def _render(self, num_id: str, lvl: Level, counters: list[int]) -> str:
        if lvl.is_bullet or lvl.fmt == "none":
            return lvl.text if lvl.is_bullet else _PLACEHOLDER.sub("", lvl.text)

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if not 0 <= k < 9:
                return ""
            other = self.level(num_id, k)
            fmt = other.fmt if other else "decimal"
            if lvl.legal and fmt != "decimalZero":
                fmt = "decimal"
            return format_number(max(counters[k], 0) if counters[k] else self._start(num_id, k), fmt)

        return _PLACEHOLDER.sub(sub, lvl.text)


_PLACEHOLDER = re.compile(r"%(\d)")
