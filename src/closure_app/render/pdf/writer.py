"""Document -> PDF bytes: blocks become flowables, laid out once; the table of contents' page
numbers are drawn when the pages its headings land on are known (record.RecordingCanvas.defer)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable, Optional

from reportlab.platypus import PageBreak as RLPageBreak, Spacer as RLSpacer

from closure_app.blocks import (
    CaptionList, Cell, Document, Figure, Heading, ListBlock, PageBreak, Paragraph, Spacer, Table, Text,
    Toc,
)
from closure_app.layout import display_breaks
from closure_app.images import ImageInfo
from closure_app.profile import Profile
from closure_app.render.pdf.doc import PageDecor, build_pdf, text_block
from closure_app.render.pdf.record import Placement
from closure_app.render.pdf.figures import CaptionedTable, FigureBlock
from closure_app.render.pdf.notes import FootnoteArea
from closure_app.render.pdf.tables import make_table
from closure_app.render.pdf.textflow import (
    LineBlock, Outline, PageState, Para, Piece, TextLine, TextStyle, Typesetter, layout,
)

MIN_PITCH_EMS = 1.25          # a line is never closer than this to the next, whatever the page pitch
TOC_NUMBER_RESERVE = "0000"   # room kept at the right of a TOC line for its page number


@dataclass
class PdfResult:
    data: bytes
    page_count: int
    toc_pages: list[int]                 # page of each doc.toc_headings(levels)
    heading_pages: list[int]             # page of each doc.headings()
    footnote_pages: dict[int, int]       # note number -> page
    toc_page_starts: list[int] = field(default_factory=list)  # TOC entries that begin a page
    toc_entry_texts: list[str] = field(default_factory=list)  # each entry as set, "\n" where it wraps
    fallbacks: list[str] = field(default_factory=list)   # characters drawn with a fallback font
    figure_pages: list[int] = field(default_factory=list)   # page of each Figure block, in order
    caption_pages: dict[str, list[int]] = field(default_factory=dict)  # "fig"/"tbl" -> page of each numbered one
    warnings: list[str] = field(default_factory=list)       # for people: images printing below the profile's dpi
    placement: Optional[Placement] = None    # what was drawn on each page (record.py): the self-check's facts


class _Styles:
    """TextStyle per role, from the profile."""

    def __init__(self, profile: Profile, page: str):
        self.profile = profile
        self.page = page

    def of(self, role: str, *, align: Optional[str] = None, first_chars: Optional[float] = None,
           space_before_lines: float = 0.0, indent: float = 0.0) -> TextStyle:
        r = self.profile.role(role)
        pitch = max(self.profile.line_pitch(role, self.page), r.size_pt * MIN_PITCH_EMS)
        chars = r.first_line_chars if first_chars is None else first_chars
        return TextStyle(family=r.family, size=r.size_pt, pitch=pitch, bold=r.bold,
                         align=align or r.align, first_indent=chars * r.size_pt, indent=indent,
                         space_before=space_before_lines * pitch,
                         squeeze=self.profile.typesetting.compress_punctuation
                         or self.profile.typesetting.hanging_punctuation)


class _StoryBuilder:
    def __init__(self, doc: Document, profile: Profile, ts: Typesetter, state: PageState):
        self.doc = doc
        self.profile = profile
        self.ts = ts
        self.state = state
        self.styles = _Styles(profile, doc.page)
        self.width = profile.page(doc.page).text_width_pt
        self.heading_index = {id(h): i for i, h in enumerate(doc.headings())}
        self.figure_index = {id(b): i for i, b in enumerate(x for x in doc.blocks if isinstance(x, Figure))}
        self.figure_pages: dict[int, int] = {}
        self.caption_pages: dict[int, int] = {}       # id(figure or table) -> page of its caption
        self.low_dpi: dict[int, str] = {}

    def paragraph(self, p: Paragraph) -> Para:
        style = self.styles.of(p.role, align=p.align, first_chars=p.first_line_chars,
                               space_before_lines=p.space_before_lines)
        return self.ts.para(p.runs, style, keep_with_next=p.keep_with_next)

    def heading(self, h: Heading, level: int) -> Para:
        style = self.styles.of(h.role)
        index = self.heading_index[id(h)]
        outline = Outline(key=f"h{index}", title=h.text, level=level, index=index)
        runs = h.display_runs if h.display_runs is not None else h.runs
        return self.ts.para(runs, style, outline=outline, keep_with_next=True)

    def list_paras(self, lst: ListBlock) -> list[Para]:
        base = self.styles.of(lst.role)
        markers = [lst.marker(i) + " " for i in range(len(lst.items))]
        font = self.ts.fonts.reportlab_font(base.family)
        hanging = base.first_indent == 0
        # A hanging marker column as wide as the DOCX's (ListBlock.label_chars), never narrower
        # than the widest marker.
        label_w = max([self.ts.measure.width(m, font, base.size) for m in markers]
                      + [lst.label_chars() * base.size if hanging else 0.0])
        style = self.styles.of(lst.role, indent=label_w if hanging else 0.0)
        return [self.ts.para(runs, style, label=m, label_width=label_w if hanging else 0)
                for m, runs in zip(markers, lst.items)]

    def cell_paras(self, cell: Cell, role: str) -> list[Para]:
        return [self.ts.para(p.runs, self.styles.of(p.role if p.role != "body" else role,
                                                    align=p.align or cell.align,
                                                    first_chars=p.first_line_chars or 0))
                for p in cell.paragraphs]

    def table(self, t: Table):
        style = self.styles.of(t.role)
        table = make_table(t, self.width, self.cell_paras, self.state,
                           self.ts.fonts.reportlab_font(style.family), style.size)
        if not t.caption and t.number is None:
            return table
        caption = self.caption(t.number, t.caption)
        continued = self.caption(t.number, t.caption, t.continued) if t.continued else None
        return CaptionedTable(caption, table, continued,
                              on_drawn=lambda page: self.caption_pages.setdefault(id(t), page),
                              space_before=self.styles.of("body").pitch / 4)

    def caption(self, number, runs, after: str = "") -> LineBlock:
        """A caption's lines: its number (图 1-1), a gap, its text, and ``after`` (（续表）)."""
        from closure_app.layout.captions import caption_runs

        head, body = caption_runs(number, runs)
        lead = [Text(head)] if head else []
        tail = [Text(after)] if after else []
        return LineBlock([self.ts.para(lead + body + tail, self.styles.of("caption"))], self.state)

    def figure(self, f: Figure) -> FigureBlock:
        caption = self.caption(f.number, f.caption) if (f.caption or f.number) else None
        body_pitch = self.styles.of("body").pitch
        geo = self.profile.page(self.doc.page)
        resolved = self.ts.fonts.resolve(self.profile.role("caption").family)
        font = (str(resolved.path), resolved.subfont_index)
        return FigureBlock(f, caption, geo.text_height_pt, space_before=body_pitch / 4,
                           space_after=body_pitch / 2, font=font, on_drawn=self._figure_drawn)

    def _figure_drawn(self, f: Figure, info: ImageInfo, width: float, page: int) -> None:
        self.figure_pages[self.figure_index[id(f)]] = page
        self.caption_pages[id(f)] = page
        dpi = info.dpi_at(width)
        floor = self.profile.captions.min_dpi
        if dpi is not None and dpi < floor:
            where = f"第 {f.line} 行的图" if f.line else "图"
            self.low_dpi[id(f)] = (f"{where} {info.path.name} 印出来只有 {dpi:.0f} dpi（{info.pixels[0]} 像素宽，"
                                   f"印 {width / 72 * 25.4:.0f} mm），低于 {floor:.0f} dpi，可能模糊：请换用更清晰的图片")

    def story(self) -> list:
        """Flowables; a ``Toc`` block stays in the list as itself, to be set per pass."""
        story: list = []
        group: list[Para] = []
        outline_level = -1

        def flush():
            if group:
                story.append(LineBlock(list(group), self.state))
                group.clear()

        for b in self.doc.blocks:
            if isinstance(b, Heading):
                outline_level = min(b.level - 1, outline_level + 1)
                group.append(self.heading(b, outline_level))
                continue
            if isinstance(b, Paragraph):
                group.append(self.paragraph(b))
                if not b.keep_with_next:
                    flush()
                continue
            if isinstance(b, ListBlock):   # one block with the heading before it, split as text
                group.extend(self.list_paras(b))
                flush()
                continue
            flush()
            if isinstance(b, Table):
                story.append(self.table(b))
            elif isinstance(b, Figure):
                story.append(self.figure(b))
            elif isinstance(b, (Toc, CaptionList)):
                story.append(b)
            elif isinstance(b, PageBreak):
                story.append(RLPageBreak())
            elif isinstance(b, Spacer):
                story.append(RLSpacer(0, b.height_pt))
        flush()
        return story

    def _page_of_heading(self, index: int) -> Callable[[], str]:
        return lambda: str(self.state.page_of_heading.get(index) or "")

    def _page_of_caption(self, key: int) -> Callable[[], str]:
        return lambda: str(self.caption_pages.get(key) or "")

    def toc(self, toc: Toc) -> list[LineBlock]:
        """The TOC title and one line per heading, its page number flush right (drawn once the
        document is laid out)."""
        title = self.ts.para([Text(toc.title)], self.styles.of("toc_title"), keep_with_next=True)
        lines = layout(title, self.width)
        texts: list[str] = []
        for k, h in enumerate(self.doc.toc_headings(toc.levels)):
            para_lines = self.toc_entry(h.runs, h.level, self._page_of_heading(self.heading_index[id(h)]),
                                        as_updated=h.toc_runs)
            texts.append("\n".join("".join(p.text for p in ln.pieces) for ln in para_lines))
            para_lines[0] = replace(para_lines[0], toc_entry=k, breakable_before=k > 0)
            # (the title stays with the first entry)
            lines.extend(para_lines)
        self.toc_entry_texts = texts
        return [LineBlock([], self.state, lines=lines)]

    def toc_entry(self, runs: list, level: int, number: Callable[[], str],
                  as_updated: Optional[list] = None) -> list[TextLine]:
        """The lines of a TOC entry at ``level`` (1-based) with its page number (``number()``,
        asked for once the document is laid out; "" for none), set as the DOCX's TOC style sets
        it: inside the right indent, the number in it after a dot leader, wrapped lines hanging.

        An entry that wraps keeps its words whole and leaves no character alone before the
        leader, on as many lines as Word and LibreOffice give it when they update the TOC
        (character by character, the same rules and widths, the text ``as_updated``: what
        their update writes, ``runs`` if not given): else the TOC's length, and every page
        after it, would change with an update."""
        as_updated = runs if as_updated is None else as_updated
        toc_role = self.profile.role("toc")
        size = toc_role.size_pt
        font = self.ts.fonts.reportlab_font(toc_role.family)
        reserve = (toc_role.right_chars * size if toc_role.right_chars
                   else self.ts.measure.width(TOC_NUMBER_RESERVE, font, size))
        indent = (level - 1) * toc_role.level_indent_chars * size
        hanging = toc_role.hanging_chars * size   # wrapped lines of an entry
        style = replace(self.styles.of("toc", first_chars=0, align="left", indent=indent + hanging),
                        first_indent=indent)
        measure = self.width - reserve - indent
        broken = display_breaks.broken_runs(runs, self.toc_metrics, style.family, style.size,
                                            measure - hanging, measure, subtitle=False, fill=True)
        para_lines = layout(self.ts.para(broken, style), self.width - reserve)
        if broken is not runs or as_updated is not runs:
            as_word = layout(self.ts.para(as_updated, style), self.width - reserve)
            if len(as_word) != len(para_lines):
                para_lines = as_word
        last = para_lines[-1]
        end = last.x + sum(self.ts.measure.width(p.text, p.font, p.size) for p in last.pieces)
        para_lines[-1] = replace(last, right=(Piece("", font, size),), right_text=number, leader_from=end)
        return para_lines

    @cached_property
    def toc_metrics(self) -> display_breaks.Metrics:
        return display_breaks.Metrics(self.ts.fonts, self.ts.measure)

    def caption_list(self, listing: CaptionList) -> list[LineBlock]:
        """A list of figures or tables: its title, then each caption (图 1-1　题) with its page
        flush right after a dot leader, set as a first-level TOC entry (the DOCX gives it that
        style)."""
        from closure_app.layout.captions import caption_runs

        title = self.ts.para([Text(listing.title)], self.styles.of("toc_title"), keep_with_next=True)
        lines = layout(title, self.width)
        for k, block in enumerate(self.doc.numbered(listing.kind)):
            head, body = caption_runs(block.number, block.caption)
            para_lines = self.toc_entry([Text(head)] + body, 1, self._page_of_caption(id(block)))
            para_lines[0] = replace(para_lines[0], breakable_before=k > 0)
            lines.extend(para_lines)
        return [LineBlock([], self.state, lines=lines)]


