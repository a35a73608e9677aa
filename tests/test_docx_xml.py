"""The DOCX as Word reads it: styles, fonts per role, footnotes, TOC field, footers, tables."""
from __future__ import annotations

import pytest
from docx_fixtures import mini_form, mini_report
from docx_xml import (NS, StyleChain, assert_paragraphs_resolve_to_roles, body_paragraphs,
                      expected_roles, paragraph_text, parts, q, text_runs)

from closure_app.blocks import Document, Paragraph, Text
from closure_app.profile import MM_PT, load_profile
from closure_app.render.docx import render_docx
from closure_app.render.docx.styles import grid_pitch

PROFILE = load_profile()
TOC_PAGES = [3, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9, 10, 11]


@pytest.fixture(scope="module")
def report():
    doc = mini_report()
    return doc, parts(render_docx(doc, PROFILE, toc_pages=TOC_PAGES))


@pytest.fixture(scope="module")
def form():
    doc = mini_form()
    return doc, parts(render_docx(doc, PROFILE))


def test_every_report_paragraph_resolves_to_its_roles_family_size_and_weight(report):
    doc, xml = report
    assert assert_paragraphs_resolve_to_roles(doc, xml, PROFILE) > 60


def test_every_form_paragraph_resolves_to_its_role(form):
    doc, xml = form
    assert assert_paragraphs_resolve_to_roles(doc, xml, PROFILE) > 20


def test_roles_differ_where_the_mandate_differs(report):
    """h1 黑体, h2 楷体, h3 仿宋 bold, body 仿宋: the resolver sees four different fonts."""
    doc, xml = report
    chain = StyleChain(xml["word/styles.xml"])
    seen = {}
    for p, (_, role) in zip(body_paragraphs(xml["word/document.xml"]), expected_roles(doc)):
        f = chain.run_font(p, text_runs(p)[-1])
        seen.setdefault(role, (f.family, f.half_points / 2, f.bold))
    assert seen["title"] == ("方正小标宋简体", 22, False)
    assert seen["h1"] == ("方正黑体_GBK", 16, False)
    assert seen["h2"] == ("方正楷体_GBK", 16, False)
    assert seen["h3"] == ("方正仿宋_GBK", 16, True)
    assert seen["body"] == ("方正仿宋_GBK", 16, False)


def test_no_theme_font_attribute_in_any_part(report, form):
    for _, xml in (report, form):
        assert "word/stylesWithEffects.xml" not in xml
        for name, root in xml.items():
            for fonts in root.iter(q("rFonts")):
                assert not any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib), name


def test_doc_defaults_name_the_body_font_in_chinese(report):
    _, xml = report
    rpr = xml["word/styles.xml"].find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    body = PROFILE.role("body")
    fonts = rpr.find("w:rFonts", NS)
    assert {fonts.get(q(k)) for k in ("ascii", "hAnsi", "eastAsia")} == {body.family}
    assert rpr.find("w:lang", NS).get(q("eastAsia")) == "zh-CN"


def style(xml, style_id):
    return xml["word/styles.xml"].find(f"w:style[@w:styleId='{style_id}']", NS)


@pytest.mark.parametrize("style_id,role", [("Heading1", "h1"), ("Heading2", "h2"),
                                           ("Heading3", "h3"), ("Heading4", "h4"),
                                           ("BodyText", "body"), ("Title", "title")])
def test_paragraph_style_carries_indent_pitch_alignment_and_outline(report, style_id, role):
    _, xml = report
    ppr = style(xml, style_id).find("w:pPr", NS)
    r = PROFILE.role(role)
    assert ppr.find("w:ind", NS).get(q("firstLineChars")) == str(round(r.first_line_chars * 100))
    spacing = ppr.find("w:spacing", NS)
    assert spacing.get(q("lineRule")) == "exact"
    assert int(spacing.get(q("line"))) == round(PROFILE.line_pitch(role) * 20)
    assert ppr.find("w:jc", NS).get(q("val")) == {"justify": "both"}.get(r.align, r.align)
    outline = ppr.find("w:outlineLvl", NS)
    if r.outline_level is None:
        assert outline is None
    else:
        assert int(outline.get(q("val"))) == r.outline_level - 1


