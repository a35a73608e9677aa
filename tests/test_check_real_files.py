"""The checker on files made the way real tools make them (tests/real_files.py), each held to the
verdict a careful reviewer gives it: sizes read through the text matrix, each line judged against
its own role, Founder names in every spelling, near-equivalents as errors on every line, page sizes."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import shutil

import pytest
import real_files as rf
from manuscript_fixtures import front_matter

from closure_app.check import check_file
from closure_app.check.pages import judge_page
from closure_app.check.pdf_check import NEAR, OWN, SUBSTITUTE, FontJudge, shipped_substitutes
from closure_app.check.pdf_reader import read_pdf
from closure_app.check.roles import is_caption
from closure_app.profile import load_profile

PROFILE = load_profile()
pytestmark = pytest.mark.skipif(rf.FONT is None, reason="no TrueType CJK font in fonts/open/ or WenQuanYi")
needs_soffice = pytest.mark.skipif(rf.SOFFICE is None, reason="LibreOffice（soffice）未安装")
needs_pandoc = pytest.mark.skipif(rf.PANDOC is None, reason="pandoc 未安装")

BODY_LINES = 8          # lines of body text in draw_report's two pages
HEADING_LINES = 5       # 一、 二、 （一） 1. and 参考文献


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("real")


def tally(report) -> Counter:
    return Counter((f.rule, f.severity) for f in report.findings)


def test_quartz_sizes_come_from_the_text_matrix(folder):
    facts = read_pdf(rf.quartz_pdf(folder, PROFILE))
    sizes = {ln.text: ln.size for ln in facts.lines}
    assert sizes[rf.TITLE[0]] == PROFILE.role("title").size_pt          # Tf 1, Tm 22
    assert sizes[rf.H1] == PROFILE.role("h1").size_pt
    assert min(sizes.values()) > 10


def test_quartz_report_in_founder_postscript_names_checks_clean(folder):
    report = check_file(rf.quartz_pdf(folder, PROFILE), PROFILE)
    assert report.kind == "report" and report.findings == [], report.render_text()


def test_title_in_the_gbk_edition_of_xiaobiaosong_is_the_mandated_design(folder):
    report = check_file(rf.quartz_gbk_title_pdf(folder, PROFILE), PROFILE)
    assert report.findings == [], report.render_text()


def test_a_songti_thesis_gets_a_font_error_on_every_body_line_and_no_size_error(folder):
    report = check_file(rf.songti_pdf(folder, PROFILE), PROFILE)
    assert report.exit_code == 1
    body = [f for f in report.errors if f.message.startswith(PROFILE.role("body").label)]
    assert len(body) == BODY_LINES and {f.rule for f in body} == {"font-family"}
    assert {f.found for f in body} == {"SimSun"}
    assert [f.found for f in report.errors if f.message.startswith("主标题")] == ["SimSun", "SimSun"]
    assert not [f for f in report.findings if f.rule == "font-size"], report.render_text()
    assert all(f.expected != f.found for f in report.findings)
    # header, footer and page numbers are not judged; table text, captions, notes and references
    # are judged as what they are, never as body text
    judged = {f.place.split("「")[1].rstrip("」").rstrip("…") for f in report.findings if "「" in f.place}
    assert not any(t.startswith((rf.HEADER[:8], "—")) for t in judged)
    captions = [f for f in report.findings if rf.CAPTION[:8] in f.place]
    assert captions and all(f.message.startswith("题注") and f.severity == "info" for f in captions)
    by_role = Counter(f.message.split("字")[0] for f in report.findings)
    assert by_role["表格"] == len(rf.TABLE) and by_role["参考文献"] == len(rf.REFS) and by_role["脚注"] == 1


def test_windows_fangsong_kaiti_simhei_are_errors_line_by_line(folder):
    report = check_file(rf.windows_pdf(folder, PROFILE), PROFILE)
    assert tally(report)[("font-family", "error")] == BODY_LINES
    headings = [f for f in report.findings if "标题" in f.message and f.rule == "font-family"]
    assert len(headings) == HEADING_LINES
    assert {f.found.split("（")[0] for f in headings} == {"SimHei", "KaiTi", "FangSong"}
    assert all("常见替代字体" in f.found for f in headings)
    assert not [f for f in report.findings if f.rule == "font-substitute"]   # no per-font warning


def test_a_letter_size_report_fails(folder):
    report = check_file(rf.letter_pdf(folder, PROFILE), PROFILE)
    [f] = report.findings
    assert (f.rule, f.severity, f.place) == ("page-size", "error", "第 1、2 页")
    assert "Letter" in f.found and report.exit_code == 1


def test_a_landscape_a4_page_is_a4(folder):
    report = check_file(rf.landscape_pdf(folder, PROFILE), PROFILE)
    assert report.findings == [], report.render_text()


def test_typst_report_in_the_shipped_fonts_checks_clean(folder):
    pytest.importorskip("typst")
    report = check_file(rf.typst_pdf(folder, PROFILE), PROFILE)
    assert report.errors == [], report.render_text()
    assert {f.rule for f in report.findings} == {"font-substitute"}


@needs_soffice
def test_libreoffice_pdf_of_our_docx_checks_clean(folder):
    report = check_file(rf.libreoffice_pdf(folder, PROFILE), PROFILE)
    assert report.errors == [], report.render_text()
    assert {f.rule for f in report.findings if f.severity == "warning"} == {"font-substitute"}


def _where(findings) -> set[tuple[str, str]]:
    return {(f.rule, f.place.split("「")[1]) for f in findings if f.severity != "info" and f.rule in
            ("font-family", "font-size", "font-bold")}


@needs_soffice
@pytest.mark.parametrize("breaks", ["h2_heiti", "h3_not_bold", "h2_as_normal"])
def test_libreoffice_pdf_of_a_broken_docx_is_found_at_the_same_places(folder, breaks):
    pdf = rf.libreoffice_pdf(folder, PROFILE, frozenset([breaks]))
    docx_report = check_file(pdf.with_suffix(".docx"), PROFILE)
    pdf_report = check_file(pdf, PROFILE)
    assert _where(pdf_report.findings) == _where(docx_report.findings) != set()


@needs_soffice
@needs_pandoc
def test_pandoc_gongwen_through_libreoffice_checks_clean(folder):
    report = check_file(rf.pandoc_pdf(folder, PROFILE), PROFILE)
    assert report.errors == [], report.render_text()


def test_page_verdict():
    geo = PROFILE.page("report")
    assert judge_page(210, 297, geo).ok and judge_page(297, 210, geo).ok
    letter = judge_page(215.9, 279.4, geo)
    assert not letter.ok and "Letter" in letter.found and letter.expected == "210×297 mm（A4）"
    assert "B5" in judge_page(176, 250, geo).found and not judge_page(176, 250, geo).ok


def test_font_verdicts():
    judge = FontJudge(PROFILE.families(), shipped_substitutes())
    assert judge.verdict("FZXBSK--GBK1-0", "方正小标宋简体") == OWN
    assert judge.verdict("FZFangSong-Z02S", "方正仿宋_GBK") == OWN
    assert judge.verdict("方正楷体简体", "方正楷体_GBK") == OWN
    assert judge.verdict("FangSong", "方正仿宋_GBK") == NEAR
    assert judge.verdict("SimHei", "方正黑体_GBK") == NEAR
    assert judge.verdict("FandolFang-Regular", "方正仿宋_GBK") == SUBSTITUTE
    assert judge.verdict("SimSun", "方正仿宋_GBK") is None
    assert judge.substituted("FandolFang-Regular") == ("方正仿宋_GBK",)
    assert judge.substituted("FZFSK--GBK1-0") == ()
    # the same rule for a DOCX's family names (fonts.styles.family_verdict)
    from closure_app.fonts.styles import family_verdict
    assert family_verdict("方正小标宋_GBK", "方正小标宋简体") == "own"
    assert family_verdict("方正仿宋_GBK", "方正仿宋_GBK") == "own"
    assert family_verdict("KaiTi", "方正楷体_GBK") == "near" and family_verdict("楷体", "方正楷体_GBK") == "near"
    assert family_verdict("宋体", "方正仿宋_GBK") is None


def test_captions_typed_as_text():
    assert is_caption("图1 巴中市区位") and is_caption("表 2-3 指标体系") and is_caption("图1")
    assert not is_caption("表1显示，研发投入逐年增长。") and not is_caption("图书馆建设")


def test_tables_are_found_by_their_rules():
    from closure_app.check.pdf_reader import table_boxes
    grid = [(100, y, 400, y) for y in (500, 480, 460)] + [(x, 460, x, 500) for x in (100, 250, 400)]
    assert table_boxes(grid, 842) == [(100, 460, 400, 500)]
    three_line = [(100, 500, 400, 500), (100, 480, 400, 480), (100, 380, 400, 380)]
    assert table_boxes(three_line, 842) == [(100, 380, 400, 500)]
    frame = [(100, 700, 400, 700), (100, 100, 400, 100), (100, 100, 100, 700), (400, 100, 400, 700)]
    assert table_boxes(frame, 842) == []                      # a box round text
    header_rule = [(100, 800, 400, 800)]                      # a running header's rule over a table
    assert table_boxes(header_rule + three_line, 842) == [(100, 380, 400, 500)]


TABLE_MANUSCRIPT = front_matter("表格测试报告") + """
# 第一章 绪论

