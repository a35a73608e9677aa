"""Identity-H composite fonts: one font per typeface, text extractable, subsets minimal,
bytes reproducible."""
from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FTFont
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from closure_app.fonts import parsed

ROOT = Path(__file__).resolve().parents[1]
FANG = ROOT / "fonts" / "open" / "FandolFang-Regular.ttf"
EXT_B = ROOT / "fonts" / "open" / "HanaMinB-ExtB.ttf"
TEXT = "巴中市哲学社会科学规划项目（结项）ABC 123，终。"
pytestmark = pytest.mark.skipif(not FANG.is_file(), reason="fonts/open/FandolFang-Regular.ttf missing")


def _pdf(lines: list[tuple[str, str]]) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, initialFontName=lines[0][0])
    y = 800
    for font, text in lines:
        t = c.beginText(50, y)
        t.setFont(font, 12)
        t.textOut(text)
        c.drawText(t)
        y -= 20
    c.showPage()
    c.save()
    return buf.getvalue()


def _fonts(data: bytes) -> list:
    reader = PdfReader(io.BytesIO(data))
    res = reader.pages[0]["/Resources"]["/Font"]
    return [res[k].get_object() for k in sorted(res)]


def test_one_type0_font_per_typeface_and_text_extractable():
    name = parsed.register(FANG)
    data = _pdf([(name, TEXT), (name, TEXT[::-1])])
    fonts = _fonts(data)
    assert len(fonts) == 1
    f = fonts[0]
    assert f["/Subtype"] == "/Type0" and f["/Encoding"] == "/Identity-H"
    cid = f["/DescendantFonts"][0].get_object()
    assert cid["/Subtype"] == "/CIDFontType2"
    assert re.fullmatch(r"/[A-Z]{6}\+FandolFang-Regular", str(f["/BaseFont"]))
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert TEXT in text and TEXT[::-1] in text


def test_one_show_text_per_line():
    name = parsed.register(FANG)
    data = _pdf([(name, TEXT * 20)])   # far more than 256 distinct glyphs would split before
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    assert content.count(" Tf") == 1 and content.count("Tj") == 1


def test_subset_holds_exactly_the_glyphs_used():
    name = parsed.register(FANG)
    data = _pdf([(name, TEXT)])
    cid = _fonts(data)[0]["/DescendantFonts"][0].get_object()
    program = cid["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
    sub = FTFont(io.BytesIO(program))
    full = FTFont(str(FANG), lazy=True)
    glyphs = {full.getBestCmap()[ord(ch)] for ch in set(TEXT) if ord(ch) in full.getBestCmap()}
    assert sub["maxp"].numGlyphs == len(glyphs) + 1     # and .notdef
    # each code draws its character's glyph (same outline, same advance), at the width the
    # layout measured
    gid_map = cid["/CIDToGIDMap"].get_object().get_data()
    order = sub.getGlyphOrder()
    widths = cid["/W"]
    assert widths[0] == 1 and len(widths[1]) == len(dict.fromkeys(TEXT))
    full_cmap = full.getBestCmap()
    for code, ch in enumerate(dict.fromkeys(TEXT), 1):
        gid = int.from_bytes(gid_map[2 * code:2 * code + 2], "big")
        mine, theirs = sub["glyf"][order[gid]], full["glyf"][full_cmap[ord(ch)]]
        assert mine.getCoordinates(sub["glyf"])[0] == theirs.getCoordinates(full["glyf"])[0], ch
        assert sub["hmtx"][order[gid]][0] == full["hmtx"][full_cmap[ord(ch)]][0], ch
        assert widths[1][code - 1] == pytest.approx(pdfmetrics.stringWidth(ch, name, 1000)), ch


def test_reproducible_bytes():
    name = parsed.register(FANG)
    assert _pdf([(name, TEXT)]) == _pdf([(name, TEXT)])


@pytest.mark.skipif(not EXT_B.is_file(), reason="no Extension B font shipped")
def test_beyond_bmp_extracts_as_one_character():
    name = parsed.register(EXT_B)
    ch = next(chr(cp) for cp in sorted(parsed.charset(EXT_B)) if cp > 0xFFFF)
    data = _pdf([(name, ch)])
    cmap = _fonts(data)[0]["/ToUnicode"].get_object().get_data().decode("ascii")
    assert f"<0001> <{ch.encode('utf-16-be').hex().upper()}>" in cmap
    assert ch in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_second_face_of_a_collection_embeds_its_own_glyphs(tmp_path):
    """A .ttc: tables are found at the face's own offsets, not the first face's."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    wqy = ROOT / "fonts" / "open" / "WenQuanYiMicroHei.ttf"
    if not wqy.is_file():
        pytest.skip("fonts/open/WenQuanYiMicroHei.ttf missing")
    faces = []
    for src in (FANG, wqy):
        font = FTFont(str(src))
        sub = subset.Subsetter()
        sub.populate(text=TEXT)
        sub.subset(font)
        faces.append(font)
    ttc = tmp_path / "pair.ttc"
    collection = TTCollection()
    collection.fonts = faces
    collection.save(str(ttc))
    name = parsed.register(ttc, 1)
    data = _pdf([(name, TEXT)])
    cid = _fonts(data)[0]["/DescendantFonts"][0].get_object()
    program = cid["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
    sub = FTFont(io.BytesIO(program))
    full = TTCollection(str(ttc)).fonts[1]
    gid_map = cid["/CIDToGIDMap"].get_object().get_data()
    for code, ch in enumerate(dict.fromkeys(TEXT), 1):
        if ord(ch) not in full.getBestCmap():
            continue
        gid = int.from_bytes(gid_map[2 * code:2 * code + 2], "big")
        mine = sub["glyf"][sub.getGlyphOrder()[gid]]
        theirs = full["glyf"][full.getBestCmap()[ord(ch)]]
        assert mine.getCoordinates(sub["glyf"])[0] == theirs.getCoordinates(full["glyf"])[0], ch
    assert TEXT.replace(" ", "") in PdfReader(io.BytesIO(data)).pages[0].extract_text().replace(" ", "")


def test_the_font_file_is_the_one_fonttools_would_write():
    """The subset's tables are assembled by SFNTWriter in TTFont.save's order: the same bytes
    as TTFont.save of the same raw tables."""
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    from closure_app.render.pdf import cidfont

    face = pdfmetrics.getFont(parsed.register(FANG)).face
    tables = {}
    real = cidfont.sfnt
    cidfont.sfnt = lambda raw: tables.update(raw) or real(raw)
    try:
        program, _ = cidfont.subset_program(face, [face.charToGlyph[ord(ch)] for ch in "巴中市（）ABC"])
    finally:
        cidfont.sfnt = real
    font = FTFont(recalcBBoxes=False, recalcTimestamp=False)
    for tag in sorted(tables):
        table = DefaultTable(tag)
        table.data = tables[tag]
        font.tables[tag] = table
    buf = io.BytesIO()
    font.save(buf, reorderTables=False)
    assert {"glyf", "head", "hhea", "hmtx", "loca", "maxp", "post"} <= set(tables)
    assert program == buf.getvalue()
