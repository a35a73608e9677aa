"""`closure-app check DIR --report-dir R`: every DOCX and PDF under a folder, on all cores; one bad
file never stops the batch; the office's summary (HTML opened in a real browser, CSV with a BOM,
JSON, JUnit) shows every file, and each failing DOCX gets a copy with a comment at every finding."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import real_files as rf
from check_fixtures import build_docx
from closure_app.check import batch
from closure_app.check.batch import check_many, collect
from closure_app.check.summary import Entry, Summary, status
from closure_app.profile import load_profile

PROFILE = load_profile()
CHROMIUM = Path("/usr/bin/chromium")
APP = (sys.executable, "-m", "closure_app")
pytestmark = pytest.mark.skipif(rf.FONT is None, reason="no TrueType CJK font in fonts/open/ or WenQuanYi")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """What an office receives: good and bad reports from two counties, a broken file, a lock file."""
    root = tmp_path_factory.mktemp("inbox")
    a, b = root / "通江县", root / "南江县" / "第二批"
    a.mkdir()
    b.mkdir(parents=True)
    build_docx(a / "合格.docx", PROFILE)
    build_docx(a / "二级标题用黑体.docx", PROFILE, breaks=frozenset({"h2_heiti"}))
    build_docx(b / "正文小三.docx", PROFILE, breaks=frozenset({"body_xiaosan"}))
    rf.quartz_pdf(a, PROFILE)
    rf.songti_pdf(b, PROFILE)
    rf.letter_pdf(b, PROFILE)
    (b / "损坏.pdf").write_bytes(b"%PDF-1.7\n this is not a PDF")
    (a / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))   # Word 97-2003
    (a / "~$合格.docx").write_bytes(b"lock")                      # Word's owner file
    (root / ".hidden").mkdir()
    build_docx(root / ".hidden" / "x.docx", PROFILE)
    (root / "说明.txt").write_text("不是报告", encoding="utf-8")
    return root


EXPECTED = {  # file -> status a careful reviewer gives it
    "南江县/第二批/letter.pdf": "fail",
    "南江县/第二批/songti-thesis.pdf": "fail",
    "南江县/第二批/损坏.pdf": "could-not-check",
    "南江县/第二批/正文小三.docx": "fail",
    "通江县/quartz-founder.pdf": "pass",
    "通江县/旧版.doc": "could-not-check",
    "通江县/二级标题用黑体.docx": "fail",
    "通江县/合格.docx": "pass",
}


def test_collect_walks_folders_and_skips_lock_and_hidden_files(inbox):
    jobs = collect([inbox, inbox / "通江县" / "合格.docx", inbox / "没有这个.pdf"])
    names = [j.name for j in jobs]
    assert names[:len(EXPECTED)] == sorted(EXPECTED)
    assert names[len(EXPECTED):] == [(inbox / "没有这个.pdf").as_posix()]   # kept: reported as unreadable


def test_parallel_and_serial_give_the_same_reports_in_order(inbox):
    paths = [j.path for j in collect([inbox])]
    parallel = check_many(paths, PROFILE, jobs=2)
    serial = check_many(paths, PROFILE, jobs=1)
    assert [r.file for r in parallel] == [str(p) for p in paths]
    assert [(r.file, r.findings, r.could_not_check) for r in parallel] == \
           [(r.file, r.findings, r.could_not_check) for r in serial]
    assert {j.name: status(r) for j, r in zip(collect([inbox]), parallel)} == EXPECTED


def test_a_checker_bug_or_a_dying_worker_costs_one_file_only(inbox, monkeypatch):
    paths = [j.path for j in collect([inbox])]
    real = batch.check_file

    def flaky(path, profile, **kw):
        if path.name == "合格.docx":
            raise RuntimeError("boom")
        if path.name == "letter.pdf":
            os._exit(3)                       # a crash in a native library
        return real(path, profile, **kw)

    monkeypatch.setattr(batch, "check_file", flaky)   # workers are forked: they see it too
    reports = {Path(r.file).name: r for r in check_many(paths, PROFILE, jobs=2)}
    assert len(reports) == len(paths)
    assert "RuntimeError" in reports["合格.docx"].could_not_check
    assert "意外退出" in reports["letter.pdf"].could_not_check
    assert reports["songti-thesis.pdf"].exit_code == 1 and reports["quartz-founder.pdf"].exit_code == 0


@pytest.fixture(scope="module")
def report_dir(inbox, tmp_path_factory) -> tuple[Path, tuple[int, str]]:
    out = tmp_path_factory.mktemp("summary")
    done = subprocess.run([*APP, "check", str(inbox), "--report-dir", str(out), "--jobs", "2"],
                          capture_output=True, text=True, timeout=300)
    return out, (done.returncode, done.stdout + done.stderr)


def test_cli_batch_writes_every_summary_and_exits_2_for_the_unreadable_file(report_dir):
    out, (code, output) = report_dir
    assert code == 2, output
    assert "共检查 8 个文件" in output and "summary.html" in output and "2 个文件无法检查" in output
    assert sorted(p.name for p in out.iterdir()) == ["annotated", "junit.xml", "summary.csv", "summary.html",
                                                      "summary.json"]


def test_summary_json_and_csv(report_dir):
    out, _ = report_dir
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {r["file"]: r["status"] for r in data["results"]} == EXPECTED
    assert data["by_status"] == {"fail": 4, "could-not-check": 2, "warn": 0, "pass": 2}
    [old] = [r for r in data["results"] if r["file"].endswith(".doc")]
    assert "另存为" in old["could_not_check"]
    rules = {r["rule"]: r for r in data["rules"]}
    assert rules["font-family"]["clause"].startswith("《结项申请书》填表说明第三条")
    assert rules["page-size"]["files"] == 1
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                       # the BOM Excel needs
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["文件"] for r in rows} == set(EXPECTED)
    letter = [r for r in rows if r["文件"].endswith("letter.pdf")]
    assert [(r["规则"], r["级别"], r["结果"]) for r in letter] == [("page-size", "违规", "不合格")]


def test_junit_has_one_testcase_per_file(report_dir):
    out, _ = report_dir
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == set(EXPECTED)
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("8", "4", "2")
    assert cases["通江县/合格.docx"].find("failure") is None
    assert cases["南江县/第二批/损坏.pdf"].find("error") is not None
    assert cases["南江县/第二批/letter.pdf"].find("failure").get("type") == "page-size"


def comments(docx_path: Path) -> list[str]:
    with zipfile.ZipFile(docx_path) as z:
        xml = z.read("word/comments.xml").decode("utf-8")
    root = ET.fromstring(xml)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return ["".join(t.text or "" for t in c.iter(f"{w}t")) for c in root.iter(f"{w}comment")]


def test_each_failing_docx_has_an_annotated_copy_with_a_comment_per_finding(report_dir, inbox):
    out, _ = report_dir
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    failing_docx = [r for r in data["results"] if r["status"] == "fail" and r["file"].endswith(".docx")]
    assert len(failing_docx) == 2 and len(list((out / "annotated").iterdir())) == 2
    for r in failing_docx:
        copy = out / r["annotated"]
        texts = comments(copy)
        assert len(texts) == len(r["findings"])
        for f, text in zip(r["findings"], texts):
            assert f["message"] in text and f["rule"] in text
    assert (inbox / "通江县" / "二级标题用黑体.docx").read_bytes()[:2] == b"PK"   # the original untouched


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装")
def test_libreoffice_opens_the_annotated_copy_with_its_comments_on_their_paragraphs(report_dir, tmp_path):
    out, _ = report_dir
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    [entry] = [r for r in data["results"] if r["file"] == "通江县/二级标题用黑体.docx"]
    src = out / entry["annotated"]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(tmp_path / (src.stem + ".odt")) as z:
        content = z.read("content.xml").decode("utf-8")
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
    body = ET.fromstring(content).find("office:body/office:text", ns)
    found = []
    for block in body.iter():                # paragraphs (text:p) and headings (text:h), in order
        if block.tag not in (f"{{{ns['text']}}}p", f"{{{ns['text']}}}h"):
            continue
        for ann in block.iter(f"{{{ns['office']}}}annotation"):
            note = "".join(ann.itertext())
            own = "".join(block.itertext()).replace(note, "")
            found.append((own, note))
    assert len(found) == len(entry["findings"]) == 2
    for (own, note), f in zip(found, entry["findings"]):
        assert f["message"] in note
        opening = re.search(r"「(.*?)…?」", f["place"]).group(1)
        assert own.startswith(opening)                      # anchored on the paragraph it names


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium 未安装")
def test_summary_html_in_a_real_browser_shows_every_file_and_sorts(report_dir):
    sync_api = pytest.importorskip("playwright.sync_api")
    out, _ = report_dir
    requests = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True)
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto((out / "summary.html").as_uri())
        rows = page.locator("#files tbody tr")
        assert rows.count() == len(EXPECTED)
        assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.file)")) == sorted(EXPECTED)
        assert page.locator("#files tbody tr.pass, #files tbody tr[data-status=pass]").count() == 2
        page.click("#files th:has-text('违规')")
        page.click("#files th:has-text('违规')")                 # descending: the most violations first
        first = rows.first.get_attribute("data-file")
        assert first == "南江县/第二批/songti-thesis.pdf"
        details = rows.first.locator("details")
        assert not details.locator("li").first.is_visible()
        details.locator("summary").click()
        assert details.locator("li").first.is_visible()
        assert "SimSun" in details.inner_text()
        page.check("#only-failing")
        assert page.locator("#files tbody tr:visible").count() == len(EXPECTED) - 2
        assert page.locator("#rules tbody tr").count() >= 4
        browser.close()
    assert all(u.startswith("file://") for u in requests)          # nothing from the network


def test_summary_of_no_files_is_a_page_too():
    from closure_app.check.summary_html import to_html
    html = to_html(Summary([], "bazhong", 0.0))
    assert "共检查 0 个文件" in html


def test_entry_counts_and_status():
    from closure_app.check.findings import CheckFinding, CheckReport
    warn = CheckReport("a.pdf", "report", [CheckFinding("font-substitute", "m", "p", severity="warning")])
    assert status(warn) == "warn" and Entry("a.pdf", warn).counts() == {"error": 0, "warning": 1, "info": 0}
    assert status(CheckReport("b.pdf", "report", [], "坏了")) == "could-not-check"


def test_rule_ids_are_stable_and_each_names_its_clause():
    from closure_app.check.findings import CLAUSES, RULES
    # Spreadsheets and CI jobs key on these ids: renaming one is a breaking change.
    assert {"font-family", "font-size", "font-bold", "theme-font", "heading-style", "unknown-font", "page-size",
            "page-margin", "font-embedded", "font-substitute", "booklet-page-size", "booklet-page-count",
            "could-not-check"} <= set(RULES)
    assert set(CLAUSES) == set(RULES)
    assert all("填表说明第" in CLAUSES[r] for r in RULES if r not in ("page-margin", "could-not-check"))


def test_a_file_that_takes_too_long_is_given_up_and_the_batch_goes_on(inbox, monkeypatch):
    import time
    paths = [j.path for j in collect([inbox])]
    real = batch.check_file

    def slow(path, profile, **kw):
        if path.name == "合格.docx":
            time.sleep(30)
        return real(path, profile, **kw)

    monkeypatch.setattr(batch, "check_file", slow)
    monkeypatch.setattr(batch, "FILE_TIMEOUT_S", 1.0)
    started = time.perf_counter()
    reports = {Path(r.file).name: r for r in check_many(paths, PROFILE, jobs=2)}
    assert time.perf_counter() - started < 20
    assert "超过 1 秒" in reports["合格.docx"].could_not_check
    assert reports["quartz-founder.pdf"].exit_code == 0


def test_a_finding_without_a_paragraph_is_commented_on_the_first_one(tmp_path):
    import docx

    from closure_app.check.annotate import annotate_docx
    from closure_app.check.findings import CheckFinding
    src = build_docx(tmp_path / "r.docx", PROFILE)
    findings = [CheckFinding("page-size", "纸张应为 A4", "第 1 节", "210×297 mm（A4）", "216×279 mm（Letter（美国信纸））"),
                CheckFinding("font-size", "正文字号应为三号（16pt）", "第 4 段「科技」", "三号（16pt）", "小三（15pt）",
                             paragraph=4)]
    assert annotate_docx(src, tmp_path / "out.docx", findings) == 2
    d = docx.Document(str(tmp_path / "out.docx"))
    texts = comments(tmp_path / "out.docx")
    assert texts[0].startswith("【违规】第 1 节：纸张应为 A4") and "Letter" in texts[0]
    assert texts[1].startswith("【违规】正文字号应为三号")
    body = d.element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    anchored = [i for i, p in enumerate(body.iter(f"{w}p"), start=1) if p.find(f"{w}commentRangeStart") is not None]
    assert anchored == [1, 4]


def test_a_report_folder_inside_the_inbox_is_not_checked_next_time(inbox, tmp_path):
    box = tmp_path / "收件"
    shutil.copytree(inbox / "通江县", box)
    for _ in range(2):
        done = subprocess.run([*APP, "check", str(box), "--report-dir", str(box / "汇总"), "--jobs", "2"],
                              capture_output=True, text=True, timeout=300)
        data = json.loads((box / "汇总" / "summary.json").read_text(encoding="utf-8"))
        assert [r["file"] for r in data["results"]] == ["quartz-founder.pdf", "二级标题用黑体.docx", "合格.docx",
                                                        "旧版.doc"], done.stdout + done.stderr
