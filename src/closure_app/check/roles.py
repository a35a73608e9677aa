"""The role of a paragraph or a PDF line: title, heading level, TOC entry, body ...

By style or outline level first; when the style is plain, by the numbering the text itself
carries (第一章, 1.1, 1., 一、, （一）, (1)).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from closure_app.numbering import NumberingMatch, classify_numbering
from closure_app.profile import RoleStyle

HEADING_MAX_CHARS = 40
SENTENCE_END = tuple("。．.；;，,：:！？!?")
TOC_ENTRY = re.compile(r"(?:[.．…·]{2,}|\t)\s*\d+\s*$")   # dot leaders or a tab, then a page number
# Numbering that marks a heading beyond doubt; "1." or "一、" may just as well open a list item.
CERTAIN_KINDS = ("chapter", "section_cn", "decimal")
REFERENCES_TITLE = "参考文献"
TOC_TITLE = "目录"
LABEL = re.compile(r"^[^\s：:]{1,6}[：:]$")   # a lead-in on its own line (摘要：, 关键词：), not body text


def heading_numbering(text: str) -> Optional[NumberingMatch]:
    """The numbering of text that reads as a heading ('1.1 背景'): short and not ending a
    sentence (a numbered list item is body text). None otherwise."""
    s = text.strip()
    if not s or len(s) > HEADING_MAX_CHARS or s.endswith(SENTENCE_END):
        return None
    match = classify_numbering(s)
    if match is None:
        return None
    after = s[len(match.label):][:1]
    # A title follows its number: "1.1 背景", "1.1背景"; "23.4%" and "4.0、" are figures in a sentence.
    return match if not after or after.isspace() or _is_han(after) else None


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def numbered_heading_level(text: str) -> Optional[int]:
    """The level a heading's own numbering implies: '1.1 研究背景' -> 2."""
    match = heading_numbering(text)
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
    how: str       # 样式 / 大纲级别 / 编号 / 目录项 ...: how it was found, for messages
    certain: bool = True   # False: a guess from numbering that may open a list item instead


def style_role(style_name: str, outline_level: Optional[int],
               labels: Optional[dict[str, str]] = None) -> Optional[Role]:
    """The role a paragraph's style (or outline level) gives it, if any. ``labels``: style names
    that name a profile role outright (the profile's labels: 作者信息 -> author)."""
    name = style_name.strip()
    if labels and name in labels:
        return Role(labels[name], "样式")
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
    if LABEL.match(text.strip()):
        return Role("label", "标签")
    match = heading_numbering(text)
    if match is not None:
        return Role(f"h{match.level}", "编号", match.kind in CERTAIN_KINDS)
    return Role("body", "正文")


def role_severity(want: RoleStyle, role: Role) -> str:
    """Mandated roles are rules, the others house style; a role guessed from numbering that may
    open a list item ("1.", "一、") only warns."""
    if not want.mandated:
        return "info"
    return "error" if role.certain else "warning"


CAPTION = re.compile(r"^(?:图|表|Figure|Fig\.|Table)\s*\d+(?:\s*[-.－—–]\s*\d+)*(?:[\s:：.．]|$|(?=[\u3400-\u9fff]))",
                     re.IGNORECASE)
CAPTION_MAX_CHARS = 50


def is_caption(text: str) -> bool:
    """A figure or table caption typed as text: '图1 …', '表 2-3 …', 'Figure 4.' — short, not a
    sentence ('表1显示，…。' is body text)."""
    s = text.strip()
    return bool(CAPTION.match(s)) and len(s) <= CAPTION_MAX_CHARS and not s.endswith(SENTENCE_END)
