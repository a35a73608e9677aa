"""The form page's YAML round trip and its fields, without a server."""
from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from closure_app.models import form as models
from closure_app.serve.formfile import Conflict, FormFile, apply, page_values
from closure_app.serve.schema import ListOf, all_fields, change_columns, form_sections
from closure_app.sources.form import load_form_text

from serve_helpers import ROOT, sample_project

SAMPLE = (ROOT / "forms/application.yaml").read_text(encoding="utf-8")


def test_every_model_field_is_on_the_page_exactly_once():
    def leaves(model, path=()):
        for name, info in model.model_fields.items():
            here = path + (info.alias,)
            sub = info.annotation if isinstance(info.annotation, type) and issubclass(info.annotation, models.BaseModel) else None
            if sub:
                yield from leaves(sub, here)
            else:
                yield here

    names = [f.path for f in all_fields()]
    assert sorted(names) == sorted(leaves(models.ApplicationForm))
    assert len(names) == len(set(names))
    assert [s.title for s in form_sections()] == ["封面", "声明", "一、项目变更情况数据表", "二、申请人所在单位审核意见"]


def test_kinds_come_from_the_models_types():
    kinds = {f.name: f.kind for f in all_fields() if not isinstance(f, ListOf)}
    assert kinds["立项编号"] == "project_id"
    assert kinds["填表日期"] == "date" and kinds["所在单位审核意见.日期"] == "date"
    assert kinds["项目变更情况数据表.原负责人.出生日期"] == "month"
    assert kinds["项目变更情况数据表.现负责人.联系电话"] == "phone"
    assert kinds["声明.涉密"] == "choice" and kinds["项目变更情况数据表.原负责人.性别"] == "choice"
    members = next(f for f in all_fields() if isinstance(f, ListOf) and f.label == "现参与人员")
    assert [(c.label, c.kind) for c in members.columns] == [("姓名", "text"), ("单位", "text"), ("职称", "text"), ("联系电话", "phone")]
    assert "项目变更情况数据表.原参与人员" in change_columns() and "项目变更情况数据表.立项项目名称" not in change_columns()


def test_nothing_changed_is_byte_identical():
    values, rows = page_values(SAMPLE)
    submitted = dict(values)
    for name, items in rows.items():
        submitted[name + ".__rows"] = "1"
    assert apply(SAMPLE, submitted) == SAMPLE


def test_values_read_back_by_the_clis_reader_as_typed():
    text = apply(SAMPLE, {
        "项目变更情况数据表.现负责人.民族": "no",            # YAML 1.1 would read a bare no as false
        "项目变更情况数据表.现负责人.联系电话": "13500000000",  # a bare number would be an int
        "项目变更情况数据表.现负责人.出生日期": "1980-05",
        "项目变更情况数据表.原计划完成时间": "2025-09-30",
        "项目变更情况数据表.变更的内容": "第一行\r\n第二行",
        "项目变更情况数据表.原负责人.姓名": "null",
        "项目类别": "yes: 重点课题 # 不是注释",
    })
    form = load_form_text(text, "f.yaml").form
    assert form.changes.new_leader.ethnicity == "no"
    assert form.changes.new_leader.phone == "13500000000"
    assert form.changes.new_leader.birth == "1980-05"
    assert form.changes.planned_finish == dt.date(2025, 9, 30)
    assert form.changes.change_content == "第一行\n第二行"
    assert form.changes.old_leader.name == "null"
    assert form.category == "yes: 重点课题 # 不是注释"
    assert re.search(r"\n  原计划完成时间: 2025-09-30 +# 如 2025-09-30\n", text)   # a date stays unquoted, its comment kept


def test_keys_missing_from_the_file_go_where_the_model_puts_them():
    text = "立项编号: BZ25ZC124\n所在单位: 党校   # 单位\n"
    out = apply(text, {"项目类别": "自筹课题", "填表日期": "2025-10-15", "项目负责人": "向河铭",
                       "所在单位审核意见.意见": "同意", "声明.涉密": "否"})
    keys = [line.split(":")[0] for line in out.splitlines() if not line.startswith(" ")]
    assert keys == ["立项编号", "项目类别", "项目负责人", "所在单位", "填表日期", "声明", "所在单位审核意见"]
    assert "所在单位: 党校   # 单位" in out


def test_a_written_date_form_is_kept_when_untouched():
    text = SAMPLE.replace("填表日期: 2025-10-15", "填表日期: 2025年10月15日")
    values, _ = page_values(text)
    assert values["填表日期"] == "2025年10月15日"
    assert "填表日期: 2025年10月15日" in apply(text, values)


def test_rows_keep_their_own_written_form_when_moved():
    text = SAMPLE.replace("  现参与人员: []", "  现参与人员:\n  - {姓名: 甲, 联系电话: \"13500000000\"}   # 组长\n  - {姓名: 乙}\n")
    name = "项目变更情况数据表.现参与人员"
    out = apply(text, {f"{name}.0.姓名": "乙", f"{name}.1.姓名": "甲", f"{name}.1.联系电话": "13500000000"})
    lines = out[out.index("  现参与人员:"):].splitlines()
    assert lines[1].strip() == "- {姓名: 乙}"
    assert lines[2].strip() == '- {姓名: 甲, 联系电话: "13500000000"}   # 组长'
    assert "\n\n# ---- 二、申请人所在单位审核意见" in out
    # all rows removed: an empty list, the comments around it kept
    out = apply(text, {f"{name}.__rows": "1"})
    assert "  现参与人员: []\n\n# ---- 二、申请人所在单位审核意见" in out


