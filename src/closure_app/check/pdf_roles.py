"""The role of each line of a PDF report, from what it is and where it stands.

A PDF has no styles: a line's role comes from its place and its text. Page furniture (running
headers, footers, page numbers) repeats at the top or foot of the pages and is outside the
mandate; the title is the first line, large (or centred), before any heading; the author block
follows it, centred; numbered lines that stand alone are headings; after 参考文献 the list is
references; lines inside a table's rules are table text; 图1 …/表1 … lines are captions; the
small lines at a page's foot that open with a note number are footnotes. Everything else is
body text, and is judged as body text.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Optional

from closure_app.check.pdf_reader import Line
from closure_app.check.roles import TOC_ENTRY, Role, is_caption, is_references_title, is_toc_title, text_role

SIZE_TOLERANCE_PT = 0.3
TITLE_LARGER_BY_PT = 2.0      # a title is at least this much larger than the body (小二 and up)
SHORT_BY_CHARS = 1            # a heading line ends at least this many characters before the measure
CENTRE_TOLERANCE = 0.75       # of the line's size: how far off the centre a centred line may be
HEADING_MAX_CHARS = 20        # an unnumbered heading (结语, 参考文献) is short
FOOTNOTE_SMALLER_BY_PT = 1.5
REPEATED_SHARE = 0.5          # a header or footer is on at least half the pages (and two)
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－‐\s]*\d+[-—–－‐\s]*|第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+"
    r"|page\s*\d+(?:\s*of\s*\d+)?|[ivxlc]+)$", re.IGNORECASE)
NOTE_MARK = re.compile(r"^(?:\[?\d+\]?|[①-⑳]|\*)")
_DIGITS = re.compile(r"\d+")

# Roles a line can have that the mandate does not govern (never judged).
UNJUDGED = ("furniture", "toc", "toc_title")


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text.strip()))


def _by_page(lines: list[Line]) -> dict[int, list[Line]]:
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    return pages


def furniture(lines: list[Line]) -> set[int]:
    """ids of running headers, footers and page numbers: the top-most or foot-most line of a page
    when it is a page number, or when the same text (numbers aside) stands there on many pages."""
    pages = _by_page(lines)
    ends: list[tuple[str, Line]] = []
    for page_lines in pages.values():
        top = max(page_lines, key=lambda ln: ln.top)
        foot = min(page_lines, key=lambda ln: ln.bottom)
        ends += [("top", top)] + ([("foot", foot)] if foot is not top else [])
    seen = Counter((where, _DIGITS.sub("#", ln.text)) for where, ln in ends)
    need = max(2, REPEATED_SHARE * len(pages))
    out = set()
    for where, ln in ends:
        if is_page_number(ln.text) or len(pages) >= 2 and seen[(where, _DIGITS.sub("#", ln.text))] >= need:
            out.add(id(ln))
    return out


def toc_pages(lines: list[Line]) -> set[int]:
    """Pages of the table of contents: the page titled 目录, and the pages after it whose lines
    mostly end in a page number."""
    pages: set[int] = set()
    for page, page_lines in sorted(_by_page(lines).items()):
        texts = [ln.text for ln in page_lines]
        if any(is_toc_title(t) for t in texts):
            pages.add(page)
        elif page - 1 in pages and sum(1 for t in texts if TOC_ENTRY.search(t) or t[-1:].isdigit()) * 2 > len(texts):
            pages.add(page)
    return pages


class Measure:
    """The text block of each page: where full lines start and end. Taken over every page of the
    same parity (mirror margins differ), as a title page of centred lines has no full line."""

    def __init__(self, lines: list[Line], page_sizes: list[tuple[float, float]]):
        self.page_sizes = page_sizes
        self.left: dict[int, float] = {}
        self.right: dict[int, float] = {}
        for ln in lines:
            side = ln.page % 2
            self.left[side] = min(self.left.get(side, ln.left), ln.left)
            self.right[side] = max(self.right.get(side, ln.right), ln.right)

    def centred(self, ln: Line) -> bool:
        """Centred on the page or on the text block, and starting inside the block (a full line
        is centred too, but starts at its edge)."""
        width = self.page_sizes[ln.page - 1][0] if ln.page <= len(self.page_sizes) else 0
        side = ln.page % 2
        middle = (ln.left + ln.right) / 2
        tol = CENTRE_TOLERANCE * max(ln.size, 1.0)
        block = (self.left[side] + self.right[side]) / 2
        near = abs(middle - width / 2) <= tol or abs(middle - block) <= tol
        return near and ln.left > self.left[side] + ln.size / 2

    def short(self, ln: Line, body_size: float) -> bool:
        """Ends short of the block's right edge, which every wrapped (justified) line reaches."""
        return ln.right < self.right[ln.page % 2] - SHORT_BY_CHARS * body_size


