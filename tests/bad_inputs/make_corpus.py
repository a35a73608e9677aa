"""A corpus of bad inputs, as a careless or a hostile user would hand them to closure-app.

Each case is a folder holding its source files and ``case.json``: the validate command to run,
the exit code the README promises for its class, and what the message must say (the place as
file:line:column, the field, the cause). ``run_corpus.py`` runs every case; the tests check the
results. Run this script alone to look at the cases:

    python tests/bad_inputs/make_corpus.py /tmp/corpus
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Union

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FORM = (ROOT / "forms" / "application.yaml").read_text(encoding="utf-8")
FORM = "application.yaml"
MD = "manuscript.md"

# A small report that validates, so manuscript cases are quick.
SMALL_MANUSCRIPT = """---
title: 科技创新与产业创新研究
author:
  name: 张三
  unit: 中共通江县委党校
  position: 讲师
  address: 四川省通江县
  postcode: "636700"
  email: someone@example.com
  phone: "13500000000"
abstract: |
  摘要正文。
keywords: [科技创新, 产业创新]
---

# 第一章 绪论

## 1.1 研究背景

正文段落。

# 参考文献

1. 作者. 题名[M]. 出版地：出版者，2024.
"""

# Classes of bad input, as the README's exit-code table names them.
SYNTAX, CHARACTERS, ALIASES, TYPED, DATES, TOO_LONG, GLYPHS, CONTENT, ENCODING, FILES, USAGE, TOO_TALL = (
    "YAML 写法错误", "看不见的控制字符", "锚点、引用与标签", "YAML 1.1 的意外", "日期不合情理",
    "内容超出官方表格的方框", "没有字体能排的字符", "栏目缺失、多余或取值无效", "编码不对或不是文本",
    "文件不存在或是文件夹", "命令用法错误", "比一页还高的标题、表格行或脚注")


@dataclass
class Case:
    name: str
    kind: str                                  # one of the classes above
    files: dict[str, Union[str, bytes]]        # relative path -> content
    args: list[str]                            # validate's arguments (sources relative to the case)
    exit: int                                  # the exit code the README promises
    expect: list[str] = field(default_factory=list)   # substrings of what validate prints
    build: bool = True                         # build the same sources: same exit, nothing left behind
    absent: list[str] = field(default_factory=list)   # what must not be printed


def form_case(name: str, kind: str, text: Union[str, bytes], expect: list[str], exit: int = 1, **kw) -> Case:
    return Case(name, kind, {FORM: text}, ["--form", FORM], exit, expect, **kw)


def md_case(name: str, kind: str, text: Union[str, bytes], expect: list[str], exit: int = 1, **kw) -> Case:
    return Case(name, kind, {MD: text}, ["--manuscript", MD], exit, expect, **kw)


def sub(old: str, new: str, text: str = SAMPLE_FORM) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def at(text: str, needle: str, offset: int = 0) -> str:
    """``application.yaml:L:C`` of ``needle`` (plus ``offset`` characters) in ``text``."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{column}"


def value_at(text: str, needle: str) -> str:
    """The place of the value after ``key: `` in the line holding ``needle``."""
    return at(text, needle, needle.index(": ") + 2)


def bomb(depth: int = 9, width: int = 9) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, depth):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def member(extra: str) -> str:
    return sub("  原参与人员: []", f"  原参与人员:\n    - {{{extra}}}")


