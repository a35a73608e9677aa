"""Tables: our ``Table`` (HTML-style colspan/rowspan, minimum row heights, header rows) as a
reportlab ``Table`` whose cells hold our line-broken text."""
from __future__ import annotations

from typing import Callable

from reportlab.platypus import Table as RLTable, TableStyle

from closure_app.blocks import Cell, Table
from closure_app.render.pdf.textflow import LineBlock, Para

PAD_X = 4.0
PAD_Y = 2.0
GRID = 0.5


class _Table(RLTable):
    def _culprit(self) -> str:
        # reportlab describes a table too tall for a page by its tallest row, and fails doing so
        # when some rows have no fixed height; the page number is all our message uses.
        return f"{len(self._cellvalues)} rows"


def place_cells(table: Table) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) of every cell, columns counted past cells spanning from above."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed


def make_table(table: Table, width: float, cell_paras: Callable[[Cell, str], list[Para]],
               state, font: str, size: float) -> RLTable:
    """A reportlab table of ``width``; ``cell_paras`` sets a cell's paragraphs."""
    total = sum(table.col_widths) or 1
    widths = [w * width / total for w in table.col_widths]
    n_rows, n_cols = len(table.rows), table.n_cols
    data: list[list] = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    commands = [("GRID", (0, 0), (-1, -1), GRID, "black")] if table.borders else []
    commands += [
        ("FONT", (0, 0), (-1, -1), font, size),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_Y), ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
    ]
    min_set = set()
    fixed_heights: list = [None] * n_rows
    for r, c, cell in place_cells(table):
        if r >= n_rows or c >= n_cols:
            continue
        row = table.rows[r]
        min_h = 0.0
        if row.height_pt and cell.rowspan == 1 and r not in min_set:
            min_h = row.height_pt - 2 * PAD_Y
            min_set.add(r)
        data[r][c] = [LineBlock(cell_paras(cell, table.role), state, min_height=min_h, reserve_notes=False)]
        if cell.rowspan > 1 or cell.colspan > 1:
            commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        commands.append(("VALIGN", (c, r), (c, r), cell.valign.upper()))
    for r, row in enumerate(table.rows):
        if row.height_pt and r not in min_set:
            fixed_heights[r] = row.height_pt
    header_rows = 0
    while header_rows < n_rows and table.rows[header_rows].header:
        header_rows += 1
    return _Table(data, colWidths=widths, rowHeights=fixed_heights, style=TableStyle(commands),
                   repeatRows=header_rows)
