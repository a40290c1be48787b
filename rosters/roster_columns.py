"""Which column of a roster file holds which field: finding the header row (it may sit below a
title or notes block), matching its spellings to fields, and refusing a file whose header
lacks a required column, saying which and how they might be spelt.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rosters.sheet_rows import Record, RosterFileRefused, cell_text, is_blank

# How far down a title or notes block may push the header row.
HEADER_SEARCH_ROWS = 10

REQUIRED_COLUMNS = ("staff_ref", "first_name", "last_name", "mobile", "role")

# Header spellings for each column, in the form _header_key() gives (lower case, letters
# and digits only), best first: when a file has two columns for one field ("Mobile" and
# "Phone"), the better-named one is read and the other ignored with a warning.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_ref": (
        "staffref", "staffreference", "staffid", "staffno", "staffnumber", "employeenumber",
        "employeeno", "employeeid", "employeeref", "payrollnumber", "payrollno", "personnelnumber",
        "personnelno", "ref", "reference", "id",
    ),
    "first_name": ("firstname", "forename", "forenames", "givenname", "givennames", "first"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "mobile": (
        "mobile", "mobilenumber", "mobileno", "mobilephone", "mobilephonenumber", "mobiletel",
        "mobiletelephone", "sms", "smsnumber", "cell", "cellphone", "contactnumber", "phone",
        "phonenumber", "phoneno", "tel", "telno", "telephone", "telephonenumber",
    ),
    "email": ("email", "emailaddress", "mail", "workemail"),
    "role": ("role", "jobtitle", "jobrole", "position", "post", "designation"),
    "skills": ("skills", "skill", "skillset", "competencies", "specialisms", "specialism"),
    "languages": ("languages", "language", "languagesspoken", "spokenlanguages", "otherlanguages"),
    "dbs_level": ("dbslevel", "dbs", "dbstype", "dbscheck", "dbschecklevel", "dbschecktype"),
    "dbs_expiry": (
        "dbsexpiry", "dbsexpirydate", "dbsexpires", "dbsvaliduntil", "dbsvalidto",
        "dbsrenewal", "dbsrenewaldate", "dbsrenewaldue",
    ),
    "pfa_trained_on": (
        "pfatrainedon", "pfatrained", "pfadate", "pfatrainingdate", "pfa",
        "psychologicalfirstaid", "psychologicalfirstaidtrained", "psychologicalfirstaidtrainedon",
        "psychologicalfirstaiddate",
    ),
    "home_postcode": ("homepostcode", "postcode", "postalcode", "postcodehome", "homepostalcode"),
    "max_hours_per_week": (
        "maxhoursperweek", "maxhours", "maximumhours", "maximumhoursperweek", "maxweeklyhours",
        "maxhrs", "maxhrsperweek", "maxhoursweek", "hoursperweek", "weeklyhours",
    ),
    # Not "contact" or "preferred contact": rosters use those for a phone number.
    "contact_by": (
        "contactby", "contactpreference", "contactpreferences", "contactmethod", "preferredcontactmethod",
        "preferredchannel", "preferredchannels", "howtocontact", "calloutcontact", "calloutpreference",
    ),
}
_FIELD_BY_HEADER: dict[str, tuple[str, int]] = {
    key: (name, rank) for name, keys in COLUMN_ALIASES.items() for rank, key in enumerate(keys)
}
_FULL_NAME_HEADERS = frozenset({"name", "fullname", "staffname", "employeename"})


@dataclass
class Header:
    line: int
    labels: list[str]  # each column's header as written (made unique)
    columns: dict[str, int]  # field -> column index
    warnings: list[str]
    full_name_column: bool

    def cell(self, cells: Sequence[object], name: str) -> object:
        """The row's cell for field `name`; None when the file has no such column or the row stops short."""
        index = self.columns.get(name)
        return None if index is None or index >= len(cells) else cells[index]

    def as_written(self, cells: Sequence[object]) -> dict[str, str]:
        """The row keyed by the file's own header text, as the agency will recognise it."""
        values = {}
        for index, cell in enumerate(cells):
            label = self.labels[index] if index < len(self.labels) else f"column {index + 1}"
            text = cell_text(cell)
            if text or index < len(self.labels):
                values[label] = text
        return values


def find_header(records: Iterator[Record]) -> Header:
    """The first row, within HEADER_SEARCH_ROWS non-blank rows, holding every required column;
    `records` is left at the row after it. RosterFileRefused, saying what the best candidate
    lacked, when there is none."""
    best: Header | None = None
    for candidate in _candidate_headers(records):
        if all(name in candidate.columns for name in REQUIRED_COLUMNS):
            return candidate
        if best is None or len(candidate.columns) > len(best.columns):
            best = candidate
    raise RosterFileRefused(_no_header_reason(best))


def header_score(records: Iterable[Record]) -> int:
    """How many fields the best-matching header row names; -1 for rows that cannot be read."""
    try:
        return max((len(h.columns) for h in _candidate_headers(records)), default=0)
    except RosterFileRefused:
        return -1


def _header_key(cell: object) -> str:
    return "".join(ch for ch in cell_text(cell).casefold() if ch.isascii() and ch.isalnum())


def _match_header(line: int, cells: Sequence[object]) -> Header:
    columns: dict[str, int] = {}
    ranks: dict[str, int] = {}
    warnings: list[str] = []
    labels: list[str] = []
    used_labels: set[str] = set()
    full_name = False
    for index, cell in enumerate(cells):
        label = cell_text(cell) or f"column {index + 1}"
        if label in used_labels:
            label = f"{label} (column {index + 1})"
        used_labels.add(label)
        labels.append(label)
        key = _header_key(cell)
        if not key:
            continue
        full_name = full_name or key in _FULL_NAME_HEADERS
        match = _FIELD_BY_HEADER.get(key)
        if match is None:
            warnings.append(f"column {label!r} is not a roster column and was ignored")
            continue
        name, rank = match
        if name in columns:
            kept, dropped = (index, columns[name]) if rank < ranks[name] else (columns[name], index)
            warnings.append(
                f"columns {labels[kept]!r} and {labels[dropped]!r} both look like {name}; "
                f"{labels[kept]!r} was used"
            )
            if kept != index:
                continue
        columns[name] = index
        ranks[name] = rank
    return Header(line, labels, columns, warnings, full_name)


def _candidate_headers(records: Iterable[Record]) -> Iterator[Header]:
    seen = 0
    for line, cells in records:
        if is_blank(cells):
            continue
        yield _match_header(line, cells)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            return


def _no_header_reason(best: Header | None) -> str:
    if best is None:
        return "the file has no rows"
    missing = [name for name in REQUIRED_COLUMNS if name not in best.columns]
    if not best.columns:
        reason = "no roster header found (looked in the first 10 rows): it needs columns " + ", ".join(missing)
    else:
        reason = f"the header on line {best.line} is missing required columns: " + ", ".join(missing)
    examples = {
        "staff_ref": "Staff ID", "first_name": "First name", "last_name": "Surname",
        "mobile": "Mobile Number", "role": "Role",
    }
    reason += " (e.g. " + ", ".join(repr(examples[m]) for m in missing) + ")"
    if best.full_name_column and ("first_name" in missing or "last_name" in missing):
        reason += "; a single name column must be split into first name and surname"
    return reason
