"""Chinese line breaking: where a paragraph's lines end, and how much each line stretches.

Pure functions, no fonts: the input is a sequence of ``Item`` (an unbreakable piece of text
and its width) and a line width; the output is a list of ``Line`` (which items, their natural
width, the slack to spread, whether to justify).

The rules (禁则), as Word and LibreOffice apply them:
- no line begins with a closing mark (``CLOSERS``) and none ends with an opening mark
  (``OPENERS``); a dash —— may begin a line but is never split (``UNSPLIT``);
- hanging punctuation (``HANGING``: ，。、；：！？．): when such a mark would begin a line, it
  stays at the end of the line before, as Word and LibreOffice let it hang past the margin;
  the PDF keeps it inside the measure by tightening that line instead (a negative slack, at
  most the mark's width). Only after Chinese text (``hangs_after``): when the last letter or
  digit before the mark is Latin (``WORKS、``, ``7%。``, ``(APS）、``) LibreOffice breaks by the
  Latin text's rules and nothing hangs. Only the one mark hangs: before any other closer
  (”）》…), or a second mark, the character before it is pulled down to the next line with
  it (the line left behind is stretched by justification);
- a Chinese closing mark between Latin texts (``2009)。Kim``) does not part from the Latin
  word after it;
- quotation marks (``QUOTES``: “”‘’"') do not part from Latin text next to them (UAX #14
  LB19a, as LibreOffice applies it): no break between ``AB`` and ``“``, nor between ``”``
  and ``(``;
- Latin words and numbers are single items and are never split, except after a hyphen
  followed by a letter or digit (``30-`` / ``39``, as Word and LibreOffice break); a URL is
  split into pieces that may break after ``/ . - ? & =`` only (``tokenize``); a piece too wide
  for any line comes cut into characters (``Item.cut``), and a line may end between any two of
  them, so that it fills the line it starts on;
- a line may break at a space (between two Latin words too); spaces vanish at the end and
  the start of a line; a newline in the text (``FORCED_BREAK``) ends its line there;
- every line but a paragraph's last is justified.
"""
from __future__ import annotations

import re
import unicodedata
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
# Full-width marks whose glyph fills only half its em (punctuation compression would set them
# at half width).
SQUEEZABLE = frozenset("，。、；：（）《》「」『』〈〉【】〔〕“”‘’")
# The closers that may stay at the end of a full line (LibreOffice's hanging characters for
# Chinese, measured); before any other closer (”）》…) the character before it goes down with it.
HANGING = frozenset("，。、；：！？．")
# Quotation marks (UAX #14 class QU): a line does not break between one and Latin text.
QUOTES = frozenset("“”‘’\"'")
# A line break in the text: its line ends there, unjustified.
FORCED_BREAK = "\n"
# Inside a URL a line may break after these characters only.
URL_BREAK_AFTER = frozenset("/.-?&=")

_URL = r"(?:https?://|ftp://|www\.)[!-~]+?(?=[,.;:!?)\]]*(?:[^!-~]|$))"
_LATIN = r"[A-Za-z0-9_@#$+*]+(?:[.,:'’\-/%][A-Za-z0-9_@#$+*]+)*%?"
_TOKEN = re.compile(rf"(?P<url>{_URL})|(?P<latin>{_LATIN})|(?P<newline>\n)|(?P<space>[^\S\n]+)|.", re.S)
_URL_PIECE = re.compile(r"[^/.\-?&=]*[/.\-?&=]*")
_HOLDERS = QUOTES | CLOSERS   # a break after one of these is checked by _quote_holds, _latin_run
_AFTER_HYPHEN = re.compile(r"(?<=-)(?=[A-Za-z0-9])")


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
    slack: float        # line width minus natural width; negative: a hanging mark kept on the
                        # line (by at most its width), or one item is wider than the line
    justify: bool       # stretch to the full width (every line but the last)


def tokenize(text: str) -> list[str]:
    """Split text into unbreakable tokens: one CJK character, one Latin word or number (a
    hyphenated one in pieces ending with their hyphen), one run of spaces, or one piece of a URL
    (ending after a character it may break after)."""
    tokens: list[str] = []
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "url":
            tokens.extend(p for p in _URL_PIECE.findall(m.group()) if p)
        elif m.lastgroup == "latin":
            tokens.extend(_AFTER_HYPHEN.split(m.group()))
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


