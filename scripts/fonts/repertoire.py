"""The character repertoires the shipped fonts are subset to.

- ``gbk-report``: every character of GBK (every double-byte code Python's ``gbk`` codec decodes:
  21,791 characters, among them all 20,902 CJK Unified Ideographs U+4E00-U+9FA5) plus the Latin, punctuation and symbol blocks Chinese
  reports use (pinyin tone letters, general punctuation, ①②, Ⅰ Ⅱ, ㈠, ℃, ㎡, arrows, maths,
  box drawing, fullwidth forms).
- ``gb2312-report``: GB2312 (7,445 characters, 6,763 of them Han) plus the same blocks.
- ``bmp-han``: ``gbk-report`` plus every Han ideograph of the Basic Multilingual Plane
  (URO U+4E00-U+9FFF, Extension A U+3400-U+4DBF, compatibility U+F900-U+FAFF) and kana.
- ``ext-b``: CJK Unified Ideographs Extension B, U+20000-U+2A6DF.
- ``whole-cmap``: everything the font maps.

Each function takes the font's own character map and returns the code points to keep.
"""
from __future__ import annotations

# Blocks beyond GBK that Chinese reports use (inclusive ranges).
REPORT_BLOCKS = [
    (0x0020, 0x007E),   # ASCII
    (0x00A0, 0x00FF),   # Latin-1 supplement
    (0x0100, 0x017F),   # Latin extended-A (pinyin ā ē ī ō ū)
    (0x01CD, 0x01DC),   # pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    (0x02B0, 0x02FF),   # spacing modifier letters
    (0x0370, 0x03FF),   # Greek
    (0x0400, 0x04FF),   # Cyrillic
    (0x2000, 0x206F),   # general punctuation (— … ‘’ “” ※)
    (0x2070, 0x209F),   # superscripts and subscripts
    (0x20A0, 0x20CF),   # currency
    (0x2100, 0x214F),   # letterlike (℃ № ™)
    (0x2150, 0x218F),   # number forms (Ⅰ Ⅱ ⅰ)
    (0x2190, 0x21FF),   # arrows
    (0x2200, 0x22FF),   # mathematical operators
    (0x2300, 0x23FF),   # miscellaneous technical
    (0x2460, 0x24FF),   # enclosed alphanumerics (① ⑴ ⒈)
    (0x2500, 0x257F),   # box drawing
    (0x25A0, 0x25FF),   # geometric shapes (■ □ ▲ ○ ●)
    (0x2600, 0x26FF),   # miscellaneous symbols (★ ☆ ☑)
    (0x2700, 0x27BF),   # dingbats (✓ ✔)
    (0x3000, 0x303F),   # CJK symbols and punctuation
    (0x3200, 0x32FF),   # enclosed CJK letters and months (㈠ ㊣)
    (0x3300, 0x33FF),   # CJK compatibility (㎡ ㎏)
    (0xFE10, 0xFE1F),   # vertical forms
    (0xFE30, 0xFE4F),   # CJK compatibility forms
    (0xFF00, 0xFFEF),   # halfwidth and fullwidth forms
]

BMP_HAN_BLOCKS = [
    (0x3040, 0x30FF),   # hiragana, katakana
    (0x3400, 0x4DBF),   # CJK Extension A
    (0x4E00, 0x9FFF),   # CJK Unified Ideographs
    (0xF900, 0xFAFF),   # CJK compatibility ideographs
]

EXT_B = (0x20000, 0x2A6DF)


def ranges(blocks: list[tuple[int, int]]) -> set[int]:
    return {cp for lo, hi in blocks for cp in range(lo, hi + 1)}


def gbk_codepoints() -> set[int]:
    """Every character GBK encodes: decode all double-byte codes (lead 0x81-0xFE, trail 0x40-0xFE)."""
    out = set(range(0x80))
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                out.add(ord(bytes([lead, trail]).decode("gbk")))
            except UnicodeDecodeError:
                pass
    return out


def gb2312_codepoints() -> set[int]:
    """Every character GB2312 encodes (EUC-CN: lead and trail bytes 0xA1-0xFE)."""
    out = set(range(0x80))
    for lead in range(0xA1, 0xFF):
        for trail in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes([lead, trail]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return out


def gb2312_report(cmap: set[int]) -> set[int]:
    return (gb2312_codepoints() | ranges(REPORT_BLOCKS)) & cmap


def gbk_report(cmap: set[int]) -> set[int]:
    return (gbk_codepoints() | ranges(REPORT_BLOCKS)) & cmap


def bmp_han(cmap: set[int]) -> set[int]:
    return (gbk_report(cmap) | ranges(BMP_HAN_BLOCKS)) & cmap


def ext_b(cmap: set[int]) -> set[int]:
    return ranges([EXT_B]) & cmap


def whole_cmap(cmap: set[int]) -> set[int]:
    return set(cmap)


REPERTOIRES = {
    "gb2312-report": gb2312_report,
    "gbk-report": gbk_report,
    "bmp-han": bmp_han,
    "ext-b": ext_b,
    "whole-cmap": whole_cmap,
}
