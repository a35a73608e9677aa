"""Footnotes at the foot of the page that calls them: measured once, drawn with the page.

A note's number is its ``Footnote.number`` (the DOCX uses the same), shown as a superscript
before the note text; a short rule separates the notes from the text above them.
"""
from __future__ import annotations

from functools import lru_cache

from closure_app.blocks import Footnote, Text
from closure_app.render.pdf.textflow import TextLine, TextStyle, Typesetter, draw_line, layout

RULE_FRACTION = 0.25      # separator rule length, as a fraction of the text width
RULE_THICKNESS = 0.5
RULE_SPACE_LINES = 0.5    # space the rule takes, in footnote lines


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

    def _height(self, numbers: tuple[int, ...]) -> float:
        """Height of the notes ``numbers`` with the rule above them (0 for none)."""
        if not numbers:
            return 0.0
        return self.rule_space + sum(ln.height for n in numbers for ln in self.lines.get(n, []))

    def draw(self, canv, numbers: list[int], x: float, bottom: float) -> None:
        """Draw the rule and the notes so that the last note ends at ``bottom``."""
        if not numbers:
            return
        top = bottom + self.height(tuple(numbers))
        canv.saveState()
        canv.setLineWidth(RULE_THICKNESS)
        rule_y = top - self.rule_space / 2
        canv.line(x, rule_y, x + self.width * RULE_FRACTION, rule_y)
        canv.restoreState()
        top -= self.rule_space
        for n in numbers:
            for ln in self.lines.get(n, []):
                draw_line(canv, ln, x, top, self.width)
                top -= ln.height
