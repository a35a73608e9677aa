"""Reading a .docx back for the tests: parts, paragraphs and each run's effective font.

The resolver follows the chain Word follows (docDefaults -> paragraph style basedOn chain ->
character style chain -> the run's own properties), independently of the writer.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Optional

from lxml import etree

from closure_app.blocks import Document, Heading, ListBlock, Paragraph, Table, Toc

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def parts(blob: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith((".xml", ".rels"))}


def paragraph_text(p: etree._Element) -> str:
    """The paragraph's text; a line break (w:br, not a page break) reads as a newline, a tab
    (after a hanging list marker) as a space."""
    return "".join(("" if el.get(q("type")) else "\n") if el.tag == q("br")
                   else " " if el.tag == q("tab") else el.text or ""
                   for el in p.iter(q("t"), q("br"), q("tab")) if el.getparent().tag != q("tabs"))


@dataclass
class Font:
    family: Optional[str] = None
    half_points: Optional[int] = None
    bold: bool = False

    def apply(self, rpr: Optional[etree._Element]) -> None:
        if rpr is None:
            return
        fonts = rpr.find(q("rFonts"))
        if fonts is not None:
            if any(fonts.get(q(a)) is not None for a in THEME_ATTRS):
                raise AssertionError(f"theme font attribute in {etree.tostring(fonts)!r}")
            self.family = fonts.get(q("eastAsia"), self.family)
        sz = rpr.find(q("sz"))
        if sz is not None:
            self.half_points = int(sz.get(q("val")))
        b = rpr.find(q("b"))
        if b is not None:
            self.bold = b.get(q("val"), "1") not in ("0", "false", "off")


class StyleChain:
    def __init__(self, styles_xml: etree._Element):
        self.styles = {s.get(q("styleId")): s for s in styles_xml.iterfind("w:style", NS)}
        self.defaults = styles_xml.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        self.default_para = next(s.get(q("styleId")) for s in self.styles.values()
                                 if s.get(q("type")) == "paragraph" and s.get(q("default")) == "1")

    def chain(self, style_id: Optional[str]) -> list[etree._Element]:
        """The style and its basedOn ancestors, root first."""
        out = []
        while style_id:
            style = self.styles[style_id]
            out.insert(0, style)
            based = style.find("w:basedOn", NS)
            style_id = based.get(q("val")) if based is not None else None
        return out

    def run_font(self, p: etree._Element, r: etree._Element) -> Font:
        font = Font()
        font.apply(self.defaults)
        pstyle = p.find("w:pPr/w:pStyle", NS)
        for style in self.chain(pstyle.get(q("val")) if pstyle is not None else self.default_para):
            font.apply(style.find("w:rPr", NS))
        rpr = r.find("w:rPr", NS)
        rstyle = rpr.find("w:rStyle", NS) if rpr is not None else None
        if rstyle is not None:
            for style in self.chain(rstyle.get(q("val"))):
                font.apply(style.find("w:rPr", NS))
        font.apply(rpr)
        return font


def text_runs(p: etree._Element) -> list[etree._Element]:
    """Runs with text, those inside a hyperlink (TOC entries) included."""
    return [r for r in p.xpath("./w:r | ./w:hyperlink/w:r", namespaces=NS)
            if "".join(t.text or "" for t in r.iterfind("w:t", NS))]


def expected_roles(doc: Document) -> list[tuple[str, str]]:
    """(text, role) of every paragraph the reader should see, in order, from the model."""
    out: list[tuple[str, str]] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append((block.text, block.role))
        elif isinstance(block, Heading):
            out.append((block.text, block.role))
        elif isinstance(block, ListBlock):
            out.extend((block.marker(i) + " " + "".join(getattr(r, "text", "") for r in item),
                        block.role) for i, item in enumerate(block.items))
        elif isinstance(block, Toc):
            out.append((block.title, "toc_title"))
            out.extend((h.text, "toc") for h in doc.toc_headings(block.levels))
        elif isinstance(block, Table):
            out.extend((p.text, p.role) for row in block.rows for cell in row.cells
                       for p in cell.paragraphs)
    return [(text, role) for text, role in out if text]


def body_paragraphs(document_xml: etree._Element) -> list[etree._Element]:
    """Paragraphs with visible text, in reading order (table cells included)."""
    return [p for p in document_xml.iter(q("p")) if paragraph_text(p)
            and p.getparent().tag != q("hdr")]


def assert_paragraphs_resolve_to_roles(doc: Document, xml: dict, profile) -> int:
    """Every run of every paragraph resolves to its role's family, size and weight (bold
    runs may be bolder); returns the number of runs checked."""
    chain = StyleChain(xml["word/styles.xml"])
    paragraphs = body_paragraphs(xml["word/document.xml"])
    expected = expected_roles(doc)
    assert [paragraph_text(p)[:len(text)] for p, (text, _) in zip(paragraphs, expected)] == \
        [text for text, _ in expected]
    assert len(paragraphs) == len(expected)
    checked = 0
    for p, (text, role_name) in zip(paragraphs, expected):
        role = profile.role(role_name)
        for r in text_runs(p):
            font = chain.run_font(p, r)
            direct = r.find("w:rPr", NS)
            direct_bold = direct is not None and direct.find("w:b", NS) is not None
            assert (font.family, font.half_points) == (role.family, role.half_points), \
                f"{role_name} {paragraph_text(p)[:12]}"
            assert font.bold == (role.bold or direct_bold), f"{role_name} {paragraph_text(p)[:12]}"
            if direct is not None:  # inline emphasis only, never a font or size of its own
                assert not {q("rFonts"), q("sz"), q("szCs")} & {c.tag for c in direct}
            checked += 1
    return checked