def hangs_after(items: Sequence[Item], start: int, i: int) -> bool:
    """Whether the closer ``items[i]`` may hang at the end of a line beginning at ``start``:
    the last letter or digit before it (marks and spaces stepped over) is Chinese, not Latin.
    LibreOffice takes the line-breaking language from that character: after Latin text no
    mark hangs, and the Latin word goes down with it."""
    for k in range(i - 1, start - 1, -1):
        for ch in reversed(items[k].text):
            if ch.isalnum():
                return not _latin_script(ch)
    return True


def _latin_script(ch: str) -> bool:
    """A letter or digit of a Western script (everything before the CJK blocks); the
    full-width forms (Ａ１) are Chinese text."""
    return ord(ch) < 0x2E80


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


def allowed_breaks(items: Sequence[Item]) -> list[bool]:
    """``allowed[i]``: a line may begin at item i. Spaces between two items do not hide a
    closer after them or an opener before them."""
    n = len(items)
    next_word: list[Optional[Item]] = [None] * (n + 1)   # first non-space item at or after i
    for i in range(n - 1, -1, -1):
        next_word[i] = next_word[i + 1] if is_space(items[i].text) else items[i]
    allowed = [False] * n
    prev: Optional[int] = None                           # last non-space item before i
    for i, item in enumerate(items):
        if prev is not None:
            after = next_word[i]
            spaced = is_space(item.text) or is_space(items[i - 1].text)
            allowed[i] = after is None or may_break_between(items[prev], after, spaced)
            if allowed[i] and not spaced and (after.text[0] in QUOTES or items[prev].text[-1] in _HOLDERS):
                allowed[i] = not (_quote_holds(items, prev, i) or _latin_run(items, prev, i))
        if not is_space(item.text):
            prev = i
    return allowed


def _latin_run(items: Sequence[Item], b: int, a: int) -> bool:
    """Whether a Chinese closing mark ``items[b]`` belongs to the Latin text around it: the
    last letter or digit before it and the first after it are Latin (``2009)。Kim``), so no
    line breaks between the mark and the Latin word, as LibreOffice sets it; after Chinese
    text (``发挥。Kim``) the break is allowed."""
    mark, after = items[b].text, items[a].text
    return (len(mark) == 1 and mark in CLOSERS and not mark.isascii()
            and after[0].isalnum() and _latin_script(after[0]) and not hangs_after(items, 0, b))


def _east_asian(ch: Optional[str]) -> bool:
    return ch is not None and unicodedata.east_asian_width(ch) in ("F", "W", "H")


def _quote_holds(items: Sequence[Item], b: int, a: int) -> bool:
    """Whether a quotation mark keeps ``items[b]`` and ``items[a]`` (adjacent) on one line:
    no break between a quote and a character that is not East Asian (Latin text, a
    half-width bracket) on the other side of the break, as LibreOffice breaks (UAX #14 LB19a,
    its first and third parts: ``AB“`` and ``”(`` hold, ``甲“AB`` may break before the quote)."""
    before, after = items[b].text[-1], items[a].text[0]
    return (after in QUOTES and not _east_asian(before)) or (before in QUOTES and not _east_asian(after))


def break_lines(items: Sequence[Item], width: float, first_width: Optional[float] = None,
                tolerance: float = 1e-6, squeeze: bool = True) -> list[Line]:
    """Greedy first-fit line breaking under the rules above.

    ``first_width`` is the first line's width (first-line indent or hanging label); the
    others get ``width``. A line gets as many items as fit; when the break there is not
    allowed, a hanging mark (``_hanging_break``) stays on the line (``squeeze``: the profile's
    hanging punctuation; without it never), else the line moves back to the last allowed
    break. Only when a
    line holds no allowed break at all (one item wider than the line, or a run of closers
    longer than a line) is the line broken where it overflows.
    """
    n = len(items)
    allowed = allowed_breaks(items)
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
                hung = _hanging_break(items, allowed, start, i) if squeeze else None
                brk = i if allowed[i] else (hung or last_allowed or i)
                break
            x += w
        end = _trimmed_end(items, start, brk)
        natural = sum(it.width for it in items[start:end])
        forced = brk < n and items[brk].text == FORCED_BREAK
        lines.append(Line(start, end, natural, avail - natural, brk < n and not forced))
        start = brk + 1 if forced else brk


def _hanging_break(items: Sequence[Item], allowed: list[bool], start: int, i: int) -> Optional[int]:
    """Where the line ends when ``items[i]`` (which does not fit) is a mark that hangs: just
    after it, when a line may break there (a space or two between allowed); None when it does
    not hang (another closer, after Latin text, or a second closer follows)."""
    if items[i].text not in HANGING or not hangs_after(items, start, i):
        return None
    if i + 1 < len(items) and not allowed[i + 1]:
        return None
    return i + 1
