"""Back ends: turn a Document into a file (DOCX, PDF)."""
