"""PDF back end (reportlab): a Document and a Profile into a print-ready PDF."""
