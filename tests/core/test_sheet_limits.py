"""A hostile list file is refused whole, with its reason, in under 2 s and under 200 MB, by both
importers that read lists (rosters and outreach cohorts): core.sheet_rows' limits. Each file is
built here in tmp_path, reproducing what a security review sent (issue 17): a CSV of blank lines,
an XLSX with one 500 MB cell, 20 million blank rows, a 1.6 GB shared-strings table, a zip bomb."""

from __future__ import annotations

import time
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from core import sheet_rows
from core.sheet_rows import SheetRefused
from outreach.cohort_rows import read_cohort
from rosters.roster_rows import read_roster
from tests.hostile_sheets import HEADER_ROW, MAIN, ROSTER_HEADER, inline_row, workbook

MB = 1024 * 1024
SECONDS, MEGABYTES = 2, 200  # the promise (SECURITY.md, "Imported files")


def _cell_of(size_mb: int) -> list[tuple[bytes, int]]:
    return [(HEADER_ROW, 1), (b'<row r="2"><c t="inlineStr"><is><t>', 1), (b"A" * MB, size_mb),
            (b"</t></is></c></row>", 1)]


def _first_cell_shared() -> list[tuple[bytes, int]]:
    return [(b'<row r="1"><c t="s"><v>0</v></c></row>', 1)]


HOSTILE = {
    "a 19 MB CSV of blank lines": (
        "roster.csv", lambda: (ROSTER_HEADER + "\n" + "\n" * (19 * MB)).encode(),
        "more than 200,000 rows, blank ones included"),
    "an XLSX with one 500 MB cell": ("roster.xlsx", lambda: workbook(_cell_of(500)), "unzips to 500 MB"),
    "an XLSX with 20 million blank rows": (
        "roster.xlsx", lambda: workbook([(HEADER_ROW, 1), (b"<row/>" * 100_000, 200)]), "unzips to 114 MB"),
    "an XLSX of 300,000 blank rows within the size limit": (
        "roster.xlsx", lambda: workbook([(HEADER_ROW, 1), (b"<row/>" * 100_000, 3)]),
        "sheet 'Roster' has more than 200,000 rows, blank ones included"),
    "an XLSX whose second row is row 20 million": (
        "roster.xlsx", lambda: workbook([(HEADER_ROW, 1), (b'<row r="20000000"/>', 1)]),
        "more than 200,000 rows, blank ones included"),
    "an XLSX with a 1.6 GB shared-strings table": (
        "roster.xlsx", lambda: workbook(_first_cell_shared(), [(b"<si><t>a</t></si>" * 1000, 100_000)]),
        "unzips to 1,621 MB"),
    "an XLSX under 32 MB with a 30 MB shared-strings table": (
        "roster.xlsx", lambda: workbook(_first_cell_shared(), [(b"<si><t>" + b"a" * 1000 + b"</t></si>", 31_000)]),
        "shared-strings table unzips to 30 MB; the limit is 24 MB"),
    "an XLSX with 1.6 million shared strings": (
        "roster.xlsx", lambda: workbook(_first_cell_shared(), [(b"<si><t/></si>" * 1000, 1600)]),
        "more than 1,000,000 shared strings"),
    "an XLSX with a 3,000-character shared string": (
        "roster.xlsx", lambda: workbook(_first_cell_shared(), [(b"<si><t>" + b"a" * 3000 + b"</t></si>", 1)]),
        "string 1 of the workbook's shared strings holds 3,000 characters; the limit for a cell is 2,000"),
    "an XLSX with one 30 MB cell, under the size limit": (
        "roster.xlsx", lambda: workbook(_cell_of(30)), "a cell on row 2 holds 31,457,280 characters"),
    "an XLSX row of 16,384 cells": (
        "roster.xlsx", lambda: workbook([(HEADER_ROW, 1), (b'<row><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>', 1)]),
        "row 2 has 16,384 cells; the limit is 1,000"),
    "an XLSX with a zip bomb in an unused part": (
        "roster.xlsx", lambda: workbook([(HEADER_ROW, 1)], other_parts={"xl/media/image1.bin": [(b"\0" * MB, 1024)]}),
        "unzips to 1,024 MB"),
    "an XLSX with 5 MB of styles": (
        "roster.xlsx", lambda: workbook([(HEADER_ROW, 1)], other_parts={"xl/styles.xml": [
            (b"<styleSheet " + MAIN + b"><cellXfs>", 1), (b"<xf/>" * 1000, 1000), (b"</cellXfs></styleSheet>", 1)]}),
        "part 'xl/styles.xml' unzips to 5 MB; the limit for a part other than a sheet is 4 MB"),
    "an XLSX whose workbook part is 5 MB": (
        "roster.xlsx", lambda: workbook([(HEADER_ROW, 1)], other_parts={"xl/workbook.xml": [
            (b"<workbook " + MAIN + b"><sheets>", 1), (b"<x/>" * 1000, 1300), (b"</sheets></workbook>", 1)]}),
        "part 'xl/workbook.xml' unzips to 5 MB; the limit for a part other than a sheet is 4 MB"),
    "a CSV with a 3,000-character cell": (
        "roster.csv", lambda: f"{ROSTER_HEADER}\nA1,{'x' * 3000},Jones,07911 123456,Coordinator\n".encode(),
        "a cell on row 2 holds 3,000 characters; the limit for a cell is 2,000"),
    "a CSV with a 500,000-character cell": (
        "roster.csv", lambda: f"{ROSTER_HEADER}\nA1,{'x' * 500_000},Jones,07911 123456,Coordinator\n".encode(),
        "holds more than 131,072 characters; the limit for a cell is 2,000"),
    "a CSV row of 5,000 cells": (
        "roster.csv", lambda: f"{ROSTER_HEADER}\n{',' * 4999}x\n".encode(), "row 2 has 5,000 cells; the limit is 1,000"),
}

