"""What a user sees when an output path cannot be written: a Chinese message, exit 2, no leftovers."""
from __future__ import annotations

import errno

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
