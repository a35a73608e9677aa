import pytest

from closure_app.blocks import Cell, Row
from closure_app.render.docx.grid import place_cells, scale_widths


def layout(rows, n_cols):
    """(col, span, merge, first text) per slot: what Word will draw."""
    return [[(s.col, s.span, s.v_merge, s.cell is not None) for s in slots]
            for slots in place_cells(rows, n_cols)]


def test_plain_rows_fill_the_grid():
    rows = [Row([Cell(), Cell(), Cell()])]
    assert layout(rows, 3) == [[(0, 1, None, True), (1, 1, None, True), (2, 1, None, True)]]


def test_colspan_becomes_one_slot_over_several_columns():
    rows = [Row([Cell(colspan=2), Cell(colspan=6)])]
    assert layout(rows, 8) == [[(0, 2, None, True), (2, 6, None, True)]]


def test_rowspan_restarts_then_continues_in_the_rows_below():
    rows = [Row([Cell(rowspan=3), Cell(), Cell()]),
            Row([Cell(), Cell()]),
            Row([Cell(), Cell()]),
            Row([Cell(), Cell(), Cell()])]
    assert layout(rows, 3) == [
        [(0, 1, "restart", True), (1, 1, None, True), (2, 1, None, True)],
        [(0, 1, "continue", False), (1, 1, None, True), (2, 1, None, True)],
        [(0, 1, "continue", False), (1, 1, None, True), (2, 1, None, True)],
        [(0, 1, None, True), (1, 1, None, True), (2, 1, None, True)],
    ]


def test_rowspan_in_a_middle_column_keeps_its_width():
    rows = [Row([Cell(), Cell(colspan=2, rowspan=2), Cell()]),
            Row([Cell(), Cell()])]
    assert layout(rows, 4)[1] == [(0, 1, None, True), (1, 2, "continue", False), (3, 1, None, True)]


def test_rowspan_past_the_last_row_is_cut_at_the_table_end():
    rows = [Row([Cell(rowspan=5), Cell()]), Row([Cell()])]
    assert layout(rows, 2) == [[(0, 1, "restart", True), (1, 1, None, True)],
                               [(0, 1, "continue", False), (1, 1, None, True)]]


def test_a_short_row_is_padded_with_a_blank_cell():
    rows = [Row([Cell()])]
    assert layout(rows, 4) == [[(0, 1, None, True), (1, 3, None, False)]]


def test_padding_stops_at_a_rowspan_further_right():
    rows = [Row([Cell(), Cell(), Cell(rowspan=2)]), Row([Cell()])]
    assert layout(rows, 3)[1] == [(0, 1, None, True), (1, 1, None, False), (2, 1, "continue", False)]


def test_a_row_wider_than_the_grid_is_an_error():
    with pytest.raises(ValueError, match="超出 2 列"):
        place_cells([Row([Cell(), Cell(colspan=2)])], 2)


def test_widths_scale_to_the_exact_total():
    widths = scale_widths([1.2, 1.2, 1, 1, 1, 1, 1.4, 1.4], 8844)
    assert sum(widths) == 8844
    assert abs(widths[0] - widths[1]) <= 1 and widths[2] < widths[0] < widths[6]


def test_equal_widths_split_evenly_even_when_not_divisible():
    widths = scale_widths([1, 1, 1], 100)
    assert sum(widths) == 100 and max(widths) - min(widths) <= 1


@pytest.mark.parametrize("bad", [[], [1, 0], [2, -1]])
def test_widths_must_be_positive(bad):
    with pytest.raises(ValueError):
        scale_widths(bad, 1000)
