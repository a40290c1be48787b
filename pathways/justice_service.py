"""The justice process as use cases: a police user enters a milestone (an arrest, a charge, a
hearing…), which creates an inform task for every person it concerns, due within the Victims' Code
time; a caseworker records when, how and by whom each person was told; a witness's care details
and special measures are kept.

Entering milestones is for police users who command the incident (Permission.INCIDENT_COMMAND:
Gold); telling people is the work of their support team (PEOPLE_EDIT)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.errors import InputError
from core.settings import get_settings
from core.typed_text import free_text, one_line
from pathways.justice_rules import SET_AHEAD, clock_starts, concerns
from pathways.lookups import incident_or_refuse, person_or_refuse
from pathways.model import InformTask, JusticeMilestone, Person, VictimRights, WitnessCare
from pathways.retention import ERASED
from pathways.victim_rights_rules import rj_referral_problem, statement_problem
from pathways.victims_code import inform_due
from pathways.vocabulary import (
    InformMethod,
    MilestoneAudience,
    MilestoneKind,
    PersonRole,
    SpecialMeasure,
    StatementChoice,
    label,
)

# An incident may be opened in Stand Up some days after it happened, and an arrest made at the scene;
# a milestone dated more than this before the opening is a mistyped year.
OPENED_LATE = timedelta(days=31)


@dataclass(frozen=True)
class NewMilestone:
    kind: str
    occurred_on: date | None  # the decision's day, or the day set ahead (a hearing, a release)
    details: str = ""  # the court and time, the charge
    audience: str = MilestoneAudience.ALL
    roles: tuple[str, ...] = ()  # for audience "roles"
    person_ids: tuple[int, ...] = ()  # for audience "people"


def record_milestone(session: Session, actor: Actor, incident_id: int | None, new: NewMilestone) -> JusticeMilestone:
    """A milestone, and an inform task for each person it concerns (each merged record once), due by
    the end of the Victims' Code's working days after its day 0, in their nation, shorter for those
    with enhanced rights."""
    require(actor, Permission.INCIDENT_COMMAND)
    incident = incident_or_refuse(session, actor, incident_id)
    if new.kind not in set(MilestoneKind):
        raise InputError(f"Unknown milestone {new.kind!r}; allowed: {', '.join(MilestoneKind)}")
    kind = MilestoneKind(new.kind)
    today = london(now()).date()
    occurred_on = _milestone_day(kind, new.occurred_on, today, incident.opened_on)
    details = free_text(new.details, "The details", 1000)
    audience, roles, chosen = _audience(new)
    people = _concerned(session, incident.id, audience, roles, chosen)
    milestone = JusticeMilestone(incident_id=incident.id, kind=kind.value, occurred_on=occurred_on, details=details,
                                 audience=audience, audience_roles=",".join(roles), recorded_at=now(),
                                 recorded_by_id=actor.user_id)
    session.add(milestone)
    session.flush()
    day_zero = clock_starts(occurred_on, today)
    settings = get_settings()

    @cache
    def due(nation: str, enhanced: bool):
        days = settings.inform_enhanced_working_days if enhanced else settings.inform_working_days
        return inform_due(day_zero, nation=nation, working_days=days)

    rows = [dict(incident_id=incident.id, milestone_id=milestone.id, person_id=pid, due_at=due(nation, enhanced),
                 enhanced=enhanced) for pid, nation, enhanced in people]
    session.execute(insert(InformTask), rows)
    enhanced_count = sum(enhanced for _, _, enhanced in people)
    record(session, actor, "create", "justice_milestone", milestone.id, incident_id=incident.id,
           detail=f"{kind.value}: {len(rows)} people to tell ({enhanced_count} with enhanced rights); "
                  "fields: kind, occurred_on, details, audience")
    return milestone


def _milestone_day(kind: MilestoneKind, occurred_on: date | None, today: date, incident_opened_on: date) -> date:
    what = label(kind.value)
    if not isinstance(occurred_on, date):
        raise InputError(f"Give the date of the {what.lower()}: victims are told within working days of it, "
                         "so a milestone without a date cannot be entered.")
    if occurred_on > today and kind not in SET_AHEAD:
        raise InputError(f"{what} dated {occurred_on:%d/%m/%Y} is in the future; only a date set ahead "
                         f"({', '.join(label(k.value).lower() for k in sorted(SET_AHEAD))}) may be.")
    if occurred_on < incident_opened_on - OPENED_LATE:
        raise InputError(f"{what} dated {occurred_on:%d/%m/%Y} is long before the incident was opened "
                         f"({incident_opened_on:%d/%m/%Y}); check the date.")
    return occurred_on


def _audience(new: NewMilestone) -> tuple[str, tuple[str, ...], tuple[int, ...]]:
    if new.audience not in set(MilestoneAudience):
        raise InputError(f"Unknown audience {new.audience!r}; allowed: {', '.join(MilestoneAudience)}")
    roles = tuple(dict.fromkeys(new.roles)) if new.audience == MilestoneAudience.ROLES else ()
    chosen = tuple(dict.fromkeys(new.person_ids)) if new.audience == MilestoneAudience.PEOPLE else ()
    if new.audience == MilestoneAudience.ROLES:
        if not roles:
            raise InputError("Choose the roles of the people this concerns (e.g. witness, bereaved).")
        if bad := [r for r in roles if r not in set(PersonRole)]:
            raise InputError(f"Unknown role {bad[0]!r}; allowed: {', '.join(PersonRole)}")
    if new.audience == MilestoneAudience.PEOPLE and not chosen:
        raise InputError("Choose the people this concerns.")
    return new.audience, roles, chosen


def _concerned(session: Session, incident_id: int, audience: str, roles: tuple[str, ...],
               chosen: tuple[int, ...]) -> list[tuple[int, str, bool]]:
    """(person, nation, enhanced rights) of everyone the milestone concerns: the incident's people,
    each once (merged duplicates through their surviving record), discharged ones too (the right to
    be told outlives the support), not those anonymised under retention."""
    rows = session.execute(select(Person.id, Person.roles, Person.nation, Person.enhanced_rights).where(
        Person.incident_id == incident_id, Person.merged_into_id.is_(None), Person.family_name != ERASED)).all()
    if audience == MilestoneAudience.PEOPLE:
        known = {r.id for r in rows}
        if missing := [pid for pid in chosen if pid not in known]:
            raise InputError(f"Record {missing[0]} is not one of this incident's people (or was merged or erased).")
    people = [(r.id, r.nation, r.enhanced_rights) for r in rows
              if concerns(audience, roles, chosen, r.id, r.roles.split(","))]
    if not people:
        raise InputError("Nobody registered on this incident has those roles: there is nobody to tell."
                         if audience == MilestoneAudience.ROLES else
                         "Nobody is registered on this incident yet: there is nobody to tell.")
    return people


def close_inform_task(session: Session, actor: Actor, task_id: int, *, method: str, told_by: str = "",
                      told_on: date | None = None, note: str = "") -> InformTask:
    """Records that the person was told: when (today unless given), how (required) and by whom (the
    person recording it unless named)."""
    require(actor, Permission.PEOPLE_EDIT)
    task = session.get(InformTask, task_id)
    if task is None:
        raise InputError(f"No inform task {task_id}.")
    person = person_or_refuse(session, actor, task.person_id)
    if person.merged_into_id is not None:
        raise InputError(f"Record {person.id} was merged into record {person.merged_into_id}; record it there.")
    if task.closed_at is not None:
        raise InputError(f"{person.given_name} {person.family_name} was already recorded as told, on "
                         f"{task.told_on:%d/%m/%Y}.")
    if not (method or "").strip():
        raise InputError("Say how they were told (in person, by phone, by letter…): the task is done only when we "
                         "know how the person heard.")
    if method not in set(InformMethod):
        raise InputError(f"Unknown way of telling {method!r}; allowed: {', '.join(InformMethod)}")
    milestone = session.get(JusticeMilestone, task.milestone_id)
    today = london(now()).date()
    told_on = today if told_on is None else told_on
    earliest = clock_starts(milestone.occurred_on, london(milestone.recorded_at).date())
    if told_on > today:
        raise InputError(f"{told_on:%d/%m/%Y} is in the future: record the telling once it has happened.")
    if told_on < earliest:
        raise InputError(f"{told_on:%d/%m/%Y} is before the {label(milestone.kind).lower()} "
                         f"({earliest:%d/%m/%Y}): they cannot have been told of it then.")
    task.told_on, task.method, task.told_late = told_on, method, told_on > london(task.due_at).date()
    task.told_by = one_line(" ".join((told_by or "").split()), "Told by", 120) or actor.display_name or actor.username
    task.note = free_text(note, "The note", 2000)
    task.closed_at, task.closed_by_id = now(), actor.user_id
    record(session, actor, "inform", "person", person.id, incident_id=task.incident_id,
           detail=f"inform task {task.id} ({milestone.kind}): told {'late' if task.told_late else 'in time'}; "
                  "fields: told_on, method, told_by, note")
    return task


def carry_inform_tasks(session: Session, survivor_id: int, duplicate_id: int) -> None:
    """When two records are merged, what the duplicate was to be told goes with the person: a task
    only the duplicate had moves to the survivor; a telling recorded on the duplicate closes the
    survivor's open task for the same milestone."""
    survivor_tasks = {t.milestone_id: t for t in session.scalars(
        select(InformTask).where(InformTask.person_id == survivor_id))}
    for task in session.scalars(select(InformTask).where(InformTask.person_id == duplicate_id)):
        mine = survivor_tasks.get(task.milestone_id)
        if mine is None:
            task.person_id = survivor_id
        elif mine.closed_at is None and task.closed_at is not None:
            for name in ("told_on", "method", "told_by", "note", "closed_at", "closed_by_id"):
                setattr(mine, name, getattr(task, name))
            mine.told_late = mine.told_on > london(mine.due_at).date()  # against the survivor's own time
    session.flush()


