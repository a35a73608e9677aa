"""The DOCX as someone keeps editing it in Word/WPS, read back from the XML: Normal carries the
body, headings know what follows them and break their own page, the linked character styles
match their paragraph styles, the shared typesetting switches, the package parts, the
references' hanging indent, the form table's rules and the footers' insets."""
from __future__ import annotations

import pytest
from docx_fixtures import mini_form, mini_report
from docx_xml import NS, StyleChain, paragraph_text, parts, q

from closure_app.blocks import ListBlock
from closure_app.profile import load_profile
from closure_app.render.docx import render_docx

PROFILE = load_profile()
TOC_PAGES = [3, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9, 10, 11]


@pytest.fixture(scope="module")
def report():
    doc = mini_report()
    return doc, parts(render_docx(doc, PROFILE, toc_pages=TOC_PAGES))


@pytest.fixture(scope="module")
def form():
    return parts(render_docx(mini_form(), PROFILE))


def style(xml, style_id):
    return xml["word/styles.xml"].find(f"w:style[@w:styleId='{style_id}']", NS)


def on(el) -> bool:
    return el is not None and el.get(q("val"), "1") not in ("0", "false", "off")


def test_normal_carries_the_body_formatting(report):
    """A paragraph typed or pasted into the file (Normal, 正文) is set like the body."""
    _, xml = report
    body = PROFILE.role("body")
    normal = style(xml, "Normal")
    fonts = normal.find("w:rPr/w:rFonts", NS)
    assert fonts.get(q("eastAsia")) == fonts.get(q("ascii")) == body.family
    assert normal.find("w:rPr/w:sz", NS).get(q("val")) == str(body.half_points)
    ind = normal.find("w:pPr/w:ind", NS)
    assert ind.get(q("firstLineChars")) == str(round(body.first_line_chars * 100)) != "0"
    spacing = normal.find("w:pPr/w:spacing", NS)
    assert spacing.get(q("lineRule")) == "exact"
    assert int(spacing.get(q("line"))) == round(PROFILE.line_pitch("body") * 20)
    assert normal.find("w:pPr/w:jc", NS).get(q("val")) == "both"
    assert on(normal.find("w:pPr/w:widowControl", NS))


@pytest.mark.parametrize("where", ["w:docDefaults/w:pPrDefault/w:pPr", "w:style[@w:styleId='Normal']/w:pPr"])
def test_shared_typesetting_switches_are_written_once_for_every_style(report, where):
    _, xml = report
    ts = PROFILE.typesetting
    ppr = xml["word/styles.xml"].find(where, NS)
    assert on(ppr.find("w:autoSpaceDE", NS)) is ts.cjk_latin_space is False
    assert on(ppr.find("w:autoSpaceDN", NS)) is ts.cjk_latin_space
    assert on(ppr.find("w:kinsoku", NS)) is ts.kinsoku is True
    assert on(ppr.find("w:overflowPunct", NS)) is ts.hanging_punctuation
    assert on(ppr.find("w:topLinePunct", NS)) is ts.compress_punctuation
    settings = xml["word/settings.xml"]
    assert settings.find("w:characterSpacingControl", NS).get(q("val")) == "doNotCompress"
    # no style sets them otherwise, so every paragraph inherits them
    for tag in ("autoSpaceDE", "autoSpaceDN", "kinsoku", "overflowPunct", "topLinePunct"):
        found = xml["word/styles.xml"].findall(f".//w:style/w:pPr/w:{tag}", NS)
        assert len(found) == 1, tag      # Normal's own


@pytest.fixture(scope="module")
def sample():
    from pathlib import Path

    from closure_app.layout.report import report_document
    from closure_app.sources.manuscript import load_manuscript
    root = Path(__file__).resolve().parents[1]
    doc = report_document(load_manuscript(root / "manuscript" / "manuscript.md").manuscript, PROFILE)
    return doc, parts(render_docx(doc, PROFILE))


def test_headings_say_what_follows_and_chapters_break_their_page_by_style(sample):
    doc, xml = sample
    for level in (1, 2, 3, 4):
        assert style(xml, f"Heading{level}").find("w:next", NS).get(q("val")) == "BodyText"
    assert on(style(xml, "Heading1").find("w:pPr/w:pageBreakBefore", NS))
    assert style(xml, "Heading2").find("w:pPr/w:pageBreakBefore", NS) is None
    body = xml["word/document.xml"]
    h1 = [p for p in body.iter(q("p")) if (s := p.find("w:pPr/w:pStyle", NS)) is not None
          and s.get(q("val")) == "Heading1"]
    texts = [paragraph_text(p) for p in h1]
    assert texts[-1] == "参考文献" and len(texts) == sum(1 for h in doc.headings() if h.level == 1)
    direct = [p.find("w:pPr/w:pageBreakBefore", NS) for p in h1]
    assert all(d is None for d in direct[:-1])     # the chapters: by 标题 1's style
    assert direct[-1] is not None and not on(direct[-1])   # the references run on
    assert not any(el.get(q("type")) == "page" for el in body.iter(q("br")))


