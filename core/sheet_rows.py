"""A list file's rows of cells (a partner agency's roster, an outreach cohort), numbered as a
spreadsheet numbers them: CSV (UTF-8, UTF-16 or Windows-1252; comma, semicolon or tab between
cells) or the first sheet of an XLSX workbook. A file that is none of these is refused whole
(SheetRefused); which column is which field is core.sheet_columns' to find, what the cells mean
the importing domain's to decide.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time

MAX_FILE_BYTES = 20 * 1024 * 1024

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
        raise SheetRefused(
            f"the file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    name = (filename or "").casefold()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetRefused("this is an old Excel .xls file; save it as .xlsx or CSV")
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        with _first_sheet_rows(data) as rows:
            yield rows
        return
    text = _decode(data)
    # Choose the delimiter by which one gives a real header, not by guessing from counts:
    # a semicolon file can have commas inside cells and the reverse.
    best = max((",", ";", "\t"), key=lambda delimiter: header_score(_csv_records(text, delimiter)))
    yield _csv_records(text, best)


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


def _csv_records(text: str, delimiter: str) -> Iterator[Record]:
    """(line, cells): the line is the record number, as a spreadsheet would number the row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise SheetRefused(f"the file is not valid CSV near row {reader.line_num}: {exc}") from exc


@contextmanager
def _first_sheet_rows(data: bytes) -> Iterator[Iterator[Record]]:
    import openpyxl  # only XLSX needs it; keeps CSV imports light

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise SheetRefused("the file is not an Excel workbook (.xlsx) that can be opened") from exc
    try:
        if not workbook.worksheets:
            raise SheetRefused("the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        # Some writers record a wrong sheet size; reading without it reads every row.
        sheet.reset_dimensions()
        yield enumerate(sheet.iter_rows(values_only=True), start=1)
    except SheetRefused:
        raise
    except Exception as exc:  # a damaged sheet inside a well-formed zip
        raise SheetRefused(f"the workbook's first sheet could not be read ({type(exc).__name__})") from exc
    finally:
        workbook.close()


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
