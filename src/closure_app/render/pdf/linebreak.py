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
# A token that may be longer than one character; any other character (a newline too) is a token
# by itself.
_WORD = re.compile(rf"(?P<url>{_URL})|(?P<latin>{_LATIN})|(?P<space>[^\S\n]+)")
_URL_PIECE = re.compile(r"[^/.\-?&=]*[/.\-?&=]*")
_CJK_FROM = "\u2e80"   # the first character of the CJK blocks (see _latin_script)
_MARKS_AFTER = CLOSERS | QUOTES | UNSPLIT      # an item beginning with one is judged (_kind)
_MARKS_BEFORE = OPENERS | QUOTES | UNSPLIT     # an item ending with one is judged
_AFTER_HYPHEN = re.compile(r"(?<=-)(?=[A-Za-z0-9])")


class Item(NamedTuple):
    """An unbreakable piece of a paragraph (``text`` never empty). ``glue``: no line may begin
    with this item. ``cut``: one character of a word too wide for any line (a line may end
    between two)."""
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
    pos = 0
    for m in _WORD.finditer(text):   # between two words, every character is a token
        tokens.extend(text[pos:m.start()])
        pos = m.end()
        if m.lastgroup == "url":
            tokens.extend(p for p in _URL_PIECE.findall(m.group()) if p)
        elif m.lastgroup == "latin":
            tokens.extend(_AFTER_HYPHEN.split(m.group()))
        else:
            tokens.append(m.group())
    tokens.extend(text[pos:])
    return tokens


def squeeze_room(items: Sequence[Item]) -> float:
    """How much a line of ``items`` may be tightened: half of each squeezable mark."""
    return sum(it.width / 2 for it in items if it.text in SQUEEZABLE)


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
    return _breaks(items)[0]


# What an item's text is, for ``_breaks``, as bits (``_kind``): a space, the newline, and three
# facts that decide most pairs without looking further: after any item, one beginning with a
# closer (``_SHUT``) may not begin a line; after a ``_FREE_BEFORE`` item, a ``_FREE_AFTER``
# one (not glue) always may.
_SPACE = 1
_NEWLINE = 2
_SHUT = 4           # begins with a closer
_FREE_AFTER = 8     # begins with a Chinese character that is no mark (not Latin, no quote)
_FREE_BEFORE = 16   # ends with a non-ASCII character that is no opener, quote or dash
_KINDS: dict[str, int] = {}   # text -> bits, shared by every call (cleared when large)
_KINDS_MAX = 1 << 16


def _kind(text: str) -> int:
    """The bits of ``text`` (see above), remembered in ``_KINDS``."""
    if text.isspace():
        kind = _SPACE | (_NEWLINE if text == FORCED_BREAK else 0)
    else:
        first, last = text[0], text[-1]
        kind = 0
        if first in CLOSERS:
            kind |= _SHUT
        elif first >= _CJK_FROM and first not in _MARKS_AFTER:
            kind |= _FREE_AFTER
        if not last.isascii() and last not in _MARKS_BEFORE:
            kind |= _FREE_BEFORE
    if len(_KINDS) >= _KINDS_MAX:
        _KINDS.clear()
    _KINDS[text] = kind
    return kind


def _breaks(items: Sequence[Item]) -> tuple[list[bool], list[int]]:
    """``allowed_breaks`` and the positions of the forced breaks, in one pass.

    The rules of ``may_break_between``, item by item: a pair of adjacent items that
    ``_kind`` decides (two Chinese characters, a closer after anything, a Chinese closer
    before a character) costs a lookup; other adjacent pairs are judged by
    ``may_break_between`` and, where a quote or closer meets the break, ``_quote_holds`` and
    ``_latin_run``; across a run of spaces the spaced rule, the same for each position of the
    run and the word after it; after the last word, always.
    """
    n = len(items)
    allowed = [False] * n
    newlines: list[int] = []
    kinds = _KINDS.get
    before = _SPACE     # kind of items[i - 1] (none: as a space)
    word = -1           # the last non-space item before the run of spaces at i (-1: none)
    for i, (text, _, glue, _cut) in enumerate(items):
        kind = kinds(text)
        if kind is None:
            kind = _kind(text)
        if kind & _FREE_AFTER and before & _FREE_BEFORE and not glue:
            allowed[i] = True
        elif kind & _SPACE:
            if not before & _SPACE:
                word = i - 1
            if kind & _NEWLINE:
                newlines.append(i)
        elif kind & _SHUT:
            pass                        # never after anything, nor after spaces
        elif not before & _SPACE:       # next to the item before
            prev = items[i - 1]
            ok = may_break_between(prev, items[i])
            last = prev.text[-1]
            # a quote holds only with a quote on one side; a Latin run only with a closer
            # before a Latin letter or digit
            if ok and (text[0] in QUOTES or last in QUOTES or (last in CLOSERS and text[0] < _CJK_FROM)):
                ok = not (_quote_holds(items, i - 1, i) or _latin_run(items, i - 1, i))
            allowed[i] = ok
        elif word >= 0 and may_break_between(items[word], items[i], True):
            allowed[word + 1:i + 1] = [True] * (i - word)
        before = kind
    if before & _SPACE and word >= 0:   # spaces after the last word
        allowed[word + 1:] = [True] * (n - 1 - word)
    return allowed, newlines


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
    allowed, newlines = _breaks(items)
    newlines.append(n)
    widths = [it.width for it in items]
    lines: list[Line] = []
    start = 0
    forced = 0           # newlines[forced]: the first forced break at or after ``start`` (or n)
    while True:
        while start < n and items[start].text.isspace():
            start += 1
        if start >= n:
            return lines
        avail = first_width if (first_width is not None and not lines) else width
        limit = avail + tolerance
        while newlines[forced] < start:
            forced += 1
        stop = brk = newlines[forced]
        x = 0.0 + widths[start]
        for i in range(start + 1, stop):
            w = widths[i]
            if x + w > limit and not items[i].text.isspace():     # items[i] does not fit
                brk = i if allowed[i] else ((_hanging_break(items, allowed, start, i) if squeeze else None)
                                            or _last_allowed(allowed, start, i) or i)
                break
            x += w
        end = brk
        while end > start and items[end - 1].text.isspace():
            end -= 1
        natural = sum(widths[start:end])
        at_newline = brk == stop < n
        lines.append(Line(start, end, natural, avail - natural, brk < n and not at_newline))
        start = brk + 1 if at_newline else brk


def _last_allowed(allowed: list[bool], start: int, i: int) -> Optional[int]:
    """The last item after ``start`` and before ``i`` a line may begin with (None: none)."""
    k = i - 1
    while k > start and not allowed[k]:
        k -= 1
    return k if k > start else None


def _hanging_break(items: Sequence[Item], allowed: list[bool], start: int, i: int) -> Optional[int]:
    """Where the line ends when ``items[i]`` (which does not fit) is a mark that hangs: just
    after it, when a line may break there (a space or two between allowed); None when it does
    not hang (another closer, after Latin text, or a second closer follows)."""
    if items[i].text not in HANGING or not hangs_after(items, start, i):
        return None
    if i + 1 < len(items) and not allowed[i + 1]:
        return None
    return i + 1
