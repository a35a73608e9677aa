"""`closure-app validate` runs the build's glyph check, on a machine with only the shipped fonts.

A character no font has fails validate (as it would fail the build), named with its line; a
character drawn from a fallback font is a warning.
"""
import shutil
from pathlib import Path

import pytest

from closure_app.cli import main

ROOT = Path(__file__).resolve().parents[1]
NO_FONT = "\U0003134A"   # Extension G: outside every shipped repertoire
ROCKET = "🚀"
RARE = "堃"               # not in the shipped 仿宋, drawn by a fallback font


@pytest.fixture(scope="module")
def font_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("font-cache")


@pytest.fixture
def project(tmp_path, monkeypatch, font_cache) -> Path:
    """A copy of the sample as the current folder; no system fonts, a cache shared by these tests."""
    system = tmp_path / "system-fonts"
    system.mkdir()
    monkeypatch.setenv("CLOSURE_APP_FONT_DIRS", str(system))
    monkeypatch.setenv("CLOSURE_APP_CACHE_DIR", str(font_cache))
    for folder, name in (("forms", "application.yaml"), ("manuscript", "manuscript.md")):
        (tmp_path / folder).mkdir()
        shutil.copy(ROOT / folder / name, tmp_path / folder / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in the file; the line (1-based) where it was."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def test_the_sample_has_no_glyph_findings(project, capsys):
    assert main(["validate"]) == 0
    captured = capsys.readouterr()
    assert "警告" not in captured.out and captured.err == ""


def test_a_character_no_font_has_in_the_manuscript_fails_with_its_line(project, capsys):
    line = edit(project / "manuscript" / "manuscript.md", "国内外研究综述", f"国内外{NO_FONT}研究综述")
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert f"错误 manuscript/manuscript.md:{line}:11 「{NO_FONT}」(U+3134A)：" in err   # 1.2 国内外 + the character
    assert "所有字体都没有此字，无法排版" in err and f"国内外{NO_FONT}研究" in err
    assert "书稿 manuscript/manuscript.md：无效" in err
    assert "错误：书稿 manuscript/manuscript.md 有 1 处错误" in err


def test_an_emoji_in_a_chapter_heading_is_named_at_the_heading_once(project, capsys):
    """Before: the error quoted the contents' copy of the heading with digits: 「第一章 绪论 🚀01234567…」."""
    line = edit(project / "manuscript" / "manuscript.md", "# 第一章 绪论\n", f"# 第一章 绪论 {ROCKET}\n")
    assert main(["validate", "--manuscript", "manuscript/manuscript.md"]) == 1
    err = capsys.readouterr().err
    assert f"错误 manuscript/manuscript.md:{line}:10 「{ROCKET}」(U+1F680)：" in err
    assert f"（「第一章 绪论 {ROCKET}」）" in err and "0123" not in err
    assert err.count(f"「{ROCKET}」") == 1


def test_a_character_no_font_has_in_the_form_is_placed_on_its_yaml_line(project, capsys):
    line = edit(project / "forms" / "application.yaml", "项目负责人: 向河铭", f"项目负责人: 向河铭{NO_FONT}")
    assert main(["validate", "--form", "forms/application.yaml"]) == 1
    err = capsys.readouterr().err
    assert f"错误 forms/application.yaml:{line}:11 项目负责人：「{NO_FONT}」(U+3134A)：" in err
    assert "错误：表单 forms/application.yaml 有 1 处错误" in err


def test_a_character_drawn_by_a_fallback_font_is_a_warning_and_passes(project, capsys):
    line = edit(project / "forms" / "application.yaml", "项目负责人: 向河铭", f"项目负责人: 向河{RARE}")
    assert main(["validate", "--form", "forms/application.yaml"]) == 0
    out = capsys.readouterr().out
    assert "表单 forms/application.yaml：有效，1 条警告" in out
    assert f"警告 forms/application.yaml:{line}:10 项目负责人：「{RARE}」(U+5803)：" in out and "补字" in out
