"""Reading a PDF's text lines back from pdfplumber's characters."""
from collections import defaultdict


def lines_at_size(chars, size):
    """Lines of the characters set at ``size`` (superscripts and notes left out), top to bottom,
    each left to right."""
    rows = defaultdict(list)
    for c in chars:
        if abs(c["size"] - size) < 0.1:
            rows[round(c["bottom"], 1)].append(c)
    return [sorted(r, key=lambda c: c["x0"]) for _, r in sorted(rows.items())]
