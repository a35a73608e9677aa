"""Validation of the sample sources: what `closure-app validate` spends its time on."""
from pathlib import Path

from run import ROOT, Stage

from closure_app.sources.form import load_form
from closure_app.sources.manuscript import load_manuscript

FORM = ROOT / "forms" / "application.yaml"
MANUSCRIPT = ROOT / "manuscript" / "manuscript.md"

STAGES = [
    Stage("validate: load form", lambda _: load_form(Path(FORM)), repeat=20),
    Stage("validate: load manuscript", lambda _: load_manuscript(Path(MANUSCRIPT)), repeat=10),
]
