"""Write the booklet: every source page becomes one Form XObject, each sheet side draws two.

Drawing a page as a Form XObject keeps it as it was (vector outlines, embedded fonts, images)
and costs one small content stream per sheet side; nothing is re-parsed or rasterised.
"""
from __future__ import annotations

import io
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Union

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)
from reportlab.lib import pagesizes

from closure_app.errors import UsageError, UserError
from closure_app.impose.marks import finishing_marks
from closure_app.impose.order import (
    Duplex,
    Side,
    creep_shift,
    manual_duplex_files,
    plan_booklet,
    printed_sides,
)
from closure_app.outputs import publish
from closure_app.profile import MM_PT, load_profile

SIZE_TOLERANCE_PT = 1.0   # a page this close to its half's size is drawn 1:1 (Word writes 595.3 x 841.9)
Box = tuple[float, float, float, float]  # x, y, width, height


def _profile_duplex() -> Duplex:
    return load_profile().booklet.duplex


def _profile_sheet() -> str:
    return load_profile().booklet.sheet


@dataclass(frozen=True)
class ImposeOptions:
    duplex: Duplex = field(default_factory=_profile_duplex)
    keep_last: int = 0
    manual_duplex: bool = False
    marks: bool = False
    creep_mm: float = 0.0
    sheet: str = field(default_factory=_profile_sheet)   # a paper name: A3, B4, TABLOID ...


@dataclass
class ImposeResult:
    sheets: int
    source_pages: int
    blanks_added: int
    scaled_pages: list[int]       # 1-based source pages whose size differs from a half sheet
    outputs: list[Path]
    instruction: str = ""         # for --manual-duplex: how to feed the stack back in


def sheet_size(name: str) -> tuple[float, float]:
    """Landscape sheet size in points for a paper name: 'A3' -> (1190.55, 841.89)."""
    size = getattr(pagesizes, name.upper(), None)
    if not (isinstance(size, tuple) and len(size) == 2):
        raise UsageError(f"未知纸张：{name}")
    return pagesizes.landscape(size)


# ---- reading -----------------------------------------------------------------------------

def open_source(src: Union[Path, bytes]) -> PdfReader:
    """A readable, unencrypted PDF with at least one page, or a UserError saying why not."""
    name = "输入数据" if isinstance(src, bytes) else str(src)
    if isinstance(src, Path):
        if src.is_dir():
            raise UsageError(f"{src} 是文件夹，不是 PDF 文件")
        if not src.is_file():
            raise UsageError(f"找不到文件：{src}")
        data = src.read_bytes()
    else:
        data = src
    if not data.lstrip()[:5] == b"%PDF-":
        raise UsageError(f"{name} 不是 PDF 文件")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UsageError(f"{name} 已加密，请先用密码解除加密再拼版")
        n_pages = len(reader.pages)
    except UserError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{name} 无法读取（文件可能已损坏）：{exc}") from None
    if n_pages == 0:
        raise UserError(f"{name} 没有页面，无法拼版")
    return reader


# ---- geometry ----------------------------------------------------------------------------
# Matrices are PDF's six numbers (a, b, c, d, e, f): (x, y) -> (ax + cy + e, bx + dy + f). They
# are worked out in plain floats, quarter turns exactly (no cos/sin rounding), a few operations a
# page; ``upright`` and ``place`` give them to callers as pypdf Transformations.

Matrix = tuple[float, float, float, float, float, float]


def _then(m: Matrix, n: Matrix) -> Matrix:
    """``m`` first, then ``n``."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _move(dx: float, dy: float) -> Matrix:
    return (1.0, 0.0, 0.0, 1.0, dx, dy)


def _turn(degrees: float) -> Matrix:
    """Counter-clockwise by ``degrees``."""
    quarter = {0: (1.0, 0.0), 90: (0.0, 1.0), 180: (-1.0, 0.0), 270: (0.0, -1.0)}.get(degrees % 360)
    if quarter is None:
        rad = math.radians(degrees)
        quarter = (math.cos(rad), math.sin(rad))
    cos, sin = quarter
    return (cos, sin, -sin, cos, 0.0, 0.0)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _upright(box: Box, rotation: int) -> tuple[Matrix, float, float]:
    x, y, w, h = box
    turn = _then(_move(-x, -y), _turn(-rotation))
    corners = [_apply(turn, cx, cy) for cx, cy in ((x, y), (x + w, y), (x, y + h), (x + w, y + h))]
    min_x = min(c[0] for c in corners)
    min_y = min(c[1] for c in corners)
    width = max(c[0] for c in corners) - min_x
    height = max(c[1] for c in corners) - min_y
    return _then(turn, _move(-min_x, -min_y)), width, height


def upright(box: Box, rotation: int) -> tuple[Transformation, float, float]:
    """Matrix taking a page's content into its upright view (as a viewer shows it, /Rotate
    applied) with the origin at the lower-left corner; and the view's width and height."""
    m, width, height = _upright(box, rotation)
    return Transformation(m), width, height


