"""Reading forms/application.yaml: every problem in Chinese, with file:line:column."""
from pathlib import Path

import pytest

from closure_app.errors import InvalidInput, UsageError
from closure_app.sources.form import load_form
from closure_app.sources.validation import field_label, unknown_key_message
from closure_app.sources.yaml_positions import Position, YamlSyntaxError, duplicate_keys, locate, parse

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "forms" / "application.yaml"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "application.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def findings_of(path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        load_form(path)
    return [str(f) for f in info.value.findings]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_sample_loads_clean():
    loaded = load_form(SAMPLE)
    assert loaded.form.project_id == "BZ25ZC124"
    assert loaded.findings == []


def test_the_init_template_is_the_sample():
    template = ROOT / "src" / "closure_app" / "templates" / "application.yaml"
    assert template.read_text(encoding="utf-8") == SAMPLE_TEXT


def test_type_error_names_line_column_and_field(tmp_path):
    text = SAMPLE_TEXT.replace("    联系电话:\n  # 参与人员", "    联系电话: 12345\n  # 参与人员")
    path = write(tmp_path, text)
    line = line_of(text, "联系电话: 12345")
    [finding] = findings_of(path)
    assert finding.startswith(f"{path}:{line}:11 项目变更情况数据表.现负责人.联系电话：不是有效的电话号码")


def test_wrong_type_for_a_group(tmp_path):
    text = SAMPLE_TEXT.replace("  原参与人员: []", "  原参与人员: 张三")
    path = write(tmp_path, text)
    [finding] = findings_of(path)
    assert finding == f"{path}:{line_of(text, '原参与人员: 张三')}:10 项目变更情况数据表.原参与人员：应为列表（每项一行，以「- 」开头；或写成 [甲, 乙]）"


def test_a_member_row_is_named_by_its_number(tmp_path):
    text = SAMPLE_TEXT.replace("  原参与人员: []", "  原参与人员:\n    - {姓名: 张三, 联系电话: \"135\"}\n    - {姓名: 李四, 联系电话: \"135\"}")
    findings = findings_of(write(tmp_path, text))
    assert [f.split(" ", 1)[1].split("：")[0] for f in findings] == [
        "项目变更情况数据表.原参与人员第1项.联系电话", "项目变更情况数据表.原参与人员第2项.联系电话"]


def test_unknown_key_with_did_you_mean(tmp_path):
    text = SAMPLE_TEXT.replace("项目负责人: 向河铭", "项目负责: 向河铭")
    path = write(tmp_path, text)
    line = line_of(text, "项目负责: 向河铭")
    findings = findings_of(path)
    assert f"{path}:{line}:1 未知栏目「项目负责」，是否指「项目负责人」？" in findings
    assert any("项目负责人：缺少此项" in f for f in findings)


def test_unknown_nested_key(tmp_path):
    text = SAMPLE_TEXT.replace("  涉密: 否", "  涉秘: 否")
    findings = findings_of(write(tmp_path, text))
    assert any(f":{line_of(text, '涉秘')}:3 声明：未知栏目「涉秘」，是否指「涉密」？" in f for f in findings)


def test_unknown_key_without_a_close_match_lists_the_labels():
    message = unknown_key_message("备注", ["意见", "日期"], "栏目")
    assert message == "未知栏目「备注」（可用的栏目：意见、日期）"


def test_yaml_syntax_error_has_a_place(tmp_path):
    text = SAMPLE_TEXT.replace("项目类别: 自筹课题", "项目类别: 自筹课题: 重点")
    path = write(tmp_path, text)
    [finding] = findings_of(path)
    assert finding.startswith(f"{path}:{line_of(text, '自筹课题: 重点')}:")
    assert "YAML 格式错误：此处不能出现「: 」" in finding


def test_tab_indentation_is_explained(tmp_path):
    text = SAMPLE_TEXT.replace("  涉密: 否", "\t涉密: 否")
    [finding] = findings_of(write(tmp_path, text))
    assert "YAML 格式错误" in finding and f":{line_of(text, chr(9) + '涉密')}:" in finding


def test_duplicate_key_is_an_error(tmp_path):
    text = SAMPLE_TEXT.replace("项目类别: 自筹课题\n", "项目类别: 自筹课题\n项目类别: 重点课题\n")
    findings = findings_of(write(tmp_path, text))
    assert any(f":{line_of(text, '重点课题')}:1 项目类别：栏目重复出现" in f for f in findings)


def test_impossible_date_is_a_field_error_not_a_crash(tmp_path):
    text = SAMPLE_TEXT.replace("填表日期: 2025-10-15", "填表日期: 2025-02-30")
    [finding] = findings_of(write(tmp_path, text))
    assert f":{line_of(text, '2025-02-30')}:7 填表日期：不是有效的日期" in finding


def test_rule_across_fields_points_at_its_field(tmp_path):
    text = SAMPLE_TEXT.replace("  日期: 2025-10-15", "  日期: 2025-10-01")
    [finding] = findings_of(write(tmp_path, text))
    assert f":{line_of(text, '日期: 2025-10-01')}:7 所在单位审核意见.日期：审核意见日期 2025-10-01 早于填表日期" in finding


