"""Check a DOCX against the profile: every paragraph's role, and each run's effective
East-Asian font, size and weight; page size and margins from each w:sectPr; footnotes too."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Optional

from closure_app.ooxml.styles import NS, RunFormat, StyleSheet, w
from closure_app.check.findings import CheckFinding, opening, size_label
from closure_app.check.roles import Role, is_references_title, role_severity, style_role, text_role
from closure_app.check.safety import CannotCheck, SafeZip, parse_xml
from closure_app.profile import MM_PT, Profile, RoleStyle

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
TWIPS_PER_MM = 20 * MM_PT
PAGE_SIZE_TOLERANCE_MM = 1.0
FORM_MARKERS = ("填表说明", "结项申请书")
THEME = "word/theme/theme1.xml"
SIZE_TOLERANCE_PT = 0.25
_RUN_PATHS = "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r | ./w:sdt/w:sdtContent/w:r"


@dataclass
class Para:
    """What the checker needs of one paragraph."""
    place: str
    text: str
    style_name: str
    outline_level: Optional[int]
    in_table: bool = False
    in_toc: bool = False
    footnote: bool = False
    runs: list[tuple[str, RunFormat]] = field(default_factory=list)
    index: Optional[int] = None      # 1-based place among document.xml's w:p (None in notes)


def _run_text(r) -> str:
    return "".join((el.text or "") if el.tag == w("t") else "\t" for el in r if el.tag in (w("t"), w("tab")))


class _FieldTracker:
    """Follows complex fields (fldChar begin/instrText/end) across paragraphs: are we in a TOC?"""

    def __init__(self):
        self.stack: list[str] = []

    def feed(self, r) -> None:
        for el in r:
            if el.tag == w("fldChar"):
                kind = el.get(w("fldCharType"))
                if kind == "begin":
                    self.stack.append("")
                elif kind == "end" and self.stack:
                    self.stack.pop()
            elif el.tag == w("instrText") and self.stack:
                self.stack[-1] += el.text or ""

    @property
    def in_toc(self) -> bool:
        return any(s.strip().upper().startswith("TOC") for s in self.stack)


def _para(p, sheet: StyleSheet, place_prefix: str, tracker: Optional[_FieldTracker], **flags) -> Para:
    ps = p.find("w:pPr/w:pStyle", NS)
    style_id = ps.get(w("val")) if ps is not None else None
    style = sheet.paragraph_style(style_id)
    own_lvl = p.find("w:pPr/w:outlineLvl", NS)
    outline = None
    if own_lvl is not None and own_lvl.get(w("val"), "").isdigit() and int(own_lvl.get(w("val"))) < 9:
        outline = int(own_lvl.get(w("val"))) + 1
    elif own_lvl is None:
        outline = sheet.outline_level(style_id)
    in_toc = bool(tracker and tracker.in_toc)
    runs = []
    for r in p.xpath(_RUN_PATHS, namespaces=NS):
        if tracker is not None:
            tracker.feed(r)
            in_toc = in_toc or tracker.in_toc
        text = _run_text(r)
        if text:
            runs.append((text, sheet.run_format(style.style_id if style else None, r.find(w("rPr")))))
    text = "".join(t for t, _ in runs)
    return Para(f"{place_prefix}「{opening(text)}」", text, style.name if style else "",
                outline, in_toc=in_toc, runs=runs, **flags)


def read_paragraphs(doc, footnotes, sheet: StyleSheet) -> Iterator[Para]:
    tracker = _FieldTracker()
    body = doc.find("w:body", NS)
    for n, p in enumerate(body.iter(w("p")) if body is not None else (), start=1):
        in_table = any(a.tag == w("tc") for a in p.iterancestors())
        yield _para(p, sheet, f"第 {n} 段", tracker, in_table=in_table, index=n)
    if footnotes is None:
        return
    for note in footnotes.iterfind("w:footnote", NS):
        if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        for p in note.iter(w("p")):
            yield _para(p, sheet, f"脚注 {note.get(w('id'))}", None, footnote=True)


def assign_roles(paras: list[Para], labels: dict[str, str]) -> list[tuple[Para, Role]]:
    """Each non-empty paragraph with its role; the list after a 参考文献 heading is references.
    ``labels``: style names that are profile roles (作者信息 -> author)."""
    out: list[tuple[Para, Role]] = []
    in_refs = False
    for p in paras:
        if not p.text.strip():
            continue
        if p.footnote:
            role = Role("footnote", "脚注")
        elif p.in_toc:
            role = Role("toc", "目录域")
        else:
            role = style_role(p.style_name, p.outline_level, labels) or (
                Role("table", "表格") if p.in_table else text_role(p.text))
        if role.name == "h1":
            in_refs = is_references_title(p.text)
        elif in_refs and role.name == "body" or in_refs and role.how == "编号":
            role = Role("reference", "参考文献表")
        out.append((p, role))
    return out


def _family_found(sheet: StyleSheet, fmt: RunFormat) -> str:
    family = sheet.family(fmt.font) or "未设置"
    if fmt.font.theme:
        return f"{family}（主题字体 {fmt.font.theme}，{fmt.font.source}）"
    return f"{family}（{fmt.font.source}）"


def check_paragraph(p: Para, role: Role, want: RoleStyle, sheet: StyleSheet) -> list[CheckFinding]:
    """Compare each run of one paragraph with its role; one finding per rule and paragraph."""
    sev = role_severity(want, role)
    label = want.label + ("（按编号判断）" if role.how == "编号" else "")
    bad_family, theme_ok, bad_size = [], [], []
    inked = bold_chars = 0
    for text, fmt in p.runs:
        if not text.strip():
            continue
        if CJK.search(text):
            family = sheet.family(fmt.font)
            if family != want.family:
                bad_family.append(_family_found(sheet, fmt))
            elif fmt.font.theme:
                theme_ok.append(_family_found(sheet, fmt))
        if abs(fmt.size_pt - want.size_pt) > SIZE_TOLERANCE_PT:
            bad_size.append(size_label(fmt.size_pt))
        n = len(text.strip())
        inked += n
        bold_chars += n if fmt.bold else 0
    bold = bold_chars * 2 > inked       # the paragraph's weight: a bold lead-in like 摘要： is emphasis
    weight = "加粗" if want.bold else "不加粗"
    found = []
    if bad_family:
        found.append(CheckFinding("font-family", f"{label}字体应为{want.family}", p.place,
                                  want.family, "、".join(dict.fromkeys(bad_family)), sev))
    if theme_ok:
        found.append(CheckFinding("theme-font", f"{label}经主题字体得到{want.family}，换主题即变，应直接写明字体名",
                                  p.place, want.family, "、".join(dict.fromkeys(theme_ok)), "warning"))
    if bad_size:
        found.append(CheckFinding("font-size", f"{label}字号应为{size_label(want.size_pt)}", p.place,
                                  size_label(want.size_pt), "、".join(dict.fromkeys(bad_size)), sev))
    if inked and bold != want.bold:
        found.append(CheckFinding("font-bold", f"{label}应{weight}", p.place, weight,
                                  "加粗" if bold else "不加粗", sev))
    if role.how == "编号" and role.name != "body":
        found.append(CheckFinding("heading-style", f"按编号判断是{want.label}，却使用样式「{p.style_name}」",
                                  p.place, f"{want.label}样式或大纲级别 {role.name[1:]}", p.style_name, sev))
    return [replace(f, paragraph=p.index) for f in found]


def check_form_fonts(paras: list[Para], sheet: StyleSheet, profile: Profile) -> list[CheckFinding]:
    """The form's many cell styles are not mandated; every family must still be one the profile names."""
    allowed = set(profile.families())
    first: dict[str, tuple[str, int]] = {}
    for p in paras:
        for text, fmt in p.runs:
            family = sheet.family(fmt.font) or "未设置"
            if CJK.search(text) and family not in allowed:
                place, count = first.get(family, (p.place, 0))
                first[family] = (place, count + 1)
    return [CheckFinding("unknown-font", f"使用了配置文件未列出的字体 {family}（共 {count} 处）", place,
                         "、".join(profile.families()), family, "warning")
            for family, (place, count) in first.items()]


