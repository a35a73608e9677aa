"""Paragraph and line roles: by style, outline level, or the text's own numbering."""
import pytest

from closure_app.check.roles import (Role, is_references_title, is_toc_title, numbered_heading_level,
                                     style_role, text_role)


@pytest.mark.parametrize("text, level", [
    ("第一章 绪论", 1), ("一、研究背景", 1), ("1.1 研究背景与意义", 2), ("（一）理论基础", 2),
    ("1. 创新", 3), ("1)、技术创新", 4), ("(1) 技术创新", 4), ("1.1研究背景", 2), ("2.3", 2),
])
def test_numbered_headings(text, level):
    assert numbered_heading_level(text) == level


@pytest.mark.parametrize("text", [
    "科技创新是提高社会生产力的战略支撑。",                   # no number
    "1. 习近平著作选读. 人民出版社, 2023.",                      # a list item: ends a sentence
    "1.5 倍于全国平均水平的研发投入，使本地企业在近三年中持续保持了较快的增长速度和较高的创新水平",  # too long
    "23.4%，全省高新区实现地区生产总值", "4.0、日本的精工制造", # figures, not numbers of headings
    "",
])
def test_text_that_is_not_a_heading(text):
    assert numbered_heading_level(text) is None


@pytest.mark.parametrize("name, outline, role", [
    ("heading 2", None, "h2"), ("Heading 1", None, "h1"), ("标题 3", None, "h3"), ("Title", None, "title"),
    ("toc 1", None, "toc"), ("TOC Heading", None, "toc_title"), ("caption", None, "caption"),
    ("footnote text", None, "footnote"), ("My Chapter", 1, "h1"),
])
def test_style_roles(name, outline, role):
    assert style_role(name, outline).name == role


def test_plain_style_has_no_style_role():
    assert style_role("Normal", None) is None


def test_text_roles():
    assert text_role("1.1 研究背景与意义") == Role("h2", "编号", certain=True)
    assert text_role("1. 创新") == Role("h3", "编号", certain=False)     # may open a list item: warn only
    assert text_role("1.1 研究背景与意义……………10") == Role("toc", "目录项")
    assert text_role("第一章 绪论\t1").name == "toc"
    assert text_role("正文一句。") == Role("body", "正文")
    assert text_role("摘要：") == Role("label", "标签")
    assert text_role("关键词：科技创新").name == "body"


def test_titles_of_special_sections():
    assert is_references_title("参考文献") and is_references_title("八、参考 文献")
    assert not is_references_title("参考文献综述")
    assert is_toc_title("目  录") and not is_toc_title("目录页码")
