"""DOCX files as other tools write them, for the checker: a pandoc-made 公文 (title in Heading 1,
一、/（一）/1./（1） in Heading 2-5), a report whose title is a centred Normal paragraph set by
hand, and a text box written twice (mc:Choice and mc:Fallback) as Word does."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

GONGWEN_MD = """\
# 关于推进科技创新与产业创新深度融合的实施意见

各县（区）社科联：

为深入贯彻落实有关部署，现提出如下意见。

## 一、总体要求

坚持问题导向，推动科技创新和产业创新深度融合。

### （一）指导思想

以新质生产力为牵引，统筹创新资源。

#### 1. 基本原则

坚持企业主体地位，强化协同创新。

##### （1）市场导向

以应用场景牵引技术迭代。

## 二、重点任务

围绕主导产业组建创新联合体。
"""


def pandoc_gongwen(out: Path) -> Path:
    """pandoc's DOCX of a 公文 written in Markdown (its default reference document)."""
    src = out.with_suffix(".md")
    src.write_text(GONGWEN_MD, encoding="utf-8")
    subprocess.run([shutil.which("pandoc"), str(src), "-o", str(out)], check=True, capture_output=True, timeout=120)
    return out


def _fonts(run, family: str, size_pt: float, bold: bool = False) -> None:
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), family)
    run.font.size = Pt(size_pt)
    run.font.bold = bold


def hand_set_title(out: Path, profile) -> Path:
    """Everything in Normal with direct formatting, as most people write: a centred title in
    方正小标宋简体 二号, an author line, bold typed headings 一、/（一）, body text, all to the mandate."""
    d = docx.Document()

    def para(text, role, align=None, bold=None):
        want = profile.role(role)
        p = d.add_paragraph()
        if align:
            p.alignment = align
        _fonts(p.add_run(text), want.family, want.size_pt, want.bold if bold is None else bold)
        return p

    from docx.enum.text import WD_ALIGN_PARAGRAPH as A
    from docx.shared import Mm
    geo = profile.page("report")
    section = d.sections[0]                     # python-docx's template is Letter: set A4 as a user would
    section.page_width, section.page_height = Mm(geo.width_mm), Mm(geo.height_mm)
    section.top_margin, section.bottom_margin = Mm(geo.margin_mm.top), Mm(geo.margin_mm.bottom)
    section.left_margin, section.right_margin = Mm(geo.margin_mm.inner), Mm(geo.margin_mm.outer)
    para("乡村振兴背景下川陕革命老区红色文化资源保护与开发利用研究", "title", A.CENTER)
    para("巴中市委党校 王五", "author", A.CENTER)
    para("一、研究背景", "h1", A.CENTER)
    para("红色文化资源是川陕革命老区最鲜明的标识，保护与开发利用关系到老区振兴的全局。", "body")
    para("（一）问题的提出", "h2")
    para("各部门：", "body")
    para("近年来，老区各县区在红色文化资源保护方面做了大量工作。", "body")
    para("二、研究方法", "h1", A.CENTER)
    para("本研究采用田野调查与文献研究相结合的方法。", "body")
    d.save(str(out))
    return out


def text_box_twice(out: Path, family: str = "宋体") -> Path:
    """A body paragraph holding a text box, as Word writes it: the box's paragraph under
    mc:Choice (a wps shape) and again under mc:Fallback (VML)."""
    d = docx.Document()
    d.add_paragraph("正文段落一。")
    p = d.add_paragraph("正文段落二。")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    box_p = (f'<w:p><w:r><w:rPr><w:rFonts w:eastAsia="{family}"/><w:sz w:val="32"/></w:rPr>'
             '<w:t>文本框中的一段文字</w:t></w:r></w:p>')
    xml = f'''<w:r xmlns:w="{w}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
      xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
      xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
      xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
      xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
      <wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0"
        layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column">
        <wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>
        </wp:positionV><wp:extent cx="2000000" cy="500000"/><wp:wrapSquare wrapText="bothSides"/>
        <wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData
        uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>
        {box_p}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor>
      </w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape style="width:160pt;height:40pt"><v:textbox>
      <w:txbxContent>{box_p}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'''
    p._p.append(etree.fromstring(xml))
    d.add_paragraph("正文段落三。")
    d.save(str(out))
    return out
