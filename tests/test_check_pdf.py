"""A PDF made to the profile checks clean; unembedded fonts, wrong heading fonts, wrong sizes,
substitutes and A4 pages in an "A3" booklet are each found with their place."""
from pathlib import Path

import pytest
from check_fixtures import BODY_2, H2, H2_PLAIN, build_booklet, build_pdf, cjk_font_file
from reportlab.lib.pagesizes import A3, A4, landscape

from closure_app.check import check_file
from closure_app.check import pdf_check
from closure_app.check.pdf_reader import decode_font_name
from closure_app.profile import load_profile

PROFILE = load_profile()
FONT = cjk_font_file(Path(__file__).resolve().parents[1] / "fonts")
pytestmark = pytest.mark.skipif(FONT is None, reason="no TrueType CJK font in fonts/open/ or WenQuanYi")
SUBSTITUTE = "LXGWWenKai-Regular"


@pytest.fixture(autouse=True)
def shipped(monkeypatch):
    """The shipped substitutes, as the fonts manifest lists them: family -> styles it stands for."""
    monkeypatch.setattr(pdf_check, "shipped_substitutes", lambda: {"LXGW WenKai": "楷体", SUBSTITUTE: "楷体"})


def check(tmp_path, *breaks, h2_face=None, **kw):
    path = build_pdf(tmp_path / "report.pdf", PROFILE, FONT, breaks=frozenset(breaks), h2_face=h2_face)
    return check_file(path, PROFILE, **kw)


def test_decode_font_name_strips_the_subset_prefix_and_decodes_gbk():
    assert decode_font_name(b"ABCDEF+\xb7\xbd\xd5\xfd\xb7\xc2\xcb\xce_GBK") == "方正仿宋_GBK"
    assert decode_font_name(b"FZFSK--GBK1-0") == "FZFSK--GBK1-0"
    assert decode_font_name("ABCDEF+方正黑体_GBK".encode()) == "方正黑体_GBK"
    assert decode_font_name(b"\xff\xfe\xfd") == "\xff\xfe\xfd"          # neither UTF-8 nor GBK: kept


def test_family_names_and_stand_ins():
    assert pdf_check.is_family("FZKTK--GBK1-0", "方正楷体_GBK")            # the PostScript name
    assert pdf_check.is_family("方正仿宋_GBK,Bold", "方正仿宋_GBK")
    assert not pdf_check.is_family("方正仿宋_GBK", "方正楷体_GBK")
    families = PROFILE.families()
    assert pdf_check.stands_in_for("LXGWWenKai-Regular", families, {"LXGW WenKai": "楷体"}) == ["方正楷体_GBK"]
    assert pdf_check.stands_in_for("FandolFang-Regular", families, {"FandolFang": "方正仿宋_GBK"}) == ["方正仿宋_GBK"]
    assert pdf_check.stands_in_for("FandolFang-Regular", families, {"FandolFang": "后备"}) == []
    assert pdf_check.stands_in_for("SimHei", families, {}) == ["方正黑体_GBK"]   # a near-equivalent
    assert pdf_check.stands_in_for("Helvetica", families, {}) == []
    noto = {"Noto Serif CJK SC": "小标宋、宋体、后备", "NotoSerifCJKsc-Regular": "宋体、后备"}
    assert pdf_check.stands_in_for("NotoSerifCJKsc-Regular", families, noto) == ["宋体"]   # the specific name
    assert pdf_check.stands_in_for("NotoSerifCJKsc-Bold", families, noto) == ["方正小标宋简体", "宋体"]


def test_clean_pdf_checks_clean(tmp_path):
    report = check(tmp_path)
    assert report.kind == "report"
    assert report.findings == [] and report.exit_code == 0


def test_unembedded_font_is_found_with_its_page(tmp_path):
    report = check(tmp_path, "pdf_unembedded")
    assert [(f.rule, f.place, f.found) for f in report.errors] == [("font-embedded", "第 2 页", "未嵌入")]
    assert "Helvetica" in report.errors[0].message


