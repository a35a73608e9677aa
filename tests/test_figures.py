"""A report with six figures (PNG, JPEG with EXIF rotation, CMYK JPEG, SVG, a 4000-pixel photo,
a tall narrow chart) and three captioned tables, built as a user builds it, read back: the PDF
through pdfplumber (image boxes, caption lines, the text references print) and pdftoppm (the
rotated photo is upright), the DOCX through its XML (pictures, Caption paragraphs, SEQ and REF
fields with their cached results) and through LibreOffice's conversion."""
from __future__ import annotations

import itertools
import re
import subprocess
import zipfile
from io import BytesIO

import pdfplumber
import pytest
from docx_lo import needs_soffice, to_pdf  # noqa: F401 - to_pdf is a fixture
from figure_fixtures import FIGURES, report_text, write_report
from lxml import etree

from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build
from closure_app.profile import load_profile

PROFILE = load_profile()
GEO = PROFILE.page("report")
LEFT, TOP = GEO.margin_pt("inner"), GEO.margin_pt("top")
RIGHT, BOTTOM = LEFT + GEO.text_width_pt, TOP + GEO.text_height_pt
TOL = 0.5
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CAPTION = re.compile(r"^([图表]) (\d+)-(\d+)\u3000(.+)$")
RASTER = [f for f in FIGURES if not f[0].endswith(".svg")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("figures")
    report = write_report(folder)
    out = folder / "out"
    result = run_build(BuildPlan(None, report, out, Format.all, Booklet.none, check=True),
                       Progress(0, quiet=True))
    assert result.check_ok
    return out / "manuscript.pdf", out / "manuscript.docx"


def test_the_checker_finds_nothing_wrong_with_captions_or_pictures(built):
    from closure_app.check import check_file
    for path in built:
        report = check_file(path, PROFILE)
        about = [f for f in report.findings if f.message.startswith(PROFILE.role("caption").label)
                 or any(c in f.place for c in ("图 1-", "表 1-", "表 2-"))]
        assert about == [], report.render_text()


@pytest.fixture(scope="module")
def pdf_pages(built):
    with pdfplumber.open(built[0]) as pdf:
        return [{"images": page.images, "graphics": page.rects + page.curves,
                 "lines": _lines(page), "text": page.extract_text() or ""} for page in pdf.pages]


def _lines(page):
    rows: dict[float, list] = {}
    for c in page.chars:
        rows.setdefault(round(c["bottom"]), []).append(c)
    out = []
    for bottom, chars in sorted(rows.items()):
        chars.sort(key=lambda c: c["x0"])
        out.append({"text": "".join(c["text"] for c in chars), "top": min(c["top"] for c in chars),
                    "size": chars[0]["size"]})
    return out


def _captions(pdf_pages):
    """(kind, chapter, number, title, page, top) of every caption line, in reading order."""
    found = []
    for n, page in enumerate(pdf_pages, 1):
        for line in page["lines"]:
            m = CAPTION.match(line["text"])
            if m:
                found.append((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4), n, line["top"]))
    return found


# ---- PDF ----

def test_every_figure_and_its_graphics_lie_inside_the_text_block(pdf_pages):
    outside = []
    for n, page in enumerate(pdf_pages, 1):
        for obj in page["images"] + page["graphics"]:
            if obj["x0"] < LEFT - TOL or obj["x1"] > RIGHT + TOL or obj["top"] < TOP - TOL \
                    or obj["bottom"] > BOTTOM + TOL:
                outside.append((n, obj.get("name") or obj["object_type"],
                                round(obj["x0"]), round(obj["top"]), round(obj["x1"]), round(obj["bottom"])))
    assert outside == []
    assert sum(len(p["images"]) for p in pdf_pages) == len(RASTER)


def test_captions_are_numbered_per_chapter_in_the_caption_role(pdf_pages):
    captions = _captions(pdf_pages)
    figures = [(c[1], c[2], c[3]) for c in captions if c[0] == "图"]
    tables = [(c[1], c[2], c[3]) for c in captions if c[0] == "表" and not c[3].endswith("（续表）")]
    assert figures == [(1, k, f[1]) for k, f in enumerate(FIGURES, 1)]
    assert tables == [(1, 1, "各县区样本数"), (2, 1, "逐项明细"), (2, 2, "小结")]
    size = PROFILE.role("caption").size_pt
    for page in pdf_pages:
        for line in page["lines"]:
            if CAPTION.match(line["text"]):
                assert abs(line["size"] - size) < 0.1, line


