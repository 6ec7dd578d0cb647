"""The small-cell rule: 1 to 10 mentees hidden, 0 and 11 shown, the other
side of a share and the second cell of a known total hidden too."""

import pytest

from core.report_figures import RawCell, RawFigure, RawRow
from reports.figures import suppress


def figure(*cells, partitioned=()):
    return RawFigure(
        key="k",
        title="T",
        definition="D",
        columns=["n"],
        rows=[RawRow(f"row {i}", [c]) for i, c in enumerate(cells)],
        partitioned_columns=partitioned,
    )


def texts(result):
    return [row.cells[0].text for row in result.rows]


@pytest.mark.parametrize(
    ("mentees", "text"), [(0, "0"), (1, "fewer than 11"), (10, "fewer than 11"), (11, "11")]
)
def test_a_count_is_hidden_from_1_to_10_mentees(mentees, text):
    assert texts(suppress(figure(RawCell(mentees, mentees)))) == [text]


def test_a_count_of_check_ins_is_judged_by_its_mentees():
    # 40 check-ins of 10 mentees describe 10 mentees.
    assert texts(suppress(figure(RawCell(40, 10), RawCell(40, 11)))) == ["fewer than 11", "40"]


@pytest.mark.parametrize(
    ("at_or_above", "of", "shown"),
    [(10, 30, False), (11, 30, True), (20, 30, False), (19, 30, True), (30, 30, True)],
)
def test_a_share_is_hidden_when_either_side_is_small(at_or_above, of, shown):
    cell = RawCell(at_or_above / of, at_or_above, complement=of - at_or_above, share=True)
    (text,) = texts(suppress(figure(cell)))
    assert (text != "fewer than 11") is shown


def test_one_hidden_cell_of_a_known_total_hides_the_smallest_other():
    result = suppress(
        figure(RawCell(50, 50), RawCell(5, 5), RawCell(30, 30), RawCell(0, 0), partitioned=(0,))
    )
    # 85 mentees in all: 50 + 30 would give the 5 away.
    assert texts(result) == ["50", "fewer than 11", "fewer than 11", "0"]


def test_two_hidden_cells_of_a_known_total_need_no_third():
    result = suppress(
        figure(RawCell(50, 50), RawCell(5, 5), RawCell(7, 7), RawCell(30, 30), partitioned=(0,))
    )
    assert texts(result) == ["50", "fewer than 11", "fewer than 11", "30"]


def test_without_a_known_total_only_the_small_cell_is_hidden():
    result = suppress(figure(RawCell(50, 50), RawCell(5, 5), RawCell(30, 30)))
    assert texts(result) == ["50", "fewer than 11", "30"]


def test_the_threshold_is_a_setting(settings):
    settings.PEERPATH_SMALL_CELL_MINIMUM = 5
    assert texts(suppress(figure(RawCell(4, 4), RawCell(5, 5)))) == ["fewer than 5", "5"]