def fits_exactly(width: float, height: float, slot: Box) -> bool:
    return abs(width - slot[2]) <= SIZE_TOLERANCE_PT and abs(height - slot[3]) <= SIZE_TOLERANCE_PT


def _place(width: float, height: float, slot: Box, turned: bool, toward_spine: float) -> Matrix:
    sx, sy, sw, sh = slot
    scale = 1.0 if fits_exactly(width, height, slot) else min(sw / width, sh / height)
    m = (scale, 0.0, 0.0, scale, sx + (sw - width * scale) / 2, sy + (sh - height * scale) / 2)
    if turned:
        cx, cy = sx + sw / 2, sy + sh / 2
        m = _then(_then(_then(m, _move(-cx, -cy)), _turn(180)), _move(cx, cy))
    return _then(m, _move(toward_spine, 0.0))


def place(width: float, height: float, slot: Box, turned: bool, toward_spine: float) -> Transformation:
    """Matrix taking an upright page of ``width`` x ``height`` into ``slot``: scaled to fit,
    centred, turned 180 degrees if asked, then moved ``toward_spine`` points (positive: right)."""
    return Transformation(_place(width, height, slot, turned, toward_spine))


# ---- form fields -------------------------------------------------------------------------

def _widget_appearance(annot: DictionaryObject) -> Optional[StreamObject]:
    """The normal appearance a filled form field shows, or None (hidden, no appearance)."""
    if annot.get("/Subtype") != "/Widget" or int(annot.get("/F", 0)) & 0b100010:  # Hidden | NoView
        return None
    normal = annot.get("/AP", DictionaryObject()).get_object().get("/N")
    if normal is None:
        return None
    normal = normal.get_object()
    if isinstance(normal, StreamObject):
        return normal
    state = annot.get("/AS")
    chosen = normal.get(state) if state is not None else None
    return chosen.get_object() if chosen is not None else None


def _appearance_matrix(stream: StreamObject, rect: ArrayObject) -> Transformation:
    """PDF 32000 12.5.5: the appearance's transformed BBox is mapped onto the annotation's /Rect."""
    bx0, by0, bx1, by1 = (float(v) for v in stream.get("/BBox", [0, 0, 1, 1]))
    own = Transformation(tuple(float(v) for v in stream.get("/Matrix", [1, 0, 0, 1, 0, 0])))
    pts = [own.apply_on([x, y]) for x, y in ((bx0, by0), (bx1, by0), (bx0, by1), (bx1, by1))]
    x0, y0 = min(p[0] for p in pts), min(p[1] for p in pts)
    x1, y1 = max(p[0] for p in pts), max(p[1] for p in pts)
    rx0, rx1, ry0, ry1 = (*sorted((float(rect[0]), float(rect[2]))), *sorted((float(rect[1]), float(rect[3]))))
    sx = (rx1 - rx0) / (x1 - x0) if x1 > x0 else 1.0
    sy = (ry1 - ry0) / (y1 - y0) if y1 > y0 else 1.0
    return Transformation().translate(-x0, -y0).scale(sx, sy).translate(rx0, ry0)


def has_form_fields(reader: PdfReader) -> bool:
    """Whether the document has an interactive form (only then are widgets looked for: a page
    can carry thousands of link annotations, and reading them all is slow)."""
    form = reader.trailer["/Root"].get("/AcroForm")
    return form is not None and bool(form.get_object().get("/Fields"))