def test_each_raster_figure_sits_just_above_its_caption_on_one_page(pdf_pages):
    images = [(n, img) for n, page in enumerate(pdf_pages, 1)
              for img in sorted(page["images"], key=lambda i: i["top"])]
    raster_captions = [c for c in _captions(pdf_pages) if c[0] == "图" and c[3] != "矢量示意图"]
    assert len(images) == len(raster_captions) == len(RASTER)
    for (page, img), cap in zip(images, raster_captions):
        assert page == cap[4], (cap, page)
        assert 0 <= cap[5] - img["bottom"] <= 20, (cap, img["bottom"])
        centre = (img["x0"] + img["x1"]) / 2
        assert abs(centre - (LEFT + RIGHT) / 2) < 1


def test_the_svg_is_drawn_as_vectors_above_its_caption(pdf_pages):
    cap = next(c for c in _captions(pdf_pages) if c[3] == "矢量示意图")
    page = pdf_pages[cap[4] - 1]
    above = [g for g in page["graphics"] if g["bottom"] <= cap[5] + TOL]
    assert len(above) >= 3                       # its three rectangles (and its text, as outlines)
    assert "产值" not in page["text"]            # SVG text is part of the picture, not of the text


def test_image_sizes_follow_width_fit_and_aspect(pdf_pages):
    images = [img for page in pdf_pages for img in sorted(page["images"], key=lambda i: i["top"])]
    by_name = dict(zip([f[0] for f in RASTER], images))
    width = lambda i: i["x1"] - i["x0"]  # noqa: E731
    height = lambda i: i["bottom"] - i["top"]  # noqa: E731
    assert abs(width(by_name["rotated.jpg"]) - 0.4 * GEO.text_width_pt) < 1    # width=40%
    assert abs(width(by_name["cmyk.jpg"]) - 0.6 * GEO.text_width_pt) < 1       # width=60%
    assert abs(width(by_name["photo.jpg"]) - GEO.text_width_pt) < 1            # 4000 px, fit to width
    tall = by_name["tall.png"]
    assert height(tall) < GEO.text_height_pt and abs(width(tall) / height(tall) - 300 / 2400) < 0.01
    chart = by_name["chart.png"]                 # 1500 px at 300 dpi: its own 5 inches
    assert abs(width(chart) - 1500 / 300 * 72) < 1


def test_rotated_jpeg_is_upright_and_cmyk_jpeg_stays_cmyk(built, pdf_pages, tmp_path):
    images = [(n, img) for n, page in enumerate(pdf_pages, 1)
              for img in sorted(page["images"], key=lambda i: i["top"])]
    by_name = dict(zip([f[0] for f in RASTER], images))
    page, rotated = by_name["rotated.jpg"]
    assert rotated["srcsize"] == (1200, 900)                       # the stored pixels, not re-encoded
    assert rotated["bottom"] - rotated["top"] > rotated["x1"] - rotated["x0"]   # shown portrait
    assert "CMYK" in str(by_name["cmyk.jpg"][1]["colorspace"])
    # The red mark is in the top-left corner of the printed photo, as in the upright image.
    from PIL import Image
    dpi = 72
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    str(built[0]), str(tmp_path / "p")], check=True)
    shot = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    x0, top, x1, bottom = (rotated[k] for k in ("x0", "top", "x1", "bottom"))
    near = lambda fx, fy: shot.getpixel((int(x0 + (x1 - x0) * fx), int(top + (bottom - top) * fy)))  # noqa: E731
    assert _red(near(0.05, 0.05)) and not _red(near(0.95, 0.05)) and not _red(near(0.05, 0.95))
    # The CMYK photo prints its colours, not their negative: red mark top-left, pale elsewhere.
    page, cmyk = by_name["cmyk.jpg"]
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(built[0]), str(tmp_path / "cmyk")], check=True)
    shot = Image.open(tmp_path / "cmyk.png").convert("RGB")
    x0, top, x1, bottom = (cmyk[k] for k in ("x0", "top", "x1", "bottom"))
    assert _red(near(0.05, 0.05)) and min(near(0.6, 0.6)) > 200


