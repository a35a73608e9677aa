"""The sample report made N times as long, for measuring how time and memory grow.

The body (第一章 ... 第七章) is repeated N times with the chapters numbered on (第八章, 8.1 ...)
and each copy's footnotes relabelled, so the document stays valid; front matter, abstract and
references stay as they are.

    python benchmarks/scaled.py N OUT.md
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "manuscript" / "manuscript.md"
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 105 -> 一百零五 (up to 999)."""
    if n < 10:
        return DIGITS[n]
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = DIGITS[hundreds] + "百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (DIGITS[ones] if ones else "")


def scaled(times: int, text: str | None = None) -> str:
    text = text if text is not None else SAMPLE.read_text(encoding="utf-8")
    start = text.index("\n# 第一章")
    end = text.index("\n# 参考文献")
    head, body, tail = text[:start], text[start:end], text[end:]
    notes_at = tail.index("\n[^")
    refs, notes = tail[:notes_at], tail[notes_at:]
    chapters = len(re.findall(r"^# 第", body, flags=re.M))
    bodies, all_notes = [], []
    for copy in range(times):
        def chapter(m, copy=copy):
            return f"# 第{chinese_number(copy * chapters + _arabic(m.group(1)))}章"

        def section(m, copy=copy):
            return f"{m.group(1)}{copy * chapters + int(m.group(2))}."

        b = re.sub(r"^# 第([一二三四五六七八九十]+)章", chapter, body, flags=re.M)
        b = re.sub(r"^(## )(\d+)\.", section, b, flags=re.M)
        label = (lambda m, copy=copy: f"[^{m.group(1)}c{copy}]") if copy else (lambda m: m.group(0))
        bodies.append(re.sub(r"\[\^(\d+)\]", label, b))
        all_notes.append(re.sub(r"\[\^(\d+)\]", label, notes))
    return head + "".join(bodies) + refs + "".join(all_notes)


def _arabic(numeral: str) -> int:
    if numeral.startswith("十"):
        numeral = "一" + numeral
    value = 0
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        value = DIGITS.index(tens) * 10 + (DIGITS.index(ones) if ones else 0)
    else:
        value = DIGITS.index(numeral)
    return value


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(scaled(int(sys.argv[1])), encoding="utf-8")
