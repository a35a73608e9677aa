"""The form read back from Word: our own DOCX, hand-filled copies, and a form typed as paragraphs."""
import datetime as dt
import subprocess
import sys
import zipfile

import pytest
from form_docx_fixtures import filled_by_hand, typed_as_paragraphs

from closure_app.errors import InvalidInput
from closure_app.sources.docx_form import load_form_docx, read_form_docx
from closure_app.sources.form import load_form
from closure_app.sources.form_writer import form_yaml


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("form")
    from closure_app.commands.build import BuildPlan, Booklet, Format, Progress, run_build
    run_build(BuildPlan(__import__("pathlib").Path("forms/application.yaml"), None, out, Format.docx,
                        Booklet.none, check=False), Progress(3, quiet=True))
    return out / "application.docx"


def test_our_form_docx_reads_back_to_the_same_model(built):
    assert load_form_docx(built).form == load_form("forms/application.yaml").form


def test_import_writes_the_commented_yaml_init_writes(built, tmp_path):
    text = form_yaml(read_form_docx(built).data)
    assert text == open("forms/application.yaml", encoding="utf-8").read()


def test_hand_filled_answers_ticks_dates_and_added_rows(built, tmp_path):
    form = load_form_docx(filled_by_hand(built, tmp_path / "f.docx")).form
    assert (form.declaration.sensitive, form.declaration.classified) == ("否", "否")
    assert form.changes.changed == "是"
    assert form.changes.planned_finish == dt.date(2025, 9, 30)
    assert form.changes.actual_finish == dt.date(2025, 10, 1)
    assert form.filled_on == dt.date(2025, 10, 15)
    assert [(m.name, m.unit, m.title, m.phone) for m in form.changes.new_members] == [
        ("张三", "中共通江县委党校", "讲师", "13500000001"), ("李四", "巴中市社科联", "副研究员", "0827-5221234")]


@pytest.mark.parametrize("mark, chosen", [
    ("√是　□否", "是"), ("□是　✔否", "否"), ("☑是 ☐否", "是"), ("是 ●否", "否"), ("是✓　否", "是"),
])
def test_ticks_as_people_make_them(built, tmp_path, mark, chosen):
    form = load_form_docx(filled_by_hand(built, tmp_path / "f.docx", sensitive=mark)).form
    assert form.declaration.sensitive == chosen


@pytest.mark.parametrize("mark, chosen", [("strike", "否"), ("highlight", "是")])
def test_a_struck_option_leaves_the_other_and_a_highlighted_one_is_the_choice(built, tmp_path, mark, chosen):
    import docx
    from form_docx_fixtures import replace_paragraph
    path = filled_by_hand(built, tmp_path / "f.docx")
    d = docx.Document(str(path))
    replace_paragraph(d, "成果是否涉密", "成果是否涉密：是　否", **{mark: "是"})
    d.save(str(path))
    assert load_form_docx(path).form.declaration.classified == chosen


@pytest.mark.parametrize("written", ["2025年10月15日", "2025.10.15", "2025-10-15", "2025/10/15", "2025 年 10 月 15 日"])
def test_dates_in_every_format(built, tmp_path, written):
    form = load_form_docx(filled_by_hand(built, tmp_path / "f.docx", filed=written)).form
    assert form.filled_on == dt.date(2025, 10, 15)


def test_an_unreadable_choice_and_a_blank_answer_are_named_at_their_cell(built, tmp_path):
    import docx
    from form_docx_fixtures import set_cell
    path = filled_by_hand(built, tmp_path / "f.docx", changed="□A、是　□B、否")
    d = docx.Document(str(path))
    set_cell(d, "项目类别", "")
    d.save(str(path))
    with pytest.raises(InvalidInput) as exc:
        load_form_docx(path)
    text = str(exc.value)
    assert "项目变更情况数据表「是否变更」一格" in text and "看不出选了" in text
    assert "封面「项目类别」一栏" in text and "不能为空" in text


