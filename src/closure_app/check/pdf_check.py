"""Check a PDF against the profile: embedded fonts, substitutes, each text line's size and font
by its role, page sizes; for an A3 booklet, the sheet size and the saddle-stitch page count."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from reportlab.lib import pagesizes

from closure_app.check.findings import CheckFinding, opening, size_label
from closure_app.check.pdf_reader import Line, PdfFacts, read_pdf
from closure_app.check.roles import (TOC_ENTRY, Role, is_references_title, is_toc_title, role_severity,
                                     text_role)
from closure_app.fonts.names import normalize
from closure_app.fonts.styles import equivalent_names, exact_names, style_of
from closure_app.profile import MM_PT, Profile, RoleStyle

SIZE_TOLERANCE_PT = 0.3
PAGE_TOLERANCE_PT = 1.0
FORM_MARKERS = ("填表说明", "结项申请书")
SHORT_BY_CHARS = 1            # a heading line ends at least this many characters before the measure
SOURCE_PAGES_PER_SIDE = 2     # two A4 pages on each side of an A3 sheet


def shipped_substitutes() -> dict[str, str]:
    """Name of a shipped substitute font -> the styles it stands for ('仿宋', '楷体、黑体' ...)."""
    from closure_app.fonts import substitute_families
    return substitute_families()


def _starts(name: str, candidates) -> bool:
    n = normalize(name)
    return any(c and n.startswith(normalize(c)) for c in candidates)


def is_family(font_name: str, family: str) -> bool:
    """The PDF font is the family itself, under any of its names (subset suffixes like '-0' allowed)."""
    return _starts(font_name, exact_names(family))


def _longest_prefix(font_name: str, candidates) -> Optional[str]:
    """The most specific candidate name the font's name starts with."""
    n = normalize(font_name)
    hits = [c for c in candidates if c and n.startswith(normalize(c))]
    return max(hits, key=lambda c: len(normalize(c)), default=None)


def stands_in_for(font_name: str, families: list[str], substitutes: dict[str, str]) -> list[str]:
    """The mandated families a shipped substitute or a near-equivalent font stands in for.
    ``substitutes``: shipped font name -> what it stands for ('仿宋', '小标宋、宋体', a family name);
    the most specific name that matches decides ('NotoSerifCJKsc-Regular' over 'Noto Serif CJK SC')."""
    name = _longest_prefix(font_name, substitutes)
    items = substitutes[name].split("、") if name else []
    out = []
    for family in families:
        style = style_of(family)
        shipped = any(item == family or (style and (item == style or style_of(item) == style)) for item in items)
        if shipped or _starts(font_name, equivalent_names(family)):
            out.append(family)
    return out


class FontJudge:
    """What a PDF font is to the profile: one of its families, or a stand-in for some.
    Answers are kept per font name: a PDF has a handful of fonts and thousands of lines."""

    def __init__(self, families: list[str], substitutes: dict[str, str]):
        self.families = families
        self.substitutes = substitutes
        self._seen: dict[str, tuple[Optional[str], tuple[str, ...]]] = {}

    def identity(self, font_name: str) -> tuple[Optional[str], tuple[str, ...]]:
        """(the family it is, the families it stands in for); at most one is non-empty."""
        if font_name not in self._seen:
            own = next((f for f in self.families if is_family(font_name, f)), None)
            standing = () if own else tuple(stands_in_for(font_name, self.families, self.substitutes))
            self._seen[font_name] = (own, standing)
        return self._seen[font_name]

    def fits(self, font_name: str, family: str) -> bool:
        own, standing = self.identity(font_name)
        return family == own or family in standing


def _pages(pages: list[int]) -> str:
    shown = "、".join(str(p) for p in pages[:8])
    return f"第 {shown} 页" + (f"等 {len(pages)} 页" if len(pages) > 8 else "")


