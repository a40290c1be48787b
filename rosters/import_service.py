"""Importing a partner agency's roster file: a preview of what would change, then the upsert.

Rows are matched by (agency, staff_ref): a known ref updates the person, a new ref adds one,
and a row equal to what is stored changes nothing, so importing the same file twice reports
0 updated. People missing from the file are left as they are (an agency may send a partial
list); `active` and SMS opt-out are never changed by a file, nor a contact preference the file
leaves blank (it may have been set on the staff page). Bad rows are reported with every reason and
the good rows still go in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, Role, require, require_agency
from core.clock import london, now
from core.errors import InputError
from core.rejected_rows import RejectedRow
from core.sheet_rows import SheetRefused
from rosters.contact_preferences import DEFAULT_CONTACT_BY
from rosters.model import StaffMember
from rosters.roster_rows import RosterRow, not_yet_placeable, read_roster

# The stored fields a roster file sets, in the order changes are listed (contact_by only where written).
FILE_FIELDS = (
    "first_name", "last_name", "mobile", "email", "role", "skills", "languages", "dbs_level", "dbs_expiry",
    "pfa_trained_on", "home_postcode", "max_hours_per_week", "contact_by",
)
_IN_CHUNK = 500  # rows per IN (...) list: SQLite caps bound parameters


class RosterRefused(InputError):
    """The file is not a roster; nothing in it was used."""


@dataclass(frozen=True)
class StaffChange:
    line: int
    staff_ref: str
    name: str
    action: str  # "new", "update" or "unchanged"
    fields: tuple[str, ...] = ()  # for an update: which stored fields the file changes


@dataclass(frozen=True)
class ImportReport:
    agency_id: int
    agency_name: str
    filename: str
    dry_run: bool
    changes: tuple[StaffChange, ...]
    rejected: tuple[RejectedRow, ...]
    warnings: tuple[str, ...]
    unknown_skills: tuple[tuple[int, tuple[str, ...]], ...] = field(default=())  # (line, skills as written)

    def _count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def imported(self) -> int:
        return self._count("new")

    @property
    def updated(self) -> int:
        return self._count("update")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def summary(self) -> str:
        return f"imported {self.imported}, updated {self.updated}, rejected {len(self.rejected)}"


def _file_values(row: RosterRow) -> dict[str, object]:
    """The fields the row sets, in FILE_FIELDS order."""
    values = {name: getattr(row, name) for name in FILE_FIELDS}
    values["skills"] = list(row.skills)
    values["languages"] = list(row.languages)
    if row.contact_by is None:
        del values["contact_by"]
    return values


def _changed_fields(person: StaffMember, values: dict[str, object]) -> tuple[str, ...]:
    changed = []
    for name, new in values.items():
        stored = getattr(person, name)
        if isinstance(stored, list):
            stored = list(stored)
        if isinstance(stored, float) and isinstance(new, float):
            if abs(stored - new) > 1e-9:
                changed.append(name)
        elif stored != new:
            changed.append(name)
    return tuple(changed)


def _chunks(items: list, size: int = _IN_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _shared_mobiles(session: Session, agency_id: int, rows: Iterable[RosterRow]) -> list[str]:
    """Warnings for mobiles the file shares with someone else on a roster once it is in: another
    agency's person, or a colleague this file leaves as stored (one person on two rows, or a
    typo that would text the wrong person). Shares within the file are read_roster's warnings."""
    by_mobile: dict[str, list[RosterRow]] = {}
    for row in rows:
        by_mobile.setdefault(row.mobile, []).append(row)
    in_file = {row.staff_ref for group in by_mobile.values() for row in group}
    found = []
    for chunk in _chunks(sorted(by_mobile)):
        q = (
            select(StaffMember.mobile, StaffMember.staff_ref, StaffMember.agency_id, Agency.name)
            .join(Agency, Agency.id == StaffMember.agency_id)
            .where(StaffMember.mobile.in_(chunk))
            .order_by(Agency.name, StaffMember.staff_ref)
        )
        for mobile, ref, their_agency, agency_name in session.execute(q):
            if their_agency == agency_id and ref in in_file:  # takes the file's mobile: checked in the file
                continue
            for row in by_mobile[mobile]:
                found.append(
                    f"line {row.line}: mobile of {row.staff_ref} is also on {agency_name}'s roster (ref {ref})"
                )
    return sorted(found, key=lambda w: int(w.split(":")[0].removeprefix("line ")))