def footnotes(page_lines: list[Line], skip: set[int], body_size: float,
              rules: list[tuple[float, float, float, float]]) -> tuple[set[int], bool]:
    """ids of the footnote block at a page's foot: the small lines there, opening with a mark;
    and whether a separator rule stands between it and the text above."""
    block: list[Line] = []
    ruled = False
    alone = True                 # nothing above the small lines
    for ln in sorted(page_lines, key=lambda x: x.bottom):
        if id(ln) in skip:
            continue
        if block and any(block[-1].top <= r[1] <= ln.bottom for r in rules):
            ruled = True         # the separator: the notes end here
            break
        if ln.size <= body_size - FOOTNOTE_SMALLER_BY_PT and not ln.in_table:
            block.append(ln)
        else:
            alone = False
            break
    if block and alone and not ruled:
        # a page holding only the rest of a note continued from the page before: under its
        # rule, every line starting where the rule starts (within half a character: glyph bearings)
        ruled = any(block[-1].top <= r[1] <= block[-1].top + 2 * block[-1].size
                    and all(abs(ln.left - r[0]) <= ln.size / 2 for ln in block) for r in rules)
    while block and not ruled and not NOTE_MARK.match(block[-1].text):
        block.pop()              # the block opens (at its top) with a note's number, or under
        # its separator with the rest of a note continued from the page before
    return {id(ln) for ln in block}, ruled and bool(block)


def line_roles(lines: list[Line], page_sizes: list[tuple[float, float]], body_size: float,
               is_heading_font: Callable[[Line], bool],
               rules: Optional[dict[int, list]] = None) -> list[tuple[Line, Role]]:
    """Each line with its role. ``is_heading_font``: the line is set in the level-1 heading's
    family (or a stand-in for it), which makes a short centred unnumbered line a heading.
    ``rules``: each page's horizontal rules (a footnote separator tells notes from references)."""
    skip_pages = toc_pages(lines)
    furn = furniture(lines)
    measure = Measure([ln for ln in lines if id(ln) not in furn], page_sizes)
    notes: set[int] = set()          # small lines at a page's foot, opening with a note number
    ruled: set[int] = set()          # ... under a separator rule: notes even among the references
    for page, page_lines in _by_page(lines).items():
        found, separated = footnotes(page_lines, furn, body_size, (rules or {}).get(page, []))
        (ruled if separated else notes).update(found)
    body_font = body_font_of(lines)
    wrapped = wrapped_headings(lines, furn, measure, body_size, body_font)
    out: list[tuple[Line, Role]] = []
    in_refs = False
    title: Optional[Line] = None
    author: Optional[Line] = None
    phase = "start"            # start -> title -> author -> text
    for ln in lines:
        if ln.page in skip_pages:
            role = Role("toc_title" if is_toc_title(ln.text) else "toc", "目录页")
        elif id(ln) in furn:
            role = Role("furniture", "页眉页脚")
        elif id(ln) in ruled or id(ln) in notes and not in_refs:
            role = Role("footnote", "页脚注释")
        elif ln.in_table:
            role = Role("table", "表格")
        elif is_caption(ln.text):
            role = Role("caption", "题注")
        else:
            role = None
        if role is None and phase == "start":
            phase = "text"
            plain = text_role(ln.text).how != "编号" and not is_references_title(ln.text)
            if plain and (ln.size >= body_size + TITLE_LARGER_BY_PT or measure.centred(ln) and ln.size >= body_size):
                role, title, phase = Role("title", "首行"), ln, "title"
        elif role is None and phase in ("title", "author"):
            continues = (phase == "title" and ln.page == title.page and abs(ln.size - title.size) <= SIZE_TOLERANCE_PT
                         and ln.font == title.font)
            # an author line as wide as the block is not seen as centred: it continues the block
            # when it is set like the author line above it
            same_as_author = (phase == "author" and author is not None and ln.page == author.page
                              and ln.font == author.font and abs(ln.size - author.size) <= SIZE_TOLERANCE_PT)
            if continues:
                role = Role("title", "首行")
            elif ln.page == title.page and (measure.centred(ln) or same_as_author) and text_role(ln.text).how != "编号":
                role, phase, author = Role("author", "标题下居中"), "author", ln
            else:
                phase = "text"
        if role is None and id(ln) in wrapped and not in_refs:
            role = wrapped[id(ln)]
        if role is None and out and _continues_heading(out[-1], ln, body_font):
            role = out[-1][1]                  # a heading's second line, where display text broke it
        if role is None and not in_refs and ln.font != body_font and ln.size >= body_size - SIZE_TOLERANCE_PT:
            numbered = text_role(ln.text)      # a numbered heading that fills the whole measure
            if numbered.how == "编号" and numbered.name.startswith("h"):
                role = numbered
        if role is None:
            role = _text_line_role(ln, measure, body_size, is_heading_font, in_refs)
            if role.name == "h1" or role.name == "references_title":
                in_refs = role.name == "references_title"
                role = Role("h1", role.how, role.certain)
        out.append((ln, role))
    return out


