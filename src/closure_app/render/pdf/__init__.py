"""PDF back end (reportlab): a Document and a Profile into a print-ready PDF."""
from closure_app.render.pdf.writer import PdfResult, render_pdf

__all__ = ["PdfResult", "render_pdf"]
