"""A report with 200 figures (PNG charts, JPEG photos, SVG diagrams) and 20 captioned tables,
built as `closure-app build --manuscript` builds it (DOCX + PDF + check, warm process), against
the sample report built the same way in the same run.

Issue 12's budget: the 200-figure report in under 3 s.
"""
import sys
import tempfile
from pathlib import Path

from run import ROOT, Stage

sys.path.insert(0, str(ROOT / "tests"))
from figure_fixtures import FRONT, bar_chart  # noqa: E402

from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build  # noqa: E402

SAMPLE = ROOT / "manuscript" / "manuscript.md"
CHAPTERS = 10
PER_CHAPTER = 20


def write_200(folder: Path) -> Path:
    """200 distinct images: per chapter 14 PNG charts, 4 JPEG photos, 2 SVG diagrams."""
    images = folder / "images"
    images.mkdir(parents=True)
    parts = [FRONT]
    n = 0
    for ch in range(1, CHAPTERS + 1):
        parts.append(f"# 第{'一二三四五六七八九十'[ch - 1]}章 第 {ch} 部分\n")
        for k in range(PER_CHAPTER):
            n += 1
            if k % 10 == 3:
                name = f"f{n}.svg"
                (images / name).write_text(
                    f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">'
                    f'<rect x="10" y="10" width="{100 + n}" height="80" fill="#285aa0"/>'
                    f'<text x="20" y="150" font-size="18">示意 {n}</text></svg>', encoding="utf-8")
            elif k % 5 == 4:
                name = f"f{n}.jpg"
                bar_chart((1200, 800)).save(images / name, quality=85, dpi=(200, 200))
            else:
                name = f"f{n}.png"
                bar_chart((900, 600), dpi=150).save(images / name, dpi=(150, 150))
            parts.append(f"![第 {n} 幅图](images/{name}){{#fig:f{n} width=70%}}\n")
            parts.append(f"如 @fig:f{n} 所示，这一段说明第 {n} 幅图的内容，并与上文衔接。" * 2 + "\n")
        parts.append(f"表：第 {ch} 章数据 {{#tbl:t{ch}}}\n| 项目 | 数值 |\n|---|---|\n| 甲 | {ch} |\n| 乙 | {ch * 2} |\n")
        parts.append(f"数据见 @tbl:t{ch}。\n")
    path = folder / "report.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _plan(source):
    def setup():
        folder = Path(tempfile.mkdtemp(prefix="bench-figures-"))
        report = source(folder)
        plan = BuildPlan(None, report, folder / "out", Format.all, Booklet.none, check=True)
        _build(plan)          # warm: fonts parsed, modules imported
        return plan
    return setup


def _build(plan):
    run_build(plan, Progress(0, quiet=True))


STAGES = [
    Stage("figures: sample report, DOCX + PDF + check", _build, setup=_plan(lambda folder: SAMPLE)),
    Stage("figures: 200-figure report, DOCX + PDF + check", _build, setup=_plan(write_200),
          baseline="figures: sample report, DOCX + PDF + check", note="issue 12 budget: under 3 s"),
]
