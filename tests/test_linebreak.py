"""Chinese line breaking (禁则), Latin words, URLs and justification, on fixed-width items."""
from hypothesis import given, settings, strategies as st

from closure_app.render.pdf.linebreak import (
    CLOSERS, HANGING, OPENERS, SQUEEZABLE, Item, allowed_breaks, break_lines, may_break_between, tokenize,
)

EM = 10.0


def items_of(text: str, em: float = EM) -> list[Item]:
    """Every token one em per character (Latin half an em), as a monospaced font would."""
    return [Item(t, sum(em if not c.isascii() else em / 2 for c in t)) for t in tokenize(text)]


def lines_text(text: str, chars: float, first_chars=None, squeeze: bool = True) -> list[str]:
    items = items_of(text)
    first = None if first_chars is None else first_chars * EM
    return ["".join(it.text for it in items[ln.start:ln.end])
            for ln in break_lines(items, chars * EM, first, squeeze=squeeze)]


def test_fills_lines_and_justifies_all_but_the_last():
    items = items_of("一二三四五六七八九十")
    lines = break_lines(items, 4 * EM)
    assert [(ln.start, ln.end) for ln in lines] == [(0, 4), (4, 8), (8, 10)]
    assert [ln.justify for ln in lines] == [True, True, False]
    assert lines[-1].slack == 2 * EM


def test_closer_pulls_the_previous_character_down():
    assert lines_text("一二三四”五六", 4) == ["一二三", "四”五六"]          # ” never hangs
    assert lines_text("一二三四，五六", 4, squeeze=False) == ["一二三", "四，五六"]


def test_a_hanging_mark_stays_on_the_line_and_tightens_it():
    # "一二三四，" is 5 em on a line of 4: the comma hangs (Word, LibreOffice), the PDF keeps it
    # inside the measure by a negative slack of one mark's width at most.
    items = items_of("一二三四，五六")
    lines = break_lines(items, 4 * EM)
    assert lines_text("一二三四，五六", 4) == ["一二三四，", "五六"]
    assert lines[0].slack == -1 * EM and lines[0].justify


def test_a_hanging_mark_needs_no_other_punctuation_on_its_line():
    assert lines_text("一、二、三，四", 5.2) == ["一、二、三，", "四"]
    assert lines_text("一二三四五，六", 5.2) == ["一二三四五，", "六"]


def test_the_last_line_keeps_its_full_stop():
    lines = break_lines(items_of("一二三四。"), 4.5 * EM)
    assert len(lines) == 1 and lines[0].slack == -0.5 * EM and not lines[0].justify


def test_question_and_exclamation_marks_hang_too():
    assert "？" not in SQUEEZABLE and "！" not in SQUEEZABLE
    assert lines_text("一二三四？五", 4) == ["一二三四？", "五"]
    assert lines_text("一二三四！五", 4) == ["一二三四！", "五"]


def test_only_one_mark_hangs():
    # 。” after the line is full: ” may not hang, so 四 goes down with both.
    assert lines_text("一二三四。”五", 4) == ["一二三", "四。”五"]


def test_no_mark_hangs_after_latin_text():
    # LibreOffice takes the break rules of the last letter or digit before the mark: after
    # Latin text nothing hangs and the word goes down with its mark.
    assert lines_text("一二三AB，五", 4) == ["一二三", "AB，五"]
    assert lines_text("一二7%。五", 3.5) == ["一二", "7%。五"]
    assert lines_text("一二(ab)。五", 4) == ["一二", "(ab)。五"]
    assert lines_text("一二三（A）、五", 5) == ["一二三", "（A）、五"]
    assert lines_text("一二三“四”、五", 6) == ["一二三“四”、", "五"]     # 四 is Chinese


def test_a_word_filling_the_line_leaves_its_closer_to_the_next_line():
    """No allowed break on the line: the only place left to break is before the closer."""
    assert lines_text("abcdefgh:一二", 4) == ["abcdefgh", ":一二"]


