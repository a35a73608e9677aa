"""Imposition of an 80-page CJK-heavy A4 PDF onto A3 sheets.

Baseline: pypdf ``merge_transformed_page`` (re-parses each page's content) on the same input
and the same sheet plan, so the Form XObject speed-up is measured in the same run.
"""
from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation

from run import ROOT, Stage

sys.path.insert(0, str(ROOT / "tests"))
from pdf_fixtures import numbered_pdf, shipped_cjk_font  # noqa: E402

from closure_app.impose import ImposeOptions, impose_pdf, plan_booklet, printed_sides  # noqa: E402
from closure_app.impose.pdf import sheet_size  # noqa: E402

N_PAGES = 80
OUT = Path(tempfile.mkdtemp(prefix="bench-impose-"))


def _source() -> bytes:
    font = shipped_cjk_font()
    if font is None:
        raise SystemExit("bench_impose: no TrueType CJK font under fonts/open/")
    return numbered_pdf(N_PAGES, cjk_font=font)


def _xobjects(source: bytes) -> None:
    impose_pdf(source, OUT / "xobject.pdf", ImposeOptions())


def _merge_transformed(source: bytes) -> None:
    reader = PdfReader(io.BytesIO(source))
    writer = PdfWriter()
    sheet_w, sheet_h = sheet_size(ImposeOptions().sheet)
    for side in printed_sides(plan_booklet(len(reader.pages))):
        sheet = writer.add_blank_page(sheet_w, sheet_h)
        for x, number in ((0, side.left), (sheet_w / 2, side.right)):
            if number is not None:
                sheet.merge_transformed_page(reader.pages[number - 1], Transformation().translate(x, 0))
    writer.write(OUT / "merge.pdf")


STAGES = [
    Stage("impose 80 CJK pages: merge_transformed_page", _merge_transformed, setup=_source,
          note="pypdf's own page merging, the baseline"),
    Stage("impose 80 CJK pages: Form XObjects", _xobjects, setup=_source,
          baseline="impose 80 CJK pages: merge_transformed_page", note="target: under 0.5 s"),
]
