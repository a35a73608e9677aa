"""The DOCX's cached TOC shows the pages of the PDF layout; printed by LibreOffice, the DOCX must
put every heading on the page its TOC names, and after LibreOffice updates the TOC field (as
Word's "update field") every number must stay. The front matter's length is what decides: each
PDF TOC entry takes as many lines as Word and LibreOffice give it (the text inside the right
indent, by character), so both TOCs fill as many pages, with no forced break in the DOCX."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from docx_lo import crosscheck, needs_soffice, to_pdf  # noqa: F401 - to_pdf is a fixture

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
    blob = render_docx(doc, PROFILE, toc_pages=pdf.toc_pages)
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



# 12 words of four characters: 48 characters of one width, as many as two TOC lines hold
LONG_ENTRY = "科技创新产业创新协同发展跨界融合深度融合质量提升县域经济区域合作绿色低碳要素集聚成果转化园区建设"


def _toc_lines(pdf_bytes: bytes) -> list[str]:
    from io import BytesIO
    with pdfplumber.open(BytesIO(pdf_bytes)) as reader:
        lines = (reader.pages[0].extract_text() or "").splitlines()
    return [line.replace(" ", "") for line in lines
            if line.strip() != "目录" and not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line)]   # the footer


def test_a_long_entry_takes_the_lines_word_gives_it_not_more():
    """48 characters of one width: Word fills the first line inside the right indent, the rest
    on the hanging second line (two lines). Breaking between whole words would need three:
    the TOC would be a line longer than the one Word makes when it updates the field."""
    from closure_app.blocks import Document, Heading, PageBreak, Paragraph, Text, Toc
    from closure_app.fonts import load_fontset

    toc = PROFILE.role("toc")
    first = PROFILE.page("report").text_width_pt - toc.right_chars * toc.size_pt
    rest = first - toc.hanging_chars * toc.size_pt
    per_first, per_rest = int(first // toc.size_pt), int(rest // toc.size_pt)
    assert per_first + per_rest == len(LONG_ENTRY)          # two full lines, by character
    doc = Document(kind="report", title="目录测试", blocks=[
        Toc(), PageBreak(), Heading(1, [Text(LONG_ENTRY)]), Paragraph([Text("正文。")])])
    pdf = render_pdf(doc, PROFILE, load_fontset(PROFILE))
    lines = _toc_lines(pdf.data)
    assert [re.sub(r"\.{2,}\d+$", "", line) for line in lines] == \
        [LONG_ENTRY[:per_first], LONG_ENTRY[per_first:]]
    assert pdf.toc_entry_texts == [f"{LONG_ENTRY[:per_first]}\n{LONG_ENTRY[per_first:]}"]


def test_a_wrapped_entry_still_keeps_its_words_whole_when_that_takes_no_more_lines(sample):
    """The sample's 4.3 cases: the PDF breaks them between words (「上海 / 烟机为例」), on the
    two lines Word also gives them."""
    _, pdf = sample
    wrapped = [t for t in pdf.toc_entry_texts if "\n" in t]
    assert len(wrapped) == 3
    assert any(t.endswith("上海\n烟机为例") for t in wrapped)


def test_docx_toc_entries_carry_no_line_break(sample):
    import zipfile
    from io import BytesIO

    from docx_xml import NS, q
    from lxml import etree

    doc, pdf = sample
    blob = render_docx(doc, PROFILE, toc_pages=pdf.toc_pages)
    body = etree.fromstring(zipfile.ZipFile(BytesIO(blob)).read("word/document.xml"))
    entries = [p for p in body.iter(q("p")) if (s := p.find("w:pPr/w:pStyle", NS)) is not None
               and s.get(q("val")) in ("TOC1", "TOC2", "TOC3")]
    assert len(entries) == len(pdf.toc_pages) == 42
    assert [p for p in entries if p.find(".//w:br", NS) is not None or p.find("w:pPr/w:ind", NS) is not None] == []


def _has_uno() -> bool:
    try:
        return subprocess.run([crosscheck.UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    except OSError:
        return False


needs_uno = pytest.mark.skipif(not _has_uno(), reason="python3-uno 未安装：跳过 LibreOffice 更新目录的检查")


@needs_soffice
@needs_uno
def test_libreoffice_update_of_the_toc_keeps_every_number(sample, tmp_path):
    """LibreOffice recomputes every entry from the headings and its own layout; the numbers it
    finds are the ones the PDF gave (42 entries, every one read back)."""
    doc, pdf = sample
    docx_path, ours = tmp_path / "sample.docx", tmp_path / "ours.pdf"
    docx_path.write_bytes(render_docx(doc, PROFILE, toc_pages=pdf.toc_pages))
    ours.write_bytes(pdf.data)
    updated = crosscheck.print_as_word(docx_path, tmp_path / "updated.pdf", tmp_path, update_indexes=True)
    assert len(crosscheck.toc_entries(ours)) == 42
    assert crosscheck.toc_entries(updated) == crosscheck.toc_entries(ours)
    assert crosscheck.check_toc_update(docx_path, ours, tmp_path) == []


@pytest.fixture(scope="module")
def built_lof(tmp_path_factory):
    from figure_fixtures import write_report

    from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build

    folder = tmp_path_factory.mktemp("toc-lof")
    out = folder / "out"
    result = run_build(BuildPlan(None, write_report(folder), out, Format.all, Booklet.none, check=False,
                                 lof=True), Progress(0, quiet=True))
    assert result.files
    return out / "manuscript.pdf", out / "manuscript.docx"


def test_list_of_figures_entries_link_to_their_captions_with_pageref(built_lof):
    """The lists of figures and tables as Word writes them (TOC \\c): each entry a hyperlink to
    the caption's bookmark, its number a PAGEREF to it cached with the page the PDF lists."""
    import zipfile

    from docx_xml import NS, paragraph_text, q
    from lxml import etree

    pdf_path, docx_path = built_lof

    listed = dict(crosscheck.toc_entries(pdf_path))
    body = etree.fromstring(zipfile.ZipFile(docx_path).read("word/document.xml"))
    captions = {m.get(q("name")): p for p in body.iter(q("p"))
                if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")) == "Caption"
                for m in p.iter(q("bookmarkStart"))}
    links = [a for a in body.iter(q("hyperlink")) if a.get(q("anchor")) in captions]
    assert len(links) == 9                                   # 6 figures, 3 tables
    for link in links:
        anchor = link.get(q("anchor"))
        instr = [t.text.strip() for t in link.iter(q("instrText"))]
        assert instr == [f"PAGEREF {anchor} \\h"]
        text = paragraph_text(link)
        title, page = text.rsplit(" ", 1)
        assert title.split("\u3000")[0] == paragraph_text(captions[anchor]).split("\u3000")[0]
        key = re.sub(r"\s", "", title)
        found = [n for t, n in listed.items() if t.endswith(key)]
        assert found == [int(page)], (key, found)


