"""Pathways as data, enrolment, stage moves and the follow-up schedule they plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.errors import InputError
from core.typed_text import free_text
from incident.queries import incident_facts
from pathways.instruments import instrument_names
from pathways.lookups import (
    person_or_refuse,
    require_any,
)
from pathways.model import (
    Enrolment,
    FollowUp,
    Pathway,
    PathwayMove,
    PathwayStage,
    Person,
    StageEvent,
)
from pathways.pathway_catalogue import STANDARD_PATHWAYS, PathwaySpec, move_refusal
from pathways.schedule import OVERDUE_AFTER, due_dates
from pathways.screening import instrument_for_age
from pathways.vocabulary import PersonRole, age_on, is_under_18

LIVE_FOLLOW_UP = ("planned", "open", "overdue")


# --- pathways as data -----------------------------------------------------------------------


def ensure_standard_pathways(session: Session) -> None:
    """Seeds the four standard pathways on first use (a service, not the migration, so an emptied
    database gets them back and administrators' additions sit beside them as ordinary rows)."""
    known = set(session.scalars(select(Pathway.code)))
    for spec in STANDARD_PATHWAYS:
        if spec.code not in known:
            save_pathway(session, spec)


def save_pathway(session: Session, spec: PathwaySpec) -> Pathway:
    pathway = Pathway(code=spec.code, name=spec.name, description=spec.description,
                      screening_months=",".join(str(m) for m in spec.screening_months))
    session.add(pathway)
    session.flush()
    stages = {}
    for position, stage in enumerate(spec.stages):
        row = PathwayStage(pathway_id=pathway.id, code=stage.code, name=stage.name,
                           intervention=stage.intervention, position=position)
        session.add(row)
        stages[stage.code] = row
    session.flush()
    session.add_all(PathwayMove(pathway_id=pathway.id, from_stage_id=stages[a].id, to_stage_id=stages[b].id)
                    for a, b in spec.moves)
    session.flush()
    return pathway


@dataclass(frozen=True)
class PathwayView:
    pathway: Pathway
    stages: list[PathwayStage]
    moves: list[tuple[str, str]]  # stage codes


def list_pathways(session: Session, actor: Actor) -> list[PathwayView]:
    require_any(actor, Permission.PEOPLE_VIEW, Permission.PATHWAYS_MANAGE)
    ensure_standard_pathways(session)
    pathways = list(session.scalars(select(Pathway).where(Pathway.active).order_by(Pathway.id)))
    stages = list(session.scalars(select(PathwayStage).order_by(PathwayStage.pathway_id, PathwayStage.position)))
    codes = {s.id: s.code for s in stages}
    moves = list(session.scalars(select(PathwayMove)))
    return [
        PathwayView(p, [s for s in stages if s.pathway_id == p.id],
                    [(codes[m.from_stage_id], codes[m.to_stage_id]) for m in moves if m.pathway_id == p.id])
        for p in pathways
    ]


def default_pathway_code(*, under_18: bool, bereaved: bool) -> str:
    if under_18:
        return "children_young_people"
    return "bereaved" if bereaved else "adult_trauma"


# --- enrolment, moves and the schedule ------------------------------------------------------


def current_enrolment(session: Session, person_id: int) -> Enrolment | None:
    return session.scalar(select(Enrolment).where(Enrolment.person_id == person_id, Enrolment.ended_at.is_(None))
                          .order_by(Enrolment.id.desc()).limit(1))


def start_enrolment(session: Session, actor: Actor, person: Person, pathway_code: str, reason: str) -> Enrolment:
    """Puts the person at the pathway's first stage and plans its screenings (callers check permission)."""
    ensure_standard_pathways(session)
    pathway = session.scalar(select(Pathway).where(Pathway.code == pathway_code, Pathway.active))
    if pathway is None:
        known = ", ".join(session.scalars(select(Pathway.code).where(Pathway.active).order_by(Pathway.id)))
        raise InputError(f"Unknown pathway {pathway_code!r}; allowed: {known}")
    at = now()
    previous = current_enrolment(session, person.id)
    if previous is not None:
        previous.ended_at = at
    first = session.scalar(select(PathwayStage).where(PathwayStage.pathway_id == pathway.id)
                           .order_by(PathwayStage.position).limit(1))
    enrolment = Enrolment(person_id=person.id, pathway_id=pathway.id, stage_id=first.id, started_at=at)
    session.add(enrolment)
    session.flush()
    session.add(StageEvent(enrolment_id=enrolment.id, from_stage_id=None, to_stage_id=first.id, at=at,
                           by_id=actor.user_id, reason=reason))
    plan_follow_ups(session, person, pathway)
    return enrolment


def enrol(session: Session, actor: Actor, person_id: int, pathway_code: str, reason: str) -> Enrolment:
    """Moves a person onto another pathway (from its first stage); the old enrolment is kept, ended."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    reason = free_text(reason, "The reason", 1000)
    if not reason.strip():
        raise InputError("Say why the person changes pathway.")
    enrolment = start_enrolment(session, actor, person, pathway_code, reason.strip())
    record(session, actor, "enrol", "person", person.id, incident_id=person.incident_id, note=reason.strip(),
           detail="fields: pathway, stage, follow_up")
    return enrolment


def plan_follow_ups(session: Session, person: Person, pathway: Pathway) -> None:
    """Replaces the person's not-yet-due screenings with the pathway's schedule (done ones stay)."""
    at = now()
    session.execute(update(FollowUp).where(FollowUp.person_id == person.id, FollowUp.status == "planned")
                    .values(status="cancelled"))
    done_months = set(session.scalars(select(FollowUp.month).where(
        FollowUp.person_id == person.id, FollowUp.status.in_(("done", "open", "overdue")))))
    incident = incident_facts(session, person.incident_id)  # the caller checked who may
    months = tuple(int(m) for m in pathway.screening_months.split(","))
    for month, due in due_dates(incident.started_at, person.registered_at, months):
        if month in done_months or due + OVERDUE_AFTER < at:
            continue
        session.add(FollowUp(incident_id=person.incident_id, person_id=person.id, month=month, due_at=due))
    session.flush()


def move_stage(session: Session, actor: Actor, person_id: int, to_stage_code: str, reason: str) -> StageEvent:
    """One move the pathway allows, with who, when and why."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    reason = free_text(reason, "The reason", 1000)
    if not reason.strip():
        raise InputError("Say why the person moves stage (it is kept with the move).")
    enrolment = current_enrolment(session, person.id)
    if enrolment is None:
        raise InputError("This person is on no pathway; choose one first.")
    stages = list(session.scalars(select(PathwayStage).where(PathwayStage.pathway_id == enrolment.pathway_id)))
    by_id = {s.id: s for s in stages}
    by_code = {s.code: s for s in stages}
    allowed = {(by_id[m.from_stage_id].code, by_id[m.to_stage_id].code) for m in session.scalars(
        select(PathwayMove).where(PathwayMove.pathway_id == enrolment.pathway_id))}
    current = by_id[enrolment.stage_id].code
    if to_stage_code not in by_code:
        raise InputError(f"This pathway has no stage {to_stage_code!r}; stages: {', '.join(by_code)}")
    if refusal := move_refusal(current, to_stage_code, allowed, {s.code: s.name for s in stages}):
        raise InputError(refusal)
    event = StageEvent(enrolment_id=enrolment.id, from_stage_id=enrolment.stage_id,
                       to_stage_id=by_code[to_stage_code].id, at=now(), by_id=actor.user_id, reason=reason.strip())
    enrolment.stage_id = by_code[to_stage_code].id
    session.add(event)
    session.flush()
    record(session, actor, "move_stage", "person", person.id, incident_id=person.incident_id,
           note=reason.strip(), detail="fields: stage")
    return event


# --- who a person is, for the pathway rules ----------------------------------------------------


def screening_forms_for(person: Person, at: datetime) -> tuple[str, ...]:
    """Instruments to offer this person now (all, when the date of birth is unknown)."""
    if person.date_of_birth is None:
        return instrument_names()
    return instrument_for_age(age_on(person.date_of_birth, london(at).date()))


def is_bereaved(person: Person) -> bool:
    return PersonRole.BEREAVED.value in person.roles.split(",")


def under_18_now(person: Person) -> bool:
    return is_under_18(person.date_of_birth, london(now()).date())
