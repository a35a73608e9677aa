"""`closure-app check` on the sample's own DOCX and PDF (targets: DOCX < 0.3 s, PDF < 1 s), and
the build's self-check of that PDF: judged from what the renderer placed, the file read back
only for its pages and fonts (check.placed)."""
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


def sample_pdf_placed():
    from closure_app.fonts import load_fontset
    from closure_app.render.pdf import render_pdf

    profile = load_profile()
    path = OUT / "manuscript-placed.pdf"
    pdf = render_pdf(_document(), profile, load_fontset(profile))
    path.write_bytes(pdf.data)
    return path, pdf


def self_check(arg):
    from closure_app.check.placed import check_placed

    path, pdf = arg
    return check_placed(path, pdf.data, pdf.placement, load_profile())


STAGES = [
    Stage("check: sample DOCX", lambda p: check_file(p, load_profile()), setup=sample_docx, repeat=10),
    Stage("check: sample PDF", lambda p: check_file(p, load_profile()), setup=sample_pdf, repeat=5),
    Stage("self-check: sample PDF, as the build does", self_check, setup=sample_pdf_placed, repeat=5,
          baseline="check: sample PDF"),
]
