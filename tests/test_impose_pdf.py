"""Real booklets read back half sheet by half sheet, then folded in the model."""
from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A5, letter

from closure_app.errors import UsageError, UserError
from closure_app.impose import ImposeOptions, impose_pdf
from closure_app.impose.pdf import sheet_size, upright
from closure_app.profile import MM_PT
from foldmodel import Cell, read_booklet
from pdf_fixtures import LABEL_RE, form_pdf, label, numbered_pdf, shipped_cjk_font

A3_LANDSCAPE = (1190.55, 841.89)


def halves(page):
    w, h = page.width, page.height
    return page.crop((0, 0, w / 2, h)), page.crop((w / 2, 0, w, h))


def read_half(half) -> Cell:
    """The page label drawn in a half sheet, and whether it is upside down; None if blank."""
    chars = [c for c in half.chars if c["text"].strip()]
    found = LABEL_RE.search("".join(c["text"] for c in chars))
    if not found:
        return Cell(None)
    turned = all(c["matrix"][0] < 0 for c in chars if c["text"] in "PAGE-0123456789")
    return Cell(int(found.group(1)), turned)


def read_sides(path: Path) -> list[tuple[Cell, Cell]]:
    with pdfplumber.open(path) as pdf:
        return [tuple(read_half(h) for h in halves(page)) for page in pdf.pages]


def impose(tmp_path, source: bytes, **options):
    out = tmp_path / "booklet.pdf"
    return impose_pdf(source, out, ImposeOptions(**options)), out


