"""Footnotes at the foot of the page that calls them: measured once, drawn with the page.

A note's number is its ``Footnote.number`` (the DOCX uses the same), shown as a superscript
before the note text; a short rule separates the notes from the text above them.

A note too long for what is left of its page continues at the foot of the next page, as Word
sets it (and LibreOffice, the DOCX's footnote style letting notes split): its first line at
least stays on the page of its reference, the rest comes first at the next page's foot, under
a rule the width of the text (Word's continuation separator).
"""
from __future__ import annotations

from functools import lru_cache

from reportlab.platypus import Flowable

from closure_app.blocks import Footnote, Text
from closure_app.render.pdf.textflow import PageState, TextLine, TextStyle, Typesetter, draw_line, layout

RULE_FRACTION = 0.25      # separator rule length, as a fraction of the text width
RULE_THICKNESS = 0.5
RULE_SPACE_LINES = 0.5    # space the rule takes, in footnote lines
FIT_SLACK = 0.01          # pt of rounding a line may overrun the room its page reserved


class FootnoteArea:
    """The notes of one document laid out at the text width."""

    def __init__(self, footnotes: dict[int, Footnote], typesetter: Typesetter, style: TextStyle,
                 width: float):
        self.width = width
        self.style = style
        self.lines: dict[int, list[TextLine]] = {
            n: layout(typesetter.para([Text(str(n), sup=True), Text(" ")] + note.runs, style), width)
            for n, note in footnotes.items()
        }
        self.rule_space = style.pitch * RULE_SPACE_LINES
        self.height = lru_cache(maxsize=None)(self._height)
        self.least = lru_cache(maxsize=None)(self._least)

    def _height(self, numbers: tuple[int, ...]) -> float:
        """Height of the notes ``numbers`` with the rule above them (0 for none)."""
        if not numbers:
            return 0.0
        return self.rule_space + sum(ln.height for n in numbers for ln in self.lines.get(n, []))

    def _least(self, numbers: tuple[int, ...]) -> float:
        """Height of the notes ``numbers`` with the rule, the last of them its first line only."""
        if not numbers:
            return 0.0
        last = self.lines.get(numbers[-1], [])[:1]
        return self.height(numbers[:-1]) + (0.0 if len(numbers) > 1 else self.rule_space) \
            + sum(ln.height for ln in last)

    def draw(self, canv, numbers: list[int], x: float, bottom: float,
             carried: list[TextLine] = (), room: float | None = None) -> list[TextLine]:
        """Draw the rule, the lines ``carried`` from the page before and the notes, from the
        top of ``room`` (the height the page reserved; all of them when None) down to
        ``bottom``; returns the lines that did not fit, to continue on the next page."""
        lines = list(carried) + [ln for n in numbers for ln in self.lines.get(n, [])]
        if not lines:
            return []
        if room is None:
            room = self.rule_space + sum(ln.height for ln in lines)
        top = bottom + room
        canv.saveState()
        canv.setLineWidth(RULE_THICKNESS)
        rule_y = top - self.rule_space / 2
        canv.line(x, rule_y, x + self.width * (1.0 if carried else RULE_FRACTION), rule_y)
        canv.restoreState()
        top -= self.rule_space
        for k, ln in enumerate(lines):
            if top - ln.height < bottom - FIT_SLACK:
                return lines[k:]
            draw_line(canv, ln, x, top, self.width)
            top -= ln.height
        return []

    def lines_height(self, lines: list[TextLine]) -> float:
        """Room continued lines take at the foot of a page, with their rule (0 for none)."""
        return self.rule_space + sum(ln.height for ln in lines) if lines else 0.0


class NotesTail(Flowable):
    """The story's end: when a note on the last page continues, a page more for the rest of it
    (the page is full, so this flowable of no visible height moves on to a new one)."""

    def __init__(self, state: PageState):
        super().__init__()
        self.state = state

    def wrap(self, availWidth, availHeight):
        return 0, (0.01 if self.state.continues else 0.0)

    def draw(self):
        pass