def test_the_crosscheck_reads_an_entry_whose_text_runs_into_its_number(tmp_path):
    """「…为例.35」: an entry that leaves room for one leader dot only is still an entry, and
    the next one is read on its own (it was read as part of it, and every later entry a step
    out)."""
    from reportlab.pdfgen.canvas import Canvas

    from closure_app.fonts import load_fontset

    font = load_fontset(PROFILE).reportlab_font(PROFILE.role("toc").family)
    pdf = tmp_path / "toc.pdf"
    canvas = Canvas(str(pdf), pagesize=(595, 842))
    for page in (["目录", "第一章 绪论" + "." * 60 + "6", "1. 龙头企业链式赋能模式：以广东美的和上海烟机为例.35",
                  "2. 区域级平台生态赋能模式" + "." * 30 + "37", "— 2 —"],
                 ["摘要：正文。", "— 3 —"]):
        for k, line in enumerate(page):
            canvas.setFont(font, 16)
            canvas.drawString(80, 760 - 30 * k, line)
        canvas.showPage()
    canvas.save()
    assert crosscheck.toc_entries(pdf) == [("第一章绪论", 6), ("1.龙头企业链式赋能模式：以广东美的和上海烟机为例", 35),
                                           ("2.区域级平台生态赋能模式", 37)]


def _broken_heading_doc():
    """A heading set on two lines (a w:br between two Chinese characters), as the display
    breaker sets a long one, and a second on one line."""
    from closure_app.blocks import Document, Heading, PageBreak, Paragraph, Text, Toc

    broken = Heading(2, [Text("1.1 关于科技金融、数字化转型与产业链协同新型研发机构")],
                     display_runs=[Text("1.1 关于科技金融、数字化转型与\n产业链协同新型研发机构")])
    return Document(kind="report", title="目录测试", blocks=[
        Toc(), PageBreak(), Heading(1, [Text("第一章 绪论")]), broken, Paragraph([Text("正文。")])])


def test_a_heading_broken_on_two_lines_gives_the_toc_entry_words_update_writes():
    """Word's TOC field (without \\x) and LibreOffice's update turn the heading's line break
    into a space: the cached entry says the same, and the PDF counts its lines on that text."""
    import zipfile
    from io import BytesIO

    from docx_xml import NS, paragraph_text, q
    from lxml import etree

    doc = _broken_heading_doc()
    blob = render_docx(doc, PROFILE, toc_pages=[2, 2])
    body = etree.fromstring(zipfile.ZipFile(BytesIO(blob)).read("word/document.xml"))
    entries = [paragraph_text(p) for p in body.iter(q("p"))
               if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")) in ("TOC1", "TOC2")]
    assert entries == ["第一章 绪论 2", "1.1 关于科技金融、数字化转型与 产业链协同新型研发机构 2"]
    assert doc.blocks[3].toc_runs[0].text == "1.1 关于科技金融、数字化转型与 产业链协同新型研发机构"


@needs_soffice
@needs_uno
def test_libreoffice_update_writes_the_entries_we_cached(tmp_path):
    """LibreOffice updates the TOC and saves the file again: each entry's text is the one we
    cached (so the update changes no entry's width, nor the TOC's length)."""
    import zipfile

    from docx_xml import NS, paragraph_text, q
    from lxml import etree

    from closure_app.fonts import load_fontset

    doc = _broken_heading_doc()
    pdf = render_pdf(doc, PROFILE, load_fontset(PROFILE))
    source = tmp_path / "in.docx"
    source.write_bytes(render_docx(doc, PROFILE, toc_pages=pdf.toc_pages))
    saved = tmp_path / "saved.docx"
    crosscheck.print_as_word(source, tmp_path / "updated.pdf", tmp_path, update_indexes=True, save_docx=saved)

    def entries(path):
        body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
        return [paragraph_text(p).strip() for p in body.iter(q("p"))
                if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")).startswith(("TOC", "Contents"))
                and s.get(q("val")) != "TOCHeading" and paragraph_text(p).strip()]

    ours = entries(source)
    assert len(ours) == 2 and entries(saved)[-2:] == ours
