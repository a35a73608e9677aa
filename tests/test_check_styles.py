"""The effective East-Asian font, size and weight of a run, through the whole style chain."""
from lxml import etree

from closure_app.ooxml.styles import StyleSheet, theme_fonts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def styles(defaults: str = "", *style_xml: str):
    return etree.fromstring(
        f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr>{defaults}</w:rPr></w:rPrDefault>'
        f'</w:docDefaults>{"".join(style_xml)}</w:styles>')


def style(sid: str, rpr: str = "", based_on: str = "", kind: str = "paragraph", default: bool = False,
          ppr: str = "") -> str:
    base = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    d = ' w:default="1"' if default else ""
    return (f'<w:style w:type="{kind}" w:styleId="{sid}"{d}><w:name w:val="{sid}"/>{base}'
            f'<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


def rpr(xml: str):
    return etree.fromstring(f'<w:rPr xmlns:w="{W}">{xml}</w:rPr>')


def theme(ea: str, hans: str = ""):
    hans_xml = f'<a:font script="Hans" typeface="{hans}"/>' if hans else ""
    return etree.fromstring(
        f'<a:theme xmlns:a="{A}"><a:themeElements><a:fontScheme>'
        f'<a:majorFont><a:latin typeface="Cambria"/><a:ea typeface=""/><a:font script="Hans" typeface="黑体"/></a:majorFont>'
        f'<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface="{ea}"/>{hans_xml}</a:minorFont>'
        f'</a:fontScheme></a:themeElements></a:theme>')


FS = '<w:rFonts w:eastAsia="方正仿宋_GBK"/>'
KAI = '<w:rFonts w:eastAsia="方正楷体_GBK"/>'


def test_defaults_then_paragraph_style_chain_then_direct_formatting():
    sheet = StyleSheet(styles(FS + '<w:sz w:val="21"/>',
                              style("Normal", '<w:sz w:val="32"/>', default=True),
                              style("H2", KAI, based_on="Normal")), None)
    fmt = sheet.run_format("H2", None)
    assert (sheet.family(fmt.font), fmt.size_pt) == ("方正楷体_GBK", 16)
    assert "H2" in fmt.font.source
    assert sheet.family(sheet.run_format("Normal", None).font) == "方正仿宋_GBK"
    direct = sheet.run_format("H2", rpr('<w:rFonts w:eastAsia="方正黑体_GBK"/><w:sz w:val="30"/>'))
    assert (sheet.family(direct.font), direct.size_pt, direct.font.source) == ("方正黑体_GBK", 15, "直接格式")


def test_unknown_or_missing_paragraph_style_falls_back_to_the_default_style():
    sheet = StyleSheet(styles("", style("Normal", FS + '<w:sz w:val="32"/>', default=True)), None)
    assert sheet.run_format("NoSuchStyle", None).size_pt == 16
    assert sheet.family(sheet.run_format(None, None).font) == "方正仿宋_GBK"


def test_character_style_sits_between_paragraph_style_and_run():
    sheet = StyleSheet(styles(FS, style("Normal", default=True),
                              style("Strong", KAI, kind="character")), None)
    fmt = sheet.run_format("Normal", rpr('<w:rStyle w:val="Strong"/>'))
    assert sheet.family(fmt.font) == "方正楷体_GBK"


def test_theme_attribute_beats_the_name_beside_it_and_resolves_through_the_theme():
    both = '<w:rFonts w:eastAsia="方正仿宋_GBK" w:eastAsiaTheme="minorEastAsia"/>'
    sheet = StyleSheet(styles(both, style("Normal", default=True)), theme(ea="", hans="宋体"))
    fmt = sheet.run_format("Normal", None)
    assert fmt.font.theme == "minorEastAsia"
    assert sheet.family(fmt.font) == "宋体"          # the Hans entry, as a:ea is empty


def test_theme_ea_typeface_wins_over_the_script_entry_when_set():
    assert theme_fonts(theme(ea="等线", hans="宋体"))["minorEastAsia"] == "等线"
    assert theme_fonts(theme(ea=""))["majorEastAsia"] == "黑体"


def test_a_more_specific_explicit_name_overrides_an_inherited_theme_font():
    sheet = StyleSheet(styles('<w:rFonts w:eastAsiaTheme="minorEastAsia"/>', style("Normal", FS, default=True)),
                       theme(ea="", hans="宋体"))
    fmt = sheet.run_format("Normal", None)
    assert (fmt.font.theme, sheet.family(fmt.font)) == (None, "方正仿宋_GBK")


def test_bold_toggles_through_the_style_hierarchy():
    sheet = StyleSheet(styles("", style("Normal", default=True),
                              style("H1", "<w:b/>", based_on="Normal"),
                              style("H1b", "<w:b/>", based_on="H1"),
                              style("H1off", '<w:b w:val="0"/>', based_on="H1"),
                              style("Strong", "<w:b/>", kind="character")), None)
    assert sheet.run_format("H1", None).bold is True
    assert sheet.run_format("H1b", None).bold is False           # true twice: toggled back
    assert sheet.run_format("H1off", None).bold is True          # false in a style changes nothing
    assert sheet.run_format("H1", rpr('<w:rStyle w:val="Strong"/>')).bold is False
    assert sheet.run_format("H1b", rpr("<w:b/>")).bold is True   # direct formatting sets
    assert sheet.run_format("H1", rpr('<w:b w:val="false"/>')).bold is False


def test_bold_in_doc_defaults_is_the_base_the_styles_toggle():
    sheet = StyleSheet(styles("<w:b/>", style("Normal", default=True), style("H", "<w:b/>", based_on="Normal")), None)
    assert sheet.run_format("Normal", None).bold is True
    assert sheet.run_format("H", None).bold is False


def test_size_defaults_to_ten_points_and_based_on_cycles_stop():
    sheet = StyleSheet(styles("", style("A", based_on="B"), style("B", based_on="A")), None)
    assert sheet.run_format("A", None).size_pt == 10
    assert [s.style_id for s in sheet.chain("A")] == ["B", "A"]


def test_outline_level_comes_from_the_style_chain():
    sheet = StyleSheet(styles("", style("Normal", default=True),
                              style("Lvl", ppr='<w:outlineLvl w:val="1"/>', based_on="Normal"),
                              style("Child", based_on="Lvl"),
                              style("Body", ppr='<w:outlineLvl w:val="9"/>')), None)
    assert sheet.outline_level("Child") == 2
    assert sheet.outline_level("Normal") is None
    assert sheet.outline_level("Body") is None


def test_no_styles_part_at_all():
    sheet = StyleSheet(None, None)
    fmt = sheet.run_format(None, rpr('<w:sz w:val="32"/>'))
    assert fmt.size_pt == 16 and sheet.family(fmt.font) is None
