"""Figures and captions in manuscript.md, the caption pass (numbers, references, their errors)
and the image checks, each as a user meets them: a message in Chinese with the line."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from closure_app.blocks import Figure, Paragraph, Ref, Table, Text
from closure_app.errors import InvalidInput
from closure_app.images import ImageProblem, fit, probe
from closure_app.layout.report import report_document
from closure_app.profile import load_profile
from closure_app.sources.manuscript import parse_manuscript

PROFILE = load_profile()
FRONT = """---
title: 测试标题
author: {name: 张三, unit: 某单位, position: 讲师, address: 某地, postcode: "636000", email: a@b.cn, phone: "13500000000"}
abstract: 摘要。
keywords: [甲, 乙]
---
"""
FRONT_LINES = FRONT.count("\n")


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "images").mkdir()
    Image.new("RGB", (600, 400), "white").save(tmp_path / "images" / "a.png", dpi=(300, 300))
    return tmp_path


def parse(folder: Path, body: str):
    return parse_manuscript(FRONT + body, "m.md", base=folder).manuscript


def errors(folder: Path, body: str, layout: bool = False) -> list[str]:
    with pytest.raises(InvalidInput) as exc:
        m = parse(folder, body)
        if layout:
            report_document(m, PROFILE, "m.md")
    return [str(f) for f in exc.value.findings if f.severity == "error"]


def at(line: int) -> str:
    return f"m.md:{FRONT_LINES + line}"


# ---- the Markdown contract ----

def test_an_image_alone_in_a_paragraph_is_a_figure_with_its_path_width_and_label(folder):
    m = parse(folder, "# 第一章 a\n\n![示意 *图*](images/a.png){#fig:plan width=60%}\n")
    fig = m.body[1]
    assert isinstance(fig, Figure)
    assert fig.path == folder / "images" / "a.png" and fig.width == 0.6 and fig.label == "fig:plan"
    assert fig.caption == [Text("示意 "), Text("图", italic=True)] and fig.line == FRONT_LINES + 3


def test_quoted_width_and_no_attributes_are_figures_too(folder):
    m = parse(folder, "# 第一章 a\n\n![甲](images/a.png){width=\"50%\"}\n\n![](images/a.png)\n")
    assert [(f.width, f.label, f.caption) for f in m.body[1:]] == [(0.5, None, [Text("甲")]), (None, None, [])]


def test_table_caption_before_the_table_in_both_spellings_and_pandoc_style_after(folder):
    body = ("# 第一章 a\n\n表：样本 {#tbl:a}\n| x | y |\n|---|---|\n| 1 | 2 |\n\n"
            "Table: 第二表\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n"
            "| x | y |\n|---|---|\n| 1 | 2 |\n\nTable: 后置 {#tbl:c}\n")
    tables = [b for b in parse(folder, body).body if isinstance(b, Table)]
    assert [(t.caption, t.label) for t in tables] == [
        ([Text("样本")], "tbl:a"), ([Text("第二表")], None), ([Text("后置")], "tbl:c")]


def test_a_sentence_opening_with_biao_is_body_text_when_no_table_follows(folder):
    m = parse(folder, "# 第一章 a\n\n表：这一段只是正文。\n")
    assert isinstance(m.body[1], Paragraph) and m.body[1].text == "表：这一段只是正文。"


def test_references_in_the_text_are_refs_with_their_line(folder):
    m = parse(folder, "# 第一章 a\n\n如@fig:a所示，见 [@tbl:b-1]。\n")
    runs = m.body[1].runs
    assert [r for r in runs if isinstance(r, Ref)] == [Ref("fig:a", line=FRONT_LINES + 3),
                                                        Ref("tbl:b-1", line=FRONT_LINES + 3)]
    assert [r.text for r in runs if isinstance(r, Text)] == ["如", "所示，见 ", "。"]


@pytest.mark.parametrize("body, line, what", [
    ("# 第一章 a\n\n正文 ![图](images/a.png) 正文\n", 3, "图片要单独成段"),
    ("# 第一章 a\n\n![甲](images/a.png) ![乙](images/a.png)\n", 3, "图片要单独成段"),
    ("# 第一章 a\n\n![甲](images/none.png)\n", 3, "图片 "),
    ("# 第一章 a\n\n![甲](images/a.png){width=60}\n", 3, "width=60 不对"),
    ("# 第一章 a\n\n![甲](images/a.png){width=8cm}\n", 3, "width=8cm 不对"),
    ("# 第一章 a\n\n![甲](images/a.png){height=50%}\n", 3, "不支持的属性 height"),
    ("# 第一章 a\n\n![甲](images/a.png){#tbl:x}\n", 3, "图的标签应以 fig: 开头"),
    ("# 第一章 a\n\n![甲](https://example.com/a.png)\n", 3, "图片 https://example.com/a.png 是网址"),
    ("# 第一章 a\n\nTable: 孤零零的表题\n\n正文\n", 3, "表题要紧挨在表格之前"),
    ("# 第一章 a\n\n- 列表 ![甲](images/a.png)\n", 3, "图片要单独成段"),
])
def test_figure_and_caption_mistakes_are_errors_with_their_line(folder, body, line, what):
    got = errors(folder, body)
    assert len(got) == 1, got
    assert got[0].startswith(f"{at(line)} {what}"), got


def test_a_missing_image_names_the_path_as_written_and_where_it_was_looked_for(folder):
    got = errors(folder, "# 第一章 a\n\n![甲](images/none.png)\n")
    assert str(folder / "images" / "none.png") in got[0] and "(images/none.png)" in got[0]


# ---- the caption pass ----

BODY = ("# 第一章 甲\n\n见 @fig:a、@fig:b 与 @tbl:t。\n\n![一](images/a.png){#fig:a}\n\n"
        "表：表一 {#tbl:t}\n| x | y |\n|---|---|\n| 1 | 2 |\n\n"
        "# 第二章 乙\n\n![二](images/a.png){#fig:b}\n\n![无题](images/a.png)\n\n![](images/a.png)\n\n"
        "# 参考文献\n\n1. 某书.\n")


def _captioned(doc):
    return [(b.number.text if b.number else None) for b in doc.blocks if isinstance(b, (Figure, Table))]


def test_numbers_run_per_chapter_and_references_print_them(folder):
    doc = report_document(parse(folder, BODY), PROFILE, "m.md")
    assert _captioned(doc) == ["图 1-1", "表 1-1", "图 2-1", "图 2-2", None]
    para = next(b for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("见"))
    assert para.text == "见 图 1-1、图 2-1 与 表 1-1。"


@pytest.mark.parametrize("chapters, numbers", [
    (["引言", "第一章 甲", "第二章 乙", "结论"], ["图 0-1", "图 1-1", "图 2-1", "图 3-1"]),
    (["一、甲", "三、丙"], ["图 1-1", "图 3-1"]),
    (["甲", "乙"], ["图 1-1", "图 2-1"]),
])
def test_a_chapter_gives_its_figures_the_number_it_carries(folder, chapters, numbers):
    body = "".join(f"# {c}\n\n![图{i}](images/a.png)\n\n" for i, c in enumerate(chapters))
    doc = report_document(parse(folder, body), PROFILE, "m.md")
    assert _captioned(doc) == numbers


def test_numbering_through_the_document_is_a_profile_setting(folder):
    profile = PROFILE.model_copy(update={"captions": PROFILE.captions.model_copy(update={"numbering": "document"})})
    doc = report_document(parse(folder, BODY), profile, "m.md")
    assert _captioned(doc) == ["图 1", "表 1", "图 2", "图 3", None]


def test_an_unknown_or_duplicate_label_is_an_error_with_its_line(folder):
    body = ("# 第一章 甲\n\n见 @fig:nope。\n\n![一](images/a.png){#fig:a}\n\n![二](images/a.png){#fig:a}\n\n"
            "脚注里也查[^1]。\n\n[^1]: 见 @tbl:gone。\n")
    got = errors(folder, body, layout=True)
    assert got == [
        f"{at(3)} 引用 @fig:nope 找不到对应的图：没有哪个图写了 {{#fig:nope}}（标签区分大小写）",
        f"{at(7)} 标签 fig:a 重复：第 {FRONT_LINES + 5} 行已经用过，请换一个",
        f"{at(11)} 引用 @tbl:gone 找不到对应的表：没有哪个表写了 {{#tbl:gone}}（标签区分大小写）",
    ]


def test_validate_reports_an_unknown_reference(folder):
    from typer.testing import CliRunner

    from closure_app.cli import app
    path = folder / "m.md"
    path.write_text(FRONT + "# 第一章 甲\n\n见 @fig:nope。\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--manuscript", str(path)])
    assert result.exit_code == 1
    assert f"{path}:{FRONT_LINES + 3}" in result.output and "@fig:nope" in result.output


# ---- images ----

def test_probe_reads_size_resolution_and_orientation(tmp_path):
    Image.new("RGB", (300, 150)).save(tmp_path / "a.png", dpi=(150, 150))
    info = probe(tmp_path / "a.png")
    assert (info.kind, info.pixels, round(info.width_pt), round(info.height_pt)) == ("PNG", (300, 150), 144, 72)
    exif = Image.Exif()
    exif[0x0112] = 8
    Image.new("RGB", (300, 150)).save(tmp_path / "r.jpg", exif=exif)
    rotated = probe(tmp_path / "r.jpg")
    assert rotated.orientation == 8 and rotated.pixels == (150, 300)


@pytest.mark.parametrize("kind", ["GIF", "BMP", "TIFF", "WEBP"])
def test_other_raster_formats_are_read(tmp_path, kind):
    path = tmp_path / f"a.{kind.lower()}"
    Image.new("RGB", (40, 30), "blue").save(path, kind)
    assert probe(path).kind == kind


def test_bad_images_are_chinese_problems(tmp_path):
    (tmp_path / "text.png").write_text("not an image")
    (tmp_path / "empty.png").write_bytes(b"")
    Image.new("RGB", (200, 200)).save(tmp_path / "cut.jpg")
    (tmp_path / "cut.jpg").write_bytes((tmp_path / "cut.jpg").read_bytes()[:-200])
    Image.new("1", (10_000, 7_000)).save(tmp_path / "bomb.png")          # 70 megapixels, a few kB
    (tmp_path / "bad.svg").write_text("<svg")
    expected = {"text.png": "不是可识别的图片", "empty.png": "是空文件", "cut.jpg": "不完整",
                "bomb.png": "像素过多", "bad.svg": "不是有效的 SVG"}
    for name, what in expected.items():
        with pytest.raises(ImageProblem) as exc:
            probe(tmp_path / name)
        assert what in exc.value.message and name in exc.value.message


def test_fit_never_exceeds_the_width_or_the_height(tmp_path):
    Image.new("RGB", (4000, 1000)).save(tmp_path / "wide.png", dpi=(72, 72))
    Image.new("RGB", (100, 4000)).save(tmp_path / "tall.png", dpi=(72, 72))
    assert fit(probe(tmp_path / "wide.png"), None, 400, 600) == (400, 100)
    assert fit(probe(tmp_path / "wide.png"), 0.5, 400, 600) == (200, 50)
    assert fit(probe(tmp_path / "tall.png"), None, 400, 600) == (15, 600)


def test_a_low_resolution_image_is_reported_with_its_line(tmp_path):
    from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build
    (tmp_path / "images").mkdir()
    Image.new("RGB", (200, 100), "white").save(tmp_path / "images" / "small.png")
    src = tmp_path / "m.md"
    src.write_text(FRONT + "# 第一章 甲\n\n正文。\n\n![小图](images/small.png){width=100%}\n", encoding="utf-8")
    result = run_build(BuildPlan(None, src, tmp_path / "out", Format.pdf, Booklet.none, check=False),
                       Progress(0, quiet=True))
    notes = [n for n in result.notes if "dpi" in n]
    assert len(notes) == 1 and f"第 {FRONT_LINES + 5} 行的图" in notes[0] and "低于 150 dpi" in notes[0]


def test_an_image_broken_after_reading_fails_the_build_and_leaves_no_output(tmp_path, monkeypatch):
    from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build
    from closure_app.errors import UserError
    import closure_app.images as images
    (tmp_path / "images").mkdir()
    image = tmp_path / "images" / "a.png"
    Image.new("RGB", (300, 300), "white").save(image)
    blob = image.read_bytes()
    src = tmp_path / "m.md"
    src.write_text(FRONT + "# 第一章 甲\n\n正文。\n\n![图](images/a.png)\n", encoding="utf-8")
    real = images.probe

    def probe_then_break(path):                 # the reader's check passes, then the file is cut
        info = real(path)
        image.write_bytes(blob[:60])
        return info
    monkeypatch.setattr(images, "probe", probe_then_break)
    with pytest.raises(UserError) as exc:
        run_build(BuildPlan(None, src, tmp_path / "out", Format.all, Booklet.none, check=False),
                  Progress(0, quiet=True))
    assert f"第 {FRONT_LINES + 5} 行的图" in exc.value.message and "a.png" in exc.value.message
    assert not (tmp_path / "out").exists()


# ---- every raster kind prints its own pixels ----

def test_png_variants_and_other_formats_print_their_colours(tmp_path):
    """Plain PNGs go into the PDF undecoded, the others through Pillow: each prints its colour."""
    import subprocess

    import pdfplumber

    from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build
    (tmp_path / "images").mkdir()
    colour = (30, 120, 200)       # the plain PNGs pass through; the others go through Pillow
    variants = {
        "rgb.png": Image.new("RGB", (120, 80), colour),
        "grey.png": Image.new("L", (120, 80), 90),
        "rgba.png": Image.new("RGBA", (120, 80), colour + (255,)),
        "palette.png": Image.new("RGB", (120, 80), colour).convert("P", palette=Image.Palette.ADAPTIVE),
        "interlaced.png": Image.new("RGB", (120, 80), colour),
        "a.gif": Image.new("RGB", (120, 80), colour),
        "a.bmp": Image.new("RGB", (120, 80), colour),
        "a.tiff": Image.new("RGB", (120, 80), colour),
        "a.webp": Image.new("RGB", (120, 80), colour),
    }
    for name, img in variants.items():
        kw = {"interlace": 1} if name == "interlaced.png" else {"lossless": True} if name.endswith("webp") else {}
        img.save(tmp_path / "images" / name, **kw)
    body = "\n".join(f"![{n}](images/{n}){{width=30%}}\n" for n in variants)
    src = tmp_path / "m.md"
    src.write_text(FRONT + "# 第一章 甲\n\n" + body, encoding="utf-8")
    run_build(BuildPlan(None, src, tmp_path / "out", Format.all, Booklet.none, check=False), Progress(0, quiet=True))
    pdf = tmp_path / "out" / "manuscript.pdf"
    import zipfile
    with zipfile.ZipFile(tmp_path / "out" / "manuscript.docx") as docx:
        media = [n.rsplit(".", 1)[-1] for n in docx.namelist() if n.startswith("word/media/")]
        pictures = docx.read("word/document.xml").count(b"<pic:pic")
    assert pictures == len(variants) and set(media) <= {"png", "jpg", "gif", "bmp"}   # TIFF, WebP as PNG
    with pdfplumber.open(pdf) as doc:
        placed = [(n, img) for n, page in enumerate(doc.pages, 1)
                  for img in sorted(page.images, key=lambda i: i["top"])]
    assert len(placed) == len(variants)
    for (page, img), (name, source) in zip(placed, variants.items()):
        out = tmp_path / f"shot-{page}"
        if not out.with_suffix(".png").exists():
            subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(out)], check=True)
        shot = Image.open(out.with_suffix(".png")).convert("RGB")
        got = shot.getpixel((int((img["x0"] + img["x1"]) / 2), int((img["top"] + img["bottom"]) / 2)))
        want = Image.open(tmp_path / "images" / name).convert("RGB").getpixel((60, 40))
        assert all(abs(g - w) <= 6 for g, w in zip(got, want)), (name, got)


def test_references_in_headings_table_headers_and_bold_text_build(folder):
    from closure_app.commands.build import Booklet, BuildPlan, Format, Progress, run_build
    import pdfplumber
    src = folder / "m.md"
    src.write_text(FRONT + "# 第一章 甲\n\n## 1.1 关于 @fig:a 的说明\n\n**加粗的 @fig:a 引用**。\n\n"
                   "![一](images/a.png){#fig:a}\n\n表：表一 {#tbl:t}\n| 见 @fig:a | 乙 |\n|---|---|\n| 1 | 2 |\n",
                   encoding="utf-8")
    run_build(BuildPlan(None, src, folder / "out", Format.all, Booklet.none, check=False), Progress(0, quiet=True))
    with pdfplumber.open(folder / "out" / "manuscript.pdf") as pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages)
    assert "1.1 关于 图 1-1 的说明" in text and "加粗的 图 1-1 引用" in text and "见 图 1-1" in text
    import zipfile
    xml = zipfile.ZipFile(folder / "out" / "manuscript.docx").read("word/document.xml").decode()
    assert xml.count("REF _Ref") == 3 and "@fig" not in xml      # heading, bold text, header cell
