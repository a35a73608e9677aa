"""manuscript.md -> Manuscript: each Markdown construct, each error a user can make."""
from pathlib import Path

import pytest

from closure_app.blocks import Heading, ListBlock, NoteRef, Paragraph, Table, Text
from closure_app.errors import InvalidInput, UsageError
from closure_app.sources.manuscript import (
    column_widths, empty_sections, load_manuscript, parse_manuscript, summarize,
)

ROOT = Path(__file__).resolve().parents[1]

FRONT = """---
title: 测试标题
author:
  name: 张三
  unit: 某某党校
  position: 讲师
  address: 四川省巴中市某路 1 号
  postcode: "636000"
  email: a@example.com
  phone: "13500000000"
abstract: |
  第一段摘要。

  第二段
  摘要。
keywords: [甲, 乙]
---
"""
FRONT_LINES = FRONT.count("\n")


def parse(body: str):
    return parse_manuscript(FRONT + body, "m.md").manuscript


def errors(text: str, with_front: bool = True) -> list[str]:
    with pytest.raises(InvalidInput) as exc:
        parse_manuscript((FRONT if with_front else "") + text, "m.md")
    return [str(f) for f in exc.value.findings if f.severity == "error"]


def at(n: int) -> str:
    """'m.md:L' for the n-th line (1-based) of the body after the front matter."""
    return f"m.md:{FRONT_LINES + n}"


# ---- front matter ----

def test_front_matter_fields():
    m = parse("# 第一章 绪论\n")
    assert m.front.title == "测试标题"
    assert m.front.author.name == "张三" and m.front.author.postcode == "636000"
    assert m.front.keywords == ["甲", "乙"]
    assert m.front.abstract_paragraphs == ["第一段摘要。", "第二段摘要。"]


def test_unknown_key_suggests_the_close_one():
    got = errors(FRONT.replace("  email:", "  emial:") + "正文\n", with_front=False)
    assert got == ["m.md:3:1 author.email：缺少此项",
                   "m.md:9:3 author：未知键「emial」，是否指「email」？"]


def test_unknown_top_key_lists_known_keys_when_nothing_is_close():
    got = errors(FRONT.replace("keywords:", "keywords: [甲]\n研究领域: 经济\nx:") + "正文\n", with_front=False)
    assert "未知键「研究领域」（可用的键：title、author、abstract、keywords）" in got[0]
    assert got[0].startswith("m.md:17:1 ")


def test_yaml_syntax_error_names_line_and_column():
    got = errors(FRONT.replace("title: 测试标题", "title: [未闭合") + "正文\n", with_front=False)
    assert got == ["m.md:3:7 YAML 格式错误：方括号列表没有闭合：缺少「]」或逗号"]


def test_yaml_colon_in_value():
    got = errors(FRONT.replace("title: 测试标题", "title: 标题: 副标题") + "正文\n", with_front=False)
    assert got == ["m.md:2:10 YAML 格式错误：此处不能出现「: 」（值里含冒号时请给整个值加引号）"]


def test_missing_field_is_named_at_its_mapping():
    text = FRONT.replace("  name: 张三\n", "")
    assert errors(text + "正文\n", with_front=False) == ["m.md:3:1 author.name：缺少此项"]


@pytest.mark.parametrize("typed", ["636000", "012345"])
def test_an_unquoted_postcode_is_the_digits_typed(typed):
    """YAML 1.1 would make 636000 a number and 012345 the octal 5349: read as typed instead."""
    text = FRONT.replace('  postcode: "636000"', f"  postcode: {typed}")
    assert parse_manuscript(text + "正文\n", "m.md").manuscript.front.author.postcode == typed


def test_bad_postcode_says_what_it_should_be():
    got = errors(FRONT.replace('"636000"', '"63600"') + "正文\n", with_front=False)
    assert got == ["m.md:8:13 author.postcode：格式不对：应为邮编（6 位数字）"]


