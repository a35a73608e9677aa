"""Models -> document blocks: the form and the report as ``Document``s."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from closure_app.blocks import Document
    from closure_app.profile import Profile


def documents(profile: Profile, form: Optional[Path], manuscript: Optional[Path],
              lof: bool = False, *, accept_changes: bool = False,
              warnings: Optional[list] = None) -> list[tuple[Path, Document]]:
    """Read the sources given and lay each out: (source, Document), the form first. ``lof``:
    the report gets lists of figures and tables; ``accept_changes``: a Word report's tracked
    changes are read as accepted; ``warnings``, when given, receives what the readers warned of."""
    docs = []
    said = warnings if warnings is not None else []
    if form is not None:
        from closure_app.layout.application import application_document
        from closure_app.sources.form_source import load_form_source

        loaded = load_form_source(form)
        said += [f for f in loaded.findings if f.severity != "error"]
        docs.append((form, application_document(loaded.form, profile)))
    if manuscript is not None:
        from closure_app.layout.report import report_document
        from closure_app.sources.report import load_report

        loaded = load_report(manuscript, accept_changes=accept_changes)
        said += [f for f in loaded.findings if f.severity != "error"]
        docs.append((manuscript, report_document(loaded.manuscript, profile, str(manuscript), lof)))
    return docs
