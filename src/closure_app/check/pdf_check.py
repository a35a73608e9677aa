"""Check a PDF against the profile: embedded fonts, substitutes, each text line's family, size
and weight against the role it has (pdf_roles), page sizes; for an A3 booklet, the sheet size and
the saddle-stitch page count."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from reportlab.lib import pagesizes

from closure_app.check.findings import CheckFinding, opening, size_label
from closure_app.check.pdf_reader import Line, PdfFacts, read_pdf
from closure_app.check.pages import judge_page
from closure_app.check.pdf_roles import UNJUDGED, line_roles, toc_pages  # noqa: F401 (toc_pages: part of this API)
from closure_app.check.roles import Role, role_severity
from closure_app.fonts.names import normalize
from closure_app.fonts.styles import equivalent_names, exact_names, family_verdict, style_of
from closure_app.profile import MM_PT, Profile, RoleStyle

SIZE_TOLERANCE_PT = 0.3
PAGE_TOLERANCE_PT = 1.0
FORM_MARKERS = ("填表说明", "结项申请书")
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


def stands_in_for(font_name: str, families: list[str], substitutes: dict[str, str], *, near: bool = True) -> list[str]:
    """The mandated families a shipped substitute or a near-equivalent font stands in for.
    ``substitutes``: shipped font name -> what it stands for ('仿宋', '小标宋、宋体', a family name);
    the most specific name that matches decides ('NotoSerifCJKsc-Regular' over 'Noto Serif CJK SC')."""
    name = _longest_prefix(font_name, substitutes)
    items = substitutes[name].split("、") if name else []
    out = []
    for family in families:
        style = style_of(family)
        shipped = any(item == family or (style and (item == style or style_of(item) == style)) for item in items)
        if shipped or near and _starts(font_name, equivalent_names(family)):
            out.append(family)
    return out


OWN, SUBSTITUTE, NEAR = "own", "substitute", "near"


class FontJudge:
    """What a PDF font is to a mandated family: the family itself (any Founder edition of its
    design, under any of its names), the shipped substitute for it, a desktop near-equivalent
    (FangSong for 方正仿宋_GBK: an error, as in a DOCX), or another font.
    Answers are kept per font name: a PDF has a handful of fonts and thousands of lines."""

    def __init__(self, families: list[str], substitutes: dict[str, str]):
        self.families = families
        self.substitutes = substitutes
        self._seen: dict[tuple[str, str], Optional[str]] = {}
        self._standing: dict[str, tuple[str, ...]] = {}

    def verdict(self, font_name: str, family: str) -> Optional[str]:
        key = (font_name, family)
        if key not in self._seen:
            shared = family_verdict(font_name, family)
            if shared == OWN:
                self._seen[key] = OWN
            elif family in stands_in_for(font_name, [family], self.substitutes, near=False):
                self._seen[key] = SUBSTITUTE
            else:
                self._seen[key] = shared
        return self._seen[key]

    def fits(self, font_name: str, family: str) -> bool:
        """Accepted for the family on a line: itself, or the substitute the build says it used."""
        return self.verdict(font_name, family) in (OWN, SUBSTITUTE)

    def substituted(self, font_name: str) -> tuple[str, ...]:
        """The families a shipped substitute font stands in for ((): it is no substitute, or it is
        one of the families itself)."""
        if font_name not in self._standing:
            own = any(self.verdict(font_name, f) == OWN for f in self.families)
            self._standing[font_name] = () if own else tuple(
                f for f in self.families if self.verdict(font_name, f) == SUBSTITUTE)
        return self._standing[font_name]

    def describe(self, font_name: str, family: str) -> str:
        """The font as the finding's 'found' shows it: a near-equivalent says what it is."""
        if self.verdict(font_name, family) == NEAR:
            return f"{font_name}（{style_of(family)}的常见替代字体，不是{family}）"
        return font_name


def _pages(pages: list[int]) -> str:
    shown = "、".join(str(p) for p in pages[:8])
    return f"第 {shown} 页" + (f"等 {len(pages)} 页" if len(pages) > 8 else "")


def check_fonts(facts: PdfFacts, judge: FontJudge) -> list[CheckFinding]:
    out = []
    for font, pages in facts.font_pages.items():
        if not font.embedded:
            out.append(CheckFinding("font-embedded", f"字体 {font.name} 未嵌入，换一台电脑打印就会变样",
                                    _pages(pages), "嵌入", "未嵌入", page=pages[0]))
        standing = judge.substituted(font.name)
        if standing:
            wanted = "、".join(standing)
            out.append(CheckFinding("font-substitute", f"{wanted} 由替代字体 {font.name} 排出，不是要求的字体本身",
                                    _pages(pages), wanted, font.name, "warning", page=pages[0]))
    return out


