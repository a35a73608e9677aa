"""The checker on DOCX files other tools made: roles from what a paragraph is, levels relative
to the document, a text box judged once, paragraphs counted as Word counts them."""
import shutil

import pytest
from real_docx_fixtures import hand_set_title, pandoc_gongwen, text_box_twice

from closure_app.check import check_file
from closure_app.ooxml import read_docx
from closure_app.ooxml.structure import analyse
from closure_app.profile import load_profile

PROFILE = load_profile()


def by_text(report, text):
    return [f for f in report.findings if text in f.place]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc 未安装")
def test_pandoc_gongwen_levels_follow_the_document_not_the_style_number(tmp_path):
    path = pandoc_gongwen(tmp_path / "gongwen.docx")
    ds = [d for d in analyse(read_docx(path)) if d.role in ("title", "heading")]
    assert [(d.role, d.level, d.para.text) for d in ds] == [
        ("title", None, "关于推进科技创新与产业创新深度融合的实施意见"),
        ("heading", 1, "一、总体要求"), ("heading", 2, "（一）指导思想"), ("heading", 3, "1. 基本原则"),
        ("heading", 4, "（1）市场导向"), ("heading", 1, "二、重点任务")]
    report = check_file(path, PROFILE)
    family = lambda text: {f.expected for f in by_text(report, text) if f.rule == "font-family"}  # noqa: E731
    assert family("关于推进科技创新") == {PROFILE.role("title").family}
    assert family("一、总体要求") == {PROFILE.role("h1").family}
    assert family("（一）指导思想") == {PROFILE.role("h2").family}
    level3 = [f for f in by_text(report, "1. 基本原则") if f.rule == "font-family"]
    assert level3 and level3[0].expected == PROFILE.role("h3").family and level3[0].severity == "error"
    assert all(f.paragraph for f in report.findings if f.rule.startswith("font"))


def test_a_title_set_by_hand_in_normal_checks_clean(tmp_path):
    report = check_file(hand_set_title(tmp_path / "title.docx", PROFILE), PROFILE)
    assert report.errors == [], report.render_text()
    roles = {d.para.text: (d.role, d.level) for d in analyse(read_docx(tmp_path / "title.docx"))}
    assert roles["乡村振兴背景下川陕革命老区红色文化资源保护与开发利用研究"] == ("title", None)
    assert roles["巴中市委党校 王五"] == ("author", None)
    assert roles["一、研究背景"] == ("heading", 1) and roles["（一）问题的提出"] == ("heading", 2)
    assert roles["各部门："] == ("body", None)          # a short line is still body text, and checked


def test_a_short_body_line_in_the_wrong_font_is_found(tmp_path):
    import docx
    path = hand_set_title(tmp_path / "title.docx", PROFILE)
    d = docx.Document(str(path))
    p = next(p for p in d.paragraphs if p.text == "各部门：")
    p.runs[0]._r.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "宋体")
    d.save(str(path))
    [f] = check_file(path, PROFILE).errors
    assert (f.rule, f.found.split("（")[0], f.paragraph) == ("font-family", "宋体", 6)


def test_a_text_box_is_read_once_and_paragraphs_are_counted_as_word_counts_them(tmp_path):
    path = text_box_twice(tmp_path / "box.docx")
    doc = read_docx(path)
    assert [p.text for p in doc.story()] == ["正文段落一。", "正文段落二。", "文本框中的一段文字", "正文段落三。"]
    assert [p.index for p in doc.story()] == [1, 2, None, 3]
    boxed = [f for f in check_file(path, PROFILE).findings if "文本框中的一段文字" in f.place and f.rule == "font-family"]
    assert len(boxed) == 1 and boxed[0].place.startswith("文本框（第 2 段）")


@pytest.mark.parametrize("title_font, verdict", [
    ("方正小标宋_GBK", None), ("FZXiaoBiaoSong-B05S", None), ("宋体", "error"),
])
def test_founder_editions_are_the_family_in_docx_as_in_pdf(tmp_path, title_font, verdict):
    import docx
    from docx.oxml.ns import qn
    path = hand_set_title(tmp_path / "title.docx", PROFILE)
    d = docx.Document(str(path))
    d.paragraphs[0].runs[0]._r.rPr.rFonts.set(qn("w:eastAsia"), title_font)
    d.save(str(path))
    found = [f.severity for f in check_file(path, PROFILE).findings if f.rule == "font-family"]
    assert found == ([verdict] if verdict else [])


def test_a_near_equivalent_is_an_error_that_says_what_it_is(tmp_path):
    import docx
    from docx.oxml.ns import qn
    path = hand_set_title(tmp_path / "title.docx", PROFILE)
    d = docx.Document(str(path))
    body = next(p for p in d.paragraphs if p.text.startswith("红色文化资源"))
    body.runs[0]._r.rPr.rFonts.set(qn("w:eastAsia"), "FangSong")
    d.save(str(path))
    [f] = check_file(path, PROFILE).errors
    assert f.rule == "font-family" and "常见替代字体" in f.found and f.paragraph == 4
