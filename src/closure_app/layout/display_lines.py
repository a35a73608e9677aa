"""Where display text breaks: titles, the author block, headings, TOC entries, table headers and
the form's cover values, as a reader and GB/T 9704-2012 (7.3.1: 词意完整，排列对称，长短适宜)
expect.

Pure: the input is the text, the width of each of its characters (the PDF's font metrics, given
by the caller), the line widths and a word segmenter; the output is the text's lines. The rules:

- a break the user wrote (a newline) always stays, and each part between is broken alone;
- a line breaks only between words (``words``, the segmenter) or at a space; never after a
  heading's number (第一章, 1.1, （一）), never inside a Latin word, a number with its unit, an
  e-mail address or a URL (unless it is wider than a line: then preferably after / . -), nor
  before a short bracket glossing the word before it (模型（SEM）);
- no line begins with a closing mark (，。）》” …) or ends with an opening one (（《“ …); a dash
  (——) may begin a line but never ends one;
- no line is one or two characters (when the text allows it at all);
- the fewest lines, balanced (a trapezoid, or a diamond when there are three or more lines: a
  middle line shorter than the others costs more than a longer one), unless a phrase boundary
  gives a better break: before ——, after ：, before a bracket that ends the text, where the
  source has a space; after ，； a little less;
- a subtitle (after —— or ：) starts its own line when the main part before it fits on one;
- ``fill``: lines filled in turn instead of balanced (TOC entries, whose last line ends in a
  leader), still between words and never leaving one or two characters on a line.

The choice is a small dynamic programme over the breaks a text allows (a title has tens): the
cost of a set of lines is the squared deviation of each line from the mean line (or its slack,
for ``fill``), minus a bonus per phrase boundary taken, plus a penalty per extra line and for
breaks a reader stumbles on (a line beginning with 的, one ending with 与, a break inside
《》 or “”).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

# Marks no line may begin with, and marks no line may end with (as the PDF line breaker).
CLOSERS = frozenset("，。、；：？！）》」』〉】〕〗｝］”’…·・％‰,.;:?!)]}%")
OPENERS = frozenset("（《「『〈【〔〖｛［“‘([{")
DASHES = frozenset("—–―")
PAIRS = {"《": "》", "“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "【": "】"}
# A line should not begin with these particles, nor end with these conjunctions.
WEAK_STARTS = frozenset(["的", "之", "地", "得", "了", "着", "们", "等", "性", "化"])
WEAK_ENDS = frozenset(["与", "和", "及", "或", "并", "以", "对", "在", "从", "把", "被", "为", "向"])
# The number a heading carries: it stays with the first word after it.
HEADING_NUMBER = re.compile(
    r"^\s*(?:第[0-9〇零一二三四五六七八九十百两]+[章节篇部编]"
    r"|[0-9]+(?:\.[0-9]+)*\.?(?=\s|[^0-9A-Za-z.])"
    r"|[0-9]+[)）][、.]?|[(（][0-9一二三四五六七八九十]+[)）]"
    r"|[一二三四五六七八九十]+、|[0-9]+、)\s*")

MIN_CHARS = 3            # no line shorter than this many characters
PHRASE = 60.0            # bonus for a break at a phrase boundary (in units of imbalance, below)
SUBTITLE = 100.0         # bonus for the break before a subtitle (the first —— or ： outside brackets)
CLAUSE = 30.0            # after ，；
ENUMERATION = 8.0        # after 、
EXTRA_LINE = 60.0        # each line beyond the fewest the text can take
WEAK = 40.0              # a line beginning with a particle
WEAK_END = 12.0          # a line ending with a conjunction or preposition
SHORT_BRACKET = 8        # a bracket enclosing at most this many characters glosses the word before
INSIDE_PAIR = 25.0       # a break inside 《》 “” （）
INSIDE_WORD = 500.0      # a break inside a word too wide for any line (half that after / . - in a URL)
URL_BREAK_AFTER = frozenset("/.-?&=_")
MID_SHORT = 2.0          # a middle line shorter than the mean weighs this much more (no hourglass)
TOP_LONGER = 0.25        # two lines: the upper a little longer weighs this (a trapezoid, 上短下长)
LINE_UNITS = 20.0        # the unit of imbalance: a twentieth of the line
EPS = 1e-3               # points: a line must fit with this to spare


@dataclass(frozen=True)
class _Atom:
    start: int           # characters start:end of the part, no space at either end
    end: int
    cost: float          # of a break before this atom (the first atom's is unused)
    subtitle: bool = False  # a subtitle begins here (the first —— or text after ： outside brackets)


def break_lines(text: str, widths: Sequence[float], width: float, first_width: Optional[float] = None,
                *, words: Callable[[str], list[str]], subtitle: bool = True,
                fill: bool = False) -> list[tuple[int, int]]:
    """The lines of ``text`` set in ``width`` (the first in ``first_width``), as (start, end)
    offsets into ``text``; what lies between two lines (a newline, a space) is not set.

    ``widths[i]`` is the width of ``text[i]`` (points, as the PDF measures it); ``subtitle``:
    a main part that fits on one line ends it. Text that fits stays one line.
    """
    first = width if first_width is None else first_width
    spans: list[tuple[int, int]] = []
    pos = 0
    for k, part in enumerate(text.split("\n")):
        s = pos + len(part) - len(part.lstrip())
        e = pos + len(part.rstrip())
        if e <= s:
            spans.append((pos, pos))
        else:
            spans += [(s + a, s + b) for a, b in _break_part(
                text[s:e], list(widths[s:e]), width, first if k == 0 else width, words, subtitle, fill)]
        pos += len(part) + 1
    return spans


def display_lines(text: str, widths: Sequence[float], width: float, first_width: Optional[float] = None,
                  **kw) -> list[str]:
    """The lines of ``break_lines`` as strings."""
    return [text[a:b] for a, b in break_lines(text, widths, width, first_width, **kw)]


def _break_part(part: str, cw: list[float], width: float, first: float, words,
                subtitle: bool, fill: bool) -> list[tuple[int, int]]:
    prefix = [0.0]
    for w in cw:
        prefix.append(prefix[-1] + w)
    if prefix[-1] <= first - EPS:
        return [(0, len(part))]
    atoms = _atoms(part, words, subtitle)
    forced = _forced_subtitle(part, atoms, prefix, first - EPS)
    if forced is not None:                             # the main part on a line, the subtitle after
        cut = atoms[forced].start
        main_end = len(part[:cut].rstrip())
        rest = _break_part(part[cut:], cw[cut:], width, width, words, False, fill)
        return [(0, main_end)] + [(cut + a, cut + b) for a, b in rest]
    atoms = _split_wide(part, atoms, prefix, min(width, first))
    fit = lambda i: (first if i == 0 else width) - EPS  # noqa: E731
    best = None
    for min_chars in (MIN_CHARS, 1):
        best = _choose(part, atoms, prefix, fit, fill, min_chars)
        if best is not None:
            break
    if best is None:                                   # nothing fits: one line, the PDF wraps it
        return [(0, len(part))]
    return [(atoms[a].start, atoms[b - 1].end) for a, b in zip(best, best[1:])]


def _atoms(part: str, words, subtitle: bool) -> list[_Atom]:
    """The pieces of ``part`` a line may break between, each with the cost of breaking before it."""
    tokens: list[tuple[int, int, bool]] = []       # (start, end, a space before it)
    for m in re.finditer(r"\S+", part):
        for chunk in re.finditer(r"[!-~]+|[^!-~]+", m.group()):   # Latin words, numbers, URLs whole
            pos = m.start() + chunk.start()
            for w in (words(chunk.group()) if not chunk.group().isascii() else [chunk.group()]):
                tokens.append((pos, pos + len(w), pos == m.start() and bool(tokens)))
                pos += len(w)
    number = HEADING_NUMBER.match(part)
    number_end = number.end() if number and number.end() < len(part) else 0
    depth = 0
    atoms: list[list] = []
    subtitle_taken = False
    for k, (s, e, spaced) in enumerate(tokens):
        tok = part[s:e]
        if k == 0:
            atoms.append([s, e, 0.0, False])
        else:
            prev = part[tokens[k - 1][0]:tokens[k - 1][1]]
            cost = _break_cost(prev, tok, spaced, depth, s <= number_end, _bracket(part, s))
            if cost is None:
                atoms[-1][1] = e
            else:
                sub = (subtitle and not subtitle_taken and depth == 0
                       and (tok[0] in DASHES or prev[-1] in "：:"))
                subtitle_taken |= sub
                if sub:
                    cost -= SUBTITLE - PHRASE
                atoms.append([s, e, cost, sub])
        for ch in tok:
            if ch in PAIRS:
                depth += 1
            elif ch in PAIRS.values() and depth:
                depth -= 1
    return [_Atom(*a) for a in atoms]


def _bracket(part: str, s: int) -> Optional[tuple[int, bool]]:
    """For a （ at ``s``: the length of what it encloses and whether it closes the text."""
    if part[s] not in "（(":
        return None
    close = "）" if part[s] == "（" else ")"
    end = part.find(close, s)
    if end < 0:
        return len(part) - s, True
    return end - s - 1, not part[end + 1:].strip()


def _break_cost(prev: str, tok: str, spaced: bool, depth: int, in_number: bool,
                bracket: Optional[tuple[int, bool]]) -> Optional[float]:
    """Cost of a line break between the words ``prev`` and ``tok``; None: not allowed. ``bracket``: ``tok`` opens a bracket enclosing so many characters, and
    whether it closes the text."""
    a, b = prev[-1], tok[0]
    if in_number or b in CLOSERS or a in OPENERS or a in DASHES:
        return None
    if bracket is not None and not bracket[1] and bracket[0] <= SHORT_BRACKET:
        return None                                  # a word's gloss: 模型（SEM）, 人工智能（AI）
    if not spaced and a.isascii() and b.isascii() and a.isalnum() and b.isalnum():
        return None                                  # one Latin word or number, cut by the segmenter
    if not spaced and a.isdigit() and len(tok) == 1 and not tok.isascii():
        return None                                  # a number and its unit: 2024年, 3级
    cost = 0.0
    if spaced or b in DASHES or a in "：:" or (bracket is not None and bracket[1]):
        cost -= PHRASE                               # (a bracket that ends the text: （2015—2024年）
    elif a in "，；,;":
        cost -= CLAUSE
    elif a == "、":
        cost -= ENUMERATION
    if tok in WEAK_STARTS:
        cost += WEAK
    if prev in WEAK_ENDS:
        cost += WEAK_END
    if depth > 0:
        cost += INSIDE_PAIR
    return cost


def _split_wide(part: str, atoms: list[_Atom], prefix: list[float], width: float) -> list[_Atom]:
    """Atoms wider than a line cut into characters (breaking inside them costs ``INSIDE_WORD``)."""
    out: list[_Atom] = []
    for at in atoms:
        if prefix[at.end] - prefix[at.start] <= width - EPS or at.end - at.start < 2:
            out.append(at)
            continue
        for i in range(at.start, at.end):
            if i == at.start:
                out.append(_Atom(i, i + 1, at.cost, at.subtitle))
            else:
                ok = part[i] not in CLOSERS and part[i - 1] not in OPENERS
                if ok:
                    out.append(_Atom(i, i + 1, INSIDE_WORD / (2 if part[i - 1] in URL_BREAK_AFTER else 1)))
                else:
                    last = out[-1]
                    out[-1] = _Atom(last.start, i + 1, last.cost, last.subtitle)
    return out


def _choose(part: str, atoms: list[_Atom], prefix: list[float], fit, fill: bool,
            min_chars: int) -> Optional[list[int]]:
    """Indices of the atoms that begin each line (and ``len(atoms)`` last); None if no lines fit."""
    n = len(atoms)
    chars = [0]
    for i, ch in enumerate(part):
        chars.append(chars[-1] + (not ch.isspace()))

    def span(a: int, b: int) -> tuple[float, int]:
        s, e = atoms[a].start, atoms[b - 1].end
        return prefix[e] - prefix[s], chars[e] - chars[s]

    fewest = _fewest_lines(atoms, prefix, fit, span)
    if fewest is None:
        return None
    total = prefix[atoms[-1].end] - prefix[atoms[0].start]
    best_cost, best = None, None
    for k in range(fewest, fewest + 2):
        mean = total / k
        # cost[i][j]: the best first i lines ending before atom j
        inf = float("inf")
        cost = [[inf] * (n + 1) for _ in range(k + 1)]
        back = [[-1] * (n + 1) for _ in range(k + 1)]
        cost[0][0] = 0.0
        for i in range(1, k + 1):
            for j in range(1, n + 1):
                if i == k and j != n:
                    continue
                for a in range(j - 1, -1, -1):
                    if cost[i - 1][a] == inf:
                        continue
                    w, c = span(a, j)
                    if w > fit(i - 1):
                        break
                    if c < min_chars:
                        continue
                    line = _line_cost(w, mean, i - 1, k, fill, fit(i - 1))
                    brk = atoms[a].cost if a else 0.0
                    total_cost = cost[i - 1][a] + line + brk
                    if total_cost < cost[i][j]:
                        cost[i][j], back[i][j] = total_cost, a
        if cost[k][n] == inf:
            continue
        found = cost[k][n] + EXTRA_LINE * (k - fewest)
        if best_cost is None or found < best_cost - 1e-9:
            starts, j = [n], n
            for i in range(k, 0, -1):
                j = back[i][j]
                starts.append(j)
            best_cost, best = found, starts[::-1]
    return best


def _line_cost(w: float, mean: float, i: int, k: int, fill: bool, avail: float) -> float:
    """Line ``i`` of ``k``, ``w`` wide: its squared deviation from the mean line (its slack, for
    ``fill``), in twentieths of the measure (a title's character, at 二号 on a 156 mm line)."""
    unit = avail / LINE_UNITS
    if fill:
        return 0.0 if i == k - 1 else ((avail - w) / unit) ** 2
    d = (w - mean) / unit
    cost = d * d
    if 0 < i < k - 1 and d < 0:
        cost *= 1 + MID_SHORT
    if k == 2 and i == 0 and d > 0:
        cost += TOP_LONGER * d
    return cost


def _forced_subtitle(part: str, atoms: list[_Atom], prefix: list[float], first: float) -> Optional[int]:
    """The atom a subtitle begins with, when the main part before it fits on the first line
    (and neither part is too short to stand on a line of its own)."""
    for k, at in enumerate(atoms):
        if at.subtitle and k > 0:
            main = prefix[atoms[k - 1].end] - prefix[atoms[0].start]
            long_enough = min(_chars(part[:at.start]), _chars(part[at.start:])) >= MIN_CHARS
            return k if main <= first and long_enough else None
    return None


def _chars(s: str) -> int:
    return sum(not ch.isspace() for ch in s)


def _fewest_lines(atoms, prefix, fit, span) -> Optional[int]:
    """The fewest lines the atoms fill (first fit, which is optimal for the count), or None
    when some atom is too wide; a short last line is taken care of by the caller's search."""
    n = len(atoms)
    lines, a = 0, 0
    while a < n:
        b = a + 1
        if span(a, b)[0] > fit(lines):
            return None
        while b < n and span(a, b + 1)[0] <= fit(lines):
            b += 1
        lines, a = lines + 1, b
    return lines