def test_empty_keywords():
    got = errors(FRONT.replace("keywords: [甲, 乙]", "keywords: []") + "正文\n", with_front=False)
    assert got == ["m.md:16:11 keywords：至少要有一项"]


def test_duplicate_key_is_an_error():
    got = errors(FRONT.replace("title: 测试标题", "title: 测试标题\ntitle: 另一个") + "正文\n", with_front=False)
    assert got == ["m.md:3:1 title：键重复出现，只能写一次"]


def test_date_like_value_is_text_even_when_impossible():
    m = parse_manuscript(FRONT.replace("title: 测试标题", "title: 2025-02-30") + "正文\n", "m.md").manuscript
    assert m.front.title == "2025-02-30"


@pytest.mark.parametrize("old, new, expected", [
    ("title: 测试标题", "title: [甲, 乙]", "m.md:2:8 title：应为文字，这里被读成了列表（值以「[」「{」或「- 」开头，"
                                         "或下一行有缩进）：若这是文字，请给整个值加引号"),
    ("title: 测试标题", "title:", "m.md:2:7 title：不能为空"),
    ("keywords: [甲, 乙]", "keywords: 甲", "m.md:16:11 keywords：应为列表（每项一行，以「- 」开头；或写成 [甲, 乙]）"),
])
def test_wrong_kind_of_value(old, new, expected):
    assert errors(FRONT.replace(old, new) + "正文\n", with_front=False) == [expected]


def test_empty_front_matter():
    assert errors("---\n---\n正文\n", with_front=False) == [
        "m.md:2:1 YAML 前言是空的：请写明 title、author、abstract、keywords"]


def test_front_matter_that_is_not_key_value_lines():
    assert errors("---\n- 甲\n---\n正文\n", with_front=False) == ["m.md:2:1 YAML 前言应为若干“键: 值”（title: …）"]


def test_missing_front_matter():
    assert errors("# 第一章\n", with_front=False) == [
        "m.md:1 缺少开头的 YAML 前言：以 --- 开始和结束，写明 title、author、abstract、keywords"]


@pytest.mark.parametrize("opening", ["---", "----", "---  "])
def test_front_matter_never_closed_is_named_once_at_its_opening_line(opening):
    """Before: 缺少开头的 YAML 前言 and 不支持的写法：分隔线, both at line 1."""
    text = f"{opening}\ntitle: 题\n\n# 第一章 绪论\n\n正文\n"
    assert errors(text, with_front=False) == [
        "m.md:1 第 1 行开始的 YAML 前言没有结束的 ---：请在前言最后一行之后另起一行写 ---"]


def test_a_rule_at_the_top_is_not_mistaken_for_an_open_front_matter():
    assert errors("***\n\n# 第一章\n\n正文\n", with_front=False) == [
        "m.md:1 缺少开头的 YAML 前言：以 --- 开始和结束，写明 title、author、abstract、keywords",
        "m.md:1 不支持的写法：分隔线（---、***）"]


@pytest.mark.parametrize("body", ["", "\n\n", "\n   \n"])
def test_an_empty_body_is_an_error_after_the_front_matter(body):
    assert errors(body) == [f"{at(1)} 正文为空：至少需要一章（在前言之后写 # 第一章 ……，下面写正文）"]


def test_a_body_of_only_unsupported_text_is_not_called_empty():
    assert errors("> 引用\n") == [f"{at(1)} 不支持的写法：引用块（>）"]


def empty_warnings(body: str) -> list[str]:
    return [str(f) for f in parse_manuscript(FRONT + body, "m.md").findings if "没有内容" in f.message]


def test_a_heading_with_nothing_under_it_is_a_warning_with_its_line():
    body = "# 第一章 绪论\n\n正文\n\n# 第二章 空章\n# 第三章 结论\n\n正文\n"
    assert empty_warnings(body) == [f"{at(5)} 标题「第二章 空章」下面没有内容：请补写正文，或删去这个标题（警告）"]


