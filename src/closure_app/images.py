"""Image files behind figures: what each one is (checked once, from its header), how big it
prints, and the pixels each back end embeds.

Raster formats (PNG, JPEG, GIF, BMP, TIFF, WebP) go through Pillow: EXIF orientation is
applied, a CMYK JPEG stays CMYK, and an image with more pixels than ``MAX_PIXELS`` is refused
before it is decoded (a decompression bomb). SVG is read by svglib as vectors.

Every problem is an ``ImageProblem`` whose message is Chinese and names the file; the reader
and the back ends add the source line.
"""
from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

RASTER_KINDS = ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP")
KINDS_SHOWN = "PNG、JPEG、GIF、BMP、TIFF、WebP、SVG"
MAX_PIXELS = 60_000_000          # 60 megapixels (a 9500 x 6300 photo); more is refused
MAX_FILE_BYTES = 80 * 1024 * 1024
MAX_SVG_BYTES = 10 * 1024 * 1024
DEFAULT_DPI = 96.0               # a raster that states no resolution (as browsers assume)
PT_PER_INCH = 72.0
ROTATED = (5, 6, 7, 8)           # EXIF orientations that swap width and height


class ImageProblem(Exception):
    """An image that cannot be used; ``message`` is Chinese and names the file."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImageInfo:
    path: Path
    kind: str                    # one of RASTER_KINDS, or "SVG"
    width_pt: float              # natural size (raster: pixels at its stated resolution)
    height_pt: float
    pixels: Optional[tuple[int, int]] = None   # raster: upright pixel size, EXIF applied
    orientation: int = 1         # EXIF orientation (1: upright)
    mode: str = ""               # Pillow mode of a raster (RGB, CMYK, P ...)

    @property
    def aspect(self) -> float:
        """height / width."""
        return self.height_pt / self.width_pt

    def dpi_at(self, width_pt: float) -> Optional[float]:
        """The resolution a raster prints at when ``width_pt`` wide; None for vectors."""
        if self.pixels is None or width_pt <= 0:
            return None
        return self.pixels[0] / (width_pt / PT_PER_INCH)


def _where(path: Path) -> str:
    return f"图片 {path}"


def probe(path: Path) -> ImageInfo:
    """Check ``path`` and read its size without decoding the pixels."""
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ImageProblem(f"{_where(path)} 不存在（路径相对于书稿所在的文件夹）") from None
    except OSError as exc:
        raise ImageProblem(f"{_where(path)} 无法读取：{exc.strerror or exc}") from None
    if path.is_dir():
        raise ImageProblem(f"{_where(path)} 是文件夹，不是图片文件")
    if stat.st_size == 0:
        raise ImageProblem(f"{_where(path)} 是空文件")
    if stat.st_size > MAX_FILE_BYTES:
        raise ImageProblem(f"{_where(path)} 太大（{stat.st_size / 2**20:.0f} MB，"
                           f"上限 {MAX_FILE_BYTES // 2**20} MB）：请先压缩或缩小")
    return _probe(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1024)
def _probe(path: Path, _mtime: int, size: int) -> ImageInfo:
    with open(path, "rb") as fh:
        head = fh.read(512)
    if _looks_like_svg(path, head):
        if size > MAX_SVG_BYTES:
            raise ImageProblem(f"{_where(path)} 太大（SVG 上限 {MAX_SVG_BYTES // 2**20} MB）")
        drawing = load_svg(path)
        return ImageInfo(path, "SVG", float(drawing.width), float(drawing.height))
    return _probe_raster(path)


def _looks_like_svg(path: Path, head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return path.suffix.lower() in (".svg", ".svgz") or text.startswith((b"<svg", b"<?xml")) and b"<svg" in head.lower()


def _open_raster(path: Path):
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(path, None) from None
        except UnidentifiedImageError:
            raise ImageProblem(f"{_where(path)} 不是可识别的图片（支持 {KINDS_SHOWN}）") from None
        except OSError as exc:
            raise ImageProblem(f"{_where(path)} 无法读取：{exc}") from None
    if img.format not in RASTER_KINDS:
        img.close()
        raise ImageProblem(f"{_where(path)} 是 {img.format} 格式，不支持（支持 {KINDS_SHOWN}）")
    w, h = img.size
    if w * h > MAX_PIXELS:
        img.close()
        raise _too_many_pixels(path, (w, h))
    return img


def _too_many_pixels(path: Path, size) -> ImageProblem:
    got = f"{size[0]}×{size[1]} 像素，" if size else ""
    return ImageProblem(f"{_where(path)} 像素过多（{got}上限 {MAX_PIXELS // 1_000_000} 百万像素）："
                        "可能是损坏或恶意的文件，或请先缩小图片")


def _probe_raster(path: Path) -> ImageInfo:
    img = _open_raster(path)
    try:
        w, h = img.size
        orientation = 1
        try:
            orientation = int(img.getexif().get(0x0112, 1) or 1)
        except Exception:           # a broken EXIF block: treat the image as upright
            orientation = 1
        if orientation not in range(1, 9):
            orientation = 1
        if img.format == "JPEG":
            _check_jpeg_complete(path)
        dpi = _dpi(img.info.get("dpi"))
        kind, mode = img.format, img.mode
    finally:
        img.close()
    if orientation in ROTATED:
        w, h = h, w
    return ImageInfo(path, kind, w * PT_PER_INCH / dpi, h * PT_PER_INCH / dpi, (w, h), orientation, mode)


def _dpi(value) -> float:
    try:
        x = float(value[0]) if isinstance(value, (tuple, list)) else float(value)
    except (TypeError, ValueError, IndexError):
        return DEFAULT_DPI
    return x if 10 <= x <= 10000 and math.isfinite(x) else DEFAULT_DPI


def _check_jpeg_complete(path: Path) -> None:
    """A JPEG goes into the PDF undecoded: a cut-off file must be caught here."""
    with open(path, "rb") as fh:
        fh.seek(-min(path.stat().st_size, 64), 2)
        tail = fh.read()
    if b"\xff\xd9" not in tail:
        raise ImageProblem(f"{_where(path)} 不完整（JPEG 文件被截断），请重新导出")


# ---- pixels for the back ends -------------------------------------------------------------

def upright(info: ImageInfo):
    """The decoded image, EXIF orientation applied, in a mode both back ends take (1-bit,
    16-bit and palette images become L/RGB/RGBA; CMYK stays CMYK)."""
    from PIL import ImageOps

    img = _open_raster(info.path)
    try:
        try:
            img.load()
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageProblem(f"{_where(info.path)} 已损坏，无法解码：{exc}") from None
        if getattr(img, "n_frames", 1) > 1:
            img.seek(0)
        out = ImageOps.exif_transpose(img) if info.orientation != 1 else img.copy()
    finally:
        img.close()
    mode = out.mode
    if mode in ("RGB", "L", "CMYK", "RGBA"):
        return out
    if mode in ("LA", "PA", "RGBa", "La") or mode == "P" and "transparency" in out.info:
        return out.convert("RGBA")
    if mode.startswith("I"):                      # 16- or 32-bit grey
        return out.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return out.convert("L" if mode == "1" else "RGB")


def png_bytes(img, fast: bool = False) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1 if fast else 6)
    return buf.getvalue()


def jpeg_bytes(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95, subsampling=0)
    return buf.getvalue()


@dataclass(frozen=True)
class PngData:
    """A PNG's compressed pixels as they are: the PDF takes them with the same filter (Flate
    with PNG predictors), so nothing is decoded or compressed again."""
    width: int
    height: int
    colors: int          # 1 grey, 3 RGB
    idat: bytes


def png_passthrough(info: ImageInfo) -> Optional[PngData]:
    """The IDAT data of a plain PNG (8-bit grey or RGB, not interlaced, no transparency, upright);
    None for any other PNG, which goes through Pillow instead."""
    import struct
    import zlib

    if info.kind != "PNG" or info.orientation != 1:
        return None
    data = info.path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if len(chunk) != length:
            return None
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            if zlib.crc32(kind + chunk) != struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]:
                raise ImageProblem(f"{_where(info.path)} 已损坏（数据校验不符），请重新导出")
            idat.append(chunk)
        elif kind == b"tRNS":
            return None
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None or not idat:
        return None
    width, height, depth, color_type, _, _, interlace = header
    if depth != 8 or color_type not in (0, 2) or interlace:
        return None
    return PngData(width, height, 1 if color_type == 0 else 3, b"".join(idat))


# ---- SVG ------------------------------------------------------------------------------------

def load_svg(path: Path):
    """The SVG as a reportlab Drawing (vectors)."""
    try:
        from svglib.svglib import svg2rlg
    except ImportError:  # pragma: no cover - a declared dependency
        raise ImageProblem("缺少 svglib，无法读取 SVG 图片") from None
    import logging

    logging.getLogger("svglib").setLevel(logging.ERROR)
    try:
        drawing = svg2rlg(str(path))
    except Exception as exc:
        raise ImageProblem(f"{_where(path)} 不是有效的 SVG：{exc}") from None
    if drawing is None or not drawing.width or not drawing.height \
            or drawing.width <= 0 or drawing.height <= 0:
        raise ImageProblem(f"{_where(path)} 不是有效的 SVG（没有宽高，或无法解析）")
    return drawing


def svg_png(info: ImageInfo, width_px: int, font: Optional[tuple[str, int]] = None) -> bytes:
    """A PNG rendering of an SVG ``width_px`` wide (the DOCX fallback picture): the drawing is
    set as a one-page PDF by reportlab and rasterised by pdfium. ``font``: see ``svg_drawing``."""
    import pypdfium2 as pdfium
    from reportlab.graphics import renderPDF

    data = renderPDF.drawToString(svg_drawing(info, font))
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        scale = width_px / page.get_width()
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
        return png_bytes(bitmap.to_pil().convert("RGB"), fast=True)
    finally:
        pdf.close()


def svg_drawing(info: ImageInfo, font: Optional[tuple[str, int]] = None):
    """The SVG as a reportlab Drawing whose text is drawn as glyph outlines of ``font`` (a
    font file and its index in a collection): an SVG asks for fonts by name (sans-serif,
    Helvetica …) that the PDF would not embed, and its words are part of the picture, not of
    the text a checker reads. Kept per file version and font: both back ends draw it, and
    drawing does not change it."""
    stat = info.path.stat()
    return _svg_drawing(info.path, stat.st_mtime_ns, stat.st_size, font)


@lru_cache(maxsize=64)
def _svg_drawing(path: Path, _mtime: int, _size: int, font: Optional[tuple[str, int]]):
    drawing = load_svg(path)
    if font is not None:
        text_as_outlines(drawing, *font)
    return drawing


@lru_cache(maxsize=8)
def _outline_font(path: str, index: int):
    from fontTools.ttLib import TTFont

    face = TTFont(path, fontNumber=index, lazy=True)
    return face.getGlyphSet(), face.getBestCmap(), face["hmtx"], face["head"].unitsPerEm


def text_as_outlines(drawing, font_path: str, index: int = 0) -> None:
    """Replace every String of ``drawing`` by a Path of its glyphs' outlines (in place)."""
    from fontTools.pens.reportLabPen import ReportLabPen
    from fontTools.pens.transformPen import TransformPen
    from reportlab.graphics.shapes import Group, Path, String

    glyphs, cmap, hmtx, upem = _outline_font(str(font_path), index)
    stack = [drawing]
    while stack:
        node = stack.pop()
        contents = getattr(node, "contents", [])
        for i, child in enumerate(contents):
            if isinstance(child, Group):
                stack.append(child)
                continue
            if not isinstance(child, String):
                continue
            scale = child.fontSize / upem
            names = [cmap.get(ord(ch), ".notdef") for ch in child.text]
            advance = sum(hmtx[n][0] if n in glyphs else 0 for n in names) * scale
            x = child.x - {"middle": advance / 2, "end": advance}.get(child.textAnchor, 0)
            path = Path(fillColor=child.fillColor, strokeColor=None, strokeWidth=0)
            pen = ReportLabPen(glyphs, path)
            for name in names:
                if name in glyphs and name != ".notdef":
                    glyphs[name].draw(TransformPen(pen, (scale, 0, 0, scale, x, child.y)))
                    x += hmtx[name][0] * scale
            contents[i] = path


# ---- size on the page -----------------------------------------------------------------------

def fit(info: ImageInfo, fraction: Optional[float], max_width: float, max_height: float) -> tuple[float, float]:
    """Printed (width, height) in pt: ``fraction`` of ``max_width``, or the natural size, never
    wider than ``max_width`` nor taller than ``max_height``."""
    width = max_width * fraction if fraction else min(info.width_pt, max_width)
    width = min(width, max_width)
    height = width * info.aspect
    if height > max_height:
        height = max_height
        width = height / info.aspect
    return width, height
