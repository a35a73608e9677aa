"""A table over pages: the PDF sets its caption again with （续表） at the top of each later
part; the DOCX holds the caption in a first, borderless header row, which Word and
LibreOffice repeat with the header rows (as it is, without （续表）). Both give each page the
same rows; our importer reads that row back as the table's caption; the cross-check compares
the PDF's （续表） caption with the DOCX's repeated one and says so."""
import re
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree
from manuscript_fixtures import front_matter

from closure_app.profile import load_profile

PROFILE = load_profile()
ROOT = Path(__file__).resolve().parents[1]
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
SPACE = re.compile(r"\s+")
ROWS = 34

MANUSCRIPT = front_matter("表格跨页测试报告") + """
# 第一章 指标

各县区的指标见下表。

表：各县（区）主要创新指标 {#tbl:a}

| 序号 | 县（区） | 研发投入（亿元） | 说明 |
|---|---|---|---|
""" + "".join(f"| {i} | 通江县第{i}园区 | {i % 9 + 1}.5 | 科技创新平台推动协同创新与产学研融合 |\n"
              for i in range(1, ROWS + 1)) + """
表后的正文。
"""


def q(name: str) -> str:
    return "{%s}%s" % (NS["w"], name)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from closure_app.fonts import load_fontset
    from closure_app.layout.report import report_document
    from closure_app.render.docx import render_docx
    from closure_app.render.pdf import render_pdf
    from closure_app.sources.manuscript import load_manuscript

    out = tmp_path_factory.mktemp("table")
    md = out / "m.md"
    md.write_text(MANUSCRIPT, encoding="utf-8")
    doc = report_document(load_manuscript(md).manuscript, PROFILE)
    pdf = render_pdf(doc, PROFILE, load_fontset(PROFILE))
    (out / "m.pdf").write_bytes(pdf.data)
    blob = render_docx(doc, PROFILE, toc_pages=pdf.toc_pages)
    (out / "m.docx").write_bytes(blob)
    return out


def body_xml(docx: Path):
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_the_docx_caption_is_the_tables_first_header_row_without_rules_above_or_beside(built):
    root = body_xml(built / "m.docx")
    (tbl,) = root.findall(".//w:tbl", NS)
    prev = tbl.getprevious()
    assert prev.find("w:pPr/w:pStyle", NS) is None or \
        prev.find("w:pPr/w:pStyle", NS).get(q("val")) != "Caption"     # no caption outside the table
    first, header, *rest = tbl.findall("w:tr", NS)
    assert first.find("w:trPr/w:tblHeader", NS) is not None
    assert header.find("w:trPr/w:tblHeader", NS) is not None          # repeated with the header row
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rest)
    (tc,) = first.findall("w:tc", NS)
    assert tc.find("w:tcPr/w:gridSpan", NS).get(q("val")) == "4"
    borders = tc.find("w:tcPr/w:tcBorders", NS)
    assert {b.tag.split("}")[1]: b.get(q("val")) for b in borders} == {"top": "nil", "left": "nil", "right": "nil"}
    gap = tc.find("w:tcPr/w:tcMar/w:bottom", NS)
    assert int(gap.get(q("w"))) == 120                                   # 6 pt, the PDF's CAPTION_GAP
    (p,) = tc.findall("w:p", NS)
    assert p.find("w:pPr/w:pStyle", NS).get(q("val")) == "Caption"
    assert "".join(p.itertext()).endswith("各县（区）主要创新指标")
    assert p.find(".//w:bookmarkStart", NS) is not None                  # @tbl:a still refers to it


def _pages(pdf: Path):
    with pdfplumber.open(pdf) as doc:
        out = []
        for page in doc.pages:
            words = page.extract_words(keep_blank_chars=True)
            caption = next((w for w in words if SPACE.sub("", w["text"]).startswith("表1-1")), None)
            rules = sorted(ln["top"] for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.1
                           and ln["x1"] - ln["x0"] > 300)
            out.append((SPACE.sub("", page.extract_text() or ""), caption, rules))
        return out