def test_warnings_are_returned_with_places(tmp_path):
    text = SAMPLE_TEXT.replace("项目负责人: 向河铭", "项目负责人: 中共通江县委党校")
    loaded = load_form(write(tmp_path, text))
    [warning] = loaded.warnings
    assert warning.severity == "warning"
    assert str(warning.place).endswith(f":{line_of(text, '项目负责人: 中共')}:8")


def test_errors_come_in_reading_order_and_all_at_once(tmp_path):
    text = (SAMPLE_TEXT.replace("立项编号: BZ25ZC124", "立项编号: 25ZC124")
            .replace("  涉密: 否", "  涉密: 不")
            .replace("  日期: 2025-10-15", "  日期: 2025-13-15"))
    findings = findings_of(write(tmp_path, text))
    assert len(findings) == 3
    lines = [int(f.split(":")[1]) for f in findings]
    assert lines == sorted(lines)


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError) as info:
        load_form(tmp_path / "nope.yaml")
    assert info.value.exit_code == 2 and "找不到表单文件" in info.value.message


def test_gbk_file_is_named_as_such(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes(SAMPLE_TEXT.encode("gb18030"))
    [finding] = findings_of(path)
    assert "不是 UTF-8 编码（看起来是 GBK 编码）" in finding


def test_utf8_with_bom_is_fine(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE_TEXT.encode("utf-8"))
    assert load_form(path).form.leader == "向河铭"


@pytest.mark.parametrize("text,message", [("", "表单文件是空的"), ("- 甲\n- 乙\n", "表单应为若干栏目")])
def test_empty_or_not_a_mapping(tmp_path, text, message):
    [finding] = findings_of(write(tmp_path, text))
    assert message in finding


# ---- the position helpers ------------------------------------------------------------------

def test_locate_value_key_and_nearest_ancestor():
    root = parse("甲:\n  乙: 1\n  丙:\n    - 丁: 2\n").root
    assert locate(root, ("甲", "乙")) == Position(2, 6)
    assert locate(root, ("甲", "乙"), key=True) == Position(2, 3)
    assert locate(root, ("甲", "丙", 0, "丁")) == Position(4, 10)
    assert locate(root, ("甲", "无")) == Position(2, 3)  # the mapping that lacks it


def test_duplicate_keys_finds_nested_repeats():
    root = parse("甲:\n  乙: 1\n  乙: 2\n丙: 3\n").root
    assert duplicate_keys(root) == [(("甲", "乙"), Position(3, 3))]
    assert duplicate_keys(parse("甲: 1\n乙: 2\n").root) == []


def test_parse_keeps_dates_as_text():
    assert parse("日期: 2025-10-15\n").data == {"日期": "2025-10-15"}


def test_parse_raises_with_position():
    with pytest.raises(YamlSyntaxError) as info:
        parse("甲: [1, 2\n")
    assert info.value.position is not None and info.value.message.startswith("YAML 格式错误")


def test_field_label_counts_people_from_one():
    assert field_label(("项目变更情况数据表", "原参与人员", 0, "姓名")) == "项目变更情况数据表.原参与人员第1项.姓名"


def test_parse_from_a_later_line_gives_the_file_lines():
    with pytest.raises(YamlSyntaxError) as info:
        parse("甲: 1\n乙: [2\n", first_line=5)
    assert info.value.position.line == 7
    assert locate(parse("甲: 1\n乙: 2\n", first_line=5).root, ("乙",)) == Position(6, 4)


def test_plain_values_are_the_text_typed():
    """YAML 1.1 would read these as an octal number, false, a float, a date and sexagesimal 750."""
    data = parse("甲: 01062345670\n乙: no\n丙: 1e5\n丁: 2025-10-15\n戊: 12:30\n己:\n庚: ~\n辛: '1'\n").data
    assert data == {"甲": "01062345670", "乙": "no", "丙": "1e5", "丁": "2025-10-15", "戊": "12:30",
                    "己": None, "庚": None, "辛": "1"}


def test_keys_are_text_too():
    assert parse("1: 甲\nnull: 乙\ntrue: 丙\n").data == {"1": "甲", "null": "乙", "true": "丙"}


@pytest.mark.parametrize("text, message, position", [
    ("甲: &a 1\n乙: *a\n", "不支持锚点「&a」", Position(1, 4)),
    ("甲: *a\n", "不支持引用「*a」", Position(1, 4)),
    ("甲: !!python/object:os.system {}\n", "不支持 YAML 标签「!!python/object:os.system」", Position(1, 4)),
    ("甲: " + "[" * 50 + "]" * 50 + "\n", "嵌套超过 20 层", Position(1, 23)),
    ("甲: \"开头\n乙: 值\n# 注释里的\"\n丙: 1\n", "引号没有闭合：第 1 行的「\"」直到第 3 行才有结束引号", Position(1, 4)),
    ("甲: 一\x0b二\n", "含有看不见的字符 U+000B（垂直制表符）", Position(1, 5)),
])
def test_what_a_form_has_no_use_for_is_refused_where_it_stands(text, message, position):
    with pytest.raises(YamlSyntaxError) as info:
        parse(text)
    assert message in info.value.message and info.value.position == position


def test_every_control_character_is_listed_with_its_field():
    with pytest.raises(YamlSyntaxError) as info:
        parse("甲: 一\x00\n乙:\n  丙: 二\x0c三\n")
    assert [(p.position, p.path) for p in info.value.problems] == [(Position(1, 5), ("甲",)), (Position(3, 7), ("乙", "丙"))]
