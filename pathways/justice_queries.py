"""What the justice pages read: an incident's milestones with how many people have been told, the
people a police user may choose as a milestone's audience, and one person's milestones (what they
were told, how, and what is still to tell), court dates and witness care."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.audit.service import record_opening
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from incident.queries import incident_facts
from pathways.justice_rules import CODE_RIGHT, COURT_DATES
from pathways.lookups import incident_or_refuse, person_or_refuse, require_any, user_names
from pathways.model import InformTask, JusticeMilestone, Person, VictimRights, WitnessCare
from pathways.retention import ERASED
from pathways.victim_rights_rules import compensation_deadline, compensation_late
from pathways.vocabulary import MilestoneAudience, MilestoneKind, label

AUDIENCE_LIMIT = 2000  # people offered to choose from, by name; beyond that, choose by role


def milestone_title(kind: str, occurred_on: date) -> str:
    """"Charge, 12 Mar 2027": how a milestone is named in lists."""
    return f"{label(kind)}, {occurred_on:%d %b %Y}"


@dataclass(frozen=True)
class MilestoneLine:
    id: int
    kind: str
    code_right: int
    occurred_on: date
    details: str
    audience: str  # in words: "everyone", "witness, bereaved", "3 people chosen"
    recorded_at: datetime
    recorded_by: str
    people: int
    told: int
    told_late: int
    overdue: int  # not told, and the time has passed


def _count_if(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def justice_timeline(session: Session, actor: Actor, incident_id: int | None) -> list[MilestoneLine]:
    """The incident's milestones, latest first, each with how many people it concerns, were told (in
    time or late) and are overdue. Counts only: no one's name."""
    require_any(actor, Permission.INCIDENT_COMMAND, Permission.PEOPLE_VIEW)
    incident = incident_or_refuse(session, actor, incident_id)
    at = now()
    told = InformTask.closed_at.is_not(None)
    counts = {row.milestone_id: row for row in session.execute(
        select(InformTask.milestone_id, func.count(InformTask.id).label("people"), _count_if(told).label("told"),
               _count_if(told & InformTask.told_late).label("late"),
               _count_if(~told & (InformTask.due_at < at)).label("overdue"))
        .join(Person, Person.id == InformTask.person_id)
        .where(InformTask.incident_id == incident.id, Person.merged_into_id.is_(None))
        .group_by(InformTask.milestone_id))}
    milestones = list(session.scalars(select(JusticeMilestone).where(JusticeMilestone.incident_id == incident.id)
                                      .order_by(JusticeMilestone.occurred_on.desc(), JusticeMilestone.id.desc())))
    names = user_names(session, [m.recorded_by_id for m in milestones])
    lines = []
    for m in milestones:
        c = counts.get(m.id)
        lines.append(MilestoneLine(
            m.id, m.kind, CODE_RIGHT[MilestoneKind(m.kind)], m.occurred_on, m.details, _audience_words(m),
            m.recorded_at, names.get(m.recorded_by_id, "system"), int(c.people) if c else 0,
            int(c.told) if c else 0, int(c.late) if c else 0, int(c.overdue) if c else 0))
    return lines


def _audience_words(m: JusticeMilestone) -> str:
    if m.audience == MilestoneAudience.ROLES:
        return ", ".join(label(r) for r in m.audience_roles.split(","))
    return "everyone" if m.audience == MilestoneAudience.ALL else "people chosen"


@dataclass(frozen=True)
class AudienceChoice:
    person_id: int
    name: str
    roles: str  # in words


def audience_choices(session: Session, actor: Actor, incident_id: int | None) -> tuple[list[AudienceChoice], int]:
    """The incident's people by name (the first AUDIENCE_LIMIT) and how many there are, for a police
    user choosing whom a milestone concerns. A view of names and roles: audited once per opening."""
    require(actor, Permission.INCIDENT_COMMAND)
    incident = incident_or_refuse(session, actor, incident_id)
    scope = (Person.incident_id == incident.id, Person.merged_into_id.is_(None), Person.family_name != ERASED)
    total = session.scalar(select(func.count(Person.id)).where(*scope)) or 0
    rows = session.execute(select(Person.id, Person.given_name, Person.family_name, Person.roles).where(*scope)
                           .order_by(Person.family_key, Person.given_key, Person.id).limit(AUDIENCE_LIMIT)).all()
    record_opening(session, actor, "justice_audience", incident.id, reason="choosing whom a justice milestone concerns",
                   incident_id=incident.id, detail=f"names and roles of {len(rows)} people")
    return [AudienceChoice(r.id, f"{r.given_name} {r.family_name}", ", ".join(label(x) for x in r.roles.split(",")))
            for r in rows], total


@dataclass(frozen=True)
class InformLine:
    task_id: int
    milestone: str  # "Charge, 12 Mar 2027"
    kind: str
    occurred_on: date
    details: str
    due_at: datetime
    enhanced: bool
    told_on: date | None
    told_late: bool
    method: str
    told_by: str
    note: str
    overdue: bool


@dataclass(frozen=True)
class PersonJustice:
    to_tell: list[InformLine]
    told: list[InformLine]
    court_dates: list[InformLine]  # the hearings they are to hear of (first hearing, trial), soonest first
    witness_care: WitnessCare | None
    rights: VictimRights | None
    compensation_deadline: date  # the Criminal Injuries Compensation Scheme's usual time limit
    compensation_late: bool  # not applied and the deadline passed, or applied after it


def person_justice(session: Session, actor: Actor, person_id: int) -> PersonJustice:
    """One person's part in the justice process (a merge brought their duplicates' tasks here:
    justice_service.carry_inform_tasks). Part of their record, whose opening is audited where it is
    opened (people_queries.view_person)."""
    require(actor, Permission.PEOPLE_VIEW)
    person = person_or_refuse(session, actor, person_id)
    at = now()
    rows = session.execute(select(InformTask, JusticeMilestone).join(
        JusticeMilestone, JusticeMilestone.id == InformTask.milestone_id)
        .where(InformTask.person_id == person.id)
        .order_by(JusticeMilestone.occurred_on, InformTask.id)).all()
    lines = [InformLine(t.id, milestone_title(m.kind, m.occurred_on), m.kind, m.occurred_on, m.details, t.due_at,
                        t.enhanced, t.told_on, t.told_late, t.method, t.told_by, t.note,
                        t.closed_at is None and t.due_at < at)
             for t, m in rows]
    rights = session.get(VictimRights, person.id)
    deadline = compensation_deadline(london(incident_facts(session, person.incident_id).started_at).date())
    return PersonJustice(
        to_tell=sorted((x for x in lines if x.told_on is None), key=lambda x: x.due_at),
        told=[x for x in lines if x.told_on is not None],
        court_dates=[x for x in lines if x.kind in COURT_DATES],
        witness_care=session.get(WitnessCare, person.id), rights=rights, compensation_deadline=deadline,
        compensation_late=compensation_late(rights.compensation_applied_on if rights else None, deadline,
                                            london(at).date()))
