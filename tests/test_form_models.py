"""Rules of the application form model: each with a good and a bad case."""
import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from closure_app.models.form import ApplicationForm, form_issues, is_phone, looks_like_organisation

SAMPLE = Path(__file__).resolve().parents[1] / "forms" / "application.yaml"


@pytest.fixture
def data() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def errors_of(data: dict) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as info:
        ApplicationForm.model_validate(data)
    return [(e["loc"], e["msg"]) for e in info.value.errors()]


def issues_of(data: dict, severity: str = "error") -> list[tuple[tuple, str]]:
    form = ApplicationForm.model_validate(data)
    return [(i.path, i.message) for i in form_issues(form) if i.severity == severity]


def test_sample_is_valid_without_findings(data):
    form = ApplicationForm.model_validate(data)
    assert form.leader == "向河铭"
    assert form.filled_on == dt.date(2025, 10, 15)
    assert form.declaration.sensitive == "否" and form.declaration.classified == "否"
    assert form_issues(form) == []


def test_english_names_are_accepted_too(data):
    form = ApplicationForm.model_validate(data)
    again = ApplicationForm(**form.model_dump())
    assert again == form


@pytest.mark.parametrize("good", ["13500000000", "135 0000 0000", "+8613500000000", "0827-5221234",
                                  "(0827)5221234", "010-12345678", "0827-5221234转8001"])
def test_phone_good(good):
    assert is_phone(good)


@pytest.mark.parametrize("bad", ["12345", "12500000000", "1350000000", "0827-123", "电话", "135000000001"])
def test_phone_bad(bad):
    assert not is_phone(bad)


def test_phone_in_the_form(data):
    data["项目变更情况数据表"]["现负责人"]["联系电话"] = 13500000000  # unquoted in YAML: a number
    assert ApplicationForm.model_validate(data).changes.new_leader.phone == "13500000000"
    data["项目变更情况数据表"]["现负责人"]["联系电话"] = "12345"
    [(loc, msg)] = errors_of(data)
    assert loc == ("项目变更情况数据表", "现负责人", "联系电话")
    assert "不是有效的电话号码" in msg


@pytest.mark.parametrize("good", ["BZ25ZC124", "BZ24YB001"])
def test_project_id_good(data, good):
    data["立项编号"] = good
    assert ApplicationForm.model_validate(data).project_id == good


@pytest.mark.parametrize("bad", ["BZ2025ZC124", "bz25zc124", "BZ25Z124", "SC25ZC124", "BZ25ZC12"])
def test_project_id_bad(data, bad):
    data["立项编号"] = bad
    [(loc, msg)] = errors_of(data)
    assert loc == ("立项编号",) and "BZ25ZC124" in msg


@pytest.mark.parametrize("written", ["2025-10-15", "2025年10月15日", "2025 年 10 月 15 日"])
def test_dates_in_both_spellings(data, written):
    data["填表日期"] = written
    assert ApplicationForm.model_validate(data).filled_on == dt.date(2025, 10, 15)


@pytest.mark.parametrize("bad", ["2025-02-30", "2025-13-01", "下周", "2025/10"])
def test_dates_that_do_not_exist(data, bad):
    data["填表日期"] = bad
    [(loc, msg)] = errors_of(data)
    assert loc == ("填表日期",) and "不是有效的日期" in msg


@pytest.mark.parametrize("written,stored", [("1980-05", "1980-05"), ("1980年5月", "1980-05"), ("1980.5", "1980-05")])
def test_birth_year_month_good(data, written, stored):
    data["项目变更情况数据表"]["原负责人"]["出生日期"] = written
    assert ApplicationForm.model_validate(data).changes.old_leader.birth == stored


@pytest.mark.parametrize("bad", ["1980-13", "1980", "五月"])
def test_birth_year_month_bad(data, bad):
    data["项目变更情况数据表"]["原负责人"]["出生日期"] = bad
    [(loc, msg)] = errors_of(data)
    assert loc[-1] == "出生日期" and "年月" in msg


