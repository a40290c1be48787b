"""Screenings as use cases: recording and scoring one, the clinician review of positives, and the
urgent safety alerts a PHQ-9 item 9 answer raises."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.errors import InputError
from core.typed_text import free_text
from core.wakeup import wake
from incident.queries import incident_facts
from pathways.clinicians import duty_for, require_clinician
from pathways.instruments import youngest_screened_age
from pathways.lookups import (
    incident_or_refuse,
    person_names,
    person_or_refuse,
    row_or_refuse,
)
from pathways.model import (
    FollowUp,
    SafetyAlert,
    Screening,
)
from pathways.pathway_service import LIVE_FOLLOW_UP
from pathways.safety_alert_sweep import WAKE_TOPIC as ALERT_TOPIC
from pathways.screening import instrument_for_age, score
from pathways.screening_timing import days_after_incident, early_screen_warning
from pathways.vocabulary import ReviewDecision, age_on


def record_screening(session: Session, actor: Actor, person_id: int, instrument: str, answers: list[int],
                     notes: str = "", early_reason: str = "") -> Screening:
    """Scores and stores a completed form. Positive screens wait for a clinician; an alert answer
    (PHQ-9 item 9 above 0) raises an urgent safety alert for the duty clinician. A trauma screen
    before about a month after the incident needs `early_reason`: the clinician's call, kept
    (encrypted) with the record."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    at = now()
    if person.date_of_birth is not None:
        age = age_on(person.date_of_birth, london(at).date())
        offered = instrument_for_age(age)
        if instrument not in offered:
            raise InputError(
                f"{instrument} is not used at age {age}; offer "
                + (', '.join(offered) if offered
                   else f"no self-report screen (under {youngest_screened_age()}: refer for clinician judgement)")
            )
    try:
        result = score(instrument, answers)
    except ValueError as problem:
        raise InputError(str(problem)) from None
    started_at = incident_facts(session, person.incident_id).started_at
    early = early_screen_warning(result.instrument, started_at, at)
    early_reason = free_text(early_reason, "The reason for screening now", 1000).strip() if early else ""
    if early and not early_reason:
        raise InputError(early)
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
    if result.alerts:  # the sweep runs as soon as this commits, not at its next turn
        wake(session, ALERT_TOPIC)
    _close_follow_up(session, person.id, screening.id, at)
    record(session, actor, "create", "screening", screening.id, incident_id=person.incident_id,
           detail="fields: instrument, answers, result, notes" + ("; safety alert raised" if result.alerts else ""))
    if early:  # on the person, so the reason goes with their record's other typed reasons (retention)
        record(session, actor, "screen_early", "person", person.id, incident_id=person.incident_id, note=early_reason,
               detail=f"screening {screening.id}: {result.instrument} "
                      f"{days_after_incident(started_at, at)} days after the incident; reason given")
    return screening


def early_screen_warning_for(session: Session, actor: Actor, person_id: int, instrument: str) -> str:
    """What the screening form warns before a trauma screen taken too soon after the incident ("" when not)."""
    require(actor, Permission.PEOPLE_VIEW)
    person = person_or_refuse(session, actor, person_id)
    return early_screen_warning(instrument, incident_facts(session, person.incident_id).started_at, now())


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
