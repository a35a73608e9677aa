"""The profile's hanging-punctuation rule, read into both back ends: the DOCX says it to Word
(w:overflowPunct, read back from the XML) and the PDF breaks its lines by it (read back from
the PDF's text). Turning the rule off in the profile changes both."""
from __future__ import annotations

import io
from dataclasses import replace

import pdfplumber
import pytest
from docx_xml import parts, q

from closure_app.blocks import Document, Paragraph, Text
from closure_app.fonts import load_fontset
from closure_app.profile import Typesetting, load_profile
from closure_app.render.docx import render_docx
from closure_app.render.pdf import render_pdf

PROFILE = load_profile()
OFF = replace(PROFILE, typesetting=Typesetting(hanging_punctuation=False))
# The body's first line holds 25.6 characters after its two-character indent: 25 甲 fill it
# and the mark after them does not fit.
FULL = "甲" * 25
TEXTS = {
    "chinese": FULL + "，乙乙乙乙乙乙乙乙乙乙。",
    "question": FULL + "？乙乙乙乙乙乙乙乙乙乙。",
    "latin": "甲" * 24 + "7%，乙乙乙乙乙乙乙乙乙乙。",   # 24 甲 and 7% fill the line too
}


def first_lines(profile) -> dict[str, str]:
    doc = Document(kind="report", title="t",
                   blocks=[Paragraph([Text(t)]) for t in TEXTS.values()])
    data = render_pdf(doc, profile, load_fontset(profile)).data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = pdf.pages[0].extract_text().splitlines()
    out = {}
    for key, text in TEXTS.items():
        head = next(i for i, ln in enumerate(lines) if ln.replace(" ", "") and text.startswith(ln.replace(" ", "")))
        out[key] = lines[head].replace(" ", "")
        lines = lines[head + 1:]
    return out


@pytest.fixture(scope="module")
def pdf_on():
    return first_lines(PROFILE)


@pytest.fixture(scope="module")
def pdf_off():
    return first_lines(OFF)


def test_the_profile_hangs_punctuation_in_both(pdf_on):
    assert PROFILE.typesetting.hanging_punctuation
    assert pdf_on["chinese"] == FULL + "，"
    assert pdf_on["question"] == FULL + "？"
    assert pdf_on["latin"] == "甲" * 24            # after Latin text nothing hangs: 7%， goes down


def test_without_hanging_the_character_before_goes_down(pdf_off):
    assert pdf_off["chinese"] == "甲" * 24
    assert pdf_off["question"] == "甲" * 24
    assert pdf_off["latin"] == "甲" * 24


@pytest.mark.parametrize("profile", [PROFILE, OFF], ids=["on", "off"])
def test_the_docx_says_the_same_to_word(profile):
    styles = parts(render_docx(Document(kind="report", title="t", blocks=[Paragraph([Text(FULL)])]),
                               profile))["word/styles.xml"]
    for ppr in (styles.find(f"{q('docDefaults')}/{q('pPrDefault')}/{q('pPr')}"),
                next(s for s in styles.iter(q("style")) if s.get(q("styleId")) == "Normal").find(q("pPr"))):
        el = ppr.find(q("overflowPunct"))
        assert el is not None
        assert (el.get(q("val"), "1") not in ("0", "false")) is profile.typesetting.hanging_punctuation
