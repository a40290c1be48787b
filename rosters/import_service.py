"""Importing a partner agency's roster file: a preview of what would change, then the upsert.

Rows are matched by (agency, staff_ref): a known ref updates the person, a new ref adds one,
and a row equal to what is stored changes nothing, so importing the same file twice reports
0 updated. People missing from the file are left as they are (an agency may send a partial
list); `active` and SMS opt-out are never changed by a file, nor a contact preference the file
leaves blank (it may have been set on the staff page). Bad rows are reported with every reason and
the good rows still go in.

An import never holds the database while it works: the file is read before any transaction begins
(core.sheet_rows bounds what that costs), what each row does is decided from what is stored a
batch at a time, and the changes are written WRITE_BATCH rows to a transaction, each a few tens of
milliseconds, so a webhook or the worker waits at most that long behind an import (SQLite has one
write lock for the whole database). A file that is not a roster is refused before anything is
written, and every row is checked against its columns first, so no batch fails on a row: a file
goes in whole. Only a database failure part-way can stop it; the batches before it stay, with
the file's audit event, which goes in with the first, and importing the same file again finishes
the rest (rows already in are unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, Role, require, require_agency
from core.clock import london, now
from core.db import in_chunks
from core.errors import InputError
from core.rejected_rows import RejectedRow
from core.sheet_rows import SheetRefused
from rosters.contact_preferences import DEFAULT_CONTACT_BY
from rosters.model import StaffMember, StaffTraining
from rosters.roster_rows import RosterRow, not_yet_placeable, read_roster
from rosters.training import TrainingRecord

# The stored fields a roster file sets, in the order changes are listed (contact_by only where written).
FILE_FIELDS = (
    "first_name", "last_name", "mobile", "email", "role", "skills", "languages", "dbs_level", "dbs_expiry",
    "pfa_trained_on", "home_postcode", "max_hours_per_week", "contact_by",
)
# Rows per write transaction, the longest a concurrent write then waits behind an import: under
# 50 ms for SQLite to insert or update 500 (200 ms when the commit checkpoints the WAL), on a busy machine.
WRITE_BATCH = 500


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


def _changed_fields(person, values: dict[str, object]) -> tuple[str, ...]:
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


def _shared_mobiles(session: Session, agency_id: int, rows: Iterable[RosterRow], in_file: set[str]) -> list[str]:
    """Warnings for mobiles the rows share with someone else on a roster once the file is in: another
    agency's person, or a colleague the file (its refs `in_file`) leaves as stored (one person on two
    rows, or a typo that would text the wrong person). Shares within the file are read_roster's warnings."""
    by_mobile: dict[str, list[RosterRow]] = {}
    for row in rows:
        by_mobile.setdefault(row.mobile, []).append(row)
    found = []
    for chunk in in_chunks(sorted(by_mobile)):
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
    return found


@dataclass
class _Plan:
    """What the file does, decided a batch of rows at a time; written by `_write`."""

    changes: list[StaffChange] = field(default_factory=list)
    new_rows: list[dict[str, object]] = field(default_factory=list)
    updates: dict[tuple[str, ...], list[dict[str, object]]] = field(default_factory=dict)  # by changed fields
    shared: list[str] = field(default_factory=list)
    trainings: list[tuple[str, TrainingRecord]] = field(default_factory=list)  # (staff ref, a record not yet kept)


def _plan(session: Session, agency_id: int, rows: tuple[RosterRow, ...], moment) -> _Plan:
    plan = _Plan()
    in_file = {row.staff_ref for row in rows}
    columns = [StaffMember.id, StaffMember.staff_ref, *(getattr(StaffMember, name) for name in FILE_FIELDS)]
    for batch in in_chunks(list(rows), WRITE_BATCH):
        stored = {person.staff_ref: person for person in session.execute(
            select(*columns).where(StaffMember.agency_id == agency_id,
                                   StaffMember.staff_ref.in_([row.staff_ref for row in batch])))}
        kept = _kept_trainings(session, [person.id for person in stored.values()])
        for row in batch:
            values = _file_values(row)
            name = f"{row.first_name} {row.last_name}"
            person = stored.get(row.staff_ref)
            new_trainings = [t for t in row.trainings
                             if person is None or (person.id, t.course, t.completed_on) not in kept]
            plan.trainings += [(row.staff_ref, t) for t in new_trainings]
            if person is None:
                plan.changes.append(StaffChange(row.line, row.staff_ref, name, "new"))
                plan.new_rows.append({"agency_id": agency_id, "staff_ref": row.staff_ref, "created_at": moment,
                                      "updated_at": moment, "active": True, "sms_opted_out": False,
                                      "contact_by": DEFAULT_CONTACT_BY.value, **values})
                continue
            changed = _changed_fields(person, values)
            shown = changed + tuple(f"{t.course} training" for t in new_trainings)
            plan.changes.append(StaffChange(row.line, row.staff_ref, name, "update" if shown else "unchanged",
                                            shown))
            if changed:
                plan.updates.setdefault(changed, []).append(
                    {"_id": person.id, "updated_at": moment, **{field_: values[field_] for field_ in changed}})
        plan.shared += _shared_mobiles(session, agency_id, batch, in_file)
        session.commit()  # each batch read is its own short transaction, as SQLite takes its lock to read too
    return plan