def _continues_heading(prev: tuple[Line, Role], ln: Line, body_font) -> bool:
    """``ln`` is the next line of the heading ``prev`` ended: same page, font and size, not the
    body font, and no number of its own."""
    before, role = prev
    return (role.name in ("h1", "h2", "h3", "h4", "title") and before.page == ln.page and before.font == ln.font
            and ln.font != body_font and abs(before.size - ln.size) <= SIZE_TOLERANCE_PT
            and text_role(ln.text).how != "编号" and not ln.in_table and 0 < before.bottom - ln.bottom < 3 * ln.size)


def body_font_of(lines: list[Line]):
    """The font most lines are set in."""
    counts: dict = {}
    for ln in lines:
        counts[ln.font] = counts.get(ln.font, 0) + 1
    return max(counts, key=counts.get) if counts else None


def wrapped_headings(lines: list[Line], furn: set[int], measure: Measure, body_size: float,
                     body_font) -> dict[int, Role]:
    """A numbered heading too long for one line: its first line fills the measure, the next one,
    set in the same font and size, ends short. Both are the heading. Only in a font other than the
    body's (a numbered body paragraph of two lines looks the same in the body font)."""
    out: dict[int, Role] = {}
    for a, b in zip(lines, lines[1:]):
        if a.page != b.page or id(a) in furn or id(b) in furn or a.font == body_font:
            continue
        role = text_role(a.text)
        same_set = a.font == b.font and abs(a.size - b.size) <= SIZE_TOLERANCE_PT
        if role.how == "编号" and role.name.startswith("h") and same_set and not measure.short(a, body_size) \
                and measure.short(b, body_size) and text_role(b.text).how != "编号":
            out[id(a)] = out[id(b)] = role
    return out


def _text_line_role(ln: Line, measure: Measure, body_size: float, is_heading_font, in_refs: bool) -> Role:
    standalone = ln.size >= body_size - SIZE_TOLERANCE_PT and measure.short(ln, body_size)
    if is_references_title(ln.text) and standalone:
        return Role("references_title", "参考文献标题", False)
    role = text_role(ln.text)
    if role.how == "编号" and standalone and not in_refs:
        return role
    if role.name == "toc":
        return role
    unnumbered = (standalone and len(ln.text) <= HEADING_MAX_CHARS and measure.centred(ln) and is_heading_font(ln))
    if unnumbered:
        return Role("h1", "居中黑体", False)
    if in_refs:
        return Role("reference", "参考文献表")
    if role.name == "label":
        return role
    return Role("body", "正文")