@pytest.mark.parametrize("body, empty", [
    ("# 第一章 甲\n\n## 1.1 乙\n\n正文\n", []),                       # a sub-heading is content
    ("# 第一章 甲\n\n- 条目\n\n# 第二章 乙\n\n正文\n", []),              # so is a list
    ("# 第一章 甲\n\n| a |\n|---|\n| b |\n\n# 第二章 乙\n\n正文\n", []),  # and a table
    ("# 第一章 甲\n\n## 1.1 乙\n\n## 1.2 丙\n\n正文\n", ["1.1 乙"]),   # the same level follows
    ("# 第一章 甲\n\n正文\n\n## 1.1 乙\n\n# 第二章 丙\n\n正文\n", ["1.1 乙"]),  # a higher level follows
    ("# 第一章 甲\n\n正文\n\n# 第二章 乙\n", ["第二章 乙"]),               # the last heading of all
])
def test_empty_sections(body, empty):
    assert [h.text for h in empty_sections(parse(body).body)] == empty


def test_the_sample_has_no_errors_and_no_warnings():
    assert load_manuscript(ROOT / "manuscript" / "manuscript.md").findings == []


# ---- body constructs ----

def test_heading_levels_and_lines():
    m = parse("# 第一章 绪论\n\n## 1.1 背景\n\n### 1. 创新\n\n#### 1)、技术创新\n")
    hs = m.headings()
    assert [(h.level, h.text, h.in_toc) for h in hs] == [
        (1, "第一章 绪论", True), (2, "1.1 背景", True), (3, "1. 创新", True), (4, "1)、技术创新", False)]
    assert [h.line for h in hs] == [FRONT_LINES + n for n in (1, 3, 5, 7)]


def test_emphasis_sup_sub_code_and_soft_breaks():
    m = parse("正文**粗体**与*斜体*，H<sub>2</sub>O，x<sup>2</sup>，`code`\n接着写 word\nnext\n")
    p = m.body[0]
    assert isinstance(p, Paragraph) and p.line == FRONT_LINES + 1
    assert p.text == "正文粗体与斜体，H2O，x2，code接着写 word next"
    runs = [(r.text, r.bold, r.italic, r.sup, r.sub) for r in p.runs]
    assert runs[:8] == [
        ("正文", False, False, False, False), ("粗体", True, False, False, False),
        ("与", False, False, False, False), ("斜体", False, True, False, False),
        ("，H", False, False, False, False), ("2", False, False, False, True),
        ("O，x", False, False, False, False), ("2", False, False, True, False)]


def test_link_keeps_url_when_text_differs():
    m = parse("见[国家统计局](https://www.stats.gov.cn)与<https://a.cn>\n")
    assert m.body[0].text == "见国家统计局（https://www.stats.gov.cn）与https://a.cn"


def test_footnotes_renumbered_by_first_reference():
    m = parse("甲[^b]乙[^a]丙[^b]\n\n[^a]: 注 A\n[^b]: 注 *B*\n")
    refs = [r for r in m.body[0].runs if isinstance(r, NoteRef)]
    assert [r.number for r in refs] == [1, 2, 1]
    assert [r.text for r in m.footnotes[1].runs] == ["注 ", "B"] and m.footnotes[1].runs[1].italic
    assert m.footnotes[2].runs == [Text("注 A")]
    assert m.footnotes[2].line == FRONT_LINES + 3


def test_table_header_alignment_and_widths():
    m = parse("| 指标 | 数值 |\n|:---|---:|\n| 地区生产总值增长 | **6.3%** |\n")
    t = m.body[0]
    assert isinstance(t, Table) and t.line == FRONT_LINES + 1
    assert [r.header for r in t.rows] == [True, False]
    assert [c.paragraphs[0].text for c in t.rows[1].cells] == ["地区生产总值增长", "6.3%"]
    assert [c.align for c in t.rows[1].cells] == ["left", "right"]
    assert t.rows[1].cells[1].paragraphs[0].runs[0].bold
    assert t.col_widths == [8.0, 2.0]


