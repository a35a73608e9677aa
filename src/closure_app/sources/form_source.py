"""The form as the user has it: the YAML source, or a 结项申请书 filled in Word (by content)."""
from __future__ import annotations

from pathlib import Path

from closure_app.sources.form import LoadedForm, load_form


def load_form_source(path: Path) -> LoadedForm:
    """Read the form at ``path``: a Word/WPS file is read by its labels, anything else as YAML."""
    from closure_app.sources.docx_report import is_word_file

    path = Path(path)
    if path.is_file() and is_word_file(path):
        from closure_app.sources.docx_form import load_form_docx

        return load_form_docx(path)
    return load_form(path)
