"""The DOCX files as LibreOffice prints them: footnotes, TOC page numbers, footers, form cells.

LibreOffice converts each file to PDF (docx_lo.py); the tests read the PDF's text and positions.
"""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from docx_fixtures import FORM_LABELS, LONG_ADDRESS, LONG_EMAIL, LONG_PROJECT_NAME, mini_form, mini_report
from docx_lo import needs_soffice, to_pdf  # noqa: F401 - to_pdf is a fixture

from closure_app.profile import load_profile
from closure_app.render.docx import render_docx
from closure_app.render.docx.grid import scale_widths

PROFILE = load_profile()
pytestmark = needs_soffice


def page_texts(pdf: Path) -> list[str]:
    """Each page's text with all white space removed (line breaks fall anywhere)."""
    with pdfplumber.open(pdf) as doc:
        return [re.sub(r"\s+", "", page.extract_text() or "") for page in doc.pages]


def page_of(texts: list[str], needle: str, start: int = 0) -> int:
    needle = re.sub(r"\s+", "", needle)
    return next(i for i in range(start, len(texts)) if needle in texts[i])


@pytest.fixture(scope="module")
def report(to_pdf):
    """The mini report converted twice: without TOC pages, then with the pages LibreOffice laid
    the headings on (as the build does with the PDF back end's pages)."""
    doc = mini_report()
    first = page_texts(to_pdf(render_docx(doc, PROFILE), "report-draft"))
    toc_page = page_of(first, "目录")
    pages, at = [], toc_page + 1
    for heading in doc.toc_headings():
        at = page_of(first, heading.text, at)
        pages.append(at + 1)
    pdf = to_pdf(render_docx(doc, PROFILE, toc_pages=pages), "report")
    return doc, pdf, page_texts(pdf), pages


def test_report_converts_to_several_pages(report):
    _, _, texts, _ = report
    assert len(texts) >= 6


def test_every_footnote_is_at_the_foot_of_its_markers_page(report):
    doc, pdf, texts, _ = report
    with pdfplumber.open(pdf) as pages:
        for n, note in doc.footnotes.items():
            marker_page = page_of(texts, f"锚点{n}号")
            note_text = note.runs[0].text
            assert page_of(texts, note_text) == marker_page, f"脚注 {n}"
            page = pages.pages[marker_page]
            found = page.search(note_text[:6])
            assert found and found[0]["top"] > page.height * 0.6, f"脚注 {n} 不在页脚"
    assert len({page_of(texts, f"锚点{n}号") for n in doc.footnotes}) > 1  # notes on several pages


def test_toc_lists_each_heading_with_the_page_it_is_printed_on(report):
    doc, pdf, texts, pages = report
    toc_page = page_of(texts, "目录")
    with pdfplumber.open(pdf) as pdf_doc:
        lines = [re.sub(r"\s+|\.{2,}|…+", "", line)  # no spaces, no leader dots
                 for line in pdf_doc.pages[toc_page].extract_text().splitlines()]
    at = toc_page + 1
    for heading, page in zip(doc.toc_headings(), pages):
        entry = re.sub(r"\s+", "", heading.text)
        assert f"{entry}{page}" in lines, entry
        at = page_of(texts, heading.text, at)
        assert at + 1 == page, f"{entry} 印在第 {at + 1} 页，目录写第 {page} 页"


def test_page_numbers_alternate_sides_in_the_profiles_style(report):
    _, pdf, texts, _ = report
    number = PROFILE.page_number
    with pdfplumber.open(pdf) as doc:
        for i, page in enumerate(doc.pages, start=1):
            assert re.sub(r"\s+", "", number.text(i)) in texts[i - 1]
            hits = [h for h in page.search(re.escape(str(i))) if h["top"] > page.height * 0.85]
            assert hits, f"第 {i} 页没有页码"
            side = number.odd if i % 2 else number.even
            centre = (hits[-1]["x0"] + hits[-1]["x1"]) / 2
            assert (centre > page.width / 2) == (side == "right"), f"第 {i} 页页码位置"


@pytest.fixture(scope="module")
def form_pdf(to_pdf):
    return to_pdf(render_docx(mini_form(), PROFILE), "form")


def test_form_shows_every_label(form_pdf):
    text = "".join(page_texts(form_pdf))
    assert [label for label in FORM_LABELS if label not in text] == []


def column_edges(widths: list[float]) -> list[float]:
    geometry = PROFILE.page("form")
    twips = scale_widths(widths, round(geometry.text_width_pt * 20))
    edges = [geometry.margin_pt("inner")]
    for w in twips:
        edges.append(edges[-1] + w / 20)
    return edges


@pytest.mark.parametrize("value,first_col,last_col", [
    (LONG_PROJECT_NAME, 2, 8), (LONG_ADDRESS, 2, 6), (LONG_EMAIL, 2, 8)])
def test_a_long_value_wraps_inside_its_cell(form_pdf, value, first_col, last_col):
    table = mini_form().blocks[-1]
    edges = column_edges(table.col_widths)
    with pdfplumber.open(form_pdf) as doc:
        page = doc.pages[1]
        inside = page.within_bbox((edges[first_col], 0, edges[last_col], page.height))
        text = re.sub(r"\s+", "", inside.extract_text())
        assert re.sub(r"\s+", "", value) in text
        assert all(c["x1"] <= page.width and c["bottom"] <= page.height for c in page.chars)
