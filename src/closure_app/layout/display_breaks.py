"""Display text's line breaks, decided once for both back ends: the title, the author block, the
headings, table headers and the form's cover values get a newline (a line break in the PDF
and a ``w:br`` in the DOCX) wherever ``display_lines`` breaks them.

Widths are the PDF's own: each character measured in the font the PDF draws it with (the
role's font, or the fallback that has the glyph), at the role's size, against the width the
PDF sets the paragraph in (the text block less the first-line indent; a table cell less its
padding, or Word's where that is wider). A heading keeps its ``runs`` (the TOC and the bookmarks read them) and is set from
``display_runs``; other blocks get new runs.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from closure_app.blocks import Cell, Document, Heading, Inline, NoteRef, Paragraph, Table, Text
from closure_app.fonts import parsed
from closure_app.fonts.coverage import needs_glyph
from closure_app.layout import segmenter
from closure_app.layout.display_lines import break_lines
from closure_app.profile import Profile
from closure_app.render.pdf.tables import PAD_X, place_cells
from closure_app.render.pdf.textflow import SUP_SCALE, Measurer

NO_SUBTITLE_ROLES = frozenset({"author"})   # its ： are labels (作者单位：), not subtitles
# A cell's text is set inside its padding: the PDF's, or Word's default cell margin (108 twips),
# whichever is wider, so that the lines decided fit the cell in both.
CELL_PAD = max(PAD_X, 108 / 20)


class Metrics:
    """Widths of characters as the PDF measures them: in the font the PDF draws each with."""

    def __init__(self, fonts, measurer: Optional[Measurer] = None):
        self.fonts = fonts
        self.measure = measurer or Measurer()
        self._main: dict[str, tuple[str, frozenset]] = {}   # family -> (font, its characters)

    def fonts_of(self, text: str, family: str) -> list[str]:
        """The font of each character: the family's, or (as ``FontSet.split_by_coverage``
        chooses) the fallback that has the glyph."""
        if family not in self._main:
            resolved = self.fonts.resolve(family)
            self._main[family] = (self.fonts.reportlab_font(family),
                                  parsed.charset(resolved.path, resolved.subfont_index))
        main, have = self._main[family]
        if all(ord(ch) in have or not needs_glyph(ch) for ch in text):
            return [main] * len(text)
        out: list[str] = []
        for chunk, font in self.fonts.split_by_coverage(text, family):
            out += [font] * len(chunk)
        return out

    def run_widths(self, runs: list[Inline], family: str, size: float) -> tuple[str, list[float]]:
        """The runs' text (note markers left out) and the width of each of its characters; a
        note marker's width is added to the character before it."""
        text: list[str] = []
        widths: list[float] = []
        for run in runs:
            if isinstance(run, NoteRef):
                if widths:
                    widths[-1] += self.measure.width(str(run.number), self.fonts.reportlab_font(family),
                                                     size * SUP_SCALE)
                continue
            if not run.text:
                continue
            run_size = size * (SUP_SCALE if run.sup or run.sub else 1)
            widths += [self.measure.width(ch, font, run_size)
                       for ch, font in zip(run.text, self.fonts_of(run.text, family))]
            text.append(run.text)
        return "".join(text), widths


def broken_runs(runs: list[Inline], metrics: Metrics, family: str, size: float, width: float,
                first_width: Optional[float] = None, *, subtitle: bool = True,
                fill: bool = False) -> list[Inline]:
    """``runs`` with a newline wherever their display lines break (the space there dropped);
    the same list when they stay on one line."""
    text, widths = metrics.run_widths(runs, family, size)
    spans = break_lines(text, widths, width, first_width, words=segmenter.words,
                        subtitle=subtitle, fill=fill)
    gaps = [(a_end, b_start) for (_, a_end), (b_start, _) in zip(spans, spans[1:])]
    if all(text[a:b] == "\n" for a, b in gaps):
        return runs                    # no break but those the text has
    return _with_breaks(runs, gaps)


def _with_breaks(runs: list[Inline], gaps: list[tuple[int, int]]) -> list[Inline]:
    """The runs with a newline at each gap (offsets into their joined text) and the gap's
    characters (a space, a newline) left out."""
    starts = {a: b for a, b in gaps}
    out: list[Inline] = []
    pos, skip_to = 0, 0
    for run in runs:
        if not isinstance(run, Text):
            out.append(run)
            continue
        chars = []
        for i, ch in enumerate(run.text, start=pos):
            if i in starts:
                chars.append("\n")
                skip_to = starts[i]
            if i >= skip_to:
                chars.append(ch)
        pos += len(run.text)
        out.append(replace(run, text="".join(chars)))
    return out


def with_display_lines(doc: Document, profile: Profile, fonts) -> Document:
    """``doc`` with its display text broken into lines as the PDF sets it."""
    return _Breaker(doc, profile, Metrics(fonts)).document()


class _Breaker:
    def __init__(self, doc: Document, profile: Profile, metrics: Metrics):
        self.doc = doc
        self.profile = profile
        self.metrics = metrics
        self.width = profile.page(doc.page).text_width_pt

    def document(self) -> Document:
        return replace(self.doc, blocks=[self.block(b) for b in self.doc.blocks])

    def block(self, b):
        if isinstance(b, Heading):
            return replace(b, display_runs=self.runs(b.runs, b.role, self.width, None, True))
        if isinstance(b, Paragraph) and b.display:
            return self.paragraph(b, b.role, self.width)
        if isinstance(b, Table):
            return self.table(b)
        return b

    def runs(self, runs: list[Inline], role: str, width: float, first_chars: Optional[float],
             subtitle: bool) -> list[Inline]:
        r = self.profile.role(role)
        chars = r.first_line_chars if first_chars is None else first_chars
        return broken_runs(runs, self.metrics, r.family, r.size_pt, width, width - chars * r.size_pt,
                           subtitle=subtitle and role not in NO_SUBTITLE_ROLES)

    def paragraph(self, p: Paragraph, role: str, width: float, subtitle: bool = True,
                  first_chars: Optional[float] = None) -> Paragraph:
        chars = p.first_line_chars if first_chars is None else first_chars
        return replace(p, runs=self.runs(p.runs, role, width, chars, subtitle))

    def table(self, t: Table) -> Table:
        """Header rows and display paragraphs in cells, at the width of their cell in the PDF."""
        if not any(row.header or any(p.display for c in row.cells for p in c.paragraphs) for row in t.rows):
            return t
        total = sum(t.col_widths) or 1
        cols = [w * self.width / total for w in t.col_widths]
        new_cells: dict[int, Cell] = {}
        for r, c, cell in place_cells(t):
            header = t.rows[r].header
            if not header and not any(p.display for p in cell.paragraphs):
                continue
            inside = sum(cols[c:c + cell.colspan]) - 2 * CELL_PAD
            paras = []
            for p in cell.paragraphs:
                if header or p.display:
                    role = p.role if p.role != "body" else t.role    # as the PDF sets a cell
                    p = self.paragraph(p, role, inside, subtitle=not header,
                                       first_chars=p.first_line_chars or 0)
                paras.append(p)
            new_cells[id(cell)] = replace(cell, paragraphs=paras)
        rows = [replace(row, cells=[new_cells.get(id(c), c) for c in row.cells])
                if any(id(c) in new_cells for c in row.cells) else row for row in t.rows]
        return replace(t, rows=rows)
