"""`closure-app validate`, `schema`, `init` as a user runs them: exit codes and what they print."""
import json
import shutil
from pathlib import Path

import pytest

from closure_app.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_FORM = ROOT / "forms" / "application.yaml"
SAMPLE_MANUSCRIPT = ROOT / "manuscript" / "manuscript.md"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A folder holding a copy of the sample, as the current directory."""
    (tmp_path / "forms").mkdir()
    (tmp_path / "manuscript").mkdir()
    shutil.copy(SAMPLE_FORM, tmp_path / "forms" / "application.yaml")
    shutil.copy(SAMPLE_MANUSCRIPT, tmp_path / "manuscript" / "manuscript.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_validate_the_sample_by_default(project, capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "表单 forms/application.yaml：有效。立项编号 BZ25ZC124" in out
    assert "负责人 向河铭" in out
    assert "书稿 manuscript/manuscript.md：有效" in out and " 章，" in out


def test_validate_shows_warnings_with_their_place_and_still_passes(project, capsys):
    form = project / "forms" / "application.yaml"
    text = form.read_text(encoding="utf-8").replace("项目负责人: 向河铭", "项目负责人: 中共通江县委党校")
    form.write_text(text, encoding="utf-8")
    assert main(["validate", "--form", "forms/application.yaml"]) == 0
    out = capsys.readouterr().out
    assert "有效，1 条警告" in out
    assert "警告 forms/application.yaml:12:8 项目负责人：项目负责人「中共通江县委党校」与所在单位相同" in out


def test_validate_invalid_form_lists_every_error_and_exits_1(project, capsys):
    form = project / "forms" / "application.yaml"
    text = (form.read_text(encoding="utf-8").replace("立项编号: BZ25ZC124", "立项编号: 25ZC124")
            .replace("  涉密: 否", "  涉秘: 否"))
    form.write_text(text, encoding="utf-8")
    assert main(["validate"]) == 1
    captured = capsys.readouterr()
    assert "错误 forms/application.yaml:9:7 立项编号：" in captured.err
    assert "未知栏目「涉秘」，是否指「涉密」？" in captured.err
    assert "错误：表单 forms/application.yaml 有 3 处错误" in captured.err  # the unknown key and the missing one
    assert "书稿 manuscript/manuscript.md：有效" in captured.out  # the other source is still checked
    assert "Traceback" not in captured.err


def test_validate_missing_file_exits_2(project, capsys):
    assert main(["validate", "--form", "nowhere.yaml"]) == 2
    assert "错误：找不到表单文件：nowhere.yaml" in capsys.readouterr().err


def test_validate_missing_defaults_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "找不到表单文件：forms/application.yaml" in err and "找不到书稿文件：manuscript/manuscript.md" in err


def test_validate_only_the_manuscript(project, capsys):
    (project / "forms" / "application.yaml").unlink()
    assert main(["validate", "--manuscript", "manuscript/manuscript.md"]) == 0
    assert "表单" not in capsys.readouterr().out


def test_unknown_option_is_a_usage_error(project):
    assert main(["validate", "--nope"]) == 2


def test_schema_is_json_by_chinese_labels(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"立项编号", "项目负责人", "填表日期", "声明", "项目变更情况数据表", "所在单位审核意见"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) >= {"立项编号", "项目负责人"}
    leader = schema["$defs"]["Leader"]["properties"]
    assert {"姓名", "出生日期", "联系电话"} <= set(leader)


def test_init_writes_a_pair_that_validates(tmp_path, monkeypatch, capsys):
    target = tmp_path / "新项目"
    assert main(["init", str(target)]) == 0
    assert (target / "forms" / "application.yaml").read_text(encoding="utf-8").startswith("# 巴中市哲学社会科学规划项目")
    assert (target / "manuscript" / "manuscript.md").is_file()
    assert (target / "manuscript" / "images" / "示例图.svg").is_file()      # the template's figure
    monkeypatch.chdir(target)
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.count("有效") == 2


def test_the_template_builds_with_its_figure_table_and_references(tmp_path, monkeypatch, capsys):
    import zipfile
    assert main(["init", str(tmp_path)]) == 0
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--manuscript", "manuscript/manuscript.md", "--out", "out"]) == 0
    xml = zipfile.ZipFile(tmp_path / "out" / "manuscript.docx").read("word/document.xml").decode()
    assert "SEQ 图" in xml and "SEQ 表" in xml and "svgBlip" in xml and "@fig:example" not in xml


def test_init_refuses_to_overwrite_without_force(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    form = tmp_path / "forms" / "application.yaml"
    form.write_text("# 我的表单\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "文件已存在，未覆盖" in capsys.readouterr().err
    assert form.read_text(encoding="utf-8") == "# 我的表单\n"
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert form.read_text(encoding="utf-8").startswith("# 巴中市哲学社会科学规划项目")
