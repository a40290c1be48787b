"""Importing a list of people into a named cohort of an incident (INTERFACES.md, "Cohort file").

Each usable row is a new contact, or merged into the contact (of the cohort, or an earlier row) it
is the same person as (outreach.same_person), so importing the same file again imports nobody.
A new contact who is already a registered person of the incident (same email or mobile, names
not conflicting) is linked to that person, not made a second one. A file that is not a cohort is
refused whole and nothing is saved; a bad row is rejected with its reasons while the rest go in.
"""

from __future__ import annotations

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
    at = now()
    today = london(at).date()
    try:
        parsed = read_cohort(data, filename, today)
    except SheetRefused as refused:
        raise CohortRefused(f"The file {filename!r} was refused: {refused.reason}.") from None

    cohort = cohort_named(session, incident.id, name, lock=True)  # two imports at once take turns
    stored = _stored_contacts(session, cohort.id) if cohort is not None else []
    new, merged = sort_out(stored, [_from_row(row) for row in parsed.rows])
    linked = link_registered(session, incident.id, [*new, *(s for s in stored if s.filled)])
    under_18 = sum(is_under_18(s.date_of_birth, today) for s in new)
    report = CohortImportReport(incident.id, name, filename, dry_run, len(new), merged, linked, under_18,
                                parsed.rejected, parsed.notes)
    if not dry_run:
        if cohort is None:
            cohort = Cohort(incident_id=incident.id, name=name, source=source, lawful_basis=lawful_basis,
                            created_at=at, created_by_id=actor.user_id)
            session.add(cohort)
            session.flush()
        _save(session, cohort, CohortImport(
            cohort_id=cohort.id, filename=filename, source=source, imported=report.imported, merged=merged,
            rejected=len(parsed.rejected), imported_at=at, imported_by_id=actor.user_id), new, stored)
    # One event for the file: per-row events would swamp the trail; `detail` names no person.
    record(session, actor, "preview_import" if dry_run else "import", "cohort", cohort.id if cohort else None,
           incident_id=incident.id, detail=f"{filename} into {name!r} (source: {source}): {report.summary}, "
                                           f"linked {linked}")
    return report


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


def _save(session: Session, cohort: Cohort, upload: CohortImport, new: list[Someone], stored: list[Someone]) -> None:
    session.add(upload)
    session.flush()
    at = upload.imported_at
    ids = bulk_insert(session, Contact, [{**_values(s), "cohort_id": cohort.id, "incident_id": cohort.incident_id,
                                          "import_id": upload.id, "created_at": at} for s in new])
    for someone, contact_id in zip(new, ids, strict=True):
        someone.contact_id = contact_id
    changed = [{"id": s.contact_id, **_values(s)} for s in stored if s.filled]
    if changed:  # by primary key, in batches: re-importing 20,000 rows is one statement per batch
        session.execute(update(Contact), changed)
    addresses = [dict(contact_id=s.contact_id, kind=kind, address=address)
                 for s in (*new, *stored) for kind, address in s.new_addresses]
    if addresses:
        session.execute(insert(ContactAddress), addresses)


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
