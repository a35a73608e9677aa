"""The form as the user has it: the YAML source, or a 结项申请书 filled in Word (by content)."""
from __future__ import annotations

from pathlib import Path

from closure_app.sources.form import LoadedForm, load_form


def load_form_source(path: Path) -> LoadedForm:
    """Read the form at ``path``: a Word/WPS file is read by its labels, anything else as YAML."""
    from closure_app.word_file import is_word_file

    path = Path(path)
    if path.is_file() and is_word_file(path):
        from closure_app.sources.docx_form import load_form_docx

        loaded = load_form_docx(path)
        # the same boxes as the YAML form: what validate accepts, build can typeset
        from closure_app.errors import InvalidInput, Place
        from closure_app.sources.form import box_findings

        overflows = box_findings(loaded.form, lambda _: Place(str(path)))
        if overflows:
            raise InvalidInput(overflows + loaded.findings)
        return loaded
    return load_form(path)
