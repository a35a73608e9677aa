"""What a user sees when an output path cannot be written: a Chinese message, exit 2, no leftovers."""
from __future__ import annotations

import errno

import pytest

from closure_app.cli import main
from closure_app.errors import file_error
from pdf_fixtures import numbered_pdf


def run(capsys, *args):
    code = main([*map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_file_error_names_the_file_and_the_reason_in_chinese():
    error = file_error(FileNotFoundError(errno.ENOENT, "No such file or directory", "/x/y.pdf"))
    assert error.exit_code == 2
    assert error.message == "无法读写 /x/y.pdf：路径不存在"


def test_file_error_on_a_rename_names_the_target_not_the_temporary_file():
    exc = OSError(errno.EISDIR, "Is a directory", "/out/.x.tmp", None, "/out/booklet")
    assert file_error(exc).message == "无法读写 /out/booklet：这是一个文件夹"


def test_file_error_keeps_an_unknown_reason():
    exc = OSError(errno.EIO, "Input/output error", "disk.pdf")
    assert file_error(exc).message == "无法读写 disk.pdf：Input/output error"


def test_impose_into_a_folder_says_so_and_leaves_no_temporary_file(tmp_path, capsys):
    src = tmp_path / "in.pdf"
    src.write_bytes(numbered_pdf(2))
    folder = tmp_path / "booklet"
    folder.mkdir()
    code, _, stderr = run(capsys, "impose", src, "-o", folder)
    assert code == 2
    assert stderr.strip().endswith(f"错误：无法读写 {folder}：这是一个文件夹")
    assert "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["booklet", "in.pdf"]


def test_impose_below_a_file_is_a_chinese_error(tmp_path, capsys):
    src = tmp_path / "in.pdf"
    src.write_bytes(numbered_pdf(2))
    code, _, stderr = run(capsys, "impose", src, "-o", src / "out.pdf")
    assert code == 2
    assert "错误：无法读写" in stderr and "Traceback" not in stderr


def test_init_below_a_file_is_a_chinese_error(tmp_path, capsys):
    blocker = tmp_path / "project"
    blocker.write_text("not a folder")
    code, _, stderr = run(capsys, "init", blocker)
    assert code == 2
    assert f"错误：无法读写 {blocker / 'forms'}：路径中有一段是文件而不是文件夹" in stderr
    assert blocker.read_text() == "not a folder"


def test_impose_of_a_file_it_cannot_read_exits_2_like_every_command(tmp_path, capsys):
    """README: exit 2 for a file that could not be read (check and validate already do so)."""
    folder = tmp_path / "scans.pdf"
    folder.mkdir()
    code, _, stderr = run(capsys, "impose", folder, "-o", tmp_path / "o.pdf")
    assert code == 2 and f"错误：{folder} 是文件夹，不是 PDF 文件" in stderr

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    code, _, stderr = run(capsys, "impose", broken, "-o", tmp_path / "o.pdf")
    assert code == 2 and "broken.pdf" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "o.pdf").exists()


def form_with_members(count: int) -> str:
    """The init template with ``count`` people before and after the change."""
    from closure_app.commands.validate import template_text

    people = "\n".join(f'    - {{姓名: 参与人{i:02d}, 单位: 中共通江县委党校第{i}教研室, 职称: 讲师, 联系电话: "135000000{i:02d}"}}'
                       for i in range(1, count + 1))
    text = template_text("application.yaml")
    members = "  原参与人员: []\n  现参与人员: []"
    assert members in text
    return text.replace(members, f"  原参与人员:\n{people}\n  现参与人员:\n{people}")


def form_with_a_cell_taller_than_a_page() -> str:
    """One participant whose 单位 runs to a thousand characters: a table row no page can hold."""
    return form_with_members(1).replace("中共通江县委党校第1教研室", "中共通江县委党校" * 120)


def test_a_block_taller_than_a_page_is_named_with_its_page():
    from closure_app.render.pdf.doc import too_tall

    error = too_tall("Flowable <Table@0x7F 62 rows x 9 cols> too large on page 4 in frame 'text'")
    assert error.exit_code == 1
    assert error.message.startswith("第 4 页：有一块内容比一页还高又不能拆开，无法排版")
    assert not too_tall("something else").message.startswith("第")


def test_a_cell_taller_than_a_page_is_refused_naming_its_box_and_no_output(tmp_path, capsys):
    """Before: reportlab's LayoutError traceback, then "有一块内容比一页还高" naming no field;
    now the form's own check refuses it first, naming the field and its box, in build as in validate."""
    form = tmp_path / "application.yaml"
    text = form_with_a_cell_taller_than_a_page()
    form.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "中共通江县委党校中共通江县委党校" in l)
    out = tmp_path / "out"
    expected = f"{form}:{line}:"
    box = "项目变更情况数据表.原参与人员第1项.单位：太长：一、项目变更情况数据表「原参与人员」的「单位」栏只能写 3 行"
    code, _, stderr = run(capsys, "build", "--form", form, "--out", out, "--no-check")
    assert code == 1 and expected in stderr and box in stderr and "Traceback" not in stderr
    assert not out.exists()
    code, _, stderr = run(capsys, "validate", "--form", form)
    assert code == 1 and expected in stderr and box in stderr


def test_a_failed_build_does_not_leave_an_empty_output_folder(tmp_path, capsys):
    """Before: a build that failed while typesetting left an empty out/ behind."""
    form = tmp_path / "application.yaml"
    form.write_text(form_with_a_cell_taller_than_a_page(), encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run(capsys, "build", "--form", form, "--out", out)
    assert code == 1 and "太长" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["application.yaml"]


def test_a_failed_build_keeps_an_output_folder_that_was_there(tmp_path, capsys):
    form = tmp_path / "application.yaml"
    form.write_text(form_with_a_cell_taller_than_a_page(), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert run(capsys, "build", "--form", form, "--out", out)[0] == 1
    assert out.is_dir()


def test_a_folder_given_as_a_source_is_called_a_folder(tmp_path, capsys):
    """Before: validate and build said 找不到文件 for a folder that plainly exists."""
    folder = tmp_path / "manuscript.md"
    folder.mkdir()
    code, _, stderr = run(capsys, "validate", "--manuscript", folder)
    assert code == 2 and f"{folder} 是文件夹，不是书稿文件" in stderr
    code, _, stderr = run(capsys, "build", "--manuscript", folder, "--out", tmp_path / "out")
    assert code == 2 and f"{folder} 是文件夹，不是源文件" in stderr



@pytest.mark.parametrize("content, message", [
    (b"\xe0\xff\xfe not text", "不是 UTF-8 编码的文本"),
    ("roles: [\n".encode("utf-8"), "不是有效的 YAML（第 2 行）"),
    (b"page: 3\n", "无效：name："),
])
def test_check_with_a_broken_profile_file_is_a_chinese_usage_error(tmp_path, capsys, content, message):
    """Before: a profile in GBK or with a YAML syntax error ended 'check' in a traceback."""
    profile = tmp_path / "mine.yaml"
    profile.write_bytes(content)
    target = tmp_path / "report.docx"
    target.write_bytes(b"")
    code, _, stderr = run(capsys, "check", target, "--profile", profile)
    assert code == 2
    assert f"错误：配置文件 {profile} {message}" in stderr and "Traceback" not in stderr