def render_pdf(doc: Document, profile: Profile, fonts,
               laid_out: Optional[Callable[[list[int], dict[str, list[int]]], None]] = None) -> PdfResult:
    """Lay out ``doc`` on the profile's pages with the font set's fonts. ``laid_out`` is given
    the pages of the TOC's headings and of the captions (``PdfResult.toc_pages`` and
    ``caption_pages``, what the DOCX needs) as soon as they are known, before the file is
    written."""
    ts = Typesetter(fonts)
    state = PageState()
    builder = _StoryBuilder(doc, profile, ts, state)
    geo = profile.page(doc.page)
    _, _, width, _ = text_block(geo, 1)
    note_style = builder.styles.of("footnote", first_chars=0)
    notes = FootnoteArea(doc.footnotes, ts, note_style, width)
    state.notes_height, state.notes_least, state.rule_space = notes.height, notes.least, notes.rule_space
    decor = PageDecor(geo, profile.page_number, fonts.reportlab_font(profile.page_number.family),
                      notes, state, ts.measure)
    meta = {"title": doc.title, "author": doc.author, "subject": doc.subject,
            "keywords": ", ".join(doc.keywords)}
    story = builder.story()
    headings = doc.headings()
    toc_index = [i for i, h in enumerate(headings) if h in doc.toc_headings(_toc_levels(doc))]
    # A TOC line's height does not depend on its page number: one pass lays the document out,
    # and the numbers are drawn into the TOC's pages when it ends.
    flowables = []
    for f in story:
        if isinstance(f, Toc):
            flowables.extend(builder.toc(f))
        elif isinstance(f, CaptionList):
            flowables.extend(builder.caption_list(f))
        else:
            flowables.append(f)

    def toc_pages() -> list[int]:
        return [state.page_of_heading.get(i, 0) for i in toc_index]

    def caption_pages() -> dict[str, list[int]]:
        return {kind: [builder.caption_pages.get(id(b), 0) for b in doc.numbered(kind)] for kind in ("fig", "tbl")}

    data, page_count, placement = build_pdf(
        flowables, geo, decor, meta, None if laid_out is None else lambda: laid_out(toc_pages(), caption_pages()))
    pages = [state.page_of_heading.get(i, 0) for i in range(len(headings))]
    fallbacks = [f"“{ch}”（{family}）用 {font} 显示" for (ch, family), font in ts.fallbacks.items()]
    entry_pages = [state.page_of_toc_entry[k] for k in sorted(state.page_of_toc_entry)]
    starts = [k for k in range(1, len(entry_pages)) if entry_pages[k] != entry_pages[k - 1]]
    figure_pages = [builder.figure_pages.get(i, 0) for i in range(len(builder.figure_index))]
    numbered = caption_pages()
    return PdfResult(data=data, page_count=page_count, toc_pages=toc_pages(),
                     heading_pages=pages, footnote_pages=dict(state.page_of_note), fallbacks=fallbacks,
                     toc_page_starts=starts, figure_pages=figure_pages, caption_pages=numbered,
                     warnings=list(builder.low_dpi.values()),
                     toc_entry_texts=getattr(builder, "toc_entry_texts", []), placement=placement)


def _toc_levels(doc: Document) -> int:
    return next((b.levels for b in doc.blocks if isinstance(b, Toc)), 3)
