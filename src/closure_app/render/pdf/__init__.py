"""PDF back end (reportlab): a Document and a Profile into a print-ready PDF."""
from closure_app.render.pdf.rl_import import import_platypus

import_platypus()

from closure_app.render.pdf.writer import PdfResult, render_pdf  # noqa: E402

__all__ = ["PdfResult", "render_pdf"]
