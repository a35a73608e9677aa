"""Which characters of a document the chosen fonts lack, where they occur, and who draws them."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Optional

from closure_app.blocks import (
    CaptionList, Document, Figure, Heading, Inline, ListBlock, NoteRef, Paragraph, Ref, Table, Text, Toc,
)
from closure_app.errors import Finding, Place

if TYPE_CHECKING:
    from closure_app.fonts.fontset import FontSet, ResolvedFont

SNIPPET_CHARS = 8   # characters shown each side of a first occurrence


def needs_glyph(ch: str) -> bool:
    """Control and format characters and variation selectors are not drawn: no glyph needed."""
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")


# Characters that show nothing on screen, named by what they are instead of shown.
_INVISIBLE = {"Co": "私用区字符，看不见", "Cn": "未分配的码位", "Cs": "代理码位", "Zs": "特殊空格",
              "Mn": "组合符号", "Me": "组合符号", "Cf": "格式字符，看不见", "Cc": "控制字符"}


def describe_char(ch: str) -> str:
    """「堃」(U+5803); a character that shows nothing by its code point alone: U+E000（私用区字符，看不见）."""
    kind = unicodedata.category(ch)
    if kind in _INVISIBLE and ch != " ":
        return f"U+{ord(ch):04X}（{_INVISIBLE[kind]}）"
    return f"「{ch}」(U+{ord(ch):04X})"


PAGE_DIGITS = "0123456789"  # the table of contents sets page numbers in its own role


@dataclass(frozen=True)
class Passage:
    """A piece of text set in one role, with its source line when known; ``label`` names
    text that comes from no source (the contents' page numbers)."""
    role: str
    text: str
    line: Optional[int] = None
    label: Optional[str] = None


def _inline_text(runs: list[Inline]) -> str:
    return "".join(str(r.number) if isinstance(r, NoteRef) else r.text for r in runs
                   if isinstance(r, (Text, NoteRef, Ref)))


def _caption_text(block) -> str:
    """A caption as it prints: its number (图 1-1), then its text (and a table's （续表）)."""
    head = block.number.text + block.number.title_gap if block.number is not None else ""
    return head + _inline_text(block.caption) + getattr(block, "continued", "")


def passages(document: Document, roles: dict) -> Iterator[Passage]:
    """Every piece of text the document draws, with the role it is set in. The contents repeat
    the headings in their own role: those copies come after the body, at the headings' lines,
    followed by the page-number digits the contents also draw."""
    tocs = []
    for block in document.blocks:
        if isinstance(block, (Paragraph, Heading)):
            yield Passage(block.role, _inline_text(block.runs), block.line)
        elif isinstance(block, ListBlock):
            for i, item in enumerate(block.items):
                yield Passage(block.role, block.marker(i) + _inline_text(item), block.line)
        elif isinstance(block, Figure):
            if (block.caption or block.number) and "caption" in roles:
                yield Passage("caption", _caption_text(block), block.line)
        elif isinstance(block, Table):
            if (block.caption or block.number) and "caption" in roles:
                yield Passage("caption", _caption_text(block), block.line)
            for row in block.rows:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        yield Passage(p.role, _inline_text(p.runs), p.line or block.line)
        elif isinstance(block, CaptionList):
            if "toc_title" in roles:
                yield Passage("toc_title", block.title)
        elif isinstance(block, Toc):
            tocs.append(block)
            if "toc_title" in roles:
                yield Passage("toc_title", block.title)
    for note in document.footnotes.values():
        yield Passage("footnote", f"{note.number}" + _inline_text(note.runs), note.line)
    if "toc" in roles:
        for toc in tocs:
            for h in document.toc_headings(toc.levels):
                yield Passage("toc", h.text, h.line)
            yield Passage("toc", PAGE_DIGITS, label="目录页码")


def snippet(text: str, at: int) -> str:
    lo, hi = max(0, at - SNIPPET_CHARS), at + SNIPPET_CHARS + 1
    return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")


@dataclass(frozen=True)
class MissingChar:
    char: str
    role: str
    family: str              # mandated family of the role
    font_name: str           # the role's resolved font, which lacks the character
    line: Optional[int]      # source line of the first occurrence; None: the text has no source line
    label: str               # what the text is when it has no source line (主标题, 目录页码)
    context: str             # the text around the first occurrence
    drawn_by: Optional[str]  # the fallback font that draws it; None: no font has it

    @property
    def where(self) -> str:
        return f"{f'第 {self.line} 行' if self.line else self.label}「{self.context}」"

    @property
    def problem(self) -> str:
        by = f"由 {self.drawn_by} 补字" if self.drawn_by else "所有字体都没有此字，无法排版"
        return f"{describe_char(self.char)}：{self.font_name} 缺字，{by}"

    def __str__(self) -> str:
        return f"{self.problem}；首次出现于{self.where}"


def first_line_with(source: str, ch: str) -> Optional[int]:
    """The first line (1-based) of the source text holding the character."""
    return next((n for n, text in enumerate(source.splitlines(), 1) if ch in text), None)


def _first_place(lines: list[str], ch: str, from_line: Optional[int]) -> Optional[int]:
    """The first line (1-based) holding ``ch``: at or after ``from_line`` (its block's first line)
    when given, else anywhere; ``from_line`` itself when no later line holds it."""
    start = (from_line or 1) - 1
    found = next((n + 1 for n in range(start, len(lines)) if ch in lines[n]), None)
    return found or from_line


@dataclass
class CoverageReport:
    fonts: dict[str, "ResolvedFont"]                     # role -> its resolved font (roles used)
    characters: dict[str, int]                           # role -> distinct characters drawn
    missing: list[MissingChar] = field(default_factory=list)

    @property
    def errors(self) -> list[MissingChar]:
        return [m for m in self.missing if m.drawn_by is None]

    @property
    def ok(self) -> bool:
        return not self.errors

    def findings(self, file: str, source: Optional[str], locate=None) -> list[Finding]:
        """Each missing character once per place, as a finding on the source file: an error when
        no font has it, a warning when a fallback font draws it.

        ``locate(ch)`` -> (line, column, field) places a character in a source whose text has no
        lines of its own (the form: its values); otherwise text is placed at the first source
        line holding it, from its block's line on, with the column."""
        placed: dict[tuple[str, Optional[int]], Finding] = {}
        lines = source.split("\n") if source is not None else []
        for m in sorted(self.missing, key=lambda m: m.drawn_by is not None):   # errors first
            found = locate(m.char) if locate else None
            if found:
                line, column, field_name = found
            else:
                line, column, field_name = _first_place(lines, m.char, m.line), None, None
                column = lines[line - 1].find(m.char) + 1 if line and line <= len(lines) and m.char in lines[line - 1] else None
                line = line or m.line
            placed.setdefault((m.char, line), Finding(
                Place(file, line, column), f"{m.problem}（「{m.context}」）", "warning" if m.drawn_by else "error",
                field_name))
        return sorted(placed.values(), key=lambda f: f.place.line or 0)

    def __str__(self) -> str:
        lines = []
        for role, font in self.fonts.items():
            gaps = [m for m in self.missing if m.role == role]
            lines.append(f"{role}（{font.family} -> {font.font_name}）：{self.characters[role]} 个字符，"
                         f"缺字 {len(gaps)} 个")
            lines += [f"  {m}" for m in gaps]
        if self.errors:
            lines.append(f"错误：{len(self.errors)} 个字符没有任何字体可以排版。")
        return "\n".join(lines)


def coverage_report(fontset: "FontSet", document: Document) -> CoverageReport:
    roles = fontset.profile.roles
    first_seen: dict[str, dict[str, tuple[Passage, int]]] = {}  # role -> char -> (passage, index)
    for passage in passages(document, roles):
        seen = first_seen.setdefault(passage.role, {})
        for i, ch in enumerate(passage.text):
            if ch not in seen and needs_glyph(ch):
                seen[ch] = (passage, i)
    report = CoverageReport(fonts={}, characters={})
    for role, seen in first_seen.items():
        family = fontset.profile.role(role).family
        font = report.fonts[role] = fontset.resolve(family)
        report.characters[role] = len(seen)
        for ch in sorted(fontset.missing("".join(seen), family)):
            passage, i = seen[ch]
            drawn = fontset.font_for(ch, family)
            report.missing.append(MissingChar(ch, role, family, font.font_name, passage.line,
                                              passage.label or roles[role].label,
                                              snippet(passage.text, i), drawn.font_name if drawn else None))
    return report