def _red(rgb) -> bool:
    r, g, b = rgb
    return r > 180 and g < 80 and b < 80


def test_references_print_their_targets_numbers(pdf_pages):
    text = "".join(p["text"].replace("\n", "") for p in pdf_pages)
    assert "@fig" not in text and "@tbl" not in text
    assert "本章有六幅图：图 1-1、图 1-2、图 1-3、图 1-4、图 1-5、图 1-6；数据见 表 1-1、表 2-1 与 表 2-2" in text
    for k in range(1, 7):
        assert f"第 {k} 幅图之后的正文，说明 图 1-{k} 的内容" in text
    assert "如 表 1-1 所示" in text and "全文图 图 1-1 至 图 1-6，表 表 1-1 至 表 2-2" in text


def test_a_figure_that_does_not_fit_moves_on_and_the_text_fills_the_gap(pdf_pages):
    captions = [c for c in _captions(pdf_pages) if c[0] == "图"]
    pages = [c[4] for c in captions]
    assert pages == sorted(pages)                                  # figures keep their order
    text_page = {k: next(n for n, p in enumerate(pdf_pages, 1)
                         if f"第 {k} 幅图之后的正文" in p["text"].replace("\n", ""))
                 for k in range(1, 7)}
    moved = [k for k in range(1, 7) if text_page[k] < pages[k - 1]]
    assert moved                                                   # text after a figure ran on before it
    assert all(pages[k - 1] - text_page[k] <= 1 for k in moved)


def test_a_table_broken_over_pages_repeats_its_header_and_caption_with_continued(pdf_pages):
    pages = [n for n, p in enumerate(pdf_pages, 1) if "逐项明细" in p["text"]]
    assert len(pages) >= 2
    first, *rest = pages
    for n in rest:
        lines = [ln["text"] for ln in pdf_pages[n - 1]["lines"]]
        assert "表 2-1\u3000逐项明细（续表）" in lines
        assert any(ln.replace(" ", "") == "项目数值说明" for ln in lines)
    assert "（续表）" not in pdf_pages[first - 1]["text"]


# ---- DOCX ----

@pytest.fixture(scope="module")
def docx_xml(built):
    with zipfile.ZipFile(built[1]) as z:
        return {name: z.read(name) for name in z.namelist()}


