"""Small DOCX and PDF files for the checker's tests, made to the profile, and ways to break them.

Every size and family comes from the profile; a break changes one rule in one place.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import docx
from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from closure_app.profile import ZIHAO_PT, Profile

THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
HEADINGS = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3"}

TITLE = "深度融合科技创新与产业创新"
H1 = "第一章 绪论"
H2 = "1.1 研究背景与意义"
H2_PLAIN = "1.2 国内外研究综述"
H3 = "1. 创新"
BODY = "科技创新是提高社会生产力和综合国力的战略支撑，必须摆在国家发展全局的核心位置。"
BODY_2 = "产业创新以科技创新为源头，二者深度融合是培育新质生产力的关键。"
REF_TITLE = "参考文献"
REFERENCE = "1. 习近平著作选读. 人民出版社, 2023."
FOOTNOTE = "科技创新知识普及. 贵阳网. 2014-07-25"


def set_east_asia(rpr, family: str) -> None:
    """Name the family in every slot of w:rFonts and drop the theme attributes that would win."""
    fonts = rpr.get_or_add_rFonts()
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), family)


def _style_to_role(style, role) -> None:
    rpr = style.element.get_or_add_rPr()
    set_east_asia(rpr, role.family)
    style.font.size = Pt(role.size_pt)
    style.font.bold = role.bold
    style.font.italic = False
    style.font.color.rgb = None


def _add_footnotes(document, text: str, family: str, size_pt: float) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<w:footnotes xmlns:w="{w}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:rPr><w:rFonts w:eastAsia="{family}"/><w:sz w:val="{round(size_pt * 2)}"/>'
           f'</w:rPr><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def build_docx(path: Path, profile: Profile, *, breaks: frozenset[str] = frozenset()) -> Path:
    """A short report made to the profile. ``breaks`` names rules to break, one place each:
    h2_heiti, body_xiaosan, h3_not_bold, body_theme_font, h2_as_normal."""
    d = docx.Document()
    defaults = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    body = profile.role("body")
    fonts = defaults.find(qn("w:rFonts"))
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), body.family)
    _style_to_role(d.styles["Normal"], body)
    _style_to_role(d.styles["Title"], profile.role("title"))
    for role, name in HEADINGS.items():
        _style_to_role(d.styles[name], profile.role(role))
    if "h2_heiti" in breaks:
        set_east_asia(d.styles["Heading 2"].element.get_or_add_rPr(), profile.role("h1").family)
    if "h3_not_bold" in breaks:
        d.styles["Heading 3"].font.bold = None   # the toggle never set: not bold

    section = d.sections[0]
    geo = profile.page("report")
    section.page_width, section.page_height = Mm(geo.width_mm), Mm(geo.height_mm)
    section.top_margin, section.bottom_margin = Mm(geo.margin_mm.top), Mm(geo.margin_mm.bottom)
    section.left_margin, section.right_margin = Mm(geo.margin_mm.inner), Mm(geo.margin_mm.outer)

    d.add_paragraph(TITLE, style="Title")
    d.add_paragraph(H1, style="Heading 1")
    d.add_paragraph(H2, style="Heading 2")
    p = d.add_paragraph(BODY)
    ref = p.add_run()
    ref._r.append(etree.fromstring(f'<w:footnoteReference xmlns:w="{ref._r.nsmap["w"]}" w:id="1"/>'))
    body_2 = d.add_paragraph(BODY_2)
    if "body_xiaosan" in breaks:
        body_2.runs[0].font.size = Pt(ZIHAO_PT["小三"])
    if "body_theme_font" in breaks:
        body_2.runs[0]._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsiaTheme"), "minorEastAsia")
    d.add_paragraph(H2_PLAIN, style="Normal" if "h2_as_normal" in breaks else "Heading 2")
    d.add_paragraph(H3, style="Heading 3")
    d.add_paragraph(BODY)
    table = d.add_table(rows=1, cols=2)
    for cell, text in zip(table.rows[0].cells, ("指标", "数值")):
        cell.paragraphs[0].add_run(text).font.size = Pt(profile.role("table").size_pt)
    d.add_paragraph("")
    d.add_paragraph(REF_TITLE, style="Heading 1")
    d.add_paragraph().add_run(REFERENCE).font.size = Pt(profile.role("reference").size_pt)
    footnote = profile.role("footnote")
    _add_footnotes(d, FOOTNOTE, footnote.family, footnote.size_pt)
    d.save(path)
    return path


def cjk_font_file(fonts_dir: Path) -> Optional[tuple[Path, int]]:
    """A TrueType CJK font for reportlab: one shipped under fonts/open/, else WenQuanYi; None if neither."""
    for f in sorted((fonts_dir / "open").rglob("*.tt[fc]")) if (fonts_dir / "open").exists() else []:
        return f, 0
    wqy = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    return (wqy, 0) if wqy.exists() else None