## 1.1 背景

科技创新是提高社会生产力和综合国力的战略支撑，必须摆在国家发展全局的核心位置，产业创新以科技创新为源头。

| 指标 | 二〇二三年 | 二〇二四年 |
|---|---|---|
| 研发投入 | 十二亿元 | 十五亿元 |
| 创新平台 | 四十个 | 五十二个，其中国家级平台三个，省级平台十五个，市级平台三十四个 |

正文继续。

# 参考文献

1. 某某. 某书. 出版社, 2023.
"""


def test_our_own_pdf_with_a_table_checks_clean(tmp_path):
    """Table text (四号) is found inside the table's rules and judged as table text, not as body."""
    from closure_app.fonts import load_fontset
    from closure_app.layout.report import report_document
    from closure_app.render.pdf import render_pdf
    from closure_app.sources.manuscript import load_manuscript

    md = tmp_path / "m.md"
    md.write_text(TABLE_MANUSCRIPT, encoding="utf-8")
    doc = report_document(load_manuscript(md).manuscript, PROFILE)
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(render_pdf(doc, PROFILE, load_fontset(PROFILE)).data)
    facts = read_pdf(pdf)
    cells = [ln for ln in facts.lines if ln.in_table]
    assert {ln.size for ln in cells} == {PROFILE.role("table").size_pt} and len(cells) >= 6
    report = check_file(pdf, PROFILE)
    assert report.errors == [], report.render_text()