def check_fonts(facts: PdfFacts, judge: FontJudge) -> list[CheckFinding]:
    out = []
    for font, pages in facts.font_pages.items():
        if not font.embedded:
            out.append(CheckFinding("font-embedded", f"字体 {font.name} 未嵌入，换一台电脑打印就会变样",
                                    _pages(pages), "嵌入", "未嵌入"))
        _, standing = judge.identity(font.name)
        if standing:
            wanted = "、".join(standing)
            out.append(CheckFinding("font-substitute", f"{wanted} 由替代字体 {font.name} 排出，不是要求的字体本身",
                                    _pages(pages), wanted, font.name, "warning"))
    return out


def _place(line: Line) -> str:
    return f"第 {line.page} 页第 {line.number} 行「{opening(line.text)}」"


def check_heading_line(line: Line, role: Role, want: RoleStyle, judge: FontJudge) -> list[CheckFinding]:
    sev = role_severity(want, role)
    label = f"{want.label}（按编号判断）"
    out = []
    if not judge.fits(line.font.name, want.family):
        out.append(CheckFinding("font-family", f"{label}字体应为{want.family}", _place(line),
                                want.family, line.font.name, sev))
    if abs(line.size - want.size_pt) > SIZE_TOLERANCE_PT:
        out.append(CheckFinding("font-size", f"{label}字号应为{size_label(want.size_pt)}", _place(line),
                                size_label(want.size_pt), size_label(line.size), sev))
    bold = line.font.bold or line.stroked
    if bold != want.bold:
        weight = "加粗" if want.bold else "不加粗"
        out.append(CheckFinding("font-bold", f"{label}应{weight}", _place(line), weight,
                                "加粗" if bold else "不加粗", sev))
    return out


def profile_styles(profile: Profile) -> list[tuple[str, float]]:
    """Every (family, size) the profile sets text in: its roles and the page numbers."""
    styles = [(r.family, r.size_pt) for r in profile.roles.values()]
    return styles + [(profile.page_number.family, profile.page_number.size_pt)]


def check_other_line(line: Line, profile: Profile, styles: list[tuple[str, float]],
                     judge: FontJudge) -> list[CheckFinding]:
    """A line that is not a numbered heading: its font and size must be those of some role
    (body, title, footnote, table, page number ...); otherwise it is judged as body text."""
    has_han = any("\u3400" <= c <= "\u9fff" for c in line.text)
    fam_ok = [f for f, _ in styles if not has_han or judge.fits(line.font.name, f)]
    if any(abs(line.size - s) <= SIZE_TOLERANCE_PT for f, s in styles if f in fam_ok):
        return []
    body = profile.role("body")
    if not fam_ok:
        return [CheckFinding("font-family", f"{body.label}字体应为{body.family}", _place(line),
                             body.family, line.font.name)]
    return [CheckFinding("font-size", f"{body.label}字号应为{size_label(body.size_pt)}", _place(line),
                         size_label(body.size_pt), size_label(line.size))]


def toc_pages(lines: list[Line]) -> set[int]:
    """Pages of the table of contents: the page titled 目录, and the pages after it whose lines
    mostly end in a page number."""
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    pages: set[int] = set()
    for page in sorted(by_page):
        texts = [ln.text for ln in by_page[page]]
        if any(is_toc_title(t) for t in texts):
            pages.add(page)
        elif page - 1 in pages and sum(1 for t in texts if TOC_ENTRY.search(t) or t[-1:].isdigit()) * 2 > len(texts):
            pages.add(page)
    return pages


def check_lines(facts: PdfFacts, profile: Profile, judge: FontJudge) -> list[CheckFinding]:
    """Each line by its role. A numbered line is a heading only if it stands alone: it ends short
    of the page's right edge of text, which every wrapped (justified) line reaches."""
    body_size = profile.role("body").size_pt
    styles = profile_styles(profile)
    text_right: dict[int, float] = {}
    for line in facts.lines:
        text_right[line.page] = max(text_right.get(line.page, 0.0), line.right)
    skip = toc_pages(facts.lines)
    out: list[CheckFinding] = []
    in_refs = False
    for line in facts.lines:
        if line.page in skip:
            continue
        if is_references_title(line.text):
            in_refs = True
            continue
        role = text_role(line.text)
        heading = (role.name in profile.roles and role.how == "编号" and not in_refs
                   and line.size >= body_size - SIZE_TOLERANCE_PT
                   and line.right < text_right[line.page] - SHORT_BY_CHARS * body_size)
        if heading:
            in_refs = False
            out += check_heading_line(line, role, profile.role(role.name), judge)
        elif role.name != "toc":
            out += check_other_line(line, profile, styles, judge)
    return out


