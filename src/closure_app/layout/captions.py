"""Caption numbers and cross-references: one pass over the body, whatever reader made it.

Every figure with a caption or a label, and every table with a caption or a label, gets its
``CaptionNumber``: 图 1-1, 表 2-3 counted per chapter (a chapter is a level-1 heading other than
参考文献), or 图 1, 表 3 through the document, as ``profile.captions.numbering`` says. A chapter's
number is the one its heading carries (第三章, 三、, 3): an unnumbered 引言 before it is chapter 0,
as standards number an introduction, and one after the numbered chapters (结论) the next number;
where no chapter carries a number they are counted. Then every
``Ref`` anywhere (paragraphs, headings, lists, table cells, captions, footnotes) gets the text
its target prints. A label used twice, or a reference to no label, is an error with its line.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from closure_app.blocks import (
    CaptionNumber, Figure, Footnote, Heading, Inline, ListBlock, Paragraph, Ref, Table,
)
from closure_app.errors import Finding, InvalidInput, Place
from closure_app.models.manuscript import is_references_heading
from closure_app.numbering import classify_numbering
from closure_app.profile import CaptionSettings

KIND_NOUN = {"fig": "图", "tbl": "表"}


@dataclass
class CaptionIndex:
    """What the pass found: label -> number, and the numbered blocks in order."""
    numbers: dict[str, CaptionNumber]
    figures: list[Figure]
    tables: list[Table]


def number_captions(blocks: list, footnotes: dict[int, Footnote], settings: CaptionSettings,
                    file: str = "书稿") -> CaptionIndex:
    """Number the captions of ``blocks`` and resolve every reference, in place.
    Raises InvalidInput (every problem, with its line) on a duplicate or unknown label."""
    findings: list[Finding] = []
    numbers: dict[str, CaptionNumber] = {}
    first_line: dict[str, Optional[int]] = {}
    figures: list[Figure] = []
    tables: list[Table] = []
    per_chapter = settings.numbering == "chapter"
    chapters = iter(_chapter_numbers(blocks))
    chapter = 0
    count = {"fig": 0, "tbl": 0}
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1 and not is_references_heading(block):
            chapter = next(chapters)
            if per_chapter:
                count = {"fig": 0, "tbl": 0}
            continue
        if isinstance(block, Figure):
            kind, word, into = "fig", settings.figure, figures
        elif isinstance(block, Table) and (block.caption or block.label):
            kind, word, into = "tbl", settings.table, tables
        else:
            continue
        if not (block.caption or block.label):
            block.number = None
            continue
        count[kind] += 1
        block.number = CaptionNumber(
            kind=word, number=count[kind], chapter=chapter if per_chapter else None,
            separator=settings.chapter_separator, label_gap=settings.label_gap,
            title_gap=settings.title_gap, first_in_chapter=count[kind] == 1)
        if isinstance(block, Table):
            block.continued = settings.continued
        into.append(block)
        label = block.label
        if label is None:
            continue
        if not label.startswith(f"{kind}:"):
            findings.append(Finding(Place(file, block.line),
                                    f"{KIND_NOUN[kind]}的标签 {label} 应以 {kind}: 开头"))
        if label in numbers:
            findings.append(Finding(Place(file, block.line),
                                    f"标签 {label} 重复：第 {first_line[label]} 行已经用过，请换一个"))
            continue
        numbers[label] = block.number
        first_line[label] = block.line
    for ref, line in _refs(blocks, footnotes):
        target = numbers.get(ref.label)
        if target is None:
            kind = ref.label.split(":", 1)[0]
            noun = KIND_NOUN.get(kind, "图或表")
            findings.append(Finding(Place(file, ref.line or line),
                                    f"引用 @{ref.label} 找不到对应的{noun}：没有哪个{noun}写了 "
                                    f"{{#{ref.label}}}（标签区分大小写）"))
            continue
        ref.text = target.text
    if findings:
        raise InvalidInput(sorted(findings, key=lambda f: f.place.line or 0))
    return CaptionIndex(numbers, figures, tables)


def _chapter_numbers(blocks: list) -> list[int]:
    """The number each chapter's figures and tables carry, chapter by chapter (see the module)."""
    chapters = [b for b in blocks if isinstance(b, Heading) and b.level == 1 and not is_references_heading(b)]
    own = [_own_number(h) for h in chapters]
    if not any(n is not None for n in own):
        return list(range(1, len(chapters) + 1))
    out, last = [], 0
    for n in own:
        if n is None:
            n = last + 1 if last else 0
        out.append(n)
        last = max(last, n)
    return out


def _own_number(heading: Heading) -> Optional[int]:
    m = classify_numbering(heading.text)
    if m is None or m.kind not in ("chapter", "cn_comma", "dot", "decimal"):
        return None
    return m.values[0]


def caption_runs(number: Optional[CaptionNumber], caption: list[Inline]) -> tuple[str, list[Inline]]:
    """(the number's text and the gap after it, the caption text) as a caption prints them."""
    if number is None:
        return "", caption
    return number.text + (number.title_gap if caption else ""), caption


def _refs(blocks: list, footnotes: dict[int, Footnote]) -> Iterator[tuple[Ref, Optional[int]]]:
    for block in blocks:
        line = getattr(block, "line", None)
        for runs in _inline_lists(block):
            for run in runs:
                if isinstance(run, Ref):
                    yield run, line
    for note in footnotes.values():
        for run in note.runs:
            if isinstance(run, Ref):
                yield run, note.line


def _inline_lists(block) -> Iterator[list[Inline]]:
    if isinstance(block, (Paragraph, Heading)):
        yield block.runs
    elif isinstance(block, ListBlock):
        yield from block.items
    elif isinstance(block, Table):
        yield block.caption
        for row in block.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield p.runs
    elif isinstance(block, Figure):
        yield block.caption
