"""`closure-app serve` in a real browser: Playwright driving Debian's chromium (no download)."""
from __future__ import annotations

import io
import zipfile

import pytest

from serve_helpers import CHROMIUM, running_server, sample_project

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")

PHONE = "#f-项目变更情况数据表_现负责人_联系电话"
PHONE_MSG = "#err-项目变更情况数据表_现负责人_联系电话"
MEMBERS = '[data-list="项目变更情况数据表.现参与人员"]'


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.problems = problems
    yield page
    context.close()


def fill_member(page, row: int, values: dict[str, str]):
    for column, value in values.items():
        page.fill(f"#f-项目变更情况数据表_现参与人员_{row}_{column}", value)


def test_fill_in_save_build_and_download(page, tmp_path):
    project = sample_project(tmp_path / "proj")
    form = project / "forms/application.yaml"
    before = form.read_text(encoding="utf-8")
    with running_server(project) as (url, _):
        page.goto(url)
        assert page.title().startswith("结项申请书")

        # a bad phone number gets the CLI's Chinese message at that field as the user leaves it
        page.fill(PHONE, "12345")
        page.press(PHONE, "Tab")
        message = page.locator(PHONE_MSG)
        playwright_api.expect(message).to_contain_text("不是有效的电话号码（手机 13500000000，座机 0827-5221234）")
        playwright_api.expect(page.locator("#summary")).to_contain_text("1 处错误")
        page.fill(PHONE, "0827-5221234")
        page.press(PHONE, "Tab")
        playwright_api.expect(message).to_have_text("")
        playwright_api.expect(page.locator("#summary")).to_contain_text("表单有效")

        # 是否变更 否 greys out the change columns; 是 brings them back
        change_content = page.locator('[data-field="项目变更情况数据表.变更的内容"]')
        assert "inactive" in change_content.get_attribute("class")
        page.check('input[name="项目变更情况数据表.是否变更"][value="是"]')
        assert "inactive" not in change_content.get_attribute("class")
        page.check('input[name="项目变更情况数据表.是否变更"][value="否"]')
        assert "inactive" in change_content.get_attribute("class")

        # two participants, the second moved above the first; a third added and removed
        add = page.locator(f"{MEMBERS} button.add")
        add.click()
        fill_member(page, 0, {"姓名": "张三", "单位": "中共通江县委党校", "职称": "讲师", "联系电话": "13500000001"})
        add.click()
        fill_member(page, 1, {"姓名": "李四", "单位": "巴中市社科联", "职称": "副研究员", "联系电话": "999"})
        page.press("#f-项目变更情况数据表_现参与人员_1_联系电话", "Tab")
        playwright_api.expect(page.locator("#err-项目变更情况数据表_现参与人员_1_联系电话")).to_contain_text("不是有效的电话号码")
        page.fill("#f-项目变更情况数据表_现参与人员_1_联系电话", "0827-5221235")
        page.press("#f-项目变更情况数据表_现参与人员_1_联系电话", "Tab")
        playwright_api.expect(page.locator("#err-项目变更情况数据表_现参与人员_1_联系电话")).to_have_text("")
        page.locator(f"{MEMBERS} tbody tr").nth(1).locator("button.up").click()
        add.click()
        assert page.locator(f"{MEMBERS} tbody tr").count() == 3
        page.locator(f"{MEMBERS} tbody tr").nth(2).locator("button.remove").click()
        assert page.locator(f"{MEMBERS} tbody tr").count() == 2
        assert page.input_value("#f-项目变更情况数据表_现参与人员_0_姓名") == "李四"

        # unsaved: building waits, closing warns
        assert page.evaluate("closureApp.isDirty()") is True
        assert page.is_disabled("#build-button")

        page.click("#save")
        playwright_api.expect(page.locator("#save-status")).to_contain_text("已于")
        assert page.evaluate("closureApp.isDirty()") is False

        text = form.read_text(encoding="utf-8")
        assert "联系电话: 0827-5221234" in text
        members = text[text.index("  现参与人员:"):]
        assert members.index("李四") < members.index("张三")
        comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
        assert all(c in text.splitlines() for c in comments)
        assert "立项编号: BZ25ZC124          # BZ + 两位年份 + 两个大写字母 + 三位数字" in text
        from closure_app.sources.form import load_form

        saved = load_form(form).form
        assert [(m.name, m.unit, m.title, m.phone) for m in saved.changes.new_members] == [
            ("李四", "巴中市社科联", "副研究员", "0827-5221235"), ("张三", "中共通江县委党校", "讲师", "13500000001")]
        assert saved.changes.new_leader.phone == "0827-5221234"
        assert (project / "forms/application.yaml.bak").read_text(encoding="utf-8") == before

        # a second save goes through: the page now holds the version it wrote
        page.fill("#f-项目类别", "重点课题")
        page.press("#f-项目类别", "Tab")
        with page.expect_response(lambda r: r.url.endswith("/save")) as response:
            page.click("#save")
        assert response.value.status == 200
        playwright_api.expect(page.locator("#save-status")).to_contain_text("已于")
        assert "项目类别: 重点课题" in form.read_text(encoding="utf-8")

        # the report: a Markdown upload shows its outline; the sample comes back with one click
        upload = tmp_path / "报告.md"
        upload.write_text((project / "manuscript/manuscript.md").read_text(encoding="utf-8")
                          .replace("# 第一章 绪论", "# 第一章 导论"), encoding="utf-8")
        page.set_input_files("#report-file", str(upload))
        playwright_api.expect(page.locator("#report")).to_contain_text("报告.md（已存为 manuscript/uploaded-report.md）")
        playwright_api.expect(page.locator('#report .outline li[data-level="1"]').first).to_contain_text("第一章 导论")
        assert page.locator('#report .outline li[data-level="2"]').count() > 0
        page.click("#report button")
        playwright_api.expect(page.locator("#report")).to_contain_text("当前报告：manuscript/manuscript.md")

        # build from the page: progress per stage, then previews of every PDF
        page.click("#build-button")
        playwright_api.expect(page.locator("#build.state-done")).to_be_visible(timeout=120_000)
        assert page.locator("#build .steps li").count() == 5
        previews = page.locator("#build .preview")
        pdfs = sorted(p.name for p in (project / "out").glob("*.pdf"))
        assert sorted(previews.nth(i).get_attribute("data-pdf") for i in range(previews.count())) == pdfs
        for i in range(previews.count()):
            first = previews.nth(i).locator("img").first
            first.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())

        # every output in the zip, byte for byte
        with page.expect_download() as download:
            page.click("#zip")
        archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
        outputs = sorted(p.name for p in (project / "out").iterdir())
        assert sorted(archive.namelist()) == outputs
        assert {"application.pdf", "application-a3.pdf", "manuscript.pdf", "manuscript.docx",
                "application.docx", "check-report.txt", "check-report.json"} <= set(outputs)
        for name in outputs:
            assert archive.read(name) == (project / "out" / name).read_bytes()
    assert page.problems == [], page.problems


