"""Spaced lines as a reader of the PDF sees them: justified and squeezed lines measured from the
PDF's own character positions (pdfplumber), across the 256-glyph font subsets reportlab makes."""
import io

import pdfplumber
import pytest
from pdf_lines import lines_at_size

from closure_app.blocks import Document, Paragraph, Text
from closure_app.profile import load_profile
from closure_app.render.pdf import render_pdf

# Over 300 distinct Han characters: the body font is split into several subsets, so most lines
# switch subsets several times.
HAN = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 400, 1) if chr(c).isprintable())
TEXT = "，".join(HAN[i:i + 9] for i in range(0, 360, 9)) + "。"


@pytest.fixture(scope="module")
def pages():
    from closure_app.fonts import load_fontset
    profile = load_profile()
    doc = Document(kind="report", title="t", blocks=[Paragraph([Text(TEXT)])])
    data = render_pdf(doc, profile, load_fontset(profile)).data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return profile, [p.chars for p in pdf.pages]


def test_every_spaced_line_has_even_steps_and_ends_at_the_margin(pages):
    profile, page_chars = pages
    geo = profile.page("report")
    right = geo.width_pt - geo.margin_pt("outer")
    size = profile.role("body").size_pt
    lines = [ln for chars in page_chars for ln in lines_at_size(chars, size)]
    assert len(lines) > 10
    for ln in lines[:-1]:                                 # the last line is not justified
        steps = [b["x0"] - a["x0"] for a, b in zip(ln, ln[1:])]
        assert max(steps) - min(steps) < 0.05, "".join(c["text"] for c in ln)
        assert ln[-1]["x0"] + size - right == pytest.approx(0, abs=0.5)   # the last glyph's em box