def test_footnotes_part_holds_separators_and_every_note(report):
    doc, xml = report
    notes = xml["word/footnotes.xml"].findall("w:footnote", NS)
    assert [(n.get(q("id")), n.get(q("type"))) for n in notes[:2]] == \
        [("-1", "separator"), ("0", "continuationSeparator")]
    assert [int(n.get(q("id"))) for n in notes[2:]] == sorted(doc.footnotes)
    chain = StyleChain(xml["word/styles.xml"])
    role = PROFILE.role("footnote")
    for note in notes[2:]:
        p = note.find("w:p", NS)
        assert p.find("w:r/w:footnoteRef", NS) is not None
        assert paragraph_text(p).strip() == doc.footnotes[int(note.get(q("id")))].runs[0].text
        font = chain.run_font(p, text_runs(p)[-1])
        assert (font.family, font.half_points, font.bold) == (role.family, role.half_points, role.bold)


def test_body_references_each_note_once_in_order_as_superscript(report):
    doc, xml = report
    refs = list(xml["word/document.xml"].iter(q("footnoteReference")))
    assert [int(r.get(q("id"))) for r in refs] == sorted(doc.footnotes)
    chain = StyleChain(xml["word/styles.xml"])
    for ref in refs:
        rstyle = ref.getparent().find("w:rPr/w:rStyle", NS).get(q("val"))
        assert chain.styles[rstyle].find("w:rPr/w:vertAlign", NS).get(q("val")) == "superscript"


def test_toc_is_a_complex_field_with_cached_entries_and_page_numbers(report):
    """As Word writes a TOC: one TOC field; each entry a hyperlink to a _Toc bookmark on its
    heading, its number a PAGEREF field to that bookmark (cached with the page); no entry
    breaks a page."""
    doc, xml = report
    body = xml["word/document.xml"]
    instrs = [t.text.strip() for t in body.iter(q("instrText"))]
    headings = doc.toc_headings()
    assert instrs[0] == 'TOC \\o "1-3" \\h \\z \\u'
    kinds = [f.get(q("fldCharType")) for f in body.iter(q("fldChar"))]
    assert kinds == ["begin", "separate"] + ["begin", "separate", "end"] * len(headings) + ["end"]
    entries = [p for p in body.iter(q("p"))
               if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")).startswith("TOC")
               and s.get(q("val")) != "TOCHeading"]
    assert [paragraph_text(p) for p in entries] == [f"{h.text} {n}" for h, n in zip(headings, TOC_PAGES)]
    assert [p.find("w:pPr/w:pStyle", NS).get(q("val")) for p in entries] == \
        [f"TOC{h.level}" for h in headings]
    assert all(p.find("w:pPr/w:pageBreakBefore", NS) is None for p in entries)
    anchors = [p.find("w:hyperlink", NS).get(q("anchor")) for p in entries]
    assert instrs[1:] == [f"PAGEREF {a} \\h" for a in anchors]
    for p, page in zip(entries, TOC_PAGES):    # the number: the PAGEREF's result, hidden in Web view
        runs = p.findall("w:hyperlink/w:r", NS)
        assert runs[-2].find("w:t", NS).text == str(page)
        assert all(r.find("w:rPr/w:webHidden", NS) is not None for r in runs[1:])
    assert all(a.startswith("_Toc") for a in anchors) and len(set(anchors)) == len(anchors)
    marks = {m.get(q("name")): m.getparent() for m in body.iter(q("bookmarkStart"))}
    assert [paragraph_text(marks[a]) for a in anchors] == [h.text for h in headings]
    assert all(p.find("w:hyperlink/w:r/w:tab", NS) is not None for p in entries)
    tab = style(xml, "TOC1").find("w:pPr/w:tabs/w:tab", NS)
    assert (tab.get(q("val")), tab.get(q("leader"))) == ("right", "dot")
    assert int(tab.get(q("pos"))) == round(PROFILE.page("report").text_width_pt * 20)
    assert xml["word/settings.xml"].find("w:updateFields", NS) is None


