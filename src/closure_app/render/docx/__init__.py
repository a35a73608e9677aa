"""The DOCX back end: a ``Document`` and the profile -> a Word file (python-docx + our OOXML)."""
from .writer import render_docx

__all__ = ["render_docx"]
