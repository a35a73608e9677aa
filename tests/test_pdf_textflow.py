"""Placing lines: indent, alignment, justification, splits kept away from headings."""
import pytest

from closure_app.render.pdf.linebreak import Item
from closure_app.render.pdf.textflow import (
    KEEP_LINES, PageState, Para, Piece, TextLine, TextStyle, layout, layout_all,
)

SIZE = 10.0


def para(n_chars: int, **style) -> Para:
    """A paragraph of ``n_chars`` one-em characters."""
    st = TextStyle(family="仿宋", size=SIZE, pitch=20, **style)
    chars = "一" * n_chars
    return Para(st, [Item(c, SIZE) for c in chars], [(Piece(c, "F", SIZE),) for c in chars],
                [()] * n_chars)


def test_first_line_indent_and_justified_lines():
    lines = layout(para(25, first_indent=2 * SIZE), 10 * SIZE + 5)
    assert [ln.x for ln in lines] == [2 * SIZE, 0, 0]
    assert [sum(len(p.text) for p in ln.pieces) for ln in lines] == [8, 10, 7]
    assert lines[0].char_space == pytest.approx(5 / 7)   # slack spread over 7 gaps
    assert lines[1].char_space == pytest.approx(5 / 9)
    assert lines[2].char_space == 0                      # the last line is not justified


def test_centered_line_is_centered_not_stretched():
    (line,) = layout(para(4, align="center"), 10 * SIZE)
    assert line.x == pytest.approx(3 * SIZE)
    assert line.char_space == 0


def test_line_pieces_are_merged_per_font():
    (line,) = layout(para(4), 10 * SIZE)
    assert line.pieces == (Piece("一一一一", "F", SIZE),)


def test_widows_and_orphans_are_not_split_off():
    lines = layout(para(60), 10 * SIZE)
    assert len(lines) == 6
    assert [k for k, ln in enumerate(lines) if ln.breakable_before] == \
        [0] + list(range(KEEP_LINES, len(lines) - KEEP_LINES + 1))


def test_heading_stays_with_the_first_lines_of_what_follows():
    heading = para(3)
    heading.keep_with_next = True
    lines = layout_all([heading, para(60)], 10 * SIZE)
    assert not lines[1].breakable_before      # between the heading and the text
    assert not lines[2].breakable_before      # after the text's first line
    assert lines[3].breakable_before


def test_space_before_is_part_of_the_first_line():
    (line,) = layout(para(2, space_before=7), 10 * SIZE)
    assert line.height == 27 and line.space == 7


def test_notes_room_counts_only_notes_not_yet_on_the_page():
    state = PageState(notes_height=lambda numbers: 5.0 + 10 * len(numbers) if numbers else 0.0)
    assert state.extra_for((1, 2)) == 25
    state.on_page.append(1)
    assert state.extra_for((1, 2)) == 10
    assert state.extra_for((1,)) == 0


def test_a_continued_note_needs_only_its_first_line_and_shares_the_rule_of_lines_carried_over():
    # each note 10 pt (its first line 3 pt), the rule 5 pt
    state = PageState(notes_height=lambda ns: 5.0 + 10 * len(ns) if ns else 0.0,
                      notes_least=lambda ns: 5.0 + 10 * (len(ns) - 1) + 3 if ns else 0.0, rule_space=5.0)
    assert state.extra_for((1, 2), least=True) == 18
    state.carried = 20.0          # lines continued from the page before, under their rule already
    assert state.extra_for((1,)) == 10 and state.extra_for((1,), least=True) == 3
    state.on_page.append(1)
    assert state.extra_for((1, 2)) == 10 and state.extra_for((2,), least=True) == 3
    assert not state.calls_new(TextLine((), 0.0, 20.0, 15.0, notes=(1,)))     # on this page already
    assert state.calls_new(TextLine((), 0.0, 20.0, 15.0, notes=(1, 2)))
    assert not state.calls_new(TextLine((), 0.0, 20.0, 15.0))


def test_a_number_longer_than_a_line_is_cut_rather_than_run_into_the_margin():
    from reportlab.pdfbase import pdfmetrics
    font = "Courier"   # a standard font: only its metrics are used here
    digits = "1234567890" * 3
    width = pdfmetrics.stringWidth(digits, font, SIZE)
    st = TextStyle(family="仿宋", size=SIZE, pitch=20)
    p = Para(st, [Item(digits, width)], [(Piece(digits, font, SIZE),)], [(7,)])
    lines = layout(p, width / 2.5)
    assert len(lines) == 3
    assert "".join(pc.text for ln in lines for pc in ln.pieces) == digits
    assert [ln.notes for ln in lines] == [(), (), (7,)]


def _latin_para(tokens: list[str], font: str = "Courier") -> Para:
    """A paragraph of Latin tokens in a standard font (only its metrics are used)."""
    from reportlab.pdfbase import pdfmetrics
    st = TextStyle(family="仿宋", size=SIZE, pitch=20)
    return Para(st, [Item(t, pdfmetrics.stringWidth(t, font, SIZE)) for t in tokens],
                [(Piece(t, font, SIZE),) for t in tokens], [()] * len(tokens))


def test_a_url_piece_wider_than_a_line_fills_the_line_it_starts_on():
    segment = "a" * 80
    lines = layout(_latin_para(["https://", "example.", "org/", segment + "/", "b.html"]), 40 * 6.0)
    text = ["".join(p.text for p in ln.pieces) for ln in lines]
    assert "".join(text) == "https://example.org/" + segment + "/b.html"
    assert text[0].startswith("https://example.org/a")          # not left alone on its line
    assert all(ln.char_space < 0.25 * SIZE for ln in lines)


def test_a_line_that_would_be_spread_more_than_a_quarter_em_is_set_flush():
    # 6 pt per Courier character: the 30-character piece does not fit after "https://a.org/"
    lines = layout(_latin_para(["https://", "a.", "org/", "b" * 30 + ".", "html"]), 40 * 6.0)
    assert ["".join(p.text for p in ln.pieces) for ln in lines] == \
        ["https://a.org/", "b" * 30 + ".html"]
    assert lines[0].char_space == 0 and lines[0].x == 0