def check_sections(doc, profile: Profile, page: str) -> list[CheckFinding]:
    geo = profile.page(page)
    out = []
    for n, sect in enumerate(doc.iter(w("sectPr")), start=1):
        place = f"第 {n} 节"
        sz = sect.find(w("pgSz"))
        if sz is not None and sz.get(w("w"), "").isdigit() and sz.get(w("h"), "").isdigit():
            wmm, hmm = int(sz.get(w("w"))) / TWIPS_PER_MM, int(sz.get(w("h"))) / TWIPS_PER_MM
            if abs(wmm - geo.width_mm) > PAGE_SIZE_TOLERANCE_MM or abs(hmm - geo.height_mm) > PAGE_SIZE_TOLERANCE_MM:
                out.append(CheckFinding("page-size", f"纸张应为 {geo.size}", place,
                                        f"{geo.width_mm:g}×{geo.height_mm:g} mm", f"{wmm:.0f}×{hmm:.0f} mm", "warning"))
        mar = sect.find(w("pgMar"))
        if mar is None:
            continue
        sides = {"top": "top", "bottom": "bottom", "left": "inner", "right": "outer"}
        names = {"top": "上", "bottom": "下", "inner": "内侧（左）", "outer": "外侧（右）"}
        for attr, side in sides.items():
            val = mar.get(w(attr), "")
            if not val.lstrip("-").isdigit():
                continue
            mm = abs(int(val)) / TWIPS_PER_MM
            want = getattr(geo.margin_mm, side)
            if abs(mm - want) > PAGE_SIZE_TOLERANCE_MM:
                out.append(CheckFinding("page-margin", f"{names[side]}边距应为 {want:g} mm", place,
                                        f"{want:g} mm", f"{mm:.1f} mm", "info"))
    return out


