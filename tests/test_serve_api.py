"""`closure-app serve` over HTTP (httpx): every route, and the ways a request must be refused."""
from __future__ import annotations

import concurrent.futures
import io
import re
import shutil
import time
import zipfile
from html import unescape
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from closure_app.cli import main as cli_main
from closure_app.serve.app import create_app, err_id
from closure_app.serve.formfile import apply
from closure_app.serve.schema import all_fields

from serve_helpers import running_server, sample_project

PHONE = "项目变更情况数据表.现负责人.联系电话"
HOST = "http://127.0.0.1:8765"


@pytest.fixture
def project(tmp_path):
    return sample_project(tmp_path / "proj")


@pytest.fixture
def client(project):
    app = create_app(project)
    with TestClient(app, base_url=HOST + f"/t/{app.token}/") as c:
        c.app_under_test = app
        yield c


def page_values_of(client) -> dict[str, str]:
    """What the browser would post: every input of the page as served."""
    html = client.get("").text
    values = {}
    for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="radio"' in tag and " checked" not in tag:
            continue
        values[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    return values


def slot(html: str, name: str) -> str:
    """The text of the message slot beside input ``name``."""
    m = re.search(rf'<div class="msg" id="{re.escape(err_id(name))}"[^>]*>(.*?)</div>', html, re.S)
    assert m, f"no message slot for {name}"
    return re.sub(r"<[^>]+>", "", unescape(m.group(1)))


def cli_messages(tmp_path: Path, text: str, capsys) -> str:
    path = tmp_path / "cli-form.yaml"
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    cli_main(["validate", "--form", str(path)])
    captured = capsys.readouterr()
    return captured.out + captured.err


# ---- safety ----------------------------------------------------------------------------------

def test_wrong_token_is_not_found_and_says_why(project):
    app = create_app(project)
    with TestClient(app, base_url=HOST) as c:
        for path in ("/", "/t/wrong/", f"/t/{app.token[:-1]}/", f"/t/{app.token}x/", "/static/htmx.min.js"):
            r = c.get(path)
            assert r.status_code == 404, path
            assert "令牌不对" in r.text
        assert c.get(f"/t/{app.token}/").status_code == 200
        assert c.get(f"/t/{app.token}", follow_redirects=False).status_code == 307


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "192.168.1.5:8765", ""])
def test_a_foreign_host_header_is_refused(client, host):
    r = client.get("", headers={"host": host})
    assert r.status_code == 400
    assert "Host" in r.text and "本机" in r.text


@pytest.mark.parametrize("host", ["localhost:8765", "127.0.0.1:1", "LOCALHOST"])
def test_loopback_names_are_accepted(client, host):
    assert client.get("", headers={"host": host}).status_code == 200


def test_a_post_from_another_site_is_refused(client, project):
    before = (project / "forms/application.yaml").read_bytes()
    values = page_values_of(client)
    r = client.post("save", data=values, headers={"origin": "https://evil.example"})
    assert r.status_code == 403 and "其他网站" in r.text
    assert (project / "forms/application.yaml").read_bytes() == before
    assert client.post("save", data=values, headers={"origin": "http://127.0.0.1:8765"}).status_code == 200


