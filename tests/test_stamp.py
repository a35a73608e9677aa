"""Content-hash stamps: an unchanged rebuild writes nothing; a changed report rebuilds the report only."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from closure_app.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _times(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted(out.iterdir())}


@pytest.fixture
def project(tmp_path):
    form, md = tmp_path / "application.yaml", tmp_path / "manuscript.md"
    shutil.copy(ROOT / "forms" / "application.yaml", form)
    shutil.copy(ROOT / "manuscript" / "manuscript.md", md)
    return form, md, tmp_path / "out"


def _build(capsys, form, md, out, *extra) -> tuple[int, str]:
    code = main(["build", "--form", str(form), "--manuscript", str(md), "--out", str(out), *extra])
    return code, capsys.readouterr().out


def test_unchanged_rebuild_writes_nothing_and_says_so(project, capsys):
    form, md, out = project
    assert _build(capsys, form, md, out)[0] == 0
    before = _times(out)
    code, said = _build(capsys, form, md, out)
    assert code == 0 and "未写入任何文件" in said
    assert _times(out) == before


def test_a_changed_paragraph_rebuilds_only_its_document(project, capsys):
    form, md, out = project
    assert _build(capsys, form, md, out)[0] == 0
    before = _times(out)
    text = md.read_text(encoding="utf-8")
    md.write_text(text.replace("科技强则国家强", "科技强则国家更强", 1), encoding="utf-8")
    code, said = _build(capsys, form, md, out)
    assert code == 0 and "未改变，未重新生成：application" in said
    after = _times(out)
    for name in ("application.pdf", "application.docx", "application-a3.pdf"):
        assert after[name] == before[name], name
    for name in ("manuscript.pdf", "manuscript.docx", "check-report.txt", "check-report.json"):
        assert after[name] != before[name], name
    report = json.loads((out / "check-report.json").read_text(encoding="utf-8"))
    assert [Path(f["file"]).name for f in report["files"]] == [
        "application.pdf", "application.docx", "application-a3.pdf", "manuscript.pdf", "manuscript.docx"]
    import pypdf
    assert "国家更强" in "".join(p.extract_text() for p in pypdf.PdfReader(out / "manuscript.pdf").pages[:8])


@pytest.mark.parametrize("change", ["delete an output", "touch an output", "other options"])
def test_outputs_touched_or_options_changed_rebuild(project, capsys, change):
    form, md, out = project
    assert _build(capsys, form, md, out)[0] == 0
    extra = []
    if change == "delete an output":
        (out / "application.docx").unlink()
    elif change == "touch an output":
        (out / "manuscript.pdf").write_bytes((out / "manuscript.pdf").read_bytes() + b"\n")
    else:
        extra = ["--booklet", "none"]
    code, said = _build(capsys, form, md, out, *extra)
    assert code == 0 and "未写入任何文件" not in said
    assert (out / "application.docx").is_file()


def test_unchanged_rebuild_is_answered_before_the_command_line_library_loads(project, capsys, tmp_path):
    import os
    import subprocess
    import sys

    form, md, out = project
    assert _build(capsys, form, md, out)[0] == 0
    code = ("import sys\nfrom closure_app.launch import main\n"
            f"rc = main(['build', '--form', {str(form)!r}, '--manuscript', {str(md)!r}, '--out', {str(out)!r}])\n"
            "print('loaded:', sorted(m for m in ('typer', 'reportlab', 'pydantic', 'yaml') if m in sys.modules))\n"
            "sys.exit(rc)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    assert res.returncode == 0, res.stderr
    assert "未写入任何文件" in res.stdout and "loaded: []" in res.stdout
    md.write_text(md.read_text(encoding="utf-8") + "\n结语段落。\n", encoding="utf-8")
    from closure_app.stamp import quick_unchanged
    assert quick_unchanged(["--form", str(form), "--manuscript", str(md), "--out", str(out)]) is None
    assert quick_unchanged(["--out", str(out), "--unknown-option"]) is None
