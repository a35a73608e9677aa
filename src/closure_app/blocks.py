"""The document model every back end renders: blocks with semantic roles.

Sources (the form YAML, the report Markdown) become a ``Document``; the DOCX and PDF back ends
turn a ``Document`` into a file; the checker judges files against the same roles. A block's
``role`` names an entry of the profile (``profile.roles``); the back ends take every font,
size, weight, alignment and line pitch from there.

Tables use the HTML convention for merged cells: a cell with ``rowspan=2`` occupies its place
in the row below as well, and that row's ``cells`` list omits it; ``colspan`` likewise.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Optional, Union

Align = Literal["left", "center", "right", "justify", "distribute"]  # distribute: 分散对齐, every line full


# ---- inline ----------------------------------------------------------------------------

@dataclass
class Text:
    """A run of text; a newline in it is a line break within the paragraph."""
    text: str
    bold: bool = False
    italic: bool = False
    sup: bool = False
    sub: bool = False


@dataclass
class NoteRef:
    """A footnote marker; ``number`` is the note's number in ``Document.footnotes``."""
    number: int


@dataclass
class Ref:
    """A cross-reference to a numbered figure or table (``@fig:key``, ``@tbl:key``).

    Readers set ``label`` ("fig:key"); the caption pass (``layout.captions``) sets ``text`` to
    what prints ("图 1-1") once every caption is numbered. An unknown label is an error there.
    """
    label: str
    text: str = ""
    line: Optional[int] = None
    bold: bool = False                     # as the text around it
    italic: bool = False
    sup = False                            # never raised or lowered (read like a Text's flags)
    sub = False


Inline = Union[Text, NoteRef, Ref]


def width_in_chars(text: str) -> float:
    """Width of ``text`` in full-width characters, for layout estimates before any font is
    chosen: a wide (Chinese) character takes one, a Latin letter or digit half."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def plain_text(runs: list[Inline]) -> str:
    """The text a reader sees, without note markers (a resolved reference is its number)."""
    return "".join(r.text for r in runs if isinstance(r, (Text, Ref)))


# ---- blocks ----------------------------------------------------------------------------

@dataclass
class Paragraph:
    runs: list[Inline]
    role: str = "body"
    align: Optional[Align] = None          # None: the role's alignment
    first_line_chars: Optional[float] = None  # None: the role's indent
    keep_with_next: bool = False
    space_before_lines: float = 0          # in lines of the role's pitch
    space_after_lines: float = 0
    line: Optional[int] = None             # 1-based source line, for messages
    display: bool = False                  # display text (title, author block, cover values): its
                                           # lines break between words (layout/display_breaks)

    @property
    def text(self) -> str:
        return plain_text(self.runs)


@dataclass
class Heading:
    """Heading of level 1-4; its text keeps its own numbering (第一章, 1.1, 1.)."""
    level: int
    runs: list[Inline]
    in_toc: bool = True                    # level 4 never goes into the TOC
    line: Optional[int] = None
    display_runs: Optional[list[Inline]] = None   # the runs as set, with the line breaks of
                                                  # layout/display_breaks; None: ``runs`` as they are

    @property
    def role(self) -> str:
        return f"h{self.level}"

    @property
    def text(self) -> str:
        return plain_text(self.runs)

    @property
    def toc_runs(self) -> list[Inline]:
        """Its TOC entry as Word's TOC field (and LibreOffice's) makes it from the heading as
        set: each line break a space (no \\x switch keeps them)."""
        if self.display_runs is None:
            return self.runs
        return [replace(r, text=r.text.replace("\n", " ")) if isinstance(r, Text) else r
                for r in self.display_runs]


@dataclass
class ListBlock:
    """Ordered or bulleted items; each item is one paragraph of inline runs.

    ``label`` formats the marker of item n: "{n}." for Markdown lists, "[{n}]" for references.
    """
    items: list[list[Inline]]
    ordered: bool = True
    start: int = 1
    label: str = "{n}."
    role: str = "body"
    line: Optional[int] = None

    def marker(self, i: int) -> str:
        return self.label.format(n=self.start + i) if self.ordered else "•"

    def label_chars(self) -> float:
        """Width of a hanging marker column, in characters of the list's size: the widest
        marker and a space, as ``width_in_chars`` estimates them, so that both back ends start
        the items' text at the same place whatever the font."""
        return max((width_in_chars(self.marker(i) + " ") for i in range(len(self.items))), default=0)


