"""Check a DOCX against the profile: every paragraph's role, and each run's effective
East-Asian font, size and weight; page size and margins from each w:sectPr; footnotes too.

The file is read once by ``closure_app.ooxml`` (the same reader the importer uses), and each
paragraph's role comes from the document's own structure as a reader sees it
(``ooxml.structure``): a title found by its place and look, heading levels relative to the
document, text boxes read once.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from closure_app.check.findings import CheckFinding, size_label
from closure_app.check.pages import judge_page
from closure_app.check.roles import Role, role_severity
from closure_app.ooxml import read_docx
from closure_app.ooxml.document import DocxDocument, Para, Table
from closure_app.ooxml.structure import ABSTRACT, KEYWORDS, Decision, analyse
from closure_app.ooxml.styles import StyleSheet, RunFormat, w
from closure_app.fonts.styles import family_verdict, style_of
from closure_app.profile import MM_PT, Profile, RoleStyle

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
TWIPS_PER_MM = 20 * MM_PT
PAGE_SIZE_TOLERANCE_MM = 1.0
FORM_MARKERS = ("填表说明", "结项申请书")
SIZE_TOLERANCE_PT = 0.25


def _runs(p: Para) -> list[tuple[str, RunFormat]]:
    return [(r.text, r.fmt) for r in p.runs if r.text]


def decision_role(d: Decision) -> Role | None:
    """The profile role a paragraph is judged by, from what the document structure says it is."""
    if d.role == "heading":
        styled = d.how.startswith(("样式", "大纲级别"))
        return Role(f"h{d.level}", "样式" if styled else "编号", d.certain or styled)
    if d.role in ("abstract", "keywords"):
        text = d.para.text.strip()
        label = ABSTRACT if d.role == "abstract" else KEYWORDS
        if label.match(text) and not label.sub("", text, 1).strip():
            return None                      # 摘要： alone on its line: a lead-in, not body text
        return Role("body", "正文")
    names = {"title": "title", "author": "author", "toc": "toc", "toc_title": "toc_title",
             "body": "body", "reference": "reference", "caption": "caption"}
    if d.role in names:
        return Role(names[d.role], d.how or "正文")
    return None


def report_roles(doc: DocxDocument) -> list[tuple[Para, Role]]:
    """Every inked paragraph with its role: the main story by its structure, table text as
    table, notes as footnotes."""
    out: list[tuple[Para, Role]] = []
    decided = {id(d.para): d for d in analyse(doc)}
    captions = {id(c) for c in (b.caption_row() for b in doc.blocks if isinstance(b, Table)) if c is not None}
    for p in doc.story():
        if not p.text.strip():
            continue
        if id(p) in captions:                  # a caption repeated with the header rows
            out.append((p, Role("caption", "题注（表格首行）")))
            continue
        if p.where == "table":
            out.append((p, Role("table", "表格")))
            continue
        d = decided.get(id(p))
        role = decision_role(d) if d is not None else None
        if role is not None:
            out.append((p, role))
    for notes in (doc.footnotes, doc.endnotes):
        for paras in notes.values():
            out += [(p, Role("footnote", "脚注")) for p in paras if p.text.strip()]
    return out


def _family_found(sheet: StyleSheet, fmt: RunFormat) -> str:
    family = sheet.family(fmt.font) or "未设置"
    if fmt.font.theme:
        return f"{family}（主题字体 {fmt.font.theme}，{fmt.font.source}）"
    return f"{family}（{fmt.font.source}）"


LEAD_IN_MAX_CHARS = 8


def _lead_in(text: str) -> int:
    """Characters of a lead-in that ends in a colon (摘要：, 关键词：), leading blanks included;
    0 when the paragraph opens without one."""
    stripped = text.lstrip()
    for k, ch in enumerate(stripped[:LEAD_IN_MAX_CHARS + 1]):
        if ch in "：:":
            return len(text) - len(stripped) + k + 1
    return 0


def check_paragraph(p: Para, role: Role, want: RoleStyle, sheet: StyleSheet) -> list[CheckFinding]:
    """Compare each run of one paragraph with its role; one finding per rule and paragraph."""
    sev = role_severity(want, role)
    label = want.label + ("（按编号判断）" if role.how == "编号" else "")
    bad_family, theme_ok, bad_size = [], [], []
    inked = bold_chars = 0
    lead = _lead_in(p.text)       # 摘要： / 关键词： / 注意： set bold: emphasis, not the paragraph's weight
    for text, fmt in _runs(p):
        if lead and fmt.bold:
            skipped = min(lead, len(text))
            lead -= skipped
            text = text[skipped:]
        else:
            lead = 0
        if not text.strip():
            continue
        if CJK.search(text):
            family = sheet.family(fmt.font) or ""
            verdict = family_verdict(family, want.family)
            if verdict != "own":
                found = _family_found(sheet, fmt)
                if verdict == "near":
                    found += f"，{style_of(want.family)}的常见替代字体，不是{want.family}"
                bad_family.append(found)
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
        for text, fmt in _runs(p):
            family = sheet.family(fmt.font) or "未设置"
            if CJK.search(text) and family not in allowed:
                place, count = first.get(family, (p.place, 0))
                first[family] = (place, count + 1)
    return [CheckFinding("unknown-font", f"使用了配置文件未列出的字体 {family}（共 {count} 处）", place,
                         "、".join(profile.families()), family, "warning")
            for family, (place, count) in first.items()]


def check_sections(sections, profile: Profile, page: str) -> list[CheckFinding]:
    geo = profile.page(page)
    out = []
    for n, sect in enumerate(sections, start=1):
        place = f"第 {n} 节"
        sz = sect.find(w("pgSz"))
        if sz is not None and sz.get(w("w"), "").isdigit() and sz.get(w("h"), "").isdigit():
            verdict = judge_page(int(sz.get(w("w"))) / TWIPS_PER_MM, int(sz.get(w("h"))) / TWIPS_PER_MM, geo)
            if not verdict.ok:
                out.append(CheckFinding("page-size", f"纸张应为 {geo.size}", place, verdict.expected, verdict.found))
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


def form_answers(path: Path, doc=None) -> list[CheckFinding]:
    """A filled-in form's missing or invalid answers, read as ``build --form X.docx`` reads them
    (the same reader and the same rules), each placed at its Word cell. ``doc``: the file as
    already read (``read_docx``), not read again."""
    from closure_app.errors import InvalidInput, UserError
    from closure_app.sources.docx_form import load_form_docx

    try:
        loaded = load_form_docx(path, doc)
    except InvalidInput as exc:
        found = exc.findings
    except UserError:
        return []                     # not readable as the form: the typesetting findings stand alone
    else:
        found = loaded.findings
    out = []
    for f in found:
        where = f.place.file.split("（", 1)[1].rstrip("）") if "（" in f.place.file else "表单"
        out.append(CheckFinding("form-answer", f"{f.field + '：' if f.field else ''}{f.message}", where,
                                severity="error" if f.severity == "error" else "warning"))
    return out


def guess_kind(paras: list[Para]) -> str:
    opening_text = "".join(p.text for p in paras[:60])
    return "form" if any(m in opening_text for m in FORM_MARKERS) else "report"


def check_docx(path: Path, profile: Profile, kind: str = "auto") -> tuple[str, list[CheckFinding]]:
    """(the kind judged, the findings). Raises CannotCheck for a file that cannot be read."""
    doc = read_docx(path)
    paras = list(doc.all_paragraphs())
    if kind == "auto":
        kind = guess_kind(list(doc.story()))
    if kind == "form":
        return kind, (check_form_fonts(paras, doc.sheet, profile) + check_sections(doc.sections, profile, "form")
                      + form_answers(path, doc))
    findings: list[CheckFinding] = []
    for p, role in report_roles(doc):
        if role.name in profile.roles:
            findings += check_paragraph(p, role, profile.role(role.name), doc.sheet)
    return kind, findings + check_sections(doc.sections, profile, "report")
