"""The effective format of a DOCX run, resolved through the whole style chain.

Order, most general first: docDefaults -> paragraph style (root of its basedOn chain first) ->
character style (w:rStyle, likewise) -> the run's own w:rPr. Each East-Asian font slot is
decided by the most specific level that sets it; within one w:rFonts a theme attribute
(w:eastAsiaTheme) beats the explicit name, and it resolves through theme1.xml (the ``a:ea``
typeface, or the ``<a:font script="Hans">`` entry when ``a:ea`` is empty). Bold is a toggle
property (ECMA-376 17.7.3): docDefaults sets the base, each style level that says true flips
it, false leaves it; the run's own w:b sets it outright.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"w": W, "a": A}
DEFAULT_SIZE_PT = 10.0   # w:sz absent everywhere: 10 pt (ECMA-376 17.3.2.38)
_FALSE = {"0", "false", "off", "none"}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(frozen=True)
class Font:
    """An East-Asian font setting: a family name, or a theme slot that names one."""
    family: Optional[str]
    theme: Optional[str] = None    # minorEastAsia ... when set through the theme
    source: str = ""               # where it was set: 直接格式 / 样式「Heading 2」 / 文档默认


@dataclass(frozen=True)
class RunFormat:
    font: Font
    size_pt: float
    bold: bool
    italic: bool = False
    vert_align: str = ""          # superscript | subscript | ""
    strike: bool = False          # w:strike or w:dstrike
    highlight: bool = False       # w:highlight (not "none") or a w:shd fill


@dataclass(frozen=True)
class _Layer:
    """What one w:rPr says: None where it is silent."""
    font: Optional[Font]
    size_pt: Optional[float]
    bold: Optional[bool]
    italic: Optional[bool] = None
    vert_align: Optional[str] = None
    strike: Optional[bool] = None
    highlight: Optional[bool] = None


def on_off(el) -> Optional[bool]:
    """An ST_OnOff element: absent -> None, <w:b/> -> True, <w:b w:val="0"/> -> False."""
    if el is None:
        return None
    return el.get(w("val"), "true").lower() not in _FALSE


def read_layer(rpr, source: str) -> _Layer:
    if rpr is None:
        return _Layer(None, None, None)
    font = None
    fonts = rpr.find(w("rFonts"))
    if fonts is not None:
        theme = fonts.get(w("eastAsiaTheme"))
        name = fonts.get(w("eastAsia"))
        if theme or name:
            font = Font(None if theme else name, theme, source)
    size = None
    sz = rpr.find(w("sz"))
    if sz is not None and sz.get(w("val"), "").isdigit():
        size = int(sz.get(w("val"))) / 2
    vert = rpr.find(w("vertAlign"))
    strike = on_off(rpr.find(w("strike")))
    dstrike = on_off(rpr.find(w("dstrike")))
    if strike is None or dstrike:
        strike = dstrike if dstrike is not None else strike
    return _Layer(font, size, on_off(rpr.find(w("b"))), on_off(rpr.find(w("i"))),
                  vert.get(w("val"), "") if vert is not None else None, strike, _highlighted(rpr))


def _highlighted(rpr) -> Optional[bool]:
    hl = rpr.find(w("highlight"))
    if hl is not None:
        return hl.get(w("val"), "none") != "none"
    shd = rpr.find(w("shd"))
    if shd is not None:
        fill = (shd.get(w("fill")) or "auto").lower()
        return fill not in ("auto", "ffffff", "")
    return None


def theme_fonts(theme: Optional[etree._Element]) -> dict[str, str]:
    """{'minorEastAsia': family, 'majorEastAsia': ..., 'minorHAnsi': ...} from theme1.xml."""
    out: dict[str, str] = {}
    if theme is None:
        return out
    for kind in ("major", "minor"):
        scheme = theme.find(f".//a:fontScheme/a:{kind}Font", NS)
        if scheme is None:
            continue
        ea = scheme.find("a:ea", NS)
        hans = scheme.find("a:font[@script='Hans']", NS)
        east = ea.get("typeface") if ea is not None else ""
        if not east and hans is not None:
            east = hans.get("typeface", "")
        latin = scheme.find("a:latin", NS)
        out[f"{kind}EastAsia"] = east
        for slot in ("HAnsi", "Ascii"):
            out[f"{kind}{slot}"] = latin.get("typeface", "") if latin is not None else ""
    return out


@dataclass(frozen=True)
class Style:
    style_id: str
    name: str
    kind: str                  # paragraph | character | table | numbering
    based_on: Optional[str]
    rpr: Optional[etree._Element]
    outline_level: Optional[int]   # 1-based, from w:pPr/w:outlineLvl
    ppr: Optional[etree._Element] = None


class StyleSheet:
    """styles.xml + theme1.xml: resolves the effective format of any run."""

    def __init__(self, styles: Optional[etree._Element], theme: Optional[etree._Element]):
        self.theme = theme_fonts(theme)
        self.styles: dict[str, Style] = {}
        self.default_para: Optional[str] = None
        self.default_char: Optional[str] = None
        self._defaults = _Layer(None, None, None)
        self.chain = lru_cache(maxsize=None)(self._chain)
        self._style_format = lru_cache(maxsize=None)(self._style_format_uncached)
        if styles is None:
            return
        self._defaults = read_layer(styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS), "文档默认格式")
        for el in styles.iterfind("w:style", NS):
            sid = el.get(w("styleId"), "")
            kind = el.get(w("type"), "paragraph")
            name_el = el.find(w("name"))
            based = el.find(w("basedOn"))
            lvl = el.find("w:pPr/w:outlineLvl", NS)
            self.styles[sid] = Style(
                sid, name_el.get(w("val"), sid) if name_el is not None else sid, kind,
                based.get(w("val")) if based is not None else None,
                el.find(w("rPr")),
                _outline(lvl),
                el.find(w("pPr")),
            )
            if el.get(w("default")) in ("1", "true", "on"):
                if kind == "paragraph":
                    self.default_para = sid
                elif kind == "character":
                    self.default_char = sid

    def _chain(self, style_id: Optional[str]) -> tuple[Style, ...]:
        """The style and its basedOn ancestors, root first; cycles and dangling ids stop it."""
        chain: list[Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            st = self.styles[style_id]
            chain.append(st)
            style_id = st.based_on
        return tuple(reversed(chain))

    def paragraph_style(self, style_id: Optional[str]) -> Optional[Style]:
        sid = style_id if style_id in self.styles else self.default_para
        return self.styles.get(sid) if sid else None

    def outline_level(self, style_id: Optional[str]) -> Optional[int]:
        """The nearest outline level set in the paragraph style's chain."""
        st = self.paragraph_style(style_id)
        for s in reversed(self.chain(st.style_id if st else None)):
            if s.outline_level is not None:
                return s.outline_level
        return None

    def _style_format_uncached(self, para_style: Optional[str], char_style: Optional[str]) -> RunFormat:
        p = self.paragraph_style(para_style)
        c = char_style if char_style in self.styles else self.default_char
        levels = [read_layer(s.rpr, f"样式「{s.name}」") for s in self.chain(p.style_id if p else None)]
        levels += [read_layer(s.rpr, f"字符样式「{s.name}」") for s in self.chain(c)]
        d = self._defaults
        font, size, bold, italic = d.font, d.size_pt, bool(d.bold), bool(d.italic)
        vert, strike, highlight = d.vert_align or "", bool(d.strike), bool(d.highlight)
        for lay in levels:
            font = lay.font or font
            size = lay.size_pt if lay.size_pt is not None else size
            if lay.bold:
                bold = not bold
            if lay.italic:
                italic = not italic
            if lay.strike:
                strike = not strike
            vert = lay.vert_align if lay.vert_align is not None else vert
            highlight = lay.highlight if lay.highlight is not None else highlight
        return RunFormat(font or Font(None, None, "未设置"), size or DEFAULT_SIZE_PT, bold, italic,
                         vert, strike, highlight)

    def run_format(self, para_style: Optional[str], rpr: Optional[etree._Element]) -> RunFormat:
        """The effective format of a run in a paragraph of ``para_style`` with its own ``rpr``."""
        char_style = None
        if rpr is not None:
            rs = rpr.find(w("rStyle"))
            char_style = rs.get(w("val")) if rs is not None else None
        base = self._style_format(para_style, char_style)
        own = read_layer(rpr, "直接格式")
        if rpr is None:
            return base
        return RunFormat(
            own.font or base.font,
            own.size_pt if own.size_pt is not None else base.size_pt,
            own.bold if own.bold is not None else base.bold,
            own.italic if own.italic is not None else base.italic,
            own.vert_align if own.vert_align is not None else base.vert_align,
            own.strike if own.strike is not None else base.strike,
            own.highlight if own.highlight is not None else base.highlight,
        )

    def paragraph_property(self, style_id: Optional[str], name: str):
        """The nearest ``w:pPr/w:<name>`` element in the paragraph style's chain (None if unset)."""
        st = self.paragraph_style(style_id)
        for s in reversed(self.chain(st.style_id if st else None)):
            if s.ppr is not None:
                el = s.ppr.find(w(name))
                if el is not None:
                    return el
        return None

    def style_names(self, style_id: Optional[str]) -> tuple[str, ...]:
        """The names of the style and its basedOn ancestors, nearest first."""
        st = self.paragraph_style(style_id)
        return tuple(s.name for s in reversed(self.chain(st.style_id if st else None)))

    def family(self, font: Font) -> Optional[str]:
        """The family a font setting names, theme slots looked up in the theme."""
        if font.theme:
            return self.theme.get(font.theme) or None
        return font.family


def _outline(el) -> Optional[int]:
    """w:outlineLvl is 0-based and 9 means body text; ours are 1-based levels."""
    if el is None:
        return None
    val = el.get(w("val"), "")
    if not val.isdigit() or int(val) >= 9:
        return None
    return int(val) + 1
