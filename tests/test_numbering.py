"""Heading numbering: reading the number a heading carries, and the warnings for slips."""
import pytest

from closure_app.blocks import Heading, Text
from closure_app.numbering import (
    check_heading_numbering, chinese_numeral, classify_numbering, expected_label, to_chinese_numeral,
)

FILE = "manuscript/manuscript.md"


@pytest.mark.parametrize("text, n", [
    ("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("九十九", 99),
    ("一百", 100), ("一百零五", 105), ("一百一十", 110), ("两", 2), ("12", 12),
])
def test_chinese_numerals_read(text, n):
    assert chinese_numeral(text) == n
    if text.isdigit() or text == "两":
        return
    assert to_chinese_numeral(n) == text


@pytest.mark.parametrize("text", ["", "一二", "abc", "十x"])
def test_not_a_chinese_numeral(text):
    assert chinese_numeral(text) is None


@pytest.mark.parametrize("text, kind, values, level, label", [
    ("第一部分 总体情况", "part", (1,), 1, "第一部分"),
    ("第 2 部分 做法", "part", (2,), 1, "第 2 部分"),
    ("第三篇 案例", "part", (3,), 1, "第三篇"),
    ("第一章 绪论", "chapter", (1,), 1, "第一章"),
    ("第十二章 结论", "chapter", (12,), 1, "第十二章"),
    ("第 3 章 方法", "chapter", (3,), 1, "第 3 章"),
    ("第二节 概念", "section_cn", (2,), 2, "第二节"),
    ("1.1 研究背景与意义", "decimal", (1, 1), 2, "1.1"),
    ("2.3研究内容", "decimal", (2, 3), 2, "2.3"),
    ("2.3.1 方法", "decimal", (2, 3, 1), 3, "2.3.1"),
    ("１．２ 全角", "decimal", (1, 2), 2, "１．２"),
    ("1. 创新", "dot", (1,), 3, "1."),
    ("4、评价体系", "dot", (4,), 3, "4、"),
    ("1)、技术创新", "paren_tail", (1,), 4, "1)、"),
    ("2）产品创新", "paren_tail", (2,), 4, "2）"),
    ("一、总体要求", "cn_comma", (1,), 1, "一、"),
    ("（三）保障措施", "cn_paren", (3,), 2, "（三）"),
    ("(1) 数据", "arabic_paren", (1,), 4, "(1)"),
    ("⑵ 数据", "arabic_paren", (2,), 4, "⑵"),
    ("⒊数据", "dot", (3,), 3, "⒊"),
])
def test_classify_numbering(text, kind, values, level, label):
    m = classify_numbering(text)
    assert (m.kind, m.values, m.level, m.label) == (kind, values, level, label)


@pytest.mark.parametrize("text", ["参考文献", "〔参考文献〕", "结论与展望", "2024年回顾", "第X章", ""])
def test_unnumbered_headings(text):
    assert classify_numbering(text) is None


def test_expected_label():
    assert expected_label("chapter", (3,)) == "第三章"
    assert expected_label("decimal", (2, 1)) == "2.1"
    assert expected_label("cn_paren", (2,)) == "（二）"
    assert expected_label("paren_tail", (1,)) == "1)、"
    assert expected_label("part", (2,)) == "第二部分"
    assert expected_label("part", (2,), "第一篇") == "第二篇"


def test_parts_run_in_order():
    found = check_heading_numbering(heads(("#", "第一部分 总体"), ("#", "第三部分 做法")), FILE)
    assert [f.message for f in found] == ["标题「第三部分 做法」编号不连续：上一部分是 第一部分"]


def heads(*specs):
    """('#', '第一章 绪论') ... -> headings on lines 1, 2, 3 ..."""
    return [Heading(len(marks), [Text(text)], line=i + 1) for i, (marks, text) in enumerate(specs)]


GOOD = heads(
    ("#", "第一章 绪论"), ("##", "1.1 背景"), ("##", "1.2 综述"),
    ("#", "第二章 理论"), ("##", "2.1 内涵"), ("###", "1. 创新"), ("####", "1)、技术"), ("####", "2)、产品"),
    ("###", "2. 科技创新"), ("####", "1)、再来"), ("##", "2.2 特征"), ("###", "1. 生态"),
    ("#", "第三章 机制"), ("#", "参考文献"),
)


def test_good_numbering_gives_no_warning():
    assert check_heading_numbering(GOOD, FILE) == []


def messages(headings):
    return [str(f) for f in check_heading_numbering(headings, FILE)]


def test_skipped_section_names_line_and_previous():
    got = messages(heads(("#", "第二章 理论"), ("##", "2.1 内涵"), ("##", "2.3 特征")))
    assert got == [
        f"{FILE}:1 标题「第二章 理论」编号不连续：应从 第一章 开始（警告）",
        f"{FILE}:3 标题「2.3 特征」编号不连续：上一节是 2.1（警告）",
    ]


def test_chapter_out_of_order():
    got = messages(heads(("#", "第一章 a"), ("#", "第三章 b")))
    assert got == [f"{FILE}:2 标题「第三章 b」编号不连续：上一章是 第一章（警告）"]


def test_repeated_number():
    got = messages(heads(("#", "第一章 a"), ("##", "1.1 b"), ("##", "1.1 c")))
    assert got == [f"{FILE}:3 标题「1.1 c」编号重复：上一节也是 1.1（警告）"]


def test_section_under_wrong_chapter():
    got = messages(heads(("#", "第一章 a"), ("#", "第二章 b"), ("##", "1.1 c")))
    assert got == [f"{FILE}:3 标题「1.1 c」与所在章不符：所在章是 第二章（警告）"]


def test_sections_restart_in_each_chapter():
    assert messages(heads(("#", "第一章 a"), ("##", "1.1 b"), ("#", "第二章 c"), ("##", "2.1 d"))) == []
    got = messages(heads(("#", "第一章 a"), ("##", "1.1 b"), ("#", "第二章 c"), ("##", "2.2 d")))
    assert got == [f"{FILE}:4 标题「2.2 d」编号不连续：应从 2.1 开始（警告）"]


def test_level3_restarts_under_each_section():
    ok = heads(("#", "第一章 a"), ("##", "1.1 b"), ("###", "1. x"), ("###", "2. y"), ("##", "1.2 c"), ("###", "1. z"))
    assert messages(ok) == []
    bad = heads(("#", "第一章 a"), ("##", "1.1 b"), ("###", "1. x"), ("##", "1.2 c"), ("###", "2. z"))
    assert messages(bad) == [f"{FILE}:5 标题「2. z」编号不连续：应从 1. 开始（警告）"]


def test_level4_restarts_under_each_level3():
    bad = heads(("###", "1. x"), ("####", "1)、a"), ("####", "3)、b"), ("###", "2. y"), ("####", "2)、c"))
    assert messages(bad) == [
        f"{FILE}:3 标题「3)、b」编号不连续：上一个四级标题是 1)、（警告）",
        f"{FILE}:5 标题「2)、c」编号不连续：应从 1)、 开始（警告）",
    ]


def test_one_slip_gives_one_warning():
    got = messages(heads(("#", "第一章 a"), ("#", "第三章 b"), ("#", "第四章 c"), ("#", "第五章 d")))
    assert len(got) == 1


def test_unnumbered_heading_does_not_break_the_count():
    assert messages(heads(("#", "第一章 a"), ("#", "前言"), ("#", "第二章 b"), ("#", "参考文献"))) == []


def test_number_written_at_the_wrong_level():
    got = messages(heads(("#", "第一章 a"), ("###", "1.1 b")))
    assert got == [f"{FILE}:2 标题「1.1 b」的编号像二级标题，却写成了三级（###）（警告）"]


def test_long_heading_is_shortened_in_message():
    long = "1.3 " + "很长的标题" * 10
    got = messages(heads(("#", "第一章 a"), ("##", long)))
    assert "标题「1.3 很长的标题很长的标题很长的标题很长的标…」" in got[0]
