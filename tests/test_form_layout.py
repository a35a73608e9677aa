"""The form as document blocks: the official structure, every value, √ on the chosen option."""
import datetime as dt
from pathlib import Path

import pytest

from closure_app.blocks import Cell, Document, Paragraph, Spacer, Table, Text, width_in_chars
from closure_app.layout.application import (
    application_document, chinese_date, chinese_year_month, estimated_lines, form_text, marked_options, runs_within,
)
from closure_app.models.form import ApplicationForm, Leader, Member
from closure_app.profile import load_profile
from closure_app.sources.form import load_form

SAMPLE = Path(__file__).resolve().parents[1] / "forms" / "application.yaml"


@pytest.fixture(scope="module")
def form() -> ApplicationForm:
    return load_form(SAMPLE).form


@pytest.fixture(scope="module")
def profile():
    return load_profile()


def filled_form(form: ApplicationForm) -> ApplicationForm:
    """The sample with every change field filled, so each must show up."""
    leader = dict(name="张三", sex="男", ethnicity="汉族", birth="1980-05", unit="通江县委党校", admin_post="副校长",
                  title="副教授", address="通江县诺江镇", phone="13500000001")
    changes = form.changes.model_copy(update=dict(
        changed="是", change_content="更换项目负责人", planned_form="论文", actual_form="研究报告",
        planned_finish=dt.date(2025, 6, 30), actual_finish=dt.date(2025, 9, 30),
        old_leader=Leader(**leader), new_leader=Leader(**{**leader, "name": "李四", "phone": "0827-5221234"}),
        old_members=[Member(name=f"成员{i}", unit="甲单位", title="讲师", phone="13500000002") for i in range(5)],
        new_members=[Member(name="王五", unit="乙单位", title="教授", phone="13500000003")],
    ))
    return form.model_copy(update=dict(changes=changes))


def pages(document: Document) -> list[list]:
    return document.pages()


def texts(blocks) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            out += [p.text for row in block.rows for cell in row.cells for p in cell.paragraphs]
    return out


def grid(table: Table) -> list[list[Cell]]:
    """Expand spans: every (row, column) slot holds the cell that covers it."""
    slots = [[None] * table.n_cols for _ in table.rows]
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row.cells:
            while slots[r][c] is not None:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    assert slots[r + dr][c + dc] is None, f"overlap at row {r + dr}, column {c + dc}"
                    slots[r + dr][c + dc] = cell
            c += cell.colspan
    assert all(all(slot is not None for slot in row) for row in slots), "a row leaves a gap"
    return slots


def change_table(document: Document) -> Table:
    [table] = [b for b in pages(document)[2] if isinstance(b, Table)]
    return table


def first_text(cell: Cell) -> str:
    return cell.paragraphs[0].text


# ---- pure helpers -----------------------------------------------------------------------------

def test_marked_options():
    assert marked_options(["是", "否"], "否") == "□是　√否"
    assert marked_options(["A、是", "B、否"], "是") == "√A、是　□B、否"
    assert marked_options(["优秀", "良好", "合格"]) == "□优秀　□良好　□合格"


def test_chinese_dates():
    assert chinese_date(dt.date(2025, 10, 5), "年 月 日") == "2025 年 10 月 5 日"
    assert chinese_date(None, "年 月 日") == "年 月 日"
    assert chinese_year_month("1980-05", "年 月") == "1980 年 5 月"
    assert chinese_year_month("", "年 月") == "年 月"


# ---- the document -----------------------------------------------------------------------------

def test_four_pages_one_a3_sheet(form, profile):
    document = application_document(form, profile)
    assert document.kind == "form" and document.page == "form"
    assert len(pages(document)) == 4
    assert document.author == "向河铭"


def test_cover_is_faithful(form, profile):
    cover = texts(pages(application_document(form, profile))[0])
    assert cover[:2] == ["巴中市哲学社会科学规划项目", "结项申请书"]
    labels_and_values = list(zip(cover[2::2], cover[3::2]))
    assert ("立项编号", "BZ25ZC124") in labels_and_values
    assert ("项目负责人", "向河铭") in labels_and_values
    assert ("填表日期", "2025 年 10 月 15 日") in labels_and_values
    assert cover[-2:] == ["巴中市社会科学界联合会 制", "2025 年 3 月"]


def test_cover_labels_line_up_in_a_borderless_column(form, profile):
    table = next(b for b in pages(application_document(form, profile))[0] if isinstance(b, Table))
    assert not table.borders
    assert [len(r.cells) for r in table.rows] == [2] * 6
    assert {r.cells[0].paragraphs[0].align for r in table.rows} == {"distribute"}


