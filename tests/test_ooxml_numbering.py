"""ooxml/numbering.py: the number text Word shows for automatic numbering (numbering.xml).

Each case states what Word displays for the list definition given; the list XML is written
here, so a reader that ignores ``w:lvlText``, ``w:start``, restarts or overrides fails.
"""
from __future__ import annotations

import pytest
from lxml import etree

from closure_app.ooxml.numbering import Numbering, chinese_counting, format_number, letters, roman
from word_fixtures import NSDECL, _lvl, numbering_xml


@pytest.mark.parametrize("fmt, n, shown", [
    ("decimal", 7, "7"),
    ("decimal", 12, "12"),
    ("chineseCounting", 1, "一"),
    ("chineseCounting", 10, "十"),
    ("chineseCounting", 11, "十一"),
    ("chineseCounting", 20, "二十"),
    ("chineseCounting", 23, "二十三"),
    ("chineseCounting", 101, "一百零一"),
    ("chineseCounting", 110, "一百一十"),
    ("chineseCountingThousand", 3, "三"),
    ("chineseCountingThousand", 15, "十五"),
    ("chineseCountingThousand", 1005, "一千零五"),
    ("ideographTraditional", 1, "甲"),
    ("ideographTraditional", 4, "丁"),
    ("ideographTraditional", 10, "癸"),
    ("decimalEnclosedCircle", 1, "①"),
    ("decimalEnclosedCircle", 10, "⑩"),
    ("decimalEnclosedCircle", 20, "⑳"),
    ("upperLetter", 1, "A"),
    ("upperLetter", 26, "Z"),
    ("upperLetter", 27, "AA"),
    ("lowerLetter", 3, "c"),
    ("lowerLetter", 28, "bb"),
    ("upperRoman", 4, "IV"),
    ("upperRoman", 14, "XIV"),
    ("upperRoman", 1994, "MCMXCIV"),
    ("lowerRoman", 9, "ix"),
    ("lowerRoman", 40, "xl"),
])
def test_each_number_format_as_word_shows_it(fmt, n, shown):
    assert format_number(n, fmt) == shown


def test_helpers_agree_with_format_number():
    assert chinese_counting(99) == "九十九"
    assert roman(3999) == "MMMCMXCIX"
    assert letters(52) == "ZZ"


def numbering(levels: dict[int, list[str]], nums: dict[int, tuple[int, str]]) -> Numbering:
    return Numbering(etree.fromstring(numbering_xml(levels, nums)))


def shown(n: Numbering, seq: list[tuple[int, int]]) -> list[str]:
    """The labels of paragraphs numbered (numId, ilvl) in document order."""
    return [n.next_label(str(num), ilvl).text for num, ilvl in seq]


CHINESE_REPORT = [_lvl(0, "chineseCounting", "%1、"), _lvl(1, "chineseCounting", "（%2）"),
                  _lvl(2, "decimal", "%3."), _lvl(3, "decimal", "（%4）")]


def test_chinese_report_levels_count_and_restart_under_their_parent():
    n = numbering({1: CHINESE_REPORT}, {1: (1, "")})
    seq = [(1, 0), (1, 1), (1, 2), (1, 2), (1, 3), (1, 1), (1, 2), (1, 0), (1, 1), (1, 2)]
    assert shown(n, seq) == ["一、", "（一）", "1.", "2.", "（1）", "（二）", "1.", "二、", "（一）", "1."]


def test_multilevel_decimal_text_names_each_level():
    n = numbering({1: [_lvl(0, "decimal", "%1"), _lvl(1, "decimal", "%1.%2"), _lvl(2, "decimal", "%1.%2.%3")]},
                  {1: (1, "")})
    seq = [(1, 0), (1, 1), (1, 1), (1, 2), (1, 0), (1, 1), (1, 2), (1, 2)]
    assert shown(n, seq) == ["1", "1.1", "1.2", "1.2.1", "2", "2.1", "2.1.1", "2.1.2"]


def test_chapter_level_in_chinese_shows_in_chinese_in_the_section_number_without_islgl():
    levels = [_lvl(0, "chineseCounting", "第%1章"), _lvl(1, "decimal", "%1.%2")]
    n = numbering({1: levels}, {1: (1, "")})
    assert shown(n, [(1, 0), (1, 1)]) == ["第一章", "一.1"]


