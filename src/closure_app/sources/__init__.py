"""Readers that turn the user's files into models, with file:line:column for every finding."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

# The sample (and the layout `init` writes): where the commands look when given no sources.
DEFAULT_FORM = Path("forms/application.yaml")
DEFAULT_MANUSCRIPT = Path("manuscript/manuscript.md")


def chosen(form: Optional[Path], manuscript: Optional[Path]) -> tuple[Optional[Path], Optional[Path]]:
    """The sources a command works on: both defaults when neither is given, else those given."""
    if form is None and manuscript is None:
        return DEFAULT_FORM, DEFAULT_MANUSCRIPT
    return form, manuscript