def test_column_widths_are_clamped():
    from closure_app.blocks import Cell, Row
    row = Row([Cell([Paragraph([Text("长" * 40)])]), Cell([Paragraph([Text("a")])])])
    assert column_widths([row]) == [20.0, 2.0]


def test_lists():
    m = parse("- 甲\n- 乙\n\n3. 丙\n4. 丁\n")
    bullets, ordered = m.body
    assert isinstance(bullets, ListBlock) and not bullets.ordered
    assert [Paragraph(i).text for i in bullets.items] == ["甲", "乙"]
    assert ordered.ordered and ordered.start == 3 and ordered.marker(1) == "4."


def test_references_list():
    m = parse("# 第一章 绪论\n\n正文\n\n# 〔参考文献〕\n\n1. 作者甲. 题名[M]. 2023.\n2. 作者乙. 题名[J]. 2024.\n")
    refs = m.body[-1]
    assert isinstance(refs, ListBlock) and refs.role == "reference" and refs.label == "[{n}]"
    assert refs.marker(0) == "[1]"
    assert [Paragraph(r).text for r in m.references] == ["作者甲. 题名[M]. 2023.", "作者乙. 题名[J]. 2024."]


def test_a_list_in_a_chapter_after_references_is_not_a_reference():
    m = parse("# 参考文献\n\n1. 甲\n\n# 附录\n\n1. 乙\n")
    assert [b.role for b in m.body if isinstance(b, ListBlock)] == ["reference", "body"]


# ---- errors: nothing is dropped silently ----

@pytest.mark.parametrize("body, line, what", [
    ("<div>原始 HTML</div>\n", 1, "不支持的写法：HTML 代码块"),
    ("```\ncode\n```\n", 1, "不支持的写法：代码块"),
    ("    缩进的文字\n", 1, "不支持的写法：缩进代码块"),
    ("正文\n\n> 引用\n", 3, "不支持的写法：引用块"),
    ("正文\n\n***\n", 3, "不支持的写法：分隔线"),
    ("正文 ![图](a.png) 正文\n", 1, "图片要单独成段"),
    ("正文\n\n![图](no-such-image.png)\n", 3, "图片 "),
    ("第一行\n第二行<span>x</span>\n", 2, "不支持的 HTML 标签：<span>"),
    ("- 甲\n  - 嵌套\n", 1, "不支持的写法：列表项里的嵌套列表"),
    ("##### 五级标题\n", 1, "标题最多四级（####），这里是 5 级"),
    ("正文[^x]\n", 1, "脚注 [^x] 没有定义"),
    ("正文\n\n[^z]: 没人引用\n", 3, "脚注 [^z] 有定义，但正文没有引用它"),
    ("# 参考文献\n\n作者. 题名.\n", 3, "参考文献下应为编号列表"),
    ("# 参考文献\n\n- 作者. 题名.\n", 3, "参考文献请写成编号列表"),
])
def test_unsupported_constructs_are_errors_with_their_line(body, line, what):
    got = errors(body)
    assert len(got) == 1, got
    assert got[0].startswith(f"{at(line)} {what}")


def test_every_error_is_reported_not_only_the_first():
    got = errors("> 引用\n\n![图](a.png)\n\n###### 六级\n")
    assert len(got) == 3


def test_numbering_slips_are_warnings_not_errors():
    loaded = parse_manuscript(FRONT + "# 第一章 a\n\n## 1.2 b\n\n正文\n", "m.md")
    assert [str(f) for f in loaded.findings] == [
        f"{at(3)} 标题「1.2 b」编号不连续：应从 1.1 开始（警告）"]


# ---- files ----

def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="找不到书稿文件") as info:
        load_manuscript(tmp_path / "none.md")
    assert info.value.exit_code == 2


