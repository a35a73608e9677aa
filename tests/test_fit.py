"""What can never be typeset (a heading, a table row or a footnote taller than a page) is refused
by validate and by build alike, with its line; what is merely long still builds."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "manuscript" / "manuscript.md").read_text(encoding="utf-8")


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "closure_app", *args], capture_output=True, text=True, cwd=cwd)


def table(cell: str) -> str:
    return f"| 指标 | 说明 |\n|---|---|\n| 甲 | {cell} |\n\n# 参考文献"


CASES = {
    "heading": (lambda: SAMPLE.replace("## 1.1 研究背景与意义", "## 1.1 " + "研究背景与意义" * 900, 1), "标题太长"),
    "cell": (lambda: SAMPLE.replace("# 参考文献", table("很长的单元格内容" * 2500), 1), "表格第 2 行有一格太长"),
    "note": (lambda: SAMPLE.replace("[^1]: ", "[^1]: " + "注释文字" * 3000, 1), "脚注 1 太长"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_and_build_refuse_it_with_its_line(tmp_path, case):
    make, message = CASES[case]
    (tmp_path / "m.md").write_text(make(), encoding="utf-8")
    v = cli("validate", "--manuscript", "m.md", cwd=tmp_path)
    b = cli("build", "--manuscript", "m.md", "--out", "out", cwd=tmp_path)
    for r in (v, b):
        assert r.returncode == 1 and message in r.stderr and "m.md:" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_a_long_heading_and_a_long_cell_that_fit_a_page_still_build(tmp_path):
    text = SAMPLE.replace("## 1.1 研究背景与意义", "## 1.1 " + "研究背景与意义" * 20, 1)
    text = text.replace("# 参考文献", table("较长的单元格内容" * 30), 1)
    (tmp_path / "m.md").write_text(text, encoding="utf-8")
    r = cli("build", "--manuscript", "m.md", "--out", "out", "--format", "pdf", "--no-check", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
