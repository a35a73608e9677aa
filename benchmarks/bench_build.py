"""The whole build of the sample, as `closure-app build` runs it.

Issue 4's budget is for both documents as DOCX and PDF in a warm process (fonts cached, modules
imported); the full build adds the A3 booklet and the compliance check; the last stage is the
command as a user runs it, a new process each time.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from run import ROOT, Stage

from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build

FORM = ROOT / "forms" / "application.yaml"
MANUSCRIPT = ROOT / "manuscript" / "manuscript.md"


def _plan(booklet: Booklet, check: bool):
    def setup():
        plan = BuildPlan(FORM, MANUSCRIPT, Path(tempfile.mkdtemp(prefix="bench-build-")), Format.all,
                         booklet, check=check)
        _build(plan)  # warm: fonts parsed, modules imported
        return plan
    return setup


def _build(plan):
    run_build(plan, Progress(0, quiet=True))


def _cli(_):
    out = tempfile.mkdtemp(prefix="bench-cli-")
    subprocess.run([sys.executable, "-m", "closure_app", "build", "--out", out], cwd=ROOT, check=True,
                   capture_output=True)


STAGES = [
    Stage("build: both documents, DOCX + PDF (warm)", _build, setup=_plan(Booklet.none, False),
          note="issue 4 budget: under 1.5 s"),
    Stage("build: + A3 booklet + check (warm)", _build, setup=_plan(Booklet.application, True)),
    Stage("build: `closure-app build`, new process", _cli, repeat=3),
]
