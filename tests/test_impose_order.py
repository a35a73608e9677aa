"""Page order, proved by folding the printed sheets in a model that knows nothing of the planner."""
from __future__ import annotations

import pytest

from closure_app.errors import UsageError
from closure_app.impose.order import (
    Sheet,
    creep_shift,
    manual_duplex_files,
    padded_length,
    plan_booklet,
    printed_sides,
    reading_order,
)
from foldmodel import Cell, FoldError, read_booklet


def as_printed(sides):
    return [(Cell(s.left, s.turned), Cell(s.right, s.turned)) for s in sides]


@pytest.mark.parametrize("duplex", ["short", "long"])
@pytest.mark.parametrize("n_pages", range(1, 41))
def test_folded_booklet_reads_in_order(n_pages, duplex):
    sides = printed_sides(plan_booklet(n_pages), duplex)
    pages = read_booklet(as_printed(sides), duplex)
    assert len(pages) == padded_length(n_pages)
    assert pages[:n_pages] == list(range(1, n_pages + 1))
    assert pages[n_pages:] == [None] * (len(pages) - n_pages)


@pytest.mark.parametrize("duplex", ["short", "long"])
@pytest.mark.parametrize("n_pages,keep_last", [(5, 1), (6, 2), (9, 1), (13, 3), (40, 2), (3, 3)])
def test_keep_last_keeps_the_back_cover_last(n_pages, keep_last, duplex):
    pages = read_booklet(as_printed(printed_sides(plan_booklet(n_pages, keep_last), duplex)), duplex)
    blanks = len(pages) - n_pages
    body = n_pages - keep_last
    assert pages[:body] == list(range(1, body + 1))
    assert pages[body:body + blanks] == [None] * blanks
    assert pages[body + blanks:] == list(range(body + 1, n_pages + 1))


def test_the_model_catches_a_wrong_duplex_mode():
    sides = as_printed(printed_sides(plan_booklet(8), "long"))
    with pytest.raises(FoldError, match="upside down"):
        read_booklet(sides, "short")


def test_the_model_catches_swapped_sheets():
    sides = as_printed(printed_sides(plan_booklet(8), "short"))
    swapped = [sides[2], sides[3], sides[0], sides[1]]
    assert read_booklet(swapped, "short") != list(range(1, 9))


def test_eight_pages_match_the_known_layout():
    assert plan_booklet(8) == [Sheet(front=(8, 1), back=(2, 7)), Sheet(front=(6, 3), back=(4, 5))]


def test_long_edge_backs_are_turned_and_swapped():
    front, back = printed_sides(plan_booklet(4), "long")
    assert (front.left, front.right, front.turned) == (4, 1, False)
    assert (back.left, back.right, back.turned) == (3, 2, True)


@pytest.mark.parametrize("n,expected", [(1, 4), (4, 4), (5, 8), (40, 40), (41, 44)])
def test_padded_length_is_the_next_multiple_of_four(n, expected):
    assert padded_length(n) == expected


def test_blanks_go_before_the_kept_pages():
    assert reading_order(5, keep_last=1) == [1, 2, 3, 4, None, None, None, 5]


@pytest.mark.parametrize("n_pages,keep_last", [(0, 0), (3, 4), (3, -1)])
def test_impossible_requests_are_usage_errors(n_pages, keep_last):
    with pytest.raises(UsageError):
        plan_booklet(n_pages, keep_last)


def test_unknown_duplex_mode_is_a_usage_error():
    with pytest.raises(UsageError, match="short 或 long"):
        printed_sides(plan_booklet(4), "sideways")


def test_manual_duplex_backs_run_last_sheet_first():
    sides = printed_sides(plan_booklet(12), "short")
    fronts, backs = manual_duplex_files(sides)
    assert [s.sheet for s in fronts] == [0, 1, 2]
    assert [s.sheet for s in backs] == [2, 1, 0]
    assert {s.face for s in fronts} == {"front"} and {s.face for s in backs} == {"back"}


@pytest.mark.parametrize("sheet,n_sheets,expected", [(0, 5, 0.0), (4, 5, 2.0), (2, 5, 1.0), (0, 1, 0.0)])
def test_creep_grows_linearly_to_the_innermost_sheet(sheet, n_sheets, expected):
    assert creep_shift(sheet, n_sheets, 2.0) == pytest.approx(expected)
