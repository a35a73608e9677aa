"""Pure pieces of the font registry: name matching, styles, repertoire, glyph needs, snippets."""
import os
import sys
from pathlib import Path

import pytest

from closure_app.blocks import Document, Footnote, Heading, ListBlock, NoteRef, Paragraph, Text, Toc
from closure_app.errors import Finding, Place
from closure_app.fonts.coverage import (
    CoverageReport, MissingChar, describe_char, first_line_with, needs_glyph, passages, snippet,
)
from closure_app.fonts.names import normalize
from closure_app.fonts.styles import equivalent_names, exact_names, style_of
from closure_app.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("a, b", [
    ("方正仿宋_GBK", "方正仿宋_gbk"),
    ("Kaiti SC", "KaitiSC"),
    ("FZFangSong-Z02", "fzfangsong z02"),
    ("ＳｉｍＨｅｉ", "SimHei"),          # fullwidth letters
])
def test_names_compare_like_word_does(a, b):
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize("a, b", [("方正仿宋_GBK", "方正楷体_GBK"), ("FangSong", "FangSong2"), ("宋体", "黑体")])
def test_different_names_stay_different(a, b):
    assert normalize(a) != normalize(b)


@pytest.mark.parametrize("family, style", [
    ("方正小标宋简体", "小标宋"), ("方正小标宋_GBK", "小标宋"),
    ("方正仿宋_GBK", "仿宋"), ("FangSong", "仿宋"),
    ("方正楷体_GBK", "楷体"), ("Kaiti SC", "楷体"),
    ("方正黑体_GBK", "黑体"), ("SimHei", "黑体"),
    ("宋体", "宋体"), ("Songti SC", "宋体"),
    ("Times New Roman", None), ("", None),
])
def test_style_is_read_from_the_family_name(family, style):
    assert style_of(family) == style


def test_founder_family_matches_its_english_and_postscript_names():
    assert exact_names("方正仿宋_GBK") == ("方正仿宋_GBK", "FZFangSong-Z02", "FZFSK--GBK1-0")
    assert exact_names("某字体") == ("某字体",)


def test_near_equivalents_follow_the_style_and_exclude_the_family_itself():
    eq = equivalent_names("方正仿宋_GBK")
    assert {"FangSong", "STFangsong", "仿宋"} <= set(eq)
    assert "方正仿宋_GBK" not in eq and "KaiTi" not in eq
    assert "方正小标宋_GBK" in equivalent_names("方正小标宋简体")
    assert equivalent_names("Times New Roman") == ()


@pytest.mark.parametrize("ch, drawn", [("堃", True), (" ", True), ("𠀀", True), ("\n", False),
                                        ("\u200b", False), ("\ufe0f", False), ("\U000e0100", False)])
def test_which_characters_need_a_glyph(ch, drawn):
    assert needs_glyph(ch) is drawn


def test_describe_char_names_the_code_point():
    assert describe_char("堃") == "「堃」(U+5803)"
    assert describe_char("𠀀") == "「𠀀」(U+20000)"


def test_snippet_marks_cut_ends():
    text = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"
    assert snippet(text, 0) == "一二三四五六七八九…"
    assert snippet(text, 10).startswith("…") and "甲" in snippet(text, 10)
    assert snippet("短句", 1) == "短句"


def test_passages_cover_every_drawn_text_with_its_role():
    doc = Document(kind="report", title="t", blocks=[
        Paragraph([Text("主标题")], role="title", line=1),
        Toc(),
        Heading(1, [Text("第一章 绪论")], line=3),
        Paragraph([Text("正文"), NoteRef(1)], line=4),
        ListBlock([[Text("条目")]], label="[{n}]", role="reference", line=6),
    ], footnotes={1: Footnote(1, [Text("注文")], line=9)})
    got = [(p.role, p.text, p.line) for p in passages(doc, load_profile().roles)]
    assert ("title", "主标题", 1) in got
    assert ("toc_title", "目录", None) in got
    assert ("toc", "第一章 绪论", 3) in got                     # the contents' copy, at the heading's line
    assert ("toc", "0123456789", None) in got                     # page numbers, quoting no source line
    assert not any(role == "toc" and "绪论" in text and text != "第一章 绪论" for role, text, _ in got)
    assert ("h1", "第一章 绪论", 3) in got
    assert ("body", "正文1", 4) in got
    assert ("reference", "[1]条目", 6) in got
    assert ("footnote", "1注文", 9) in got