def test_each_later_part_starts_with_the_caption_and_continued_at_the_first_parts_distance(built):
    pages = [p for p in _pages(built / "m.pdf") if p[1] is not None]
    assert len(pages) >= 2
    first, *later = pages
    assert "（续表）" not in first[1]["text"]
    gap = min(r for r in first[2] if r > first[1]["bottom"]) - first[1]["bottom"]
    top = PROFILE.page("report").margin_pt("top")
    for text, caption, rules in later:
        assert SPACE.sub("", caption["text"]).endswith("（续表）")
        below = min(r for r in rules if r > caption["bottom"]) - caption["bottom"]
        assert below == pytest.approx(gap, abs=0.1)
        # the space above the caption comes with it, as in the DOCX's repeated row
        assert caption["top"] - top > PROFILE.line_pitch("body") / 4 - 0.5


def test_our_importer_reads_the_caption_row_as_the_tables_caption(built):
    from closure_app.blocks import Table
    from closure_app.sources.docx_report import load_docx_manuscript

    m = load_docx_manuscript(built / "m.docx").manuscript
    (table,) = [b for b in m.body if isinstance(b, Table)]
    assert "".join(r.text for r in table.caption) == "各县（区）主要创新指标"
    assert len(table.rows) == ROWS + 1 and table.rows[0].header
    assert table.rows[0].cells[0].paragraphs[0].text == "序号"


def test_the_checker_judges_the_caption_row_as_a_caption_not_as_table_text(built):
    from closure_app.check.docx_check import report_roles
    from closure_app.ooxml import read_docx

    roles = [(p.text, role.name) for p, role in report_roles(read_docx(built / "m.docx"))]
    captions = [text for text, name in roles if name == "caption"]
    assert len(captions) == 1 and captions[0].endswith("各县（区）主要创新指标")
    assert all(not text.endswith("各县（区）主要创新指标") for text, name in roles if name == "table")


def test_the_crosscheck_compares_a_continued_caption_with_the_repeated_row_and_says_so():
    sys.path.insert(0, str(ROOT / "scripts"))
    import crosscheck

    def page(n, *texts):
        return [crosscheck.Line(n, 10.0 * k, 10.0 * k + 8, 12.0, t) for k, t in enumerate(texts)]

    ours = [page(1, "正文", "表1-1指标"), page(2, "表1-1指标（续表）", "序号"), page(3, "图1-1（续表）")]
    lo = [page(1, "正文", "表1-1指标"), page(2, "表1-1指标", "序号"), page(3, "图1-1")]
    rep = crosscheck.compare_lines("x", ours, lo, continued="（续表）", prefixes=("表",))
    assert rep.continued_captions == 1
    assert rep.pages_same_start == 2                      # a figure's line is not a table caption
    assert rep.lines_same == 4 and len(rep.line_diffs) == 1
    plain = crosscheck.compare_lines("x", ours, lo)
    assert plain.continued_captions == 0 and plain.pages_same_start == 1


def _needs_soffice(fn):
    from docx_lo import needs_soffice
    return needs_soffice(fn)


@_needs_soffice
def test_libreoffice_prints_the_same_rows_on_each_page_with_the_caption_repeated(built, tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import crosscheck

    lo = crosscheck.print_as_word(built / "m.docx", tmp_path / "lo.pdf", tmp_path)
    geometry = PROFILE.page("report")
    foot = (geometry.height_mm - geometry.margin_mm.bottom) * 72 / 25.4 + 1
    ours, theirs = crosscheck.read_lines(built / "m.pdf", foot), crosscheck.read_lines(lo, foot)
    later = [page for page in theirs[1:] if page and page[0].text.startswith("表1-1")]
    assert len(later) >= 2 and all(page[0].text == "表1-1各县（区）主要创新指标" for page in later)
    rep = crosscheck.compare_lines("m.docx", ours, theirs, continued="（续表）", prefixes=("表",))
    assert rep.continued_captions == len(later)
    assert rep.pages_same_start == rep.pages_ours == rep.pages_lo
    assert rep.lines_same == rep.lines_ours
