"""What the PDF's line breaker is asked while documents are set: every paragraph's items and
widths, and the text of every run tokenized (for the line breaker's sameness test and its
benchmark)."""
from __future__ import annotations


def recorded_breaks(docs, profile, fonts) -> tuple[list[tuple], list[str]]:
    """Set each of ``docs`` as a PDF, recording ``(items, width, first_width, squeeze)`` of each
    call to ``break_lines`` and the text of each call to ``tokenize``."""
    from closure_app.render.pdf import render_pdf, textflow

    calls, texts = [], []
    real_break, real_tokenize = textflow.break_lines, textflow.tokenize

    def recording_break(items, width, first_width=None, tolerance=1e-6, squeeze=True):
        calls.append((list(items), width, first_width, squeeze))
        return real_break(items, width, first_width, tolerance=tolerance, squeeze=squeeze)

    def recording_tokenize(text):
        texts.append(text)
        return real_tokenize(text)

    textflow.break_lines, textflow.tokenize = recording_break, recording_tokenize
    try:
        for doc in docs:
            render_pdf(doc, profile, fonts)
    finally:
        textflow.break_lines, textflow.tokenize = real_break, real_tokenize
    return calls, texts
