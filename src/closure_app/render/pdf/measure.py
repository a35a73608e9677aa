"""How tall blocks come out in the PDF, measured by the renderer itself (reportlab's wrap of the
same flowables the PDF is built from), for the checks that must know before building whether a
page of the official form holds what was written into it."""
from __future__ import annotations

from dataclasses import replace

from closure_app.blocks import Document
from closure_app.profile import Profile


def page_overflow_pt(document: Document, index: int, profile: Profile, fonts) -> float:
    """How far the blocks of page ``index`` (0-based) run past one page's text block, in points;
    0 when they fit."""
    from closure_app.render.pdf.textflow import PageState, Typesetter
    from closure_app.render.pdf.writer import _StoryBuilder

    blocks = document.pages()[index]
    part = replace(document, blocks=blocks, footnotes={})
    geo = profile.page(document.page)
    builder = _StoryBuilder(part, profile, Typesetter(fonts), PageState())
    used = 0.0
    for k, flowable in enumerate(builder.story()):
        _, height = flowable.wrap(geo.text_width_pt, 10 ** 6)
        used += height + flowable.getSpaceAfter() + (flowable.getSpaceBefore() if k else 0.0)
    return max(0.0, used - geo.text_height_pt)