def _paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def test_docx_captions_are_caption_paragraphs_with_seq_fields_and_right_cached_numbers(docx_xml):
    body = etree.fromstring(docx_xml["word/document.xml"])
    captions = [p for p in body.iter(f"{W}p")
                if p.find(f"{W}pPr/{W}pStyle") is not None
                and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Caption"]
    texts = [_paragraph_text(p) for p in captions]
    assert texts == [f"图 1-{k}\u3000{f[1]}" for k, f in enumerate(FIGURES, 1)] + \
        ["表 1-1\u3000各县区样本数", "表 2-1\u3000逐项明细", "表 2-2\u3000小结"]
    for p, (kind, number) in zip(captions, [("图", k) for k in range(1, 7)] + [("表", 1), ("表", 1), ("表", 2)]):
        instr = "".join(t.text for t in p.iter(f"{W}instrText")).strip()
        restart = " \\r 1" if number == 1 else ""
        assert instr == f"SEQ {kind} \\* ARABIC{restart} \\s 1"
        assert _cached_result(p) == str(number)
    styles = etree.fromstring(docx_xml["word/styles.xml"])
    caption_style = [s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "Caption"]
    assert caption_style and caption_style[0].find(f"{W}name").get(f"{W}val") == "caption"


def _cached_result(p) -> str:
    """The text between a field's separate and end marks."""
    state, out = None, ""
    for el in p.iter(f"{W}fldChar", f"{W}t"):
        if el.tag == f"{W}fldChar":
            state = el.get(f"{W}fldCharType")
        elif state == "separate":
            out += el.text or ""
    return out


def test_docx_references_are_ref_fields_to_caption_bookmarks(docx_xml):
    body = etree.fromstring(docx_xml["word/document.xml"])
    marks = {}
    for p in body.iter(f"{W}p"):
        for start in p.iter(f"{W}bookmarkStart"):
            # the bookmarked text: from bookmarkStart to its bookmarkEnd
            inside, on = "", False
            for el in p.iter():
                if el is start:
                    on = True
                elif el.tag == f"{W}bookmarkEnd" and el.get(f"{W}id") == start.get(f"{W}id"):
                    on = False
                elif on and el.tag == f"{W}t":
                    inside += el.text or ""
            marks[start.get(f"{W}name")] = inside
    refs = []
    for p in body.iter(f"{W}p"):
        runs = list(p.iter(f"{W}r"))
        for i, r in enumerate(runs):
            instr = r.find(f"{W}instrText")
            if instr is not None and instr.text.strip().startswith("REF"):
                name = instr.text.split()[1]
                shown = ""
                for later in runs[i + 1:]:
                    fld = later.find(f"{W}fldChar")
                    if fld is not None and fld.get(f"{W}fldCharType") == "end":
                        break
                    shown += "".join(t.text or "" for t in later.iter(f"{W}t"))
                refs.append((name, shown))
    assert len(refs) == len(re.findall(r"@(?:fig|tbl):", report_text()))
    for name, shown in refs:
        assert name.startswith("_Ref") and marks[name] == shown, (name, shown, marks.get(name))


def test_docx_pictures_fit_and_the_svg_has_a_png_fallback(docx_xml):
    body = etree.fromstring(docx_xml["word/document.xml"])
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    inlines = list(body.iter(f"{wp}inline"))
    assert len(inlines) == len(FIGURES)
    emu_width = GEO.text_width_pt * 12700
    emu_height = GEO.text_height_pt * 12700
    ids = [i.find(f"{wp}docPr").get("id") for i in inlines]
    assert len(set(ids)) == len(ids)
    for inline in inlines:
        ext = inline.find(f"{wp}extent")
        assert int(ext.get("cx")) <= emu_width + 1 and int(ext.get("cy")) <= emu_height
    rels = etree.fromstring(docx_xml["word/_rels/document.xml.rels"])
    target = {rel.get("Id"): rel.get("Target") for rel in rels}
    by_name = dict(zip([f[0] for f in FIGURES], inlines))
    svg_inline = by_name["vector.svg"]
    blip = svg_inline.find(f".//{a}blip")
    assert target[blip.get(f"{r}embed")].endswith(".png")
    svg_blip = blip.find(".//{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip")
    svg_target = target[svg_blip.get(f"{r}embed")]
    assert svg_target.endswith(".svg") and b"<svg" in docx_xml["word/" + svg_target]
    assert b'image/svg+xml' in docx_xml["[Content_Types].xml"]
    rot = by_name["rotated.jpg"].find(f"{wp}extent")
    assert int(rot.get("cy")) > int(rot.get("cx"))                 # written upright (portrait)
    cmyk = docx_xml["word/" + target[by_name["cmyk.jpg"].find(f".//{a}blip").get(f"{r}embed")]]
    from PIL import Image
    assert Image.open(BytesIO(cmyk)).mode == "CMYK"


@needs_soffice
def test_libreoffice_prints_the_same_caption_and_reference_numbers(built, to_pdf):
    with pdfplumber.open(to_pdf(built[1].read_bytes(), "figures")) as printed:
        text = "".join((p.extract_text() or "").replace("\n", "") for p in printed.pages)
        images = [img for p in printed.pages for img in p.images]
    # every picture (the SVG as its fallback or itself) inside the text block there too
    assert len(images) >= len(RASTER)
    for img in images:
        assert LEFT - 1 <= img["x0"] and img["x1"] <= RIGHT + 1 and TOP - 1 <= img["top"] \
            and img["bottom"] <= BOTTOM + 1, img
    text = re.sub(r"\s", "", text)
    caption_numbers = re.findall(r"([图表]\d-\d)(?:各县区产值|旋转的照片|印刷用图|矢量示意图|实地照片|"
                                 r"狭长的图|各县区样本数|逐项明细|小结)", text)
    # a table over pages prints its caption again on each (the DOCX's repeated caption row)
    repeated = [k for k, group in itertools.groupby(caption_numbers) if len(list(group)) > 1]
    assert [k for k, _ in itertools.groupby(caption_numbers)] == \
        [f"图1-{k}" for k in range(1, 7)] + ["表1-1", "表2-1", "表2-2"]
    assert all(k.startswith("表") for k in repeated)
    assert "本章有六幅图：图1-1、图1-2、图1-3、图1-4、图1-5、图1-6；数据见表1-1、表2-1与表2-2" in text
    for k in range(1, 7):
        assert f"第{k}幅图之后的正文，说明图1-{k}的内容" in text
    assert "全文图图1-1至图1-6，表表1-1至表2-2" in text


@needs_soffice
def test_libreoffice_computes_the_same_numbers_from_the_seq_fields_alone(built, to_pdf):
    """Every SEQ field's cached number blanked to 9: LibreOffice numbers the captions from the
    field codes themselves (restarting after each Heading 1), as Word does on updating fields."""
    out = BytesIO()
    with zipfile.ZipFile(built[1]) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data, n = re.subn(rb'(SEQ [^<]*</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
                                  rb'</w:r><w:r><w:t>)\d+', rb"\g<1>9", data)
                assert n == 9
            dst.writestr(name, data)
    with pdfplumber.open(to_pdf(out.getvalue(), "blank-seq")) as printed:
        text = re.sub(r"\s", "", "".join(p.extract_text() or "" for p in printed.pages))
    numbers = re.findall(r"([图表]\d-\d+)(?:各县区产值|旋转的照片|印刷用图|矢量示意图|实地照片|狭长的图|"
                         r"各县区样本数|逐项明细|小结)", text)
    # (a table over pages prints its caption row again on each)
    assert [k for k, _ in itertools.groupby(numbers)] == \
        [f"图1-{k}" for k in range(1, 7)] + ["表1-1", "表2-1", "表2-2"]


# ---- lists of figures and tables (--lof) ----

@pytest.fixture(scope="module")
def built_lof(tmp_path_factory):
    folder = tmp_path_factory.mktemp("figures-lof")
    report = write_report(folder)
    out = folder / "out"
    result = run_build(BuildPlan(None, report, out, Format.all, Booklet.none, check=True, lof=True),
                       Progress(0, quiet=True))
    assert result.check_ok
    return out / "manuscript.pdf", out / "manuscript.docx"


def test_without_lof_there_is_no_list(pdf_pages, docx_xml):
    text = "".join(p["text"] for p in pdf_pages)
    assert "插图目录" not in text and "附表目录" not in text
    assert b'\\c "' not in docx_xml["word/document.xml"]


def test_lof_lists_every_caption_with_the_page_it_is_on(built_lof):
    with pdfplumber.open(built_lof[0]) as pdf:
        pages = [[ln["text"] for ln in _lines(p)] for p in pdf.pages]
    entry = re.compile(r"^([图表] \d+-\d+)\u3000(.+?)\.{3,}\s*(\d+)$")
    listed = {}
    for lines in pages[:6]:
        for line in lines:
            m = entry.match(line)
            if m:
                listed[m.group(1)] = int(m.group(3))
    assert list(listed) == [f"图 1-{k}" for k in range(1, 7)] + ["表 1-1", "表 2-1", "表 2-2"]
    for number, page in listed.items():
        assert any(line.startswith(number + "\u3000") for line in pages[page - 1] if not entry.match(line)), \
            (number, page)


def test_lof_in_the_docx_is_a_toc_field_over_the_captions_with_the_pdf_pages(built_lof):
    with pdfplumber.open(built_lof[0]) as pdf:
        caption_page = {}
        for n, p in enumerate(pdf.pages, 1):
            for ln in _lines(p):
                m = CAPTION.match(ln["text"])
                if m and n > 5:
                    caption_page.setdefault(f"{m.group(1)} {m.group(2)}-{m.group(3)}", n)
    with zipfile.ZipFile(built_lof[1]) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    instr = [t.text.strip() for t in body.iter(f"{W}instrText")]
    assert 'TOC \\h \\z \\c "图"' in instr and 'TOC \\h \\z \\c "表"' in instr
    entries = {}
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = _paragraph_text(p)
        if style is not None and style.get(f"{W}val") == "TOC1" and CAPTION.match(text.rstrip("0123456789")):
            head = text.split("\u3000")[0]
            entries[head] = int(re.search(r"(\d+)$", text).group(1))
    assert entries == caption_page
