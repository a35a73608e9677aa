"""Word/WPS reports made the ways people make them, for the import tests.

Each maker writes one file with python-docx, then edits the package's XML where python-docx
has no API (numbering.xml, text boxes, footnotes and endnotes, tracked changes, floating
images, WPS quirks); the .doc is saved by LibreOffice and the 公文 is written by pandoc.
Every file carries what a submission needs (a title, the author block, 摘要, 关键词), so it
builds. ``FIXTURES[name].outline`` is what the maker wrote: each heading's level and text as
a reader sees them, and a word of how its level shows (``how``).

    python tests/word_fixtures.py OUT_DIR      # writes every fixture into OUT_DIR
"""
from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml" '
          'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing"')
CT_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CT_ENDNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

TITLE = "关于深化科技创新与产业创新融合发展的调研报告"
AUTHOR_NAME = "向河铭"
AUTHOR_UNIT = "中共通江县委党校"
AUTHOR_LINES = [
    f"{AUTHOR_UNIT} {AUTHOR_NAME}",
    f"（作者单位：{AUTHOR_UNIT} 职务职称：教务股股长，3级主任科员 通讯地址：四川省通江县诺江镇红军路 "
    "邮编：636700 电子邮箱：someone@example.com 联系电话：13500000000）",
]
ABSTRACT = ("科技创新是产业创新的内生动力，产业创新是科技创新的价值实现。本文从巴中的实际出发，"
            "梳理两者融合的动力机制，提出可操作的实践路径。")
KEYWORDS = ["科技创新", "产业创新", "协同发展"]
FILLER = ("推动科技创新和产业创新深度融合，需要政府、企业、高校和科研院所协同发力，"
          "形成从基础研究到成果转化再到产业应用的完整链条。")
REFERENCES = ["习近平.论科技自立自强[M].北京:中央文献出版社,2023.",
              "陈劲.创新管理[M].北京:北京大学出版社,2021."]


@dataclass
class Fixture:
    name: str
    file_name: str
    make: Callable[[Path], None]
    outline: list[tuple[int, str]]          # (level, heading text) in order
    how: list[str] = field(default_factory=list)   # a word each heading's ``how`` holds, in order
    note: str = ""
    needs_soffice: bool = False
    needs_pandoc: bool = False
    has_images: bool = False
    tracked: bool = False
    abstract: str = ABSTRACT
    keywords: list[str] = field(default_factory=lambda: list(KEYWORDS))


# ---- small helpers -----------------------------------------------------------------------

