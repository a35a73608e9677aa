"""Table geometry for Word: HTML-style colspan/rowspan onto Word's grid, widths in twips.

Word writes every row in full: a cell spanning columns has ``w:gridSpan``; a cell spanning
rows is written in each row it covers, ``w:vMerge="restart"`` in the first and a bare
``w:vMerge`` (continue) below. ``place_cells`` turns the document model's rows (where a
rowspan cell is omitted from the rows it reaches into) into those slots.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...blocks import Cell, Row


@dataclass(frozen=True)
class Slot:
    col: int                      # first grid column
    span: int                     # grid columns covered
    cell: Optional[Cell]          # None: continuation of a rowspan, or padding of a short row
    v_merge: Optional[str] = None  # None, "restart" or "continue"


def place_cells(rows: list[Row], n_cols: int) -> list[list[Slot]]:
    """Slots of every row, left to right, covering all ``n_cols`` grid columns.

    Raises ValueError when a row holds more columns than the grid.
    """
    reserved: dict[tuple[int, int], Slot] = {}  # (row, col) -> the rowspan slot reaching there
    placed: list[list[Slot]] = []
    for r, row in enumerate(rows):
        slots: list[Slot] = []
        col = 0
        cells = iter(row.cells)

        def fill_reserved() -> None:
            nonlocal col
            while (r, col) in reserved:
                above = reserved[(r, col)]
                slots.append(Slot(col, above.span, None, "continue"))
                col += above.span

        fill_reserved()
        for cell in cells:
            if col + cell.colspan > n_cols:
                raise ValueError(f"表格第 {r + 1} 行超出 {n_cols} 列")
            rowspan = min(cell.rowspan, len(rows) - r)
            slot = Slot(col, cell.colspan, cell, "restart" if rowspan > 1 else None)
            slots.append(slot)
            for k in range(1, rowspan):
                reserved[(r + k, col)] = slot
            col += cell.colspan
            fill_reserved()
        while col < n_cols:  # a short row: blank cells up to the next rowspan or the edge
            gap_end = next((c for c in range(col, n_cols) if (r, c) in reserved), n_cols)
            slots.append(Slot(col, gap_end - col, None))
            col = gap_end
            fill_reserved()
        placed.append(slots)
    return placed


def scale_widths(relative: list[float], total: int) -> list[int]:
    """Relative column widths -> integer widths summing exactly to ``total``."""
    if not relative or any(x <= 0 for x in relative):
        raise ValueError("列宽必须为正数")
    whole = sum(relative)
    edges = [round(total * sum(relative[:i + 1]) / whole) for i in range(len(relative))]
    return [b - a for a, b in zip([0] + edges[:-1], edges)]
