"""结项申请书 DOCX files filled in the ways people fill them, made from our own form DOCX with
python-docx (answers typed into cells, ticks of every kind, respaced labels, added rows), and
a form typed as plain paragraphs the way a downloaded Word form often is."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn


def _cell_with(doc, label: str):
    """The cell right of the first cell whose text (spaces removed) is ``label``."""
    for table in doc.tables:
        for row in table.rows:
            cells = row.cells
            for i, cell in enumerate(cells[:-1]):
                if "".join(cell.text.split()) == label and cells[i + 1] is not cell:
                    j = i + 1
                    while j < len(cells) and cells[j]._tc is cell._tc:
                        j += 1
                    return cells[j] if j < len(cells) else None
    raise KeyError(label)


def set_cell(doc, label: str, text: str) -> None:
    cell = _cell_with(doc, label)
    p = cell.paragraphs[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    p.add_run(text)


def replace_paragraph(doc, startswith: str, text: str, strike: str = "", highlight: str = "") -> None:
    """Retype the paragraph that starts with ``startswith``; ``strike``/``highlight``: a piece of the
    new text to strike through or highlight (as people mark a choice)."""
    for p in doc.paragraphs:
        if "".join(p.text.split()).startswith("".join(startswith.split())):
            for r in list(p.runs):
                r._r.getparent().remove(r._r)
            pieces = [text]
            mark = strike or highlight
            if mark:
                i = text.rindex(mark)   # the option, not the same character in the question
                pieces = [text[:i], mark, text[i + len(mark):]]
            for k, piece in enumerate(pieces):
                if not piece:
                    continue
                run = p.add_run(piece)
                if mark and k == 1:
                    if strike:
                        run.font.strike = True
                    else:
                        rpr = run._r.get_or_add_rPr()
                        hl = rpr.makeelement(qn("w:highlight"), {qn("w:val"): "yellow"})
                        rpr.append(hl)
            return
    raise KeyError(startswith)


def filled_by_hand(ours: Path, out: Path, *, sensitive: str = "□是　√否", classified: str = "是□ 否√",
                   changed: str = "A、是☑　B、否", filed: str = "2025.10.15") -> Path:
    """Our form DOCX with answers changed by hand: a change with its pairs filled, two members
    added, ticks written in other ways, a date in another format."""
    doc = docx.Document(str(ours))
    replace_paragraph(doc, "成果是否涉及敏感问题", "成果是否涉及敏感问题或其他不宜公开出版的内容：" + sensitive)
    replace_paragraph(doc, "成果是否涉密", "成果是否涉密：" + classified)
    set_cell(doc, "是否变更", changed)
    set_cell(doc, "变更的内容", "成果形式由论文改为研究报告")
    set_cell(doc, "原计划成果形式", "论文")
    set_cell(doc, "现成果形式", "研究报告")
    set_cell(doc, "原计划完成时间", "2025/09/30")
    set_cell(doc, "实际完成时间", "2025年10月1日")
    set_cell(doc, "填表日期", filed)
    # participants typed into the first blank rows: one before the change, two after it
    table = next(t for t in doc.tables if "".join(t.cell(0, 0).text.split()) == "立项项目名称")
    rows = [r for r in table.rows]
    people = {"原参与人员": [("赵六", "巴中市委党校", "教授", "13500000009")],
              "现参与人员": [("张三", "中共通江县委党校", "讲师", "13500000001"),
                        ("李四", "巴中市社科联", "副研究员", "0827-5221234")]}
    for title, persons in people.items():
        _type_people(rows, title, persons)
    doc.save(str(out))
    return out


def _type_people(rows, title, persons) -> None:
    start = next(i for i, r in enumerate(rows) if title in "".join(r.cells[0].text.split()))
    for k, person in enumerate(persons):
        cells = rows[start + 1 + k].cells
        seen, distinct = set(), []
        for c in cells[1:]:
            if id(c._tc) not in seen:
                seen.add(id(c._tc))
                distinct.append(c)
        for cell, value in zip(distinct, person):
            cell.paragraphs[0].add_run(value)


def typed_as_paragraphs(out: Path) -> Path:
    """A form whose cover is typed as 标签：值 lines with spaced labels, the 声明 with the other
    option deleted, and the tables made by hand."""
    doc = docx.Document()
    doc.add_paragraph("巴中市哲学社会科学规划项目")
    doc.add_paragraph("结项申请书")
    for label, value in [("立 项 编 号", "BZ24ZC007"), ("项 目 类 别", "重点课题"), ("项 目 名 称", "川陕革命老区红色文化资源保护研究"),
                         ("项目负责人", "王五"), ("所 在 单 位", "巴中市委党校"), ("填 表 日 期", "2025-11-20")]:
        doc.add_paragraph(f"{label}：{value}")
    doc.add_paragraph("声 明")
    doc.add_paragraph("成果是否涉及敏感问题或其他不宜公开出版的内容：否")
    doc.add_paragraph("成果是否涉密：□是 ■否")
    doc.add_paragraph("一、项目变更情况数据表")
    t = doc.add_table(rows=5, cols=4)
    for r, (a, b) in enumerate([("立项项目名称", "川陕革命老区红色文化资源保护研究"),
                                ("结项成果名称", "川陕革命老区红色文化资源保护研究"),
                                ("是否变更", "□A、是 √B、否"), ("原计划完成时间", ""), ("实际完成时间", "")]):
        t.cell(r, 0).text, t.cell(r, 1).text = a, b
    review = doc.add_table(rows=1, cols=1)
    cell = review.cell(0, 0)
    cell.text = "二、申请人所在单位审核意见"
    cell.add_paragraph("同意报送。")
    cell.add_paragraph("签　章")
    cell.add_paragraph("2025 年 11 月 21 日")
    doc.save(str(out))
    return out
