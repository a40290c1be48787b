"""Importing a list of people into a named cohort of an incident (INTERFACES.md, "Cohort file").

Each usable row is a new contact, or merged into the contact (of the cohort, or an earlier row) it
is the same person as (outreach.same_person), so importing the same file again imports nobody.
A new contact who is already a registered person of the incident (same email or mobile, names
not conflicting) is linked to that person, not made a second one. A file that is not a cohort is
refused whole and nothing is saved; a bad row is rejected with its reasons while the rest go in.

An import never holds the database while it works (as rosters.import_service): the file is read
before any transaction begins, what it does is decided from one read of the cohort, and it is
written WRITE_BATCH contacts to a transaction, so a webhook or the worker waits at most a few
tens of milliseconds behind it. Every row is decided before the first batch, so no batch fails on
a row. Two imports into one cohort take turns: the first batch locks the cohort and refuses the
import, saving nothing, when another import has gone into the cohort since it was read. Only a
database failure part-way can stop an import; the batches before it stay, with the file's audit
event and its import record, which go in with the first, and importing the same file again merges
what went in and adds the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.db import bulk_insert
from core.errors import InputError
from core.rejected_rows import RejectedRow
from core.sheet_rows import SheetRefused
from core.typed_text import one_line
from outreach.cohort_rows import CohortRow, read_cohort
from outreach.lookups import cohort_named, incident_or_refuse
from outreach.model import Cohort, CohortImport, Contact, ContactAddress
from outreach.registered_people import link_registered
from outreach.same_person import Someone, sort_out
from outreach.vocabulary import DEFAULT_LAWFUL_BASIS, LAWFUL_BASES
from pathways.vocabulary import is_under_18

NAME_LENGTH, SOURCE_LENGTH, FILENAME_LENGTH = 120, 200, 200  # outreach.model's columns
WRITE_BATCH = 500  # contacts per write transaction: tens of milliseconds of SQLite's one write lock
_FILE_ORDER = 10**12  # rows of the file come after every stored contact (ordered by id)
_STORED = ("given_name", "family_name", "email", "mobile", "postcode", "nation", "force_area", "date_of_birth",
           "contact_ref")


class CohortRefused(InputError):
    """The file is not a cohort; nothing in it was used."""


@dataclass(frozen=True)
class CohortImportReport:
    incident_id: int
    cohort_name: str
    filename: str
    dry_run: bool
    imported: int  # new contacts
    merged: int  # rows that were someone already in the cohort or earlier in the file
    linked: int  # contacts found to be people already registered
    under_18: int  # new contacts under 18: they get the children's check
    rejected: tuple[RejectedRow, ...]
    notes: tuple[str, ...]

    @property
    def summary(self) -> str:
        return f"imported {self.imported}, merged {self.merged}, rejected {len(self.rejected)}"


def checked_names(cohort_name: str, source: str) -> tuple[str, str]:
    name = one_line(" ".join((cohort_name or "").split()), "The cohort name", NAME_LENGTH)
    if not name:
        raise InputError("Name the cohort (e.g. 'Arena ticket purchasers').")
    source = one_line(" ".join((source or "").split()), "The source", SOURCE_LENGTH)
    if not source:
        raise InputError("Say where the list came from (e.g. 'Ticketmaster purchasers export, 24 May').")
    return name, source


def import_cohort(session: Session, actor: Actor, incident_id: int | None, cohort_name: str, data: bytes,
                  filename: str, *, source: str, lawful_basis: str = DEFAULT_LAWFUL_BASIS,
                  dry_run: bool = False) -> CohortImportReport:
    """Read a cohort file into the named cohort (made on its first import, with the source and
    lawful basis); with dry_run, only say what would happen. CohortRefused when the file is not a cohort."""
    require(actor, Permission.OUTREACH_RUN)
    incident = incident_or_refuse(session, actor, incident_id)
    name, source = checked_names(cohort_name, source)
    if lawful_basis not in LAWFUL_BASES:
        raise InputError(f"Unknown lawful basis {lawful_basis!r}; allowed: {', '.join(LAWFUL_BASES)}")
    filename = one_line((filename or "cohort")[-FILENAME_LENGTH:], "The file name", FILENAME_LENGTH)
    incident_id = incident.id
    session.commit()  # no transaction, so no lock, while the file is read
    at = now()
    today = london(at).date()
    try:
        parsed = read_cohort(data, filename, today)
    except SheetRefused as refused:
        raise CohortRefused(f"The file {filename!r} was refused: {refused.reason}.") from None

    cohort = cohort_named(session, incident_id, name)
    stored = _stored_contacts(session, cohort.id) if cohort is not None else []
    imports_before = _imports_into(session, cohort)
    session.commit()  # merging the rows is plain Python: no lock meanwhile
    new, merged = sort_out(stored, [_from_row(row) for row in parsed.rows])
    linked = link_registered(session, incident_id, [*new, *(s for s in stored if s.filled)])
    session.commit()
    under_18 = sum(is_under_18(s.date_of_birth, today) for s in new)
    report = CohortImportReport(incident_id, name, filename, dry_run, len(new), merged, linked, under_18,
                                parsed.rejected, parsed.notes)
    detail = f"{filename} into {name!r} (source: {source}): {report.summary}, linked {linked}"
    if dry_run:
        record(session, actor, "preview_import", "cohort", cohort.id if cohort else None, incident_id=incident_id,
               detail=detail)
        return report
    # The first batch's transaction: the cohort (made on its first import), the import's record and
    # its audit event. One event for the file: per-row events would swamp the trail; `detail` names no person.
    cohort = cohort_named(session, incident_id, name, lock=True)
    if _imports_into(session, cohort) != imports_before:
        raise InputError(f"Another list went into the cohort {name!r} while this one was being read; "
                         "nothing was saved: import the file again.")
    if cohort is None:
        cohort = Cohort(incident_id=incident_id, name=name, source=source, lawful_basis=lawful_basis,
                        created_at=at, created_by_id=actor.user_id)
        session.add(cohort)
        session.flush()
    upload = CohortImport(cohort_id=cohort.id, filename=filename, source=source, imported=report.imported,
                          merged=merged, rejected=len(parsed.rejected), imported_at=at, imported_by_id=actor.user_id)
    session.add(upload)
    session.flush()
    record(session, actor, "import", "cohort", cohort.id, incident_id=incident_id, detail=detail)
    _save(session, cohort, upload, new, stored)
    return report


def _imports_into(session: Session, cohort: Cohort | None) -> int | None:
    """The cohort's latest import, or None for a cohort not made yet: what another import changes."""
    if cohort is None:
        return None
    return session.scalar(select(func.coalesce(func.max(CohortImport.id), 0)).where(CohortImport.cohort_id == cohort.id))


