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


def style_to_role(style, role) -> None:
    """A python-docx style set to a profile role: family in every slot, size, weight, no colour."""
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
    style_to_role(d.styles["Normal"], body)
    style_to_role(d.styles["Title"], profile.role("title"))
    for role, name in HEADINGS.items():
        style_to_role(d.styles[name], profile.role(role))
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


def _register_as(font_file: tuple[Path, int], face_name: str) -> str:
    """Register the CJK file under a face name of our choosing, GBK-encoded as Word's PDF export
    writes Founder names (/#B7#BD#D5#FD#B7#C2#CB#CE_GBK): the PDF then names that family."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    internal = f"check-{face_name}"
    if internal not in pdfmetrics.getRegisteredFontNames():
        font = TTFont(internal, str(font_file[0]), subfontIndex=font_file[1])
        font.face.name = face_name.encode("gbk")
        pdfmetrics.registerFont(font)
    return internal


def _chunks(text: str, n: int) -> list[str]:
    return [text[i:i + n] for i in range(0, len(text), n)]


def build_pdf(path: Path, profile: Profile, font_file: tuple[Path, int], *,
              breaks: frozenset[str] = frozenset(), h2_face: Optional[str] = None) -> Path:
    """A two-page report drawn line by line in the profile's families and sizes.
    ``breaks``: pdf_unembedded, pdf_h2_heiti, pdf_body_xiaosan. ``h2_face``: draw level-2
    headings in a font of that name instead of the mandated one (a substitute)."""
    from reportlab.pdfgen import canvas

    geo = profile.page("report")
    c = canvas.Canvas(str(path), pagesize=(geo.width_pt, geo.height_pt))
    left = geo.margin_pt("inner")
    chars_per_line = int(geo.text_width_pt // profile.role("body").size_pt)

    def face(role: str) -> str:
        r = profile.role(role)
        if role == "h2" and "pdf_h2_heiti" in breaks:
            return _register_as(font_file, profile.role("h1").family)
        if role == "h2" and h2_face:
            return _register_as(font_file, h2_face)
        return _register_as(font_file, r.family)

    def page(lines: list[tuple[str, str]], number: int):
        y = geo.height_pt - geo.margin_pt("top")
        for role, text in lines:
            r = profile.role(role)
            size = r.size_pt
            if role == "body" and "pdf_body_xiaosan" in breaks and text == BODY_2:
                size = ZIHAO_PT["小三"]
            t = c.beginText(left, y)
            t.setFont(face(role), size)
            t.setTextRenderMode(2 if r.bold else 0)
            t.textOut(text)
            c.drawText(t)
            y -= profile.line_pitch(role)
        pn = profile.page_number
        c.setFont(_register_as(font_file, pn.family), pn.size_pt)
        c.drawCentredString(geo.width_pt / 2, geo.margin_pt("bottom") / 2, pn.text(number))
        c.showPage()

    body = [("body", s) for s in _chunks(BODY, chars_per_line)]
    page([("title", TITLE), ("h1", H1), ("h2", H2), *body, ("h3", H3), ("body", BODY_2)], 1)
    second = [("h2", H2_PLAIN), *body, ("h1", REF_TITLE), ("reference", REFERENCE)]
    if "pdf_unembedded" in breaks:
        c.setFont("Helvetica", profile.role("body").size_pt)
        c.drawString(left, geo.margin_pt("bottom") + 40, "Helvetica is not embedded")
    page(second, 2)
    c.save()
    return path


def build_booklet(path: Path, sizes: list[tuple[float, float]], font_file: tuple[Path, int], family: str) -> Path:
    """A PDF whose pages have the given sizes (pt), each with a line of text."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=sizes[0])
    for n, size in enumerate(sizes, start=1):
        c.setPageSize(size)
        c.setFont(_register_as(font_file, family), 16)
        c.drawString(72, 72, f"第 {n} 面")
        c.showPage()
    c.save()
    return path
