"""The sample built as a user builds it: its title and author block break where they always
did (between the phrases its source writes), the TOC leaves no character alone before a
leader, and the cover's project name breaks between its phrases, in the PDF and the DOCX."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from display_text import rule_breaks, squeeze
from docx_xml import paragraph_text, q
from lxml import etree
from pdf_lines import lines_at_size

from closure_app.cli import main
from closure_app.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
PROFILE = load_profile()
TITLE = ["深度融合科技创新与产业创新", "助推巴中新质生产力跨越发展"]
AUTHOR = ["中共通江县委党校 向河铭", "（作者单位：中共通江县委党校", "职务职称：教务股股长，3级主任科员"]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        assert main(["build", "--out", str(folder), "--booklet", "none", "--no-check"]) == 0
    return folder


def pdf_lines(path: Path, page: int, size: float) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return ["".join(c["text"] for c in line) for line in lines_at_size(pdf.pages[page].chars, size)]


def docx_paragraphs(path: Path) -> list[str]:
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    return [paragraph_text(p) for p in root.iter(q("p"))]


def test_the_sample_title_and_author_block_break_as_before(out):
    pdf = out / "manuscript.pdf"
    assert [squeeze(x) for x in pdf_lines(pdf, 0, PROFILE.role("title").size_pt)] == [squeeze(x) for x in TITLE]
    assert [squeeze(x) for x in pdf_lines(pdf, 0, PROFILE.role("author").size_pt)[:3]] == \
        [squeeze(x) for x in AUTHOR]
    paragraphs = docx_paragraphs(out / "manuscript.docx")
    assert paragraphs[0] == "\n".join(TITLE)
    assert paragraphs[2] == "\n".join(AUTHOR[1:])


def test_no_toc_entry_leaves_one_or_two_characters_before_its_leader(out):
    """Before: 「例」 and 「践」 alone under 4.3's first two cases."""
    pdf = out / "manuscript.pdf"
    lines = [x for page in (1, 2) for x in pdf_lines(pdf, page, PROFILE.role("toc").size_pt)
             if squeeze(x) != "目录"]
    entries = [re.sub(r"[.\s]*\d+$", "", squeeze(x)) for x in lines if re.search(r"\.{3,}\s*\d+$", x)]
    assert len(entries) > 30
    assert all(len(e) >= 3 for e in entries), [e for e in entries if len(e) < 3]
    wrapped = [(a, b) for a, b in zip(lines, lines[1:]) if not re.search(r"\d+$", a)]
    assert wrapped
    for a, b in wrapped:
        text = squeeze(a) + re.sub(r"[.\s]*\d+$", "", squeeze(b))
        assert rule_breaks(text, [squeeze(a), re.sub(r"[.\s]*\d+$", "", squeeze(b))]) == []


def test_the_cover_project_name_breaks_between_its_phrases(out):
    pdf = out / "application.pdf"
    lines = [squeeze(x) for x in pdf_lines(pdf, 0, PROFILE.role("form_text").size_pt)]
    assert TITLE[0] in lines and TITLE[1] in lines
    assert "\n".join(TITLE) in docx_paragraphs(out / "application.docx")
