"""Reports made the way real tools write them, for the checker's regression suite and the batch
benchmark. Each maker writes one file and the verdict a careful reviewer gives it is in
``VERDICTS`` (tests/test_check_real_files.py holds them to it).

- ``quartz_pdf``: as macOS Quartz (Word for Mac, Pages) writes a PDF: a flipped page matrix
  (``cm 1 0 0 -1 0 h``), text at ``Tf 1`` scaled by ``Tm``, Founder fonts under their PostScript
  names behind a subset prefix, running header over a rule, page numbers, a grid table with a
  caption, a footnote, references.
- ``songti_pdf``: a thesis set in 宋体 (SimSun) with 黑体 (SimHei) headings.
- ``windows_pdf``: the Windows near-equivalents (FangSong, KaiTi, SimHei) where Founder is mandated.
- ``letter_pdf``: the Quartz report on US Letter; ``landscape_pdf``: with a landscape A4 page.
- ``libreoffice_pdf``: one of our own test DOCX files converted by LibreOffice.
- ``pandoc_docx``: a 公文 written in Markdown, made by pandoc with a reference DOCX whose styles
  follow the profile (title in Heading 1, 一、 in Heading 2 ..., the numbers written in the
  text); ``pandoc_pdf`` is that DOCX through LibreOffice.
- ``typst_pdf``: the report typeset by Typst with the open fonts shipped in fonts/open.

Fonts: one TrueType CJK file is registered under the names each tool would write, so the
PDF names the family the maker chose; no proprietary font is used.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from check_fixtures import _register_as, build_docx, cjk_font_file, style_to_role

from closure_app.profile import Profile

ROOT = Path(__file__).resolve().parents[1]
FONT = cjk_font_file(ROOT / "fonts")
SOFFICE = shutil.which("soffice")
PANDOC = shutil.which("pandoc")

TITLE = ("关于深度融合科技创新与产业创新", "助推巴中新质生产力发展的研究报告")
AUTHOR = "中共通江县委党校 向河铭"
HEADER = "巴中市哲学社会科学规划项目结项成果"
H1 = "一、总体情况"
H2 = "（一）研究背景"
H3 = "1. 创新驱动"
H1_B = "二、主要做法"
BODY = ("科技创新是提高社会生产力和综合国力的战略支撑，必须摆在国家发展全局的核心位置。"
        "产业创新以科技创新为源头，二者深度融合是培育新质生产力的关键所在，也是巴中加快发展的必由之路。")
BODY_2 = "巴中市近年来持续加大研发投入，规模以上工业企业研发活动覆盖率逐年提高，创新平台数量稳步增长。"
CAPTION = "表1 巴中市科技创新主要指标"
TABLE = (("指标", "二〇二三年", "二〇二四年"), ("研发投入", "十二亿元", "十五亿元"), ("创新平台", "四十个", "五十二个"))
FOOTNOTE = "1 巴中市统计局．巴中统计年鉴．二〇二四年．"
REF_TITLE = "参考文献"
REFS = ("[1] 习近平著作选读．人民出版社，二〇二三年．", "[2] 张林山．科技创新和产业创新深度融合．改革，二〇二四年．")

# Which family each role is drawn in, by maker: role -> the name the PDF carries.
FOUNDER_PS = {"title": "FZXBSJW--GB1-0", "h1": "FZHTK--GBK1-0", "h2": "FZKTK--GBK1-0", "h3": "FZFSK--GBK1-0",
              "body": "FZFSK--GBK1-0", "author": "FZKTK--GBK1-0", "small": "FZFSK--GBK1-0",
              "furniture": "SimSun"}
SONGTI = {"title": "SimSun", "h1": "SimHei", "h2": "SimSun", "h3": "SimSun", "body": "SimSun", "author": "SimSun",
          "small": "SimSun", "furniture": "SimSun"}
WINDOWS = {"title": "方正小标宋简体", "h1": "SimHei", "h2": "KaiTi", "h3": "FangSong", "body": "FangSong",
           "author": "KaiTi", "small": "FangSong", "furniture": "SimSun"}


@dataclass
class Page:
    width: float
    height: float


class Drawer:
    """Draws lines of text on a reportlab canvas, plainly or the way Quartz does (``Tf 1``,
    size in the text matrix, under a flipped page matrix)."""

    def __init__(self, c, faces: dict[str, str], quartz: bool):
        self.c = c
        self.faces = faces
        self.quartz = quartz

    def face(self, role: str) -> str:
        return _register_as(FONT, self.faces[role])

    def text(self, role: str, x: float, y: float, size: float, s: str, *, stroke: bool = False) -> None:
        c = self.c
        w, h = c._pagesize
        c.saveState()
        if stroke:
            c.setLineWidth(size / 30)
        if self.quartz:
            c.transform(1, 0, 0, -1, 0, h)
            t = c.beginText()
            t.setFont(self.face(role), 1)
            t.setTextTransform(size, 0, 0, -size, x, h - y)
        else:
            t = c.beginText(x, y)
            t.setFont(self.face(role), size)
        t.setTextRenderMode(2 if stroke else 0)
        t.textOut(s)
        c.drawText(t)
        c.restoreState()

    def centred(self, role: str, y: float, size: float, s: str, left: float, right: float, **kw) -> None:
        self.text(role, (left + right - len(s) * size) / 2, y, size, s, **kw)


def _wrap(text: str, n: int, indent: int = 2) -> list[tuple[int, str]]:
    """A paragraph as lines of at most ``n`` characters, the first indented ``indent`` characters."""
    out, first = [], True
    while text:
        room = n - (indent if first else 0)
        out.append((indent if first else 0, text[:room]))
        text, first = text[room:], False
    return out


def draw_report(path: Path, profile: Profile, faces: dict[str, str], *, quartz: bool = False,
                page_size: Optional[tuple[float, float]] = None, landscape_page: bool = False) -> Path:
    """A two-page 公文-style report drawn line by line in the profile's sizes."""
    from reportlab.pdfgen import canvas

    geo = profile.page("report")
    size = page_size or (geo.width_pt, geo.height_pt)
    c = canvas.Canvas(str(path), pagesize=size)
    d = Drawer(c, faces, quartz)
    left = geo.margin_pt("inner")
    right = size[0] - geo.margin_pt("outer")
    body = profile.role("body").size_pt
    n = int((right - left) // body)
    pitch = profile.line_pitch("body")
    page_no = [0]

    def furniture(y_top: float) -> None:
        page_no[0] += 1
        w, h = c._pagesize
        d.centred("furniture", h - geo.margin_pt("top") / 2, 10.5, HEADER, 0, w)
        c.setLineWidth(0.5)
        c.line(left, h - geo.margin_pt("top") / 2 - 4, w - geo.margin_pt("outer"), h - geo.margin_pt("top") / 2 - 4)
        pn = profile.page_number
        d.centred("furniture", geo.margin_pt("bottom") / 2, pn.size_pt, pn.text(page_no[0]), 0, w)

    def paragraph(y: float, text: str) -> float:
        for indent, s in _wrap(text, n):
            d.text("body", left + indent * body, y, body, s)
            y -= pitch
        return y

    def heading(y: float, role: str, text: str) -> float:
        r = profile.role(role)
        if r.align == "center":
            d.centred(role, y, r.size_pt, text, left, right, stroke=r.bold)
        else:
            d.text(role, left + 2 * body, y, r.size_pt, text, stroke=r.bold)
        return y - pitch

    # Page 1: title, author, headings, body, a footnote.
    h = size[1]
    furniture(h)
    y = h - geo.margin_pt("top") - 22
    title = profile.role("title")
    for line in TITLE:
        d.centred("title", y, title.size_pt, line, left, right)
        y -= title.size_pt * 1.5
    d.centred("author", y, profile.role("author").size_pt, AUTHOR, left, right)
    y -= pitch * 1.5
    y = heading(y, "h1", H1)
    y = heading(y, "h2", H2)
    y = paragraph(y, BODY)
    y = heading(y, "h3", H3)
    y = paragraph(y, BODY_2)
    note = profile.role("footnote")
    c.setLineWidth(0.5)
    foot = geo.margin_pt("bottom") + 2 * note.size_pt
    c.line(left, foot + note.size_pt * 1.4, left + 120, foot + note.size_pt * 1.4)
    d.text("small", left, foot, note.size_pt, FOOTNOTE)
    c.showPage()

    # Page 2 (landscape if asked): a caption, a grid table, more body, references.
    if landscape_page:
        c.setPageSize((size[1], size[0]))
    w2, h2 = c._pagesize
    right2 = w2 - geo.margin_pt("outer")
    furniture(h2)
    y = h2 - geo.margin_pt("top") - 16
    y = heading(y, "h1", H1_B)
    caption = profile.role("caption")   # the mandate is silent on captions: the profile's house style
    cap = caption.size_pt
    d.centred("h1" if caption.family == profile.role("h1").family else "small", y, cap, CAPTION, left, right2)
    y -= cap * 1.6
    table = profile.role("table")
    col = (right2 - left) / 3
    row = table.size_pt * 2
    top = y + table.size_pt * 1.2
    c.setLineWidth(0.75)
    for i in range(len(TABLE) + 1):
        c.line(left, top - i * row, right2, top - i * row)
    for j in range(4):
        c.line(left + j * col, top, left + j * col, top - len(TABLE) * row)
    for i, cells in enumerate(TABLE):
        for j, cell in enumerate(cells):
            d.centred("small", top - i * row - row * 0.65, table.size_pt, cell, left + j * col, left + (j + 1) * col)
    y = top - len(TABLE) * row - pitch
    y = paragraph(y, BODY_2)
    d.centred("h1", y, profile.role("h1").size_pt, REF_TITLE, left, right2)
    y -= pitch
    ref = profile.role("reference")
    for s in REFS:
        d.text("small", left, y, ref.size_pt, s)
        y -= ref.size_pt * 1.6
    c.showPage()
    c.save()
    return path


def quartz_pdf(folder: Path, profile: Profile) -> Path:
    return draw_report(folder / "quartz-founder.pdf", profile, FOUNDER_PS, quartz=True)


def quartz_gbk_title_pdf(folder: Path, profile: Profile) -> Path:
    """The title in 方正小标宋_GBK (FZXBSK--GBK1-0) where 方正小标宋简体 is mandated: one design."""
    return draw_report(folder / "quartz-gbk-title.pdf", profile, {**FOUNDER_PS, "title": "FZXBSK--GBK1-0"},
                       quartz=True)


def songti_pdf(folder: Path, profile: Profile) -> Path:
    return draw_report(folder / "songti-thesis.pdf", profile, SONGTI)


def windows_pdf(folder: Path, profile: Profile) -> Path:
    return draw_report(folder / "windows-fonts.pdf", profile, WINDOWS)


def letter_pdf(folder: Path, profile: Profile) -> Path:
    from reportlab.lib.pagesizes import LETTER
    return draw_report(folder / "letter.pdf", profile, FOUNDER_PS, quartz=True, page_size=LETTER)


def landscape_pdf(folder: Path, profile: Profile) -> Path:
    return draw_report(folder / "landscape-table.pdf", profile, FOUNDER_PS, landscape_page=True)


# The open font LibreOffice is to use for each style of mandated family.
SHIPPED_BY_STYLE = {"小标宋": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "仿宋": "FandolFang",
                    "楷体": "LXGW WenKai", "黑体": "WenQuanYi Micro Hei"}


_HEAVY = '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'   # 小标宋 is heavy


def _fontconfig_env(folder: Path, profile: Profile) -> dict:
    """A fontconfig file that maps each mandated family to the shipped font of its style
    (an <edit> takes <string> values; mode="append" binding="strong")."""
    from xml.sax.saxutils import escape

    from closure_app.fonts.styles import style_of

    rules = "".join(
        f'<match target="pattern"><test name="family"><string>{escape(family)}</string></test>'
        f'<edit name="family" mode="append" binding="strong"><string>{SHIPPED_BY_STYLE[style_of(family)]}</string>'
        '</edit>' + (_HEAVY if style_of(family) == "小标宋" else "") + '</match>'
        for family in profile.families() + [profile.page_number.family])
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f'<dir>{escape(str(ROOT / "fonts" / "open"))}</dir>'
                    f'<cachedir>{escape(str(folder / "cache"))}</cachedir>{rules}</fontconfig>', encoding="utf-8")
    return dict(os.environ, FONTCONFIG_FILE=str(conf))


