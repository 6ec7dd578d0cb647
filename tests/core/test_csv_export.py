"""The one rule every CSV export writes its cells and names its files by."""

from decimal import Decimal

import pytest

from core.csv_export import FILENAME_MAX_LENGTH, csv_lines, safe_cell, safe_filename


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-5", "="]
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Ana", "a=b", " =1", "'quoted", "5", "x-1", "\nx"])
def test_other_text_is_left_alone(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("number", [-5, 0, 7, Decimal("-1.5"), -0.5, True])
def test_numbers_the_code_computed_stay_numbers(number):
    assert safe_cell(number) is number


def test_every_line_goes_through_the_rule_header_included():
    lines = list(csv_lines(["=head"], [["+1", -5, None]]))
    assert lines == ["\ufeff", "'=head\r\n", "'+1,-5,\r\n"]


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("report-2026-11-27", "report-2026-11-27.csv"),
        ('Los Angeles"; rm -rf', "Los_Angeles_rm_-rf.csv"),
        ("a\r\nContent-Type: text/html", "a_Content-Type_text_html.csv"),
        ("../secret", "secret.csv"),
        ('"";', "export.csv"),
        ("x" * FILENAME_MAX_LENGTH, "x" * FILENAME_MAX_LENGTH + ".csv"),
        ("x" * (FILENAME_MAX_LENGTH + 1), "x" * FILENAME_MAX_LENGTH + ".csv"),
    ],
)
def test_file_names_carry_only_safe_characters_and_are_bounded(stem, expected):
    assert safe_filename(stem) == expected