def test_a_form_typed_as_paragraphs_with_spaced_labels(tmp_path):
    form = load_form_docx(typed_as_paragraphs(tmp_path / "typed.docx")).form
    assert (form.project_id, form.category, form.leader, form.unit) == ("BZ24ZC007", "重点课题", "王五", "巴中市委党校")
    assert form.filled_on == dt.date(2025, 11, 20)
    assert (form.declaration.sensitive, form.declaration.classified, form.changes.changed) == ("否", "否", "否")
    assert form.unit_review.opinion == "同意报送。" and form.unit_review.date == dt.date(2025, 11, 21)


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "closure_app", *args], capture_output=True, text=True, cwd=cwd)


def test_validate_and_import_accept_the_word_form(built, tmp_path):
    r = cli("validate", "--form", str(built))
    assert r.returncode == 0 and "有效" in r.stdout
    target = tmp_path / "application.yaml"
    assert cli("import", str(built), "-o", str(target)).returncode == 0
    again = cli("import", str(built), "-o", str(target))
    assert again.returncode == 2 and "--force" in again.stderr
    assert load_form(target).form == load_form("forms/application.yaml").form


def test_a_hostile_form_package_gets_the_safe_reading_rules(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b" " * (300 * 1024 * 1024))
    r = cli("validate", "--form", str(bomb))
    assert r.returncode == 2 and "Traceback" not in r.stderr and "压缩" in r.stderr
    xxe = tmp_path / "xxe.docx"
    with zipfile.ZipFile(xxe, "w") as z:
        z.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
    r = cli("validate", "--form", str(xxe))
    assert r.returncode == 2 and "Traceback" not in r.stderr and "DOCTYPE" in r.stderr


def test_check_reports_a_word_forms_unreadable_answer_at_its_cell(built, tmp_path):
    from closure_app.check import check_file
    from closure_app.profile import load_profile
    profile = load_profile()
    assert check_file(built, profile).findings == []
    report = check_file(filled_by_hand(built, tmp_path / "f.docx", changed="□A、是　□B、否"), profile)
    [f] = report.findings
    assert (f.rule, f.place, f.severity) == ("form-answer", "项目变更情况数据表「是否变更」一格", "error")
    assert report.exit_code == 1


def test_the_checkers_reading_of_the_answers_is_the_files_own(built, tmp_path):
    """The checker hands the form reader the file it has read for the fonts: the answers'
    findings are those of reading the file again, for a clean form and for faulty ones."""
    from closure_app.check.docx_check import form_answers
    from closure_app.ooxml import read_docx

    faulty = [filled_by_hand(built, tmp_path / "a.docx", changed="□A、是　□B、否"),
              filled_by_hand(built, tmp_path / "b.docx", filed="2019年13月40日")]
    for path in [built, *faulty]:
        assert form_answers(path, read_docx(path)) == form_answers(path)
    assert all(form_answers(p, read_docx(p)) for p in faulty)     # the faults are still found


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice（soffice）未安装")
def test_a_form_filled_and_saved_again_by_libreoffice_reads_the_same(built, tmp_path):
    """Answers typed in, then the file opened and saved by LibreOffice (as a user of LibreOffice
    or WPS hands it in): the same model as the file before."""
    filled = filled_by_hand(built, tmp_path / "filled.docx")
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(filled)],
                   check=True, capture_output=True, timeout=300)
    assert load_form_docx(out / "filled.docx").form == load_form_docx(filled).form


@pytest.mark.parametrize("how, joined", [
    ("two paragraphs", "巴中市科技创新与产业创新融合发展研究 of new quality"),
    ("line break", "巴中市科技创新与产业创新 融合发展研究 of new quality")])
def test_a_project_name_typed_on_two_lines(built, tmp_path, how, joined):
    """项目名称 typed on two lines with Enter reads as the one name, no space between Chinese
    characters; a line break inside one paragraph reads as the space it stands for (our own
    DOCX sets a long value on two lines that way)."""
    import docx
    from form_docx_fixtures import _cell_with
    path = filled_by_hand(built, tmp_path / "f.docx")
    d = docx.Document(str(path))
    cell = _cell_with(d, "立项项目名称")
    for p in cell.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    p = cell.paragraphs[0]
    for r in list(p.runs):
        r._r.getparent().remove(r._r)
    first = p.add_run("巴中市科技创新与产业创新")
    if how == "line break":
        first.add_break()
        p.add_run("融合发展研究 of new quality")
    else:
        cell.add_paragraph("融合发展研究 of new quality")
    d.save(str(path))
    form = load_form_docx(path).form
    assert form.changes.approved_name == joined
