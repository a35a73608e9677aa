"""DOCX back end on the sample: the report and the form, from document blocks to .docx bytes."""
from __future__ import annotations

from run import ROOT, Stage

from closure_app.layout.application import application_document
from closure_app.layout.report import report_document
from closure_app.profile import load_profile
from closure_app.render.docx import render_docx
from closure_app.sources.form import load_form
from closure_app.sources.manuscript import load_manuscript


def _report():
    profile = load_profile()
    return report_document(load_manuscript(ROOT / "manuscript/manuscript.md").manuscript, profile), profile


def _form():
    profile = load_profile()
    return application_document(load_form(ROOT / "forms/application.yaml").form, profile), profile


STAGES = [
    Stage("docx: render sample report", lambda a: render_docx(*a), setup=_report),
    Stage("docx: render sample form", lambda a: render_docx(*a), setup=_form),
]