def test_two_closers_in_a_row_pull_down_together():
    assert lines_text("一二三“四”。五", 4) == ["一二三", "“四”。", "五"]


def test_opener_never_ends_a_line():
    assert lines_text("一二三《四五》", 4) == ["一二三", "《四五》"]


def test_half_width_closers_and_openers():
    assert lines_text("一二三四,五六", 4) == ["一二三", "四,五六"]
    assert lines_text("一二三(四)", 4) == ["一二三", "(四)"]


def test_latin_word_and_number_are_split_after_a_hyphen_only():
    assert lines_text("一二三2014-07-25", 6) == ["一二三2014-", "07-25"]
    assert lines_text("一二三30-39页", 5) == ["一二三30-", "39页"]
    assert lines_text("一二三ab-cd", 5) == ["一二三ab-", "cd"]
    assert lines_text("甲乙Python丙", 4) == ["甲乙", "Python丙"]
    assert tokenize("2014-07-25") == ["2014-", "07-", "25"]
    assert tokenize("a-") == ["a", "-"]      # a hyphen that ends a word stays a closer


def test_quotation_marks_hold_to_latin_text():
    # UAX #14 LB19a, as LibreOffice breaks: a quote parts from Chinese, not from Latin.
    assert lines_text("一二三AB“四五”", 5) == ["一二三", "AB“四五”"]
    assert lines_text("一二三四“五六”", 5) == ["一二三四", "“五六”"]
    assert lines_text("一二发展”(ab cd)", 5) == ["一二发", "展”(ab", "cd)"]
    assert lines_text("一二三“AB”四", 5) == ["一二三", "“AB”四"]     # 三 is Chinese


def test_spaces_vanish_at_line_ends():
    assert lines_text("ab cd ef gh", 3) == ["ab cd", "ef gh"]


def test_url_breaks_after_slash_or_dot_only():
    out = lines_text("https://www.gov.cn/zhengce/content_123.htm", 8)
    assert "".join(out) == "https://www.gov.cn/zhengce/content_123.htm"
    assert all(line[-1] in "/.-?&=" for line in out[:-1])
    assert len(out) > 1


def test_first_line_width_applies_to_the_first_line_only():
    assert lines_text("一二三四五六七八", 4, first_chars=2) == ["一二", "三四五六", "七八"]


def test_glued_item_never_starts_a_line():
    items = [Item("一", EM), Item("二", EM), Item("三", EM), Item("1", EM / 2, glue=True)]
    lines = break_lines(items, 3 * EM)
    assert [(ln.start, ln.end) for ln in lines] == [(0, 2), (2, 4)]


def test_an_item_wider_than_the_line_gets_a_line_of_its_own():
    items = [Item("一", EM), Item("https://", 12 * EM), Item("二", EM)]
    lines = break_lines(items, 4 * EM)
    assert [(ln.start, ln.end) for ln in lines] == [(0, 1), (1, 2), (2, 3)]
    assert lines[1].slack < 0


def test_may_break_between():
    assert not may_break_between(Item("一", EM), Item("。", EM))
    assert not may_break_between(Item("“", EM), Item("一", EM))
    assert not may_break_between(Item("abc", EM), Item("def", EM))
    assert may_break_between(Item("cn/", EM), Item("zhengce", EM))
    assert may_break_between(Item("一", EM), Item("二", EM))


def test_empty_and_blank_paragraphs_have_no_lines():
    assert break_lines([], 100) == []
    assert break_lines(items_of("   "), 100) == []


# ---- properties -------------------------------------------------------------------------

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
chunk = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=6),
    st.sampled_from(sorted(CLOSERS)).map(lambda c: c),
    st.sampled_from(sorted(OPENERS)).map(lambda c: c),
    st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True),
    st.just(" "),
    st.just("https://example.com/a/b?c=1&d=2"),
)


@st.composite
def paragraphs(draw):
    parts = draw(st.lists(chunk, min_size=1, max_size=60))
    # Real text never has a run of closing or opening marks longer than three.
    text = "".join(parts)
    for mark_set in (CLOSERS, OPENERS):
        run = 0
        for c in text:
            run = run + 1 if c in mark_set else 0
            if run > 3:
                return draw(st.text(alphabet=HAN, min_size=1, max_size=80))
    return text