def soffice_pdf(docx_path: Path, folder: Path, profile: Profile) -> Path:
    """``soffice --convert-to pdf``, the Founder names mapped to the shipped open fonts."""
    work = folder / "lo-work"
    work.mkdir(exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{work}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx_path)],
                   check=True, capture_output=True, timeout=180, env=_fontconfig_env(work, profile))
    return folder / (docx_path.stem + ".pdf")


def bordered(docx_path: Path) -> Path:
    """Our test DOCX as people write it: tables with borders (Table Grid) and the text marked
    Chinese (w:lang), so LibreOffice sets Han in the East-Asian font."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(str(docx_path))
    for table in d.tables:
        table.style = d.styles["Table Grid"]
    rpr = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    d.save(str(docx_path))
    return docx_path


def libreoffice_pdf(folder: Path, profile: Profile, breaks: frozenset[str] = frozenset()) -> Path:
    """One of our test DOCX files (check_fixtures.build_docx, ``breaks`` as there) through LibreOffice."""
    name = "lo-ours" + "".join(f"-{b}" for b in sorted(breaks))
    src = bordered(build_docx(folder / f"{name}.docx", profile, breaks=breaks))
    return soffice_pdf(src, folder, profile)


GONGWEN_MD = f"""# {TITLE[0]}{TITLE[1]}