def booklet_sheet(profile: Profile) -> tuple[float, float]:
    """The booklet sheet in landscape, pt (A3: 1190.55 x 841.89)."""
    return pagesizes.landscape(getattr(pagesizes, profile.booklet.sheet))


def check_booklet(facts: PdfFacts, profile: Profile) -> list[CheckFinding]:
    want_w, want_h = booklet_sheet(profile)
    sheet = profile.booklet.sheet
    wrong = [n for n, (w, h) in enumerate(facts.page_sizes, 1)
             if abs(w - want_w) > PAGE_TOLERANCE_PT or abs(h - want_h) > PAGE_TOLERANCE_PT]
    out = []
    if wrong:
        w, h = facts.page_sizes[wrong[0] - 1]
        out.append(CheckFinding("booklet-page-size", f"拼版页面应为 {sheet} 横向（共 {len(wrong)} 页不是）",
                                _pages(wrong), f"{want_w:.2f}×{want_h:.2f} pt", f"{w:.2f}×{h:.2f} pt"))
    sides = len(facts.page_sizes)
    if sides % 2:
        out.append(CheckFinding("booklet-page-count",
                                f"{sheet} 双面印制每张纸正反两面，页数应为偶数（原稿页数为 4 的倍数）",
                                "全文", "偶数页", f"{sides} 页（原稿 {sides * SOURCE_PAGES_PER_SIDE} 页）"))
    return out


def check_page_sizes(facts: PdfFacts, profile: Profile, page: str) -> list[CheckFinding]:
    geo = profile.page(page)
    tol = PAGE_TOLERANCE_PT + MM_PT    # 1 mm and rounding
    wrong = [n for n, (w, h) in enumerate(facts.page_sizes, 1)
             if abs(w - geo.width_pt) > tol or abs(h - geo.height_pt) > tol]
    if not wrong:
        return []
    w, h = facts.page_sizes[wrong[0] - 1]
    return [CheckFinding("page-size", f"纸张应为 {geo.size}（共 {len(wrong)} 页不是）", _pages(wrong),
                         f"{geo.width_mm:g}×{geo.height_mm:g} mm", f"{w / MM_PT:.0f}×{h / MM_PT:.0f} mm",
                         "warning")]


def guess_kind(facts: PdfFacts, profile: Profile) -> str:
    if facts.page_sizes:
        w, h = facts.page_sizes[0]
        want_w, want_h = booklet_sheet(profile)
        if abs(w - want_w) <= PAGE_TOLERANCE_PT and abs(h - want_h) <= PAGE_TOLERANCE_PT:
            return "booklet"
    opening = "".join(ln.text for ln in facts.lines if ln.page <= 3)
    return "form" if any(m in opening for m in FORM_MARKERS) else "report"


def check_pdf(path: Path, profile: Profile, kind: str = "auto") -> tuple[str, list[CheckFinding]]:
    """(the kind judged, the findings). Raises CannotCheck for a file that cannot be read."""
    facts = read_pdf(path)
    judge = FontJudge(profile.families(), shipped_substitutes())
    if kind == "auto":
        kind = guess_kind(facts, profile)
    findings = check_fonts(facts, judge)
    if kind == "booklet":
        return kind, findings + check_booklet(facts, profile)
    if kind == "form":
        return kind, findings + check_page_sizes(facts, profile, "form")
    return kind, findings + check_page_sizes(facts, profile, "report") + check_lines(facts, profile, judge)
