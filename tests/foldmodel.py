"""A small physical model of a saddle-stitched booklet, independent of the planner.

Input: what the printer put on paper, side by side in printing order (front of sheet 1,
back of sheet 1, front of sheet 2 ...), each side a pair of cells (left, right) holding a label
and whether the cell was drawn upside down. Output: the labels a reader meets, cover to back
cover, after the sheets are stacked (first printed on the outside), folded and stapled.

Geometry. The stack lies face up in front of the reader, sheet 1 on top. A cell on the sheet is
(x, depth, up, facing): x is -1 left of the spine, +1 right of it (seen from above); depth
grows down through the stack; up is +1 when the cell's top points away from the reader;
facing is -1 when the printed face looks up at the reader, +1 when it looks down.

Duplex printing: the printer draws each back so that it is upright after the sheet is turned
over about one axis. Short edge (the sheet's vertical axis): left and right swap, up stays.
Long edge (the horizontal axis): left and right stay, up flips.

Folding: the left half swings under the stack about the spine: x -> -x, depth mirrored below
the stack, facing reversed; up unchanged (the spine runs along the up direction).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

Label = Optional[object]


@dataclass(frozen=True)
class Cell:
    label: Label
    turned: bool = False          # drawn upside down on its side of the sheet


@dataclass(frozen=True)
class Patch:
    label: Label
    x: int
    depth: float
    up: int
    facing: int


class FoldError(AssertionError):
    pass


def _front(cells: tuple[Cell, Cell], depth: float) -> list[Patch]:
    return [Patch(c.label, x, depth, -1 if c.turned else 1, -1) for c, x in zip(cells, (-1, 1))]


def _back(cells: tuple[Cell, Cell], depth: float, duplex: str) -> list[Patch]:
    patches = []
    for cell, x_seen in zip(cells, (-1, 1)):
        up_seen = -1 if cell.turned else 1
        if duplex == "short":      # turned over about the vertical axis: mirrored in x
            x, up = -x_seen, up_seen
        elif duplex == "long":     # turned over about the horizontal axis: mirrored in y
            x, up = x_seen, -up_seen
        else:
            raise ValueError(duplex)
        patches.append(Patch(cell.label, x, depth, up, +1))
    return patches


def stack(sides: list[tuple[Cell, Cell]], duplex: str) -> list[Patch]:
    """Sheets from printed sides (front, back, front, back ...), the first sheet on top."""
    if len(sides) % 2:
        raise FoldError("odd number of sides: a sheet without a back")
    patches = []
    for i in range(0, len(sides), 2):
        sheet = i // 2
        patches += _front(sides[i], 2 * sheet)
        patches += _back(sides[i + 1], 2 * sheet + 1, duplex)
    return patches


def fold(patches: list[Patch]) -> list[Patch]:
    """Swing the left half under the stack about the spine."""
    bottom = max(p.depth for p in patches) + 0.5
    return [
        Patch(p.label, -p.x, 2 * bottom - p.depth, p.up, -p.facing) if p.x < 0 else p
        for p in patches
    ]


def read_booklet(sides: list[tuple[Cell, Cell]], duplex: str) -> list[Label]:
    """Labels in reading order; FoldError if any page would be upside down or face the wrong way."""
    folded = sorted(fold(stack(sides, duplex)), key=lambda p: p.depth)
    for i, p in enumerate(folded):
        if p.x != 1:
            raise FoldError(f"{p.label} is not on the folded booklet")
        if p.up != 1 and p.label is not None:     # a blank page has no up
            raise FoldError(f"{p.label} is upside down")
        # leaves alternate: a recto faces the reader, its verso faces away
        if p.facing != (-1 if i % 2 == 0 else 1):
            raise FoldError(f"{p.label} faces the wrong way")
    return [p.label for p in folded]