## {H1}

### {H2}

{BODY}

#### {H3}

{BODY_2}

## {H1_B}

{BODY_2}
"""


def reference_docx(path: Path, profile: Profile) -> Path:
    """A pandoc reference DOCX for a 公文: Heading 1 is the title (二号 小标宋, centred), Heading 2-4
    are the levels 一、/（一）/1."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    subprocess.run([PANDOC, "-o", str(path), "--print-default-data-file", "reference.docx"],
                   capture_output=True, check=True)
    d = docx.Document(str(path))
    plan = {"Title": "title", "Heading 1": "title", "Heading 2": "h1", "Heading 3": "h2", "Heading 4": "h3",
            "Normal": "body", "Body Text": "body", "First Paragraph": "body", "Compact": "body"}
    by_name = {st.name.lower(): st for st in d.styles if st.name}
    for style_name, role_name in plan.items():
        style = by_name.get(style_name.lower())      # pandoc's file spells them 'Heading 2'
        if style is None:
            continue
        role = profile.role(role_name)
        style_to_role(style, role)
        if role.align == "center":
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    geo = profile.page("report")
    for section in d.sections:                   # pandoc's own reference document is US Letter
        section.page_width, section.page_height = Mm(geo.width_mm), Mm(geo.height_mm)
    d.save(str(path))
    return path