def test_page_digits_missing_from_the_contents_font_are_named_as_page_numbers():
    doc = Document(kind="report", title="t", blocks=[Toc(), Heading(1, [Text("第一章")], line=3)])
    digits = [p for p in passages(doc, load_profile().roles) if p.text == "0123456789"]
    assert [(p.role, p.line, p.label) for p in digits] == [("toc", None, "目录页码")]


def test_first_line_with_finds_the_first_line_holding_a_character():
    source = "项目: 甲\n负责人: 王堃\n成员: 李堃\n"
    assert first_line_with(source, "堃") == 2
    assert first_line_with(source, "项") == 1
    assert first_line_with(source, "🚀") is None


def gap(ch: str, role: str, line, drawn_by=None, context="…") -> MissingChar:
    return MissingChar(ch, role, "方正仿宋_GBK", "FandolFang", line, "填写内容", context, drawn_by)


def test_a_missing_character_reads_as_its_problem_and_first_place():
    error, fallback = gap("🚀", "h1", 16, context="第一章 绪论 🚀"), gap("堃", "form_text", None, "Noto Serif CJK SC", "王堃")
    assert str(error) == "「🚀」(U+1F680)：FandolFang 缺字，所有字体都没有此字，无法排版；首次出现于第 16 行「第一章 绪论 🚀」"
    assert fallback.where == "填写内容「王堃」" and fallback.problem.endswith("由 Noto Serif CJK SC 补字")


def test_coverage_findings_place_each_character_once_errors_first():
    report = CoverageReport(fonts={}, characters={}, missing=[
        gap("堃", "form_text", None, "Noto Serif CJK SC", "王堃"),   # no line: found in the source
        gap("🚀", "toc", 16, context="第一章 绪论 🚀"),             # the heading's copy in the contents ...
        gap("🚀", "h1", 16, context="第一章 绪论 🚀"),              # ... and the heading: one finding
        gap("堃", "footnote", 30, "Noto Serif CJK SC", "注堃"),
    ])
    source = "\n".join(["题"] * 5 + ["负责人: 王堃"])
    got = report.findings("m.md", source)
    assert [(str(f.place), f.severity) for f in got] == [("m.md:6:7", "warning"), ("m.md:16", "error"),
                                                         ("m.md:30", "warning")]
    assert got[1] == Finding(Place("m.md", 16),
                             "「🚀」(U+1F680)：FandolFang 缺字，所有字体都没有此字，无法排版（「第一章 绪论 🚀」）")


def test_a_character_lacked_by_one_role_and_drawn_for_another_at_one_place_is_an_error():
    report = CoverageReport(fonts={}, characters={}, missing=[
        gap("𠀀", "h1", 3, "HanaMinB"), gap("𠀀", "toc", 3)])
    assert [f.severity for f in report.findings("m.md", "")] == ["error"]


def test_repertoire_gbk_holds_every_gbk_ideograph_and_report_symbols():
    sys.path.insert(0, str(ROOT / "scripts" / "fonts"))
    from repertoire import bmp_han, ext_b, gbk_codepoints, gbk_report

    gbk = gbk_codepoints()
    assert sum(1 for c in gbk if 0x4E00 <= c <= 0x9FA5) == 20902
    assert {ord(c) for c in "堃喆玥珺昇镕"} <= gbk
    everything = set(range(0x110000))
    report = gbk_report(everything)
    assert {ord(c) for c in "①Ⅱ㈠℃㎡—…“”《》ā"} <= report
    assert 0x20000 not in report and 0x3400 not in report
    assert 0x3400 in bmp_han(everything) and 0x9FFF in bmp_han(everything)
    assert ext_b(everything) == set(range(0x20000, 0x2A6E0))
    assert gbk_report({0x4E00, 0x20000}) == {0x4E00}   # never more than the font has


def test_system_font_dirs_come_from_the_environment_when_set(monkeypatch, tmp_path):
    from closure_app.fonts.catalog import system_font_dirs

    monkeypatch.setenv("CLOSURE_APP_FONT_DIRS", "")
    assert system_font_dirs() == []
    monkeypatch.setenv("CLOSURE_APP_FONT_DIRS", f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}")
    assert system_font_dirs() == [tmp_path / "a", tmp_path / "b"]
    monkeypatch.delenv("CLOSURE_APP_FONT_DIRS")
    assert all(p.is_dir() for p in system_font_dirs())


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    from closure_app.fonts.catalog import cache_dir

    monkeypatch.setenv("CLOSURE_APP_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("CLOSURE_APP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "closure-app"
