"""Long URLs in footnotes, the reference list and a table cell, as a reader of the PDF sees
them: measured from the PDF's own character positions (pdfplumber)."""
import io

import pdfplumber
import pytest
from pdf_lines import lines_at_size

from closure_app.layout.report import report_document
from closure_app.profile import load_profile
from closure_app.render.pdf import render_pdf
from closure_app.render.pdf.linebreak import tokenize
from closure_app.sources.manuscript import parse_manuscript

MAX_STRETCH_EMS = 0.25
# A path piece wider than any line, one narrower than a line but too wide for what is left of
# it, and a URL of short pieces.
WIDE = "https://example.org/" + "a" * 90 + "/bbbb/cccc.html"
LONG = "https://example.org/t20240228abcdefghijklmnopqrstuvwxyz0123456/index.html"
SHORT = "https://example.org/" + "/".join(c * 4 for c in "abcdefghijklmnopq") + ".html"
URLS = [WIDE, LONG, SHORT]
# Latin words break at the spaces between them, not only after a full stop.
LATIN = ("Fukuda K, Watanabe C. Japanese and US perspectives on the National Innovation "
         "Ecosystem[J]. Technology in Society. 2008, 30(1). 49-63")

MANUSCRIPT = f"""---
title: 网址测试
author:
  name: 测试
  unit: 测试单位
  position: 职员
  address: 某地
  postcode: "636700"
  email: a@example.com
  phone: "13500000000"
abstract: |
  摘要。
keywords: [测试]
---

# 第一章 绪论

正文[^1][^2][^3][^4]。

| 名称 | 网址 |
|---|---|
| 甲 | {WIDE} |
| 乙 | {LONG} |

[^1]: {WIDE}
[^2]: 参见 {LONG}
[^3]: {SHORT}
[^4]: {LATIN}

# 参考文献

1. {WIDE}
2. {LONG}
3. {SHORT}
4. 某某.某文[EB/OL].(2024-02-29).{LONG}
"""


@pytest.fixture(scope="module")
def pdf():
    from closure_app.fonts import load_fontset
    profile = load_profile()
    doc = report_document(parse_manuscript(MANUSCRIPT, "m.md").manuscript, profile)
    data = render_pdf(doc, profile, load_fontset(profile)).data
    with pdfplumber.open(io.BytesIO(data)) as opened:
        return profile, [(page.chars, page.extract_text()) for page in opened.pages]


def page_with(pages, text):
    """The characters of the last page showing ``text`` (the table of contents comes first)."""
    return [chars for chars, page_text in pages if text in page_text][-1]


def line_text(line) -> str:
    return "".join(c["text"] for c in line).strip()


def split_at_heading(pages, profile, title):
    """(table lines above, reference lines below) the heading ``title`` on its page."""
    chars = page_with(pages, title)
    heading = next(ln for ln in lines_at_size(chars, profile.role("h1").size_pt) if line_text(ln) == title)
    above = lines_at_size(chars, profile.role("table").size_pt)
    below = lines_at_size(chars, profile.role("reference").size_pt)
    return ([ln for ln in above if ln[0]["bottom"] < heading[0]["top"]],
            [ln for ln in below if ln[0]["top"] > heading[0]["bottom"]])


def stretch_ems(line) -> float:
    """The widest space between two neighbouring characters of a line, in ems."""
    return max((b["x0"] - a["x1"]) / a["size"] for a, b in zip(line, line[1:]))


def text_of(lines) -> str:
    return "".join(c["text"] for ln in lines for c in ln).replace(" ", "")


def without_label(line):
    """A reference's line without its [n] label: the gap after the label is the label column
    (the text starts at the hanging indent), not letter spacing."""
    text = "".join(c["text"] for c in line[:6])
    if text.startswith("[") and "]" in text:
        rest = line[text.index("]") + 1:]
        while rest and not rest[0]["text"].strip():
            rest = rest[1:]
        return rest
    return line


def assert_not_letter_spaced(lines):
    for ln in lines:
        text = line_text(ln)
        one_item = len([t for t in tokenize(text) if not t.isspace()]) == 1
        if len(ln) > 1 and not one_item:
            assert stretch_ems(ln) <= MAX_STRETCH_EMS + 0.01, text


def test_footnotes_with_long_urls_are_not_letter_spaced(pdf):
    profile, pages = pdf
    size = profile.role("footnote").size_pt
    lines = lines_at_size(page_with(pages, "绪论"), size)
    assert len(lines) >= 6
    assert_not_letter_spaced([without_label(ln) for ln in lines])
    # The first line of the note whose URL has a piece wider than a line is filled with it.
    first = next(line_text(ln) for ln in lines if line_text(ln).startswith("https://example.org/a"))
    assert first.startswith("https://example.org/aaaa")
    # The Latin note's first line runs on past "C." to the space where the line is full.
    latin = next(line_text(ln) for ln in lines if line_text(ln).startswith("Fukuda"))
    assert latin.startswith("Fukuda K, Watanabe C. Japanese and US")


def test_footnote_urls_appear_whole_and_in_order(pdf):
    profile, pages = pdf
    text = text_of(lines_at_size(page_with(pages, "绪论"), profile.role("footnote").size_pt))
    positions = [text.find(url) for url in URLS]
    assert all(p >= 0 for p in positions), text
    assert positions == sorted(positions)


def test_references_with_long_urls_are_not_letter_spaced_and_whole(pdf):
    profile, pages = pdf
    _, lines = split_at_heading(pages, profile, "参考文献")
    assert len(lines) >= 6
    assert_not_letter_spaced([without_label(ln) for ln in lines])
    text = text_of(lines)
    positions = [text.find(url) for url in URLS]
    assert all(p >= 0 for p in positions), text
    assert positions == sorted(positions)


def test_table_cell_urls_appear_whole_inside_the_text_block(pdf):
    profile, pages = pdf
    geo = profile.page("report")
    lines, _ = split_at_heading(pages, profile, "参考文献")
    header = next(c for ln in lines for c in ln if c["text"] == "网")
    url_lines = [[c for c in ln if c["x0"] >= header["x0"] - 1] for ln in lines]
    text = text_of(url_lines)
    assert WIDE in text and LONG in text and text.index(WIDE) < text.index(LONG)
    right = max(geo.width_pt - geo.margin_pt("outer"), geo.width_pt - geo.margin_pt("inner"))
    assert all(c["x1"] <= right + 0.5 for ln in url_lines for c in ln)
