"""One verdict on a page's size for the DOCX and the PDF check alike.

A page is the mandated size in either orientation (a landscape A4 section for a wide table is
A4). Any other size is a failure, not a warning: a Letter or B5 page prints scaled, or cut, on
every A4 printer, and the office cannot hand it on as it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from closure_app.profile import PageGeometry

TOLERANCE_MM = 1.5     # rounding of twips and points, and of exporters that store 595 x 842

# Sizes people meet, to name what a wrong page is (mm, portrait).
KNOWN_SIZES: dict[str, tuple[float, float]] = {
    "A3": (297, 420),
    "A4": (210, 297),
    "A5": (148, 210),
    "B4": (250, 353),
    "B5": (176, 250),
    "B5（JIS）": (182, 257),
    "16 开": (185, 260),
    "大 16 开": (210, 285),
    "Letter（美国信纸）": (215.9, 279.4),
    "Legal（美国法律用纸）": (215.9, 355.6),
}


@dataclass(frozen=True)
class PageVerdict:
    ok: bool
    landscape: bool          # the page is turned: wider than tall
    found: str               # '216×279 mm（Letter（美国信纸））'
    expected: str            # '210×297 mm（A4）'


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE_MM


def size_name(width_mm: float, height_mm: float) -> Optional[str]:
    """The name of a known paper size, in either orientation; None if it is none of them."""
    short, long_ = sorted((width_mm, height_mm))
    return next((name for name, (w, h) in KNOWN_SIZES.items() if _near(short, w) and _near(long_, h)), None)


def judge_page(width_mm: float, height_mm: float, geo: PageGeometry) -> PageVerdict:
    """Is a page of this size the mandated one (portrait or landscape)?"""
    portrait = _near(width_mm, geo.width_mm) and _near(height_mm, geo.height_mm)
    turned = _near(width_mm, geo.height_mm) and _near(height_mm, geo.width_mm)
    name = size_name(width_mm, height_mm)
    found = f"{width_mm:.0f}×{height_mm:.0f} mm" + (f"（{name}）" if name else "")
    expected = f"{geo.width_mm:g}×{geo.height_mm:g} mm（{geo.size}）"
    return PageVerdict(portrait or turned, width_mm > height_mm + TOLERANCE_MM, found, expected)
