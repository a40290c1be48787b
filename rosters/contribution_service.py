"""Agency contributions to an incident: what each agency agreed to give (recorded by a hub
manager) against what it gave (its people on the incident's shifts). A coordinator sees their own
agency's."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record, record_opening
from core.auth.roles import Actor, Permission, Role, require
from core.clock import london, now
from core.errors import InputError
from incident.queries import incident_facts
from rosters.contribution import Agreement, Given, checked_agreement, given, person_days_asked
from rosters.model import AgencyContribution, Assignment, ShiftRequirement, StaffMember


def record_contribution(session: Session, actor: Actor, incident_id: int, agency_id: int,
                        agreement: Agreement) -> AgencyContribution:
    """What the agency agreed to give the incident; a new agreement replaces the one before (audited)."""
    require(actor, Permission.SHIFTS_PLAN)
    if incident_facts(session, incident_id) is None:
        raise InputError(f"There is no incident {incident_id}.")
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise InputError(f"There is no agency {agency_id}.")
    agreement = checked_agreement(agreement)
    row = session.scalar(select(AgencyContribution).where(AgencyContribution.incident_id == incident_id,
                                                          AgencyContribution.agency_id == agency_id))
    action = "update" if row is not None else "create"
    if row is None:
        row = AgencyContribution(incident_id=incident_id, agency_id=agency_id)
        session.add(row)
    row.staff_per_day, row.roles = agreement.staff_per_day, agreement.roles
    row.starts_on, row.ends_on = agreement.starts_on, agreement.ends_on
    row.recorded_at, row.recorded_by = now(), actor.username
    session.flush()
    record(session, actor, action, "agency_contribution", row.id, incident_id=incident_id,
           detail=f"{agency.name}: {agreement.staff_per_day} a day from {agreement.starts_on.isoformat()}"
           + (f" to {agreement.ends_on.isoformat()}" if agreement.ends_on else ""))
    return row


@dataclass(frozen=True)
class ContributionLine:
    agency_id: int
    agency: str
    agreed: Agreement | None  # None: it gave without an agreement recorded
    person_days_asked: int
    given: Given


def agency_contributions(session: Session, actor: Actor, incident_id: int) -> list[ContributionLine]:
    """Every agency that agreed to give or gave, by name: asked so far against given (shifts ended)."""
    require(actor, Permission.STAFF_VIEW)
    return contribution_lines(session, incident_id, actor.agency_id if actor.role == Role.AGENCY_COORDINATOR else None)


def contributions_for_governance(session: Session, actor: Actor, incident_id: int) -> list[ContributionLine]:
    """The same figures for the commissioner's office and the auditor (the after-action review's
    staffing), each reading recorded in the audit trail."""
    require(actor, Permission.GOVERNANCE_VIEW)
    lines = contribution_lines(session, incident_id)
    record_opening(session, actor, "agency_contribution", incident_id, incident_id=incident_id, reason="",
                   detail="governance: what each agency agreed to give and gave")
    return lines


def contribution_lines(session: Session, incident_id: int, only: int | None = None) -> list[ContributionLine]:
    """Asked against given per agency (`only`: one agency's), for the services above that decide who
    reads them, and the after-action report, which is audited as a whole."""
    if incident_facts(session, incident_id) is None:
        raise InputError(f"There is no incident {incident_id}.")
    agreements = {c.agency_id: c for c in session.scalars(
        select(AgencyContribution).where(AgencyContribution.incident_id == incident_id))}
    worked: dict[int, list] = {}
    for agency_id, staff_id, start, end in session.execute(
            select(StaffMember.agency_id, Assignment.staff_id, ShiftRequirement.starts_at, ShiftRequirement.ends_at)
            .join(Assignment, Assignment.staff_id == StaffMember.id)
            .join(ShiftRequirement, ShiftRequirement.id == Assignment.requirement_id)
            .where(ShiftRequirement.incident_id == incident_id, Assignment.withdrawn_at.is_(None),
                   ShiftRequirement.ends_at <= now())):
        worked.setdefault(agency_id, []).append((staff_id, start, end))
    ids = {a for a in {*agreements, *worked} if only is None or a == only}
    names = dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids))).all()) if ids else {}
    today = london(now()).date()
    lines = []
    for agency_id in ids:
        c = agreements.get(agency_id)
        agreed = Agreement(c.staff_per_day, c.starts_on, c.ends_on, c.roles) if c else None
        lines.append(ContributionLine(agency_id, names[agency_id], agreed,
                                      person_days_asked(agreed, today) if agreed else 0,
                                      given(worked.get(agency_id, ()))))
    return sorted(lines, key=lambda line: line.agency)