def _place(line: Line) -> str:
    return f"第 {line.page} 页第 {line.number} 行「{opening(line.text)}」"


# Roles whose weight is judged: a bold phrase in body text or a reference is emphasis.
WEIGHT_JUDGED = ("title", "h1", "h2", "h3", "h4")


def check_line(line: Line, role: Role, want: RoleStyle, judge: FontJudge) -> list[CheckFinding]:
    """One line against its own role: family (of its Han characters), size, and for titles and
    headings the weight."""
    sev = role_severity(want, role)
    label = want.label + ("（按编号判断）" if role.how == "编号" else "")
    out = []
    has_han = any("\u3400" <= c <= "\u9fff" for c in line.text)
    if has_han and not judge.fits(line.font.name, want.family):
        out.append(CheckFinding("font-family", f"{label}字体应为{want.family}", _place(line),
                                want.family, judge.describe(line.font.name, want.family), sev, page=line.page))
    if abs(line.size - want.size_pt) > SIZE_TOLERANCE_PT:
        out.append(CheckFinding("font-size", f"{label}字号应为{size_label(want.size_pt)}", _place(line),
                                size_label(want.size_pt), size_label(line.size), sev, page=line.page))
    # A substitute's own weight is the design it stands in for (a heavy 宋 for 小标宋); only a
    # stroke drawn on it is bold.
    bold = line.stroked or line.font.bold and judge.verdict(line.font.name, want.family) != SUBSTITUTE
    if role.name in WEIGHT_JUDGED and bold != want.bold:
        weight = "加粗" if want.bold else "不加粗"
        out.append(CheckFinding("font-bold", f"{label}应{weight}", _place(line), weight,
                                "加粗" if bold else "不加粗", sev, page=line.page))
    return out


# Roles a line may have that are judged as another profile role.
JUDGED_AS = {"label": "body"}


def document_body_size(lines: list[Line]) -> float:
    """The size most of the document's text is set in (by characters, to the half point): the
    size headings are compared with. A file set at 小四 has its headings found as it sets them,
    and each line is then judged against the mandate's size for its role."""
    chars: dict[float, int] = {}
    for ln in lines:
        key = round(ln.size * 2) / 2
        chars[key] = chars.get(key, 0) + len(ln.text)
    return max(chars, key=chars.get) if chars else 0.0


def check_lines(facts: PdfFacts, profile: Profile, judge: FontJudge) -> list[CheckFinding]:
    """Each line against the role it has (pdf_roles); page furniture, the table of contents and
    roles the profile does not set (a caption, when it has no caption role) are not judged."""
    body_size = document_body_size(facts.lines) or profile.role("body").size_pt
    h1 = profile.role("h1").family

    def heading_font(line: Line) -> bool:
        return judge.verdict(line.font.name, h1) is not None

    out: list[CheckFinding] = []
    for line, role in line_roles(facts.lines, facts.page_sizes, body_size, heading_font, facts.rules):
        name = JUDGED_AS.get(role.name, role.name)
        if role.name in UNJUDGED or name not in profile.roles:
            continue
        out += check_line(line, role, profile.role(name), judge)
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
    """Every page the mandated size, upright or turned (pages.judge_page); one finding per wrong size."""
    geo = profile.page(page)
    wrong: dict[str, list[int]] = {}
    verdicts = {}
    for n, (w, h) in enumerate(facts.page_sizes, 1):
        verdict = judge_page(w / MM_PT, h / MM_PT, geo)
        if not verdict.ok:
            wrong.setdefault(verdict.found, []).append(n)
            verdicts[verdict.found] = verdict
    return [CheckFinding("page-size", f"纸张应为 {geo.size}（共 {len(pages)} 页不是）", _pages(pages),
                         verdicts[found].expected, found, page=pages[0])
            for found, pages in wrong.items()]


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
    return judge_pdf(read_pdf(path), profile, kind)


def judge_pdf(facts: PdfFacts, profile: Profile, kind: str = "auto") -> tuple[str, list[CheckFinding]]:
    """(the kind judged, the findings) of a PDF's facts, read from the file or known by the
    renderer that wrote it (check.placed)."""
    judge = FontJudge(profile.families(), shipped_substitutes())
    if kind == "auto":
        kind = guess_kind(facts, profile)
    findings = check_fonts(facts, judge)
    if kind == "booklet":
        return kind, findings + check_booklet(facts, profile)
    if kind == "form":
        return kind, findings + check_page_sizes(facts, profile, "form")
    return kind, findings + check_page_sizes(facts, profile, "report") + check_lines(facts, profile, judge)
