"""The form in both back ends: the cover's labels line up (分散对齐 in a borderless column) and the
form, like the official one, carries no page numbers."""
import io
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from closure_app.layout.application import application_document
from closure_app.profile import load_profile
from closure_app.render.docx import render_docx
from closure_app.render.pdf import render_pdf
from closure_app.sources.form import load_form

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["立项编号", "项目类别", "项目名称", "项目负责人", "所在单位", "填表日期"]


@pytest.fixture(scope="module")
def profile():
    return load_profile()


@pytest.fixture(scope="module")
def form_doc(profile):
    return application_document(load_form(ROOT / "forms" / "application.yaml").form, profile)


@pytest.fixture(scope="module")
def pdf_pages(form_doc, profile):
    from closure_app.fonts import load_fontset
    data = render_pdf(form_doc, profile, load_fontset(profile)).data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [p.extract_words(keep_blank_chars=False, use_text_flow=True) for p in pdf.pages], \
               [p.chars for p in pdf.pages]


@pytest.fixture(scope="module")
def document_xml(form_doc, profile):
    with zipfile.ZipFile(io.BytesIO(render_docx(form_doc, profile))) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def label_extent(chars, label):
    """(x0 of the first char, x1 of the last) of a label drawn one character at a time."""
    text = "".join(c["text"] for c in chars)
    i = text.index(label)
    return round(chars[i]["x0"], 1), round(chars[i + len(label) - 1]["x1"], 1)


def test_pdf_cover_labels_fill_the_same_column(pdf_pages):
    _, chars = pdf_pages
    extents = {label_extent(chars[0], label) for label in LABELS}
    assert len(extents) == 1, extents   # 4- and 5-character labels start and end at the same x


def test_pdf_cover_values_start_at_one_edge(pdf_pages, form_doc):
    _, chars = pdf_pages
    text = "".join(c["text"] for c in chars[0])
    starts = {round(chars[0][text.index(v)]["x0"], 1) for v in ("BZ25ZC124", "自筹课题", "向河铭")}
    assert len(starts) == 1


def test_pdf_form_has_no_page_numbers(pdf_pages):
    words, _ = pdf_pages
    for page in words:
        assert not any(re.fullmatch(r"—?\d+—?", w["text"]) and w["top"] > 760 for w in page)
        assert "—" not in "".join(w["text"] for w in page if w["top"] > 760)


def test_docx_cover_table_has_no_borders_and_distributed_labels(document_xml):
    body = document_xml["word/document.xml"]
    first_table = body[body.index("<w:tbl>"):body.index("</w:tbl>")]
    assert re.findall(r'<w:(top|left|bottom|right|insideH|insideV) w:val="nil"/>', first_table) == \
        ["top", "left", "bottom", "right", "insideH", "insideV"]
    assert first_table.count('<w:jc w:val="distribute"/>') == len(LABELS)


def test_docx_form_has_no_footer(document_xml):
    assert not any(name.startswith("word/footer") for name in document_xml)
    assert "footerReference" not in document_xml["word/document.xml"]