@pytest.mark.parametrize("duplex", ["short", "long"])
@pytest.mark.parametrize("n_pages", [1, 2, 3, 4, 5, 7, 8, 9, 12, 17])
def test_printed_booklet_folds_into_reading_order(tmp_path, n_pages, duplex):
    result, out = impose(tmp_path, numbered_pdf(n_pages), duplex=duplex)
    pages = read_booklet(read_sides(out), duplex)
    assert pages[:n_pages] == list(range(1, n_pages + 1))
    assert set(pages[n_pages:]) <= {None}
    assert (result.sheets, result.blanks_added) == (len(pages) // 4, len(pages) - n_pages)


def test_keep_last_in_the_printed_booklet(tmp_path):
    _, out = impose(tmp_path, numbered_pdf(6), keep_last=1)
    assert read_booklet(read_sides(out), "short") == [1, 2, 3, 4, 5, None, None, 6]


def test_every_sheet_side_is_landscape_a3(tmp_path):
    _, out = impose(tmp_path, numbered_pdf(7))
    sizes = {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
             for p in PdfReader(out).pages}
    assert sizes == {A3_LANDSCAPE}


def test_pages_are_drawn_not_rasterised(tmp_path):
    _, out = impose(tmp_path, numbered_pdf(4))
    with pdfplumber.open(out) as pdf:
        assert all(not page.images for page in pdf.pages)
        assert label(1) in pdf.pages[0].extract_text()


def test_other_sizes_are_scaled_into_their_half_and_reported(tmp_path):
    source = numbered_pdf(4, sizes={2: A5, 3: letter})
    result, out = impose(tmp_path, source)
    assert result.scaled_pages == [2, 3]
    with pdfplumber.open(out) as pdf:
        back = pdf.pages[1]          # sheet 1 back: pages 2 | 3
        for half, number in zip(halves(back), (2, 3)):
            assert read_half(half).label == number
            words = [w for w in half.extract_words() if w["text"] == label(number)]
            (word,) = words
            centre = (word["x0"] + word["x1"]) / 2
            assert abs(centre - (half.bbox[0] + half.bbox[2]) / 2) < 2   # centred in its half


def test_a4_pages_are_not_scaled(tmp_path):
    result, _ = impose(tmp_path, numbered_pdf(4))
    assert result.scaled_pages == []


def test_page_stored_sideways_is_shown_as_a_viewer_shows_it(tmp_path):
    result, out = impose(tmp_path, numbered_pdf(4, stored_turned={3}))
    assert result.scaled_pages == []        # upright it is A4 portrait: fits its half 1:1
    with pdfplumber.open(out) as pdf:
        left, right = halves(pdf.pages[1])  # sheet 1 back: pages 2 | 3
        assert read_half(right) == Cell(3, False)
        chars = [c for c in right.chars if c["text"] in "PAGE"]
        assert chars and all(c["upright"] for c in chars)


def test_filled_form_fields_survive(tmp_path):
    _, out = impose(tmp_path, form_pdf("FILLED-BZ25ZC124"))
    with pdfplumber.open(out) as pdf:
        assert "FILLED-BZ25ZC124" in pdf.pages[0].extract_text()


def test_manual_duplex_writes_fronts_and_backs(tmp_path):
    result, out = impose(tmp_path, numbered_pdf(12), manual_duplex=True)
    fronts, backs = result.outputs
    assert (fronts.name, backs.name) == ("booklet-fronts.pdf", "booklet-backs.pdf")
    assert not out.exists()
    assert fronts.name in result.instruction and backs.name in result.instruction
    front_sides, back_sides = read_sides(fronts), read_sides(backs)
    assert len(front_sides) == len(back_sides) == 3
    # the backs file runs last sheet first: pair it back up before folding
    pairs = [side for k in range(3) for side in (front_sides[k], back_sides[2 - k])]
    assert read_booklet(pairs, "short") == list(range(1, 13))


def test_marks_are_drawn_only_when_asked(tmp_path):
    _, plain = impose(tmp_path, numbered_pdf(4))
    marked = tmp_path / "marked.pdf"
    impose_pdf(numbered_pdf(4), marked, ImposeOptions(marks=True))
    with pdfplumber.open(plain) as a, pdfplumber.open(marked) as b:
        assert a.pages[0].lines == []
        lines = b.pages[0].lines
        spine = b.pages[0].width / 2
        fold = [ln for ln in lines if abs(ln["x0"] - spine) < 0.1 and abs(ln["x1"] - spine) < 0.1]
        staples = [ln for ln in lines if ln["x0"] < spine < ln["x1"]]
        assert len(fold) == 2 and len(staples) == 2
        assert all(ln["linewidth"] < 0.5 for ln in lines)
        # the fold marks stay in the margin, clear of the page's text block
        assert all(ln["bottom"] - ln["top"] <= 10 * MM_PT + 0.1 for ln in fold)
        assert b.pages[1].lines == []      # backs carry no marks


def label_x(page, number: int) -> float:
    (word,) = [w for w in page.extract_words() if w["text"] == label(number)]
    return (word["x0"] + word["x1"]) / 2


def test_creep_moves_inner_sheets_toward_the_spine(tmp_path):
    source = numbered_pdf(12)
    _, plain = impose(tmp_path, source)
    crept = tmp_path / "crept.pdf"
    impose_pdf(source, crept, ImposeOptions(creep_mm=2))
    with pdfplumber.open(plain) as a, pdfplumber.open(crept) as b:
        # sheet 1 front (12 | 1) stays; sheet 3 front (8 | 5) moves 2 mm inward on both halves
        assert label_x(b.pages[0], 1) == pytest.approx(label_x(a.pages[0], 1), abs=0.01)
        assert label_x(b.pages[4], 8) - label_x(a.pages[4], 8) == pytest.approx(2 * MM_PT, abs=0.05)
        assert label_x(b.pages[4], 5) - label_x(a.pages[4], 5) == pytest.approx(-2 * MM_PT, abs=0.05)


def embedded_fonts(path: Path) -> dict[str, bool]:
    """Every font the output uses (looking inside Form XObjects) -> embedded?"""
    found: dict[str, bool] = {}

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            desc_font = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            desc = desc_font.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            found[str(font["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for xobj in (resources.get("/XObject") or {}).values():
            xobj = xobj.get_object()
            if xobj.get("/Subtype") == "/Form":
                walk(xobj.get("/Resources"))

    for page in PdfReader(path).pages:
        walk(page.get("/Resources"))
    return found


CJK_FONT = shipped_cjk_font()


@pytest.mark.skipif(CJK_FONT is None, reason="no TrueType CJK font under fonts/open/ to build a CJK source")
def test_cjk_fonts_stay_embedded(tmp_path):
    _, out = impose(tmp_path, numbered_pdf(6, cjk_font=CJK_FONT))
    fonts = embedded_fonts(out)
    assert fonts and all(fonts.values()), fonts
    with pdfplumber.open(out) as pdf:
        assert "巴中" in pdf.pages[0].extract_text()


def test_embedded_font_reader_sees_an_unembedded_font(tmp_path):
    _, out = impose(tmp_path, numbered_pdf(2))        # Helvetica: a standard font, not embedded
    assert embedded_fonts(out)["/Helvetica-Bold"] is False


# ---- bad input: a clear Chinese message, nothing half written ------------------------------

def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(numbered_pdf(2))))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def empty_pdf() -> bytes:
    buf = io.BytesIO()
    PdfWriter().write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("source,message", [
    (b"hello, not a pdf", "不是 PDF"),
    (b"%PDF-1.7\n garbage", "无法读取"),
    (encrypted_pdf(), "已加密"),
    (empty_pdf(), "没有页面"),
])
def test_bad_input_is_a_user_error_and_writes_nothing(tmp_path, source, message):
    out = tmp_path / "booklet.pdf"
    with pytest.raises(UserError, match=message):
        impose_pdf(source, out)
    assert list(tmp_path.iterdir()) == []


def test_missing_file(tmp_path):
    with pytest.raises(UserError, match="找不到文件"):
        impose_pdf(tmp_path / "absent.pdf", tmp_path / "out.pdf")


def test_failed_run_keeps_the_previous_output(tmp_path):
    out = tmp_path / "booklet.pdf"
    out.write_bytes(b"previous")
    with pytest.raises(UsageError):
        impose_pdf(numbered_pdf(3), out, ImposeOptions(keep_last=5))
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["booklet.pdf"]


def test_negative_creep_is_refused(tmp_path):
    with pytest.raises(UsageError, match="creep"):
        impose_pdf(numbered_pdf(3), tmp_path / "o.pdf", ImposeOptions(creep_mm=-1))


# ---- geometry helpers ---------------------------------------------------------------------

def test_sheet_size_reads_a_paper_name():
    assert tuple(round(v, 2) for v in sheet_size("A3")) == A3_LANDSCAPE
    with pytest.raises(UsageError, match="未知纸张"):
        sheet_size("A99")


@pytest.mark.parametrize("rotation,size", [(0, (100, 200)), (90, (200, 100)), (180, (100, 200)), (270, (200, 100))])
def test_upright_view_of_a_rotated_page(rotation, size):
    m, w, h = upright((10, 20, 100, 200), rotation)
    assert (round(w), round(h)) == size
    corners = [m.apply_on([x, y]) for x, y in ((10, 20), (110, 220))]
    assert sorted(c[0] for c in corners) == pytest.approx([0, w])
    assert sorted(c[1] for c in corners) == pytest.approx([0, h])


def test_pages_with_like_resources_share_one_copy(tmp_path):
    """reportlab writes each page's resources out in the page: the booklet keeps one copy."""
    _, out = impose(tmp_path, numbered_pdf(8, cjk_font=shipped_cjk_font()))
    forms = [x for page in PdfReader(out).pages for x in page["/Resources"]["/XObject"].values()]
    refs = {form.get_object().raw_get("/Resources").idnum for form in forms}
    assert len(forms) == 8 and len(refs) == 1
    with pdfplumber.open(out) as pdf:
        assert [read_half(h) for h in halves(pdf.pages[0])] == [Cell(8, False), Cell(1, False)]
