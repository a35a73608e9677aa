"""What a PDF shows: page sizes, the fonts its text uses (embedded or not), and its text lines
with the dominant size and font of each, where they stand and whether they sit in a table.
Read with pdfium (pypdfium2): fast, and it reads text inside Form XObjects (imposed booklets) too.

The size of a character is its font size times the scale of its text matrix and the graphics
state (``Tm`` and ``cm``): macOS Quartz sets text at ``Tf 1`` and scales it with the matrix, so
the font size alone would read 1 pt."""
from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from closure_app.check.safety import CannotCheck


class _OnFirstUse:
    """pypdfium2, imported when a file is first read (the build's self-check of its own PDFs
    uses this module's line grouping without reading any file through pdfium)."""

    def __init__(self, module: str, name: str):
        self._module, self._name = module, name

    def __getattr__(self, attr):
        import importlib

        module = importlib.import_module(self._module)
        globals()[self._name] = module
        return getattr(module, attr)


pdfium = _OnFirstUse("pypdfium2", "pdfium")
raw = _OnFirstUse("pypdfium2.raw", "raw")

SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
BOLD_WEIGHT = 600
SAME_LINE = 0.6            # centres closer than this many sizes: one line
STROKED_MODES = (1, 2)     # stroke, fill + stroke: how a font without a bold face is drawn bold
_NAME_BUFFER = 512
RULE_THICKNESS = 1.5       # pt: a segment this close to level is a horizontal (or vertical) rule
RULE_MIN_LENGTH = 3.0      # pt: shorter segments (the ends of a thin filled rectangle) are not rules
TOUCH = 2.0                # pt: rules this close meet (a table's grid)
SAME_EXTENT = 3.0          # pt: rules of one three-line table (三线表) start and end together
TABLE_MAX_ROW = 0.4        # of the page height: rules farther apart than this are not one table
HEADER_ROW_MAX = 60.0      # pt: a three-line table's first two rules hold its header row between them
MAX_RULES = 600            # per page: beyond this (a chart, a drawing) no table is looked for


def decode_font_name(data: bytes) -> str:
    """A BaseFont name as people read it: subset prefix gone, GBK bytes decoded
    (b'ABCDEF+\\xb7\\xbd\\xd5\\xfd\\xb7\\xc2\\xcb\\xce_GBK' -> '方正仿宋_GBK')."""
    for codec in ("utf-8", "gbk"):
        try:
            name = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        name = data.decode("latin-1")
    return SUBSET_PREFIX.sub("", name)


@dataclass(frozen=True)
class PdfFont:
    name: str
    embedded: bool
    bold: bool


@dataclass
class Line:
    page: int            # 1-based
    number: int          # 1-based on its page
    text: str
    size: float          # the dominant character size, pt
    font: PdfFont        # the dominant font of its Han characters (of all, if it has none)
    stroked: bool        # most characters drawn with a stroke (fake bold)
    right: float = 0.0   # the last character's right edge, pt from the page's left
    left: float = 0.0    # the first character's left edge, pt from the page's left
    bottom: float = 0.0  # pt from the page's foot
    top: float = 0.0
    in_table: bool = False   # inside the rules of a table


@dataclass
class PdfFacts:
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    font_pages: dict[PdfFont, list[int]] = field(default_factory=dict)   # font -> pages it is used on
    rules: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)  # page -> horizontal rules


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


@dataclass
class _Run:
    """One text object: a piece of text in one font and size (a show-text operator)."""
    text: str
    size: float
    font: PdfFont
    stroked: bool
    middle: float        # vertical centre, pt from the page foot
    left: float
    right: float
    bottom: float = 0.0
    top: float = 0.0


def _font(obj, known: dict[int, PdfFont]) -> PdfFont:
    """The font of a text object; ``known`` keeps fonts already read, by their handle."""
    font = raw.FPDFTextObj_GetFont(obj)
    key = ctypes.cast(font, ctypes.c_void_p).value
    if key not in known:
        known[key] = _read_font(font)
    return known[key]


def _read_font(font) -> PdfFont:
    buf = ctypes.create_string_buffer(_NAME_BUFFER)
    n = raw.FPDFFont_GetBaseFontName(font, buf, _NAME_BUFFER)
    name = decode_font_name(buf.raw[: max(n - 1, 0)])
    bold = raw.FPDFFont_GetWeight(font) >= BOLD_WEIGHT or "bold" in name.lower()
    return PdfFont(name, bool(raw.FPDFFont_GetIsEmbedded(font)), bold)