def test_save_is_atomic_keeps_a_backup_and_refuses_a_stale_version(tmp_path):
    path = tmp_path / "forms/application.yaml"
    path.parent.mkdir()
    path.write_text(SAMPLE, encoding="utf-8")
    os.chmod(path, 0o640)
    file = FormFile(path, "")
    first = file.read()
    saved = file.save(SAMPLE.replace("自筹课题", "重点课题"), first.version)
    assert path.read_text(encoding="utf-8") == saved.text and "重点课题" in saved.text
    assert (tmp_path / "forms/application.yaml.bak").read_text(encoding="utf-8") == SAMPLE
    assert (path.stat().st_mode & 0o777) == 0o640
    with pytest.raises(Conflict):
        file.save(SAMPLE, first.version)
    assert "重点课题" in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in path.parent.iterdir()) == ["application.yaml", "application.yaml.bak"]


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    project = sample_project(tmp_path / "proj")
    exe = Path(sys.executable).with_name("closure-app")
    proc = subprocess.Popen([str(exe), "serve", str(project), "--no-browser", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert line.startswith("表单页面：http://127.0.0.1:") and "/t/" in line
        import httpx

        assert httpx.get(line.split("：", 1)[1].strip(), timeout=10).status_code == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "已停止" in err and "Traceback" not in err


def test_serve_refuses_a_missing_folder_and_a_busy_port(tmp_path, capsys):
    from closure_app.cli import main
    from closure_app.commands.serve import listen

    assert main(["serve", str(tmp_path / "nope"), "--no-browser"]) == 2
    assert "找不到项目文件夹" in capsys.readouterr().err
    busy = listen(0)
    try:
        assert main(["serve", str(tmp_path), "--no-browser", "--port", str(busy.getsockname()[1])]) == 2
        assert "无法使用端口" in capsys.readouterr().err
    finally:
        busy.close()


def test_ctrl_c_during_a_build_lets_it_finish_whole(tmp_path):
    import httpx

    project = sample_project(tmp_path / "proj")
    exe = Path(sys.executable).with_name("closure-app")
    proc = subprocess.Popen([str(exe), "serve", str(project), "--no-browser", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stderr.readline().split("：", 1)[1].strip()
        assert "state-running" in httpx.post(url + "build", timeout=10).text
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "已停止" in err and "正在等待生成完成" in err
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".build-")]
    assert leftovers == []
    assert {"application.pdf", "manuscript.pdf", "check-report.json"} <= {p.name for p in (project / "out").iterdir()}


def test_windows_line_endings_and_a_bom_are_kept(tmp_path):
    path = tmp_path / "application.yaml"
    crlf = SAMPLE.replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    file = FormFile(path, "")
    snapshot = file.read()
    assert apply(snapshot.text, {}) == crlf
    text = apply(snapshot.text, {"项目类别": "重点课题"})
    file.save(text, snapshot.version)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.decode("utf-8-sig") == crlf.replace("项目类别: 自筹课题", "项目类别: 重点课题")


def test_a_list_written_as_text_is_not_dropped_by_a_save():
    from closure_app.serve.app import check_values
    from closure_app.serve.formfile import checked_text

    text = SAMPLE.replace("  原参与人员: []", "  原参与人员: 张三、李四")
    values, rows = page_values(text)
    assert rows["项目变更情况数据表.原参与人员"] == []
    submitted = dict(values, **{"项目变更情况数据表.原参与人员.__rows": "1"})
    assert "  原参与人员: 张三、李四" in apply(text, submitted)
    checked = check_values(checked_text(text, submitted), list(values))
    from closure_app.errors import InvalidInput

    with pytest.raises(InvalidInput) as cli:          # what validate says about the file itself
        load_form_text(text, "f.yaml")
    expected = [f.message for f in cli.value.findings if f.field == "项目变更情况数据表.原参与人员"]
    assert expected and "列表" in expected[0]
    assert [f.message for f in checked.by_field["项目变更情况数据表.原参与人员"]] == expected


def test_serve_opens_the_browser_at_the_address_it_prints(tmp_path):
    project = sample_project(tmp_path / "proj")
    opened = tmp_path / "opened.txt"
    exe = Path(sys.executable).with_name("closure-app")
    browser = f"{sys.executable} -c \"import sys; open({str(opened)!r}, 'w').write(sys.argv[1])\" %s"
    proc = subprocess.Popen([str(exe), "serve", str(project), "--port", "0"], env={**os.environ, "BROWSER": browser},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stderr.readline().split("：", 1)[1].strip()
        deadline = time.monotonic() + 20
        while not (opened.exists() and opened.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text() == url
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
