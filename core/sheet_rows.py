"""A list file's rows of cells (a partner agency's roster, an outreach cohort), numbered as a
spreadsheet numbers them: CSV (UTF-8, UTF-16 or Windows-1252; comma, semicolon or tab between
cells) or the first sheet of an XLSX workbook. A file that is none of these is refused whole
(SheetRefused); which column is which field is core.sheet_columns' to find, what the cells mean
the importing domain's to decide.

Whatever a file holds, reading it costs at most a few seconds and well under 200 MB: each limit
below is many times what a real roster or cohort list needs, and a file past any of them is
refused whole as soon as that is seen (SECURITY.md, "Imported files").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from time import monotonic

MAX_FILE_BYTES = 20 * 1024 * 1024
# Rows read, blank ones included (the importers' own MAX_ROWS counts rows that are not blank): room
# for a 100,000-row list with a blank row after each. A file of blank rows stops here, not at its end.
MAX_RECORDS = 200_000
# Cells in one row: a wide export has 60 columns; a workbook can ask for 16,384 in a few bytes.
MAX_ROW_CELLS = 1_000
# Cells in the file: 100,000 rows of 20 columns. Bounds what the rows kept for a report can hold.
MAX_CELLS = 2_000_000
# One cell: the longest value kept is 200 characters (an email); a notes column may hold a paragraph.
MAX_CELL_CHARS = 2_000
# An XLSX unzipped, as its zip directory states: 30,000 rows of 13 columns, every cell different, fit
# (a longer list goes as CSV); a zip bomb of a few megabytes states gigabytes. One cell that large
# costs about 2 MB of memory and 30 ms to read per MB.
MAX_UNZIPPED_BYTES = 32 * 1024 * 1024
MAX_WORKBOOK_PARTS = 1_000  # a workbook has about ten parts; more with pictures and many sheets
# Parts openpyxl reads whole into a tree (styles, relations, properties): a few kilobytes in a real
# workbook, about 30 bytes of tree for each byte of a hostile one.
MAX_WORKBOOK_PART_BYTES = 4 * 1024 * 1024
# The shared-strings table, every distinct text of the workbook, held in memory while the sheet is
# read: 390,000 strings (30,000 rows of 13 columns, each different) take about 15 MB.
MAX_SHARED_STRINGS_BYTES = 24 * 1024 * 1024
MAX_SHARED_STRINGS = 1_000_000
# The whole read, row checks included: a 100,000-row workbook takes about 40 s on a busy server.
# Parsing holds no database lock; this bounds what any file the other limits let through may cost.
PARSE_SECONDS = 90

Record = tuple[int, Sequence[object]]  # (line, cells)


class SheetRefused(Exception):
    """The file is not a list of the kind asked for that this tool can read; nothing in it was used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@contextmanager
def sheet_rows(
    data: bytes, filename: str, header_score: Callable[[Iterable[Record]], int]
) -> Iterator[Iterator[Record]]:
    """The file's rows, for as long as the file is open. Refuses a file that is empty, too
    big, binary or not a workbook that opens (a damaged sheet is refused while its rows are
    read). A CSV's delimiter is the one whose rows `header_score` rates best."""
    if not data:
        raise SheetRefused("the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise SheetRefused(f"the file is {len(data) / 1024 / 1024:.1f} MB; the limit is {megabytes(MAX_FILE_BYTES)}")
    deadline = monotonic() + PARSE_SECONDS
    name = (filename or "").casefold()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetRefused("this is an old Excel .xls file; save it as .xlsx or CSV")
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        from core.sheet_workbook import first_sheet_rows  # only XLSX needs openpyxl; keeps CSV imports light

        with first_sheet_rows(data, deadline) as rows:
            yield rows
        return
    text = _decode(data)
    # Choose the delimiter by which one gives a real header, not by guessing from counts:
    # a semicolon file can have commas inside cells and the reverse.
    best = max((",", ";", "\t"), key=lambda delimiter: header_score(_csv_records(text, delimiter, deadline)))
    yield _csv_records(text, best, deadline)


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def too_long(length: int, where: str) -> str:
    return (f"{where} holds {length:,} characters; the limit for a cell is {MAX_CELL_CHARS:,} "
            "(is it the right file?)")


def check_time(deadline: float) -> None:
    if monotonic() > deadline:
        raise SheetRefused(f"reading the file took more than {PARSE_SECONDS} seconds; split it into smaller files")


def within_limits(records: Iterable[Record], deadline: float) -> Iterator[Record]:
    """The records, refusing the file at the first that goes past a limit."""
    cells_read = 0
    for line, cells in records:
        if line > MAX_RECORDS:
            raise SheetRefused(f"the file has more than {MAX_RECORDS:,} rows, blank ones included; "
                               "split it into smaller files")
        if len(cells) > MAX_ROW_CELLS:
            raise SheetRefused(f"row {line} has {len(cells):,} cells; the limit is {MAX_ROW_CELLS:,}")
        cells_read += len(cells)
        if cells_read > MAX_CELLS:
            raise SheetRefused(f"the file has more than {MAX_CELLS:,} cells; split it into smaller files")
        for cell in cells:
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise SheetRefused(too_long(len(cell), f"a cell on row {line}"))
        check_time(deadline)
        yield line, cells


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" export
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SheetRefused("the file claims to be UTF-16 text but is not") from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")  # Excel's "CSV" on Windows
            except UnicodeDecodeError as exc:
                raise SheetRefused("the file is not text in UTF-8 or Windows-1252") from exc
    # No text file holds NUL; images, PDFs and the like all do.
    if "\x00" in text:
        raise SheetRefused("this is a binary file, not a CSV or XLSX file")
    return text


def _csv_records(text: str, delimiter: str, deadline: float) -> Iterator[Record]:
    """(line, cells): the line is the record number, as a spreadsheet would number the row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from within_limits(enumerate(reader, start=1), deadline)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # csv's own limit, far above ours
            raise SheetRefused(too_long(csv.field_size_limit(), f"a cell near line {reader.line_num}")
                               .replace(" holds ", " holds more than ")) from exc
        raise SheetRefused(f"the file is not valid CSV near row {reader.line_num}: {exc}") from exc


def cell_text(cell: object) -> str:
    """A cell as stripped text; spreadsheet numbers lose a spurious ".0", dates show as ISO."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat(sep=" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell).strip()


def is_blank(cells: Sequence[object]) -> bool:
    return all(cell_text(cell) == "" for cell in cells)


def data_rows(records: Iterable[Record], max_rows: int) -> Iterator[Record]:
    """The rows that are not blank, refusing the file past `max_rows` of them."""
    count = 0
    for line, cells in records:
        if is_blank(cells):
            continue
        count += 1
        if count > max_rows:
            raise SheetRefused(f"the file has more than {max_rows:,} rows; split it into smaller files")
        yield line, cells
