"""What a mandated family is, in font terms: its other names and its near-equivalents.

The profile names fonts the way Word shows them (方正仿宋_GBK). The same font carries other
names inside its file (FZFangSong-Z02, FZFSK--GBK1-0); any of them is the licensed font.
Failing that, a font people commonly have in the same style stands in (Windows FangSong,
macOS STFangsong); failing that, the shipped substitute for the style.
"""
from __future__ import annotations

from typing import Optional

# Other names of the Founder families the profile uses (English family, PostScript name).
FAMILY_ALIASES: dict[str, tuple[str, ...]] = {
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "FZXBSJW--GB1-0"),
    "方正小标宋_GBK": ("FZXiaoBiaoSong-B05", "FZXBSK--GBK1-0"),
    "方正黑体_GBK": ("FZHei-B01", "FZHTK--GBK1-0"),
    "方正楷体_GBK": ("FZKai-Z03", "FZKTK--GBK1-0"),
    "方正仿宋_GBK": ("FZFangSong-Z02", "FZFSK--GBK1-0"),
    "宋体": ("SimSun",),
}

# Founder ships each design in editions for different character sets: the GBK edition
# (方正仿宋_GBK), the GB2312 one (方正仿宋简体). They are one design: a file of either edition,
# under any of its Chinese, English or PostScript names, is the mandated family.
FOUNDER_EDITIONS: tuple[tuple[str, ...], ...] = (
    ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "FZXBSJW--GB1-0",
     "方正小标宋_GBK", "FZXiaoBiaoSong-B05", "FZXBSK--GBK1-0"),
    ("方正黑体_GBK", "FZHei-B01", "FZHTK--GBK1-0", "方正黑体简体", "FZHei-B01S", "FZHTJW--GB1-0"),
    ("方正楷体_GBK", "FZKai-Z03", "FZKTK--GBK1-0", "方正楷体简体", "FZKai-Z03S", "FZKTJW--GB1-0"),
    ("方正仿宋_GBK", "FZFangSong-Z02", "FZFSK--GBK1-0", "方正仿宋简体", "FZFangSong-Z02S", "FZFSJW--GB1-0"),
)

# Style of a family, recognised from its name: (style, words that mark it), most specific first.
STYLE_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("小标宋", ("小标宋", "xiaobiaosong")),
    ("仿宋", ("仿宋", "fangsong")),
    ("楷体", ("楷", "kai")),
    ("黑体", ("黑", "hei")),
    ("宋体", ("宋", "song", "ming")),
)

# Fonts that commonly stand in for each style on Windows, macOS and Linux desktops, best first.
NEAR_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "小标宋": ("方正小标宋_GBK", "方正小标宋简体", "FZXiaoBiaoSong-B05", "FZXiaoBiaoSong-B05S",
               "华文中宋", "STZhongsong"),
    "仿宋": ("方正仿宋简体", "FZFangSong-Z02S", "仿宋", "FangSong", "仿宋_GB2312", "FangSong_GB2312",
             "华文仿宋", "STFangsong"),
    "楷体": ("方正楷体简体", "FZKai-Z03S", "楷体", "KaiTi", "楷体_GB2312", "KaiTi_GB2312",
             "Kaiti SC", "STKaiti", "华文楷体"),
    "黑体": ("方正黑体简体", "FZHei-B01S", "黑体", "SimHei", "Heiti SC", "STHeiti", "华文黑体"),
    "宋体": ("SimSun", "宋体", "Songti SC", "STSong", "华文宋体", "NSimSun"),
}


def style_of(family: str) -> Optional[str]:
    """'方正仿宋_GBK' -> '仿宋'; None for a family whose name does not say its style."""
    folded = family.casefold()
    for style, markers in STYLE_MARKERS:
        if any(m in folded for m in markers):
            return style
    return None


def exact_names(family: str) -> tuple[str, ...]:
    """The names a file of the mandated family itself may carry."""
    return (family, *FAMILY_ALIASES.get(family, ()))


def edition_names(family: str) -> tuple[str, ...]:
    """The names of every Founder edition of the family's design ('方正小标宋简体' ->
    ..., '方正小标宋_GBK', 'FZXBSK--GBK1-0'), the family's own names first."""
    own = exact_names(family)
    for group in FOUNDER_EDITIONS:
        if family in group:
            return own + tuple(n for n in group if n not in own)
    return own


def equivalent_names(family: str) -> tuple[str, ...]:
    """Near-equivalent family names for the family's style, the family's own names excluded."""
    own = set(exact_names(family))
    return tuple(n for n in NEAR_EQUIVALENTS.get(style_of(family) or "", ()) if n not in own)


def _starts(name: str, candidates) -> bool:
    from closure_app.fonts.names import normalize
    n = normalize(name)
    return any(c and n.startswith(normalize(c)) for c in candidates)


def family_verdict(font_name: str, family: str) -> Optional[str]:
    """What a font (as a DOCX names it, or a PDF's BaseFont without its subset prefix) is to a
    mandated family: "own" (the family under any of its names, or another Founder edition of
    its design: 方正小标宋_GBK, FZXBSK--GBK1-0 for 方正小标宋简体), "near" (a font people have
    in the same style: FangSong, KaiTi, SimHei, STFangsong — an error where Founder is
    mandated), or None. The DOCX and the PDF check judge a family by this one rule."""
    if _starts(font_name, edition_names(family)):
        return "own"
    if _starts(font_name, equivalent_names(family)):
        return "near"
    return None
