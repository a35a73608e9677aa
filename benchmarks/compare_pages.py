"""Compare two PDFs page by page as pictures: how many pixels differ, and by how much.

    python benchmarks/compare_pages.py BEFORE.pdf AFTER.pdf [--dpi 72]

Pages are rendered with pdftoppm (poppler) in grey; a page passes when every differing pixel
lies next to a glyph edge, i.e. the drawing moved by less than a pixel rather than changed.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter


def render(pdf: Path, dpi: int, folder: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-gray", "-png", "-r", str(dpi), str(pdf), str(folder / "p")], check=True)
    return sorted(folder.glob("p*.png"))


def compare(before: Path, after: Path, dpi: int = 72) -> list[tuple[int, int, int, int]]:
    """Per page: (page, differing pixels, greatest difference, differing pixels away from any
    edge of the 'before' picture)."""
    out = []
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        pa, pb = render(before, dpi, Path(a)), render(after, dpi, Path(b))
        if len(pa) != len(pb):
            raise SystemExit(f"page counts differ: {len(pa)} vs {len(pb)}")
        for k, (x, y) in enumerate(zip(pa, pb), 1):
            ia, ib = Image.open(x).convert("L"), Image.open(y).convert("L")
            diff = ImageChops.difference(ia, ib)
            hist = diff.histogram()
            n = sum(hist[1:])
            worst = max((v for v in range(256) if hist[v]), default=0)
            # ink within one pixel of a differing pixel, in either picture: a moved edge
            ink = ImageChops.darker(ia, ib).point(lambda v: 255 if v < 250 else 0).filter(ImageFilter.MaxFilter(3))
            lone = ImageChops.subtract(diff.point(lambda v: 255 if v else 0), ink).histogram()
            out.append((k, n, worst, sum(lone[1:])))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--dpi", type=int, default=72)
    args = ap.parse_args(argv)
    rows = compare(args.before, args.after, args.dpi)
    bad = 0
    for page, n, worst, lone in rows:
        if n:
            print(f"page {page}: {n} pixels differ (max {worst}), {lone} away from ink")
        bad += lone > 0
    print(f"{len(rows)} pages, {sum(1 for r in rows if r[1])} with any difference, {bad} with a difference away from ink")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