def _kept_trainings(session: Session, staff_ids: list[int]) -> set[tuple[int, str, object]]:
    """(staff id, course, completed on) of the records already kept for these people."""
    return set(session.execute(select(StaffTraining.staff_id, StaffTraining.course, StaffTraining.completed_on)
                               .where(StaffTraining.staff_id.in_(staff_ids))).all()) if staff_ids else set()


def _write(session: Session, plan: _Plan, agency_id: int, recorded_by: str, moment) -> None:
    """The plan's new people, updates and training records, WRITE_BATCH rows to a transaction."""
    for batch in in_chunks(plan.new_rows, WRITE_BATCH):
        session.execute(insert(StaffMember), batch)  # bulk: a 10,000-row roster goes in within seconds
        session.commit()
    table = StaffMember.__table__
    for fields, rows in plan.updates.items():
        statement = (update(table).where(table.c.id == bindparam("_id"))
                     .values({name: bindparam(name) for name in (*fields, "updated_at")}))
        for batch in in_chunks(rows, WRITE_BATCH):
            session.execute(statement, batch)
            session.commit()
    for batch in in_chunks(plan.trainings, WRITE_BATCH):
        ids = dict(session.execute(select(StaffMember.staff_ref, StaffMember.id).where(
            StaffMember.agency_id == agency_id, StaffMember.staff_ref.in_({ref for ref, _ in batch}))).all())
        session.execute(insert(StaffTraining), [
            {"staff_id": ids[ref], "course": t.course, "completed_on": t.completed_on, "expires_on": t.expires_on,
             "recorded_at": moment, "recorded_by": recorded_by} for ref, t in batch])
        session.commit()


def import_roster(
    session: Session, actor: Actor, agency_id: int, data: bytes, filename: str, *, dry_run: bool = False
) -> ImportReport:
    """Read a roster file and upsert its good rows into the agency's staff; with dry_run, only
    say what would change. Raises RosterRefused when the file is not a roster. Commits as it goes
    (see the module's docstring): what the caller did in `session` before is committed first."""
    require(actor, Permission.STAFF_EDIT)
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise InputError(f"There is no agency {agency_id}.")
    require_agency(actor, agency.id)
    agency_name = agency.name
    session.commit()  # no transaction, so no lock, while the file is read
    try:
        parsed = read_roster(data, filename)
    except SheetRefused as refused:
        raise RosterRefused(f"The file {filename!r} was refused: {refused.reason}.") from None

    moment = now()
    plan = _plan(session, agency_id, parsed.rows, moment)
    report = ImportReport(
        agency_id=agency_id, agency_name=agency_name, filename=filename, dry_run=dry_run,
        changes=tuple(plan.changes), rejected=parsed.rejected,
        warnings=parsed.warnings + tuple(sorted(plan.shared, key=_line_of))
        + tuple(not_yet_placeable(parsed.rows, london(moment).date())),
        unknown_skills=tuple((r.line, r.unknown_skills) for r in parsed.rows if r.unknown_skills),
    )
    # One event for the file, in the transaction of its first batch: no row goes in without it.
    # Per-row events would swamp the trail; `detail` names no person.
    record(session, actor, "preview_import" if dry_run else "import", "staff_roster", agency_id,
           detail=f"{filename}: {report.summary}, unchanged {report.unchanged}")
    if not dry_run:
        _write(session, plan, agency_id, actor.username, moment)
    return report


def _line_of(warning: str) -> int:
    return int(warning.split(":")[0].removeprefix("line "))


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

