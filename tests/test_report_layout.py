"""The report's blocks in reading order, as a reader of the printed report meets them."""
from pathlib import Path

import pytest

from closure_app.blocks import Heading, ListBlock, PageBreak, Paragraph, Toc
from closure_app.fonts import load_fontset
from closure_app.layout.display_breaks import with_display_lines
from closure_app.layout.report import report_document
from closure_app.profile import load_profile
from closure_app.sources.manuscript import load_manuscript, parse_manuscript

ROOT = Path(__file__).resolve().parents[1]

TEXT = """---
title: 深度融合科技创新与产业创新 助推巴中新质生产力跨越发展
author:
  name: 向河铭
  unit: 中共通江县委党校
  position: 教务股股长，3级主任科员
  address: 四川省通江县中共通江县委党校
  postcode: "636700"
  email: someone@example.com
  phone: "13500000000"
abstract: |
  摘要第一段。

  摘要第二段。
keywords: [科技创新, 产业创新]
---

# 第一章 绪论

## 1.1 背景

正文[^1]。

#### 1)、四级

# 第二章 理论

正文二。

# 参考文献

1. 文献甲.
2. 文献乙.

[^1]: 脚注.
"""


@pytest.fixture(scope="module")
def doc():
    """The report's blocks with their display lines broken as the build breaks them."""
    profile = load_profile()
    return with_display_lines(report_document(parse_manuscript(TEXT, "m.md").manuscript, profile),
                              profile, load_fontset(profile))


def outline(doc):
    """Each block as a short tag a person can read."""
    out = []
    for b in doc.blocks:
        if isinstance(b, PageBreak):
            out.append("--page--")
        elif isinstance(b, Toc):
            out.append("TOC")
        elif isinstance(b, Heading):
            out.append(f"h{b.level} {b.text}")
        elif isinstance(b, Paragraph):
            out.append(f"{b.role}: {b.text}")
        elif isinstance(b, ListBlock):
            out.append(f"{b.role} list: " + " ".join(b.marker(i) for i in range(len(b.items))))
    return out


def test_blocks_in_reading_order(doc):
    assert outline(doc) == [
        "title: 深度融合科技创新与产业创新\n助推巴中新质生产力跨越发展",
        "author: 中共通江县委党校 向河铭",
        "author: （作者单位：中共通江县委党校\n职务职称：教务股股长，3级主任科员",
        "author: 通讯地址：四川省通江县中共通江县委党校 邮编：636700",
        "author: 电子邮箱：someone@example.com\n联系电话：13500000000）",   # too wide for one line
        "--page--", "TOC", "--page--",
        "body: 摘要：", "body: 摘要第一段。", "body: 摘要第二段。",
        "body: 关键词：科技创新；产业创新",
        "--page--",
        "h1 第一章 绪论", "h2 1.1 背景", "body: 正文。", "h4 1)、四级",
        "--page--",
        "h1 第二章 理论", "body: 正文二。",
        "h1 参考文献", "reference list: [1] [2]",
    ]


def test_a_long_centred_line_breaks_between_words_only_when_it_must():
    profile = load_profile()
    fonts = load_fontset(profile)

    def title(text):
        front = parse_manuscript(TEXT.replace(
            "title: 深度融合科技创新与产业创新 助推巴中新质生产力跨越发展", f"title: {text}"), "m.md")
        doc = with_display_lines(report_document(front.manuscript, profile), profile, fonts)
        return doc.blocks[0].text

    assert title("深度融合科技创新与产业创新 助推巴中新质生产力跨越发展") == \
        "深度融合科技创新与产业创新\n助推巴中新质生产力跨越发展"
    assert title("科技创新 产业创新") == "科技创新 产业创新"                         # fits
    assert title("深度融合科技创新与产业创新助推巴中新质生产力跨越发展") == \
        "深度融合科技创新与产业创新\n助推巴中新质生产力跨越发展"                    # between words


def test_abstract_and_keyword_labels_are_bold_and_unindented(doc):
    abstract, keywords = doc.blocks[8], doc.blocks[11]
    assert abstract.runs[0].bold and abstract.first_line_chars == 0
    assert keywords.runs[0].bold and not keywords.runs[1].bold and keywords.first_line_chars == 0


def test_level4_headings_stay_out_of_the_toc(doc):
    assert [h.text for h in doc.toc_headings()] == ["第一章 绪论", "1.1 背景", "第二章 理论", "参考文献"]


def test_document_metadata_and_footnotes(doc):
    assert (doc.kind, doc.page, doc.author) == ("report", "report", "向河铭")
    assert doc.title.startswith("深度融合") and doc.keywords == ["科技创新", "产业创新"]
    assert [r.text for r in doc.footnotes[1].runs] == ["脚注."]


def test_chapters_share_pages_when_the_profile_says_so():
    profile = load_profile()
    h1 = profile.roles["h1"].model_copy(update={"page_break_before": False})
    flat = profile.model_copy(update={"roles": {**profile.roles, "h1": h1}})
    doc = report_document(parse_manuscript(TEXT, "m.md").manuscript, flat)
    assert outline(doc).count("--page--") == 3      # title | TOC | abstract | body


SAMPLE = ROOT / "manuscript/manuscript.md"


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample manuscript not present")
def test_sample_each_chapter_on_a_new_page():
    doc = report_document(load_manuscript(SAMPLE).manuscript, load_profile())
    chapters = [i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.level == 1]
    assert len(chapters) == 8                       # 7 chapters and 参考文献
    assert all(isinstance(doc.blocks[i - 1], PageBreak) for i in chapters[:7])
    assert not isinstance(doc.blocks[chapters[7] - 1], PageBreak)