def test_cover_roles_come_from_the_profile(form, profile):
    blocks = pages(application_document(form, profile))[0]
    roles = [b.role for b in blocks if isinstance(b, Paragraph)]
    assert roles[:2] == ["form_title", "form_doctitle"]
    assert all(role in profile.roles for role in roles)
    spacers = [b for b in blocks if isinstance(b, Spacer)]
    assert spacers[0].height_pt == form_text()["cover"]["space_before_lines"] * profile.line_pitch("form_text", "form")


def test_declaration_marks_the_chosen_answers(form, profile):
    page = texts(pages(application_document(form, profile))[1])
    assert "成果是否涉及敏感问题或其他不宜公开出版的内容：□是　√否" in page
    assert "成果是否涉密：□是　√否" in page
    yes = form.model_copy(update=dict(declaration=form.declaration.model_copy(update=dict(classified="是"))))
    assert "成果是否涉密：√是　□否" in texts(pages(application_document(yes, profile))[1])


def test_instructions_verbatim(form, profile):
    page = texts(pages(application_document(form, profile))[1])
    assert "填 表 说 明" in page
    assert page[-4:] == form_text()["instructions"]["paragraphs"]
    assert page[-1].startswith("四、所有结项材料须经所在单位审核并签署意见。")
    assert "项目负责人（签字）：" in page


def test_change_table_has_the_official_merged_structure(form, profile):
    table = change_table(application_document(form, profile))
    slots = grid(table)
    min_rows = form_text()["change_table"]["min_member_rows"]
    assert table.n_cols == 9
    assert len(table.rows) == 6 + 3 + 3 + 2 * (1 + min_rows)
    # whole-width value cells for the two names, the people heading across all nine columns
    assert [first_text(c) for c in slots[0][:2]] == ["立项项目名称", form.project_name]
    assert slots[0][1].colspan == 8
    assert slots[5][0].colspan == 9 and first_text(slots[5][0]) == "项目负责人及参与人员变更情况"
    # 原负责人 spans its three rows; the same cell fills column 0 of each
    assert slots[6][0] is slots[7][0] is slots[8][0] and slots[6][0].rowspan == 3
    assert first_text(slots[6][0]) == "原 负 责 人" and first_text(slots[9][0]) == "现 负 责 人"
    assert [first_text(slots[6][c]) for c in (1, 3, 5, 7)] == ["姓名", "性别", "民族", "出生日期"]
    assert [first_text(slots[7][c]) for c in (1, 4, 7)] == ["所在单位", "行政职务", "专业职务"]
    assert [first_text(slots[8][c]) for c in (1, 6)] == ["通讯地址", "联系电话"]
    # 原参与人员 spans its header and its rows
    members = slots[12][0]
    assert first_text(members) == "原 参 与 人 员" and members.rowspan == 1 + min_rows
    assert [first_text(slots[12][c]) for c in (1, 2, 5, 6)] == ["姓名", "单位", "职称", "联系电话"]
    assert sum(len(row.cells) for row in table.rows) == 2 * 2 + 3 * 4 + 1 + 2 * (9 + 6 + 4) + 2 * (5 + 4 * min_rows)


def test_blank_sample_keeps_blanks_for_handwriting(form, profile):
    slots = grid(change_table(application_document(form, profile)))
    assert first_text(slots[2][1]) == "□A、是　√B、否"
    assert first_text(slots[4][1]) == form_text()["change_table"]["date_blank"]
    assert first_text(slots[6][8]) == form_text()["change_table"]["month_blank"]


def test_every_filled_value_appears(form, profile):
    filled = filled_form(form)
    shown = "\n".join(texts(application_document(filled, profile).blocks))
    table = filled.changes
    values = [table.change_content, table.planned_form, table.actual_form, "2025 年 6 月 30 日", "2025 年 9 月 30 日",
              "1980 年 5 月", "0827-5221234", "王五", "乙单位", "教授", "13500000003"]
    for leader in (table.old_leader, table.new_leader):
        values += [leader.name, leader.sex, leader.ethnicity, leader.unit, leader.admin_post, leader.title,
                   leader.address, leader.phone]
    values += [m.name for m in table.old_members]
    values += [filled.unit_review.opinion, form.category, form.unit]
    missing = [v for v in values if v not in shown]
    assert missing == []


def test_more_members_than_blank_rows_grow_the_table(form, profile):
    table = change_table(application_document(filled_form(form), profile))
    slots = grid(table)
    assert first_text(slots[12][0]) == "原 参 与 人 员" and slots[12][0].rowspan == 1 + 5


def test_opinion_boxes(form, profile):
    [boxes] = pages(application_document(form, profile))[3]
    titles = [first_text(row.cells[0]) for row in boxes.rows]
    assert titles == ["二、申请人所在单位审核意见", "三、县（区）社科联意见", "四、专家鉴定意见", "五、市社科联审核意见"]
    unit_box = [p.text for p in boxes.rows[0].cells[0].paragraphs]
    assert form.unit_review.opinion in unit_box and unit_box[-1] == "2025 年 10 月 15 日"
    experts = [p.text for p in boxes.rows[2].cells[0].paragraphs]
    assert "3.鉴定等级：□优秀　□良好　□合格" in experts
    assert all(row.height_pt and row.height_pt > 0 for row in boxes.rows)


