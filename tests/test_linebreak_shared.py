"""The line-breaking rules the PDF shares with Word and LibreOffice (profile.typesetting): which
closers stay at a full line's end, dashes at a line's start, and no hanging when the profile
turns hanging punctuation off."""
from test_linebreak import EM, items_of, lines_text

from closure_app.profile import load_profile
from closure_app.render.pdf.linebreak import CLOSERS, HANGING, UNSPLIT, break_lines


def test_a_hanging_mark_stays_on_a_full_line():
    # 4.5 em: "一二三四，" is 5 em; the comma hangs in Word, here the line is tightened.
    assert "，" in HANGING
    assert lines_text("一二三四，五六", 4.5) == ["一二三四，", "五六"]


def test_a_closing_quote_or_bracket_takes_the_character_before_it_down():
    # Word and LibreOffice hang only ，。、；：！？．: before ” or ） the 四 goes down too,
    # though squeezing the line's marks would have made room.
    for closer in "”）》":
        assert closer in CLOSERS and closer not in HANGING
        assert lines_text(f"一“二”三四{closer}五", 6.2) == ["一“二”三", f"四{closer}五"], closer


def test_without_hanging_punctuation_nothing_hangs():
    items = items_of("一二三四，五六")
    lines = break_lines(items, 4.5 * EM, squeeze=False)
    assert [(ln.start, ln.end) for ln in lines] == [(0, 3), (3, 7)]


def test_a_dash_may_begin_a_line_but_is_never_split():
    assert "—" in UNSPLIT and "—" not in CLOSERS
    assert lines_text("一二三四——五", 4) == ["一二三四", "——五"]
    assert lines_text("一二三——四五", 4) == ["一二三", "——四五"]   # not 一二三— / —四五


def test_the_profile_says_it_once_for_both_back_ends():
    ts = load_profile().typesetting
    assert (ts.cjk_latin_space, ts.kinsoku, ts.hanging_punctuation, ts.compress_punctuation) == \
        (False, True, True, False)


def test_a_switch_only_word_would_obey_is_refused():
    import pytest

    from closure_app.profile import ProfileError, Typesetting
    for bad in ({"cjk_latin_space": True}, {"kinsoku": False}, {"compress_punctuation": True}):
        with pytest.raises(ProfileError, match="PDF 排版尚不支持"):
            Typesetting(**bad)
    assert Typesetting(hanging_punctuation=False).hanging_punctuation is False


def test_a_hyphen_stays_with_what_comes_before_it():
    assert "-" in CLOSERS
    assert lines_text("一二三-四五", 3) == ["一二", "三-四", "五"]   # not 一二三 / -四五
