"""Reading a partner agency's roster file (CSV or XLSX) into checked rows, and writing CSV
exports that a spreadsheet cannot be tricked into running.

The contract is INTERFACES.md, "Roster file". A file that is not a roster is refused whole
(RosterFileRefused); otherwise every row is either a RosterRow, normalised, or a RejectedRow
listing every problem found in it, so the good rows can go in and the agency can fix the rest.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from core.phone import normalise_mobile
from core.typed_text import one_line_refusal
from rosters.model import RequirementSkill, StaffMember
from rosters.skills import PSYCHOLOGICAL_FIRST_AID, map_skills, normalise_role, split_list

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
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
}
_FIELD_BY_HEADER: dict[str, tuple[str, int]] = {
    key: (name, rank) for name, keys in COLUMN_ALIASES.items() for rank, key in enumerate(keys)
}
_FULL_NAME_HEADERS = frozenset({"name", "fullname", "staffname", "employeename"})

DBS_LEVELS = ("basic", "standard", "enhanced")

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# Royal Mail's format rules (outward code letters by position; inward code excludes
# C I K M O V), plus the Girobank oddity.
_POSTCODE = re.compile(
    r"(GIR 0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2})"
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_UK_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_NAMED_MONTH_DATE = re.compile(r"(\d{1,2})[\s\-]+([A-Za-z]{3,9})\.?[\s\-,]+(\d{4}|\d{2})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}
_HOURS = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)?", re.IGNORECASE)
# Excel shows long numbers as "7.4E+09" and saves them that way to CSV: the digits are gone.
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
_NO_DBS = frozenset({"none", "no", "n/a", "na", "nil", "-", "pending", "applied", "applied for"})
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


class RosterFileRefused(Exception):
    """The file is not a roster this tool can read; nothing in it was used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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
    dbs_level: str | None = None  # one of DBS_LEVELS
    dbs_expiry: date | None = None
    pfa_trained_on: date | None = None
    home_postcode: str | None = None  # "SW1A 1AA"
    max_hours_per_week: float | None = None


@dataclass(frozen=True)
class RejectedRow:
    """A row that cannot go in. `values` is the row as written, keyed by the file's own
    header text (what the agency will recognise in a report); `reasons` lists every problem."""

    line: int
    values: Mapping[str, str] = field(hash=False)
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RosterParse:
    rows: tuple[RosterRow, ...]
    rejected: tuple[RejectedRow, ...]
    warnings: tuple[str, ...]


# ---------------------------------------------------------------------------------------
# Reading


