"""Designated clinicians and each incident's duty clinician.

Every caseworker account holds CLINICAL_REVIEW, but only the caseworkers an administrator names
here as clinicians (with a mobile for urgent-alert texts) review positive screens and acknowledge
urgent safety alerts. An administrator names the first clinician on Pathway settings; after that
an administrator or any clinician names the incident's duty clinician (a clinician taking over a
shift names themself), and open alerts move to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.model import User
from core.auth.roles import Actor, Permission, PermissionDenied, Role, require
from core.auth.service import actor_for
from core.clock import now
from core.errors import InputError
from core.phone import normalise_mobile
from incident.access import accessible_incident_ids, require_incident_access
from incident.queries import incident_names
from pathways.lookups import incident_or_refuse, require_any
from pathways.model import ClinicalDuty, Clinician, SafetyAlert
from pathways.safety_alert_rules import DEFAULT_ESCALATE_AFTER_MINUTES, escalation_minutes_refusal

NOT_A_CLINICIAN = ("Only a designated clinician may do this. An administrator names clinicians on "
                   "Pathway settings.")


@dataclass(frozen=True)
class Duty:
    """An incident's clinical duty: who (None when nobody is named) and the escalation time."""

    incident_id: int
    clinician_id: int | None
    clinician_name: str
    mobile: str
    since: datetime | None
    escalate_after_minutes: int

    @property
    def named(self) -> bool:
        return self.clinician_id is not None


@dataclass(frozen=True)
class ClinicianRow:
    user_id: int
    name: str
    mobile: str
    named_at: datetime
    on_duty_in: tuple[str, ...]  # incident names


def _active_clinician(session: Session, user_id: int | None) -> tuple[Clinician, User] | None:
    if user_id is None:
        return None
    row = session.execute(select(Clinician, User).join(User, User.id == Clinician.user_id).where(
        Clinician.user_id == user_id, Clinician.active, User.active, User.role == Role.CASEWORKER.value)).first()
    return (row[0], row[1]) if row else None


def _may_work_in(session: Session, user: User, incident_id: int) -> bool:
    """Whether this clinician is on the incident's team (else they could not open its alerts)."""
    try:
        require_incident_access(session, actor_for(user), incident_id)
    except PermissionDenied:
        return False
    return True


def is_clinician(session: Session, actor: Actor) -> bool:
    """Whether this signed-in person is a designated clinician now (the worker never is)."""
    return actor.can(Permission.CLINICAL_REVIEW) and _active_clinician(session, actor.user_id) is not None


def require_clinician(session: Session, actor: Actor) -> None:
    require(actor, Permission.CLINICAL_REVIEW)
    if not is_clinician(session, actor):
        raise PermissionDenied(NOT_A_CLINICIAN)


def duty_for(session: Session, incident_id: int) -> Duty:
    """The incident's duty as it stands: a clinician removed, taken off the incident's team or whose
    account was disabled since counts as none."""
    row = session.get(ClinicalDuty, incident_id)
    minutes = row.escalate_after_minutes if row else DEFAULT_ESCALATE_AFTER_MINUTES
    found = _active_clinician(session, row.clinician_id) if row else None
    if found is None or not _may_work_in(session, found[1], incident_id):
        return Duty(incident_id, None, "", "", None, minutes)
    clinician, user = found
    return Duty(incident_id, user.id, user.display_name or user.username, clinician.mobile, row.since, minutes)


def clinical_duty(session: Session, actor: Actor, incident_id: int | None) -> Duty:
    """Who the incident's urgent alerts go to; every pathways page shows it (or that nobody is named)."""
    require_any(actor, Permission.PEOPLE_VIEW, Permission.PATHWAYS_MANAGE)
    return duty_for(session, incident_or_refuse(session, actor, incident_id).id)


def waiting_alert_count(session: Session, actor: Actor, incident_id: int | None) -> int:
    """How many urgent alerts wait for a clinician (a count only: no names, no health detail)."""
    require(actor, Permission.PEOPLE_VIEW)
    incident = incident_or_refuse(session, actor, incident_id)
    return session.scalar(select(func.count(SafetyAlert.id)).where(
        SafetyAlert.incident_id == incident.id, SafetyAlert.acknowledged_at.is_(None))) or 0


def clinicians(session: Session, actor: Actor) -> list[ClinicianRow]:
    """The designated clinicians, with their alert mobiles and where each is on duty."""
    require_any(actor, Permission.PATHWAYS_MANAGE, Permission.CLINICAL_REVIEW)
    rows = session.execute(select(Clinician, User).join(User, User.id == Clinician.user_id).where(
        Clinician.active, User.active, User.role == Role.CASEWORKER.value)
        .order_by(User.display_name, User.username)).all()
    duty_q = select(ClinicalDuty.clinician_id, ClinicalDuty.incident_id).where(ClinicalDuty.clinician_id.is_not(None))
    if (allowed := accessible_incident_ids(session, actor)) is not None:  # a caseworker: their incidents only
        duty_q = duty_q.where(ClinicalDuty.incident_id.in_(allowed))
    duties = session.execute(duty_q.order_by(ClinicalDuty.incident_id)).all()
    names = incident_names(session, {incident_id for _, incident_id in duties})
    result = [ClinicianRow(user.id, user.display_name or user.username, clinician.mobile, clinician.named_at,
                           tuple(names[iid] for uid, iid in duties if uid == user.id)) for clinician, user in rows]
    if result:
        record(session, actor, "view", "clinician", detail=f"clinician list, {len(result)} people (mobiles)")
    return result


