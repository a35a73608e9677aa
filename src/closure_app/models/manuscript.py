"""The report (manuscript.md) as data: front matter checked by Pydantic, body as document blocks."""
from __future__ import annotations

import re
from typing import Annotated, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from closure_app.blocks import Figure, Footnote, Heading, Inline, ListBlock, Paragraph, Table

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
BodyBlock = Union[Heading, Paragraph, ListBlock, Table, Figure]

REFERENCES_TITLES = ("参考文献", "〔参考文献〕", "[参考文献]", "【参考文献】", "［参考文献］")


def is_references_heading(heading: Heading) -> bool:
    """The level-1 heading that holds the reference list: 参考文献, 〔参考文献〕, [参考文献]."""
    return heading.level == 1 and heading.text.strip() in REFERENCES_TITLES


def _text_not_number(v):
    """postcode: 636700 without quotes is a number to YAML, and 010000 would lose its zero."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        raise ValueError(f"请加引号写成文本，如 \"{v}\"（不加引号时开头的 0 会丢失）")
    return v


class Author(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: NonEmpty = Field(description="姓名")
    unit: NonEmpty = Field(description="作者单位")
    position: NonEmpty = Field(description="职务职称")
    address: NonEmpty = Field(description="通讯地址")
    postcode: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] = Field(description="邮编（6 位数字）")
    email: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] = \
        Field(description="电子邮箱")
    phone: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[\d\s()+\-－—]{7,}$")] = \
        Field(description="联系电话")

    _quoted = field_validator("postcode", "phone", mode="before")(_text_not_number)


class FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: NonEmpty = Field(description="主标题")
    author: Author
    abstract: NonEmpty = Field(description="摘要，段落之间空一行")
    keywords: list[NonEmpty] = Field(min_length=1, description="关键词列表")

    @property
    def abstract_paragraphs(self) -> list[str]:
        """Paragraphs of the abstract (separated by blank lines), each on one line."""
        return [join_lines(p.splitlines()) for p in re.split(r"\n\s*\n", self.abstract) if p.strip()]


def is_wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80        # CJK radicals onwards: Han, kana, full-width punctuation


# Punctuation Chinese shares with English (dashes, curly quotes, ellipsis): wide or narrow by the
# text it stands next to.
_SHARED_MARKS = "\u2013\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u00b7"


def _reads_wide(text: str) -> bool:
    """Whether the end of ``text`` (read from its last character backwards) is Chinese text: a
    wide character, or shared punctuation that stands after one."""
    core = text.rstrip(_SHARED_MARKS)
    if core != text and not core:
        return True                   # nothing but marks such as ——: no space beside them
    return bool(core) and is_wide(core[-1])


def space_between(before: str, after: str) -> str:
    """What a line break between two pieces of text reads as: nothing between Chinese text (a
    dash or a quotation mark beside a Chinese character counts as Chinese)."""
    if not before or not after or _reads_wide(before) or _reads_wide(after[::-1]):
        return ""
    return " "


def join_lines(lines: list[str]) -> str:
    """Soft-wrapped lines -> one line: no space between Chinese characters, one between words."""
    out = ""
    for line in (l.strip() for l in lines):
        if not line:
            continue
        out += space_between(out, line) + line
    return out


class Manuscript(BaseModel):
    """front matter; body blocks in reading order (the 参考文献 heading and its list included)."""
    model_config = ConfigDict(arbitrary_types_allowed=True)

    front: FrontMatter
    body: list[BodyBlock]
    footnotes: dict[int, Footnote] = Field(default_factory=dict)

    @property
    def references(self) -> list[list[Inline]]:
        """The reference list: the items of the list with role "reference"."""
        return [item for b in self.body
                if isinstance(b, ListBlock) and b.role == "reference" for item in b.items]

    def headings(self) -> list[Heading]:
        return [b for b in self.body if isinstance(b, Heading)]
