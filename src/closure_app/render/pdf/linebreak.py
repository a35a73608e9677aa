"""Chinese line breaking: where a paragraph's lines end, and how much each line stretches.

Pure functions, no fonts: the input is a sequence of ``Item`` (an unbreakable piece of text
and its width) and a line width; the output is a list of ``Line`` (which items, their natural
width, the slack to spread, whether to justify).

The rules (禁则):
- no line begins with a closing mark (``CLOSERS``) and none ends with an opening mark
  (``OPENERS``); a dash —— may begin a line but is never split (``UNSPLIT``), as Word and
  LibreOffice set it; when a closer would start a line, it is first kept on the line by squeezing
  the line's punctuation (标点挤压: each full-width mark in ``SQUEEZABLE`` may give up half
  its width), for the marks Word and LibreOffice let hang (``HANGING``: ，。、；：！？．) only;
  when that is not enough, or the closer is another (”）》…), the character before it is
  pulled down to the next line with it (the line left behind is stretched by justification);
- Latin words and numbers are single items and are never split; a URL is split into pieces
  that may break after ``/ . - ? & =`` only (``tokenize``); a piece too wide for any line
  comes cut into characters (``Item.cut``), and a line may end between any two of them, so
  that it fills the line it starts on;
- a line may break at a space (between two Latin words too); spaces vanish at the end and
  the start of a line; a newline in the text (``FORCED_BREAK``) ends its line there;
- every line but a paragraph's last is justified.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple, Optional, Sequence

# Marks that must not begin a line (full-width and half-width).
CLOSERS = frozenset(
    "，。、；：？！）》」』〉】〕〗｝］”’…–％‰・·～〜ー"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.;:?!)]}%-"    # a hyphen stays with what comes before it (UAX #14, Word, LibreOffice)
)
# Marks a line may begin with but not be split inside (a dash —— stays whole).
UNSPLIT = frozenset("—")
# Marks that must not end a line.
OPENERS = frozenset("（《「『〈【〔〖｛［“‘([{")
# Full-width marks whose glyph fills only half its em: a line may be tightened by half of each.
SQUEEZABLE = frozenset("，。、；：（）《》「」『』〈〉【】〔〕“”‘’")
# The closers that may stay at the end of a full line (hanging in Word and LibreOffice, squeezed
# in here); before any other closer (”）》…) the character before it goes down with it.
HANGING = frozenset("，。、；：！？．")
# A line break in the text: its line ends there, unjustified.
FORCED_BREAK = "\n"
# Inside a URL a line may break after these characters only.
URL_BREAK_AFTER = frozenset("/.-?&=")

_URL = r"(?:https?://|ftp://|www\.)[!-~]+?(?=[,.;:!?)\]]*(?:[^!-~]|$))"
_LATIN = r"[A-Za-z0-9_@#$+*]+(?:[.,:'’\-/%][A-Za-z0-9_@#$+*]+)*%?"
_TOKEN = re.compile(rf"(?P<url>{_URL})|(?P<latin>{_LATIN})|(?P<newline>\n)|(?P<space>[^\S\n]+)|.", re.S)
_URL_PIECE = re.compile(r"[^/.\-?&=]*[/.\-?&=]*")


class Item(NamedTuple):
    """An unbreakable piece of a paragraph. ``glue``: no line may begin with this item.
    ``cut``: one character of a word too wide for any line (a line may end between two)."""
    text: str
    width: float
    glue: bool = False
    cut: bool = False


@dataclass(frozen=True)
class Line:
    """Items ``start:end`` of the input (trailing and leading spaces left out)."""
    start: int
    end: int
    width: float        # natural width of the items
    slack: float        # line width minus natural width; negative: the line's punctuation is
                        # squeezed (by at most ``squeeze_room``), or one item is wider than the line
    justify: bool       # stretch to the full width (every line but the last)


def tokenize(text: str) -> list[str]:
    """Split text into unbreakable tokens: one CJK character, one Latin word or number, one
    run of spaces, or one piece of a URL (ending after a character it may break after)."""
    tokens: list[str] = []
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "url":
            tokens.extend(p for p in _URL_PIECE.findall(m.group()) if p)
        else:
            tokens.append(m.group())
    return tokens


def squeeze_room(items: Sequence[Item]) -> float:
    """How much a line of ``items`` may be tightened: half of each squeezable mark."""
    return sum(it.width / 2 for it in items if it.text in SQUEEZABLE)


def _trimmed_end(items: Sequence[Item], start: int, end: int) -> int:
    while end > start and is_space(items[end - 1].text):
        end -= 1
    return end


def is_space(text: str) -> bool:
    return text.isspace()


def _is_latin(text: str) -> bool:
    return not text.isspace() and text[0].isascii() and text[-1].isascii()


def may_break_between(before: Item, after: Item, spaced: bool = False) -> bool:
    """Whether a line may end after ``before`` and the next begin with ``after``;
    ``spaced``: a space stands between them (two Latin words may break there)."""
    if after.glue or after.text[0] in CLOSERS or before.text[-1] in OPENERS:
        return False
    if before.text[-1] in UNSPLIT and after.text[0] == before.text[-1]:
        return False
    if spaced or (before.cut and after.cut):
        return True
    if _is_latin(before.text) and _is_latin(after.text):
        return before.text[-1] in URL_BREAK_AFTER   # a URL piece; else one word split by fonts
    return True


def _allowed_breaks(items: Sequence[Item]) -> list[bool]:
    """``allowed[i]``: a line may begin at item i. Spaces between two items do not hide a
    closer after them or an opener before them."""
    n = len(items)
    next_word: list[Optional[Item]] = [None] * (n + 1)   # first non-space item at or after i
    for i in range(n - 1, -1, -1):
        next_word[i] = next_word[i + 1] if is_space(items[i].text) else items[i]
    allowed = [False] * n
    prev: Optional[Item] = None                          # last non-space item before i
    for i, item in enumerate(items):
        if prev is not None:
            after = next_word[i]
            spaced = is_space(item.text) or is_space(items[i - 1].text)
            allowed[i] = after is None or may_break_between(prev, after, spaced)
        if not is_space(item.text):
            prev = item
    return allowed


def break_lines(items: Sequence[Item], width: float, first_width: Optional[float] = None,
                tolerance: float = 1e-6, squeeze: bool = True) -> list[Line]:
    """Greedy first-fit line breaking under the rules above.

    ``first_width`` is the first line's width (first-line indent or hanging label); the
    others get ``width``. A line gets as many items as fit; when the break there is not
    allowed, the items up to the next allowed break stay on the line if squeezing its
    punctuation makes room (``squeeze``; without it never, as Word and LibreOffice set without
    punctuation compression), else the line moves back to the last allowed break. Only when a
    line holds no allowed break at all (one item wider than the line, or a run of closers
    longer than a line) is the line broken where it overflows.
    """
    n = len(items)
    allowed = _allowed_breaks(items)
    lines: list[Line] = []
    start = 0
    while True:
        while start < n and is_space(items[start].text):
            start += 1
        if start >= n:
            return lines
        avail = first_width if (first_width is not None and not lines) else width
        x = 0.0
        last_allowed: Optional[int] = None
        brk = n
        for i in range(start, n):
            if items[i].text == FORCED_BREAK:
                brk = i
                break
            if i > start and allowed[i]:
                last_allowed = i
            w = items[i].width
            if i > start and x + w > avail + tolerance and not is_space(items[i].text):
                squeezed = (_squeezed_break(items, allowed, start, i, avail, tolerance)
                            if squeeze and items[i].text[0] in HANGING else None)
                brk = i if allowed[i] else (squeezed or last_allowed or i)
                break
            x += w
        end = _trimmed_end(items, start, brk)
        natural = sum(it.width for it in items[start:end])
        forced = brk < n and items[brk].text == FORCED_BREAK
        lines.append(Line(start, end, natural, avail - natural, brk < n and not forced))
        start = brk + 1 if forced else brk


def _squeezed_break(items: Sequence[Item], allowed: list[bool], start: int, i: int, avail: float,
                    tolerance: float) -> Optional[int]:
    """The next allowed break after ``i`` when the line up to it fits with its punctuation
    squeezed (the closers that may not start a line stay on it); None when it does not."""
    j = next((k for k in range(i + 1, len(items)) if allowed[k]), len(items))
    end = _trimmed_end(items, start, j)
    line = items[start:end]
    if sum(it.width for it in line) - squeeze_room(line) > avail + tolerance:
        return None
    return j
