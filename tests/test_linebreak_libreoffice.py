"""The PDF breaks lines where LibreOffice breaks the DOCX (printed as Word sets it, with the
fonts the PDF uses): one paragraph per rule the line breaker shares with Word and LibreOffice,
each built so that the rule decides the first line's end."""
from __future__ import annotations

import subprocess

import pytest
from docx_fixtures import mini_report
from docx_lo import crosscheck, needs_soffice, to_pdf  # noqa: F401 - to_pdf is a fixture

from closure_app.blocks import Document, Paragraph, Text
from closure_app.fonts import load_fontset
from closure_app.profile import load_profile
from closure_app.render.docx import render_docx
from closure_app.render.pdf import render_pdf
from closure_app.render.pdf.notes import RULE_SPACE_LINES

PROFILE = load_profile()
# A body line holds 27.6 characters, the first 25.6 after its indent: 25 甲 fill it.
FULL = "甲" * 25
TAIL = "乙" * 12 + "。"
CASES = {
    "hanging ，": FULL + "，" + TAIL,
    "hanging ？": FULL + "？" + TAIL,
    "hanging ！": FULL + "！" + TAIL,
    "hanging ：": FULL + "：" + TAIL,
    "no hanging after digits": "甲" * 24 + "7%。" + TAIL,
    "no hanging after a Latin word in brackets": "甲" * 22 + "（AB）、" + TAIL,
    "a hyphen between digits": "甲" * 24 + "30-39页" + TAIL,
    "a hyphen between letters": "甲" * 24 + "ab-cd" + TAIL,
    "a quote holds to Latin before it": "甲" * 23 + "AB“乙乙”" + TAIL,
    "a quote parts from Chinese": "甲" * 24 + "。“乙乙”" + TAIL,
    "a closing quote holds to a bracket": "甲" * 23 + "发展”(sustainable development)" + TAIL,
    "a mark between Latin texts": FULL + "有序引导和创业精神的发挥(美国科学技术政策部报告, 2009)。Kim H (2010) 等" + TAIL,
    "a mark after Chinese before Latin": "甲" * 24 + "。KimH" + TAIL,
}


def lines_of(pdf, geometry) -> list[str]:
    foot = (geometry.height_mm - geometry.margin_mm.bottom) * 72 / 25.4 + 1
    return [ln.text for page in crosscheck.read_lines(pdf, foot) for ln in page]


@pytest.fixture(scope="module")
def both(to_pdf, folder):
    doc = Document(kind="report", title="t", blocks=[Paragraph([Text(t)]) for t in CASES.values()])
    ours = folder / "ours.pdf"
    ours.write_bytes(render_pdf(doc, PROFILE, load_fontset(PROFILE)).data)
    theirs = to_pdf(render_docx(doc, PROFILE), "rules")
    geometry = PROFILE.page("report")
    return lines_of(ours, geometry), lines_of(theirs, geometry)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("rules")


@needs_soffice
def test_every_line_breaks_where_libreoffice_breaks_it(both):
    ours, theirs = both
    assert len(ours) >= 2 * len(CASES)            # each case wraps
    assert ours == theirs



@pytest.mark.skipif(subprocess.run([crosscheck.UNO_PYTHON, "-c", "import uno"],
                                   capture_output=True).returncode != 0,
                    reason="python3-uno 未安装：跳过 LibreOffice 的脚注分隔线检查")
def test_libreoffice_gives_the_notes_rule_the_room_word_and_the_pdf_give_it(folder):
    """scripts/lo_print.py spaces LibreOffice's separator rule by the separator note's
    paragraph, as Word lays it out; that paragraph's height is the PDF's room for its rule."""
    docx = folder / "notes.docx"
    docx.write_bytes(render_docx(mini_report(), PROFILE))
    code = (f"import sys; sys.path.insert(0, {str(crosscheck.ROOT / 'scripts')!r}); import lo_print; "
            f"print(lo_print.separator_room(__import__('pathlib').Path({str(docx)!r})))")
    done = subprocess.run([crosscheck.UNO_PYTHON, "-c", code], capture_output=True, text=True, check=True)
    assert float(done.stdout) == pytest.approx(RULE_SPACE_LINES * PROFILE.line_pitch("footnote"), abs=0.05)