@settings(max_examples=300, deadline=None)
@given(paragraphs(), st.integers(min_value=10, max_value=30))
def test_properties_no_closer_starts_no_opener_ends_nothing_overflows(text, chars):
    items = items_of(text)
    width = chars * EM
    lines = break_lines(items, width)
    allowed = allowed_breaks(items)
    kept = [it for ln in lines for it in items[ln.start:ln.end]]
    assert "".join(it.text for it in kept).replace(" ", "") == text.replace(" ", "")
    for k, ln in enumerate(lines):
        first, last = items[ln.start], items[ln.end - 1]
        if k > 0 and first.text[0] in CLOSERS:
            # The one documented exception: the line before holds no allowed break at all
            # (one unbreakable word filling it), so the closer has nowhere else to go.
            before = lines[k - 1]
            assert not any(allowed[before.start + 1:before.end]), (text, k)
        if k < len(lines) - 1 and last.text[-1] in OPENERS:
            # The same exception the other way round: the line holds no earlier place to break.
            assert not any(allowed[ln.start + 1:ln.end]), (text, k)
        hung = items[ln.end - 1].width if items[ln.end - 1].text in HANGING else 0.0
        assert ln.width - hung <= width + 1e-6 or ln.end - ln.start == 1   # only an item wider than a line
        assert abs(ln.width + ln.slack - width) < 1e-6


def test_characters_cut_from_a_too_wide_word_may_break_anywhere_and_fill_the_line():
    cut = [Item(c, EM / 2, cut=True) for c in "abcdefghijklmnopqrstuvwxyz" * 2]
    items = items_of("见 https://example.org/") + cut
    lines = break_lines(items, 20 * EM)
    first = lines[0]
    assert 0 <= first.slack < EM / 2                 # filled to the last half-em character
    assert items[first.end - 1].cut and items[first.end].cut
    assert "".join(it.text for ln in lines for it in items[ln.start:ln.end]).endswith(
        "abcdefghijklmnopqrstuvwxyz" * 2)


def test_may_break_between_cut_characters_but_not_before_a_closer():
    assert may_break_between(Item("a", EM, cut=True), Item("b", EM, cut=True))
    assert not may_break_between(Item("a", EM, cut=True), Item(",", EM, cut=True))
    assert not may_break_between(Item("a", EM), Item("b", EM))   # whole words stay whole


def test_latin_words_break_at_the_spaces_between_them():
    out = lines_text("Fukuda K, Watanabe C. Japanese and US perspectives on the", 20)
    assert out == ["Fukuda K, Watanabe C. Japanese and US", "perspectives on the"]
    assert may_break_between(Item("K,", EM), Item("Watanabe", EM), spaced=True)
    assert not may_break_between(Item("US", EM), Item(")", EM), spaced=True)   # closers stay


def test_a_newline_ends_its_line_unjustified():
    items = items_of("甲甲甲 乙乙\n丙丙")
    lines = break_lines(items, 10 * EM)
    assert ["".join(it.text for it in items[ln.start:ln.end]) for ln in lines] == ["甲甲甲 乙乙", "丙丙"]
    assert [ln.justify for ln in lines] == [False, False]
    assert tokenize("甲 \n乙") == ["甲", " ", "\n", "乙"]


def test_a_chinese_mark_between_latin_texts_holds_to_the_word_after_it():
    # (…报告, 2009)。Kim H: LibreOffice does not break between 。 and Kim here, though it does
    # after Chinese text (发挥。Kim) and before Chinese or a bracket after the mark.
    assert lines_text("一二 2009)。Kim H", 6.5) == ["一二", "2009)。Kim H"]
    assert lines_text("一二三四五。Kim H", 6.5) == ["一二三四五。", "Kim H"]
    assert lines_text("一二 2009)。三四", 6) == ["一二 2009)。", "三四"]
