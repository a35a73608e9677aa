"""Each value of the form against its box on the official form, and dates a reviewer would stop at.

What validate accepts, build typesets on the official form's four pages: one character more
than a box holds is an error naming the field and the box; every box of the change table full at
once no longer fits its page, and that is an error too (tests/test_form_fit.py measures it).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from closure_app.cli import main
from closure_app.layout.application import box_overflows, wrapped_lines
from closure_app.models.form import ApplicationForm, form_issues
from closure_app.profile import load_profile
from closure_app.sources.yaml_positions import parse

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "forms" / "application.yaml").read_text(encoding="utf-8")
PERSON = {"姓名": "甲", "单位": "乙", "职称": "丙", "联系电话": "13500000000"}
LEADER = {"姓名": "甲", "民族": "汉", "所在单位": "乙", "行政职务": "丙", "专业职务": "丁", "通讯地址": "戊"}


def full_form() -> dict:
    """The sample with a change, both leaders and three people on each side filled in."""
    data = parse(SAMPLE).data
    changes = data["项目变更情况数据表"]
    changes.update({"是否变更": "是", "变更的内容": "调整", "原参与人员": [dict(PERSON) for _ in range(3)],
                    "现参与人员": [dict(PERSON) for _ in range(3)]})
    for leader in ("原负责人", "现负责人"):
        changes[leader].update(LEADER)
    return data


def boxes(data: dict) -> list[tuple]:
    changes = ("项目变更情况数据表",)
    return ([(k,) for k in ("项目类别", "项目名称", "项目负责人", "所在单位")]
            + [changes + (k,) for k in ("立项项目名称", "结项成果名称", "变更的内容", "原计划成果形式", "现成果形式")]
            + [changes + (who, k) for who in ("原负责人", "现负责人") for k in LEADER]
            + [changes + (group, i, k) for group in ("原参与人员", "现参与人员") for i in range(3)
               for k in ("姓名", "单位", "职称")]
            + [("所在单位审核意见", "意见")])


def put(data: dict, path: tuple, value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def overflowing(data: dict) -> list[tuple]:
    return [o.path for o in box_overflows(ApplicationForm.model_validate(data), load_profile())]


def filled_to_the_limit() -> dict:
    """Every box holding as many characters as it accepts."""
    data = full_form()
    for path in boxes(data):
        fits, too_long = 1, 400            # bisect for the longest text the box accepts
        while too_long - fits > 1:
            middle = (fits + too_long) // 2
            put(data, path, "字" * middle)
            fits, too_long = (fits, middle) if path in overflowing(data) else (middle, too_long)
        put(data, path, "字" * fits)
    return data


def test_wrapped_lines_counts_half_width_characters_as_half():
    assert wrapped_lines("字" * 10, 10, 50) == 2
    assert wrapped_lines("1" * 10, 10, 50) == 1
    assert wrapped_lines("甲\n乙", 10, 50) == 2


def test_the_sample_fits_every_box():
    assert overflowing(parse(SAMPLE).data) == []


def test_one_character_more_than_a_box_holds_is_an_error_naming_the_box():
    data = full_form()
    put(data, ("项目名称",), "字" * 5000)
    [overflow] = box_overflows(ApplicationForm.model_validate(data), load_profile())
    assert overflow.path == ("项目名称",)
    assert overflow.message.startswith("太长：封面「项目名称」一栏只能写 3 行")


def test_a_form_full_to_every_limit_is_refused_as_too_full_and_one_character_more_by_its_box(tmp_path, capsys):
    data = filled_to_the_limit()
    form = tmp_path / "application.yaml"
    form.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["validate", "--form", str(form)]) == 1
    assert "项目变更情况数据表：填得太满" in capsys.readouterr().err
    for path in boxes(data):         # one more character anywhere is refused by its box
        grown = yaml.safe_load(form.read_text(encoding="utf-8"))
        value = grown
        for part in path:
            value = value[part]
        put(grown, path, value + "字")
        assert overflowing(grown) == [path]


def test_the_cover_and_the_review_box_full_to_their_limits_build_four_pages(tmp_path, capsys):
    """Outside the change table the boxes are on pages of their own: all full at once still fit."""
    data = filled_to_the_limit()
    data["项目变更情况数据表"] = full_form()["项目变更情况数据表"]
    form = tmp_path / "application.yaml"
    form.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["validate", "--form", str(form)]) == 0
    assert main(["build", "--form", str(form), "--out", str(tmp_path / "out"), "--no-check",
                 "--booklet", "none", "--format", "pdf"]) == 0
    from pypdf import PdfReader
    assert len(PdfReader(tmp_path / "out" / "application.pdf").pages) == 4
    capsys.readouterr()


# ---- dates a reviewer would stop at -------------------------------------------------------------

def sample_with(**changes) -> ApplicationForm:
    data = parse(SAMPLE).data
    for path, value in changes.items():
        put(data, tuple(path.split("__")), value)
    return ApplicationForm.model_validate(data)


TODAY = dt.date(2025, 10, 20)


@pytest.mark.parametrize("filled, severity", [("2025-10-20", None), ("2025-11-10", "warning"), ("2026-10-15", "error")])
def test_a_form_date_in_the_future(filled, severity):
    form = sample_with(填表日期=filled, 所在单位审核意见__日期=filled)
    found = [i for i in form_issues(form, today=TODAY) if i.path == ("填表日期",)]
    assert [i.severity for i in found] == ([severity] if severity else [])


def test_a_review_date_years_ahead_is_an_error():
    form = sample_with(所在单位审核意见__日期="2052-10-15")
    [issue] = [i for i in form_issues(form, today=TODAY) if i.path == ("所在单位审核意见", "日期")]
    assert issue.severity == "error" and "年份是否写错了" in issue.message


@pytest.mark.parametrize("field", ["实际完成时间", "原计划完成时间"])
def test_finished_before_the_approval_year_is_an_error(field):
    form = sample_with(**{f"项目变更情况数据表__{field}": "2024-12-31"})
    [issue] = [i for i in form_issues(form, today=TODAY) if i.path == ("项目变更情况数据表", field)]
    assert issue.message.startswith(f"{field} 2024-12-31 早于立项年份 2025（立项编号 BZ25ZC124）")
    assert form_issues(sample_with(**{f"项目变更情况数据表__{field}": "2025-01-01"}), today=TODAY) == []


def test_a_word_form_is_held_to_the_same_boxes(tmp_path, capsys):
    """A 结项申请书 filled in Word goes through the same box check: validate names the box."""
    import docx
    from form_docx_fixtures import set_cell

    from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build

    run_build(BuildPlan(ROOT / "forms" / "application.yaml", None, tmp_path / "ours", Format.docx, Booklet.none,
                        check=False), Progress(3, quiet=True))
    word = tmp_path / "filled.docx"
    document = docx.Document(str(tmp_path / "ours" / "application.docx"))
    set_cell(document, "项目名称", "深度融合科技创新" * 625)
    document.save(str(word))
    assert main(["validate", "--form", str(word)]) == 1
    err = capsys.readouterr().err
    assert f"{word} 项目名称：太长：封面「项目名称」一栏只能写 3 行" in err
    assert main(["build", "--form", str(word), "--out", str(tmp_path / "out"), "--no-check"]) == 1
    assert "项目名称：太长：封面「项目名称」一栏" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
