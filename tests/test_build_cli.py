"""`closure-app build` as a user runs it: what lands in out/, what a failed build leaves behind."""
import json
import re
import zipfile
from pathlib import Path

import pytest

from closure_app.cli import main

ROOT = Path(__file__).resolve().parents[1]
EVERYTHING = {"application.pdf", "application.docx", "application-a3.pdf", "manuscript.pdf",
              "manuscript.docx", "check-report.txt", "check-report.json"}


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    """The sample built once with no options but --out, from the checkout's root."""
    out = tmp_path_factory.mktemp("out")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        assert main(["build", "--out", str(out)]) == 0
    return out


def test_build_writes_every_output_and_a_clean_check_report(sample_out):
    assert {p.name for p in sample_out.iterdir()} == EVERYTHING
    report = json.loads((sample_out / "check-report.json").read_text(encoding="utf-8"))
    assert report["exit_code"] == 0
    assert {Path(f["file"]).name for f in report["files"]} == EVERYTHING - {"check-report.txt", "check-report.json"}
    assert ".build-" not in (sample_out / "check-report.txt").read_text(encoding="utf-8")


def test_docx_toc_shows_the_pages_the_pdf_layout_found(sample_out):
    """The DOCX's cached TOC numbers come from the PDF layout of the same build."""
    import io

    from pypdf import PdfReader

    xml = zipfile.ZipFile(sample_out / "manuscript.docx").read("word/document.xml").decode("utf-8")
    toc_paras = re.findall(r'<w:p>(?:(?!</w:p>).)*?<w:pStyle w:val="TOC\d"/>.*?</w:p>', xml, re.S)
    docx_entries = [("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))) for p in toc_paras]
    assert docx_entries and all(re.search(r"\d+$", e) for e in docx_entries)
    reader = PdfReader(io.BytesIO((sample_out / "manuscript.pdf").read_bytes()))

    def outline(items, acc):
        for it in items:
            if isinstance(it, list):
                outline(it, acc)
            else:
                acc.append((it.title, reader.get_destination_page_number(it) + 1))
        return acc

    pdf_pages = {title: page for title, page in outline(reader.outline, [])}
    for entry in docx_entries:
        title, page = re.match(r"(.*?)(\d+)$", entry).groups()
        assert pdf_pages[title.strip()] == int(page), entry


def test_progress_and_fonts_are_shown(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["build", "--manuscript", "manuscript/manuscript.md", "--format", "pdf", "--no-check",
                 "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "[1/" in err and "排版 manuscript" in err
    assert "方正仿宋_GBK →" in out and "正文" in out
    assert {p.name for p in tmp_path.iterdir()} == {"manuscript.pdf"}


def test_only_the_manuscript_as_docx(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["build", "--manuscript", "manuscript/manuscript.md", "--format", "docx",
                 "--out", str(tmp_path)]) == 0
    assert {p.name for p in tmp_path.iterdir()} == {"manuscript.docx", "check-report.txt", "check-report.json"}


def test_a_failed_build_leaves_the_previous_outputs_intact(sample_out, tmp_path, monkeypatch, capsys):
    bad_form = tmp_path / "application.yaml"
    text = (ROOT / "forms" / "application.yaml").read_text(encoding="utf-8")
    bad_form.write_text(text.replace("BZ25ZC124", "XX-1"), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in sample_out.iterdir()}
    monkeypatch.chdir(ROOT)
    assert main(["build", "--form", str(bad_form), "--manuscript", "manuscript/manuscript.md",
                 "--out", str(sample_out)]) == 1
    assert "立项编号" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in sample_out.iterdir()} == before
    assert not list(sample_out.parent.glob(".build-*"))


def test_strict_without_the_mandated_fonts_fails_and_writes_nothing(tmp_path, monkeypatch, capsys):
    from closure_app.fonts import load_fontset
    from closure_app.profile import load_profile

    profile = load_profile()
    if all(load_fontset(profile).resolve(f).kind == "licensed" for f in profile.families()):
        pytest.skip("此机器装有全部要求的正版字体：--strict 不会失败")
    out = tmp_path / "out"
    monkeypatch.chdir(ROOT)
    assert main(["build", "--strict", "--out", str(out)]) == 1
    assert "替代" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_missing_source_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--manuscript", "nope.md"]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_characters_from_fallback_fonts_are_reported_with_their_place(tmp_path, monkeypatch, capsys):
    text = (ROOT / "manuscript" / "manuscript.md").read_text(encoding="utf-8")
    rare = tmp_path / "rare.md"
    rare.write_text(text.replace("科技兴则民族兴，科技强", "科技兴则民族兴，堃𠀀科技强", 1), encoding="utf-8")
    monkeypatch.chdir(ROOT)
    assert main(["build", "--manuscript", str(rare), "--format", "pdf", "--no-check",
                 "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"「堃」.*由 Noto Serif CJK SC 补字.*第 \d+ 行", out)
    assert re.search(r"「𠀀」.*由 HanaMinB 补字", out)


def test_a_character_no_font_has_fails_the_build_naming_it(tmp_path, monkeypatch, capsys):
    text = (ROOT / "manuscript" / "manuscript.md").read_text(encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text(text.replace("科技兴则民族兴，科技强", "科技兴则民族兴，\U0003134A科技强", 1), encoding="utf-8")
    monkeypatch.chdir(ROOT)
    assert main(["build", "--manuscript", str(bad), "--out", str(tmp_path / "out")]) == 1
    assert "U+3134A" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_outputs_get_the_mode_of_a_new_file(tmp_path, monkeypatch):
    import os
    import stat

    monkeypatch.chdir(ROOT)
    old = os.umask(0o022)
    try:
        assert main(["build", "--form", "forms/application.yaml", "--no-check", "--out", str(tmp_path)]) == 0
        assert main(["impose", str(tmp_path / "application.pdf"), "-o", str(tmp_path / "again-a3.pdf")]) == 0
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert set(modes.values()) == {0o644}, modes
