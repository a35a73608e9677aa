"""Word styles from the profile: one paragraph style per role, every property explicit.

Each role of ``profile.roles`` becomes a paragraph style based on Normal that names its family
for every script (``w:eastAsia`` included), its size, its weight (on or explicitly off), its
first-line indent in characters, its exact line pitch and its alignment; headings carry their
outline level. Theme-font attributes are removed from the whole styles part, docDefaults
included, so nothing in the chain can override the mandated names.
"""
from __future__ import annotations

import copy
import math
from typing import Optional

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.styles.style import StyleFactory

from ...profile import Profile, RoleStyle, Typesetting
from . import oxml

# Roles that have a built-in Word style: (name Word knows it by, style id).
BUILTIN_STYLES: dict[str, tuple[str, str]] = {
    "title": ("Title", "Title"),
    "h1": ("heading 1", "Heading1"),
    "h2": ("heading 2", "Heading2"),
    "h3": ("heading 3", "Heading3"),
    "h4": ("heading 4", "Heading4"),
    "body": ("Body Text", "BodyText"),
    "footnote": ("footnote text", "FootnoteText"),
    "toc_title": ("TOC Heading", "TOCHeading"),
    "caption": ("caption", "Caption"),        # Word's 题注
}
HEADING_ROLES = ("h1", "h2", "h3", "h4")
TOC_ROLE = "toc"
NOTE_REFERENCE_STYLE = ("footnote reference", "FootnoteReference")
FOOTER_STYLE = ("footer", "Footer")


def grid_pitch(size_pt: float, pitch_pt: float) -> float:
    """The exact line height for a font of ``size_pt`` on a page of ``pitch_pt`` lines: as many
    whole lines as the font needs (a 小初 cover title on a 24 pt form takes two), never fewer
    than one, so big type is never clipped by an exact line height."""
    return pitch_pt * max(1, math.ceil(size_pt / pitch_pt - 1e-9))


def style_id(role: str) -> str:
    """The style id a paragraph of ``role`` names in ``w:pStyle``."""
    return BUILTIN_STYLES.get(role, (role, role))[1]


def toc_style_id(level: int) -> str:
    return f"TOC{level}"


def typesetting_flags(ts: Typesetting) -> list[tuple[str, bool]]:
    """The profile's shared typesetting rules as Word's paragraph switches."""
    return [("kinsoku", ts.kinsoku), ("overflowPunct", ts.hanging_punctuation),
            ("topLinePunct", ts.compress_punctuation),
            ("autoSpaceDE", ts.cjk_latin_space), ("autoSpaceDN", ts.cjk_latin_space)]


def install_styles(document, profile: Profile, page: str, captions: bool = True) -> None:
    """Define every role's style in ``document`` (python-docx Document) for page geometry ``page``;
    the caption role's only when ``captions`` (a document with no caption leaves it out).

    Normal (正文) carries the body's formatting and the shared typesetting switches, so a
    paragraph typed or pasted into the file is set like the body; every other style is based
    on it and states its own font, size, indent, pitch and alignment."""
    styles = _StyleIndex(document.styles.element)
    oxml.strip_theme_fonts(styles.element)
    for colour in list(styles.element.iter(qn("w:color"))):   # the template's blue headings
        colour.getparent().remove(colour)
    flags = typesetting_flags(profile.typesetting)
    body = profile.role("body")
    _set_doc_defaults(styles.element, body, flags)
    _define(styles, "Normal", "Normal", WD_STYLE_TYPE.PARAGRAPH, based_on=None,
            ppr=_role_ppr("body", body, profile.line_pitch("body", page), flags=flags),
            rpr=_role_rpr(body))
    for name, role in profile.roles.items():
        if name == "caption" and not captions:
            continue
        style_name, sid = BUILTIN_STYLES.get(name, (role.label, name))
        _define(styles, style_name, sid, WD_STYLE_TYPE.PARAGRAPH, builtin=name in BUILTIN_STYLES,
                ppr=_role_ppr(name, role, profile.line_pitch(name, page)),
                rpr=_role_rpr(role), next_style=style_id("body") if name in HEADING_ROLES else None,
                linked=name in BUILTIN_STYLES)
    # The TOC entries as Word sets them: the text wraps inside a right indent, the page number
    # stands in that indent at a right tab on the margin (past the indent, as Word allows), a
    # wrapped line hangs under the text. The PDF sets each entry on as many lines (render/pdf).
    toc = profile.role(TOC_ROLE)
    right_tab = oxml.twips(profile.page(page).text_width_pt)
    for level in (1, 2, 3):
        left = (level - 1) * toc.level_indent_chars + toc.hanging_chars
        _define(styles, f"toc {level}", toc_style_id(level), WD_STYLE_TYPE.PARAGRAPH,
                ppr=oxml.ppr(tabs=[("right", "dot", right_tab)],
                             line_twips=oxml.twips(profile.line_pitch(TOC_ROLE, page)),
                             before_twips=0, after_twips=0,
                             left_chars=left, left_twips=oxml.twips(left * toc.size_pt),
                             right_chars=toc.right_chars,
                             right_twips=oxml.twips(toc.right_chars * toc.size_pt),
                             hanging_chars=toc.hanging_chars,
                             hanging_twips=oxml.twips(toc.hanging_chars * toc.size_pt),
                             align="left"),
                rpr=_role_rpr(toc), next_style="Normal")
    _define(styles, *NOTE_REFERENCE_STYLE, WD_STYLE_TYPE.CHARACTER,
            ppr=None, rpr=oxml.rpr(vert_align="superscript"))
    number = profile.page_number
    _define(styles, *FOOTER_STYLE, WD_STYLE_TYPE.PARAGRAPH,
            ppr=oxml.ppr(line_twips=oxml.twips(number.size_pt), before_twips=0, after_twips=0,
                         first_line_chars=0),
            rpr=oxml.rpr(family=number.family, bold=False, half_points=round(number.size_pt * 2),
                         lang_zh=True))