def read_roster(data: bytes, filename: str) -> RosterParse:
    """Read a roster file. Raises RosterFileRefused, and nothing else, for a file that is not
    a readable roster: empty, too big, binary, not a workbook, over MAX_ROWS rows, or with
    no header row holding all of REQUIRED_COLUMNS."""
    if not data:
        raise RosterFileRefused("the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise RosterFileRefused(
            f"the file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    name = (filename or "").casefold()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileRefused("this is an old Excel .xls file; save it as .xlsx or CSV")
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        return _read_workbook(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> RosterParse:
    text = _decode(data)
    # Choose the delimiter by which one gives a real header, not by guessing from counts:
    # a semicolon file can have commas inside cells and the reverse.
    best = max(
        (",", ";", "\t"),
        key=lambda delimiter: _header_score(_csv_records(text, delimiter)),
    )
    return _parse_records(_csv_records(text, best))


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text" export
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise RosterFileRefused("the file claims to be UTF-16 text but is not") from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")  # Excel's "CSV" on Windows
            except UnicodeDecodeError as exc:
                raise RosterFileRefused("the file is not text in UTF-8 or Windows-1252") from exc
    # No text file holds NUL; images, PDFs and the like all do.
    if "\x00" in text:
        raise RosterFileRefused("this is a binary file, not a CSV or XLSX roster")
    return text


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, Sequence[object]]]:
    """(line, cells): the line is the record number, as a spreadsheet would number the row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise RosterFileRefused(f"the file is not valid CSV near row {reader.line_num}: {exc}") from exc


def _read_workbook(data: bytes) -> RosterParse:
    import openpyxl  # only XLSX needs it; keeps CSV imports light

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise RosterFileRefused("the file is not an Excel workbook (.xlsx) that can be opened") from exc
    try:
        if not workbook.worksheets:
            raise RosterFileRefused("the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        # Some writers record a wrong sheet size; reading without it reads every row.
        sheet.reset_dimensions()
        return _parse_records(enumerate(sheet.iter_rows(values_only=True), start=1))
    except RosterFileRefused:
        raise
    except Exception as exc:  # a damaged sheet inside a well-formed zip
        raise RosterFileRefused(f"the workbook's first sheet could not be read ({type(exc).__name__})") from exc
    finally:
        workbook.close()


def _is_blank(cells: Sequence[object]) -> bool:
    return all(_text(cell) == "" for cell in cells)


def _header_key(cell: object) -> str:
    return "".join(ch for ch in _text(cell).casefold() if ch.isascii() and ch.isalnum())


@dataclass
class _Header:
    line: int
    labels: list[str]  # each column's header as written (made unique)
    columns: dict[str, int]  # field -> column index
    warnings: list[str]
    full_name_column: bool


def _match_header(line: int, cells: Sequence[object]) -> _Header:
    columns: dict[str, int] = {}
    ranks: dict[str, int] = {}
    warnings: list[str] = []
    labels: list[str] = []
    used_labels: set[str] = set()
    full_name = False
    for index, cell in enumerate(cells):
        label = _text(cell) or f"column {index + 1}"
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
    return _Header(line, labels, columns, warnings, full_name)


def _candidate_headers(records: Iterable[tuple[int, Sequence[object]]]) -> Iterator[_Header]:
    seen = 0
    for line, cells in records:
        if _is_blank(cells):
            continue
        yield _match_header(line, cells)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            return


def _header_score(records: Iterable[tuple[int, Sequence[object]]]) -> int:
    try:
        return max((len(h.columns) for h in _candidate_headers(records)), default=0)
    except RosterFileRefused:
        return -1


def _parse_records(records: Iterable[tuple[int, Sequence[object]]]) -> RosterParse:
    records = iter(records)
    header: _Header | None = None
    best: _Header | None = None
    # Consume the same iterator as the search, so the data rows follow on from the header.
    for candidate in _candidate_headers(records):
        if all(name in candidate.columns for name in REQUIRED_COLUMNS):
            header = candidate
            break
        if best is None or len(candidate.columns) > len(best.columns):
            best = candidate
    if header is None:
        raise RosterFileRefused(_no_header_reason(best))

    warnings = list(header.warnings)
    if header.line > 1:
        warnings.append(f"the header was found on line {header.line}; the lines above it were skipped")
    rows: list[RosterRow] = []
    rejected: list[RejectedRow] = []
    line_of_ref: dict[str, int] = {}
    row_of_mobile: dict[str, RosterRow] = {}
    count = 0
    for line, cells in records:
        if _is_blank(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise RosterFileRefused(f"the file has more than {MAX_ROWS:,} rows; split it into smaller files")
        row, reasons = _check_row(line, cells, header)
        ref = _text(_cell(cells, header.columns["staff_ref"]))
        if ref:
            ref = " ".join(ref.split())
            if ref in line_of_ref:
                reasons.append(f"staff ref {ref!r} is already used on line {line_of_ref[ref]}")
            else:
                line_of_ref[ref] = line
        if reasons or row is None:
            rejected.append(RejectedRow(line, _raw_values(cells, header), tuple(reasons)))
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
    if count == 0:
        warnings.append("the file has a header but no staff rows")
    return RosterParse(tuple(rows), tuple(rejected), tuple(warnings))


def _no_header_reason(best: _Header | None) -> str:
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


def _cell(cells: Sequence[object], index: int) -> object:
    return cells[index] if index < len(cells) else None


def _raw_values(cells: Sequence[object], header: _Header) -> dict[str, str]:
    values = {}
    for index, cell in enumerate(cells):
        label = header.labels[index] if index < len(header.labels) else f"column {index + 1}"
        text = _text(cell)
        if text or index < len(header.labels):
            values[label] = text
    return values


def _text(cell: object) -> str:
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


def _check_row(line: int, cells: Sequence[object], header: _Header) -> tuple[RosterRow | None, list[str]]:
    """The row, normalised, and every reason it cannot go in (row is None when there are any)."""
    reasons: list[str] = []

    def value(name: str) -> object:
        index = header.columns.get(name)
        return None if index is None else _cell(cells, index)

    def required_text(name: str, label: str) -> str:
        text = " ".join(_text(value(name)).split())
        if not text:
            reasons.append(f"{label} is missing")
        return text

    staff_ref = required_text("staff_ref", "staff ref")
    first_name = required_text("first_name", "first name")
    last_name = required_text("last_name", "last name")
    mobile = _check_mobile(value("mobile"), reasons)
    role = normalise_role(_text(value("role")))
    if not role:
        reasons.append("role is missing")

    email = _text(value("email")) or None
    if email is not None and not _EMAIL.fullmatch(email):
        reasons.append(f"email {email!r} is not an email address")

    skills, unknown_skills = map_skills(_text(value("skills")))
    languages = split_list(_text(value("languages")))
    dbs_level = _check_dbs_level(_text(value("dbs_level")), reasons)
    dbs_expiry = _check_date(value("dbs_expiry"), "DBS expiry", reasons)
    pfa_trained_on, pfa_trained = _check_pfa(value("pfa_trained_on"), reasons)
    if pfa_trained and PSYCHOLOGICAL_FIRST_AID not in skills:
        # Trained in PFA is the skill shifts ask for, whichever column the agency used.
        skills = (PSYCHOLOGICAL_FIRST_AID, *skills)
    home_postcode = _check_postcode(_text(value("home_postcode")), reasons)
    max_hours = _check_hours(value("max_hours_per_week"), reasons)
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
        ),
        reasons,
    )


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


def _check_mobile(cell: object, reasons: list[str]) -> str | None:
    # A number cell loses the leading 0 (07400 123456 becomes 7400123456); phonenumbers
    # reads ten digits starting 7 as the UK mobile they were, and 447400123456 as +44.
    text = _text(cell)
    if not text:
        reasons.append("mobile is missing")
        return None
    if _SCIENTIFIC.fullmatch(text):
        reasons.append(
            f"mobile {text!r} was turned into a number by the spreadsheet and lost its digits; "
            "format the column as text"
        )
        return None
    try:
        return normalise_mobile(text)
    except ValueError as exc:
        reasons.append(f"mobile: {exc}")
        return None


def _check_dbs_level(text: str, reasons: list[str]) -> str | None:
    """basic, standard or enhanced; None when blank or when the cell says there is none."""
    if not text or text.casefold() in _NO_DBS:
        return None
    words = [w for w in re.split(r"[^a-z]+", text.casefold()) if w and w not in ("dbs", "check", "level")]
    first = words[0] if words else ""
    # "Enhanced with barred list(s)" and "Enhanced + barred" are still enhanced checks.
    if first.startswith("enh"):
        return "enhanced"
    if first in ("standard", "std"):
        return "standard"
    if first == "basic":
        return "basic"
    reasons.append(f"DBS level {text!r} is not basic, standard or enhanced")
    return None


def parse_date(cell: object) -> date:
    """A roster date: a spreadsheet date cell, ISO "2026-03-01", UK day-first "01/03/2026"
    (also "-" or "." between, and a two-digit year meaning 20YY, since roster dates such as
    DBS expiry and training are never last century), or "1 Mar 2026". ValueError otherwise."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        raise ValueError(f"{_text(cell)!r} is a number, not a date (format the cell as a date)")
    text = _text(cell)
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK_DATE.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
    elif (match := _NAMED_MONTH_DATE.fullmatch(text)) and match.group(2).casefold() in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).casefold()], int(match.group(3))
        if len(match.group(3)) == 2:
            year += 2000
    else:
        raise ValueError(f"{text!r} is not a date (write 2026-03-01 or 01/03/2026)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date (day/month/year)") from None


