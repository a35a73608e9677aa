"""The report as the user has it: Markdown, or a Word/WPS file, told apart by content."""
from __future__ import annotations

from pathlib import Path

from closure_app.sources.manuscript import LoadedManuscript, load_manuscript


def load_report(path: Path, *, accept_changes: bool = False) -> LoadedManuscript:
    """Read the report at ``path`` into the manuscript model, whatever the format: a Word or
    WPS file (.docx, .docm, .doc, .wps, Word XML, by content, not by name) or Markdown."""
    from closure_app.sources.docx_report import is_word_file, load_docx_manuscript

    path = Path(path)
    if path.is_file() and is_word_file(path):
        return load_docx_manuscript(path, accept_changes=accept_changes)
    return load_manuscript(path)