def _role_rpr(role: RoleStyle):
    return oxml.rpr(family=role.family, bold=role.bold, italic=False,
                    half_points=role.half_points, lang_zh=True)


def _role_ppr(name: str, role: RoleStyle, pitch_pt: float, flags=()):
    # A note too long for its page continues on the next at any line, as the PDF sets it
    # (pdf/notes.py): no keep-together and no widow control in the footnote style.
    return oxml.ppr(keep_next=name in HEADING_ROLES,
                    page_break_before=role.page_break_before,
                    widow_control=name != "footnote", flags=flags,
                    line_twips=oxml.twips(grid_pitch(role.size_pt, pitch_pt)), before_twips=0, after_twips=0,
                    first_line_chars=role.first_line_chars,
                    first_line_twips=oxml.twips(role.first_line_chars * role.size_pt),
                    align=role.align, outline_level=role.outline_level)


def _set_doc_defaults(styles_el, body: RoleStyle, flags) -> None:
    defaults = styles_el.find(qn("w:docDefaults"))
    _replace(defaults.find(qn("w:rPrDefault")), "w:rPr",
             oxml.rpr(family=body.family, half_points=body.half_points, lang_zh=True))
    _replace(defaults.find(qn("w:pPrDefault")), "w:pPr",
             oxml.ppr(widow_control=True, flags=flags, before_twips=0, after_twips=0))


def _replace(parent, tag: str, new) -> None:
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    if new is not None:
        parent.append(new)


class _StyleIndex:
    """The styles part's styles by name, looked up in a dict (python-docx's ``Styles`` reads
    every style's name for each lookup and each added style: the template has ~160)."""

    def __init__(self, element):
        self.element = element
        self._by_name = {}
        for el in element.findall(qn("w:style")):
            name = el.find(qn("w:name"))
            if name is not None:
                self._by_name.setdefault(name.get(qn("w:val")), el)

    def get(self, name: str):
        """The style named ``name`` (as Word shows it), or None."""
        el = self._by_name.get(BabelFish.ui2internal(name))
        return None if el is None else StyleFactory(el)

    def add_style(self, name: str, kind, builtin: bool):
        internal = BabelFish.ui2internal(name)
        if internal in self._by_name:
            raise ValueError(f"document already contains style {name!r}")
        el = self.element.add_style_of_type(internal, kind, builtin)
        self._by_name[internal] = el
        return StyleFactory(el)

    def remove(self, el) -> None:
        self.element.remove(el)
        name = el.find(qn("w:name"))
        if name is not None and self._by_name.get(name.get(qn("w:val"))) is el:
            del self._by_name[name.get(qn("w:val"))]


def _define(styles: _StyleIndex, name: str, sid: str, kind, *, ppr, rpr, builtin: bool = True,
            based_on: Optional[str] = "Normal", next_style: Optional[str] = None,
            linked: bool = False) -> None:
    """Create or take over style ``name``: based on ``based_on`` (paragraphs), followed by
    ``next_style``, and exactly the given properties. ``linked``: with a linked character
    style ("Heading 1 Char") of the same run properties, as Word pairs them."""
    style = styles.get(name) or styles.add_style(name, kind, builtin=builtin)
    style.style_id = sid
    el = style.element
    for tag in ("w:basedOn", "w:next", "w:link", "w:pPr", "w:rPr"):
        _replace(el, tag, None)
    anchor = el.find(qn("w:name"))
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        for tag, value in (("basedOn", based_on), ("next", next_style),
                           ("link", f"{sid}Char" if linked else None)):
            if value:
                anchor.addnext(oxml.w(tag, val=value))
                anchor = anchor.getnext()
    style.quick_style = True
    if ppr is not None:
        el.append(ppr)
    el.append(rpr)
    if linked:
        _linked_character_style(styles, name, sid, rpr)


def _linked_character_style(styles: _StyleIndex, name: str, sid: str, rpr) -> None:
    """The character style Word shows when a paragraph style is applied to part of a
    paragraph: the template's (blue, 14 pt) replaced by the paragraph style's run properties."""
    char_name = f"{name.title() if name.islower() else name} Char"
    for old in list(styles.element.findall(qn("w:style"))):
        if old.get(qn("w:styleId")) == f"{sid}Char":
            styles.remove(old)
    style = styles.add_style(char_name, WD_STYLE_TYPE.CHARACTER, builtin=False)
    style.style_id = f"{sid}Char"
    el = style.element
    el.find(qn("w:name")).addnext(oxml.w("link", val=sid))
    el.find(qn("w:name")).addnext(oxml.w("basedOn", val="DefaultParagraphFont"))
    el.append(copy.deepcopy(rpr))
