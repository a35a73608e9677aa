"""The report as the user has it: Markdown, or a Word/WPS file, told apart by content."""
from __future__ import annotations

from pathlib import Path

from closure_app.sources.manuscript import LoadedManuscript, load_manuscript


def load_report(path: Path) -> LoadedManuscript:
    """Read the report at ``path`` into the manuscript model, whatever the format."""
    return load_manuscript(Path(path))
