"""Pathways, stages and moves, the screening schedule, screenings, clinician review and safety alerts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, defer

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.errors import InputError
from core.typed_text import free_text
from incident.model import Incident
from pathways.clinicians import duty_for, require_clinician
from pathways.lookups import (
    incident_or_refuse,
    incident_started_at,
    person_names,
    person_or_refuse,
    require_any,
    row_or_refuse,
)
from pathways.model import (
    Enrolment,
    FollowUp,
    Pathway,
    PathwayMove,
    PathwayStage,
    Person,
    SafetyAlert,
    Screening,
    StageEvent,
)
from pathways.pathway_catalogue import STANDARD_PATHWAYS, PathwaySpec, move_refusal
from pathways.schedule import OVERDUE_AFTER, due_dates
from pathways.screening import instrument_for_age, score
from pathways.vocabulary import PersonRole, ReviewDecision, age_on, is_under_18

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
    record(session, actor, "enrol", "person", person.id, incident_id=person.incident_id, reason=reason.strip(),
           detail="fields: pathway, stage, follow_up")
    return enrolment


def plan_follow_ups(session: Session, person: Person, pathway: Pathway) -> None:
    """Replaces the person's not-yet-due screenings with the pathway's schedule (done ones stay)."""
    at = now()
    session.execute(update(FollowUp).where(FollowUp.person_id == person.id, FollowUp.status == "planned")
                    .values(status="cancelled"))
    done_months = set(session.scalars(select(FollowUp.month).where(
        FollowUp.person_id == person.id, FollowUp.status.in_(("done", "open", "overdue")))))
    incident = session.get(Incident, person.incident_id)  # the caller checked who may
    months = tuple(int(m) for m in pathway.screening_months.split(","))
    for month, due in due_dates(incident_started_at(incident), person.registered_at, months):
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
           reason=reason.strip(), detail="fields: stage")
    return event


# --- screening, review and alerts -----------------------------------------------------------


def record_screening(session: Session, actor: Actor, person_id: int, instrument: str, answers: list[int],
                     notes: str = "") -> Screening:
    """Scores and stores a completed form. Positive screens wait for a clinician; PHQ-9 item 9 above 0
    raises an urgent safety alert for the duty clinician."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    at = now()
    if person.date_of_birth is not None:
        age = age_on(person.date_of_birth, london(at).date())
        offered = instrument_for_age(age)
        if instrument not in offered:
            raise InputError(
                f"{instrument} is not used at age {age}; offer "
                f"{', '.join(offered) if offered else 'no self-report screen (under 8: refer for clinician judgement)'}"
            )
    try:
        result = score(instrument, answers)
    except ValueError as problem:
        raise InputError(str(problem)) from None
    screening = Screening(
        incident_id=person.incident_id, person_id=person.id, instrument=result.instrument,
        answers=json.dumps(list(answers)), result=f"{result.total}; {result.band}", notes=free_text(notes, "The notes"),
        positive=result.positive, taken_at=at, taken_by_id=actor.user_id,
        review_status="pending" if result.positive or result.alerts else "not_needed",
    )
    session.add(screening)
    session.flush()
    duty_clinician = duty_for(session, person.incident_id).clinician_id if result.alerts else None
    for alert in result.alerts:  # the worker's safety-alert sweep texts the duty clinician
        session.add(SafetyAlert(incident_id=person.incident_id, person_id=person.id, screening_id=screening.id,
                                text=alert, raised_at=at, assigned_to_id=duty_clinician))
    _close_follow_up(session, person.id, screening.id, at)
    record(session, actor, "create", "screening", screening.id, incident_id=person.incident_id,
           detail="fields: instrument, answers, result, notes" + ("; safety alert raised" if result.alerts else ""))
    return screening


def _close_follow_up(session: Session, person_id: int, screening_id: int, at: datetime) -> None:
    """The screening done now answers the earliest screen due (or due within a fortnight)."""
    due = session.scalar(
        select(FollowUp).where(FollowUp.person_id == person_id, FollowUp.status.in_(LIVE_FOLLOW_UP),
                               FollowUp.due_at <= at + timedelta(days=14))
        .order_by(FollowUp.due_at).limit(1))
    if due is not None:
        due.status, due.done_at, due.screening_id = "done", at, screening_id


@dataclass(frozen=True)
class ReviewItem:
    screening: Screening
    person_name: str
    has_alert: bool


def _awaiting_review(incident_id: int):
    return (Screening.incident_id == incident_id, Screening.review_status == "pending")


