"""Roles of PDF lines from their place and text (pdf_roles), on lines laid out by hand."""
from closure_app.check.pdf_reader import Line, PdfFont
from closure_app.check.pdf_roles import furniture, is_page_number, line_roles

A4 = (595.28, 841.89)
BODY = 16.0
FS = PdfFont("FZFSK--GBK1-0", True, False)
HEI = PdfFont("FZHTK--GBK1-0", True, False)
LEFT, RIGHT = 79.0, 521.0


def line(page, number, text, *, size=BODY, left=LEFT, right=None, y=700.0, font=FS) -> Line:
    right = right if right is not None else min(RIGHT, left + len(text) * size)
    return Line(page, number, text, size, font, False, right, left, y, y + size)


def centred(page, number, text, *, size=BODY, y=700.0, font=FS) -> Line:
    width = len(text) * size
    return line(page, number, text, size=size, left=(A4[0] - width) / 2, right=(A4[0] + width) / 2, y=y, font=font)


def full(page, number, y):
    return line(page, number, "正" * 27, left=LEFT, right=RIGHT, y=y)


def roles(lines):
    return [(ln.text[:6], r.name) for ln, r in line_roles(lines, [A4] * 3, BODY, lambda ln: ln.font is HEI)]


def test_page_numbers_in_their_usual_shapes():
    for text in ("— 1 —", "- 12 -", "3", "第 3 页", "第3页 共10页", "3/10", "Page 3 of 10", "iv"):
        assert is_page_number(text), text
    assert not is_page_number("2024年") and not is_page_number("1. 创新")


def test_a_running_header_repeats_and_a_page_number_stands_at_the_foot():
    pages = []
    for p in (1, 2, 3):
        pages += [line(p, 1, "巴中市社科规划项目结项成果", size=10.5, y=800), full(p, 2, 650), full(p, 3, 620),
                  centred(p, 4, f"— {p} —", size=14, y=60)]
    ids = furniture(pages)
    assert {ln.text for ln in pages if id(ln) in ids} == {"巴中市社科规划项目结项成果", "— 1 —", "— 2 —", "— 3 —"}


def test_title_author_headings_body_and_references():
    lines = [centred(1, 1, "深度融合科技创新", size=22, y=760), centred(1, 2, "中共通江县委党校 向河铭", y=720),
             line(1, 3, "一、总体情况", left=LEFT + 32, y=680, font=HEI), full(1, 4, 650),
             line(1, 5, "正文最后一行。", y=620), centred(1, 6, "结语", y=590, font=HEI), full(1, 7, 560),
             centred(1, 8, "参考文献", y=530, font=HEI), line(1, 9, "[1] 某某．某书．", size=14, y=500),
             line(1, 10, "[2] 某某．某文．", size=14, y=480)]
    assert roles(lines) == [("深度融合科技", "title"), ("中共通江县委", "author"), ("一、总体情况", "h1"),
                            ("正正正正正正", "body"), ("正文最后一行", "body"), ("结语", "h1"), ("正正正正正正", "body"),
                            ("参考文献", "h1"), ("[1] 某某", "reference"), ("[2] 某某", "reference")]


def test_a_note_under_its_separator_rule_is_a_footnote_even_among_the_references():
    lines = [full(1, 1, 730), centred(1, 2, "参考文献", y=700, font=HEI), line(1, 3, "[1] 某某．某书．", size=14, y=670),
             line(1, 4, "1 脚注：数据来源。", size=12, y=90)]
    facts_rules = {1: [(LEFT, 110, LEFT + 120, 110)]}
    got = [(ln.text[:4], r.name) for ln, r in line_roles(lines, [A4], BODY, lambda ln: ln.font is HEI, facts_rules)]
    assert got == [("正正正正", "body"), ("参考文献", "h1"), ("[1] ", "reference"), ("1 脚注", "footnote")]
    without_rule = [r.name for _, r in line_roles(lines, [A4], BODY, lambda ln: ln.font is HEI, {})]
    assert without_rule[-1] == "reference"          # no separator: part of the list


def test_small_lines_at_the_foot_of_a_body_page_are_notes_and_captions_are_captions():
    lines = [full(1, 1, 700), centred(1, 2, "图1 巴中市区位", size=14, y=670), full(1, 3, 640),
             line(1, 4, "1 巴中市统计局．", size=12, y=100), line(1, 5, "2 同上．", size=12, y=84)]
    assert [r for _, r in roles(lines)][1:] == ["caption", "body", "footnote", "footnote"]


def test_headings_broken_over_two_lines_are_judged_as_headings(tmp_path):
    """A long heading the display breaker sets on two lines: both lines are the heading, in its
    font (the second report has many); the build's own check passes, and a failed build's old
    report does not stay behind."""
    import subprocess
    import sys
    from pathlib import Path

    from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build
    root = Path(__file__).resolve().parents[1]
    md = tmp_path / "second.md"
    subprocess.run([sys.executable, str(root / "scripts" / "make_second_report.py"), str(md)], check=True,
                   capture_output=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "check-report.failed.txt").write_text("an earlier failure", encoding="utf-8")
    run_build(BuildPlan(None, md, out, Format.pdf, Booklet.none, check=True), Progress(4, quiet=True))
    assert "不合格" not in (out / "check-report.txt").read_text(encoding="utf-8")
    assert not (out / "check-report.failed.txt").exists()


def test_a_numbered_heading_that_fills_the_whole_line_is_a_heading(tmp_path):
    """「101.1 内部动力：技术突破、企业创新需求、产业链协同」 fills the measure exactly (a long report's
    chapter 101): set in the level-2 font, it is a heading although the line is not short."""
    import re
    from pathlib import Path

    from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build
    src = (Path(__file__).resolve().parents[1] / "manuscript" / "manuscript.md").read_text(encoding="utf-8")
    front = src.split("\n---\n", 1)[0] + "\n---\n"
    chapter = re.search(r"^# 第三章.*?(?=^# 第四章)", src, re.S | re.M).group(0)
    chapter = chapter.replace("# 第三章", "# 第一百零一章").replace("## 3.1", "## 101.1").replace("## 3.2", "## 101.2")
    md = tmp_path / "ch101.md"
    md.write_text(front + chapter + "\n# 参考文献\n\n1. 作者. 题名[M]. 出版地：出版者，2024.\n", encoding="utf-8")
    out = tmp_path / "out"
    run_build(BuildPlan(None, md, out, Format.pdf, Booklet.none, check=True), Progress(4, quiet=True))
    assert "不合格" not in (out / "check-report.txt").read_text(encoding="utf-8")