def test_toc_entries_wrap_inside_the_number_column_with_a_hanging_indent(report):
    """As Word sets a TOC with a number column: the text wraps inside the right indent, the
    number stands at a dotted right tab on the margin (past the indent), wrapped lines hang."""
    _, xml = report
    toc = PROFILE.role("toc")
    margin = round(PROFILE.page("report").text_width_pt * 20)
    for level in (1, 2, 3):
        ppr = style(xml, f"TOC{level}").find("w:pPr", NS)
        ind = ppr.find("w:ind", NS)
        left = (level - 1) * toc.level_indent_chars + toc.hanging_chars
        assert int(ind.get(q("right"))) == round(toc.right_chars * toc.size_pt * 20) > 0
        assert int(ind.get(q("rightChars"))) == round(toc.right_chars * 100)
        assert int(ind.get(q("hanging"))) == round(toc.hanging_chars * toc.size_pt * 20) > 0
        assert int(ind.get(q("hangingChars"))) == round(toc.hanging_chars * 100)
        assert int(ind.get(q("left"))) == round(left * toc.size_pt * 20)
        assert int(ind.get(q("leftChars"))) == round(left * 100)
        tabs = [(t.get(q("val")), t.get(q("leader")), int(t.get(q("pos"))))
                for t in ppr.findall("w:tabs/w:tab", NS)]
        assert tabs == [("right", "dot", margin)]          # in the right indent, on the margin
        assert ppr.find("w:pageBreakBefore", NS) is None
    entries = [p for p in xml["word/document.xml"].iter(q("p"))
               if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")) in ("TOC1", "TOC2", "TOC3")]
    assert entries and all(p.find("w:pPr/w:ind", NS) is None and p.find("w:pPr/w:tabs", NS) is None
                           and p.find(".//w:br", NS) is None for p in entries)   # the styles' layout only
    links = [p.find("w:hyperlink", NS) for p in entries]
    assert all(link is not None and link.get(q("history")) == "1" for link in links)


def test_toc_is_in_a_table_of_contents_content_control(report):
    """As Word inserts a TOC: title and entries in one w:sdt of the "Table of Contents"
    gallery, nothing else in it."""
    _, xml = report
    body = xml["word/document.xml"].find("w:body", NS)
    sdts = body.findall("w:sdt", NS)
    assert len(sdts) == 1
    assert sdts[0].find("w:sdtPr/w:docPartObj/w:docPartGallery", NS).get(q("val")) == "Table of Contents"
    assert sdts[0].find("w:sdtPr/w:docPartObj/w:docPartUnique", NS) is not None
    inside = [p.find("w:pPr/w:pStyle", NS).get(q("val")) for p in sdts[0].findall("w:sdtContent/w:p", NS)]
    assert inside == ["TOCHeading"] + [f"TOC{h.level}" for h in report[0].toc_headings()]
    outside = [p for p in body.findall("w:p", NS)
               if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")).startswith("TOC")]
    assert outside == []


def test_toc_without_pages_asks_word_to_update_fields():
    doc = mini_report()
    xml = parts(render_docx(doc, PROFILE))
    assert xml["word/settings.xml"].find("w:updateFields", NS).get(q("val")) == "true"
    entries = [paragraph_text(p) for p in xml["word/document.xml"].iter(q("p"))
               if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(q("val")) == "TOC1"]
    assert entries == [h.text + " " for h in doc.toc_headings() if h.level == 1]   # text, tab


def test_toc_pages_must_match_the_headings():
    with pytest.raises(ValueError, match="目录有 13 条"):
        render_docx(mini_report(), PROFILE, toc_pages=[1, 2])


@pytest.mark.parametrize("page_key,fixture", [("report", "report"), ("form", "form")])
def test_page_size_and_margins_come_from_the_profile(page_key, fixture, request):
    _, xml = request.getfixturevalue(fixture)
    sect = xml["word/document.xml"].find("w:body/w:sectPr", NS)
    geometry = PROFILE.page(page_key)
    mm = lambda el, attr: int(el.get(q(attr))) / 20 / MM_PT  # noqa: E731
    size = sect.find("w:pgSz", NS)
    assert mm(size, "w") == pytest.approx(geometry.width_mm, abs=0.05)
    assert mm(size, "h") == pytest.approx(geometry.height_mm, abs=0.05)
    margins = sect.find("w:pgMar", NS)
    m = geometry.margin_mm
    assert [round(mm(margins, k), 1) for k in ("top", "bottom", "left", "right")] == \
        [m.top, m.bottom, m.inner, m.outer]


def test_mirror_margins_when_the_profile_asks():
    pages = dict(PROFILE.pages)
    pages["report"] = pages["report"].model_copy(update={"mirror_margins": True})
    profile = PROFILE.model_copy(update={"pages": pages})
    xml = parts(render_docx(mini_report(), profile))
    assert xml["word/settings.xml"].find("w:mirrorMargins", NS) is not None
    assert parts(render_docx(mini_report(), PROFILE))["word/settings.xml"].find(
        "w:mirrorMargins", NS) is None


def test_page_numbers_odd_right_even_left_in_the_profiles_style(report):
    _, xml = report
    assert xml["word/settings.xml"].find("w:evenAndOddHeaders", NS) is not None
    rels = xml["word/_rels/document.xml.rels"]
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sect = xml["word/document.xml"].find("w:body/w:sectPr", NS)
    chain = StyleChain(xml["word/styles.xml"])
    number = PROFILE.page_number
    sides = {}
    for ref in sect.findall("w:footerReference", NS):
        footer = xml["word/" + targets[ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]]
        p = footer.find("w:p", NS)
        assert "".join(t.text for t in p.iter(q("instrText"))).strip() == "PAGE"
        assert paragraph_text(p) == number.text(1)
        sides[ref.get(q("type"))] = p.find("w:pPr/w:jc", NS).get(q("val"))
        font = chain.run_font(p, text_runs(p)[0])
        assert (font.family, font.half_points) == (number.family, round(number.size_pt * 2))
    assert sides == {"default": number.odd, "even": number.even}


def test_the_form_has_no_page_numbers(form):
    _, xml = form
    assert not any(name.startswith("word/footer") for name in xml)


def test_report_table_header_row_repeats(report):
    _, xml = report
    tbl = xml["word/document.xml"].find(".//w:tbl", NS)
    rows = tbl.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])