def _text(obj, textpage) -> str:
    n = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
    buf = (ctypes.c_ushort * (n // 2))()
    raw.FPDFTextObj_GetText(obj, textpage, buf, n)
    return bytes(buf).decode("utf-16-le", errors="replace").rstrip("\0")


def matrix_scale(a: float, b: float, c: float, d: float) -> float:
    """How much a matrix [a b c d] scales text vertically: the length of its y axis."""
    return math.hypot(c, d)


def _matrix(obj) -> tuple[float, float, float, float, float, float]:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return 1.0, 0.0, 0.0, 1.0, 0.0, 0.0
    return m.a, m.b, m.c, m.d, m.e, m.f


def _segments(obj, out: list) -> None:
    """The straight segments of a path object, in page space: (x0, y0, x1, y1)."""
    a, b, c, d, e, f = _matrix(obj)
    x = ctypes.c_float()
    y = ctypes.c_float()
    start = last = None
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_LINETO and last is not None:
            out.append((*last, *point))
        elif kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        last = point
        if raw.FPDFPathSegment_GetClose(seg) and start is not None and last != start:
            out.append((*last, *start))
            last = start


def _runs(objects, textpage, in_form: bool, fonts: dict[int, PdfFont], runs: list, segments: list) -> None:
    """Walk page objects (into Form XObjects too): every font used, and the page's own text runs
    and the straight segments of its paths (table rules)."""
    for obj in objects:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            count = raw.FPDFFormObj_CountObjects(obj)
            _runs((raw.FPDFFormObj_GetObject(obj, i) for i in range(count)), textpage, True, fonts, runs, segments)
        elif kind == raw.FPDF_PAGEOBJ_PATH and not in_form:
            if len(segments) <= MAX_RULES * 4:
                _segments(obj, segments)
        elif kind == raw.FPDF_PAGEOBJ_TEXT:
            font = _font(obj, fonts)
            if in_form:
                continue     # a placed page (booklet): its fonts count, its lines are the source's
            size = ctypes.c_float()
            raw.FPDFTextObj_GetFontSize(obj, size)
            box = [ctypes.c_float() for _ in range(4)]
            raw.FPDFPageObj_GetBounds(obj, *box)
            left, bottom, right, top = (b.value for b in box)
            scale = matrix_scale(*_matrix(obj)[:4])
            runs.append(_Run(_text(obj, textpage), size.value * scale, font,
                             raw.FPDFTextObj_GetTextRenderMode(obj) in STROKED_MODES,
                             (bottom + top) / 2, left, right, bottom, top))


_HAN = re.compile("[\u3400-\u9fff]")


def _make_line(page: int, number: int, runs: list[_Run]) -> Line:
    if len(runs) == 1:          # most lines are one text object: its own size, font and stroke
        r = runs[0]
        return Line(page, number, r.text.strip(), round(r.size, 1), r.font, r.stroked, r.right, r.left,
                    r.bottom, r.top)
    runs = sorted(runs, key=lambda r: r.left)
    sizes: Counter = Counter()
    fonts: Counter = Counter()
    han_fonts: Counter = Counter()
    stroked = inked = 0
    for r in runs:
        n = len(r.text) - sum(map(str.isspace, r.text))
        han = len(_HAN.findall(r.text))
        sizes[round(r.size, 1)] += n
        fonts[r.font] += n
        han_fonts[r.font] += han
        inked += n
        stroked += n if r.stroked else 0
    font = (han_fonts if sum(han_fonts.values()) else fonts).most_common(1)[0][0]
    return Line(page, number, "".join(r.text for r in runs).strip(), sizes.most_common(1)[0][0], font,
                stroked * 2 > inked, max(r.right for r in runs), min(r.left for r in runs),
                min(r.bottom for r in runs), max(r.top for r in runs))


def group_lines(page: int, runs: list[_Run]) -> list[Line]:
    """Runs in content order become lines. A run joins the current line when its vertical centre
    is near that of the line's largest run (a raised note number stays on its line)."""
    groups: list[list[_Run]] = []
    anchor: Optional[_Run] = None
    for r in runs:
        if not r.text.strip():
            continue
        if anchor and abs(anchor.middle - r.middle) <= max(anchor.size, r.size) * SAME_LINE:
            groups[-1].append(r)
            anchor = r if r.size > anchor.size else anchor
        else:
            groups.append([r])
            anchor = r
    return [_make_line(page, n, g) for n, g in enumerate(groups, start=1)]


def read_pdf(path: Path) -> PdfFacts:
    """Everything the checker needs from a PDF. Raises CannotCheck if it cannot be opened."""
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise CannotCheck("PDF 已加密（需要密码），无法检查；请提供未加密的 PDF。") from None
        raise CannotCheck(f"PDF 已损坏，无法打开（{exc}）。") from None
    facts = PdfFacts()
    try:
        for index in range(len(doc)):
            page = doc[index]
            facts.page_sizes.append(tuple(page.get_size()))
            textpage = page.get_textpage()
            fonts: dict[int, PdfFont] = {}
            runs: list[_Run] = []
            segments: list = []
            count = raw.FPDFPage_CountObjects(page.raw)
            _runs((raw.FPDFPage_GetObject(page.raw, i) for i in range(count)), textpage.raw, False, fonts, runs,
                  segments)
            for font in dict.fromkeys(fonts.values()):   # first use on the page: a stable order
                facts.font_pages.setdefault(font, []).append(index + 1)
            lines = group_lines(index + 1, runs)
            mark_tables(lines, table_boxes(segments, facts.page_sizes[-1][1]))
            facts.rules[index + 1] = _rules(segments)[0]
            facts.lines += lines
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise CannotCheck(f"PDF 已损坏，无法读取（{exc}）。") from None
    finally:
        doc.close()
    return facts


Box = tuple[float, float, float, float]    # left, bottom, right, top


def _rules(segments) -> tuple[list[Box], list[Box]]:
    """Horizontal and vertical rules among path segments, as boxes."""
    across, down = [], []
    for x0, y0, x1, y1 in segments:
        box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        if abs(y1 - y0) <= RULE_THICKNESS and abs(x1 - x0) >= RULE_MIN_LENGTH:
            across.append(box)
        elif abs(x1 - x0) <= RULE_THICKNESS and abs(y1 - y0) >= RULE_MIN_LENGTH:
            down.append(box)
    return across, down


def _touch(p: Box, q: Box) -> bool:
    return (p[0] - TOUCH <= q[2] and q[0] - TOUCH <= p[2] and p[1] - TOUCH <= q[3] and q[1] - TOUCH <= p[3])


def _levels(values: list[float]) -> int:
    """How many distinct positions, strokes closer than TOUCH counted once (a thin filled
    rectangle's two edges are one rule)."""
    count, last = 0, None
    for v in sorted(values):
        if last is None or v - last > TOUCH:
            count += 1
        last = v
    return count


def _union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def table_boxes(segments, page_height: float) -> list[Box]:
    """Where the tables of a page are, from its rules: a grid (rules that meet, with at least two
    vertical or three horizontal ones), or a three-line table (three or more horizontal rules that
    start and end together, none farther from the next than a large row)."""
    across, down = _rules(segments)
    if not down and len(across) < 3 or len(across) + len(down) > MAX_RULES:
        return []
    rules = across + down
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(rules)):
        for j in range(i + 1, len(rules)):
            if _touch(rules[i], rules[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(rules)):
        groups.setdefault(find(i), []).append(i)
    boxes = []
    in_grid: set[int] = set()
    for members in groups.values():
        rows = _levels([rules[i][1] for i in members if i < len(across)])
        columns = _levels([rules[i][0] for i in members if i >= len(across)])
        # A frame (two rules each way) is a box round text, not a table.
        if columns and rows >= 3 or columns >= 3 and rows >= 2:
            boxes.append(_union([rules[i] for i in members]))
            in_grid.update(members)
    by_extent: dict[tuple[int, int], list[Box]] = {}
    for i, box in enumerate(across):
        if i not in in_grid:
            key = (round(box[0] / SAME_EXTENT), round(box[2] / SAME_EXTENT))
            by_extent.setdefault(key, []).append(box)
    for group in by_extent.values():
        boxes += _three_line_tables(group, page_height)
    return boxes


def _three_line_tables(rules: list[Box], page_height: float) -> list[Box]:
    """Three-line tables among horizontal rules of one extent: a run of three or more, opening
    with a header row (the first two close together), no gap larger than a large row. A running
    header's rule above a table does not open it."""
    levels: list[Box] = []
    for box in sorted(rules, key=lambda b: -b[3]):
        if levels and levels[-1][1] - box[3] <= TOUCH:      # a second stroke of the same rule
            continue
        levels.append(box)
    out = []
    i = 0
    while i < len(levels) - 2:
        if levels[i][1] - levels[i + 1][3] > HEADER_ROW_MAX:
            i += 1
            continue
        j = i + 1
        while j + 1 < len(levels) and levels[j][1] - levels[j + 1][3] <= TABLE_MAX_ROW * page_height:
            j += 1
        if j - i + 1 >= 3:
            out.append(_union(levels[i:j + 1]))
        i = j + 1
    return out


def mark_tables(lines: list[Line], boxes: list[Box]) -> None:
    """Set ``in_table`` on lines whose middle lies inside a table's rules."""
    for line in lines:
        middle = (line.bottom + line.top) / 2
        centre = (line.left + line.right) / 2
        line.in_table = any(b[0] - TOUCH <= centre <= b[2] + TOUCH and b[1] - TOUCH <= middle <= b[3] + TOUCH
                            for b in boxes)