def png(width: int = 24, height: int = 16, rgb: tuple[int, int, int] = (200, 60, 40)) -> bytes:
    """A small opaque PNG written by hand (zlib), so the bytes do not depend on Pillow's encoder."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _xml(text: str):
    from docx.oxml import parse_xml
    return parse_xml(text)


def front(doc, *, title_style: Optional[str] = None) -> None:
    """Title (centred, 22 pt, bold), the author block (centred), 摘要 and 关键词."""
    p = doc.add_paragraph(style=title_style)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(TITLE)
    r.bold = True
    r.font.size = Pt(22)
    for line in AUTHOR_LINES:
        a = doc.add_paragraph(line)
        a.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ab = doc.add_paragraph()
    ab.add_run("摘要：").bold = True
    ab.add_run(ABSTRACT)
    kw = doc.add_paragraph()
    kw.add_run("关键词：").bold = True
    kw.add_run("；".join(KEYWORDS))


def body(doc, n: int = 1, text: str = FILLER):
    for _ in range(n):
        last = doc.add_paragraph(text)
    return last


def bold_line(doc, text: str):
    p = doc.add_paragraph()
    p.add_run(text).bold = True
    return p


def references(doc, bold: bool = True) -> None:
    if bold:
        bold_line(doc, "参考文献")
    else:
        doc.add_paragraph("参考文献", style="Heading 1")
    for i, ref in enumerate(REFERENCES, 1):
        doc.add_paragraph(f"[{i}] {ref}")


def rewrite(path: Path, edit: dict[str, Callable[[bytes], bytes]] = None, add: dict[str, bytes] = None,
            drop: tuple[str, ...] = ()) -> None:
    """Rewrite a saved package: ``edit`` members through functions, ``add`` new members."""
    edit, add = edit or {}, add or {}
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if info.filename in drop:
                continue
            if info.filename in edit:
                data = edit[info.filename](data)
            out.writestr(info.filename, data)
        for name, data in add.items():
            out.writestr(name, data)
    path.write_bytes(buf.getvalue())


def _add_override(part: str, content_type: str) -> Callable[[bytes], bytes]:
    def f(data: bytes) -> bytes:
        return data.replace(b"</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'.encode())
    return f


def _add_rel(rid: str, rtype: str, target: str, extra: str = "") -> Callable[[bytes], bytes]:
    def f(data: bytes) -> bytes:
        return data.replace(b"</Relationships>",
                            f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"{extra}/></Relationships>'.encode())
    return f


def _chain(*fs: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def f(data: bytes) -> bytes:
        for g in fs:
            data = g(data)
        return data
    return f


# ---- numbering.xml --------------------------------------------------------------------------

def _lvl(ilvl: int, fmt: str, text: str, *, start: int = 1, style: Optional[str] = None,
         suff: Optional[str] = None, restart: Optional[int] = None, legal: bool = False) -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            + (f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else "")
            + (f'<w:pStyle w:val="{style}"/>' if style else "")
            + ("<w:isLgl/>" if legal else "")
            + (f'<w:suff w:val="{suff}"/>' if suff else "")
            + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>')


def numbering_xml(abstracts: dict[int, list[str]], nums: dict[int, tuple[int, str]]) -> bytes:
    """``abstracts``: id -> its w:lvl elements; ``nums``: numId -> (abstract id, overrides XML)."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {NSDECL}>']
    for aid, levels in abstracts.items():
        out.append(f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>'
                   + "".join(levels) + "</w:abstractNum>")
    for nid, (aid, overrides) in nums.items():
        out.append(f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>')
    out.append("</w:numbering>")
    return "".join(out).encode("utf-8")


def _numpr(paragraph, num_id: int, ilvl: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(_xml(f'<w:numPr {NSDECL}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _add_style(doc, style_id: str, name: str, *, based_on: str = "Normal", outline: Optional[int] = None,
               num: Optional[tuple[int, int]] = None, size_half_pt: int = 32, bold: bool = False) -> None:
    ppr = '<w:pPr><w:keepNext/>'
    if num is not None:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    ppr += "</w:pPr>"
    el = _xml(f'<w:style {NSDECL} w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
              f'<w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/><w:next w:val="Normal"/><w:qFormat/>'
              f'{ppr}<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{size_half_pt}"/></w:rPr></w:style>')
    doc.styles.element.append(el)


# ---- the makers ------------------------------------------------------------------------------

def make_typed_bold(path: Path) -> None:
    """Headings as bold Normal paragraphs with typed 一、/（一）/1. (what most people do), and a
    plain table."""
    doc = docx.Document()
    front(doc)
    for h in ("一、研究背景", "（一）问题的提出"):
        bold_line(doc, h)
        body(doc)
    bold_line(doc, "1.政策环境")
    body(doc)
    bold_line(doc, "2.产业基础")
    body(doc)
    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for r, values in enumerate([["指标", "数值"], ["研发投入（亿元）", "12.5"], ["专利授权（件）", "820"]]):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    body(doc)
    bold_line(doc, "（二）研究意义")
    body(doc)
    bold_line(doc, "二、主要做法")
    body(doc)
    bold_line(doc, "（一）搭建创新平台")
    body(doc)
    references(doc)
    doc.save(path)


TYPED_BOLD = [(1, "一、研究背景"), (2, "（一）问题的提出"), (3, "1.政策环境"), (3, "2.产业基础"),
              (2, "（二）研究意义"), (1, "二、主要做法"), (2, "（一）搭建创新平台"), (1, "参考文献")]


def make_auto_cn(path: Path) -> None:
    """标题 1-3 (styles named as Chinese Word shows them) numbered automatically from numbering.xml:
    chineseCounting 「%1、」 and 「（%2）」, decimal 「%3.」 (a tab after 「%1、」 and 「%3.」, as Word
    writes by default); body lists restarted by startOverride."""
    doc = docx.Document()
    _add_style(doc, "a1", "标题 1", outline=0, num=(1, 0))
    _add_style(doc, "a2", "标题 2", outline=1, num=(1, 1))
    _add_style(doc, "a3", "标题 3", outline=2, num=(1, 2), bold=True)
    front(doc)
    for style, text in (("a1", "研究背景"), ("a2", "问题的提出"), ("a3", "政策环境"), ("a3", "产业基础"),
                        ("a2", "研究意义"), ("a1", "主要做法"), ("a2", "搭建创新平台"), ("a3", "建设园区")):
        doc.add_paragraph(text, style=doc.styles[{"a1": "标题 1", "a2": "标题 2", "a3": "标题 3"}[style]])
        body(doc)
        if text == "建设园区":
            for num, item in ((2, "第一项措施"), (2, "第二项措施"), (3, "另一组第一项"), (3, "另一组第二项"),
                              (2, "接着第一组的第三项")):
                _numpr(doc.add_paragraph(item), num)
    references(doc)
    doc.save(path)
    levels = [_lvl(0, "chineseCounting", "%1、", style="a1"),               # Word's default: a tab after
              _lvl(1, "chineseCounting", "（%2）", style="a2", suff="nothing"),
              _lvl(2, "decimal", "%3.", style="a3")]
    lists = [_lvl(0, "decimal", "%1.", start=1)]
    rewrite(path, {"word/numbering.xml": lambda _: numbering_xml(
        {10: levels, 20: lists},
        {1: (10, ""), 2: (20, ""),
         3: (20, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>')})})


AUTO_CN = [(1, "一、研究背景"), (2, "（一）问题的提出"), (3, "1. 政策环境"), (3, "2. 产业基础"),
           (2, "（二）研究意义"), (1, "二、主要做法"), (2, "（一）搭建创新平台"), (3, "1. 建设园区"),
           (1, "参考文献")]


def make_auto_decimal(path: Path) -> None:
    """Heading 1 with 「第%1章」 (chineseCounting, w:start), sections in a custom style based on
    Heading 2 numbered 「%1.%2」 (w:isLgl: the chapter number in Arabic figures), and a custom style that is a heading only by w:outlineLvl."""
    doc = docx.Document()
    _add_style(doc, "ReportSection", "报告小节", based_on="Heading2")
    _add_style(doc, "MyLevel3", "三级标题（自定义）", outline=2, bold=True)
    front(doc)
    heads = [("Heading 1", "绪论", (1, 0)), ("报告小节", "研究背景", (1, 1)), ("报告小节", "研究方法", (1, 1)),
             ("三级标题（自定义）", "1. 文献研究", None), ("Heading 1", "理论基础", (1, 0)),
             ("报告小节", "概念界定", (1, 1)), ("三级标题（自定义）", "1. 创新", None),
             ("三级标题（自定义）", "2. 产业创新", None)]
    for style, text, num in heads:
        p = doc.add_paragraph(text, style=style)
        if num:
            _numpr(p, *num)
        body(doc)
    references(doc, bold=False)
    doc.save(path)
    levels = [_lvl(0, "chineseCounting", "第%1章", start=1, suff="space"),
              _lvl(1, "decimal", "%1.%2", start=1, suff="space", legal=True)]
    rewrite(path, {"word/numbering.xml": lambda _: numbering_xml({5: levels}, {1: (5, "")})})


AUTO_DECIMAL = [(1, "第一章 绪论"), (2, "1.1 研究背景"), (2, "1.2 研究方法"), (3, "1. 文献研究"),
                (1, "第二章 理论基础"), (2, "2.1 概念界定"), (3, "1. 创新"), (3, "2. 产业创新"), (1, "参考文献")]


def make_list_headings(path: Path) -> None:
    """Headings numbered with the numbering button on bold Normal paragraphs (no heading style):
    chineseCounting 「%1、」, 「（%2）」 and decimalEnclosedCircle 「%3」 from numbering.xml."""
    doc = docx.Document()
    front(doc)
    for ilvl, text in ((0, "研究背景"), (1, "问题的提出"), (2, "政策环境"), (2, "产业基础"), (1, "研究意义"),
                       (0, "主要做法"), (1, "搭建创新平台")):
        p = bold_line(doc, text)
        _numpr(p, 4, ilvl)
        body(doc)
    references(doc)
    doc.save(path)
    levels = [_lvl(0, "chineseCounting", "%1、", suff="nothing"), _lvl(1, "chineseCounting", "（%2）", suff="nothing"),
              _lvl(2, "decimalEnclosedCircle", "%3", suff="nothing")]
    rewrite(path, {"word/numbering.xml": lambda _: numbering_xml({3: levels}, {4: (3, "")})})


LIST_HEADINGS = [(1, "一、研究背景"), (2, "（一）问题的提出"), (3, "①政策环境"), (3, "②产业基础"),
                 (2, "（二）研究意义"), (1, "二、主要做法"), (2, "（一）搭建创新平台"), (1, "参考文献")]


SPECIALS = ["含有特殊字符：a*b*c、_下划线_、[1]引用、<标签>、&符号、`反引号`、\\反斜杠、| 竖线。",
            "# 井号开头的正文", "- 短横开头的正文", "> 大于号开头", "2024. 年份后跟点号开头", "+ 加号开头",
            "英文 text with *stars* and 1. numbers", "制表\t符号与\u3000全角空格。"]


def make_specials(path: Path) -> None:
    """Text that means something in Markdown (* _ [ ] < > & ` \\ | #, a leading - > + or 2024.),
    formatting (bold, italic, both, super- and subscript), a line break, bullets and numbers
    from Word's list styles, a table whose cells hold | and **."""
    doc = docx.Document()
    front(doc)
    doc.add_paragraph("一、研究背景", style="Heading 1")
    for text in SPECIALS:
        doc.add_paragraph(text)
    p = doc.add_paragraph()
    p.add_run("重点").bold = True
    p.add_run("，其后是正文；")
    p.add_run("斜体").italic = True
    p.add_run("与")
    r = p.add_run("粗斜")
    r.bold = r.italic = True
    p.add_run("，面积10m")
    p.add_run("2").font.superscript = True
    p.add_run("，H")
    p.add_run("2").font.subscript = True
    p.add_run("O。")
    p = doc.add_paragraph("第一行")
    p.runs[0].add_break()
    p.add_run("第二行 English words")
    doc.add_paragraph("（一）列表与表格", style="Heading 2")
    t = doc.add_table(rows=2, cols=2)
    t.style = "Table Grid"
    for (r, c), v in {(0, 0): "表头|一", (0, 1): "表头二", (1, 0): "a*b", (1, 1): "**星号**"}.items():
        t.cell(r, c).text = v
    for style, text in (("List Bullet", "项目一"), ("List Bullet", "项目二"), ("List Number", "编号一"),
                        ("List Number", "编号二")):
        doc.add_paragraph(text, style=style)
    doc.add_paragraph("结尾段落。")
    doc.save(path)


SPECIALS_OUTLINE = [(1, "一、研究背景"), (2, "（一）列表与表格")]


def _field(p, kind: str, instr: Optional[str] = None) -> None:
    p._p.append(_xml(f'<w:r {NSDECL}><w:fldChar w:fldCharType="{kind}"/></w:r>'))
    if instr:
        p._p.append(_xml(f'<w:r {NSDECL}><w:instrText xml:space="preserve">{instr}</w:instrText></w:r>'))


VARIANT_ABSTRACT = ["第一段摘要：科技创新是产业创新的内生动力。", "第二段摘要：产业创新是科技创新的价值实现。"]


def make_variants(path: Path) -> None:
    """Front matter written another common way: the title in the Title style, the author's
    fields one per line (作者：… 作者单位：…), a TOC field as Word inserts it (HYPERLINK and
    PAGEREF fields inside, cached page numbers), 「摘  要」 alone above two paragraphs,
    【关键词】, and [参考文献] over references numbered 1. 2."""
    doc = docx.Document()
    doc.add_paragraph(TITLE, style="Title")
    doc.add_paragraph(f"作者：{AUTHOR_NAME}")
    for line in (f"作者单位：{AUTHOR_UNIT}", "职务职称：教务股股长，3级主任科员", "通讯地址：四川省通江县诺江镇红军路",
                 "邮编：636700", "电子邮箱：someone@example.com", "联系电话：13500000000"):
        doc.add_paragraph(line)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("目  录").bold = True
    p = doc.add_paragraph()
    _field(p, "begin", ' TOC \\o "1-3" \\h \\z \\u ')
    _field(p, "separate")
    for i, entry in enumerate(["一、研究背景", "（一）问题的提出", "二、主要做法"]):
        if i:
            p = doc.add_paragraph()
        _field(p, "begin", f' HYPERLINK \\l "_Toc{i}" ')
        _field(p, "separate")
        p.add_run(entry + "\t")
        _field(p, "begin", f" PAGEREF _Toc{i} \\h ")
        _field(p, "separate")
        p.add_run(str(i + 3))
        _field(p, "end")
        _field(p, "end")
    _field(p, "end")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("摘  要").bold = True
    for text in VARIANT_ABSTRACT:
        doc.add_paragraph(text)
    p = doc.add_paragraph()
    p.add_run("【关键词】").bold = True
    p.add_run("，".join(KEYWORDS))
    for style, text in (("Heading 1", "一、研究背景"), ("Heading 2", "（一）问题的提出"), ("Heading 1", "二、主要做法")):
        doc.add_paragraph(text, style=style)
        body(doc)
    doc.add_paragraph("[参考文献]")
    for i, ref in enumerate(REFERENCES, 1):
        doc.add_paragraph(f"{i}. {ref}")
    doc.save(path)


VARIANTS = [(1, "一、研究背景"), (2, "（一）问题的提出"), (1, "二、主要做法"), (1, "[参考文献]")]


GONGWEN_MD = f"""# {TITLE}

作者：{AUTHOR_NAME}

作者单位：{AUTHOR_UNIT} 职务职称：教务股股长，3级主任科员 通讯地址：四川省通江县诺江镇红军路 邮编：636700 电子邮箱：someone@example.com 联系电话：13500000000

**摘要：**{ABSTRACT}

**关键词：**{"；".join(KEYWORDS)}

## 一、研究背景

{FILLER}[^1]

### （一）问题的提出

{FILLER}

#### 1.政策环境

{FILLER}

#### 2.产业基础

{FILLER}[^2]

## 二、主要做法

{FILLER}

### （一）搭建创新平台

{FILLER}

## 参考文献

[1] {REFERENCES[0]}

[2] {REFERENCES[1]}

[^1]: 科技创新知识普及. 贵阳网. 2014-07-25.
[^2]: 巴中市统计局. 巴中统计年鉴2024.
"""


def make_pandoc_gongwen(path: Path, text: str = GONGWEN_MD) -> None:
    """A 公文 as pandoc writes it: the title in Heading 1, 一、/（一）/1. in Heading 2-4."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "gongwen.md"
        src.write_text(text, encoding="utf-8")
        subprocess.run(["pandoc", "-f", "markdown", "-t", "docx", "-o", str(path), str(src)],
                       check=True, capture_output=True, timeout=120)


def make_pandoc_refs_h1(path: Path) -> None:
    """The same 公文 with 参考文献 in Heading 1 beside the title (# 参考文献)."""
    make_pandoc_gongwen(path, GONGWEN_MD.replace("\n## 参考文献\n", "\n# 参考文献\n"))


PANDOC_GONGWEN = [(1, "一、研究背景"), (2, "（一）问题的提出"), (3, "1.政策环境"), (3, "2.产业基础"),
                  (1, "二、主要做法"), (2, "（一）搭建创新平台"), (1, "参考文献")]


def make_title_in_heading_1(path: Path) -> None:
    """The title set centred in Heading 1, the same style as the chapters (第一章 …) below it."""
    doc = docx.Document()
    front(doc, title_style="Heading 1")
    for style, text in (("Heading 1", "第一章 绪论"), ("Heading 2", "1.1 研究背景"), ("Heading 1", "第二章 理论基础")):
        doc.add_paragraph(text, style=style)
        body(doc)
    references(doc, bold=False)
    doc.save(path)


TITLE_IN_HEADING_1 = [(1, "第一章 绪论"), (2, "1.1 研究背景"), (1, "第二章 理论基础"), (1, "参考文献")]


_THEME_RFONTS = '<w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/>'
_THEME_MAJOR = '<w:rFonts w:asciiTheme="majorHAnsi" w:eastAsiaTheme="majorEastAsia" w:hAnsiTheme="majorHAnsi" w:cstheme="majorBidi"/>'


def make_theme_fonts(path: Path) -> None:
    """Every font through the theme: docDefaults, the heading styles and every run name only
    w:eastAsiaTheme (as Word's own templates do); headings 第一章 / 1.1 / 1. typed in Heading 1-3."""
    doc = docx.Document()
    front(doc)
    for style, text in (("Heading 1", "第一章 绪论"), ("Heading 2", "1.1 研究背景"), ("Heading 3", "1. 政策环境"),
                        ("Heading 2", "1.2 研究方法"), ("Heading 1", "第二章 主要做法"),
                        ("Heading 2", "2.1 搭建平台")):
        doc.add_paragraph(text, style=style)
        body(doc)
    references(doc, bold=False)
    for p in doc.paragraphs:
        for r in p.runs:
            rpr = r._r.get_or_add_rPr()
            for old in rpr.findall(f"{{{W}}}rFonts"):
                rpr.remove(old)
            rpr.insert(0, _xml(_THEME_RFONTS.replace("<w:rFonts", f"<w:rFonts {NSDECL}")))
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        rpr = doc.styles[name].element.get_or_add_rPr()
        for old in rpr.findall(f"{{{W}}}rFonts"):
            rpr.remove(old)
        rpr.insert(0, _xml(_THEME_MAJOR.replace("<w:rFonts", f"<w:rFonts {NSDECL}")))
    doc.save(path)


THEME_FONTS = [(1, "第一章 绪论"), (2, "1.1 研究背景"), (3, "1. 政策环境"), (2, "1.2 研究方法"),
               (1, "第二章 主要做法"), (2, "2.1 搭建平台"), (1, "参考文献")]

TEXTBOX_TEXT = "文本框里的说明：数据来源于巴中市统计局。"


def _textbox_run(text: str) -> str:
    """A floating text box as Word 2010+ writes it: wps shape under mc:Choice, VML under
    mc:Fallback, the same paragraph in both."""
    para = f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
    return (f'<w:r {NSDECL}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" '
            'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            '<wp:extent cx="2400000" cy="600000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
            '<wp:docPr id="50" name="文本框 1"/><wp:cNvGraphicFramePr/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2400000" cy="600000"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
            f'<wps:txbx><w:txbxContent>{para}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
            '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            '<mc:Fallback><w:pict><v:shape id="TextBox1" style="position:absolute;width:189pt;height:47pt">'
            f'<v:textbox><w:txbxContent>{para}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
            '</mc:AlternateContent></w:r>')


def make_textbox(path: Path) -> None:
    """A text box (mc:AlternateContent: the wps shape and its VML fallback hold the same text),
    and an equation (m:oMath), kept as its text and listed."""
    doc = docx.Document()
    front(doc)
    doc.add_paragraph("一、研究背景", style="Heading 1")
    p = body(doc)
    p._p.append(_xml(_textbox_run(TEXTBOX_TEXT)))
    eq = doc.add_paragraph("质能关系")
    eq._p.append(_xml('<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
                      '<m:r><m:t>E=mc²</m:t></m:r></m:oMath>'))
    eq.add_run("说明能量与质量的关系。")
    doc.add_paragraph("二、主要做法", style="Heading 1")
    body(doc)
    doc.save(path)


TEXTBOX = [(1, "一、研究背景"), (1, "二、主要做法")]


def make_merged_table(path: Path) -> None:
    """A table with a header cell spanning two columns (gridSpan) and a cell spanning two rows
    (vMerge), captioned above."""
    doc = docx.Document()
    front(doc)
    doc.add_paragraph("一、主要指标", style="Heading 1")
    body(doc)
    doc.add_paragraph("表1 巴中市科技创新主要指标")
    t = doc.add_table(rows=4, cols=3)
    t.style = "Table Grid"
    rows = [["指标", "2023年", ""], ["研发投入", "12.5", "13.1"], ["专利授权", "820", "905"], ["", "件", "件"]]
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            t.cell(r, c).text = v
    t.cell(0, 1).merge(t.cell(0, 2))
    t.cell(0, 1).text = "年度"
    t.cell(2, 0).merge(t.cell(3, 0))
    t.cell(2, 0).text = "专利授权"
    body(doc)
    doc.save(path)


MERGED_TABLE = [(1, "一、主要指标")]


def make_images(path: Path) -> None:
    """An inline picture in its own paragraph with a caption below, and a floating picture
    (wp:anchor) in a body paragraph."""
    doc = docx.Document()
    front(doc)
    doc.add_paragraph("一、研究背景", style="Heading 1")
    body(doc)
    doc.add_picture(io.BytesIO(png(24, 16, (200, 60, 40))))
    doc.add_paragraph("图1 融合发展示意图")
    p = body(doc)
    run = p.add_run()
    run.add_picture(io.BytesIO(png(16, 16, (40, 90, 200))))
    inline = run._r.find(f".//{{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}}inline")
    _float(inline)
    doc.add_paragraph("二、主要做法", style="Heading 1")
    body(doc)
    doc.save(path)


def _float(inline) -> None:
    """Turn a wp:inline into a wp:anchor (a picture floating beside the text, square wrap)."""
    WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    anchor = _xml(f'<wp:anchor {NSDECL} distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
                  'relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
                  '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>3000000</wp:posOffset>'
                  '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
                  '</wp:anchor>')
    extent = inline.find(f"{{{WP}}}extent")
    anchor.append(extent)
    anchor.append(_xml(f'<wp:effectExtent {NSDECL} l="0" t="0" r="0" b="0"/>'))
    anchor.append(_xml(f'<wp:wrapSquare {NSDECL} wrapText="bothSides"/>'))
    for child in list(inline):
        if child.tag != f"{{{WP}}}effectExtent":
            anchor.append(child)
    inline.getparent().replace(inline, anchor)


IMAGES = [(1, "一、研究背景"), (1, "二、主要做法")]

FOOTNOTES = {2: "科技创新知识普及. 贵阳网. 2014-07-25.", 3: "巴中市统计局. 巴中统计年鉴2024."}
ENDNOTES = {2: "陈劲. 创新管理. 北京大学出版社, 2021."}


def _notes_xml(kind: str, notes: dict[int, str]) -> bytes:
    tag = kind  # footnote | endnote
    ref_style = "FootnoteReference" if kind == "footnote" else "EndnoteReference"
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{tag}s {NSDECL}>',
             f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>',
             f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>']
    for nid, text in notes.items():
        parts.append(f'<w:{tag} w:id="{nid}"><w:p><w:r><w:rPr><w:rStyle w:val="{ref_style}"/></w:rPr>'
                     f'<w:{tag}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{tag}>')
    parts.append(f"</w:{tag}s>")
    return "".join(parts).encode("utf-8")


def _note_ref(kind: str, nid: int):
    return _xml(f'<w:r {NSDECL}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:{kind}Reference w:id="{nid}"/></w:r>')


def make_notes(path: Path) -> None:
    """Footnotes and an endnote written as Word writes them (footnotes.xml, endnotes.xml), and a
    reviewer's comment (comments.xml), which has no place in the manuscript."""
    doc = docx.Document()
    front(doc)
    doc.add_paragraph("一、研究背景", style="Heading 1")
    p = doc.add_paragraph("科技创新是第一动力")
    p._p.append(_note_ref("footnote", 2))
    p.add_run("，产业创新是价值实现。")
    body(doc)
    doc.add_paragraph("二、主要做法", style="Heading 1")
    p = doc.add_paragraph("统计数据显示")
    p._p.append(_note_ref("footnote", 3))
    commented = p.add_run("，园区建设成效明显")
    doc.add_comment([commented], text="请补充数据来源", author="审稿人", initials="审")
    p._p.append(_note_ref("endnote", 2))
    p.add_run("。")
    doc.save(path)
    rewrite(path, {
        "[Content_Types].xml": _chain(_add_override("word/footnotes.xml", CT_FOOTNOTES),
                                      _add_override("word/endnotes.xml", CT_ENDNOTES)),
        "word/_rels/document.xml.rels": _chain(_add_rel("rIdFn", RT + "footnotes", "footnotes.xml"),
                                               _add_rel("rIdEn", RT + "endnotes", "endnotes.xml")),
    }, {"word/footnotes.xml": _notes_xml("footnote", FOOTNOTES),
        "word/endnotes.xml": _notes_xml("endnote", ENDNOTES)})


NOTES = [(1, "一、研究背景"), (1, "二、主要做法")]
TITLE_NOTE = "本文系巴中市社科规划项目（BZ25ZC124）成果。"
PLACED_NOTES = {2: TITLE_NOTE, 3: "标题上的脚注。", 4: "单元格里的脚注。"}


def make_placed_notes(path: Path) -> None:
    """Footnotes where people put them besides the body: on the title (基金项目), on a heading and
    in a table cell."""
    doc = docx.Document()
    front(doc)
    doc.paragraphs[0]._p.append(_note_ref("footnote", 2))
    doc.add_paragraph("一、研究背景", style="Heading 1")._p.append(_note_ref("footnote", 3))
    body(doc)
    t = doc.add_table(rows=2, cols=2)
    t.style = "Table Grid"
    for (r, c), v in {(0, 0): "指标", (0, 1): "数值", (1, 0): "研发投入", (1, 1): "12.5"}.items():
        t.cell(r, c).text = v
    t.cell(1, 1).paragraphs[0]._p.append(_note_ref("footnote", 4))
    body(doc)
    doc.save(path)
    rewrite(path, {"[Content_Types].xml": _add_override("word/footnotes.xml", CT_FOOTNOTES),
                   "word/_rels/document.xml.rels": _add_rel("rIdFn", RT + "footnotes", "footnotes.xml")},
            {"word/footnotes.xml": _notes_xml("footnote", PLACED_NOTES)})


PLACED = [(1, "一、研究背景")]


def make_tracked(path: Path) -> None:
    """Tracked changes: an insertion (w:ins) and a deletion (w:del) left unaccepted."""
    doc = docx.Document()
    front(doc)
    doc.add_paragraph("一、研究背景", style="Heading 1")
    p = doc.add_paragraph("融合发展")
    p._p.append(_xml(f'<w:ins {NSDECL} w:id="101" w:author="审稿人" w:date="2025-01-01T00:00:00Z">'
                     '<w:r><w:t>已经</w:t></w:r></w:ins>'))
    p._p.append(_xml(f'<w:del {NSDECL} w:id="102" w:author="审稿人" w:date="2025-01-01T00:00:00Z">'
                     '<w:r><w:delText>尚未</w:delText></w:r></w:del>'))
    p.add_run("取得明显成效。")
    doc.add_paragraph("二、主要做法", style="Heading 1")
    body(doc)
    doc.save(path)


TRACKED = [(1, "一、研究背景"), (1, "二、主要做法")]
TRACKED_TEXT = "融合发展已经取得明显成效。"


def soffice_convert(src: Path, fmt: str, out_dir: Path) -> Path:
    """LibreOffice's own save (``--convert-to``), in a private profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("soffice not installed")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", fmt,
                        "--outdir", str(out_dir), str(src)], check=True, capture_output=True, timeout=180)
    return out_dir / (src.stem + "." + fmt.split(":")[0])


def make_lo_doc(path: Path) -> None:
    """The bold-typed report saved by LibreOffice as Word 97-2003 (.doc)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (path.stem + ".docx")
        make_typed_bold(src)
        out = soffice_convert(src, "doc", Path(tmp))
        shutil.copyfile(out, path)


def make_word2003_xml(path: Path) -> None:
    """The bold-typed report saved as Word 2003 XML (a single XML file, as WPS may save it)
    under a .docx name: told apart by its content, converted by LibreOffice."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (path.stem + ".docx")
        make_typed_bold(src)
        out = soffice_convert(src, "xml:MS Word 2003 XML", Path(tmp))
        shutil.copyfile(out, path)


_NULL_PICTURE = (
    f'<w:p {NSDECL}><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="609600"/><wp:docPr id="77" name="图片 77"/>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
    '<pic:nvPicPr><pic:cNvPr id="77" name="null.png"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed="rId999"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="609600"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
    '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')


def make_wps_like(path: Path) -> None:
    """A package with WPS's quirks: a relationship whose Target is "NULL" (used by a picture),
    mc:AlternateContent in settings.xml, and a paragraph that names a style id the styles part
    does not define."""
    make_auto_cn(path)

    def settings(data: bytes) -> bytes:
        extra = ('<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                 '<mc:Choice Requires="wpsCustomData" xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/wpsCustomData">'
                 '<wpsCustomData:docInfo/></mc:Choice></mc:AlternateContent>')
        return re.sub(rb"(</w:settings>)", extra.encode() + rb"\1", data)

    def document(data: bytes) -> bytes:
        # the first body paragraph after 关键词 points at a style WPS never wrote
        data = data.replace(f"<w:p><w:r><w:t>{FILLER}</w:t></w:r></w:p>".encode(),
                            f'<w:p><w:pPr><w:pStyle w:val="99"/></w:pPr><w:r><w:t>{FILLER}</w:t></w:r></w:p>'.encode(), 1)
        # and a picture whose relationship points at "NULL"
        return data.replace(b"<w:sectPr", _NULL_PICTURE.encode() + b"<w:sectPr", 1)

    rewrite(path, {"word/settings.xml": settings, "word/document.xml": document,
                   "word/_rels/document.xml.rels": _add_rel("rId999", RT + "image", "NULL")})


def make_docm(path: Path) -> None:
    """A macro-enabled document (.docm): the macroEnabled content type and a vbaProject part."""
    make_typed_bold(path)
    rewrite(path, {
        "[Content_Types].xml": lambda d: d.replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml").replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'),
        "word/_rels/document.xml.rels": _add_rel("rIdVba", "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                                                 "vbaProject.bin"),
    }, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504})


FIXTURES: dict[str, Fixture] = {f.name: f for f in [
    Fixture("typed_bold", "typed_bold.docx", make_typed_bold, TYPED_BOLD, ["手写编号「一、」", "手写编号「（一）」", "手写编号「1.」"]),
    Fixture("auto_cn", "auto_cn.docx", make_auto_cn, AUTO_CN, ["样式「标题 1」", "样式「标题 2」", "样式「标题 3」"]),
    Fixture("list_headings", "list_headings.docx", make_list_headings, LIST_HEADINGS,
            ["自动编号「一、」，加粗", "自动编号「（一）」，加粗", "自动编号「①」，加粗"]),
    Fixture("auto_decimal", "auto_decimal.docx", make_auto_decimal, AUTO_DECIMAL,
            ["样式「Heading 1」", "样式「报告小节」，基于「Heading 2」", "样式「报告小节」，基于「Heading 2」", "大纲级别 3"]),
    Fixture("pandoc_gongwen", "pandoc_gongwen.docx", make_pandoc_gongwen, PANDOC_GONGWEN,
            ["样式「Heading 2」", "样式「Heading 3」", "样式「Heading 4」"], needs_pandoc=True),
    Fixture("pandoc_refs_h1", "pandoc_refs_h1.docx", make_pandoc_refs_h1, PANDOC_GONGWEN,
            ["样式「Heading 2」", "样式「Heading 3」", "样式「Heading 4」"], needs_pandoc=True),
    Fixture("title_in_heading_1", "title_in_heading_1.docx", make_title_in_heading_1, TITLE_IN_HEADING_1,
            ["样式「Heading 1」", "样式「Heading 2」", "样式「Heading 1」"]),
    Fixture("theme_fonts", "theme_fonts.docx", make_theme_fonts, THEME_FONTS, ["样式「Heading 1」", "样式「Heading 2」", "样式「Heading 3」"]),
    Fixture("textbox", "textbox.docx", make_textbox, TEXTBOX),
    Fixture("merged_table", "merged_table.docx", make_merged_table, MERGED_TABLE),
    Fixture("images", "images.docx", make_images, IMAGES, has_images=True),
    Fixture("notes", "notes.docx", make_notes, NOTES),
    Fixture("placed_notes", "placed_notes.docx", make_placed_notes, PLACED),
    Fixture("tracked", "tracked.docx", make_tracked, TRACKED, tracked=True),
    Fixture("lo_doc", "lo_doc.doc", make_lo_doc, TYPED_BOLD, needs_soffice=True),
    Fixture("word2003_xml", "word2003_xml.docx", make_word2003_xml, TYPED_BOLD, needs_soffice=True),
    Fixture("variants", "variants.docx", make_variants, VARIANTS, ["样式「Heading 1」", "样式「Heading 2」"],
            abstract="\n\n".join(VARIANT_ABSTRACT)),
    Fixture("specials", "specials.docx", make_specials, SPECIALS_OUTLINE),
    Fixture("wps_like", "wps_like.docx", make_wps_like, AUTO_CN),
    Fixture("docm", "macro.docm", make_docm, TYPED_BOLD),
]}


def make(name: str, folder: Path) -> Path:
    fx = FIXTURES[name]
    path = Path(folder) / fx.file_name
    fx.make(path)
    return path


def make_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: make(name, folder) for name in FIXTURES}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "word-fixtures")
    for name, p in make_all(out).items():
        print(f"{name}\t{p}")
