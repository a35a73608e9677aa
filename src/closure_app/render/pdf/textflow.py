"""Paragraphs drawn by us: runs -> measured items -> lines (linebreak) -> a platypus flowable.

A ``Para`` is one paragraph ready to break: its items (for ``linebreak``), the pieces of text
each item draws (font, size, rise, bold) and the note numbers it carries. ``layout`` turns a
``Para`` into ``TextLine``s for a given width; ``LineBlock`` is the flowable that stacks
lines, splits between lines (widows, orphans and headings kept with what follows) and
reserves room at the page foot for the footnotes its lines call.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import attrgetter
from typing import Callable, Optional

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from closure_app.blocks import Inline, NoteRef, Ref, Text
from closure_app.render.pdf.linebreak import Item, break_lines, tokenize
from closure_app.render.pdf.record import recording

SUP_SCALE = 0.6          # superscript size, as a fraction of the text size
SUP_RISE = 0.36          # superscript baseline shift, in ems
ASCENT = 0.88            # em box above the baseline (CJK fonts: 880/1000)
FAKE_BOLD_STROKE = 0.03  # outline stroke of drawn bold, in ems (0.48 pt at 16 pt)
KEEP_LINES = 2           # widow and orphan control: lines kept together at a split
MAX_STRETCH = 0.25       # justification: most extra space between two characters, in ems; a
                         # line needing more (it ends before a long word or URL piece) is set flush


@dataclass(frozen=True, slots=True)   # a million of them in a 1,000-page report: no __dict__
class Piece:
    """Text drawn in one font, size, rise and weight."""
    text: str
    font: str
    size: float
    rise: float = 0.0
    bold: bool = False
    advance: float = 0.0        # blank after the text: a list label padded to its column


class Measurer:
    """Widths of text in registered reportlab fonts, one lookup per (font, character)."""

    def __init__(self) -> None:
        self._per_font: dict[str, dict[str, float]] = {}

    def table(self, font: str) -> dict[str, float]:
        """The widths (per 1000 of the size) of the characters of ``font`` measured so far."""
        table = self._per_font.get(font)
        if table is None:
            table = self._per_font[font] = {}
        return table

    def width(self, text: str, font: str, size: float) -> float:
        table = self._per_font.get(font)
        if table is None:
            table = self._per_font[font] = {}
        face = None
        total = 0.0
        for ch in text:
            w = table.get(ch)
            if w is None:
                face = face or pdfmetrics.getFont(font)
                w = table[ch] = face.stringWidth(ch, 1000)
            total += w
        return total * size / 1000


@dataclass(frozen=True)
class TextStyle:
    """How one paragraph sets: every value comes from a profile role."""
    family: str
    size: float
    pitch: float
    bold: bool = False
    align: str = "justify"
    first_indent: float = 0.0   # first line, from the left edge
    indent: float = 0.0         # other lines (a hanging label's width)
    space_before: float = 0.0
    squeeze: bool = True        # a closer that would begin a line: squeeze the line's punctuation


@dataclass
class Outline:
    """A heading's bookmark: drawn with its first line."""
    key: str
    title: str
    level: int          # 0-based outline level
    index: int          # position in Document.headings()


@dataclass
class Para:
    style: TextStyle
    items: list[Item]
    pieces: list[tuple[Piece, ...]]
    notes: list[tuple[int, ...]]          # note numbers per item
    outline: Optional[Outline] = None
    keep_with_next: bool = False


@dataclass(slots=True)
class TextLine:
    pieces: tuple[Piece, ...]
    x: float                  # left edge of the first glyph, from the block's left edge
    height: float             # line pitch plus the space before
    baseline: float           # from the line's top
    char_space: float = 0.0   # justification: extra space after each character
    notes: tuple[int, ...] = ()
    outline: Optional[Outline] = None
    breakable_before: bool = True
    right: tuple[Piece, ...] = ()   # drawn flush right with a dot leader (TOC page numbers)
    toc_entry: Optional[int] = None  # first line of TOC entry number ``toc_entry``
    leader_from: float = 0.0
    space: float = 0.0        # space before the line (part of height and baseline)
    right_text: Optional[Callable[[], str]] = None   # the text of ``right`` (a page number), asked
                              # for once the document is laid out; ``right`` gives its font


