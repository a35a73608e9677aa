"""The PDF back end on the sample report and form, judged from the PDF's own text positions."""
import io
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from closure_app.blocks import Cell, Document, Heading, Paragraph, Row, Table, Text
from closure_app.profile import MM_PT, load_profile
from closure_app.render.pdf import render_pdf
from closure_app.render.pdf.doc import page_number_x
from closure_app.render.pdf.linebreak import CLOSERS, OPENERS
from closure_app.render.pdf.tables import place_cells

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def profile():
    return load_profile()


@pytest.fixture(scope="module")
def fonts(profile):
    from closure_app.fonts import load_fontset
    return load_fontset(profile)


@pytest.fixture(scope="module")
def report_doc(profile):
    from closure_app.layout.report import report_document
    from closure_app.sources.manuscript import load_manuscript
    return report_document(load_manuscript(ROOT / "manuscript" / "manuscript.md").manuscript, profile)


@pytest.fixture(scope="module")
def report(report_doc, profile, fonts):
    return render_pdf(report_doc, profile, fonts)


@pytest.fixture(scope="module")
def form(profile, fonts):
    from closure_app.layout.application import application_document
    from closure_app.sources.form import load_form
    doc = application_document(load_form(ROOT / "forms" / "application.yaml").form, profile)
    return render_pdf(doc, profile, fonts)


@pytest.fixture(scope="module")
def report_pages(report):
    with pdfplumber.open(io.BytesIO(report.data)) as pdf:
        return [(p.width, p.height, p.chars) for p in pdf.pages]


def text_lines(chars, min_size):
    """Lines of text as drawn: characters of at least ``min_size`` grouped by baseline, left to right."""
    by_line = defaultdict(list)
    for c in chars:
        if c["size"] >= min_size:
            by_line[round(c["bottom"])].append(c)
    return [sorted(cs, key=lambda c: c["x0"]) for _, cs in sorted(by_line.items())]


def test_no_line_starts_with_a_closer_or_ends_with_an_opener(report_pages, profile):
    min_size = profile.role("footnote").size_pt - 0.1
    geo = profile.page("report")
    bottom = geo.height_pt - geo.margin_pt("bottom")   # page numbers below are no text lines
    starts, ends, n_lines = [], [], 0
    for _, _, chars in report_pages:
        for line in text_lines([c for c in chars if c["bottom"] <= bottom + 2], min_size):
            n_lines += 1
            if line[0]["text"] in CLOSERS:
                starts.append("".join(c["text"] for c in line))
            if line[-1]["text"] in OPENERS:
                ends.append("".join(c["text"] for c in line))
    assert n_lines > 500
    assert starts == [] and ends == []


def test_text_stays_inside_the_text_block_and_page_numbers_below_it(report_pages, profile):
    geo = profile.page("report")
    left, right = geo.margin_pt("inner"), geo.width_pt - geo.margin_pt("outer")
    top, bottom = geo.margin_pt("top"), geo.height_pt - geo.margin_pt("bottom")
    for n, (_, _, chars) in enumerate(report_pages, start=1):
        outside = [c for c in chars if not (left - 0.5 <= c["x0"] and c["x1"] <= right + 0.5
                                            and top - 2 <= c["top"] and c["bottom"] <= bottom + 2)]
        assert "".join(c["text"] for c in outside) == profile.page_number.text(n)
        below = min(c["top"] for c in outside) - bottom
        assert below == pytest.approx(profile.page_number.below_text_mm * MM_PT, abs=2)


def test_page_numbers_sit_right_on_odd_pages_left_on_even(report_pages, profile):
    geo = profile.page("report")
    inset = profile.page_number.inset_chars * profile.page_number.size_pt
    bottom = geo.height_pt - geo.margin_pt("bottom")
    for n, (_, _, chars) in enumerate(report_pages[:4], start=1):
        number = [c for c in chars if c["top"] > bottom + 2]
        if n % 2:
            assert max(c["x1"] for c in number) == pytest.approx(geo.width_pt - geo.margin_pt("outer") - inset, abs=1)
        else:
            assert min(c["x0"] for c in number) == pytest.approx(geo.margin_pt("inner") + inset, abs=1)


def test_every_footnote_is_at_the_foot_of_the_page_of_its_marker(report, report_doc, report_pages, profile):
    body = profile.role("body").size_pt
    assert sorted(report.footnote_pages) == sorted(report_doc.footnotes)
    for n, page in report.footnote_pages.items():
        chars = report_pages[page - 1][2]
        markers = "".join(c["text"] for c in chars if c["size"] < 0.7 * body)
        assert str(n) in markers
        note_start = report_doc.footnotes[n].runs[0].text[:6]
        note_lines = ["".join(c["text"] for c in line) for line in text_lines(chars, 1)
                      if line[0]["size"] < body]
        assert any(note_start in line for line in note_lines), (n, page)


def test_toc_page_numbers_are_the_pages_the_headings_land_on(report, report_doc, report_pages, profile):
    headings = report_doc.toc_headings(3)
    assert len(report.toc_pages) == len(headings) > 10
    min_size = profile.role("h1").size_pt - 0.1
    for h, page in zip(headings, report.toc_pages):
        lines = ["".join(c["text"] for c in line) for line in text_lines(report_pages[page - 1][2], min_size)]
        assert h.text.replace(" ", "") in [ln.replace(" ", "") for ln in lines], (h.text, page)
    toc_text = "".join(c["text"] for _, _, chars in report_pages[1:5] for c in chars)
    first = headings[0].text.replace(" ", "")
    assert f"{first}" in toc_text.replace(" ", "")
    assert f".{report.toc_pages[0]}" in toc_text


