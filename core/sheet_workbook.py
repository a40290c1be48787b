"""The first sheet of an XLSX workbook, read by openpyxl within core.sheet_rows' limits.

A workbook is a zip of XML parts, and a few kilobytes of zip can unzip to gigabytes. What each
part unzips to is checked from the zip directory before anything is unzipped: zipfile never reads
a part past the size its directory entry states (a part that lies is cut short and fails its
checksum). openpyxl reads every part whole except the worksheets, which it streams, and the
shared-strings table, which it reads whole before the first row at about 15 µs a string; that
table is read here instead, as a stream, counted and timed as it goes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from xml.etree.ElementTree import iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from core.sheet_rows import (
    MAX_CELL_CHARS,
    MAX_RECORDS,
    MAX_SHARED_STRINGS,
    MAX_SHARED_STRINGS_BYTES,
    MAX_UNZIPPED_BYTES,
    MAX_WORKBOOK_PART_BYTES,
    MAX_WORKBOOK_PARTS,
    Record,
    SheetRefused,
    check_time,
    megabytes,
    too_long,
    within_limits,
)

_SI, _T, _RUN_T = f"{{{SHEET_MAIN_NS}}}si", f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r/{{{SHEET_MAIN_NS}}}t"
_NOT_A_WORKBOOK = "the file is not an Excel workbook (.xlsx) that can be opened"
# An element's opening tag, with or without a namespace prefix: counted in the raw XML at the
# speed of a byte search, before openpyxl spends ~12 µs on each.
_ROW_TAG, _SI_TAG = re.compile(rb"[<:]row[\s/>]"), re.compile(rb"[<:]si[\s/>]")


@contextmanager
def first_sheet_rows(data: bytes, deadline: float) -> Iterator[Iterator[Record]]:
    _check_parts(data)
    try:
        reader = _BoundedReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.archive.close()
        reader.archive, reader.deadline = _Parts(io.BytesIO(data)), deadline
        reader.read()
        workbook = reader.wb
    except SheetRefused:
        raise
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise SheetRefused(_NOT_A_WORKBOOK) from exc
    try:
        if not workbook.worksheets:
            raise SheetRefused("the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        yield within_limits(enumerate(sheet.iter_rows(values_only=True), start=1), deadline)
    except SheetRefused:
        raise
    except Exception as exc:  # a damaged sheet inside a well-formed zip
        raise SheetRefused(f"the workbook's first sheet could not be read ({type(exc).__name__})") from exc
    finally:
        workbook.close()


def _check_parts(data: bytes) -> None:
    """Refuse a workbook whose parts would unzip past the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise SheetRefused(_NOT_A_WORKBOOK) from exc
    if len(parts) > MAX_WORKBOOK_PARTS:
        raise SheetRefused(f"the workbook has {len(parts):,} parts; the limit is {MAX_WORKBOOK_PARTS:,}")
    unzipped = sum(part.file_size for part in parts)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise SheetRefused(f"the workbook unzips to {megabytes(unzipped)}; the limit is {megabytes(MAX_UNZIPPED_BYTES)}")


class _Parts(zipfile.ZipFile):
    """The workbook's zip, opening no part over MAX_WORKBOOK_PART_BYTES but those read as a stream
    (its sheets and shared strings, named in `streamed` before they are opened): openpyxl reads every
    other part (styles, relations, properties) whole into a tree, about 30 bytes of memory a byte."""

    streamed: set[str]

    def __init__(self, file) -> None:
        super().__init__(file)
        self.streamed = set()

    def open(self, name, mode="r", pwd=None, **options):
        part = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        if part.filename not in self.streamed and part.file_size > MAX_WORKBOOK_PART_BYTES:
            raise SheetRefused(f"the workbook's part {part.filename!r} unzips to {megabytes(part.file_size)}; "
                               f"the limit for a part other than a sheet is {megabytes(MAX_WORKBOOK_PART_BYTES)}")
        return super().open(name, mode, pwd, **options)


def _count_tags(src, tag: re.Pattern, limit: int) -> int:
    """How many `tag`s the XML holds, counting no further than just past `limit`."""
    count, carry = 0, b""
    while chunk := src.read(1024 * 1024):
        text = carry + chunk
        count += len(tag.findall(text))
        if count > limit:
            break
        carry = text[-4:]  # a tag across the chunks' join; four bytes hold no whole tag, so none is counted twice
    return count


def _check_shared_strings_size(part: zipfile.ZipInfo) -> None:
    if part.file_size > MAX_SHARED_STRINGS_BYTES:
        raise SheetRefused(f"the workbook's shared-strings table unzips to {megabytes(part.file_size)}; "
                           f"the limit is {megabytes(MAX_SHARED_STRINGS_BYTES)}")


class _BoundedReader(ExcelReader):
    """openpyxl's reader with the shared strings read by `_shared_strings`."""

    deadline: float

    def read_strings(self) -> None:
        declared = self.package.find(SHARED_STRINGS)
        if declared is None:
            return
        part = declared.PartName[1:]
        _check_shared_strings_size(self.archive.getinfo(part))
        self.archive.streamed.add(part)
        with self.archive.open(part) as src:
            if _count_tags(src, _SI_TAG, MAX_SHARED_STRINGS) > MAX_SHARED_STRINGS:
                raise SheetRefused(f"the workbook has more than {MAX_SHARED_STRINGS:,} shared strings; "
                                   "split it into smaller files")
        with self.archive.open(part) as src:
            self.shared_strings = _shared_strings(src, self.deadline)

    def read_worksheets(self) -> None:
        """openpyxl's read-only sheets, unsized, each refused first if it holds too many rows."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            self.archive.streamed.add(rel.target)
            with self.archive.open(rel.target) as src:
                if _count_tags(src, _ROW_TAG, MAX_RECORDS) > MAX_RECORDS:
                    raise SheetRefused(f"the workbook's sheet {sheet.name!r} has more than {MAX_RECORDS:,} "
                                       "rows, blank ones included; split it into smaller files")
            worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


class _UnsizedSheet(ReadOnlyWorksheet):
    """A sheet read to its last row whatever size it states, as some writers state a wrong one.
    (openpyxl would first look for the stated size, reading a sheet that states none to its end.)"""

    def _get_size(self) -> None:
        pass


def _shared_strings(src, deadline: float) -> list[str]:
    """The table's strings as openpyxl reads them (plain text and rich-text runs, no phonetic guides)."""
    strings: list[str] = []
    events = iterparse(src, events=("start", "end"))
    _, root = next(events)
    for event, node in events:
        if event != "end" or node.tag != _SI:
            continue
        text = "".join(t.text or "" for t in (*node.findall(_T), *node.findall(_RUN_T))).replace("x005F_", "")
        if len(text) > MAX_CELL_CHARS:
            raise SheetRefused(too_long(len(text), f"string {len(strings) + 1:,} of the workbook's shared strings"))
        if len(strings) == MAX_SHARED_STRINGS:
            raise SheetRefused(f"the workbook has more than {MAX_SHARED_STRINGS:,} shared strings; "
                               "split it into smaller files")
        strings.append(text)
        root.clear()  # iterparse keeps every element under the root until told
        if len(strings) % 1000 == 0:
            check_time(deadline)
    return strings