@dataclass
class Cell:
    paragraphs: list[Paragraph] = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1
    align: Align = "left"
    valign: Literal["top", "middle", "bottom"] = "middle"


@dataclass
class Row:
    cells: list[Cell]
    height_pt: Optional[float] = None      # minimum height (boxes for handwriting)
    header: bool = False                   # repeated at the top of each page


@dataclass
class CaptionNumber:
    """The number a caption prints, set by the caption pass: ``图 1-1`` (per chapter) or
    ``图 3`` (through the document). ``kind`` is the word (图, 表) and the DOCX SEQ field's
    identifier; ``chapter`` is None when numbering runs through the document."""
    kind: str
    number: int
    chapter: Optional[int] = None
    separator: str = "-"                   # between the chapter and the number
    label_gap: str = " "                   # between the word and the number
    title_gap: str = "\u3000"              # between the number and the caption text
    first_in_chapter: bool = False

    @property
    def digits(self) -> str:
        """"1-1" or "3"."""
        return f"{self.chapter}{self.separator}{self.number}" if self.chapter is not None else str(self.number)

    @property
    def text(self) -> str:
        """"图 1-1": what a caption starts with and a reference prints."""
        return f"{self.kind}{self.label_gap}{self.digits}"


@dataclass
class Table:
    rows: list[Row]
    col_widths: list[float]                # relative widths; scaled to the text width
    role: str = "table"
    borders: bool = True                   # False: a layout grid (e.g. the cover's label/value pairs)
    line: Optional[int] = None
    caption: list[Inline] = field(default_factory=list)   # 表题, printed above; [] for none
    label: Optional[str] = None            # "tbl:key" for @tbl:key references
    number: Optional[CaptionNumber] = None  # set by the caption pass; None: not numbered
    continued: str = ""                    # set by the caption pass: printed above each page's
                                           # part after the first (（续表）); "" for none

    @property
    def n_cols(self) -> int:
        return len(self.col_widths)


@dataclass
class Figure:
    """An image in its own paragraph with its caption (图题) below it.

    ``path`` is the image file (resolved against the source's folder by the reader);
    ``width`` a fraction of the text width (``{width=60%}`` is 0.6), None for the image's own
    size scaled down to fit; ``label`` "fig:key" for @fig:key references.
    """
    path: Path
    caption: list[Inline] = field(default_factory=list)
    width: Optional[float] = None
    label: Optional[str] = None
    line: Optional[int] = None
    number: Optional[CaptionNumber] = None  # set by the caption pass; None: not numbered


@dataclass
class Toc:
    """The generated table of contents (levels 1..``levels``)."""
    title: str = "目录"
    levels: int = 3


@dataclass
class CaptionList:
    """A list of figures (``kind`` "fig") or of tables ("tbl"): every numbered caption with
    the page it is on, as the table of contents lists headings. Optional (``build --lof``)."""
    kind: Literal["fig", "tbl"]
    title: str


@dataclass
class PageBreak:
    pass


@dataclass
class Spacer:
    height_pt: float


Block = Union[Paragraph, Heading, ListBlock, Table, Figure, Toc, CaptionList, PageBreak, Spacer]


@dataclass
class Footnote:
    number: int
    runs: list[Inline]
    line: Optional[int] = None


@dataclass
class Document:
    """One output document: the report or the form."""
    kind: Literal["report", "form"]
    title: str
    blocks: list[Block]
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    author: str = ""
    subject: str = ""
    keywords: list[str] = field(default_factory=list)
    page: str = "report"                   # key of profile.pages
    model: object = None                   # what was laid out (the form's ApplicationForm), for checks of its values

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def pages(self) -> list[list[Block]]:
        """The blocks page by page, as the document's page breaks cut them (the form's four)."""
        pages: list[list[Block]] = [[]]
        for block in self.blocks:
            if isinstance(block, PageBreak):
                pages.append([])
            else:
                pages[-1].append(block)
        return pages

    def toc_headings(self, levels: int = 3) -> list[Heading]:
        return [h for h in self.headings() if h.in_toc and h.level <= levels]

    def numbered(self, kind: str) -> list[Union[Figure, Table]]:
        """The figures ("fig") or tables ("tbl") that carry a caption number, in order."""
        cls = Figure if kind == "fig" else Table
        return [b for b in self.blocks if isinstance(b, cls) and b.number is not None]
