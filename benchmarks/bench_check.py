"""`closure-app check` on the sample's own DOCX and PDF (targets: DOCX < 0.3 s, PDF < 1 s)."""
import tempfile
from pathlib import Path

from run import ROOT, Stage

from closure_app.check import check_file
from closure_app.profile import load_profile

MANUSCRIPT = ROOT / "manuscript" / "manuscript.md"
OUT = Path(tempfile.mkdtemp(prefix="bench-check-"))


def _document():
    from closure_app.layout.report import report_document
    from closure_app.sources.manuscript import load_manuscript

    return report_document(load_manuscript(MANUSCRIPT).manuscript, load_profile())


def sample_docx() -> Path:
    from closure_app.render.docx import render_docx

    path = OUT / "manuscript.docx"
    path.write_bytes(render_docx(_document(), load_profile()))
    return path


def sample_pdf() -> Path:
    from closure_app.fonts import load_fontset
    from closure_app.render.pdf import render_pdf

    profile = load_profile()
    path = OUT / "manuscript.pdf"
    path.write_bytes(render_pdf(_document(), profile, load_fontset(profile)).data)
    return path


STAGES = [
    Stage("check: sample DOCX", lambda p: check_file(p, load_profile()), setup=sample_docx, repeat=10),
    Stage("check: sample PDF", lambda p: check_file(p, load_profile()), setup=sample_pdf, repeat=5),
]