class Typesetter:
    """Turns inline runs into measured ``Para``s with the fonts of a font set."""

    def __init__(self, fonts, measurer: Optional[Measurer] = None) -> None:
        self.fonts = fonts
        self.measure = measurer or Measurer()
        self.fallbacks: dict[tuple[str, str], str] = {}   # (char, family) -> font drawn with
        self._tokens: dict[tuple, dict[str, tuple]] = {}   # how a token is set -> its item and pieces

    def font_runs(self, text: str, family: str) -> list[tuple[str, str]]:
        """(text, reportlab font) runs; characters the family lacks come from a fallback."""
        runs = self.fonts.split_by_coverage(text, family)
        main = self.fonts.reportlab_font(family)
        for t, font in runs:
            if font != main:
                for ch in t:
                    self.fallbacks.setdefault((ch, family), font)
        return runs

    def items(self, runs: list[Inline], style: TextStyle, label: str = "",
              label_width: float = 0.0):
        """Measured items, their pieces and notes; ``label`` (a list marker) comes first,
        padded to ``label_width``."""
        items: list[Item] = []
        pieces: list[tuple[Piece, ...]] = []
        notes: list[tuple[int, ...]] = []
        main_font = self.fonts.reportlab_font(style.family)
        if label:
            own = self.measure.width(label, main_font, style.size)
            w = max(label_width, own)
            p = Piece(label, main_font, style.size, 0.0, style.bold, advance=w - own)
            items.append(Item(label, w))
            pieces.append((p,))
            notes.append(())
        for run in runs:
            if isinstance(run, Ref):          # a cross-reference prints its target's number
                run = Text(run.text or f"@{run.label}", run.bold, run.italic)
            if isinstance(run, NoteRef):
                size = style.size * SUP_SCALE
                text = str(run.number)
                p = Piece(text, main_font, size, style.size * SUP_RISE, False)
                items.append(Item(text, self.measure.width(text, main_font, size), glue=True))
                pieces.append((p,))
                notes.append((run.number,))
                continue
            if not run.text:
                continue
            self._add_text(run, style, items, pieces, notes)
        return items, pieces, notes

    def _add_text(self, run: Text, style: TextStyle, items, pieces, notes) -> None:
        size = style.size * (SUP_SCALE if (run.sup or run.sub) else 1)
        rise = style.size * (SUP_RISE if run.sup else -0.1 if run.sub else 0)
        bold = style.bold or run.bold
        glue = run.sup or run.sub
        runs = self.font_runs(run.text, style.family)
        if len(runs) == 1:        # the usual case: one font for the whole run
            font = runs[0][1]
            # a token set alike is the same (immutable) item and piece wherever it recurs
            made = self._tokens.get((font, size, rise, bold, glue))
            if made is None:
                made = self._tokens[font, size, rise, bold, glue] = {}
            tokens = tokenize(run.text)
            for token in set(tokens).difference(made):
                made[token] = (Item(token, self.measure.width(token, font, size), glue),
                               (Piece(token, font, size, rise, bold),))
            got = list(map(made.__getitem__, tokens))
            items.extend([g[0] for g in got])
            pieces.extend([g[1] for g in got])
            notes.extend([()] * len(got))
            return
        char_fonts: list[str] = []
        for t, font in runs:
            char_fonts.extend([font] * len(t))
        pos = 0
        for token in tokenize(run.text):
            token_pieces: list[Piece] = []
            width = 0.0
            start = pos
            while pos < start + len(token):
                font = char_fonts[pos]
                end = pos
                while end < start + len(token) and char_fonts[end] == font:
                    end += 1
                text = run.text[pos:end]
                token_pieces.append(Piece(text, font, size, rise, bold))
                width += self.measure.width(text, font, size)
                pos = end
            items.append(Item(token, width, glue))
            pieces.append(tuple(token_pieces))
            notes.append(())

    def para(self, runs: list[Inline], style: TextStyle, **kw) -> Para:
        label = kw.pop("label", "")
        label_width = kw.pop("label_width", 0.0)
        items, pieces, notes = self.items(runs, style, label, label_width)
        return Para(style, items, pieces, notes, **kw)


_LOOK = attrgetter("font", "size", "rise", "bold")
_TEXT = attrgetter("text")


