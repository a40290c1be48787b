"""Which rows of a cohort file (CSV or XLSX) name someone who can be reached, and why the others
cannot (INTERFACES.md, "Cohort file").

A file that is not a cohort (no header naming an email or a mobile column, not a spreadsheet) is
refused whole (core.sheet_rows.SheetRefused). Otherwise each row is a CohortRow or a RejectedRow:
a row with neither a usable email (a dotted domain; stored lower case) nor a usable mobile (any
country's mobile, E.164; a landline or Ofcom's drama range is not) is rejected with the reasons for
both; an unusable one of the two, or a postcode, date of birth, name or reference that cannot be
kept, is dropped with a note while the rest of the row goes in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from core.email_address import normalise_email
from core.rejected_rows import RejectedRow
from core.sheet_columns import Header
from core.sheet_rows import Record, cell_text, data_rows, sheet_rows
from core.sheet_values import check_mobile, parse_date
from core.typed_text import one_line_refusal
from outreach.cohort_columns import COHORT_COLUMNS
from pathways.geography import place_of

MAX_ROWS = 100_000
NAME_LENGTH, REF_LENGTH = 80, 80  # outreach.model's columns
OLDEST = 120  # years: an older date of birth is a typing mistake


@dataclass(frozen=True)
class CohortRow:
    """One person as the row gives them, each value in its stored form. `line` is the spreadsheet row."""

    line: int
    contact_ref: str = ""
    given_name: str = ""
    family_name: str = ""
    email: str | None = None
    mobile: str | None = None
    postcode: str = ""
    nation: str = ""
    force_area: str = ""
    date_of_birth: date | None = None


@dataclass(frozen=True)
class CohortParse:
    rows: tuple[CohortRow, ...]
    rejected: tuple[RejectedRow, ...]
    notes: tuple[str, ...]  # what was dropped from rows that went in, and about the file


def read_cohort(data: bytes, filename: str, today: date) -> CohortParse:
    """Read a cohort file. Raises SheetRefused, and nothing else, for a file that is not a readable
    cohort: empty, too big, binary, not a workbook, over MAX_ROWS rows, or with no header naming
    an email or a mobile column."""
    with sheet_rows(data, filename, COHORT_COLUMNS.header_score) as records:
        return _sort_rows(records, today)


def _sort_rows(records: Iterable[Record], today: date) -> CohortParse:
    records = iter(records)
    header = COHORT_COLUMNS.find_header(records)  # the data rows follow on from the header
    notes = list(header.warnings)
    if header.line > 1:
        notes.append(f"the header was found on line {header.line}; the lines above it were skipped")
    rows: list[CohortRow] = []
    rejected: list[RejectedRow] = []
    for line, cells in data_rows(records, MAX_ROWS):
        row, reasons, dropped = _check_row(line, cells, header, today)
        if row is None:
            rejected.append(RejectedRow(line, header.as_written(cells), tuple(reasons)))
            continue
        notes.extend(f"line {line}: {note}" for note in dropped)
        rows.append(row)
    if not rows and not rejected:
        notes.append("the file has a header but no rows of people")
    return CohortParse(tuple(rows), tuple(rejected), tuple(notes))


def _check_row(line: int, cells: Sequence[object], header: Header,
               today: date) -> tuple[CohortRow | None, list[str], list[str]]:
    """(the row, or None when it cannot go in; the reasons it cannot; what was dropped from it)."""
    def text(name: str) -> str:
        return " ".join(cell_text(header.cell(cells, name)).split())

    email, email_problem = _usable_email(text("email"))
    mobile, mobile_problem = _usable_mobile(header.cell(cells, "mobile"))
    if email is None and mobile is None:
        problems = [p for p in (email_problem, mobile_problem) if p]
        return None, problems or ["no email or mobile given"], []
    dropped = [f"{problem}; dropped, the {'mobile' if email is None else 'email'} carries the row"
               for problem in (email_problem, mobile_problem) if problem]

    given, family = text("first_name"), text("last_name")
    if not given and not family and (whole := text("full_name")):
        given, _, family = whole.rpartition(" ")
        if not given:
            given, family = family, ""
    names = {}
    for name, value, what in (("given_name", given, "first name"), ("family_name", family, "last name"),
                              ("contact_ref", text("contact_ref"), "reference")):
        refusal = one_line_refusal(value, what, REF_LENGTH if name == "contact_ref" else NAME_LENGTH)
        if refusal:
            dropped.append(f"{refusal}; left blank")
        names[name] = "" if refusal else value

    place = {}
    if postcode := text("postcode"):
        try:
            found = place_of(postcode)
            place = {"postcode": found.postcode, "nation": found.nation, "force_area": found.force_area}
        except ValueError as problem:
            dropped.append(f"postcode: {problem}; left blank")
    date_of_birth = _date_of_birth(header.cell(cells, "date_of_birth"), today, dropped)
    return CohortRow(line, email=email, mobile=mobile, date_of_birth=date_of_birth, **names, **place), [], dropped


def _usable_email(text: str) -> tuple[str | None, str]:
    if not text:
        return None, ""
    try:
        return normalise_email(text), ""
    except ValueError as problem:
        return None, f"email: {problem}"


def _usable_mobile(cell: object) -> tuple[str | None, str]:
    if not cell_text(cell):
        return None, ""
    reasons: list[str] = []
    mobile = check_mobile(cell, reasons)
    return mobile, "; ".join(reasons)


def _date_of_birth(cell: object, today: date, dropped: list[str]) -> date | None:
    if not cell_text(cell):
        return None
    try:
        born = parse_date(cell, not_after=today)
    except ValueError as problem:
        dropped.append(f"date of birth: {problem}; left blank")
        return None
    if born > today:
        dropped.append(f"date of birth {born:%d/%m/%Y} is in the future; left blank")
        return None
    if today.year - born.year > OLDEST:
        dropped.append(f"date of birth {born:%d/%m/%Y} is more than {OLDEST} years ago; left blank")
        return None
    return born