def test_not_utf8_file_names_the_line(tmp_path):
    f = tmp_path / "mixed.md"
    f.write_bytes(FRONT.encode("utf-8") + "正文\n".encode("gbk"))
    with pytest.raises(InvalidInput, match=rf"mixed.md:{FRONT_LINES + 1} 文件不是 UTF-8 编码"):
        load_manuscript(f)


def test_gbk_file_is_named_as_such(tmp_path):
    f = tmp_path / "gbk.md"
    f.write_bytes((FRONT + "正文\n").encode("gbk"))
    with pytest.raises(InvalidInput, match=r"gbk.md:2 文件不是 UTF-8 编码（看起来是 GBK 编码）"):
        load_manuscript(f)


def test_directory_is_not_a_file(tmp_path):
    with pytest.raises(UsageError, match="是文件夹"):
        load_manuscript(tmp_path)


def test_utf8_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.md"
    f.write_bytes(b"\xef\xbb\xbf" + (FRONT + "正文\n").encode("utf-8"))
    assert load_manuscript(f).manuscript.body[0].text == "正文"


# ---- summary ----

def test_summary_counts():
    m = parse("# 第一章 甲\n\n## 1.1 乙\n\n正文 ab[^1]\n\n| 表 |\n|---|\n| 格 |\n\n# 参考文献\n\n1. 文献\n\n[^1]: 注\n")
    s = summarize(m)
    assert (s.chapters, s.sections, s.paragraphs, s.footnotes, s.references) == (1, 1, 1, 1, 1)
    # 第一章甲 4 + 1.1乙 4 + 正文ab 4 + 表格 2 + 参考文献 4 + 文献 2
    assert s.characters == 20
    assert str(s) == "正文：1 章，1 节，1 段，1 条脚注，1 条参考文献，共 20 字"


def test_summary_thousands_separator():
    s = summarize(parse("字" * 1234 + "\n"))
    assert str(s).endswith("共 1,234 字")


# ---- the template and the sample ----

def test_template_loads_without_findings():
    template = ROOT / "src/closure_app/templates/manuscript.md"
    loaded = load_manuscript(template)
    assert loaded.findings == []
    assert summarize(loaded.manuscript).chapters >= 1


SAMPLE = ROOT / "manuscript/manuscript.md"


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample manuscript not present")
def test_sample_loads():
    loaded = load_manuscript(SAMPLE)
    s = summarize(loaded.manuscript)
    assert (s.chapters, s.footnotes) == (7, 11)
    assert s.references >= 5
    assert all(f.severity == "warning" for f in loaded.findings)
    assert loaded.manuscript.front.author.name == "向河铭"


# ---- line joining ----

@pytest.mark.parametrize("lines, joined", [
    (["科技兴则民族兴，", "科技强则国家强"], "科技兴则民族兴，科技强则国家强"),
    (["open", "innovation"], "open innovation"),
    (["工业", "4.0 路径"], "工业4.0 路径"),
    (["", "  甲  ", ""], "甲"),
    (["所谓“新质", "生产力”"], "所谓“新质生产力”"),
    (["“创新”", "“协同”"], "“创新”“协同”"),
    (["研究", "——以巴中为例"], "研究——以巴中为例"),
    (["he said", "“hello”"], "he said “hello”"),
    (["Zahra", "(2012)"], "Zahra (2012)"),
])
def test_join_lines(lines, joined):
    from closure_app.models.manuscript import join_lines
    assert join_lines(lines) == joined


@pytest.mark.parametrize("body, line, what", [
    ("- 甲\n\n  续段\n", 1, "列表项只能有一段文字"),
    ("正文[^a]\n\n[^a]: 第一段\n\n    第二段\n", 3, "脚注 [^a] 只能是一段文字"),
])
def test_multi_paragraph_items_are_errors(body, line, what):
    got = errors(body)
    assert len(got) == 1 and got[0].startswith(f"{at(line)} {what}")