@dataclass(frozen=True)
class WitnessCareDetails:
    officer: str = ""  # the witness care officer the Witness Care Unit named
    contact: str = ""  # their phone or email
    measures_needed: tuple[str, ...] = ()
    measures_requested: tuple[str, ...] = ()  # asked of the court
    requested_on: date | None = None
    notes: str = ""


def save_witness_care(session: Session, actor: Actor, person_id: int, details: WitnessCareDetails) -> WitnessCare:
    """A witness's care details and special measures (YJCEA 1999), kept current; each change audited."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=False)
    if person.merged_into_id is not None:
        raise InputError(f"Record {person.id} was merged into record {person.merged_into_id}; work on that one.")
    needed, requested = _measures(details.measures_needed), _measures(details.measures_requested)
    if extra := [m for m in requested if m not in needed]:
        raise InputError(f"{label(extra[0])} is requested but not marked as needed: mark it needed too.")
    requested_on = details.requested_on if requested else None
    if requested and requested_on is None:
        raise InputError("Say when the special measures were requested.")
    if requested_on is not None and requested_on > london(now()).date():
        raise InputError(f"{requested_on:%d/%m/%Y} is in the future: give the day they were requested.")
    care = session.get(WitnessCare, person.id)
    if care is None:
        care = WitnessCare(person_id=person.id)
        session.add(care)
    care.officer = one_line(details.officer, "Witness care officer", 120)
    care.contact = one_line(details.contact, "Their contact", 200)
    care.measures_needed, care.measures_requested = ",".join(needed), ",".join(requested)
    care.requested_on, care.notes = requested_on, free_text(details.notes, "The notes", 2000)
    care.updated_at, care.updated_by_id = now(), actor.user_id
    session.flush()
    record(session, actor, "update", "witness_care", person.id, incident_id=person.incident_id,
           detail="fields: officer, contact, measures_needed, measures_requested, requested_on, notes")
    return care


@dataclass(frozen=True)
class RightsDetails:
    officer_in_case: str = ""
    vps_told_on: date | None = None
    vps_choice: str = ""  # StatementChoice, "" undecided
    vps_made_on: date | None = None
    rj_told_on: date | None = None
    rj_consent: bool | None = None
    rj_risk_assessed_on: date | None = None
    rj_referred_on: date | None = None
    compensation_told_on: date | None = None
    compensation_applied_on: date | None = None


def save_victim_rights(session: Session, actor: Actor, person_id: int, details: RightsDetails) -> VictimRights:
    """The Victim Personal Statement, restorative justice and compensation as told and chosen, and the
    officer in the case; kept current, each change audited. Restorative justice is referred only with
    consent after the provider's risk assessment."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    if details.vps_choice and details.vps_choice not in set(StatementChoice):
        raise InputError(f"Unknown statement choice {details.vps_choice!r}; allowed: {', '.join(StatementChoice)}")
    today = london(now()).date()
    dates = {name: getattr(details, name) for name in ("vps_told_on", "vps_made_on", "rj_told_on",
                                                      "rj_risk_assessed_on", "rj_referred_on",
                                                      "compensation_told_on", "compensation_applied_on")}
    if future := [name for name, day in dates.items() if day is not None and day > today]:
        raise InputError(f"{dates[future[0]]:%d/%m/%Y} is in the future: record each step once it has happened.")
    problem = (statement_problem(details.vps_choice, details.vps_made_on)
               or rj_referral_problem(details.rj_consent, details.rj_risk_assessed_on, details.rj_referred_on))
    if problem:
        raise InputError(problem)
    rights = session.get(VictimRights, person.id)
    if rights is None:
        rights = VictimRights(person_id=person.id)
        session.add(rights)
    rights.officer_in_case = one_line(" ".join(details.officer_in_case.split()), "Officer in the case", 120)
    rights.vps_choice, rights.rj_consent = details.vps_choice, details.rj_consent
    for name, day in dates.items():
        setattr(rights, name, day)
    rights.updated_at, rights.updated_by_id = now(), actor.user_id
    session.flush()
    record(session, actor, "update", "victim_rights", person.id, incident_id=person.incident_id,
           detail="fields: officer_in_case, statement, restorative justice, compensation")
    return rights


def _measures(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    if bad := [m for m in chosen if m not in set(SpecialMeasure)]:
        raise InputError(f"Unknown special measure {bad[0]!r}; allowed: {', '.join(SpecialMeasure)}")
    return chosen

