"""Package parts python-docx copies from its template that must speak for this file:
docProps/app.xml (the application that wrote it) and word/fontTable.xml (the fonts it uses,
with their other names, so Word on a machine without them knows what to substitute)."""
from __future__ import annotations

from ... import __version__
from ...fonts.styles import FAMILY_ALIASES, style_of
from ...profile import Profile

APPLICATION = "closure-app"
# Word's w:family per style of type: serif faces "roman", sans "swiss", script-like "script".
FONT_FAMILY_CLASS = {"宋体": "roman", "小标宋": "roman", "仿宋": "modern", "楷体": "script", "黑体": "swiss"}
GB_CHARSET = "86"      # GB2312 / GBK


def escape(text: str) -> str:
    """Text for an XML attribute or element (xml.sax.saxutils would load urllib, http and ssl)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def app_xml() -> bytes:
    """Extended properties: this tool and its version, nothing counted that was not counted."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{APPLICATION} {escape(__version__)}</Application>"
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>").encode("utf-8")


def font_table_xml(profile: Profile) -> bytes:
    """Every family the profile names, with its English name as w:altName (FZFangSong-Z02 for
    方正仿宋_GBK), the GB character set and its style class; Times New Roman for Latin
    fallbacks Word may reach for."""
    fonts = []
    for family in profile.families():
        alt = FAMILY_ALIASES.get(family, ())
        alt_el = f'<w:altName w:val="{escape(alt[0])}"/>' if alt else ""
        cls = FONT_FAMILY_CLASS.get(style_of(family) or "", "auto")
        fonts.append(f'<w:font w:name="{escape(family)}">{alt_el}<w:charset w:val="{GB_CHARSET}"/>'
                     f'<w:family w:val="{cls}"/><w:pitch w:val="variable"/></w:font>')
    fonts.append('<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/>'
                 '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            + "".join(fonts) + "</w:fonts>").encode("utf-8")