def test_path_traversal_reaches_nothing(client, project):
    secret = project.parent / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    for path in ("out/..%2F..%2Fsecret.txt", "out/%2E%2E%2Fforms%2Fapplication.yaml", "out/application.yaml",
                 "static/..%2F..%2F..%2Fsecret.txt", "static/app.py", "preview/..%2Fsecret.txt/1.png",
                 "out/../../secret.txt", "../secret.txt"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "secret" not in r.text
    # an upload's name is never a path: it is kept under a fixed name inside manuscript/
    r = client.post("report/upload", files={"report": ("../../evil.md", b"# x\n", "text/markdown")})
    assert r.status_code == 200
    assert not (project.parent / "evil.md").exists() and not (project / "evil.md").exists()
    assert (project / "manuscript" / "uploaded-report.md").read_bytes() == b"# x\n"


def test_an_upload_over_the_cap_is_refused_before_it_is_read(project):
    app = create_app(project, max_upload=64 * 1024)
    with TestClient(app, base_url=HOST + f"/t/{app.token}/") as c:
        big = b"# " + b"x" * (80 * 1024) + b"\n"
        r = c.post("report/upload", files={"report": ("big.md", big, "text/markdown")})
        assert r.status_code == 413
        assert "文件太大：上传不能超过 64 KiB" in r.text
        assert not list((project / "manuscript").glob("uploaded-report.*"))
        # a lying Content-Length does not get it past the cap either
        def chunks():
            yield b"x" * (40 * 1024)
            yield b"x" * (40 * 1024)
        r = c.post("report/upload", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
        assert r.status_code == 413


# ---- the form page ---------------------------------------------------------------------------

def test_the_page_has_every_field_of_the_model_once_with_its_value(client):
    html = client.get("").text
    for spec in all_fields():
        if hasattr(spec, "columns"):
            assert f'data-list="{spec.name}"' in html
            for column in spec.columns:
                assert f"<th>{column.label}</th>" in html
        else:
            assert len(re.findall(rf'name="{re.escape(spec.name)}"', html)) in (1, len(spec.choices)), spec.name
    assert 'value="BZ25ZC124"' in html
    for section in ("封面", "声明", "一、项目变更情况数据表", "二、申请人所在单位审核意见", "原负责人", "现负责人"):
        assert section in html
    # the formats are explained beside the fields
    assert "BZ + 两位年份 + 两个大写字母 + 三位数字" in html and "0827-5221234" in html
    # the right inputs for dates and year-months
    assert re.search(r'name="填表日期"[^>]*type="date"', html, re.S)
    assert re.search(r'name="项目变更情况数据表.原负责人.出生日期"[^>]*type="month"', html, re.S)
    # vendored, never from a CDN
    assert "//" not in "".join(re.findall(r'<script[^>]*src="([^"]+)"', html))
    assert client.get("static/htmx.min.js").text.startswith("var htmx=")
    assert "Zero-Clause BSD" in client.get("static/htmx.LICENSE").text


def test_a_field_gets_the_clis_message_for_the_same_value(client, tmp_path, capsys):
    values = page_values_of(client)
    values[PHONE] = "12345"
    r = client.post("validate", data=values)
    assert r.status_code == 200
    message = slot(r.text, PHONE)
    assert "不是有效的电话号码" in message
    assert "1 处错误" in r.text
    # the CLI, given the YAML the page would save, says the same about the same field
    text = apply((client.app_under_test.project.form.read().text), values)
    assert f"{PHONE.replace('.', '.')}：{message}" in cli_messages(tmp_path, text, capsys)
    # fixed: the slot is emptied, the form is valid
    values[PHONE] = "0827-5221234"
    r = client.post("validate", data=values)
    assert slot(r.text, PHONE) == ""
    assert "表单有效" in r.text


def test_rules_across_fields_land_at_their_field(client):
    values = page_values_of(client)
    values["所在单位审核意见.日期"] = "2025-01-02"        # before 填表日期
    values["项目变更情况数据表.是否变更"] = "是"           # without 变更的内容
    r = client.post("validate", data=values)
    assert "早于填表日期" in slot(r.text, "所在单位审核意见.日期")
    assert "须写明变更的内容" in slot(r.text, "项目变更情况数据表.变更的内容")


def test_participant_rows_are_validated_where_they_stand(client):
    values = page_values_of(client)
    values.update({"项目变更情况数据表.现参与人员.0.姓名": "张三", "项目变更情况数据表.现参与人员.0.联系电话": "13500000000",
                   "项目变更情况数据表.现参与人员.1.姓名": "李四", "项目变更情况数据表.现参与人员.1.联系电话": "999"})
    r = client.post("validate", data=values)
    assert slot(r.text, "项目变更情况数据表.现参与人员.0.联系电话") == ""
    assert "不是有效的电话号码" in slot(r.text, "项目变更情况数据表.现参与人员.1.联系电话")


# ---- saving ------------------------------------------------------------------------------------

def test_save_writes_the_values_keeps_comments_and_a_backup(client, project):
    form = project / "forms/application.yaml"
    before = form.read_text(encoding="utf-8")
    values = page_values_of(client)
    values[PHONE] = "13500000000"
    values["项目变更情况数据表.现参与人员.0.姓名"] = "张三"
    values["项目变更情况数据表.现参与人员.0.单位"] = "中共通江县委党校"
    r = client.post("save", data=values)
    assert r.status_code == 200 and "已于" in r.text and r.headers["hx-trigger"] == "saved"
    after = form.read_text(encoding="utf-8")
    assert (project / "forms/application.yaml.bak").read_text(encoding="utf-8") == before
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(c in after.splitlines() for c in comments)
    assert "立项编号: BZ25ZC124          # BZ + 两位年份 + 两个大写字母 + 三位数字" in after
    assert [line.split(":")[0] for line in before.splitlines() if re.match(r"^\S+:", line)] == \
           [line.split(":")[0] for line in after.splitlines() if re.match(r"^\S+:", line)]
    from closure_app.sources.form import load_form

    loaded = load_form(form).form
    assert loaded.changes.new_leader.phone == "13500000000"
    assert [m.name for m in loaded.changes.new_members] == ["张三"]
    # the page's version is now the new file's: a second save goes through
    version = re.search(r'id="version" value="([0-9a-f]+)"', r.text).group(1)
    values["__version"] = version
    assert client.post("save", data=values).status_code == 200


def test_a_file_changed_on_disk_is_not_overwritten(client, project):
    form = project / "forms/application.yaml"
    values = page_values_of(client)
    edited = form.read_text(encoding="utf-8").replace("项目类别: 自筹课题", "项目类别: 重点课题")
    form.write_text(edited, encoding="utf-8")
    values[PHONE] = "13500000000"
    r = client.post("save", data=values)
    assert r.status_code == 409
    assert "已在磁盘上被修改" in r.text and "重新载入" in r.text
    assert form.read_text(encoding="utf-8") == edited
    # after a reload the page shows the file's new value
    assert 'value="重点课题"' in client.get("").text


def test_concurrent_saves_of_one_version_let_exactly_one_through(project):
    with running_server(project) as (url, app):
        with httpx.Client(base_url=url) as c:
            values = page_values_of(c)

            def save(i):
                mine = dict(values)
                mine["项目类别"] = f"课题{i}"
                return c.post("save", data=mine).status_code

            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                codes = list(pool.map(save, range(8)))
    assert sorted(codes) == [200] + [409] * 7
    text = (project / "forms/application.yaml").read_text(encoding="utf-8")
    assert len(re.findall(r"^项目类别: 课题\d$", text, re.M)) == 1
    assert not [p for p in (project / "forms").iterdir() if p.name.endswith(".tmp")]


def test_a_form_that_is_not_yaml_is_explained_not_crashed(client, project):
    (project / "forms/application.yaml").write_text("立项编号: [BZ25\n", encoding="utf-8")
    r = client.get("")
    assert r.status_code == 200 and "YAML 格式错误：方括号列表没有闭合" in r.text and "forms/application.yaml" in r.text


def test_a_project_without_a_form_starts_from_the_template(tmp_path):
    app = create_app(tmp_path)
    with TestClient(app, base_url=HOST + f"/t/{app.token}/") as c:
        html = c.get("").text
        assert "尚未保存过" in html
        values = page_values_of(c)
        assert values["__version"] == ""
        assert c.post("save", data=values).status_code == 200
    assert (tmp_path / "forms/application.yaml").is_file()
    assert not (tmp_path / "forms/application.yaml.bak").exists()


# ---- the report ---------------------------------------------------------------------------------

def test_the_default_report_shows_its_outline_with_levels(client):
    r = client.get("report")
    assert r.status_code == 200
    assert "manuscript/manuscript.md" in r.text
    levels = re.findall(r'data-level="(\d)"', r.text)
    assert {"1", "2", "3"} <= set(levels)
    assert re.search(r'data-level="1"><span class="lvl">1 级</span> 第一章', r.text)
    assert client.post("report/default").status_code == 200


def test_a_markdown_upload_shows_outline_and_warnings(client):
    text = ("---\ntitle: 标题\nauthor:\n  name: 张三\n  unit: 某单位\n  position: 讲师\n  address: 某地\n"
            "  postcode: \"636700\"\n  email: a@example.com\n  phone: \"13500000000\"\nabstract: 摘要。\nkeywords: [甲]\n---\n\n"
            "# 第一章 绪论\n\n正文。\n\n## 1.2 跳号\n\n正文。\n")
    r = client.post("report/upload", files={"report": ("报告.md", text.encode(), "text/markdown")})
    assert r.status_code == 200
    assert "报告.md" in r.text and "第一章 绪论" in r.text and 'data-level="2"' in r.text
    assert "manuscript/uploaded-report.md:19 标题「1.2 跳号」编号不连续" in r.text and "警告" in r.text
    assert str(client.app_under_test.project.root) not in r.text


def test_a_docx_upload_gets_what_load_report_says(client, project, tmp_path):
    import docx

    from closure_app.errors import UserError
    from closure_app.sources.report import load_report

    document = docx.Document()
    document.add_heading("第一章 绪论", 1)
    document.add_paragraph("正文。")
    path = tmp_path / "report.docx"
    document.save(path)
    r = client.post("report/upload", files={"report": ("报告.docx", path.read_bytes(), "application/octet-stream")})
    assert r.status_code == 200
    stored = project / "manuscript" / "uploaded-report.docx"
    assert stored.is_file()
    try:
        loaded = load_report(stored)
    except UserError as exc:
        findings = getattr(exc, "findings", None)
        expected = [f.message for f in findings] if findings else [exc.message]
        assert all(unescape(m) in unescape(r.text) or m in unescape(r.text) for m in expected[:3])
    else:
        for heading in [b for b in loaded.manuscript.body if type(b).__name__ == "Heading"]:
            assert heading.text in r.text


def test_uploads_follow_the_checkers_safe_file_rules(client, project):
    pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    r = client.post("report/upload", files={"report": ("a.pdf", pdf, "application/pdf")})
    assert r.status_code == 422 and "PDF" in r.text
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (4 * 1024 * 1024))
    r = client.post("report/upload", files={"report": ("a.docx", bomb.getvalue(), "application/octet-stream")})
    assert r.status_code == 422 and "压缩比异常" in r.text
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    r = client.post("report/upload", files={"report": ("a.doc", ole, "application/msword")})
    assert r.status_code == 422 and ".doc" in r.text and "另存为" in r.text
    gbk = "# 第一章\n".encode("gbk")
    r = client.post("report/upload", files={"report": ("a.md", gbk, "text/markdown")})
    assert r.status_code == 200 and "UTF-8" in r.text
    assert not list((project / "manuscript").glob(".uploaded-report*"))
    r = client.post("report/upload", data={"x": "1"})
    assert r.status_code == 400 and "没有收到文件" in r.text


# ---- building -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = sample_project(tmp_path_factory.mktemp("built") / "proj")
    app = create_app(project)
    with TestClient(app, base_url=HOST + f"/t/{app.token}/") as c:
        first = c.post("build")
        assert first.status_code == 200
        seen = [first.text]
        deadline = time.monotonic() + 120
        while 'hx-trigger="every' in seen[-1] and time.monotonic() < deadline:
            time.sleep(0.2)
            seen.append(c.get("build/status").text)
        yield c, project, seen


def test_build_shows_each_stage_as_the_cli_prints_it(built):
    c, project, seen = built
    final = seen[-1]
    assert "state-done" in final, final
    steps = re.findall(r"\[(\d)/(\d)\] ([^<…]+)", final)
    assert [s[2].strip() for s in steps][:2] == ["读取并校验源文件", "解析字体"]
    assert len(steps) == int(steps[0][1]) == 5
    assert "检查输出是否符合格式要求" in final and "格式检查报告" in final
    assert re.search(r"<li>方正仿宋_GBK → [^<]+用于 [^<]*正文", final)      # the fonts, as the CLI lists them


def test_build_outputs_download_one_by_one_and_as_a_zip(built):
    c, project, _ = built
    names = sorted(p.name for p in (project / "out").iterdir())
    assert {"application.pdf", "application.docx", "manuscript.pdf", "manuscript.docx", "application-a3.pdf",
            "check-report.txt", "check-report.json"} <= set(names)
    r = c.get("out/application.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and "attachment" in r.headers["content-disposition"]
    assert r.content == (project / "out/application.pdf").read_bytes()
    z = zipfile.ZipFile(io.BytesIO(c.get("out.zip").content))
    assert sorted(z.namelist()) == names
    for name in names:
        assert z.read(name) == (project / "out" / name).read_bytes()


def test_build_previews_are_page_thumbnails(built):
    c, project, seen = built
    from pypdf import PdfReader

    pages = len(PdfReader(project / "out/manuscript.pdf").pages)
    assert seen[-1].count('src="preview/manuscript.pdf/') == pages
    r = c.get("preview/manuscript.pdf/1.png")
    assert r.status_code == 200 and r.content.startswith(b"\x89PNG")
    from PIL import Image

    image = Image.open(io.BytesIO(r.content))
    assert 150 <= image.width <= 200 and image.height > image.width
    assert c.get(f"preview/manuscript.pdf/{pages + 1}.png").status_code == 404
    assert c.get("preview/check-report.txt/1.png").status_code == 404


def test_a_failed_build_says_why_and_leaves_out_alone(tmp_path):
    project = sample_project(tmp_path / "proj")
    form = project / "forms/application.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("BZ25ZC124", "XX1"), encoding="utf-8")
    app = create_app(project)
    with TestClient(app, base_url=HOST + f"/t/{app.token}/") as c:
        html = c.post("build").text
        while 'hx-trigger="every' in html:
            time.sleep(0.1)
            html = c.get("build/status").text
        assert "生成失败" in html and "立项编号格式应为" in html
        assert c.get("out.zip").status_code == 404
    assert not (project / "out").exists()


def test_building_before_the_form_exists_says_save_first(tmp_path):
    app = create_app(tmp_path)
    with TestClient(app, base_url=HOST + f"/t/{app.token}/") as c:
        r = c.post("build")
        assert "请先保存表单" in r.text


def test_a_form_not_in_utf8_is_shown_with_the_clis_words_and_never_rewritten(client, project):
    form = project / "forms/application.yaml"
    raw = form.read_text(encoding="utf-8").encode("gbk")
    form.write_bytes(raw)
    r = client.get("")
    assert "文件不是 UTF-8 编码（看起来是 GBK 编码）" in r.text
    assert client.post("save", data={"项目类别": "重点课题", "__version": ""}).status_code == 409
    assert client.post("validate", data={"项目类别": "重点课题"}).status_code == 409
    assert form.read_bytes() == raw


def test_a_form_linked_from_outside_the_folder_is_neither_read_nor_written(client, project):
    outside = project.parent / "elsewhere.yaml"
    form = project / "forms/application.yaml"
    outside.write_bytes(form.read_bytes())
    form.unlink()
    form.symlink_to(outside)
    r = client.get("")
    assert "项目文件夹之外" in r.text and "BZ25ZC124" not in r.text
    assert client.post("save", data={"项目类别": "重点课题", "__version": ""}).status_code == 409
    assert "重点课题" not in outside.read_text(encoding="utf-8")


def test_an_unknown_key_in_the_file_is_shown_and_kept(client, project):
    form = project / "forms/application.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("项目类别: 自筹课题", "项目类别: 自筹课题\n项目负责: 向河铭"),
                    encoding="utf-8")
    html = client.get("").text
    assert "未知栏目「项目负责」，是否指「项目负责人」？" in html
    values = page_values_of(client)
    r = client.post("validate", data=values)
    assert "未知栏目「项目负责」" in r.text
    client.post("save", data=values)
    assert "项目负责: 向河铭" in form.read_text(encoding="utf-8")


def test_a_docx_report_upload_shows_the_same_outline_as_its_markdown(built):
    c, project, _ = built
    docx_bytes = (project / "out/manuscript.docx").read_bytes()
    markdown_outline = re.findall(r'data-level="(\d)"><span class="lvl">\d 级</span> ([^<]+)</li>',
                                  c.post("report/default").text)
    r = c.post("report/upload", files={"report": ("最终成果.docx", docx_bytes, "application/octet-stream")})
    assert r.status_code == 200 and "最终成果.docx（已存为 manuscript/uploaded-report.docx）" in r.text
    assert "改正后才能生成" not in r.text
    outline = re.findall(r'data-level="(\d)"><span class="lvl">\d 级</span> ([^<]+)</li>', r.text)
    assert len(outline) > 20 and outline == markdown_outline
    c.post("report/default")     # the module's other tests build from the Markdown


def test_a_title_broken_over_lines_keeps_its_line_break(client, project):
    form = project / "forms/application.yaml"
    text = form.read_text(encoding="utf-8").replace(
        "\n项目名称: 深度融合科技创新与产业创新 助推巴中新质生产力跨越发展",
        "\n项目名称: |-\n  深度融合科技创新与产业创新\n  助推巴中新质生产力跨越发展")
    form.write_text(text, encoding="utf-8")
    html = client.get("").text
    assert re.search(r'<textarea id="f-项目名称" name="项目名称"[^>]*>深度融合科技创新与产业创新\n助推', html)
    values = page_values_of_with_textareas(html)
    assert client.post("save", data=values).status_code == 200
    from closure_app.sources.form import load_form

    assert load_form(form).form.project_name == "深度融合科技创新与产业创新\n助推巴中新质生产力跨越发展"


def page_values_of_with_textareas(html: str) -> dict[str, str]:
    values = {}
    for tag in re.findall(r"<(?:input|select)\b[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and not ('type="radio"' in tag and " checked" not in tag):
            values[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        values[unescape(name)] = unescape(body)
    return values


def test_out_or_manuscript_linked_outside_the_folder_is_never_written(client, project):
    elsewhere = project.parent / "elsewhere"
    elsewhere.mkdir()
    (project / "out").symlink_to(elsewhere, target_is_directory=True)
    r = client.post("build")
    assert "out 指向项目文件夹之外" in r.text
    time.sleep(0.2)
    assert not list(elsewhere.iterdir())
    shutil.rmtree(project / "manuscript")
    (project / "manuscript").symlink_to(elsewhere, target_is_directory=True)
    r = client.post("report/upload", files={"report": ("a.md", b"# x\n", "text/markdown")})
    assert r.status_code == 422 and "指向项目文件夹之外" in r.text
    assert not list(elsewhere.iterdir())
    (elsewhere / "manuscript.md").write_text("# 外面的文件\n", encoding="utf-8")
    r = client.post("report/default")
    assert "指向项目文件夹之外" in r.text and "外面的文件" not in r.text