def caseworker_accounts(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(user id, name) of the active caseworker accounts an administrator may name as clinicians."""
    require(actor, Permission.PATHWAYS_MANAGE)
    return [(uid, name or username) for uid, name, username in session.execute(
        select(User.id, User.display_name, User.username)
        .where(User.role == Role.CASEWORKER.value, User.active).order_by(User.display_name, User.username))]


def clinician_choices(session: Session, actor: Actor, incident_id: int | None) -> list[tuple[int, str]]:
    """(user id, name) of each designated clinician on the incident's team, for choosing its duty clinician."""
    require_any(actor, Permission.PATHWAYS_MANAGE, Permission.CLINICAL_REVIEW)
    incident = incident_or_refuse(session, actor, incident_id)
    users = session.scalars(select(User).join(Clinician, Clinician.user_id == User.id).where(
        Clinician.active, User.active, User.role == Role.CASEWORKER.value).order_by(User.display_name, User.username))
    return [(u.id, u.display_name or u.username) for u in users if _may_work_in(session, u, incident.id)]


def name_clinician(session: Session, actor: Actor, user_id: int, mobile: str) -> Clinician:
    """Names a caseworker account as a clinician (or updates the mobile of one already named)."""
    require(actor, Permission.PATHWAYS_MANAGE)
    user = session.get(User, user_id)
    if user is None or user.role != Role.CASEWORKER.value or not user.active:
        raise InputError("A clinician must be an active caseworker account.")
    try:
        e164 = normalise_mobile(mobile)
    except ValueError as problem:
        raise InputError(f"Mobile for urgent alerts: {problem}.") from None
    row = session.get(Clinician, user.id)
    if row is None:
        row = Clinician(user_id=user.id, mobile=e164, named_at=now(), named_by_id=actor.user_id)
        session.add(row)
    elif not row.active:
        row.active, row.named_at, row.named_by_id, row.removed_at, row.removed_by_id = (
            True, now(), actor.user_id, None, None)
    row.mobile = e164
    session.flush()
    record(session, actor, "name_clinician", "clinician", user.id, detail="fields: active, mobile")
    return row


def remove_clinician(session: Session, actor: Actor, user_id: int) -> Clinician:
    """Ends a clinician designation; refused while they are an incident's duty clinician."""
    require(actor, Permission.PATHWAYS_MANAGE)
    row = session.get(Clinician, user_id)
    if row is None or not row.active:
        raise InputError("This account is not a designated clinician.")
    on_duty = sorted(incident_names(session, session.scalars(
        select(ClinicalDuty.incident_id).where(ClinicalDuty.clinician_id == user_id))).values())
    if on_duty:
        raise InputError(f"This clinician is the duty clinician for {', '.join(on_duty)}: name another duty "
                         "clinician there first, so urgent alerts keep reaching someone.")
    row.active, row.removed_at, row.removed_by_id = False, now(), actor.user_id
    record(session, actor, "remove_clinician", "clinician", user_id, detail="fields: active")
    return row


def _duty_row(session: Session, incident_id: int) -> ClinicalDuty:
    row = session.get(ClinicalDuty, incident_id)
    if row is None:
        row = ClinicalDuty(incident_id=incident_id, escalate_after_minutes=DEFAULT_ESCALATE_AFTER_MINUTES)
        session.add(row)
    return row


def set_duty_clinician(session: Session, actor: Actor, incident_id: int | None, user_id: int) -> Duty:
    """Names the incident's duty clinician (an administrator, or a clinician handing over or taking
    over); every alert still open moves to them and is texted to them afresh."""
    if not actor.can(Permission.PATHWAYS_MANAGE):
        require_clinician(session, actor)
    incident = incident_or_refuse(session, actor, incident_id)
    found = _active_clinician(session, user_id)
    if found is None:
        raise InputError("The duty clinician must be a designated clinician (named on Pathway settings).")
    if not _may_work_in(session, found[1], incident.id):
        raise InputError(f"{found[1].display_name or found[1].username} is not on this incident's team: add them "
                         "to the team first, so they can open its alerts.")
    row = _duty_row(session, incident.id)
    row.clinician_id, row.since, row.set_by_id = user_id, now(), actor.user_id
    moved = session.execute(update(SafetyAlert).where(
        SafetyAlert.incident_id == incident.id, SafetyAlert.acknowledged_at.is_(None))
        .values(assigned_to_id=user_id, notified_at=None)).rowcount
    session.flush()
    record(session, actor, "duty_clinician", "incident", incident.id, incident_id=incident.id,
           detail=f"fields: duty clinician (user {user_id}); {moved} open alerts moved to them")
    return duty_for(session, incident.id)


def set_escalation_minutes(session: Session, actor: Actor, incident_id: int | None, minutes: int) -> Duty:
    require(actor, Permission.PATHWAYS_MANAGE)
    incident = incident_or_refuse(session, actor, incident_id)
    if refusal := escalation_minutes_refusal(minutes):
        raise InputError(refusal)
    _duty_row(session, incident.id).escalate_after_minutes = minutes
    session.flush()
    record(session, actor, "update", "clinical_duty", incident.id, incident_id=incident.id,
           detail="fields: escalate_after_minutes")
    return duty_for(session, incident.id)
