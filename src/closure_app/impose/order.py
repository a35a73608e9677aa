"""Saddle-stitch page order: which source page goes in which half of which sheet side.

Pure planning, no PDF. Pages are 1-based source page numbers; ``None`` is a blank.
Sheet k (0-based, outermost first) of a booklet of P pages (P a multiple of 4) carries
front = [P-2k, 2k+1] and back = [2k+2, P-2k-1] (left half, right half).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from closure_app.errors import UsageError

Slot = Optional[int]          # a source page number, or None for a blank
Duplex = Literal["short", "long"]
DUPLEX_MODES: tuple[str, ...] = ("short", "long")


@dataclass(frozen=True)
class Sheet:
    """One folded sheet as a reader sees it: each side upright, (left half, right half)."""
    front: tuple[Slot, Slot]
    back: tuple[Slot, Slot]


@dataclass(frozen=True)
class Side:
    """One side as the printer draws it. ``turned``: both pages drawn upside down."""
    sheet: int                 # 0-based, outermost first
    face: Literal["front", "back"]
    left: Slot
    right: Slot
    turned: bool = False


def padded_length(n_pages: int) -> int:
    """Pages in the booklet: ``n_pages`` rounded up to a multiple of 4."""
    return -(-n_pages // 4) * 4


def reading_order(n_pages: int, keep_last: int = 0) -> list[Slot]:
    """Source pages in booklet order, blanks inserted before the last ``keep_last`` pages."""
    if n_pages < 1:
        raise UsageError("PDF 没有页面，无法拼版")
    if not 0 <= keep_last <= n_pages:
        raise UsageError(f"--keep-last 应在 0 到 {n_pages} 之间（文件共 {n_pages} 页），收到 {keep_last}")
    pages: list[Slot] = list(range(1, n_pages + 1))
    blanks: list[Slot] = [None] * (padded_length(n_pages) - n_pages)
    split = n_pages - keep_last
    return pages[:split] + blanks + pages[split:]


def plan_booklet(n_pages: int, keep_last: int = 0) -> list[Sheet]:
    """Sheets, outermost first, for a booklet of ``n_pages`` source pages."""
    order = reading_order(n_pages, keep_last)
    total = len(order)

    def at(booklet_page: int) -> Slot:  # 1-based booklet page -> source page or blank
        return order[booklet_page - 1]

    return [
        Sheet(front=(at(total - 2 * k), at(2 * k + 1)), back=(at(2 * k + 2), at(total - 2 * k - 1)))
        for k in range(total // 4)
    ]


def printed_sides(sheets: list[Sheet], duplex: Duplex = "short") -> list[Side]:
    """Sides in printing order (front, back, front, back ...) for a duplex printer.

    ``short`` (flip on short edge): backs upright. ``long`` (flip on long edge): the printer
    turns the back over the other axis, so each back is drawn turned 180 degrees, halves swapped.
    """
    if duplex not in DUPLEX_MODES:
        raise UsageError(f"--duplex 只能是 short 或 long，收到 {duplex}")
    sides: list[Side] = []
    for k, sheet in enumerate(sheets):
        sides.append(Side(k, "front", *sheet.front))
        if duplex == "short":
            sides.append(Side(k, "back", *sheet.back))
        else:
            sides.append(Side(k, "back", sheet.back[1], sheet.back[0], turned=True))
    return sides


def manual_duplex_files(sides: list[Side]) -> tuple[list[Side], list[Side]]:
    """(fronts, backs) for a single-sided printer: fronts first to last; backs last to first,
    because the printed stack is turned over and fed back in."""
    fronts = [s for s in sides if s.face == "front"]
    backs = [s for s in sides if s.face == "back"]
    return fronts, backs[::-1]


def creep_shift(sheet: int, n_sheets: int, creep: float) -> float:
    """How far sheet ``sheet``'s pages move toward the spine: 0 on the outermost sheet,
    growing linearly to ``creep`` on the innermost."""
    if n_sheets < 2:
        return 0.0
    return creep * sheet / (n_sheets - 1)