def test_matrix_scale_is_the_length_of_the_y_axis():
    from closure_app.check.pdf_reader import matrix_scale
    assert matrix_scale(16, 0, 0, 16) == 16
    assert matrix_scale(16, 0, 0, -16) == 16                     # a flipped page (Quartz, Typst)
    assert matrix_scale(0, 16, -16, 0) == 16                     # turned a quarter
    assert matrix_scale(8, 0, 0, 8) * 2 == 16                    # Tf 2 under a half-size cm


@pytest.mark.skipif(shutil.which("pandoc") is None or shutil.which("soffice") is None,
                    reason="pandoc 或 LibreOffice 未安装")
def test_a_pdf_set_at_another_body_size_has_its_title_and_headings_found(tmp_path):
    """pandoc's default DOCX (body 12 pt) printed by LibreOffice: the title and the numbered
    headings are judged as what they are (by the file's own body size), not as body text."""
    import subprocess
    md = tmp_path / "t.md"
    md.write_text("# 川陕革命老区红色文化资源保护与开发利用研究\n\n正文一段，说明研究的缘起。\n\n"
                  "## 一、研究背景\n\n川陕革命老区拥有丰富的红色文化资源。\n\n"
                  "### （一）资源概况\n\n资源分布广，类型多。\n", encoding="utf-8")
    subprocess.run(["pandoc", str(md), "-o", str(tmp_path / "t.docx")], check=True, timeout=120)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'p'}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "t.docx")], check=True, capture_output=True, timeout=300)
    report = check_file(tmp_path / "t.pdf", PROFILE)
    roles = {f.place.split("「")[1][:8]: f.message.split("（")[0].split("字体")[0]
             for f in report.findings if f.rule == "font-family"}
    assert roles["川陕革命老区红色"] == "主标题"
    assert roles["一、研究背景」"[:8]].startswith("一级标题") and roles["（一）资源概况」"[:8]].startswith("二级标题")
    assert roles["川陕革命老区拥有"] == "正文"
