"""Which rows of a partner agency's roster file (CSV or XLSX) go in, and why the others cannot.

The contract is INTERFACES.md, "Roster file". A file that is not a roster is refused whole
(SheetRefused); otherwise every row is either a RosterRow, normalised, or a RejectedRow
listing every problem found in it, so the good rows can go in and the agency can fix the rest.
The file's rows of cells come from core.sheet_rows, which column is which field from
rosters.roster_columns, what each cell means from rosters.roster_values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from core.rejected_rows import RejectedRow
from core.sheet_columns import Header
from core.sheet_rows import Record, cell_text, data_rows, sheet_rows
from core.sheet_values import check_date, check_mobile
from core.typed_text import one_line_refusal
from rosters.model import RequirementSkill, StaffMember
from rosters.roster_columns import ROSTER_COLUMNS
from rosters.roster_values import (
    check_contact_by,
    check_dbs_level,
    check_hours,
    check_postcode,
    check_trained,
)
from rosters.skills import PSYCHOLOGICAL_FIRST_AID, map_skills, normalise_role, split_list
from rosters.training import FILE_COURSES, TrainingRecord

MAX_ROWS = 100_000

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


@dataclass(frozen=True)
class RosterRow:
    """One staff member, every value normalised. `line` is the spreadsheet row number."""

    line: int
    staff_ref: str
    first_name: str
    last_name: str
    mobile: str  # E.164
    role: str  # rosters.skills.normalise_role form
    email: str | None = None
    skills: tuple[str, ...] = ()  # canonical names (rosters.skills.SKILLS)
    unknown_skills: tuple[str, ...] = ()  # as written; not in the vocabulary
    languages: tuple[str, ...] = ()
    dbs_level: str | None = None  # one of rosters.roster_values.DBS_LEVELS
    dbs_expiry: date | None = None
    pfa_trained_on: date | None = None
    home_postcode: str | None = None  # "SW1A 1AA"
    max_hours_per_week: float | None = None
    contact_by: str | None = None  # a rosters.contact_preferences.ContactBy; None: not written, left as stored
    trainings: tuple[TrainingRecord, ...] = ()  # from the columns of rosters.training.FILE_COURSES


@dataclass(frozen=True)
class RosterParse:
    rows: tuple[RosterRow, ...]
    rejected: tuple[RejectedRow, ...]
    warnings: tuple[str, ...]


def read_roster(data: bytes, filename: str) -> RosterParse:
    """Read a roster file. Raises SheetRefused, and nothing else, for a file that is not
    a readable roster: empty, too big, binary, not a workbook, over MAX_ROWS rows, or with
    no header row holding all of roster_columns.REQUIRED_COLUMNS."""
    with sheet_rows(data, filename, ROSTER_COLUMNS.header_score) as records:
        return _sort_rows(records)


def _sort_rows(records: Iterable[Record]) -> RosterParse:
    """Every row after the header into the good and the rejected; a staff ref used twice is
    rejected the second time, a mobile given twice is a warning."""
    records = iter(records)
    # Consume the same iterator as the search, so the data rows follow on from the header.
    header = ROSTER_COLUMNS.find_header(records)
    warnings = list(header.warnings)
    if header.line > 1:
        warnings.append(f"the header was found on line {header.line}; the lines above it were skipped")
    rows: list[RosterRow] = []
    rejected: list[RejectedRow] = []
    line_of_ref: dict[str, int] = {}
    row_of_mobile: dict[str, RosterRow] = {}
    for line, cells in data_rows(records, MAX_ROWS):
        row, reasons = _check_row(line, cells, header)
        ref = cell_text(header.cell(cells, "staff_ref"))
        if ref:
            ref = " ".join(ref.split())
            if ref in line_of_ref:
                reasons.append(f"staff ref {ref!r} is already used on line {line_of_ref[ref]}")
            else:
                line_of_ref[ref] = line
        if reasons or row is None:
            rejected.append(RejectedRow(line, header.as_written(cells), tuple(reasons)))
            continue
        if row.unknown_skills:
            listed = ", ".join(repr(s) for s in row.unknown_skills)
            warnings.append(f"line {line}: skills not recognised, kept aside: {listed}")
        earlier = row_of_mobile.get(row.mobile)
        if earlier is not None:
            warnings.append(
                f"line {line}: mobile {row.mobile} is also given for staff ref {earlier.staff_ref!r} "
                f"on line {earlier.line}; check they really share a phone"
            )
        else:
            row_of_mobile[row.mobile] = row
        rows.append(row)
    if not rows and not rejected:
        warnings.append("the file has a header but no staff rows")
    return RosterParse(tuple(rows), tuple(rejected), tuple(warnings))


def _check_row(line: int, cells: Sequence[object], header: Header) -> tuple[RosterRow | None, list[str]]:
    """The row, normalised, and every reason it cannot go in (row is None when there are any)."""
    reasons: list[str] = []

    def value(name: str) -> object:
        return header.cell(cells, name)

    def required_text(name: str, label: str) -> str:
        text = " ".join(cell_text(value(name)).split())
        if not text:
            reasons.append(f"{label} is missing")
        return text

    staff_ref = required_text("staff_ref", "staff ref")
    first_name = required_text("first_name", "first name")
    last_name = required_text("last_name", "last name")
    mobile = check_mobile(value("mobile"), reasons)
    role = normalise_role(cell_text(value("role")))
    if not role:
        reasons.append("role is missing")

    email = cell_text(value("email")) or None
    if email is not None and not _EMAIL.fullmatch(email):
        reasons.append(f"email {email!r} is not an email address")

    skills, unknown_skills = map_skills(cell_text(value("skills")))
    languages = split_list(cell_text(value("languages")))
    dbs_level = check_dbs_level(cell_text(value("dbs_level")), reasons)
    dbs_expiry = check_date(value("dbs_expiry"), "DBS expiry", reasons)
    pfa_trained_on, pfa_trained = check_trained(value("pfa_trained_on"), "PFA trained on", reasons)
    if pfa_trained and PSYCHOLOGICAL_FIRST_AID not in skills:
        # Trained in PFA is the skill shifts ask for, whichever column the agency used.
        skills = (PSYCHOLOGICAL_FIRST_AID, *skills)
    trainings, trained_in = _file_trainings(value, reasons)
    skills = (*skills, *(skill for course, skill in FILE_COURSES.values() if course in trained_in and skill not in skills))
    home_postcode = check_postcode(cell_text(value("home_postcode")), reasons)
    max_hours = check_hours(value("max_hours_per_week"), reasons)
    contact_by = check_contact_by(cell_text(value("contact_by")), reasons)
    reasons.extend(_stored_text_refusals(staff_ref=staff_ref, first_name=first_name, last_name=last_name,
                                         email=email, role=role, unknown_skills=unknown_skills,
                                         languages=languages))

    if reasons:
        return None, reasons
    return (
        RosterRow(
            line=line, staff_ref=staff_ref, first_name=first_name, last_name=last_name,
            mobile=mobile or "", role=role, email=email, skills=skills, unknown_skills=unknown_skills,
            languages=languages, dbs_level=dbs_level, dbs_expiry=dbs_expiry,
            pfa_trained_on=pfa_trained_on, home_postcode=home_postcode, max_hours_per_week=max_hours,
            contact_by=contact_by, trainings=trainings,
        ),
        reasons,
    )


def _file_trainings(value, reasons: list[str]) -> tuple[tuple[TrainingRecord, ...], set[str]]:
    """A record for each course of FILE_COURSES whose "trained on" the row dates, and every course it
    says the person holds (a date, or "yes" as the PFA column allows: the skill without a record); an
    expiry without a date completed, or one not after it, is a reason."""
    found, trained_in = [], set()
    for key, (course, _) in FILE_COURSES.items():
        reasons_before = len(reasons)
        done, trained = check_trained(value(f"{key}_trained_on"), f"{course} trained on", reasons)
        unreadable = len(reasons) > reasons_before  # already a reason: not said twice
        expires = check_date(value(f"{key}_expires_on"), f"{course} expires on", reasons)
        if expires is not None and done is None and not unreadable:
            reasons.append(f"{course} expires on is given without the day it was completed ({key}_trained_on)")
        elif done is not None and expires is not None and expires <= done:
            reasons.append(f"{course} expires on {expires:%d/%m/%Y}, on or before the day it was completed")
        elif trained:
            trained_in.add(course)
            if done is not None:
                found.append(TrainingRecord(course, done, expires))
    return tuple(found), trained_in


def _stored_text_refusals(*, staff_ref: str, first_name: str, last_name: str, email: str | None, role: str,
                          unknown_skills: tuple[str, ...], languages: tuple[str, ...]) -> list[str]:
    """A reason for each text the row would keep or report that is longer than its column or holds a
    control character: PostgreSQL refuses the first (and with it the whole file) and SQLite keeps both.
    Skills (unknown ones are reported, not stored) and languages are held to the column a shift's need
    names them in, so each could be asked for."""
    texts = [
        ("staff ref", staff_ref, StaffMember.staff_ref), ("first name", first_name, StaffMember.first_name),
        ("last name", last_name, StaffMember.last_name), ("email", email or "", StaffMember.email),
        ("role", role, StaffMember.role),
        *(("an entry in skills", skill, RequirementSkill.name) for skill in unknown_skills),
        *(("an entry in languages", language, RequirementSkill.name) for language in languages),
    ]
    return [refusal for what, text, column in texts if (refusal := one_line_refusal(text, what, column.type.length))]


DBS_SOON = 30  # days: an agency renews a check in about a month


def not_yet_placeable(rows: Iterable[RosterRow], today: date) -> list[str]:
    """What will stop each imported person being placed on a shift, said before the import rather
    than discovered when auto-fill silently passes them over (the same rules the assignment checks)."""
    found = []
    for row in rows:
        who = f"line {row.line} ({row.staff_ref} {row.first_name} {row.last_name})"
        if row.dbs_level is None:
            found.append(f"{who}: no DBS level given: cannot be placed on any shift until one is recorded "
                         "(add a dbs_level column: basic, standard or enhanced)")
        elif row.dbs_expiry is not None and row.dbs_expiry < today:
            found.append(f"{who}: DBS expired on {row.dbs_expiry:%d/%m/%Y}: cannot be placed until it is renewed")
        elif row.dbs_expiry is not None and (row.dbs_expiry - today).days <= DBS_SOON:
            found.append(f"{who}: DBS expires on {row.dbs_expiry:%d/%m/%Y}: no shift after that date")
        if row.pfa_trained_on is None and PSYCHOLOGICAL_FIRST_AID not in row.skills:
            found.append(f"{who}: no psychological first aid training recorded")
    return found