def _stored_contacts(session: Session, cohort_id: int) -> list[Someone]:
    others: dict[int, set[tuple[str, str]]] = {}
    for contact_id, kind, address in session.execute(
            select(ContactAddress.contact_id, ContactAddress.kind, ContactAddress.address)
            .join(Contact, Contact.id == ContactAddress.contact_id).where(Contact.cohort_id == cohort_id)):
        others.setdefault(contact_id, set()).add((kind, address))
    rows = session.execute(select(Contact.id, Contact.person_id, Contact.rows_merged,
                                  *(getattr(Contact, name) for name in _STORED))
                           .where(Contact.cohort_id == cohort_id).order_by(Contact.id))
    return [Someone(order=contact_id, contact_id=contact_id, person_id=person_id, rows_merged=rows_merged,
                    other_addresses=others.get(contact_id, set()), **dict(zip(_STORED, values, strict=True)))
            for contact_id, person_id, rows_merged, *values in rows]


def _from_row(row: CohortRow) -> Someone:
    return Someone(order=_FILE_ORDER + row.line, line=row.line,
                  **{name: getattr(row, name) for name in _STORED})


def _values(someone: Someone) -> dict[str, object]:
    return {**{name: getattr(someone, name) for name in _STORED}, "given_key": someone.given_key,
            "family_key": someone.family_key, "rows_merged": someone.rows_merged,
            "person_id": someone.person_id}


def _batches(items: list, size: int = WRITE_BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _save(session: Session, cohort: Cohort, upload: CohortImport, new: list[Someone], stored: list[Someone]) -> None:
    """The new contacts, the stored ones the file filled in and every new address, WRITE_BATCH to a
    transaction; the first continues the one holding the import's record."""
    at = upload.imported_at
    for batch in _batches(new):
        ids = bulk_insert(session, Contact, [{**_values(s), "cohort_id": cohort.id, "incident_id": cohort.incident_id,
                                              "import_id": upload.id, "created_at": at} for s in batch])
        for someone, contact_id in zip(batch, ids, strict=True):
            someone.contact_id = contact_id
        session.commit()
    # By primary key: re-importing 20,000 rows is one statement per batch.
    for batch in _batches([{"id": s.contact_id, **_values(s)} for s in stored if s.filled]):
        session.execute(update(Contact), batch)
        session.commit()
    for batch in _batches([dict(contact_id=s.contact_id, kind=kind, address=address)
                           for s in (*new, *stored) for kind, address in s.new_addresses]):
        session.execute(insert(ContactAddress), batch)
        session.commit()
    session.commit()  # the first transaction, when the file brought nothing new


@dataclass(frozen=True)
class CohortFacts:
    id: int
    name: str
    source: str
    lawful_basis: str  # in words
    created_at: datetime
    contacts: int


def cohorts_of(session: Session, actor: Actor, incident_id: int | None) -> list[CohortFacts]:
    """The incident's cohorts with their size, newest first."""
    require(actor, Permission.OUTREACH_RUN)
    incident = incident_or_refuse(session, actor, incident_id)
    sizes = dict(session.execute(select(Contact.cohort_id, func.count(Contact.id))
                                 .where(Contact.incident_id == incident.id).group_by(Contact.cohort_id)).all())
    return [CohortFacts(c.id, c.name, c.source, LAWFUL_BASES.get(c.lawful_basis, c.lawful_basis), c.created_at,
                        int(sizes.get(c.id, 0)))
            for c in session.scalars(select(Cohort).where(Cohort.incident_id == incident.id)
                                     .order_by(Cohort.created_at.desc(), Cohort.id.desc()))]
