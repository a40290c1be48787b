"""CSV that a spreadsheet shows rather than runs: every export goes through core.csv_safe."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.csv_safe import neutralise_cell, write_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+44 7911", "'+44 7911"), ("-1", "'-1"),
     ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =1+1", "'  =1+1"),
     ("Ben", "Ben"), ("a=b", "a=b"), ("", ""), (None, ""), (42, "42"), (date(2026, 3, 1), "2026-03-01")],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


@given(st.one_of(st.text(), st.integers(), st.floats()))
def test_neutralised_cells_never_start_a_formula_and_lose_nothing(value):
    cell = neutralise_cell(value)
    assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.removeprefix("'") == str(value) or cell == str(value)


def test_write_csv_neutralises_header_and_cells_and_reads_back():
    text = write_csv(
        [{"name": "=cmd|' /C calc'!A0", "mobile": "+447911123456", "ignored": "x"}, ["Ben, Jr", None], ("Zoë", "-")],
        ["name", "mobile"],
    )
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [
        ["name", "mobile"],
        ["'=cmd|' /C calc'!A0", "'+447911123456"],
        ["Ben, Jr", ""],
        ["Zoë", "'-"],
    ]


def test_write_csv_refuses_a_row_of_the_wrong_width():
    with pytest.raises(ValueError, match="row 1 has 1 cells; the header has 2"):
        write_csv([["only one"]], ["a", "b"])
    with pytest.raises(TypeError):
        write_csv(["ab"], ["a", "b"])


