"""A DOCX made to the profile checks clean; each single break is found with its place."""
import zipfile
from pathlib import Path

import pytest

from check_fixtures import BODY_2, FOOTNOTE, H2, H2_PLAIN, H3, build_docx

from closure_app.check import check_file
from closure_app.profile import load_profile

PROFILE = load_profile()


def check(tmp_path, *breaks, **kw):
    path = build_docx(tmp_path / "report.docx", PROFILE, breaks=frozenset(breaks))
    return check_file(path, PROFILE, **kw)


def errors(report):
    return [(f.rule, f.place) for f in report.errors]


def test_clean_docx_checks_clean(tmp_path):
    report = check(tmp_path)
    assert report.kind == "report"
    assert report.findings == []
    assert (report.ok, report.exit_code) == (True, 0)


def test_heading_2_in_heiti_is_found_at_each_heading_2(tmp_path):
    report = check(tmp_path, "h2_heiti")
    assert errors(report) == [("font-family", f"第 3 段「{H2}」"), ("font-family", f"第 6 段「{H2_PLAIN}」")]
    f = report.errors[0]
    assert f.expected == PROFILE.role("h2").family
    assert f.found.startswith(PROFILE.role("h1").family) and "heading 2" in f.found
    assert report.exit_code == 1


def test_body_at_xiaosan_is_found(tmp_path):
    report = check(tmp_path, "body_xiaosan")
    assert [(f.rule, f.expected, f.found) for f in report.errors] == [("font-size", "三号（16pt）", "小三（15pt）")]
    assert report.errors[0].place.startswith("第 5 段「" + BODY_2[:8])


def test_level_3_not_bold_is_found(tmp_path):
    report = check(tmp_path, "h3_not_bold")
    assert [(f.rule, f.place, f.expected, f.found) for f in report.errors] == [
        ("font-bold", f"第 7 段「{H3}」", "加粗", "不加粗")]


def test_theme_font_on_the_body_is_found_with_the_family_it_resolves_to(tmp_path):
    report = check(tmp_path, "body_theme_font")
    [f] = report.errors
    assert (f.rule, f.place) == ("font-family", f"第 5 段「{BODY_2[:16]}…」")
    assert f.found.startswith("宋体") and "主题字体 minorEastAsia" in f.found


def test_heading_styled_as_normal_but_numbered_is_found(tmp_path):
    report = check(tmp_path, "h2_as_normal")
    place = f"第 6 段「{H2_PLAIN}」"
    assert sorted(errors(report)) == [("font-family", place), ("heading-style", place)]
    style_finding = next(f for f in report.errors if f.rule == "heading-style")
    assert style_finding.found == "Normal" and "二级标题" in style_finding.message


def test_footnote_text_is_checked(tmp_path):
    path = build_docx(tmp_path / "report.docx", PROFILE)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    notes = parts["word/footnotes.xml"].decode().replace('w:val="24"', 'w:val="32"')
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as z:
        for n, data in parts.items():
            z.writestr(n, notes if n == "word/footnotes.xml" else data)
    report = check_file(broken, PROFILE)
    [f] = report.findings
    assert (f.rule, f.severity) == ("font-size", "info")        # footnotes: house style, not mandated
    assert f.place == f"脚注 1「{FOOTNOTE[:16]}…」"


def _with_page(tmp_path, width_twips: int, height_twips: int):
    path = build_docx(tmp_path / "report.docx", PROFILE)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    doc = parts["word/document.xml"].decode()
    doc = doc.replace('w:w="11906"', f'w:w="{width_twips}"').replace('w:h="16838"', f'w:h="{height_twips}"')
    out = tmp_path / "resized.docx"
    with zipfile.ZipFile(out, "w") as z:
        for n, data in parts.items():
            z.writestr(n, doc if n == "word/document.xml" else data)
    return out


@pytest.mark.parametrize("size, twips, named", [
    ("A3", (16838, 23811), "297×420 mm（A3）"), ("Letter", (12240, 15840), "216×279 mm（Letter（美国信纸））"),
])
def test_a_page_size_off_the_profile_fails(tmp_path, size, twips, named):
    report = check_file(_with_page(tmp_path, *twips), PROFILE)
    assert [(f.rule, f.severity, f.found) for f in report.findings] == [("page-size", "error", named)]
    assert report.exit_code == 1


def test_a_landscape_a4_section_is_a4(tmp_path):
    assert check_file(_with_page(tmp_path, 16838, 11906), PROFILE).findings == []


def test_a_booklet_check_of_a_docx_cannot_be_done(tmp_path):
    path = build_docx(tmp_path / "report.docx", PROFILE)
    report = check_file(path, PROFILE, kind="booklet")
    assert report.exit_code == 2 and "PDF" in report.could_not_check


def test_a_form_is_checked_for_families_the_profile_does_not_name(tmp_path):
    import docx
    from docx.oxml.ns import qn
    d = docx.Document()
    d.add_paragraph("填表说明")
    run = d.add_paragraph().add_run("项目名称")
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "微软雅黑")
    d.save(tmp_path / "application.docx")
    report = check_file(tmp_path / "application.docx", PROFILE)
    assert report.kind == "form"
    fonts = [f for f in report.findings if f.rule == "unknown-font"]
    assert [f.found for f in fonts] == ["微软雅黑"]      # the theme font 宋体 is the profile's page-number family
    assert all(f.severity == "warning" for f in fonts)


@pytest.mark.parametrize("keywords", [["表格"], ["创新", "融合"]])
def test_a_bold_keywords_label_is_a_lead_in_not_the_paragraph_s_weight(tmp_path, keywords):
    """关键词： is set bold; one short keyword after it leaves the label the larger part of the
    paragraph, and that is still body text set plain."""
    from closure_app.layout.report import report_document
    from closure_app.render.docx import render_docx
    from closure_app.sources.manuscript import parse_manuscript

    text = open("manuscript/manuscript.md", encoding="utf-8").read()
    front, body = text.split("\n---\n", 1)
    front = "\n".join(f"keywords: [{', '.join(keywords)}]" if line.startswith("keywords:") else line
                      for line in front.splitlines())
    manuscript = parse_manuscript(front + "\n---\n" + body, "m.md", base=Path("manuscript")).manuscript
    out = tmp_path / "m.docx"
    out.write_bytes(render_docx(report_document(manuscript, PROFILE), PROFILE))
    assert [f for f in check_file(out, PROFILE).errors if f.rule == "font-bold"] == []


def test_a_body_paragraph_set_bold_after_its_lead_in_is_still_found(tmp_path):
    import docx

    path = tmp_path / "b.docx"
    build_docx(path, PROFILE)
    d = docx.Document(str(path))
    p = next(p for p in d.paragraphs if p.text.startswith(BODY_2[:10]))
    for r in p.runs:
        r.bold = True                       # the whole paragraph bold, its 注意： lead-in too
    p.runs[0].text = "注意：" + p.runs[0].text
    d.save(str(path))
    found = [f for f in check_file(path, PROFILE).errors if f.rule == "font-bold"]
    assert len(found) == 1 and "注意：" in str(found[0].place)
