"""The role of a paragraph or a PDF line: title, heading level, TOC entry, body ...

By style or outline level first; when the style is plain, by the numbering the text itself
carries (第一章, 1.1, 1., 一、, （一）, (1)).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from closure_app.numbering import classify_numbering

HEADING_MAX_CHARS = 40
SENTENCE_END = tuple("。．.；;，,：:！？!?")
TOC_ENTRY = re.compile(r"(?:[.．…·]{2,}|\t)\s*\d+\s*$")   # dot leaders or a tab, then a page number
REFERENCES_TITLE = "参考文献"
TOC_TITLE = "目录"


def numbered_heading_level(text: str) -> Optional[int]:
    """The level a heading's own numbering implies ('1.1 背景' -> 2), only for text that reads as
    a heading: short and not ending a sentence (a numbered list item is body text)."""
    s = text.strip()
    if not s or len(s) > HEADING_MAX_CHARS or s.endswith(SENTENCE_END):
        return None
    match = classify_numbering(s)
    return match.level if match else None


def strip_numbering(text: str) -> str:
    s = text.strip()
    match = classify_numbering(s)
    return s[len(match.label):].strip() if match else s


def is_toc_title(text: str) -> bool:
    return "".join(text.split()) == TOC_TITLE


def is_references_title(text: str) -> bool:
    return strip_numbering(text).replace(" ", "") == REFERENCES_TITLE


_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*\d$", re.IGNORECASE)


@dataclass(frozen=True)
class Role:
    name: str      # a profile role (title, h1, body, toc, footnote, table ...) or caption
    how: str       # 样式 / 大纲级别 / 编号 / 位置: how it was found, for messages


def style_role(style_name: str, outline_level: Optional[int]) -> Optional[Role]:
    """The role a paragraph's style (or outline level) gives it, if any."""
    name = style_name.strip()
    low = name.lower()
    if low in ("title", "标题"):
        return Role("title", "样式")
    if low in ("toc heading", "目录标题"):
        return Role("toc_title", "样式")
    if _TOC_STYLE.match(name):
        return Role("toc", "样式")
    if low in ("caption", "题注"):
        return Role("caption", "样式")
    if low in ("footnote text", "脚注文本"):
        return Role("footnote", "样式")
    m = _HEADING_STYLE.match(name)
    if m:
        return Role(f"h{m.group(1)}", "样式")
    if outline_level is not None:
        return Role(f"h{outline_level}", "大纲级别")
    return None


def text_role(text: str) -> Role:
    """The role of a plainly styled paragraph or a PDF line, from its text alone."""
    if TOC_ENTRY.search(text):
        return Role("toc", "目录项")
    level = numbered_heading_level(text)
    if level is not None:
        return Role(f"h{level}", "编号")
    return Role("body", "正文")