def test_opinion_boxes_fit_one_page(form, profile):
    [boxes] = pages(application_document(form, profile))[3]
    assert sum(row.height_pt for row in boxes.rows) <= profile.page("form").text_height_pt


def test_opinion_boxes_keep_room_above_the_signatures(form, profile):
    [boxes] = pages(application_document(form, profile))[3]
    pitch = profile.line_pitch("form_text", "form")
    for row, section in zip(boxes.rows, form_text()["opinions"]["sections"]):
        texts_in_box = [p.text for p in row.cells[0].paragraphs]
        assert texts_in_box[-1 - len(section["signatures"]):-1] == section["signatures"]
        assert texts_in_box[-1] in ("年　　月　　日", "2025 年 10 月 15 日")
        assert texts_in_box[-2 - len(section["signatures"])] == ""  # blank room for handwriting
        assert len(texts_in_box) * pitch <= row.height_pt


def test_runs_within():
    assert runs_within([3, 3, 3, 4], 7) == [2, 2]
    assert runs_within([3, 3, 3, 5], 7) == [2, 1, 1]
    assert runs_within([3, 3, 3], 9) == [3]
    assert runs_within([10, 2, 2], 5) == [1, 2]   # an item taller than the budget still gets a run
    assert runs_within([], 5) == []


def test_width_in_chars():
    assert width_in_chars("参与人") == 3
    assert width_in_chars("13500000001") == 5.5
    assert width_in_chars("（续）") == 3
    assert width_in_chars("") == 0


def test_estimated_lines_count_digits_as_half_width(profile):
    size = profile.role("form_text").size_pt
    digits = Paragraph([Text("1" * 10)], role="form_text")
    assert estimated_lines(digits, profile, 5 * size) == 1
    assert estimated_lines(digits, profile, 4.5 * size) == 2   # whole characters to a line: 4 of them