def guess_kind(paras: list[Para]) -> str:
    opening_text = "".join(p.text for p in paras[:60])
    return "form" if any(m in opening_text for m in FORM_MARKERS) else "report"


def check_docx(path: Path, profile: Profile, kind: str = "auto") -> tuple[str, list[CheckFinding]]:
    """(the kind judged, the findings). Raises CannotCheck for a file that cannot be read."""
    with SafeZip(path) as z:
        if not z.has("word/document.xml"):
            raise CannotCheck("不是 Word 文档：缺少 word/document.xml。")
        doc = parse_xml(z.read("word/document.xml"), "word/document.xml")
        styles = parse_xml(z.read("word/styles.xml"), "word/styles.xml") if z.has("word/styles.xml") else None
        theme = parse_xml(z.read(THEME), THEME) if z.has(THEME) else None
        footnotes = (parse_xml(z.read("word/footnotes.xml"), "word/footnotes.xml")
                     if z.has("word/footnotes.xml") else None)
    sheet = StyleSheet(styles, theme)
    paras = list(read_paragraphs(doc, footnotes, sheet))
    if kind == "auto":
        kind = guess_kind(paras)
    if kind == "form":
        return kind, check_form_fonts(paras, sheet, profile) + check_sections(doc, profile, "form")
    findings: list[CheckFinding] = []
    labels = {r.label: key for key, r in profile.roles.items()}
    for p, role in assign_roles(paras, labels):
        if role.name in profile.roles:
            findings += check_paragraph(p, role, profile.role(role.name), sheet)
    return kind, findings + check_sections(doc, profile, "report")