def review_queue(session: Session, actor: Actor, incident_id: int, limit: int = 50) -> list[ReviewItem]:
    """Positive screens waiting for a clinician's decision, oldest first."""
    require_clinician(session, actor)
    incident_id = incident_or_refuse(session, actor, incident_id).id
    rows = list(session.scalars(select(Screening).where(*_awaiting_review(incident_id))
        .options(defer(Screening.answers), defer(Screening.decision_note))  # not shown: not decrypted
        .order_by(Screening.taken_at).limit(limit)))
    names = person_names(session, [s.person_id for s in rows])
    alerted = set(session.scalars(select(SafetyAlert.screening_id).where(
        SafetyAlert.screening_id.in_([s.id for s in rows])))) if rows else set()
    record(session, actor, "view", "screening", incident_id=incident_id, reason="clinician review queue",
           detail=f"review queue, {len(rows)} rows")
    return [ReviewItem(s, names.get(s.person_id, "?"), s.id in alerted) for s in rows]


def reviews_waiting(session: Session, actor: Actor, incident_id: int) -> int:
    """How many positive screens wait for a clinician (the queue itself is capped)."""
    require_clinician(session, actor)
    incident_id = incident_or_refuse(session, actor, incident_id).id
    return session.scalar(select(func.count()).select_from(Screening).where(*_awaiting_review(incident_id))) or 0


def decide_review(session: Session, actor: Actor, screening_id: int, decision: str, note: str = "") -> Screening:
    """A clinician's decision on a flagged screen, with who decided and when."""
    require_clinician(session, actor)
    screening = row_or_refuse(session, actor, Screening, screening_id, "screening")
    if screening.review_status != "pending":
        raise InputError("This screening has already been reviewed (or needed no review).")
    if decision not in set(ReviewDecision):
        raise InputError(f"Unknown decision {decision!r}; allowed: {', '.join(ReviewDecision)}")
    screening.review_status, screening.decision, screening.decision_note = "decided", decision, free_text(note, "The note")
    screening.decided_at, screening.decided_by_id = now(), actor.user_id
    record(session, actor, "review", "screening", screening.id, incident_id=screening.incident_id,
           detail="fields: decision, decision_note")
    return screening


@dataclass(frozen=True)
class AlertItem:
    alert: SafetyAlert
    person_id: int
    person_name: str


def open_alerts(session: Session, actor: Actor, incident_id: int | None) -> list[AlertItem]:
    """Urgent safety alerts nobody has acknowledged yet, oldest first. Shown on every clinician
    page, so each showing is one audit row counting the alerts (none when there are none)."""
    require_clinician(session, actor)
    if incident_id is None:
        return []
    incident_or_refuse(session, actor, incident_id)
    alerts = list(session.scalars(select(SafetyAlert).where(
        SafetyAlert.incident_id == incident_id, SafetyAlert.acknowledged_at.is_(None)).order_by(SafetyAlert.raised_at)))
    names = person_names(session, [a.person_id for a in alerts])
    if alerts:
        record(session, actor, "view", "safety_alert", incident_id=incident_id, reason="urgent alerts banner",
               detail=f"open alerts, {len(alerts)} shown (names, alert text)")
    return [AlertItem(a, a.person_id, names.get(a.person_id, "?")) for a in alerts]


def acknowledge_alert(session: Session, actor: Actor, alert_id: int, action_taken: str) -> SafetyAlert:
    """A clinician (the duty clinician, or any other who acts first) takes the alert and says what
    they did; it then leaves every page."""
    require_clinician(session, actor)
    alert = row_or_refuse(session, actor, SafetyAlert, alert_id, "safety alert")
    if alert.acknowledged_at is not None:
        raise InputError("This alert was already acknowledged.")
    if not action_taken.strip():
        raise InputError("Say what was done (e.g. 'called, safety plan agreed, crisis team informed').")
    alert.acknowledged_at, alert.acknowledged_by_id, alert.action_taken = now(), actor.user_id, free_text(action_taken, "What was done")
    record(session, actor, "acknowledge", "safety_alert", alert.id, incident_id=alert.incident_id,
           detail="fields: acknowledged_at, action_taken")
    return alert


def screening_forms_for(person: Person, at: datetime) -> tuple[str, ...]:
    """Instruments to offer this person now (all, when the date of birth is unknown)."""
    if person.date_of_birth is None:
        return ("TSQ", "PCL-5", "PHQ-9", "GAD-7", "CRIES-8")
    return instrument_for_age(age_on(person.date_of_birth, london(at).date()))


def is_bereaved(person: Person) -> bool:
    return PersonRole.BEREAVED.value in person.roles.split(",")


def under_18_now(person: Person) -> bool:
    return is_under_18(person.date_of_birth, london(now()).date())