def test_bookmarks_for_every_heading_and_metadata(report, report_doc):
    reader = PdfReader(io.BytesIO(report.data))

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    assert list(titles(reader.outline)) == [h.text for h in report_doc.headings()]
    assert reader.metadata.title == report_doc.title
    assert reader.metadata.author == report_doc.author


def test_every_font_is_an_embedded_subset(report, form):
    for data in (report.data, form.data):
        reader = PdfReader(io.BytesIO(data))
        names = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] \
                    if "/DescendantFonts" in font else font.get("/FontDescriptor")
                assert descriptor is not None, font["/BaseFont"]
                assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
                names.add(str(font["/BaseFont"]))
        assert names and all("+" in n for n in names)
        assert not any("Helvetica" in n for n in names)


def test_two_builds_give_the_same_bytes(report, report_doc, profile, fonts):
    assert render_pdf(report_doc, profile, fonts).data == report.data


def test_body_first_line_is_indented_two_characters(report_pages, report_doc, profile):
    body = profile.role("body")
    geo = profile.page("report")
    left = geo.margin_pt("inner")
    starts = {round(line[0]["x0"] - left, 1) for _, _, chars in report_pages[5:]
              for line in text_lines(chars, body.size_pt - 0.1)}
    assert round(body.first_line_chars * body.size_pt, 1) in starts
    assert 0.0 in starts


def test_level_3_heading_is_drawn_bold(report):
    reader = PdfReader(io.BytesIO(report.data))
    content = b"".join(p.get_contents().get_data() for p in reader.pages[5:12])
    assert b"2 Tr" in content


def test_the_form_has_its_four_pages_and_its_table(form):
    assert form.page_count == 4
    with pdfplumber.open(io.BytesIO(form.data)) as pdf:
        text = pdf.pages[2].extract_text()
        assert "项目变更情况数据表" in text and "通讯地址" in text
        assert len(pdf.pages[2].rects) + len(pdf.pages[2].lines) > 20


def test_table_header_row_repeats_on_every_page(profile, fonts):
    header = Row([Cell([Paragraph([Text("年份")], role="table")]),
                  Cell([Paragraph([Text("产值")], role="table")])], header=True)
    rows = [header] + [Row([Cell([Paragraph([Text(f"第{i}行")], role="table")]),
                            Cell([Paragraph([Text("数值")], role="table")])]) for i in range(60)]
    doc = Document(kind="report", title="表", blocks=[Heading(1, [Text("表")]), Table(rows, [1, 2])])
    result = render_pdf(doc, profile, fonts)
    assert result.page_count >= 2
    with pdfplumber.open(io.BytesIO(result.data)) as pdf:
        for page in pdf.pages:
            assert page.extract_text().count("年份") == 1


def test_place_cells_skips_columns_taken_by_rowspans():
    t = Table([Row([Cell(rowspan=2), Cell(colspan=2)]), Row([Cell(), Cell()])], [1, 1, 1])
    assert [(r, c) for r, c, _ in place_cells(t)] == [(0, 0), (0, 1), (1, 1), (1, 2)]


def test_page_number_x_by_side(profile):
    style = profile.page_number
    inset = style.inset_chars * style.size_pt
    assert page_number_x(style, 1, 100, 400, 50) == pytest.approx(100 + 400 - inset - 50)
    assert page_number_x(style, 2, 100, 400, 50) == pytest.approx(100 + inset)


def test_mirrored_margins_put_the_binding_side_inside(report_doc, profile, fonts):
    pages = dict(profile.pages)
    pages["report"] = pages["report"].model_copy(update={"mirror_margins": True})
    mirrored = profile.model_copy(update={"pages": pages})
    geo = pages["report"]
    result = render_pdf(report_doc, mirrored, fonts)
    with pdfplumber.open(io.BytesIO(result.data)) as pdf:
        for page in pdf.pages[2:8]:   # pages after explicit page breaks too
            body = [c for c in page.chars if c["bottom"] < geo.height_pt - geo.margin_pt("bottom")]
            left = geo.margin_pt("inner" if page.page_number % 2 else "outer")
            assert min(c["x0"] for c in body) == pytest.approx(left, abs=0.5), page.page_number


def test_a_reference_s_text_starts_at_its_hanging_indent_on_every_line(report_pages, profile):
    """[4] stands in the label column; the text after it starts where its wrapped lines start,
    as the DOCX's hanging indent sets it (not right after the label)."""
    min_size = profile.role("reference").size_pt - 0.1
    checked = 0
    for _, _, chars in report_pages:
        lines = text_lines(chars, min_size)
        for k, line in enumerate(lines[:-1]):
            text = "".join(c["text"] for c in line)
            if not (text.startswith("[") and "]" in text[:5]):
                continue
            after = next(c for c in line[text.index("]") + 1:] if c["text"].strip())
            follow = lines[k + 1]
            if "".join(c["text"] for c in follow).startswith("["):
                continue                       # a one-line reference
            assert abs(after["x0"] - follow[0]["x0"]) < 0.6, (text, after["x0"], follow[0]["x0"])
            checked += 1
    assert checked >= 3