def test_actual_finish_after_filling_is_an_error(data):
    data["项目变更情况数据表"]["实际完成时间"] = "2025-10-15"
    assert issues_of(data) == []
    data["项目变更情况数据表"]["实际完成时间"] = "2025-10-16"
    [(path, msg)] = issues_of(data)
    assert path == ("项目变更情况数据表", "实际完成时间") and "晚于填表日期" in msg


def test_review_before_filling_is_an_error(data):
    data["所在单位审核意见"]["日期"] = "2025-10-20"
    assert issues_of(data) == []
    data["所在单位审核意见"]["日期"] = "2025-10-14"
    [(path, msg)] = issues_of(data)
    assert path == ("所在单位审核意见", "日期") and "早于填表日期" in msg


def test_filling_before_the_approval_year_is_an_error(data):
    data["填表日期"] = "2024-12-31"
    data["所在单位审核意见"]["日期"] = "2024-12-31"
    [(path, msg)] = issues_of(data)
    assert path == ("填表日期",) and "2025" in msg


def test_birth_after_filling_is_an_error(data):
    data["项目变更情况数据表"]["现负责人"]["出生日期"] = "2026-01"
    [(path, msg)] = issues_of(data)
    assert path[-1] == "出生日期"


def changed(data: dict, **fields) -> dict:
    data = copy.deepcopy(data)
    table = data["项目变更情况数据表"]
    table["是否变更"] = "是"
    table.update(fields)
    return data


def test_change_with_content_and_a_complete_pair_is_valid(data):
    assert issues_of(changed(data, 变更的内容="成果形式由论文改为研究报告", 原计划成果形式="论文",
                             现成果形式="研究报告")) == []


def test_change_without_content_is_an_error(data):
    found = issues_of(changed(data, 原计划成果形式="论文", 现成果形式="研究报告"))
    assert found == [(("项目变更情况数据表", "变更的内容"), "是否变更为「是」时须写明变更的内容")]


def test_change_with_half_a_pair_names_the_missing_half(data):
    found = issues_of(changed(data, 变更的内容="更换负责人", 原负责人={"姓名": "张三"}))
    assert found == [(("项目变更情况数据表", "现负责人"), "填写了原负责人，也须填写现负责人")]


def test_change_with_no_pair_at_all_is_an_error(data):
    [(path, msg)] = issues_of(changed(data, 变更的内容="更换负责人"))
    assert path == ("项目变更情况数据表", "是否变更") and "没有填写" in msg


def test_no_change_with_content_is_a_warning(data):
    data["项目变更情况数据表"]["变更的内容"] = "有变更"
    assert issues_of(data) == []
    [(path, _)] = issues_of(data, "warning")
    assert path == ("项目变更情况数据表", "变更的内容")


@pytest.mark.parametrize("unit", ["中共通江县委党校", "四川大学", "巴中市社会科学界联合会", "通江县教育局", "某某科技公司",
                                  "巴中职业技术学院", "市委政策研究中心"])
def test_organisation_names(unit):
    assert looks_like_organisation(unit)


@pytest.mark.parametrize("person", ["向河铭", "张三", "欧阳明德"])
def test_person_names(person):
    assert not looks_like_organisation(person)


def test_leader_that_is_the_unit_is_a_warning(data):
    data["项目负责人"] = data["所在单位"]  # the slip the seed's own form made
    assert issues_of(data) == []
    [(path, msg)] = issues_of(data, "warning")
    assert path == ("项目负责人",) and "与所在单位相同" in msg


def test_leader_that_looks_like_an_organisation_is_a_warning(data):
    data["项目负责人"] = "巴中市社科联"
    [(path, msg)] = issues_of(data, "warning")
    assert "像是单位名称" in msg


def test_declaration_takes_only_yes_or_no(data):
    data["声明"]["涉密"] = "不涉密"
    [(loc, _)] = errors_of(data)
    assert loc == ("声明", "涉密")


def test_unknown_and_missing_keys(data):
    data["项目负责"] = data.pop("项目负责人")
    assert {loc for loc, _ in errors_of(data)} == {("项目负责人",), ("项目负责",)}