def _check_date(cell: object, label: str, reasons: list[str]) -> date | None:
    if _text(cell) == "":
        return None
    try:
        return parse_date(cell)
    except ValueError as exc:
        reasons.append(f"{label}: {exc}")
        return None


def _check_pfa(cell: object, reasons: list[str]) -> tuple[date | None, bool]:
    """(training date, trained?). A "PFA trained" column may hold a date or a yes/no."""
    text = _text(cell).casefold()
    if not text or text in _NO:
        return None, False
    if text in _YES:
        return None, True
    trained_on = _check_date(cell, "PFA trained on", reasons)
    return trained_on, trained_on is not None


def normalise_postcode(text: str) -> str:
    """A UK postcode in its standard form ("sw1a1aa" -> "SW1A 1AA"); ValueError if it is not one."""
    compact = "".join(text.split()).upper()
    candidate = f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact
    if not _POSTCODE.fullmatch(candidate):
        raise ValueError(f"{text!r} is not a UK postcode")
    return candidate


def _check_postcode(text: str, reasons: list[str]) -> str | None:
    if not text:
        return None
    try:
        return normalise_postcode(text)
    except ValueError as exc:
        reasons.append(f"home postcode: {exc}")
        return None


def _check_hours(cell: object, reasons: list[str]) -> float | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        hours = float(cell)
        shown = _text(cell)
    else:
        shown = _text(cell)
        if not shown:
            return None
        match = _HOURS.fullmatch(shown)
        if not match:
            reasons.append(f"max hours per week {shown!r} is not a number of hours")
            return None
        hours = float(match.group(1))
    if not 0 < hours <= 168:  # also refuses NaN
        reasons.append(f"max hours per week {shown} must be more than 0 and at most 168")
        return None
    return hours
