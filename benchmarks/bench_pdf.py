"""The PDF back end on the sample: the report (a layout pass and the final pass) and the form.

Fonts are loaded in setup (untimed here; bench_fonts measures them): the timed part is layout,
drawing and writing the PDF.
"""
from run import ROOT, Stage

from closure_app.layout.application import application_document
from closure_app.layout.report import report_document
from closure_app.profile import load_profile
from closure_app.render.pdf import render_pdf
from closure_app.sources.form import load_form
from closure_app.sources.manuscript import load_manuscript


def _report():
    from closure_app.fonts import load_fontset
    profile = load_profile()
    doc = report_document(load_manuscript(ROOT / "manuscript" / "manuscript.md").manuscript, profile)
    fonts = load_fontset(profile)
    render_pdf(doc, profile, fonts)   # warm: fonts parsed, glyph widths cached
    return doc, profile, fonts


def _form():
    from closure_app.fonts import load_fontset
    profile = load_profile()
    doc = application_document(load_form(ROOT / "forms" / "application.yaml").form, profile)
    fonts = load_fontset(profile)
    render_pdf(doc, profile, fonts)
    return doc, profile, fonts


STAGES = [
    Stage("pdf: report", lambda a: render_pdf(*a), setup=_report),
    Stage("pdf: form", lambda a: render_pdf(*a), setup=_form),
]