def test_estimated_lines(profile):
    width = profile.page("form").text_width_pt
    size = profile.role("form_text").size_pt
    per_line = int(width // size)
    assert estimated_lines(Paragraph([Text("字" * per_line)], role="form_text"), profile, width) == 1
    assert estimated_lines(Paragraph([Text("字" * (per_line + 1))], role="form_text"), profile, width) == 2
    assert estimated_lines(Paragraph([Text("")], role="form_text"), profile, width) == 1
    ratio = profile.line_pitch("form_heading", "form") / profile.line_pitch("form_text", "form")
    assert estimated_lines(Paragraph([Text("标题")], role="form_heading"), profile, width) == ratio


def test_every_role_exists_in_the_profile(form, profile):
    document = application_document(filled_form(form), profile)
    roles = set()
    for block in document.blocks:
        if isinstance(block, Paragraph):
            roles.add(block.role)
        elif isinstance(block, Table):
            roles.add(block.role)
            roles |= {p.role for row in block.rows for cell in row.cells for p in cell.paragraphs}
    assert roles <= set(profile.roles)


# ---- long lists of participants ---------------------------------------------------------------

def with_members(form: ApplicationForm, count: int) -> ApplicationForm:
    people = [Member(name=f"参与人{i:02d}", unit=f"中共通江县委党校第{i}教研室", title="讲师", phone=f"135000000{i:02d}")
              for i in range(1, count + 1)]
    changes = form.changes.model_copy(update=dict(old_members=people, new_members=people[::-1]))
    return form.model_copy(update=dict(changes=changes))


def member_groups(table: Table, title: str) -> list[list[str]]:
    """Names in each group under ``title``: the rows its title cell spans, past the header."""
    slots = grid(table)
    found = []
    for r, row in enumerate(slots):
        cell = row[0]
        if first_text(cell) == title and (r == 0 or slots[r - 1][0] is not cell):
            found.append([first_text(slots[k][1]) for k in range(r + 1, r + cell.rowspan)])
    return found


def test_a_long_list_is_cut_into_groups_the_table_can_break_between(form, profile):
    table = change_table(application_document(with_members(form, 40), profile))
    old, new = member_groups(table, "原 参 与 人 员"), member_groups(table, "现 参 与 人 员")
    assert [name for group in old for name in group] == [f"参与人{i:02d}" for i in range(1, 41)]
    assert [name for group in new for name in group] == [f"参与人{i:02d}" for i in range(40, 0, -1)]
    assert len(old) > 1 and all(1 <= len(group) < 40 // 2 for group in old + new)
    # each group has its own header row, later groups say （续） under the title
    slots = grid(table)
    titles = [row[0] for r, row in enumerate(slots) if r == 0 or slots[r - 1][0] is not row[0]]
    member_titles = [cell for cell in titles if first_text(cell).endswith("参 与 人 员")]
    assert len(member_titles) == len(old) + len(new)
    continued = form_text()["change_table"]["continued"]
    assert [[p.text for p in cell.paragraphs][1:] for cell in member_titles] == (
        [[]] + [[continued]] * (len(old) - 1) + [[]] + [[continued]] * (len(new) - 1))


def test_a_group_fits_its_share_of_a_page(form, profile):
    """Groups are cut by height: three-line rows make smaller groups than one-line rows."""
    def group_sizes(unit: str) -> list[int]:
        people = [Member(name=f"参与人{i:02d}", unit=unit, title="讲师", phone="13500000001") for i in range(30)]
        changes = form.changes.model_copy(update=dict(old_members=people))
        table = change_table(application_document(form.model_copy(update=dict(changes=changes)), profile))
        return [len(group) for group in member_groups(table, "原 参 与 人 员")]

    short, long = group_sizes("党校"), group_sizes("中共巴中市委党校（巴中行政学院）经济学教研部")
    assert sum(short) == sum(long) == 30
    assert max(long) < max(short)
    pitch = profile.line_pitch("form_text", "form")
    page = profile.page("form").text_height_pt
    assert (1 + max(short)) * form_text()["change_table"]["row_lines"] * pitch <= 0.5 * page
    assert (1 + max(long)) * 3 * profile.line_pitch("form_small", "form") <= 0.5 * page


def test_the_usual_lists_stay_one_group_each(form, profile):
    for count in (0, 3, 5):
        table = change_table(application_document(with_members(form, count), profile))
        assert len(member_groups(table, "原 参 与 人 员")) == 1
        assert len(member_groups(table, "现 参 与 人 员")) == 1


def test_forty_participants_build_into_pdf_and_docx(form, profile, tmp_path, capsys):
    """Before: more than about 16 people could not be laid out (one merged cell taller than a page)."""
    import zipfile

    import pdfplumber
    import yaml
    from lxml import etree

    from closure_app.cli import main

    source = tmp_path / "application.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    people = [{"姓名": m.name, "单位": m.unit, "职称": m.title, "联系电话": m.phone}
              for m in with_members(form, 40).changes.old_members]
    for key in ("原参与人员", "现参与人员"):
        text = text.replace(f"  {key}: []", f"  {key}: " + yaml.safe_dump(people, allow_unicode=True, default_flow_style=True,
                                                                          width=10 ** 6).strip())
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--form", str(source), "--out", str(out), "--no-check"]) == 0, capsys.readouterr().err

    names = [f"参与人{i:02d}" for i in range(1, 41)]
    with pdfplumber.open(out / "application.pdf") as pdf:
        pages_text = [page.extract_text() for page in pdf.pages]
        outside = [(n, c["text"]) for n, page in enumerate(pdf.pages, 1) for c in page.chars
                   if not (0 <= c["x0"] and c["x1"] <= page.width and 0 <= c["top"] and c["bottom"] <= page.height)]
        lowest = [max(c["bottom"] for c in page.chars) for page in pdf.pages]
        middle = pdf.pages[0].height / 2
    shown = "".join(pages_text)
    assert [name for name in names if shown.count(name) != 2] == []   # once in each list
    assert outside == []
    assert pages_text[2].startswith("一、项目变更情况数据表") and pages_text[-1].startswith("二、申请人所在单位审核意见")
    # pages only as needed: every page the table continues onto, but its last, is filled past the middle
    continued = lowest[3:-2]
    assert continued and all(bottom > middle for bottom in continued), lowest

    with zipfile.ZipFile(out / "application.docx") as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    starts = ["".join(t.text for t in tc.iter(w + "t")) for tc in body.iter(w + "tc")
              if any(v.get(w + "val") == "restart" for v in tc.iter(w + "vMerge"))]
    groups = member_groups(change_table(application_document(with_members(form, 40), profile)), "原 参 与 人 员")
    assert starts.count("原 参 与 人 员") == 1 and starts.count("原 参 与 人 员（续）") == len(groups) - 1
    docx_text = "".join(t.text or "" for t in body.iter(w + "t"))
    assert [name for name in names if docx_text.count(name) != 2] == []


def test_long_labels_break_before_their_last_word_not_inside_it():
    from closure_app.layout.application import whole_word_label
    assert whole_word_label("实际完成时间", 5) == "实际完成\n时间"     # not 实际完成时 / 间
    assert whole_word_label("出生日期", 2) == "出生日期"               # wraps as 出生 / 日期 anyway
    assert whole_word_label("原计划完成时间", 7) == "原计划完成时间"   # fits
    assert whole_word_label("通讯地址", 3) == "通讯\n地址"
