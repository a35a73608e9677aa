"""The one place that reads DOCX: a safe package, styles and their chain, numbering (the text
Word shows), paragraphs and runs, notes, tables, images and text boxes, and the document's
structure (title, headings and their levels) as a person reads it.

``check/`` judges what this layer reads; ``sources/`` turns it into the manuscript model.
Neither reaches into the other.
"""
from closure_app.ooxml.document import DocxDocument, Para, read_docx
from closure_app.ooxml.safety import CannotRead

__all__ = ["CannotRead", "DocxDocument", "Para", "read_docx"]