def test_form_table_merges_cells_like_the_model(form):
    doc, xml = form
    table = doc.blocks[-1]
    tbl = xml["word/document.xml"].find(".//w:tbl", NS)
    assert tbl.find("w:tblPr/w:tblLayout", NS).get(q("type")) == "fixed"
    grid = [int(c.get(q("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert len(grid) == table.n_cols
    assert sum(grid) == round(PROFILE.page("form").text_width_pt * 20)
    rows = tbl.findall("w:tr", NS)
    spans, merges, heights = [], [], []
    for tr in rows:
        cells = tr.findall("w:tc", NS)
        span = [int(g.get(q("val"))) if (g := tc.find("w:tcPr/w:gridSpan", NS)) is not None else 1
                for tc in cells]
        assert sum(span) == table.n_cols
        spans.append(span)
        merges.append([(v.get(q("val")) or "continue") if (v := tc.find("w:tcPr/w:vMerge", NS))
                       is not None else None for tc in cells])
        h = tr.find("w:trPr/w:trHeight", NS)
        assert h.get(q("hRule")) == "atLeast"
        heights.append(int(h.get(q("val"))) / 20)
    assert spans[0] == [2, 6]
    assert spans[3] == [1, 1, 2, 1, 1, 1, 1]
    assert [m[0] for m in merges[3:6]] == ["restart", "continue", "continue"]
    assert heights == [r.height_pt for r in table.rows]


def test_direct_paragraph_settings_override_the_role_but_not_its_font():
    doc = Document(kind="report", title="t", blocks=[
        Paragraph([Text("居中无缩进")], align="center", first_line_chars=0, space_before_lines=1)])
    xml = parts(render_docx(doc, PROFILE))
    ppr = body_paragraphs(xml["word/document.xml"])[0].find("w:pPr", NS)
    assert ppr.find("w:jc", NS).get(q("val")) == "center"
    assert ppr.find("w:ind", NS).get(q("firstLineChars")) == "0"
    assert int(ppr.find("w:spacing", NS).get(q("before"))) == round(PROFILE.line_pitch("body") * 20)
    assert ppr.find("w:rPr", NS) is None


def test_two_renders_give_the_same_bytes():
    assert render_docx(mini_report(), PROFILE) == render_docx(mini_report(), PROFILE)
    assert render_docx(mini_form(), PROFILE) == render_docx(mini_form(), PROFILE)


def test_core_properties_name_the_document(report):
    _, xml = report
    core = xml["docProps/core.xml"]
    text = {el.tag.split("}")[1]: el.text for el in core}
    assert text["title"] == "深度融合科技创新与产业创新"
    assert text["creator"] == "向河铭"
    assert text["created"] == text["modified"]


@pytest.mark.parametrize("size,pitch,expected", [(16, 28.95, 28.95), (22, 28.95, 28.95),
                                                 (36, 24, 48), (24, 24, 24), (50, 24, 72)])
def test_grid_pitch_takes_as_many_lines_as_the_font_needs(size, pitch, expected):
    assert grid_pitch(size, pitch) == pytest.approx(expected)


def test_big_cover_type_is_not_clipped_by_the_form_pitch(form):
    _, xml = form
    role = PROFILE.role("form_doctitle")
    line = int(style(xml, "form_doctitle").find("w:pPr/w:spacing", NS).get(q("line"))) / 20
    assert line >= role.size_pt