def _flattened_fields(page, writer: PdfWriter) -> tuple[bytes, dict[str, IndirectObject]]:
    """Drawing commands and XObjects for the page's visible form-field appearances."""
    commands: list[str] = []
    xobjects: dict[str, IndirectObject] = {}
    for i, ref in enumerate(page.get("/Annots", None) or []):
        annot = ref.get_object()
        appearance = _widget_appearance(annot)
        if appearance is None or "/Rect" not in annot:
            continue
        name = f"/CAField{i}"
        form = appearance.clone(writer)
        form[NameObject("/Subtype")] = NameObject("/Form")   # some writers leave it out
        xobjects[name] = writer._add_object(form)
        commands.append(f"q {_cm(_appearance_matrix(appearance, annot['/Rect']))} {name} Do Q")
    return "\n".join(commands).encode(), xobjects


# ---- writing -----------------------------------------------------------------------------

def _cm(m: Union[Matrix, Transformation]) -> str:
    ctm = m.ctm if isinstance(m, Transformation) else m
    return " ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in ctm) + " cm"


def _page_data(page) -> bytes:
    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object()
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    return b"\n".join(part.get_object().get_data() for part in parts)


def _single_stream(page) -> Optional[EncodedStreamObject]:
    """The page's content when it is one encoded stream (as most writers make it), else None."""
    contents = page.get("/Contents")
    if contents is None:
        return None
    contents = contents.get_object()
    if isinstance(contents, ArrayObject):
        if len(contents) != 1:
            return None
        contents = contents[0].get_object()
    return contents if isinstance(contents, EncodedStreamObject) and contents.get("/Filter") else None


def _resources(page, writer: PdfWriter, shared: Optional[dict]) -> Union[DictionaryObject, IndirectObject]:
    """The page's resources in ``writer``. Pages whose resource dictionaries are written out in
    each page alike (one font, as most writers make a report) share one copy, kept in ``shared``:
    one object cloned and written instead of one a page."""
    raw = page.get("/Resources")
    if raw is None:
        return DictionaryObject()
    if shared is None or isinstance(raw, IndirectObject):     # an indirect one is cloned once anyway
        return raw.get_object().clone(writer)
    key = repr(raw)             # names, numbers, strings and references to the source's objects
    if key not in shared:
        shared[key] = writer._add_object(raw.clone(writer))
    return shared[key]


def page_xobject(page, writer: PdfWriter, with_fields: bool, shared: Optional[dict] = None) -> IndirectObject:
    """The page (content, resources, filled form fields) as one Form XObject in ``writer``."""
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    field_commands, field_xobjects = _flattened_fields(page, writer) if with_fields else (b"", {})
    resources = _resources(page, writer, None if field_xobjects else shared)
    single = None if field_xobjects else _single_stream(page)
    if single is not None:
        # One content stream: its bytes go across still encoded, filters and all (no
        # decoding and compressing again: most of the time imposition would take).
        form = EncodedStreamObject()
        form._data = single._data
        for key in ("/Filter", "/DecodeParms"):
            if key in single:
                form[NameObject(key)] = single[key].clone(writer)
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (x0, y0, x1, y1)),
            NameObject("/Resources"): resources,
        })
        return writer._add_object(form)
    data = _page_data(page)
    if field_xobjects:
        resources = DictionaryObject(resources)
        inner = resources.get("/XObject")
        inner = DictionaryObject(inner.get_object()) if inner is not None else DictionaryObject()
        inner.update({NameObject(k): v for k, v in field_xobjects.items()})
        resources[NameObject("/XObject")] = inner
        data = b"q\n" + data + b"\nQ\n" + field_commands
    form = DecodedStreamObject()
    form.set_data(data)
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (x0, y0, x1, y1)),
        NameObject("/Resources"): resources,
    })
    return writer._add_object(form.flate_encode())


def _write_atomically(writer: PdfWriter, out: Path) -> Path:
    """Write to a temporary file beside ``out``; the caller renames it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            writer.write(fh)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


@dataclass
class _Layout:
    reader: PdfReader
    sheet_w: float
    sheet_h: float
    n_sheets: int
    options: ImposeOptions
    with_fields: bool
    _upright: dict[int, tuple[Matrix, float, float]] = field(default_factory=dict)

    def slot(self, half: str) -> Box:
        w = self.sheet_w / 2
        return (0.0 if half == "left" else w, 0.0, w, self.sheet_h)

    def upright(self, number: int) -> tuple[Matrix, float, float]:
        """Page ``number`` (1-based): the matrix to its upright view, and that view's size."""
        if number not in self._upright:
            page = self.reader.pages[number - 1]
            x0, y0, x1, y1 = (float(v) for v in page.cropbox)
            self._upright[number] = _upright((x0, y0, x1 - x0, y1 - y0), page.rotation)
        return self._upright[number]

    def shift(self, side: Side, half: str) -> float:
        creep = creep_shift(side.sheet, self.n_sheets, self.options.creep_mm * MM_PT)
        return creep if half == "left" else -creep