def test_islgl_shows_every_level_in_arabic_figures():
    levels = [_lvl(0, "chineseCounting", "第%1章"), _lvl(1, "decimal", "%1.%2", legal=True)]
    n = numbering({1: levels}, {1: (1, "")})
    assert shown(n, [(1, 0), (1, 1), (1, 1), (1, 0), (1, 1)]) == ["第一章", "1.1", "1.2", "第二章", "2.1"]


def test_start_value_is_where_a_level_begins_and_begins_again():
    levels = [_lvl(0, "decimal", "%1.", start=3), _lvl(1, "lowerLetter", "%2)", start=2)]
    n = numbering({1: levels}, {1: (1, "")})
    assert shown(n, [(1, 0), (1, 1), (1, 1), (1, 0), (1, 1)]) == ["3.", "b)", "c)", "4.", "b)"]


def test_lvlrestart_zero_never_restarts_and_a_number_restarts_after_that_level_only():
    levels = [_lvl(0, "decimal", "%1."), _lvl(1, "decimal", "%2)"),
              _lvl(2, "decimal", "(%3)", restart=0), _lvl(3, "decimal", "[%4]", restart=1)]
    n = numbering({1: levels}, {1: (1, "")})
    seq = [(1, 0), (1, 2), (1, 3), (1, 1), (1, 2), (1, 3), (1, 0), (1, 2), (1, 3)]
    # (%3) never restarts; [%4] restarts only after level 1 (ilvl 0), not after %2)
    assert shown(n, seq) == ["1.", "(1)", "[1]", "1)", "(2)", "[2]", "2.", "(3)", "[1]"]


def test_two_instances_of_one_list_continue_each_other():
    n = numbering({1: [_lvl(0, "decimal", "%1.")]}, {1: (1, ""), 2: (1, "")})
    assert shown(n, [(1, 0), (1, 0), (2, 0), (2, 0)]) == ["1.", "2.", "3.", "4."]


def test_start_override_restarts_an_instance():
    restart = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    n = numbering({1: [_lvl(0, "decimal", "%1.")]}, {1: (1, ""), 2: (1, restart)})
    assert shown(n, [(1, 0), (1, 0), (1, 0), (2, 0), (2, 0)]) == ["1.", "2.", "3.", "1.", "2."]


def test_start_override_may_start_anywhere():
    n = numbering({1: [_lvl(0, "decimal", "%1、")]},
                  {1: (1, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>')})
    assert shown(n, [(1, 0), (1, 0)]) == ["5、", "6、"]


def test_a_level_override_replaces_the_level_for_that_instance_only():
    over = ('<w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:lvlOverride>')
    n = numbering({1: [_lvl(0, "decimal", "%1.")], 2: [_lvl(0, "decimal", "%1.")]},
                  {1: (1, over), 2: (2, "")})
    assert shown(n, [(1, 0), (1, 0), (2, 0)]) == ["I.", "II.", "1."]


def test_suffix_bullet_and_numbering_switched_off():
    levels = [_lvl(0, "decimal", "%1.", suff="space"), _lvl(1, "bullet", "•")]
    n = numbering({1: levels}, {1: (1, "")})
    first = n.next_label("1", 0)
    assert (first.text, first.suffix, first.bullet) == ("1.", " ", False)
    bullet = n.next_label("1", 1)
    assert (bullet.text, bullet.bullet) == ("•", True)
    assert n.next_label("0", 0) is None            # numId 0: numbering removed from the paragraph
    assert n.next_label("42", 0) is None           # an id numbering.xml does not define


def test_default_suffix_is_a_tab_and_nothing_means_nothing():
    n = numbering({1: [_lvl(0, "chineseCounting", "%1、"), _lvl(1, "chineseCounting", "（%2）", suff="nothing")]},
                  {1: (1, "")})
    assert n.next_label("1", 0).suffix == "\t"
    assert n.next_label("1", 1).suffix == ""


def test_a_style_linked_level_is_found_from_the_style():
    levels = [_lvl(0, "chineseCounting", "%1、", style="H1"), _lvl(1, "chineseCounting", "（%2）", style="H2")]
    n = numbering({1: levels}, {7: (1, "")})
    assert n.ilvl_for_style("7", "H2") == 1
    assert n.ilvl_for_style("7", "Other") == 0


def test_an_empty_numbering_part_numbers_nothing():
    n = Numbering(etree.fromstring(f"<w:numbering {NSDECL}/>"))
    assert n.next_label("1", 0) is None
    assert Numbering(None).next_label("1", 0) is None