def pandoc_docx(folder: Path, profile: Profile) -> Path:
    md = folder / "gongwen.md"
    md.write_text(GONGWEN_MD, encoding="utf-8")
    ref = reference_docx(folder / "reference.docx", profile)
    out = folder / "pandoc-gongwen.docx"
    subprocess.run([PANDOC, str(md), "-o", str(out), f"--reference-doc={ref}"], check=True, capture_output=True)
    return out


def pandoc_pdf(folder: Path, profile: Profile) -> Path:
    return soffice_pdf(pandoc_docx(folder, profile), folder, profile)


TYPST_SRC = """#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  footer: context align(center, text(font: "Noto Serif CJK SC", size: 14pt)[— #counter(page).display() —]))
#set text(font: "FandolFang", size: 16pt, lang: "zh")
#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 12pt)
#align(center, text(font: "Noto Serif CJK SC", weight: "bold", size: 22pt)[TITLE0 \\ TITLE1])
#align(center, text(font: "LXGW WenKai", size: 16pt)[AUTHOR])
#text(font: "WenQuanYi Micro Hei", size: 16pt)[H1]

#text(font: "LXGW WenKai", size: 16pt)[H2]

BODY

BODY2
"""


def typst_pdf(folder: Path, profile: Profile) -> Path:
    import typst
    src = (TYPST_SRC.replace("TITLE0", TITLE[0]).replace("TITLE1", TITLE[1]).replace("AUTHOR", AUTHOR)
           .replace("H1", H1).replace("H2", H2).replace("BODY2", BODY_2).replace("BODY", BODY))
    source = folder / "report.typ"
    source.write_text(src, encoding="utf-8")
    out = folder / "typst-report.pdf"
    typst.compile(str(source), output=str(out), font_paths=[str(ROOT / "fonts" / "open")])
    return out


@dataclass(frozen=True)
class Verdict:
    """What a careful reviewer says of a file: pass / warn / fail, and which (rule, severity) findings."""
    status: str
    findings: dict[tuple[str, str], int]     # (rule, severity) -> how many


Maker = Callable[[Path, Profile], Path]