def _write_sides(layout: _Layout, sides: list[Side]) -> PdfWriter:
    writer = PdfWriter()
    forms: dict[int, IndirectObject] = {}
    shared: dict[str, IndirectObject] = {}
    for side in sides:
        sheet = writer.add_blank_page(layout.sheet_w, layout.sheet_h)
        draws: list[str] = []
        names = DictionaryObject()
        for half, number in (("left", side.left), ("right", side.right)):
            if number is None:
                continue
            page = layout.reader.pages[number - 1]
            if number not in forms:
                forms[number] = page_xobject(page, writer, layout.with_fields, shared)
            to_upright, w, h = layout.upright(number)
            m = _then(to_upright, _place(w, h, layout.slot(half), side.turned, layout.shift(side, half)))
            names[NameObject(f"/P{number}")] = forms[number]
            draws.append(f"q {_cm(m)} /P{number} Do Q")
        if layout.options.marks and side.face == "front":
            draws.append(finishing_marks(layout.sheet_w, layout.sheet_h))
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): names})
        content = DecodedStreamObject()
        content.set_data("\n".join(draws).encode())
        sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    return writer


def scaled_pages(layout: _Layout, half: Box) -> list[int]:
    """1-based pages whose upright size is not the half sheet's: they are scaled to fit."""
    out = []
    for number in range(1, len(layout.reader.pages) + 1):
        _, w, h = layout.upright(number)
        if not fits_exactly(w, h, half):
            out.append(number)
    return out


def manual_duplex_paths(out: Path) -> tuple[Path, Path]:
    return out.with_name(f"{out.stem}-fronts{out.suffix}"), out.with_name(f"{out.stem}-backs{out.suffix}")


def manual_duplex_instruction(fronts: Path, backs: Path, duplex: Duplex) -> str:
    edge = "短边" if duplex == "short" else "长边"
    return (f"先单面打印 {fronts.name}；把整叠纸沿{edge}翻面放回纸盒"
            f"（最后打出的那张最先进纸，空白面朝向打印面），再打印 {backs.name}。")


def impose_pdf(
    src: Union[Path, bytes],
    out: Path,
    options: ImposeOptions = ImposeOptions(),
    progress: Optional[Callable[[str], None]] = None,
) -> ImposeResult:
    """Impose ``src`` as a saddle-stitch booklet into ``out`` (or ``out``-fronts/-backs)."""
    say = progress or (lambda message: None)
    if options.creep_mm < 0:
        raise UsageError(f"--creep-mm 不能为负数，收到 {options.creep_mm}")
    sheet_w, sheet_h = sheet_size(options.sheet)
    reader = open_source(Path(src) if isinstance(src, (str, os.PathLike)) else src)
    n_pages = len(reader.pages)
    sheets = plan_booklet(n_pages, options.keep_last)
    sides = printed_sides(sheets, options.duplex)
    layout = _Layout(reader, sheet_w, sheet_h, len(sheets), options, has_form_fields(reader))
    say(f"{n_pages} 页 → {len(sheets)} 张 {options.sheet}")

    out = Path(out)
    if options.manual_duplex:
        fronts, backs = manual_duplex_files(sides)
        targets = list(zip(manual_duplex_paths(out), (fronts, backs)))
    else:
        targets = [(out, sides)]
    temps: list[tuple[Path, Path]] = []
    try:
        for path, part in targets:
            say(f"写出 {path.name}")
            temps.append((_write_atomically(_write_sides(layout, part), path), path))
        for tmp, path in temps:
            publish(tmp, path)
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise

    outputs = [path for path, _ in targets]
    return ImposeResult(
        sheets=len(sheets),
        source_pages=n_pages,
        blanks_added=4 * len(sheets) - n_pages,
        scaled_pages=scaled_pages(layout, layout.slot("left")),
        outputs=outputs,
        instruction=manual_duplex_instruction(*outputs, options.duplex) if options.manual_duplex else "",
    )
