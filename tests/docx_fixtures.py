"""Documents built by hand for the DOCX tests: a small report and a small form.

The report runs over several pages so that its footnotes fall on different pages; each
note marker follows a phrase (``锚点N号``) the tests look for on the page.
"""
from __future__ import annotations

from closure_app.blocks import (Cell, Document, Footnote, Heading, ListBlock, NoteRef, PageBreak,
                                Paragraph, Row, Table, Text, Toc)

FILLER = ("科技创新与产业创新深度融合是培育新质生产力的关键路径，需要政府、企业、高校和科研院所"
          "协同发力，形成从基础研究到成果转化再到产业应用的完整链条。")
LONG_PROJECT_NAME = ("深度融合科技创新与产业创新助推巴中新质生产力跨越发展的路径机制与政策保障"
                     "综合研究暨川陕革命老区县域经济高质量发展对策建议")
LONG_ADDRESS = "四川省巴中市通江县诺江镇红军路东段一百二十八号中共通江县委党校教务股办公室三楼"
LONG_EMAIL = "someone.with.a.very.long.mailbox.name@example-university.edu.cn"


def _body(text: str, *extra) -> Paragraph:
    return Paragraph([Text(text), *extra])


def mini_report(n_notes: int = 4, fillers_per_section: int = 6) -> Document:
    blocks = [
        Paragraph([Text("深度融合科技创新与产业创新 助推巴中新质生产力跨越发展")], role="title"),
        Paragraph([Text("中共通江县委党校 向河铭")], role="author"),
        Paragraph([Text("（作者单位：中共通江县委党校 职务职称：教务股股长，3级主任科员）")],
                  role="author"),
        PageBreak(),
        Toc(),
        PageBreak(),
        Paragraph([Text("摘要：", bold=True), Text(FILLER)]),
        Paragraph([Text("关键词：", bold=True), Text("科技创新；产业创新；协同发展")]),
    ]
    notes = {}
    for n in range(1, n_notes + 1):
        blocks.append(Heading(1, [Text(f"第{'一二三四五六七八九'[n - 1]}章 研究{n}")]))
        blocks.append(Heading(2, [Text(f"{n}.1 背景")]))
        blocks.append(Heading(3, [Text("1. 创新")]))
        blocks.append(Heading(4, [Text("1)、技术创新")], in_toc=False))
        blocks.append(_body("说明E=mc", Text("2", sup=True), Text("与"), Text("重点", bold=True),
                            Text(FILLER + f"锚点{n}号"), NoteRef(n)))
        blocks.extend(_body(FILLER * 2) for _ in range(fillers_per_section))
        notes[n] = Footnote(n, [Text(f"脚注{n}号文字：科技创新知识普及. 贵阳网. 2014-07-25")])
    blocks.append(Table(rows=[
        Row([Cell([Paragraph([Text("指标")], role="table")]),
             Cell([Paragraph([Text("数值")], role="table")])], header=True),
        *[Row([Cell([Paragraph([Text(f"指标{i}")], role="table")]),
               Cell([Paragraph([Text(str(i * 10))], role="table")])]) for i in range(1, 4)],
    ], col_widths=[2, 1]))
    blocks.append(Heading(1, [Text("参考文献")]))
    blocks.append(ListBlock([[Text("习近平著作选读. 人民出版社, 2023.")],
                             [Text("科技创新知识普及. 贵阳网. 2014-07-25")]],
                            label="[{n}]", role="reference"))
    return Document(kind="report", title="深度融合科技创新与产业创新", blocks=blocks,
                    footnotes=notes, author="向河铭", keywords=["科技创新", "产业创新"])


def _label(text: str, **cell) -> Cell:
    return Cell([Paragraph([Text(text)], role="form_label")], **cell)


def _value(text: str = "", **cell) -> Cell:
    return Cell([Paragraph([Text(text)], role="form_text")] if text else [], **cell)


# The labels of the official 项目变更情况数据表 that the mini form carries.
FORM_LABELS = ["立项项目名称", "结项成果名称", "是否变更", "变更的内容", "通讯地址", "联系电话",
               "原负责人", "姓名", "签章"]


def mini_form(project_name: str = LONG_PROJECT_NAME, address: str = LONG_ADDRESS) -> Document:
    """A cut-down 项目变更情况数据表: colspans, a rowspan of three rows, a tall opinion box."""
    table = Table(col_widths=[1.8, 1.8, 1, 1, 1, 1, 1.8, 1.6], rows=[
        Row([_label("立项项目名称", colspan=2), _value(project_name, colspan=6)], height_pt=40),
        Row([_label("结项成果名称", colspan=2), _value("研究报告", colspan=6)], height_pt=30),
        Row([_label("是否变更", colspan=2), _value("A、是 B、否√", colspan=2),
             _label("变更的内容", colspan=2), _value("", colspan=2)], height_pt=30),
        Row([_label("原负责人", rowspan=3), _label("姓名"), _value("向河铭", colspan=2),
             _label("性别"), _value("男"), _label("民族"), _value("汉")], height_pt=30),
        Row([_label("通讯地址"), _value(address, colspan=4), _label("联系电话"),
             _value("13500000000")], height_pt=30),
        Row([_label("电子邮箱"), _value(LONG_EMAIL, colspan=6)], height_pt=30),
        Row([_label("签章", colspan=2),
             Cell([Paragraph([Text("年 月 日")], role="form_text", align="right")],
                  colspan=6, valign="bottom")], height_pt=120),
    ])
    blocks = [
        Paragraph([Text("巴中市哲学社会科学规划项目")], role="form_title"),
        Paragraph([Text("结项申请书")], role="form_doctitle"),
        PageBreak(),
        Paragraph([Text("一、项目变更情况数据表")], role="form_heading"),
        table,
    ]
    return Document(kind="form", title="结项申请书", blocks=blocks, page="form")
