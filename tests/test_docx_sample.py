"""The sample submission (forms/application.yaml, manuscript/manuscript.md) as Word files."""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from docx_lo import needs_soffice, to_pdf  # noqa: F401 - to_pdf is a fixture
from docx_xml import NS, assert_paragraphs_resolve_to_roles, paragraph_text, parts, q

from closure_app.blocks import NoteRef, Paragraph, Text
from closure_app.layout.application import application_document
from closure_app.layout.report import report_document
from closure_app.profile import load_profile
from closure_app.render.docx import render_docx
from closure_app.sources.form import load_form
from closure_app.sources.manuscript import load_manuscript

ROOT = Path(__file__).resolve().parents[1]
PROFILE = load_profile()
# Every field label of the official 项目变更情况数据表 (seed text, spaces removed).
OFFICIAL_LABELS = ["立项项目名称", "结项成果名称", "是否变更", "变更的内容", "原计划成果形式",
                   "现成果形式", "原计划完成时间", "实际完成时间", "项目负责人及参与人员变更情况",
                   "原负责人", "现负责人", "姓名", "性别", "民族", "出生日期", "所在单位", "行政职务",
                   "专业职务", "通讯地址", "联系电话", "原参与人员", "现参与人员", "单位", "职称"]


@pytest.fixture(scope="module")
def report_doc():
    return report_document(load_manuscript(ROOT / "manuscript/manuscript.md").manuscript, PROFILE)


@pytest.fixture(scope="module")
def form_doc():
    return application_document(load_form(ROOT / "forms/application.yaml").form, PROFILE)


def test_every_paragraph_of_the_sample_report_resolves_to_its_role(report_doc):
    xml = parts(render_docx(report_doc, PROFILE))
    assert assert_paragraphs_resolve_to_roles(report_doc, xml, PROFILE) > 200
    assert len(list(xml["word/document.xml"].iter(q("footnoteReference")))) == 11
    assert len(xml["word/footnotes.xml"].findall("w:footnote", NS)) == 2 + 11


def test_every_paragraph_of_the_sample_form_resolves_to_its_role(form_doc):
    xml = parts(render_docx(form_doc, PROFILE))
    assert assert_paragraphs_resolve_to_roles(form_doc, xml, PROFILE) > 50


def test_the_change_table_has_every_official_field(form_doc):
    xml = parts(render_docx(form_doc, PROFILE))
    cell_text = {re.sub(r"\s+", "", paragraph_text(tc)) for tc in xml["word/document.xml"].iter(q("tc"))}
    assert [label for label in OFFICIAL_LABELS if label not in cell_text] == []


def text_before_notes(doc) -> dict[int, str]:
    """The few characters printed just before each note marker."""
    out = {}
    for block in doc.blocks:
        runs = block.runs if isinstance(block, Paragraph) else getattr(block, "runs", [])
        before = ""
        for run in runs:
            if isinstance(run, NoteRef):
                out[run.number] = re.sub(r"\s+", "", before)[-6:]
            elif isinstance(run, Text):
                before += run.text
    return out


def page_with_end_of(texts: list[str], before: str, start: int) -> int:
    """The first page from ``start`` holding the end of ``before`` (its start may sit on the
    page before, when the sentence runs over)."""
    for k in range(len(before), 2, -1):
        page = next((i for i in range(start, len(texts)) if before[-k:] in texts[i]), None)
        if page is not None:
            return page
    raise AssertionError(f"找不到“{before}”")


@needs_soffice
def test_libreoffice_prints_all_11_footnotes_at_the_foot_of_their_pages(report_doc, to_pdf):
    pdf = to_pdf(render_docx(report_doc, PROFILE), "sample-report")
    before = text_before_notes(report_doc)
    assert sorted(before) == list(range(1, 12))
    with pdfplumber.open(pdf) as doc:
        texts = [re.sub(r"\s+", "", p.extract_text() or "") for p in doc.pages]
        marker_page = 0
        for n, note in sorted(report_doc.footnotes.items()):
            marker_page = page_with_end_of(texts, before[n], marker_page)
            head = re.sub(r"\s+", "", "".join(r.text for r in note.runs if isinstance(r, Text)))[:8]
            assert head in texts[marker_page], f"脚注 {n} 不在其标注所在页"
            page = doc.pages[marker_page]
            hit = page.search(r"\s*".join(map(re.escape, head[:4])))
            assert hit and hit[-1]["top"] > page.height * 0.5, f"脚注 {n} 不在页脚"


@needs_soffice
def test_libreoffice_converts_the_sample_form_inside_the_page(form_doc, to_pdf):
    pdf = to_pdf(render_docx(form_doc, PROFILE), "sample-form")
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == sum(1 for b in form_doc.blocks if type(b).__name__ == "PageBreak") + 1
        for page in doc.pages:
            assert all(0 <= c["x0"] and c["x1"] <= page.width and c["bottom"] <= page.height
                       for c in page.chars)
