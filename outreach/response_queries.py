"""How a cohort answered each round: invited, delivered, link opened, completed, positive, urgent
alerts, opted out, bounced, counted by the database (one grouped query, whatever the cohort's
size); and the people who opened their link but did not finish, for a phone call rather than
another message. The situation report reads the same counts (standup/sitrep)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from notifications.queries import bounced_message_ids, delivered_message_ids, opted_out_addresses_of
from outreach.lookups import incident_or_refuse
from outreach.model import Cohort, Contact, Invitation, InvitationMessage


@dataclass(frozen=True)
class Responses:
    invited: int = 0
    delivered: int = 0  # a message of the invitation (or its reminder) reported delivered
    opened: int = 0
    completed: int = 0
    positive: int = 0
    urgent_alerts: int = 0
    opted_out: int = 0  # unsubscribed from the cohort, or opted out of a channel (STOP)
    bounced: int = 0  # a message of it failed or could not be delivered
    unfinished: int = 0  # opened, not submitted: to call

    def __add__(self, other: Responses) -> Responses:
        return Responses(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class RoundResponses:
    cohort_id: int
    cohort: str
    round: int
    counts: Responses


def _count_if(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _message_of(invitation_id, message_ids) -> object:
    return exists().where(InvitationMessage.invitation_id == invitation_id, InvitationMessage.message_id.in_(message_ids))


def response_counts(session: Session, incident_id: int) -> list[RoundResponses]:
    """Each cohort's rounds, in order (a step of the use cases and the situation report)."""
    opted_out = or_(Contact.unsubscribed_at.is_not(None), Contact.mobile.in_(opted_out_addresses_of("sms")),
                    Contact.email.in_(opted_out_addresses_of("email")))
    rows = session.execute(
        select(Invitation.cohort_id, Cohort.name, Invitation.round, func.count(Invitation.id),
               _count_if(_message_of(Invitation.id, delivered_message_ids(incident_id))),
               func.count(Invitation.opened_at), func.count(Invitation.completed_at),
               _count_if(Invitation.screened_positive.is_(True)), _count_if(Invitation.raised_alert.is_(True)),
               _count_if(opted_out), _count_if(_message_of(Invitation.id, bounced_message_ids(incident_id))),
               _count_if(Invitation.opened_at.is_not(None) & Invitation.used_at.is_(None)))
        .join(Cohort, Cohort.id == Invitation.cohort_id).join(Contact, Contact.id == Invitation.contact_id)
        .where(Invitation.incident_id == incident_id)
        .group_by(Invitation.cohort_id, Cohort.name, Invitation.round).order_by(Cohort.name, Invitation.round))
    return [RoundResponses(cohort_id, name, round_number, Responses(*(int(n) for n in counts)))
            for cohort_id, name, round_number, *counts in rows]


def responses(session: Session, actor: Actor, incident_id: int | None) -> list[RoundResponses]:
    require(actor, Permission.OUTREACH_RUN)
    return response_counts(session, incident_or_refuse(session, actor, incident_id).id)


@dataclass(frozen=True)
class ToCall:
    contact_id: int
    name: str
    mobile: str | None
    email: str | None
    cohort: str
    round: int
    opened_at: datetime
    progress: str  # the page of the check they reached
    expires_at: datetime
    asked_for_no_messages: bool
    person_id: int | None


def opened_not_finished(session: Session, actor: Actor, incident_id: int | None, *,
                        limit: int = 500) -> list[ToCall]:
    """Who opened their link and stopped before the end, longest ago first: a caseworker calls
    them (another message would not help). A view of people's contact details: audited."""
    require(actor, Permission.OUTREACH_RUN)
    incident = incident_or_refuse(session, actor, incident_id)
    rows = session.execute(
        select(Contact, Cohort.name, Invitation.round, Invitation.opened_at, Invitation.progress,
               Invitation.expires_at)
        .join(Invitation, Invitation.contact_id == Contact.id).join(Cohort, Cohort.id == Invitation.cohort_id)
        .where(Invitation.incident_id == incident.id, Invitation.opened_at.is_not(None),
               Invitation.used_at.is_(None))
        .order_by(Invitation.opened_at, Invitation.id).limit(limit)).all()
    if rows:
        record(session, actor, "view", "contact", incident_id=incident.id, reason="opened but did not finish",
               detail=f"{len(rows)} contacts shown (names, mobile, email)")
    return [ToCall(c.id, f"{c.given_name} {c.family_name}".strip() or "(no name on the list)", c.mobile, c.email,
                   cohort, round_number, opened_at, progress, expires_at, c.unsubscribed_at is not None, c.person_id)
            for c, cohort, round_number, opened_at, progress, expires_at in rows]