READERS = {"roster": lambda data, name: read_roster(data, name),
           "cohort": lambda data, name: read_cohort(data, name, date(2026, 11, 23))}


def _refusal(read, data: bytes, filename: str) -> str:
    with pytest.raises(SheetRefused) as refused:
        read(data, filename)
    return refused.value.reason


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_file_is_refused_with_its_reason_in_under_2_s_and_200_mb(tmp_path: Path, case, reader):
    filename, build, says = HOSTILE[case]
    path = tmp_path / filename
    path.write_bytes(build())  # as an upload or `standup import-roster` would bring it
    data, read = path.read_bytes(), READERS[reader]
    started = time.perf_counter()
    reason = _refusal(read, data, filename)
    seconds = time.perf_counter() - started
    tracemalloc.start()  # a second read, measured: tracing slows Python several times over
    try:
        _refusal(read, data, filename)
        peak = tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()
    print(f"{case} ({len(data) / MB:.1f} MB file), {reader}: {seconds:.2f} s, peak {peak:.0f} MB: {reason}")
    assert says in reason
    assert seconds < SECONDS and peak < MEGABYTES


def test_blank_rows_count_towards_the_limit_up_to_it_and_not_past_it(monkeypatch):
    monkeypatch.setattr(sheet_rows, "MAX_RECORDS", 6)
    row = "A1,Ben,Jones,07911 123456,Coordinator\n"
    assert len(read_roster((ROSTER_HEADER + "\n\n\n\n\n" + row).encode(), "r.csv").rows) == 1
    with pytest.raises(SheetRefused, match="more than 6 rows, blank ones included"):
        read_roster((ROSTER_HEADER + "\n\n\n\n\n\n" + row).encode(), "r.csv")


def test_a_cell_of_exactly_the_limit_is_read():
    name = "x" * sheet_rows.MAX_CELL_CHARS
    parsed = read_roster(f"{ROSTER_HEADER}\nA1,Ben,Jones,07911 123456,Coordinator,{name}\n".encode(), "r.csv")
    assert [row.staff_ref for row in parsed.rows] == ["A1"]
    data = workbook([(HEADER_ROW, 1), (inline_row(2, "A1", "Ben", "Jones", "07911 123456", name), 1)])
    assert [bad.line for bad in read_roster(data, "r.xlsx").rejected] == [2]  # a role 2,000 long: rejected, not refused


def test_reading_that_outlasts_the_time_limit_is_refused(monkeypatch):
    monkeypatch.setattr(sheet_rows, "PARSE_SECONDS", 0)
    rows = "".join(f"A{n},Ben,Jones,07911 123456,Coordinator\n" for n in range(3))
    with pytest.raises(SheetRefused, match="reading the file took more than 0 seconds"):
        read_roster((ROSTER_HEADER + "\n" + rows).encode(), "r.csv")
    with pytest.raises(SheetRefused, match="reading the file took more than 0 seconds"):
        read_roster(workbook([(HEADER_ROW, 1), (inline_row(2, "A1", "Ben", "Jones", "07911 123456", "Role"), 1)]),
                    "r.xlsx")


def test_a_workbook_built_here_reads_as_any_other():
    data = workbook([(HEADER_ROW, 1), (inline_row(2, "A1", "Ben", "Jones", "07911 123456", "Coordinator"), 1)],
                    [(b"<si><t>unused</t></si>", 1)])
    assert [(row.line, row.staff_ref, row.mobile) for row in read_roster(data, "r.xlsx").rows] == [
        (2, "A1", "+447911123456")]