def import_roster(
    session: Session, actor: Actor, agency_id: int, data: bytes, filename: str, *, dry_run: bool = False
) -> ImportReport:
    """Read a roster file and upsert its good rows into the agency's staff; with dry_run, only
    say what would change. Raises RosterRefused when the file is not a roster."""
    require(actor, Permission.STAFF_EDIT)
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise InputError(f"There is no agency {agency_id}.")
    require_agency(actor, agency.id)
    try:
        parsed = read_roster(data, filename)
    except SheetRefused as refused:
        raise RosterRefused(f"The file {filename!r} was refused: {refused.reason}.") from None

    stored = {p.staff_ref: p for p in session.scalars(select(StaffMember).where(StaffMember.agency_id == agency.id))}
    changes: list[StaffChange] = []
    new_rows: list[dict[str, object]] = []
    moment = now()
    for row in parsed.rows:
        values = _file_values(row)
        name = f"{row.first_name} {row.last_name}"
        person = stored.get(row.staff_ref)
        if person is None:
            changes.append(StaffChange(row.line, row.staff_ref, name, "new"))
            new_rows.append({"agency_id": agency.id, "staff_ref": row.staff_ref, "created_at": moment,
                             "updated_at": moment, "active": True, "sms_opted_out": False,
                             "contact_by": DEFAULT_CONTACT_BY.value, **values})
            continue
        changed = _changed_fields(person, values)
        changes.append(StaffChange(row.line, row.staff_ref, name, "update" if changed else "unchanged", changed))
        if changed and not dry_run:
            for name_ in changed:
                setattr(person, name_, values[name_])
            person.updated_at = moment

    report = ImportReport(
        agency_id=agency.id, agency_name=agency.name, filename=filename, dry_run=dry_run, changes=tuple(changes),
        rejected=parsed.rejected,
        warnings=parsed.warnings + tuple(_shared_mobiles(session, agency.id, parsed.rows))
        + tuple(not_yet_placeable(parsed.rows, london(moment).date())),
        unknown_skills=tuple((r.line, r.unknown_skills) for r in parsed.rows if r.unknown_skills),
    )
    if new_rows and not dry_run:
        session.execute(insert(StaffMember), new_rows)  # bulk: a 10,000-row roster goes in within seconds
    session.flush()
    # One event for the file: per-row events would swamp the trail; `detail` names no person.
    record(session, actor, "preview_import" if dry_run else "import", "staff_roster", agency.id,
           detail=f"{filename}: {report.summary}, unchanged {report.unchanged}")
    return report


def row_by_row(report: ImportReport) -> list[str]:
    """What the import does (or, in a dry run, would do) with each row, in file order."""
    verb = ({"new": "would be new", "update": "would update", "unchanged": "unchanged"} if report.dry_run
            else {"new": "new", "update": "updated", "unchanged": "unchanged"})
    lines = [(c.line, f"line {c.line}: {c.staff_ref} {c.name}: {verb[c.action]}"
                      + (f" {', '.join(c.fields)}" if c.fields else "")) for c in report.changes]
    lines += [(r.line, f"line {r.line}: rejected: {'; '.join(r.reasons)}") for r in report.rejected]
    return [text for _, text in sorted(lines, key=lambda pair: pair[0])]


def agency_choices(session: Session, actor: Actor) -> list[Agency]:
    """The agencies the actor may import for: a coordinator's own, everyone's for the others."""
    require(actor, Permission.STAFF_EDIT)
    q = select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)
    if actor.role == Role.AGENCY_COORDINATOR:
        q = q.where(Agency.id == actor.agency_id)
    return list(session.scalars(q))

