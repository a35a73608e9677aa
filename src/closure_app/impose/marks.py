"""Finishing marks for the front of each sheet: the fold line at the spine, drawn only in the
top and bottom margins, and a short tick across the spine at each staple position.
Thin, light grey, so they disappear in the fold."""
from __future__ import annotations

from closure_app.profile import MM_PT

MARK_GREY = 0.6              # 0 black .. 1 white
MARK_WIDTH_PT = 0.3
FOLD_MARK_MM = 10            # length of the fold line from each edge, inside the page margin
STAPLE_TICK_MM = 3           # half-length of a staple tick across the spine
STAPLE_AT = (0.25, 0.75)     # staple positions, as fractions of the sheet height from the bottom


def finishing_marks(sheet_w: float, sheet_h: float) -> str:
    """PDF content operators drawing the marks on a sheet of ``sheet_w`` x ``sheet_h`` points."""
    spine = sheet_w / 2
    fold = FOLD_MARK_MM * MM_PT
    tick = STAPLE_TICK_MM * MM_PT
    lines = [(spine, 0, spine, fold), (spine, sheet_h - fold, spine, sheet_h)]
    lines += [(spine - tick, sheet_h * f, spine + tick, sheet_h * f) for f in STAPLE_AT]
    path = " ".join(f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l" for x0, y0, x1, y1 in lines)
    return f"q {MARK_GREY} G {MARK_WIDTH_PT} w [3 2] 0 d {path} S Q"
