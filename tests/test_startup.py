"""What a command loads: nothing it does not use."""
from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("reportlab", "pypdf", "pypdfium2", "docx", "fontTools", "rich", "markdown_it", "yaml", "pydantic")


def _modules_after(code: str, tmp_path) -> set[str]:
    env = {**os.environ, "CLOSURE_APP_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, env=env, check=True).stdout
    return {m.split(".")[0] for m in json.loads(out.splitlines()[-1])}


def test_help_loads_no_back_end(tmp_path):
    code = ("import contextlib, io\nfrom closure_app.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()): main(['--help'])")
    loaded = _modules_after(code, tmp_path)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_profile_loads_as_plain_data_once_seen(tmp_path):
    code = "from closure_app.profile import load_profile\np = load_profile()\nassert p.role('body').size_pt == 16"
    first = _modules_after(code, tmp_path)
    assert "yaml" in first and "pydantic" not in first      # parsed once
    warm = _modules_after(code, tmp_path)
    assert not warm & {"yaml", "pydantic", "reportlab"}, warm


def test_a_changed_profile_file_is_read_again(tmp_path, monkeypatch):
    from closure_app.profile import load_profile_file

    path = tmp_path / "p.yaml"
    base = ("name: x\ntitle: t\npages: {}\nroles: {}\n"
            "page_number: {family: 宋体, size: %s}\n")
    monkeypatch.setenv("CLOSURE_APP_CACHE_DIR", str(tmp_path / "cache"))
    path.write_text(base % "四号", encoding="utf-8")
    assert load_profile_file(path).page_number.size_pt == 14
    path.write_text(base % "三号", encoding="utf-8")
    assert load_profile_file(path).page_number.size_pt == 16
