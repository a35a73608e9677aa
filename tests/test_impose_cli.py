"""`closure-app impose` as a person runs it: summary line, errors, previews."""
from __future__ import annotations

from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5

import pytest

from closure_app.cli import main
from closure_app.commands.impose import page_ranges
from pdf_fixtures import numbered_pdf


def run(capsys, *args):
    code = main(["impose", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_impose_writes_the_booklet_and_says_what_it_did(tmp_path, capsys):
    src = tmp_path / "report.pdf"
    src.write_bytes(numbered_pdf(10, sizes={4: A5}))
    out = tmp_path / "report-a3.pdf"
    code, stdout, _ = run(capsys, src, "-o", out)
    assert code == 0
    assert len(PdfReader(out).pages) == 6
    assert stdout.strip() == (f"已拼版：10 页 → 3 张 A3（双面短边翻转），补空白页 2 页，"
                              f"第 4 页尺寸与半张 A3 不同，已缩放居中 → {out}")


def test_output_defaults_beside_the_input(tmp_path, capsys):
    src = tmp_path / "form.pdf"
    src.write_bytes(numbered_pdf(4))
    code, stdout, _ = run(capsys, src, "--duplex", "long")
    assert code == 0 and (tmp_path / "form-a3.pdf").exists()
    assert "长边翻转" in stdout and "无缩放" in stdout


def test_manual_duplex_prints_the_instruction(tmp_path, capsys):
    src = tmp_path / "form.pdf"
    src.write_bytes(numbered_pdf(8))
    code, stdout, _ = run(capsys, src, "-o", tmp_path / "b.pdf", "--manual-duplex")
    assert code == 0
    lines = stdout.strip().splitlines()
    assert "手动双面" in lines[0]
    assert lines[1].startswith("先单面打印 b-fronts.pdf") and "b-backs.pdf" in lines[1]


def test_preview_writes_one_png_per_sheet_side(tmp_path, capsys):
    src = tmp_path / "form.pdf"
    src.write_bytes(numbered_pdf(6))
    code, _, _ = run(capsys, src, "-o", tmp_path / "b.pdf", "--preview")
    assert code == 0
    pngs = sorted(p.name for p in (tmp_path / "b-preview").iterdir())
    assert pngs == ["sheet01-back.png", "sheet01-front.png", "sheet02-back.png", "sheet02-front.png"]
    with Image.open(tmp_path / "b-preview" / "sheet01-front.png") as im:
        assert im.width > im.height                        # landscape
        assert im.getpixel((im.width // 2, 0))[:3] == (220, 0, 0)   # the spine is drawn


def test_manual_duplex_preview_names_sheets_not_file_pages(tmp_path, capsys):
    src = tmp_path / "form.pdf"
    src.write_bytes(numbered_pdf(8))
    run(capsys, src, "-o", tmp_path / "b.pdf", "--manual-duplex", "--preview")
    pngs = sorted(p.name for p in (tmp_path / "b-preview").iterdir())
    assert pngs == ["sheet01-back.png", "sheet01-front.png", "sheet02-back.png", "sheet02-front.png"]


def test_missing_input_is_a_chinese_error(tmp_path, capsys):
    code, stdout, stderr = run(capsys, tmp_path / "absent.pdf", "-o", tmp_path / "o.pdf")
    assert code == 2
    assert stderr.strip().endswith(f"错误：找不到文件：{tmp_path / 'absent.pdf'}")
    assert not (tmp_path / "o.pdf").exists()


def test_not_a_pdf(tmp_path, capsys):
    src = tmp_path / "notes.pdf"
    src.write_text("只是文字")
    code, _, stderr = run(capsys, src, "-o", tmp_path / "o.pdf")
    assert code == 2 and "不是 PDF 文件" in stderr and "Traceback" not in stderr


def test_bad_options_are_usage_errors(tmp_path, capsys):
    src = tmp_path / "form.pdf"
    src.write_bytes(numbered_pdf(3))
    code, _, stderr = run(capsys, src, "-o", tmp_path / "o.pdf", "--duplex", "sideways")
    assert code == 2 and "short 或 long" in stderr
    code, _, stderr = run(capsys, src, "-o", tmp_path / "o.pdf", "--keep-last", "4")
    assert code == 2 and "--keep-last" in stderr
    assert not (tmp_path / "o.pdf").exists()


def test_output_may_not_overwrite_the_input(tmp_path, capsys):
    src = tmp_path / "form.pdf"
    src.write_bytes(numbered_pdf(3))
    code, _, stderr = run(capsys, src, "-o", src)
    assert code == 2 and "不能覆盖输入文件" in stderr
    assert len(PdfReader(src).pages) == 3


@pytest.mark.parametrize("pages,text", [
    ([4], "4"), ([1, 2, 3, 5], "1–3、5"), ([7, 8, 1], "1、7–8"), (list(range(1, 57)), "1–56"),
])
def test_scaled_pages_are_named_as_ranges(pages, text):
    assert page_ranges(pages) == text


def test_many_scaled_pages_make_a_short_summary(tmp_path, capsys):
    src = tmp_path / "a5.pdf"
    src.write_bytes(numbered_pdf(30, size=A5))
    code, stdout, _ = run(capsys, src, "-o", tmp_path / "o.pdf")
    assert code == 0 and "第 1–30 页尺寸与半张 A3 不同，已缩放居中" in stdout


def _as_program(tmp_path, *args):
    """`closure-app impose ...` as its own process; (exit code, stderr, modules it loaded)."""
    import json
    import subprocess
    import sys

    # The program ends its process itself (launch.leave), after the exit handlers.
    code = ("import atexit, sys, json\nfrom closure_app.launch import main\nsys.argv = ['closure-app', *sys.argv[1:]]\n"
            "atexit.register(lambda: print(json.dumps(sorted(sys.modules))))\nmain()")
    done = subprocess.run([sys.executable, "-c", code, "impose", *map(str, args)], capture_output=True,
                          text=True, cwd=tmp_path)
    return done.returncode, done.stderr, {m.split(".")[0] for m in json.loads(done.stdout.splitlines()[-1])}


def test_a_lone_imposition_loads_no_decryption_font_or_image_helpers(tmp_path):
    src = tmp_path / "report.pdf"
    src.write_bytes(numbered_pdf(6))
    rc, err, loaded = _as_program(tmp_path, src, "-o", tmp_path / "a3.pdf")
    assert rc == 0, err
    assert "pypdf" in loaded and not loaded & {"cryptography", "fontTools", "PIL", "pydantic"}, loaded
    assert len(PdfReader(tmp_path / "a3.pdf").pages) == 4
    rc, err, loaded = _as_program(tmp_path, src, "-o", tmp_path / "b.pdf", "--preview")   # previews: Pillow
    assert rc == 0 and (tmp_path / "b-preview").is_dir(), err


def test_an_encrypted_file_still_gets_the_decryption_helpers(tmp_path):
    import io

    from pypdf import PdfWriter

    for password, expect in (("", 0), ("secret", 2)):       # AES-128: an empty user password opens it
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(numbered_pdf(4))))
        writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
        src = tmp_path / f"locked-{bool(password)}.pdf"
        writer.write(src)
        rc, err, loaded = _as_program(tmp_path, src, "-o", tmp_path / f"out-{bool(password)}.pdf")
        assert rc == expect, err
        assert "cryptography" in loaded
        if password:
            assert "已加密" in err
        else:
            assert len(PdfReader(tmp_path / "out-False.pdf").pages) == 2
