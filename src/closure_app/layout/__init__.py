"""Models -> document blocks: the form and the report as ``Document``s."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from closure_app.blocks import Document
    from closure_app.profile import Profile


def documents(profile: Profile, form: Optional[Path], manuscript: Optional[Path],
              lof: bool = False) -> list[tuple[Path, Document]]:
    """Read the sources given and lay each out: (source, Document), the form first. ``lof``:
    the report gets lists of figures and tables."""
    docs = []
    if form is not None:
        from closure_app.layout.application import application_document
        from closure_app.sources.form_source import load_form_source

        docs.append((form, application_document(load_form_source(form).form, profile)))
    if manuscript is not None:
        from closure_app.layout.report import report_document
        from closure_app.sources.report import load_report

        docs.append((manuscript, report_document(load_report(manuscript).manuscript, profile, str(manuscript), lof)))
    return docs
