"""The DOCX title and headings break where the PDF's do: explicit line breaks (w:br) at the
places decided once, read back from the XML and from LibreOffice's rendering."""
from __future__ import annotations

import pytest
from display_text import CASES, pdf_display_lines, report_of, squeeze
from docx_lo import needs_soffice, to_pdf  # noqa: F401 - to_pdf is a fixture
from docx_xml import parts, paragraph_text, q

from closure_app.fonts import load_fontset
from closure_app.layout.display_breaks import with_display_lines
from closure_app.profile import load_profile
from closure_app.render.docx import render_docx
from closure_app.render.pdf import render_pdf

PROFILE = load_profile()
DISPLAY = [(role, text) for role, text, _ in CASES]


@pytest.fixture(scope="module")
def built():
    fonts = load_fontset(PROFILE)
    doc = with_display_lines(report_of(DISPLAY), PROFILE, fonts)
    pdf_lines = pdf_display_lines(render_pdf(doc, PROFILE, fonts).data, doc, PROFILE)
    return doc, pdf_lines, render_docx(doc, PROFILE)


def test_docx_line_breaks_are_the_pdfs(built):
    doc, pdf_lines, blob = built
    body = parts(blob)["word/document.xml"].find(q("body"))
    paragraphs = [p for p in body.iter(q("p")) if paragraph_text(p).strip()]
    assert len(paragraphs) == len(doc.blocks)
    wrapped = 0
    for p, lines, (role, text) in zip(paragraphs, pdf_lines, DISPLAY):
        docx_lines = paragraph_text(p).split("\n")
        assert [squeeze(x) for x in docx_lines] == [squeeze(x) for x in lines], text
        wrapped += len(lines) > 1
    assert wrapped >= 25


def test_headings_keep_their_text_for_the_toc_and_bookmarks(built):
    doc, _, _ = built
    headings = [(b, text) for b, (role, text) in zip(doc.blocks, DISPLAY) if role.startswith("h")]
    assert any("\n" in "".join(r.text for r in b.display_runs) for b, _ in headings)
    for block, text in headings:
        assert block.text == text                      # the runs the TOC and the outline read


@needs_soffice
def test_libreoffice_sets_the_docx_on_the_pdfs_lines(built, to_pdf):
    doc, pdf_lines, blob = built
    lo_pdf = to_pdf(blob, "display-lines")
    lo_lines = pdf_display_lines(lo_pdf.read_bytes(), doc, PROFILE)
    assert sum(len(lines) > 1 for lines in lo_lines) >= 25
    for lo, ours, (role, text) in zip(lo_lines, pdf_lines, DISPLAY):
        assert [squeeze(x) for x in lo] == [squeeze(x) for x in ours], text


@needs_soffice
def test_libreoffice_does_not_spread_a_justified_line_that_ends_in_a_break(built, to_pdf):
    """Headings are justified; a line of theirs ending in w:br stays about as long as in the PDF
    (not spread to the margin; the fonts LibreOffice is given measure quotes and dashes a little
    differently, hence the two ems of slack)."""
    doc, _, blob = built
    assert parts(blob)["word/settings.xml"].find(f"{q('compat')}/{q('doNotExpandShiftReturn')}") is not None
    ours = right_edges(render_pdf(doc, PROFILE, load_fontset(PROFILE)).data)
    theirs = right_edges(to_pdf(blob, "display-lines-edges").read_bytes())
    shared = [t for t in ours if t in theirs]
    assert len(shared) > 40
    for text in shared:
        assert abs(ours[text] - theirs[text]) < 2 * PROFILE.role("h2").size_pt, text


def right_edges(data: bytes) -> dict[str, float]:
    """Each line of display size (三号 and 二号) by its text: where its last glyph ends."""
    import io

    import pdfplumber
    from pdf_lines import lines_at_size

    out = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for size in (PROFILE.role("h2").size_pt, PROFILE.role("title").size_pt):
                for line in lines_at_size(page.chars, size):
                    out[squeeze("".join(c["text"] for c in line))] = line[-1]["x1"]
    return out