def _merge(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Join neighbouring pieces drawn alike, so a line is a few text runs, not one per glyph."""
    if not pieces:
        return ()
    if pieces[0].advance:                        # a padded label stands alone, its blank after it
        return (pieces[0],) + _merge(pieces[1:])
    if len(set(map(_LOOK, pieces))) == 1:        # the usual line: all of it drawn alike
        return (Piece("".join(map(_TEXT, pieces)), *_LOOK(pieces[0])),)
    return tuple(Piece("".join(map(_TEXT, group)), *look) for look, group in groupby(pieces, key=_LOOK))


def split_wide_items(para: Para, width: float) -> Para:
    """The paragraph with every item wider than ``width`` (a very long word, number or URL
    piece) cut into characters, so that it fills the line it starts on and breaks where it
    must instead of running into the margin."""
    if all(it.width <= width for it in para.items):
        return para
    items, pieces, notes = [], [], []
    for it, ps, ns in zip(para.items, para.pieces, para.notes):
        if it.width <= width:
            items.append(it)
            pieces.append(ps)
            notes.append(ns)
            continue
        for p in ps:
            for ch in p.text:
                items.append(Item(ch, pdfmetrics.stringWidth(ch, p.font, p.size), it.glue, cut=True))
                pieces.append((replace(p, text=ch),))
                notes.append(())
        notes[-1] = ns
    return replace(para, items=items, pieces=pieces, notes=notes)


def layout(para: Para, width: float) -> list[TextLine]:
    """Break a paragraph into lines of ``width`` and place each line."""
    st = para.style
    para = split_wide_items(para, width - max(st.indent, st.first_indent))
    lines = break_lines(para.items, width - st.indent, width - st.first_indent, squeeze=st.squeeze)
    baseline = (st.pitch - st.size) / 2 + ASCENT * st.size
    out: list[TextLine] = []
    for k, ln in enumerate(lines):
        pieces = _merge([p for ps in para.pieces[ln.start:ln.end] for p in ps])
        indent = st.first_indent if k == 0 else st.indent
        x, char_space = indent, 0.0
        n_chars = sum(len(p.text) for p in pieces if not p.advance)   # a label is not spread
        if ln.slack < 0 and n_chars > 1:      # squeezed to keep a closing mark on the line
            char_space = ln.slack / (n_chars - 1)
        elif st.align == "center":
            x += ln.slack / 2
        elif st.align == "right":
            x += ln.slack
        elif st.align == "distribute" and ln.slack > 0 and n_chars > 1:
            char_space = ln.slack / (n_chars - 1)
        elif st.align == "justify" and ln.justify and ln.slack > 0 and n_chars > 1:
            stretch = ln.slack / (n_chars - 1)
            char_space = stretch if stretch <= MAX_STRETCH * st.size else 0.0
        space = st.space_before if k == 0 else 0.0
        out.append(TextLine(
            pieces=pieces, x=x, height=st.pitch + space, baseline=baseline + space,
            char_space=char_space, space=space,
            notes=tuple(n for ns in para.notes[ln.start:ln.end] for n in ns),
            outline=para.outline if k == 0 else None,
            breakable_before=k == 0 or KEEP_LINES <= k <= len(lines) - KEEP_LINES,
        ))
    if not out and st.space_before + st.pitch > 0:   # an empty paragraph is a blank line
        out.append(TextLine((), 0, st.pitch + st.space_before, 0, outline=para.outline))
    return out


def layout_all(paras: list[Para], width: float) -> list[TextLine]:
    """Lines of consecutive paragraphs; a paragraph kept with the next cannot be split from
    it, nor from the next one's first lines."""
    lines: list[TextLine] = []
    keep_next = False
    for para in paras:
        para_lines = layout(para, width)
        if para_lines and lines:
            para_lines[0] = replace(para_lines[0], breakable_before=not keep_next)
        if keep_next and len(para_lines) > 1:
            para_lines[1] = replace(para_lines[1], breakable_before=False)
        if para.keep_with_next:
            para_lines = [replace(ln, breakable_before=False) if k else ln
                          for k, ln in enumerate(para_lines)]
        keep_next = para.keep_with_next
        lines.extend(para_lines)
    return lines


def draw_line(canv, line: TextLine, x: float, top: float, width: float) -> None:
    """Draw one line whose top is at ``top``; drawn bold strokes each glyph's outline."""
    baseline = top - line.baseline
    if line.pieces:
        _draw_pieces(canv, line.pieces, x + line.x, baseline, line.char_space)
    if not line.right:
        return
    if line.right_text is None:
        _draw_right(canv, line.right, line.leader_from, x, baseline, width)
        return

    def right(c) -> None:        # the page number, known once the whole document is laid out
        pieces = (replace(line.right[0], text=line.right_text()),) + line.right[1:]
        _draw_right(c, pieces, line.leader_from, x, baseline, width)

    defer = getattr(canv, "defer", None)
    if defer is not None:
        defer(right)
    else:
        right(canv)


def _draw_right(canv, right: tuple[Piece, ...], leader_from: float, x: float, baseline: float,
                width: float) -> None:
    """``right`` flush with the right edge, a dot leader from ``leader_from`` up to it."""
    right_w = sum(pdfmetrics.stringWidth(p.text, p.font, p.size) for p in right)
    _draw_pieces(canv, right, x + width - right_w, baseline, 0.0)
    lead = right[0]
    dot_w = pdfmetrics.stringWidth(".", lead.font, lead.size)
    gap = width - right_w - leader_from - dot_w
    if gap > dot_w and dot_w > 0:
        n = int(gap // dot_w)
        _draw_pieces(canv, (replace(lead, text="." * n),), x + width - right_w - (n + 0.5) * dot_w,
                     baseline, 0.0)


def _draw_pieces(canv, pieces: tuple[Piece, ...], x: float, baseline: float, char_space: float) -> None:
    bold_size = max((p.size for p in pieces if p.bold), default=0)
    canv.saveState()
    if bold_size:
        canv.setLineWidth(bold_size * FAKE_BOLD_STROKE)
    t = canv.beginText(x, baseline)
    if char_space:
        t.setCharSpace(char_space)
    mode = 0
    record = recording(canv)
    for p in pieces:
        t.setFont(p.font, p.size)
        t.setRise(p.rise)
        if p.bold != bool(mode):
            mode = 2 if p.bold else 0
            t.setTextRenderMode(mode)
        if not char_space:
            t.textOut(p.text)
            if record is not None:
                record.place(p.text, p.font, p.size, p.rise, x, baseline, 0.0, p.bold, bold_size * FAKE_BOLD_STROKE)
            if record is not None or p.advance:
                x += pdfmetrics.stringWidth(p.text, p.font, p.size)
            if p.advance:                         # the label's column: the text starts past it
                x += p.advance
                t.setTextOrigin(x, baseline)
            continue
        # A spaced line: each run of one font subset starts where it belongs. Character spacing
        # after the last glyph of a string is what PDF says, but text extractors (pdfminer)
        # drop it, and every subset switch would then shift their positions.
        spacing = 0.0 if p.advance else char_space      # a label keeps its own column
        if p.advance:
            t.setCharSpace(0)
        for chunk in _subset_runs(canv, p):
            t.setTextOrigin(x, baseline)
            t.textOut(chunk)
            w = pdfmetrics.stringWidth(chunk, p.font, p.size)
            if record is not None:
                record.place(chunk, p.font, p.size, p.rise, x, baseline, spacing, p.bold,
                             bold_size * FAKE_BOLD_STROKE)
            x += w + spacing * len(chunk)
        if p.advance:
            x += p.advance
            t.setCharSpace(char_space)
    canv.drawText(t)
    canv.restoreState()


def _subset_runs(canv, piece: Piece) -> list[str]:
    """``piece.text`` cut where reportlab switches between the font's 256-glyph subsets."""
    font = pdfmetrics.getFont(piece.font)
    if not getattr(font, "_dynamicFont", False):
        return [piece.text]
    runs, pos = [], 0
    for _subset, codes in font.splitString(piece.text, canv._doc):
        runs.append(piece.text[pos:pos + len(codes)])
        pos += len(codes)
    return runs


@dataclass
class PageState:
    """What the page being drawn holds: notes to set at its foot, headings' pages.

    A note that does not fit whole continues at the foot of the next page, as Word sets it:
    ``notes_least`` is the foot's height when the last of the notes keeps only its first line
    on this page (a note's reference never stands on a page without any of its note), and
    ``carried`` the height of the lines continued from the page before (under the same rule,
    of height ``rule_space``)."""
    notes_height: Callable[[tuple[int, ...]], float] = lambda numbers: 0.0
    notes_least: Optional[Callable[[tuple[int, ...]], float]] = None
    rule_space: float = 0.0
    carried: float = 0.0
    continues: bool = False           # a note on this page continues on the next
    on_page: list[int] = field(default_factory=list)
    page_of_note: dict[int, int] = field(default_factory=dict)
    page_of_heading: dict[int, int] = field(default_factory=dict)
    page_of_toc_entry: dict[int, int] = field(default_factory=dict)

    def calls_new(self, line) -> bool:
        """Does ``line`` call a note not yet on this page? Only such a line, the last of its
        page, lets its note continue on the next page: the text after a reference never
        takes its note's room."""
        return any(n not in self.on_page for n in line.notes)

    def extra_for(self, numbers, least: bool = False) -> float:
        """Height the foot of this page grows by if ``numbers`` join its notes (``least``: the
        last of them with its first line only, the rest continued on the next page)."""
        new = tuple(n for n in dict.fromkeys(numbers) if n not in self.on_page)
        if not new:
            return 0.0
        on = tuple(self.on_page)
        height = self.notes_least if least and self.notes_least is not None else self.notes_height
        if not self.carried:
            return height(on + new) - self.notes_height(on)
        before = self.notes_height(on) - self.rule_space if on else 0.0
        return height(on + new) - self.rule_space - before


class LineBlock(Flowable):
    """Lines stacked at their pitch; splits between lines where allowed."""

    def __init__(self, paras: list[Para], state: PageState, lines: Optional[list[TextLine]] = None,
                 min_height: float = 0.0, reserve_notes: bool = True):
        super().__init__()
        self.paras = paras
        self.state = state
        self._fixed = lines
        self._cache: dict[float, list[TextLine]] = {}
        self.min_height = min_height
        self.reserve_notes = reserve_notes   # False inside table cells: the table's frame reserves
        self.keep_with_next = bool(paras) and paras[-1].keep_with_next and lines is None
        self.keepWithNext = self.keep_with_next

    def lines_for(self, width: float) -> list[TextLine]:
        if self._fixed is not None:
            return self._fixed
        lines = self._cache.get(width)
        if lines is None:
            lines = self._cache[width] = layout_all(self.paras, width)
        return lines

    def _notes(self, lines) -> tuple[int, ...]:
        return tuple(n for ln in lines for n in ln.notes)

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self._lines = self.lines_for(availWidth)
        text_h = sum(ln.height for ln in self._lines)
        # The notes' room counts when the frame checks the fit; once drawn, it is given back
        # here (negative space after) and taken from the frame's foot instead (draw).
        self._notes_room = self.state.extra_for(self._notes(self._lines)) if self.reserve_notes else 0.0
        if self._notes_room and text_h + self._notes_room > availHeight and self._lines \
                and self.state.calls_new(self._lines[-1]) \
                and text_h + self.state.extra_for(self._notes(self._lines), least=True) <= availHeight:
            self._notes_room = availHeight - text_h      # the foot takes the rest; the note continues
            self._continues = True
        else:
            self._continues = False
        self.height = max(self.min_height, text_h) + self._notes_room
        return availWidth, self.height

    def getSpaceAfter(self):
        return -getattr(self, "_notes_room", 0.0)

    def split(self, availWidth, availHeight):
        lines = self.lines_for(availWidth)
        used = 0.0
        best = 0
        for k in range(1, len(lines)):
            used += lines[k - 1].height
            if used > availHeight:
                break
            least = self.state.calls_new(lines[k - 1])
            if lines[k].breakable_before and used + self.state.extra_for(self._notes(lines[:k]), least) <= availHeight:
                best = k
        if not best:
            return []
        tail = lines[best:]
        head = tail[0]   # the space before a line is dropped at the top of a page
        tail[0] = replace(head, height=head.height - head.space, baseline=head.baseline - head.space, space=0.0)
        return [LineBlock(self.paras, self.state, lines[:best]),
                LineBlock(self.paras, self.state, tail)]

    def draw(self):
        canv = self.canv
        frame = getattr(self, "_frame", None)
        if frame is not None and self._notes_room:
            frame._y1p += self._notes_room
        top = self.height
        for ln in self._lines:
            if ln.outline is not None:
                self._bookmark(canv, ln.outline, top)
            if ln.toc_entry is not None:
                self.state.page_of_toc_entry[ln.toc_entry] = canv.getPageNumber()
            draw_line(canv, ln, 0, top, self.width)
            top -= ln.height
        page = canv.getPageNumber()
        if getattr(self, "_continues", False):
            self.state.continues = True
        for n in self._notes(self._lines):
            if n not in self.state.on_page:
                self.state.on_page.append(n)
                self.state.page_of_note[n] = page

    def _bookmark(self, canv, outline: Outline, top: float) -> None:
        canv.bookmarkHorizontal(outline.key, 0, top)
        canv.addOutlineEntry(outline.title, outline.key, outline.level, closed=outline.level > 0)
        self.state.page_of_heading[outline.index] = canv.getPageNumber()