def test_heading_2_in_heiti_is_found_on_its_line(tmp_path):
    report = check(tmp_path, "pdf_h2_heiti")
    assert [(f.rule, f.place, f.found) for f in report.errors] == [
        ("font-family", f"第 1 页第 3 行「{H2}」", PROFILE.role("h1").family),
        ("font-family", f"第 2 页第 1 行「{H2_PLAIN}」", PROFILE.role("h1").family),
    ]


def test_body_at_xiaosan_is_found_on_its_line(tmp_path):
    report = check(tmp_path, "pdf_body_xiaosan")
    [f] = report.errors
    assert (f.rule, f.expected, f.found) == ("font-size", "三号（16pt）", "小三（15pt）")
    assert f.place == f"第 1 页第 7 行「{BODY_2[:16]}…」"


def test_a_substitute_is_a_warning_and_a_failure_under_strict(tmp_path):
    report = check(tmp_path, h2_face=SUBSTITUTE)
    assert [(f.rule, f.severity, f.expected, f.found) for f in report.findings] == [
        ("font-substitute", "warning", PROFILE.role("h2").family, SUBSTITUTE)]
    assert report.exit_code == 0
    strict = check(tmp_path, h2_face=SUBSTITUTE, strict=True)
    assert [f.rule for f in strict.errors] == ["font-substitute"] and strict.exit_code == 1


def test_a3_booklet_with_an_even_page_count_is_clean(tmp_path):
    path = build_booklet(tmp_path / "a3.pdf", [landscape(A3)] * 4, FONT, PROFILE.role("body").family)
    report = check_file(path, PROFILE)
    assert report.kind == "booklet" and report.findings == []


def test_a4_pages_in_the_a3_booklet_are_found(tmp_path):
    path = build_booklet(tmp_path / "a3.pdf", [landscape(A3), A4, landscape(A3), A4], FONT,
                         PROFILE.role("body").family)
    report = check_file(path, PROFILE, kind="booklet")
    [f] = report.errors
    assert (f.rule, f.place) == ("booklet-page-size", "第 2、4 页")
    assert f.expected == "1190.55×841.89 pt" and f.found == "595.28×841.89 pt"


def test_an_odd_number_of_a3_sides_does_not_fit_the_saddle_order(tmp_path):
    path = build_booklet(tmp_path / "a3.pdf", [landscape(A3)] * 3, FONT, PROFILE.role("body").family)
    [f] = check_file(path, PROFILE).errors
    assert f.rule == "booklet-page-count" and f.found == "3 页（原稿 6 页）"


def test_runs_on_one_baseline_make_one_line_with_the_dominant_size_and_han_font():
    from closure_app.check.pdf_reader import PdfFont, _Run, group_lines
    fs, latin = PdfFont("方正仿宋_GBK", True, False), PdfFont("Times", True, False)
    runs = [_Run("10", 9, fs, False, 706, 90, 100),               # a raised note number first
            _Run("正文开头", 16, fs, False, 700, 100, 164), _Run("2025", 16, latin, False, 701, 164, 200),
            _Run("年", 16, fs, False, 700, 200, 216), _Run("  ", 16, fs, False, 670, 100, 116),
            _Run("下一行", 16, fs, True, 671, 100, 148)]
    first, second = group_lines(3, runs)
    assert (first.page, first.number, first.text, first.size, first.font.name) == (3, 1, "10正文开头2025年", 16, "方正仿宋_GBK")
    assert (first.stroked, first.right) == (False, 216)
    assert (second.number, second.text, second.stroked) == (2, "下一行", True)


def test_toc_pages_are_the_titled_page_and_the_numbered_pages_after_it():
    from closure_app.check.pdf_reader import Line, PdfFont
    f = PdfFont("x", True, False)

    def page(n, *texts):
        return [Line(n, i, t, 16, f, False) for i, t in enumerate(texts, 1)]

    lines = (page(1, "标题") + page(2, "目  录", "第一章 绪论……1", "1.1 背景……2")
             + page(3, "1.2 综述 3", "第二章 理论 5") + page(4, "第一章 绪论", "正文。"))
    assert pdf_check.toc_pages(lines) == {2, 3}