def test_linked_character_styles_match_their_paragraph_styles(report):
    _, xml = report
    chain = StyleChain(xml["word/styles.xml"])
    assert not list(xml["word/styles.xml"].iter(q("color")))      # no template blue anywhere
    for sid in ("Heading1", "Heading2", "Heading3", "Title", "BodyText"):
        para = style(xml, sid)
        link = para.find("w:link", NS).get(q("val"))
        char = style(xml, link)
        assert char.get(q("type")) == "character" and char.find("w:link", NS).get(q("val")) == sid
        for tag in ("rFonts", "sz", "b"):
            a, b = para.find(f"w:rPr/w:{tag}", NS), char.find(f"w:rPr/w:{tag}", NS)
            assert dict(a.attrib) == dict(b.attrib), (sid, tag)
    assert chain.styles["Heading1Char"].find("w:rPr/w:sz", NS).get(q("val")) == "32"   # not 14 pt


def test_settings_and_package_parts_speak_for_this_file(report):
    _, xml = report
    settings = xml["word/settings.xml"]
    modes = [s.get(q("val")) for s in settings.iter(q("compatSetting"))
             if s.get(q("name")) == "compatibilityMode"]
    assert modes == ["15"]
    assert settings.find("w:themeFontLang", NS).get(q("eastAsia")) == "zh-CN"
    app = xml["docProps/app.xml"]
    ns = {"ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}
    assert app.find("ep:Application", ns).text.startswith("closure-app")
    assert app.find("ep:AppVersion", ns) is None
    from lxml import etree
    assert b"Microsoft" not in etree.tostring(app)
    core = xml["docProps/core.xml"]
    assert not [el for el in core.iter() if el.tag.endswith("lastPrinted")]


def test_font_table_lists_the_founder_families_with_their_english_names(report):
    _, xml = report
    fonts = {f.get(q("name")): f for f in xml["word/fontTable.xml"].iterfind("w:font", NS)}
    for family in PROFILE.families():
        assert family in fonts, family
        assert fonts[family].find("w:charset", NS).get(q("val")) == "86"
    assert fonts["方正仿宋_GBK"].find("w:altName", NS).get(q("val")) == "FZFangSong-Z02"
    assert fonts["方正黑体_GBK"].find("w:altName", NS).get(q("val")) == "FZHei-B01"
    assert "ＭＳ 明朝" not in fonts


def test_references_keep_their_hanging_indent(report):
    doc, xml = report
    refs = next(b for b in doc.blocks if isinstance(b, ListBlock) and b.role == "reference")
    role = PROFILE.role("reference")
    chars = refs.label_chars()
    twips = round(chars * role.size_pt * 20)
    paras = [p for p in xml["word/document.xml"].iter(q("p"))
             if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")) == "reference"]
    assert len(paras) == len(refs.items)
    for i, p in enumerate(paras):
        ind = p.find("w:pPr/w:ind", NS)
        assert (int(ind.get(q("left"))), int(ind.get(q("hanging")))) == (twips, twips) != (0, 0)
        assert ind.get(q("hangingChars")) == ind.get(q("leftChars")) == str(round(chars * 100))
        runs = p.findall("w:r", NS)
        assert runs[0].find("w:t", NS).text == refs.marker(i)
        assert runs[1].find("w:tab", NS) is not None         # the text starts at the hanging indent


def test_footer_page_numbers_are_inset_in_twips_beside_chars(report):
    _, xml = report
    number = PROFILE.page_number
    twips = str(round(number.inset_chars * number.size_pt * 20))
    sides = {}
    for name, root in xml.items():
        if name.startswith("word/footer"):
            ind = root.find("w:p/w:pPr/w:ind", NS)
            jc = root.find("w:p/w:pPr/w:jc", NS).get(q("val"))
            sides[jc] = ind
    assert sides["right"].get(q("right")) == twips and sides["right"].get(q("rightChars")) == "100"
    assert sides["left"].get(q("left")) == twips and sides["left"].get(q("leftChars")) == "100"


def test_footnotes_may_continue_on_the_next_page_and_their_rule_takes_what_the_pdf_gives_it(report):
    _, xml = report
    # as the PDF sets a long note (pdf/notes.py): split at any line, no keep-together
    ppr = style(xml, "FootnoteText").find("w:pPr", NS)
    assert ppr.find("w:keepLines", NS) is None
    assert ppr.find("w:widowControl", NS).get(q("val")) in ("0", "false")
    notes = xml["word/footnotes.xml"]
    for kind in ("separator", "continuationSeparator"):
        note = notes.find(f"w:footnote[@w:type='{kind}']", NS)
        spacing = note.find("w:p/w:pPr/w:spacing", NS)
        assert spacing.get(q("lineRule")) == "exact"
        assert int(spacing.get(q("line"))) == round(0.5 * PROFILE.line_pitch("footnote") * 20)


def test_form_table_rules_are_half_a_point_on_the_margin_with_the_pdfs_padding(form):
    from closure_app.render.pdf.tables import GRID, PAD_X, PAD_Y
    tables = list(form["word/document.xml"].iter(q("tbl")))
    assert tables
    for tbl in tables:
        pr = tbl.find("w:tblPr", NS)
        assert pr.find("w:tblInd", NS).get(q("w")) == "0"
        for edge in pr.find("w:tblBorders", NS):
            if edge.get(q("val")) != "nil":
                assert int(edge.get(q("sz"))) == round(GRID * 8) == 4   # eighths of a point
        mar = {el.tag.split("}")[1]: int(el.get(q("w"))) for el in pr.find("w:tblCellMar", NS)}
        # Word and LibreOffice add half a rule above and below a row's text: the margins give it back
        y = round((PAD_Y - GRID / 2) * 20)
        assert mar == {"top": y, "bottom": y, "left": PAD_X * 20, "right": PAD_X * 20}
