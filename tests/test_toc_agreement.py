"""The DOCX's cached TOC shows the pages of the PDF layout; printed by LibreOffice, the DOCX must
put every heading on the page its TOC names. The front matter's length is what decides: the
DOCX's TOC entries wrap as the PDF's do, so both TOCs fill as many pages without forced breaks."""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from docx_lo import needs_soffice, to_pdf  # noqa: F401 - to_pdf is a fixture

from closure_app.layout.report import report_document
from closure_app.profile import load_profile
from closure_app.render.docx import render_docx
from closure_app.render.pdf import render_pdf
from closure_app.sources.manuscript import load_manuscript

ROOT = Path(__file__).resolve().parents[1]
PROFILE = load_profile()


@pytest.fixture(scope="module")
def sample():
    from closure_app.fonts import load_fontset
    doc = report_document(load_manuscript(ROOT / "manuscript" / "manuscript.md").manuscript, PROFILE)
    return doc, render_pdf(doc, PROFILE, load_fontset(PROFILE))


def test_pdf_names_the_toc_entries_that_begin_a_page(sample):
    from io import BytesIO

    doc, pdf = sample
    entries = doc.toc_headings()
    n_toc_pages = 1 + len(pdf.toc_page_starts)
    with pdfplumber.open(BytesIO(pdf.data)) as reader:
        first_lines = [reader.pages[n].extract_text().splitlines()[0].replace(" ", "")
                       for n in range(1, 2 + n_toc_pages)]   # the TOC pages and the page after
    assert n_toc_pages > 1
    assert first_lines[0] == "目录" and first_lines[-1] == "摘要："
    assert [line[:6] for line in first_lines[1:-1]] == \
        [entries[k].text.replace(" ", "")[:6] for k in pdf.toc_page_starts]


def test_docx_toc_breaks_no_page_itself(sample):
    """The TOC takes as many pages as in the PDF by its own layout (right indent, no forced
    breaks), so Word's and LibreOffice's own update keeps the numbers."""
    import zipfile
    from io import BytesIO

    doc, pdf = sample
    blob = render_docx(doc, PROFILE, toc_pages=pdf.toc_pages)
    xml = zipfile.ZipFile(BytesIO(blob)).read("word/document.xml").decode("utf-8")
    entries = re.findall(r'<w:p><w:pPr><w:pStyle w:val="TOC\d"/>(.*?)</w:pPr>', xml)
    assert len(entries) == len(pdf.toc_pages) and "pageBreakBefore" not in "".join(entries)


@needs_soffice
def test_libreoffice_prints_each_heading_on_the_page_its_toc_names(sample, to_pdf):
    doc, pdf = sample
    # as build writes it: the TOC entries wrapped where the PDF wrapped them
    blob = render_docx(doc, PROFILE, toc_pages=pdf.toc_pages, toc_texts=pdf.toc_entry_texts)
    with pdfplumber.open(to_pdf(blob, "agreement")) as printed:
        pages = [[line.strip() for line in (p.extract_text() or "").splitlines()] for p in printed.pages]
    first_body_page = pdf.toc_pages[0]
    misplaced = []
    for heading, page in zip(doc.toc_headings(), pdf.toc_pages):
        found = next((n for n, lines in enumerate(pages, 1)
                      if n >= first_body_page and heading.text in lines), None)
        if found != page:
            misplaced.append((heading.text, page, found))
    assert misplaced == []


def test_a_wrapped_toc_entry_breaks_between_the_words_the_pdf_chose(sample):
    import zipfile
    from io import BytesIO

    from docx_xml import NS, paragraph_text, q
    from lxml import etree

    doc, pdf = sample
    wrapped = [t for t in pdf.toc_entry_texts if "\n" in t]
    assert wrapped and len(pdf.toc_entry_texts) == len(pdf.toc_pages)
    blob = render_docx(doc, PROFILE, toc_pages=pdf.toc_pages, toc_texts=pdf.toc_entry_texts)
    body = etree.fromstring(zipfile.ZipFile(BytesIO(blob)).read("word/document.xml"))
    entries = [p for p in body.iter(q("p")) if (s := p.find("w:pPr/w:pStyle", NS)) is not None
               and s.get(q("val")) in ("TOC1", "TOC2", "TOC3")]
    texts = [paragraph_text(p).rsplit(" ", 1)[0] for p in entries]    # without tab and number
    assert [t for t in texts if "\n" in t] == wrapped