def test_a_file_changed_on_disk_is_not_overwritten_and_reload_shows_it(page, tmp_path):
    project = sample_project(tmp_path / "proj")
    form = project / "forms/application.yaml"
    with running_server(project) as (url, _):
        page.goto(url)
        edited = form.read_text(encoding="utf-8").replace("项目类别: 自筹课题", "项目类别: 重点课题")
        form.write_text(edited, encoding="utf-8")
        page.fill("#f-所在单位", "巴中市社科联")
        page.click("#save")
        playwright_api.expect(page.locator("#save-status")).to_contain_text("已在磁盘上被修改")
        assert form.read_text(encoding="utf-8") == edited
        page.click("#reload")
        playwright_api.expect(page.locator("#f-项目类别")).to_have_value("重点课题")
        assert page.input_value("#f-所在单位") == "中共通江县委党校"


def test_an_unsaved_page_warns_before_it_is_closed(page, tmp_path):
    project = sample_project(tmp_path / "proj")
    with running_server(project) as (url, _):
        page.goto(url)
        page.fill("#f-项目类别", "重点课题")
        dialogs = []

        def on_dialog(dialog):
            dialogs.append(dialog.type)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.close(run_before_unload=True)
        page.wait_for_timeout(300)
        assert dialogs == ["beforeunload"]
