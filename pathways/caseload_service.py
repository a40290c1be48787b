"""A person's caseload and lifecycle: who is their key worker, contact details, family links,
discharge and reopening."""

from __future__ import annotations

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.model import User
from core.auth.roles import Actor, Permission, Role, require
from core.clock import london, now
from core.errors import InputError
from core.typed_text import free_text
from incident.queries import team_member_ids
from pathways import pathway_service
from pathways.lookups import caseworker_or_refuse, incident_or_refuse, person_or_refuse
from pathways.model import (
    FamilyLink,
    FollowUp,
    Pathway,
    Person,
    SafetyAlert,
    Screening,
)
from pathways.person_messages import PERSON_MESSAGES, routes, send
from pathways.registration_service import NewPerson, checked_fields, recompute_pending_deadline
from pathways.vocabulary import DischargeOutcome, Relationship


def caseworkers(session: Session, actor: Actor, incident_id: int | None) -> list[User]:
    """Who can be a key worker here: the active caseworkers on the incident's team now."""
    require(actor, Permission.PEOPLE_VIEW)
    incident = incident_or_refuse(session, actor, incident_id)
    return list(session.scalars(select(User).where(User.role == Role.CASEWORKER.value, User.active,
                                                   User.id.in_(team_member_ids(incident.id)))
                                .order_by(User.display_name)))


def assign_key_worker(session: Session, actor: Actor, person_id: int, user_id: int) -> Person:
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    worker = caseworker_or_refuse(session, user_id, person.incident_id)
    previous, person.key_worker_id = person.key_worker_id, user_id
    detail = "fields: key_worker"
    if previous is not None and previous != user_id:  # a change: the person hears who their contact is now
        detail += f"; changed from user {previous} to user {user_id}; " + _tell_new_key_worker(session, person, worker)
    record(session, actor, "update", "person", person.id, incident_id=person.incident_id, detail=detail)
    return person


def _tell_new_key_worker(session: Session, person: Person, worker: User) -> str:
    """Tells the person their new key worker's name by the channel they chose and consented to; says what
    was done."""
    messages = PERSON_MESSAGES.get()
    route = routes(session, messages, [person])[person.id]
    if route is None:
        return "person not messaged (asked to be phoned, no consent to their channel, or no address): tell them another way"
    name = worker.display_name or worker.username
    send(session, messages, person, route, purpose="key_worker",
         body=f"Your key worker at the support service is now {name}. They are your contact for "
              "all your support, including news of the police investigation and any court case.")
    return {"sms": "person texted", "email": "person emailed"}[route.channel]


def update_contact(session: Session, actor: Actor, person_id: int, *, mobile: str, postcode: str,
                   email: str | None = None) -> Person:
    """New mobile, home postcode and (when given) email; the nation and force area follow the postcode,
    and so does the Victims' Code deadline of a person not yet referred."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id)
    probe = NewPerson(person.given_name, person.family_name, person.roles.split(","), person.source,
                      mobile=mobile, email=person.email if email is None else email, postcode=postcode,
                      nation=person.nation)
    fields = checked_fields(probe, london(now()).date())
    changed = [k for k in ("mobile", "email", "postcode", "nation", "force_area") if getattr(person, k) != fields[k]]
    for name in changed:
        setattr(person, name, fields[name])
    if "nation" in changed and recompute_pending_deadline(session, person):  # another nation's bank holidays
        changed.append("referral_due_at")
    record(session, actor, "update", "person", person.id, incident_id=person.incident_id,
           detail="fields: " + (", ".join(changed) or "none"))
    return person


def link_family(session: Session, actor: Actor, person_id: int, relative_id: int, relationship: str) -> FamilyLink:
    require(actor, Permission.PEOPLE_EDIT)
    person, relative = person_or_refuse(session, actor, person_id), person_or_refuse(session, actor, relative_id)
    if person.id == relative.id:
        raise InputError("A person cannot be linked to themselves.")
    if person.incident_id != relative.incident_id:
        raise InputError("Family links join people of the same incident.")
    if relationship not in set(Relationship):
        raise InputError(f"Unknown relationship {relationship!r}; allowed: {', '.join(Relationship)}")
    exists = session.scalar(select(FamilyLink.id).where(or_(
        and_(FamilyLink.person_id == person.id, FamilyLink.relative_id == relative.id),
        and_(FamilyLink.person_id == relative.id, FamilyLink.relative_id == person.id))))
    if exists is not None:
        raise InputError("These two people are already linked.")
    link = FamilyLink(person_id=person.id, relative_id=relative.id, relationship=relationship)
    session.add(link)
    session.flush()
    record(session, actor, "create", "family_link", link.id, incident_id=person.incident_id,
           detail="fields: person, relative, relationship")
    return link


def discharge(session: Session, actor: Actor, person_id: int, outcome: str, reason: str) -> Person:
    """Closes the case with an outcome; screenings not yet done are cancelled (reopen re-plans them)."""
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id, open_only=True)
    if outcome not in set(DischargeOutcome):
        raise InputError(f"Unknown outcome {outcome!r}; allowed: {', '.join(DischargeOutcome)}")
    reason = free_text(reason, "The reason", 1000)
    if not reason.strip():
        raise InputError("Say why the case is closed.")
    open_alert = session.scalar(select(SafetyAlert.id).where(SafetyAlert.person_id == person.id,
                                                             SafetyAlert.acknowledged_at.is_(None)).limit(1))
    if open_alert is not None:
        raise InputError("An urgent safety alert for this person is not yet acknowledged; a clinician must act first.")
    # A positive screen closed away unseen is exactly the gap people fall through: a clinician decides first.
    waiting = session.scalar(select(Screening.id).where(Screening.person_id == person.id,
                                                        Screening.review_status == "pending").limit(1))
    if waiting is not None:
        raise InputError("A positive screen for this person waits for a clinician's review; the case can be "
                         "closed once a clinician has decided.")
    person.status, person.discharge_outcome, person.discharged_at = "discharged", outcome, now()
    session.execute(update(FollowUp).where(FollowUp.person_id == person.id,
                                           FollowUp.status.in_(pathway_service.LIVE_FOLLOW_UP)).values(status="cancelled"))
    record(session, actor, "discharge", "person", person.id, incident_id=person.incident_id, note=reason.strip(),
           detail="fields: status, discharge_outcome")
    return person


def reopen(session: Session, actor: Actor, person_id: int, reason: str) -> Person:
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id)
    if person.merged_into_id is not None:
        raise InputError(f"Record {person.id} was merged into record {person.merged_into_id}; reopen that one.")
    if person.status == "open":
        raise InputError("This case is already open.")
    reason = free_text(reason, "The reason", 1000)
    if not reason.strip():
        raise InputError("Say why the case is reopened.")
    person.status, person.discharge_outcome, person.discharged_at = "open", "", None
    enrolment = pathway_service.current_enrolment(session, person.id)
    if enrolment is not None:
        pathway_service.plan_follow_ups(session, person, session.get(Pathway, enrolment.pathway_id))
    record(session, actor, "reopen", "person", person.id, incident_id=person.incident_id, note=reason.strip(),
           detail="fields: status, follow_up")
    return person