def cases() -> list[Case]:
    today = dt.date.today()
    out: list[Case] = []
    add = out.append
    S = SAMPLE_FORM

    # ---- control characters --------------------------------------------------------------
    names = {0x00: "空字符", 0x01: "控制字符", 0x07: "响铃符", 0x08: "退格符", 0x0B: "垂直制表符",
             0x0C: "换页符", 0x1B: "转义符", 0x1F: "控制字符", 0x7F: "删除符", 0x85: "下一行符",
             0x9F: "C1 控制字符", 0x2028: "行分隔符", 0x2029: "段分隔符", 0xFFFE: "非字符"}
    for cp, cn in names.items():
        text = sub("项目类别: 自筹课题", f"项目类别: 自筹{chr(cp)}课题")
        add(form_case(f"control-U+{cp:04X}-in-a-value", CHARACTERS, text,
                      [f"{FORM}:{at(text, chr(cp))} 项目类别：含有看不见的字符 U+{cp:04X}（{cn}", "请删去"]))
    text = sub("    联系电话:\n  # 参与人员", "    联系电话: 135\x0b00000000\n  # 参与人员")
    add(form_case("vertical-tab-in-a-nested-value", CHARACTERS, text,
                  [f"{FORM}:{at(text, chr(11))} 项目变更情况数据表.现负责人.联系电话：含有看不见的字符 U+000B"]))
    text = sub("# 日期写作", "# 日期\x0c写作")
    add(form_case("form-feed-in-a-comment", CHARACTERS, text, [f"{FORM}:{at(text, chr(12))} 含有看不见的字符 U+000C"]))
    text = sub("项目类别: 自筹课题", "项目类\x00别: 自筹课题")
    add(form_case("nul-in-a-key", CHARACTERS, text, [f"{FORM}:{at(text, chr(0))} 项目类别：含有看不见的字符 U+0000"]))
    text = S.replace("课题", "课\x0b题")
    add(form_case("vertical-tabs-on-many-lines-each-named", CHARACTERS, text,
                  [f"{FORM}:{at(text, chr(11))} ", "U+000B"]))
    text = "\x00".join(S[:400])
    add(form_case("hundreds-of-nuls-counted-not-listed", CHARACTERS, text, ["另有", "可能选错了文件"]))
    text = sub("项目类别: 自筹课题", "项目类别: 自筹课题\r\n填表人: 张\x0b三").replace("\n", "\r\n").replace("\r\r\n", "\r\n")
    add(form_case("control-character-with-windows-line-ends", CHARACTERS, text,
                  [f"{FORM}:{at(text.replace(chr(13), ''), chr(11))} 填表人：含有看不见的字符 U+000B"]))
    m = SMALL_MANUSCRIPT.replace("title: 科技", "title: 科\x0b技")
    add(md_case("vertical-tab-in-front-matter", CHARACTERS, m,
                [f"{MD}:{at(m, chr(11))} title：含有看不见的字符 U+000B（垂直制表符）"]))
    m = SMALL_MANUSCRIPT.replace("  name: 张三", "  name: 张\x00三")
    add(md_case("nul-in-front-matter-not-hidden-as-replacement", CHARACTERS, m,
                [f"{MD}:{at(m, chr(0))} author.name：含有看不见的字符 U+0000（空字符"]))
    m = SMALL_MANUSCRIPT.replace("\n", "\r\n").replace("abstract: |", "abstract: |\x0c", 1)
    add(md_case("form-feed-in-front-matter-crlf", CHARACTERS, m,
                [f"{MD}:{at(m.replace(chr(13), ''), chr(12))} ", "U+000C（换页符）"]))

    m = SMALL_MANUSCRIPT.replace("正文段落。", "正文\x0b段落\x00。")
    add(md_case("control-characters-in-the-report-body", CHARACTERS, m,
                [f"{MD}:{at(m, chr(11))} 含有看不见的字符 U+000B（垂直制表符）", f"{MD}:{at(m, chr(0))} 含有看不见的字符 U+0000"],
                absent=["U+FFFD"]))
    m = SMALL_MANUSCRIPT.replace("## 1.1 研究背景", "## 1.1 研究\u2028背景")
    add(md_case("line-separator-in-a-heading", CHARACTERS, m, [f"{MD}:{at(m, chr(0x2028))} 含有看不见的字符 U+2028（行分隔符）"]))

    # ---- anchors, aliases, tags ------------------------------------------------------------
    add(form_case("billion-laughs", ALIASES, bomb(), [f"{FORM}:1:5 YAML 格式错误：不支持锚点「&a0」"]))
    add(form_case("billion-laughs-below-the-form", ALIASES, S + bomb(12, 12).replace("a0:", "备注0:"),
                  ["不支持锚点「&a0」"]))
    add(md_case("billion-laughs-in-front-matter", ALIASES, "---\n" + bomb() + "---\n\n# 第一章 绪论\n\n正文。\n",
                [f"{MD}:2:5 YAML 格式错误：不支持锚点「&a0」"]))
    text = sub("项目类别: 自筹课题", "项目类别: &类别 自筹课题").replace("  立项项目名称: 深度融合科技创新与产业创新 助推巴中新质生产力跨越发展", "  立项项目名称: *类别")
    add(form_case("one-anchor-one-alias", ALIASES, text, [f"{FORM}:{value_at(text, '项目类别: &')} YAML 格式错误：不支持锚点「&」"]))
    text = sub("项目类别: 自筹课题", "项目类别: &kind 自筹课题").replace("  立项项目名称: 深度融合科技创新与产业创新 助推巴中新质生产力跨越发展", "  立项项目名称: *kind")
    add(form_case("one-ascii-anchor-one-alias", ALIASES, text, [f"{FORM}:{value_at(text, '项目类别: &')} YAML 格式错误：不支持锚点「&kind」"]))
    text = sub("项目类别: 自筹课题", "项目类别: *自筹课题")
    add(form_case("undefined-alias-is-text-to-quote", ALIASES, text, [f"{FORM}:{value_at(text, '项目类别: *')} ", "不支持引用「*」", "加引号"]))
    text = sub("声明:\n", "声明:\n  <<: *默认\n")
    add(form_case("merge-key", ALIASES, text, [f"{FORM}:{at(text, '*默认')} YAML 格式错误：不支持引用「*」"]))
    for tag in ("!!python/object:os.system", "!!python/object/apply:os.system", "!!python/name:os.system",
                "!!binary", "!!int", "!!timestamp", "!!set", "!本地标签"):
        text = sub("项目类别: 自筹课题", f"项目类别: {tag} 自筹课题")
        add(form_case(f"tag-{tag.strip('!').replace('/', '-').replace(':', '-')}", ALIASES, text,
                      [f"{FORM}:{value_at(text, '项目类别: !')} YAML 格式错误：不支持 YAML 标签「{tag if tag.isascii() else '!'}」"],
                      absent=["constructor", "could not"]))
    add(form_case("flow-nesting-ten-thousand-deep", ALIASES, "立项编号: " + "[" * 10000 + "]" * 10000 + "\n",
                  [f"{FORM}:1:", "嵌套超过 20 层"]))
    add(form_case("block-nesting-deep", ALIASES, "".join("  " * i + f"层{i}:\n" for i in range(200)),
                  ["嵌套超过 20 层"]))

    # ---- YAML 1.1 surprises: what was typed is what is checked -------------------------------
    text = member('姓名: 张三, 联系电话: 01062345670')
    add(form_case("landline-with-leading-zero-stays-as-typed", TYPED, text, [], exit=0, build=False))
    text = member('姓名: 张三, 联系电话: 0106234567x')
    add(form_case("bad-landline-quotes-what-was-typed", TYPED, text,
                  [f"{FORM}:{at(text, '0106234567x')} 项目变更情况数据表.原参与人员第1项.联系电话：不是有效的电话号码"]))
    for word, meant in (("no", "否"), ("yes", "是"), ("on", "是"), ("off", "否"), ("false", "否"), ("True", "是")):
        text = sub("  涉密: 否", f"  涉密: {word}")
        add(form_case(f"declaration-{word}", TYPED, text,
                      [f"{FORM}:{value_at(text, '涉密: ' + word)} 声明.涉密：只能填写：是、否（写的是「{word}」，应写「{meant}」）"]))
    text = member('姓名: 张三, 联系电话: 135000000000000000000000')
    add(form_case("long-digit-string-is-not-a-float", TYPED, text,
                  ["联系电话：不是有效的电话号码"],
                  absent=["e+", "1.35"]))
    for typed in ("1e5", ".inf", "0x1F", "0o17", "1_000", "12:30:00"):
        text = sub("项目类别: 自筹课题", f"项目类别: {typed}")
        add(form_case(f"number-like-category-{typed}", TYPED, text, [], exit=0, build=False))
    m = SMALL_MANUSCRIPT.replace('postcode: "636700"', "postcode: 012345")
    add(md_case("postcode-with-leading-zero-unquoted", TYPED, m, [], exit=0, build=False))
    text = sub("是否变更: 否", "是否变更: No")
    add(form_case("changed-english-no", TYPED, text, ["项目变更情况数据表.是否变更：只能填写：是、否（写的是「No」，应写「否」）"]))

    # ---- dates a reviewer would stop at -----------------------------------------------------
    far = today.replace(year=today.year + 3)
    text = sub("填表日期: 2025-10-15", f"填表日期: {far}").replace("  日期: 2025-10-15", f"  日期: {far}")
    add(form_case("form-date-years-ahead", DATES, text,
                  [f"{FORM}:{value_at(text, '填表日期: ')} 填表日期：填表日期 {far} 晚于今天", "年份是否写错了"]))
    soon = today + dt.timedelta(days=10)
    text = sub("填表日期: 2025-10-15", f"填表日期: {soon}").replace("  日期: 2025-10-15", f"  日期: {soon}")
    add(form_case("form-date-days-ahead-is-a-warning", DATES, text, ["警告", "若是预先填写"], exit=0, build=False))
    text = sub("  日期: 2025-10-15", f"  日期: {far}")
    add(form_case("review-date-years-ahead", DATES, text, [f"{FORM}:{value_at(text, '  日期: ' + str(far))} 所在单位审核意见.日期：审核意见日期"]))
    text = sub("  实际完成时间:", "  实际完成时间: 2019-05-01")
    add(form_case("finished-before-approval", DATES, text,
                  [f"{FORM}:{value_at(text, '实际完成时间: ')} 项目变更情况数据表.实际完成时间：实际完成时间 2019-05-01 早于立项年份 2025"]))
    text = sub("  原计划完成时间:              # 如 2025-09-30", "  原计划完成时间: 2024-12-31")
    add(form_case("planned-before-approval", DATES, text, ["原计划完成时间 2024-12-31 早于立项年份 2025"]))
    text = sub("  实际完成时间:", "  实际完成时间: 2025-12-01")
    add(form_case("finished-after-the-form-date", DATES, text, ["实际完成时间 2025-12-01 晚于填表日期 2025-10-15"]))
    for bad in ("2025-02-30", "2025-13-01", "2025年10月", "昨天", "10/15/2025"):
        text = sub("填表日期: 2025-10-15", f"填表日期: {bad}")
        add(form_case(f"impossible-date-{bad.replace('/', '-')}", DATES, text,
                      [f"{FORM}:{value_at(text, '填表日期: ')} 填表日期：不是有效的日期"]))
    text = sub("填表日期: 2025-10-15", "填表日期: 2024-10-15").replace("  日期: 2025-10-15", "  日期: 2024-10-15")
    add(form_case("form-date-before-approval-year", DATES, text, ["填表日期 2024-10-15 早于立项年份 2025"]))

    # ---- too long for the official form's box ------------------------------------------------
    long_name = "深度融合科技创新" * 625
    text = sub("项目名称: 深度融合科技创新与产业创新 助推巴中新质生产力跨越发展", f"项目名称: {long_name}")
    add(form_case("project-name-5000-characters", TOO_LONG, text,
                  [f"{FORM}:{value_at(text, '项目名称: 深')} 项目名称：太长：封面「项目名称」一栏只能写 3 行"]))
    text = sub("所在单位: 中共通江县委党校", "所在单位: " + "中共通江县委党校" * 12)
    add(form_case("unit-too-long-for-the-cover", TOO_LONG, text, ["所在单位：太长：封面「所在单位」一栏"]))
    text = member("姓名: 张三, 单位: " + "中共通江县委党校" * 120)
    add(form_case("member-unit-taller-than-a-page", TOO_LONG, text,
                  ["项目变更情况数据表.原参与人员第1项.单位：太长：一、项目变更情况数据表「原参与人员」的「单位」栏"]))
    text = sub("  意见: 成果无政治导向问题", "  意见: " + "同意报送。" * 200 + "成果无政治导向问题")
    add(form_case("opinion-overflows-its-box", TOO_LONG, text, ["所在单位审核意见.意见：太长：「二、申请人所在单位审核意见」方框"]))
    text = sub("    通讯地址:\n    联系电话:\n  现负责人", "    通讯地址: " + "四川省巴中市通江县" * 20 + "\n    联系电话:\n  现负责人")
    add(form_case("leader-address-too-long", TOO_LONG, text, ["项目变更情况数据表.原负责人.通讯地址：太长"]))
    text = sub("  变更的内容:", "  变更的内容: " + "调整研究内容" * 60).replace("是否变更: 否", "是否变更: 是")
    add(form_case("change-content-too-long", TOO_LONG, text, ["项目变更情况数据表.变更的内容：太长"]))
    add(form_case("a-ten-megabyte-form", TOO_LONG, S + "# " + "长" * 4_000_000 + "\n", ["表单文件太大"]))
    add(md_case("a-megabyte-of-front-matter", TOO_LONG,
                "---\ntitle: |\n" + ("  " + "长" * 1000 + "\n") * 1100 + "---\n\n# 第一章\n\n正文。\n", ["内容太长"]))

    # ---- characters no font has ---------------------------------------------------------------
    for ch, where, field_name, old, new in (
            ("\ue000", "项目负责人", "项目负责人", "项目负责人: 向河铭", "项目负责人: 向河\ue000铭"),
            ("\U0001F680", "项目名称", "项目名称", "项目名称: 深度融合", "项目名称: 深度\U0001F680融合"),
            ("\U0001F600", "意见", "所在单位审核意见.意见", "  意见: 成果", "  意见: 成\U0001F600果"),
            ("\U000F0001", "姓名", "项目变更情况数据表.原参与人员第1项.姓名", None, None)):
        text = sub(old, new) if old else member(f"姓名: 张\U000F0001三")
        shown = f"U+{ord(ch):04X}"
        add(form_case(f"no-font-has-{shown}-in-{where}", GLYPHS, text,
                      [f"{FORM}:{at(text, ch)} {field_name}：", shown, "所有字体都没有此字，无法排版"]))
    text = "# 注释里的 \U0001F680 不排版\n" + sub("项目名称: 深度融合", "项目名称: 深度\U0001F680融合")
    add(form_case("glyph-in-a-comment-is-skipped-for-the-value", GLYPHS, text,
                  [f"{FORM}:{at(text, '深度' + chr(0x1F680), 2)} 项目名称：「\U0001F680」(U+1F680)"]))
    m = SMALL_MANUSCRIPT.replace("正文段落。", "正文\ue000段落。")
    add(md_case("private-use-character-in-the-report-body", GLYPHS, m,
                [f"{MD}:{at(m, chr(0xE000))} U+E000（私用区字符，看不见）", "无法排版"]))

    # ---- messages: syntax and content ---------------------------------------------------------
    text = sub("项目类别: 自筹课题", '项目类别: "自筹课题')
    add(form_case("unclosed-double-quote-closed-by-a-later-comment", SYNTAX, text,
                  [f"{FORM}:{value_at(text, '项目类别: ')} YAML 格式错误：引号没有闭合"]))
    text = sub("  意见: 成果无政治导向问题", "  意见: '成果无政治导向问题")
    add(form_case("unclosed-single-quote-at-the-end", SYNTAX, text,
                  [f"{FORM}:{value_at(text, '  意见: ')} YAML 格式错误：引号没有闭合"]))
    text = sub("项目类别: 自筹课题", "项目类别: 自筹课题: 重点")
    add(form_case("colon-in-a-value", SYNTAX, text, ["此处不能出现「: 」", "加引号"]))
    text = sub("  涉密: 否", "\t涉密: 否")
    add(form_case("tab-indentation", SYNTAX, text, ["制表符"]))
    text = sub("  涉密: 否", "   涉密: 否")
    add(form_case("indentation-off-by-one", SYNTAX, text, [f"{FORM}:", "缩进不一致"]))
    text = sub("项目类别: 自筹课题", "项目类别: 第 #2 类")
    add(form_case("a-hash-cuts-the-value-short", SYNTAX, text,
                  ["警告", f"{FORM}:{at(text, '#2')} 项目类别：「#2 类」被当作注释", "（现为「第」）", "加引号"], exit=0, build=False))
    text = sub("项目类别: 自筹课题", "项目类别: @自筹课题")
    add(form_case("at-sign-starts-a-value", SYNTAX, text, ["「@」不能作为值的开头", "加引号"]))
    text = sub("项目类别: 自筹课题", "项目类别: `自筹课题`")
    add(form_case("backtick-starts-a-value", SYNTAX, text, ["「`」不能作为值的开头"]))
    text = sub("项目类别: 自筹课题", "项目类别: [自筹课题")
    add(form_case("unclosed-bracket", SYNTAX, text, ["方括号列表没有闭合"]))
    text = sub("项目类别: 自筹课题", "项目类别: {自筹: 课题")
    add(form_case("unclosed-brace", SYNTAX, text, ["花括号没有闭合"]))
    add(form_case("two-documents", SYNTAX, S + "---\n立项编号: BZ25ZC125\n", ["第二份内容"]))
    text = sub("项目类别: 自筹课题", '项目类别: "自筹\\q课题"')
    add(form_case("bad-escape-in-double-quotes", SYNTAX, text, ["转义字符"]))
    text = sub("项目类别: 自筹课题", "项目类别: |+x\n  自筹课题")
    add(form_case("bad-block-scalar-header", SYNTAX, text, ["「|」或「>」之后只能换行"]))
    add(form_case("complex-key", SYNTAX, S + "? [甲, 乙]\n: 丙\n", ["栏目名只能是文字"]))
    text = sub("项目类别: 自筹课题", "项目类别:")
    add(form_case("blank-required-value", CONTENT, text, [f"{FORM}:{at(text, '项目类别:', 5)} 项目类别：不能为空"], absent=["应为文字"]))
    text = sub("项目类别: 自筹课题", "项目类别: '   '")
    add(form_case("whitespace-only-value", CONTENT, text, ["项目类别：不能为空"]))
    text = sub("立项编号: BZ25ZC124          # BZ + 两位年份 + 两个大写字母 + 三位数字", "立项编号:")
    add(form_case("blank-project-id", CONTENT, text, ["立项编号：不能为空"]))
    text = sub("  涉密: 否", "  涉密:")
    add(form_case("blank-yes-no", CONTENT, text, ["声明.涉密：不能为空：请填写 是、否"]))
    text = sub("填表日期: 2025-10-15", "填表日期:")
    add(form_case("blank-required-date", CONTENT, text, ["填表日期：不能为空"], absent=["Input should"]))
    text = sub("声明:\n  涉及敏感问题: 否            # 成果是否涉及敏感问题或其他不宜公开出版的内容\n  涉密: 否                    # 成果是否涉密\n", "声明:\n")
    add(form_case("blank-group", CONTENT, text, ["声明：不能为空"]))
    text = sub("项目负责人: 向河铭", "项目负责: 向河铭")
    add(form_case("misspelt-key", CONTENT, text, ["未知栏目「项目负责」，是否指「项目负责人」？", "项目负责人：缺少此项"]))
    text = sub("项目类别: 自筹课题\n", "项目类别: 自筹课题\n项目类别: 重点课题\n")
    add(form_case("key-twice", CONTENT, text, ["项目类别：栏目重复出现"]))
    text = sub("项目类别: 自筹课题", "项目类别: [自筹, 课题]")
    add(form_case("list-where-text-is-wanted", CONTENT, text, ["项目类别：应为文字，这里被读成了列表", "加引号"]))
    text = sub("  原参与人员: []", "  原参与人员: 张三")
    add(form_case("text-where-a-list-is-wanted", CONTENT, text, ["原参与人员：应为列表"]))
    add(form_case("empty-file", CONTENT, "", ["表单文件是空的"]))
    add(form_case("only-comments", CONTENT, "# 只有注释\n# 没有内容\n", ["表单文件是空的"]))
    add(form_case("a-list-not-a-form", CONTENT, "- 甲\n- 乙\n", ["表单应为若干栏目"]))
    add(form_case("a-bare-word", CONTENT, "你好\n", ["表单应为若干栏目"]))
    add(form_case("html-page-saved-as-yaml", SYNTAX, "<html><body><p>结项申请书</p></body></html>\n" * 3, ["表单应为若干栏目"]))
    text = sub("性别:                      # 男 或 女", "性别: 男性")
    add(form_case("sex-not-one-of-the-choices", CONTENT, text, ["性别：只能填写：男、女（写的是「男性」）"]))
    m = SMALL_MANUSCRIPT.replace("---\ntitle", "---\ntitle: 重复\ntitle", 1)
    add(md_case("front-matter-key-twice", CONTENT, m, ["title：键重复出现"]))
    m = SMALL_MANUSCRIPT.replace("title: 科技创新与产业创新研究", "title: !!python/object:os.system {}")
    add(md_case("python-tag-in-front-matter", ALIASES, m, ["不支持 YAML 标签「!!python/object:os.system」"]))
    m = SMALL_MANUSCRIPT.replace("title: 科技创新与产业创新研究", 'title: "科技创新')
    add(md_case("unclosed-quote-in-front-matter", SYNTAX, m, [f"{MD}:2:8 YAML 格式错误：引号没有闭合"]))
    m = SMALL_MANUSCRIPT.replace("title: 科技创新与产业创新研究", "title:")
    add(md_case("blank-title", CONTENT, m, [f"{MD}:2:7 title：不能为空"]))
    add(md_case("front-matter-never-closed", SYNTAX, SMALL_MANUSCRIPT.replace("---\n\n# 第一章", "\n# 第一章"),
                ["没有结束的 ---"]))

    # ---- what no page can hold ----------------------------------------------------------------
    m = SMALL_MANUSCRIPT.replace("## 1.1 研究背景", "## 1.1 " + "研究背景与意义" * 900)
    add(md_case("heading-taller-than-a-page", TOO_TALL, m, [f"{MD}:", "标题太长"]))
    m = SMALL_MANUSCRIPT.replace("正文段落。", "正文段落。\n\n| 甲 | 乙 |\n|---|---|\n| 一 | " + "很长的单元格内容" * 2500 + " |")
    add(md_case("table-cell-taller-than-a-page", TOO_TALL, m, [f"{MD}:", "表格第 2 行有一格太长"]))
    m = SMALL_MANUSCRIPT.replace("正文段落。", "正文段落。[^1]\n\n[^1]: " + "注释文字" * 3000)
    add(md_case("footnote-taller-than-a-page", TOO_TALL, m, [f"{MD}:", "脚注 1 太长"]))

    # ---- encodings and files ------------------------------------------------------------------
    add(form_case("gbk-file", ENCODING, S.encode("gb18030"), ["不是 UTF-8 编码（看起来是 GBK 编码）"]))
    add(form_case("utf-16-file", ENCODING, S.encode("utf-16"), ["不是 UTF-8 编码"]))
    add(form_case("random-bytes", ENCODING, bytes(range(256)) * 8, ["不是 UTF-8 编码"]))
    add(form_case("a-pdf-renamed", ENCODING, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + bytes(range(128, 256)),
                  ["不是 UTF-8 编码"]))
    add(form_case("bom-then-good-form", ENCODING, "\ufeff" + S, [], exit=0, build=False))
    add(md_case("gbk-manuscript", ENCODING, SMALL_MANUSCRIPT.encode("gb18030"), ["不是 UTF-8 编码"]))
    add(Case("missing-form", FILES, {}, ["--form", "nope.yaml"], 2, ["找不到"]))
    add(Case("folder-as-form", FILES, {"dir.yaml/keep": ""}, ["--form", "dir.yaml"], 2, ["是文件夹"]))
    add(Case("missing-manuscript", FILES, {}, ["--manuscript", "nope.md"], 2, ["找不到"]))
    add(Case("unknown-option", USAGE, {FORM: S}, ["--from", FORM], 2, ["没有选项 --from，是否指 --form？"], build=False))
    add(Case("option-without-its-value", USAGE, {FORM: S}, ["--form"], 2, ["选项 --form 后面须跟一个值"], build=False))
    return out


def write(case: Case, folder: Path) -> Path:
    """The case's files and case.json in ``folder`` (made)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith("/keep"):
            continue           # a folder standing where a file should be
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    meta = {k: v for k, v in asdict(case).items() if k != "files"}
    (folder / "case.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def write_all(target: Path) -> list[Path]:
    all_cases = cases()
    names = [c.name for c in all_cases]
    assert len(names) == len(set(names)), "case names repeat"
    return [write(c, target / f"{i:03d}-{c.name}") for i, c in enumerate(all_cases)]


if __name__ == "__main__":
    folders = write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "bad-input-corpus"))
    print(f"{len(folders)} cases")
