"""`closure-app check`: the Chinese report, JSON and JUnit for CI, exit codes over all files."""
import json
import xml.etree.ElementTree as ET

import pytest
from check_fixtures import H2, build_docx

from closure_app.check.findings import CheckFinding, CheckReport
from closure_app.check.report import SHOWN_PER_RULE, render_text, to_json, to_junit
from closure_app.cli import main
from closure_app.profile import load_profile

PROFILE = load_profile()


@pytest.fixture
def files(tmp_path):
    clean = build_docx(tmp_path / "clean.docx", PROFILE)
    broken = build_docx(tmp_path / "broken.docx", PROFILE, breaks=frozenset({"h2_heiti", "h3_not_bold"}))
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4 nothing")
    return clean, broken, tmp_path / "junk.pdf"


def test_clean_file_exits_0_and_says_so(files, capsys):
    assert main(["check", str(files[0])]) == 0
    out = capsys.readouterr().out
    assert "合格" in out and "未发现问题" in out


def test_violations_exit_1_with_the_report_grouped_by_rule(files, capsys):
    assert main(["check", str(files[0]), str(files[1])]) == 1
    out = capsys.readouterr().out
    assert "不合格" in out and "【字体】2 处" in out and "【加粗】1 处" in out
    assert f"第 3 段「{H2}」：二级标题字体应为方正楷体_GBK（应为 方正楷体_GBK，实为 方正黑体_GBK" in out


def test_a_file_that_cannot_be_checked_makes_it_exit_2(files, capsys):
    assert main(["check", str(files[1]), str(files[2])]) == 2
    captured = capsys.readouterr()
    assert "无法检查" in captured.out and "1 个文件无法检查" in captured.err


def test_json_output_to_a_file(files, tmp_path):
    out = tmp_path / "r.json"
    assert main(["check", str(files[1]), "--format", "json", "--output", str(out)]) == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["exit_code"] == 1
    [entry] = data["files"]
    rules = [(f["rule"], f["place"], f["severity"]) for f in entry["findings"]]
    assert ("font-bold", "第 7 段「1. 创新」", "error") in rules
    assert entry["findings"][0]["rule_title"] == "字体"


def test_junit_output(files, capsys):
    assert main(["check", str(files[1]), str(files[2]), "--format", "junit"]) == 2
    root = ET.fromstring(capsys.readouterr().out.split("\n", 1)[1])
    broken, junk = root.findall("testsuite")
    assert (broken.get("failures"), junk.get("errors")) == ("2", "1")
    failed = [c.get("name") for c in broken.iter("testcase") if c.find("failure") is not None]
    assert failed == ["font-family：字体", "font-bold：加粗"]


def test_unknown_profile_is_a_usage_error(files, capsys):
    assert main(["check", str(files[0]), "--profile", "nosuch"]) == 2
    assert "找不到配置文件" in capsys.readouterr().err


def test_the_text_report_caps_each_rule_and_says_how_many_more():
    many = [CheckFinding("font-size", "正文字号应为三号（16pt）", f"第 {n} 段", "三号（16pt）", "小三（15pt）")
            for n in range(SHOWN_PER_RULE + 5)]
    text = render_text([CheckReport("a.docx", "report", many)])
    assert text.count("[违规]") == SHOWN_PER_RULE and "另有 5 处" in text


def test_errors_are_listed_before_warnings_and_notes():
    findings = [CheckFinding("page-margin", "上边距应为 37 mm", "第 1 节", severity="info"),
                CheckFinding("font-bold", "三级标题应加粗", "第 7 段")]
    text = render_text([CheckReport("a.docx", "report", findings)])
    assert text.index("【加粗】") < text.index("【页边距】")
    assert json.loads(to_json([CheckReport("a.docx", "report", findings)]))["exit_code"] == 1
    assert 'failures="1"' in to_junit([CheckReport("a.docx", "report", findings)])


def test_places_and_sizes_read_as_people_say_them():
    from closure_app.check.findings import opening, size_label
    assert size_label(16) == "三号（16pt）" and size_label(15) == "小三（15pt）" and size_label(15.5) == "15.5pt"
    assert opening("1.1  研究背景\n与意义") == "1.1 研究背景 与意义"
    assert opening("科" * 20) == "科" * 16 + "…"
