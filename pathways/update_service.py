"""Keeping people informed: an update to a group of an incident's people (everyone, or those with
chosen roles: the bereaved families, all witnesses), each member once, by the channel they consented
to (a text, with their consent to texts); none to those who refused or withdrew it. A preview says
who will and will not receive it before it goes. Nothing health-related may be in an update. Each
person's record lists the updates they were sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.typed_text import free_text
from pathways.consent_service import consent_state
from pathways.lookups import incident_or_refuse, person_or_refuse, user_names
from pathways.model import GroupUpdate, GroupUpdateRecipient, Person
from pathways.person_texts import PERSON_TEXTS
from pathways.update_rules import UPDATE_LENGTH, health_word
from pathways.vocabulary import PersonRole, Purpose, label


@dataclass(frozen=True)
class Audience:
    by_text: list[int]  # person ids, each once
    not_reached: int  # no consent to texts (refused, withdrawn or never asked) or no mobile
    is_exercise: bool  # the outbox marks an exercise's texts "EXERCISE "


def _members(session: Session, incident_id: int, roles: tuple[str, ...]) -> list[Person]:
    if bad := [r for r in roles if r not in set(PersonRole)]:
        raise InputError(f"Unknown role {bad[0]!r}; allowed: {', '.join(PersonRole)}")
    people = session.scalars(select(Person).where(
        Person.incident_id == incident_id, Person.merged_into_id.is_(None), Person.status == "open")
        .order_by(Person.id))
    wanted = set(roles)
    return [p for p in people if not wanted or wanted & set(p.roles.split(","))]


def update_audience(session: Session, actor: Actor, incident_id: int | None, roles: tuple[str, ...] = ()) -> Audience:
    """Who an update to the incident's people (with any of `roles`; none: everyone) would reach."""
    require(actor, Permission.PEOPLE_EDIT)
    incident = incident_or_refuse(session, actor, incident_id)
    members = _members(session, incident.id, roles)
    reached = [p.id for p in members if p.mobile and consent_state(session, p.id, Purpose.SMS).given]
    return Audience(reached, len(members) - len(reached), incident.is_exercise)


def send_update(session: Session, actor: Actor, incident_id: int | None, body: str,
                roles: tuple[str, ...] = ()) -> GroupUpdate:
    require(actor, Permission.PEOPLE_EDIT)
    incident = incident_or_refuse(session, actor, incident_id)
    body = " ".join(free_text(body, "The update", UPDATE_LENGTH).split())
    if not body:
        raise InputError("Write the update.")
    if word := health_word(body):
        raise InputError(f"An update goes to many people by text: nothing health-related ({word!r}). Tell a "
                         "person about their own care on their record, not in a group update.")
    audience = update_audience(session, actor, incident.id, roles)
    if not audience.by_text:
        raise InputError("No one in that group consented to texts: nothing to send.")
    update = GroupUpdate(incident_id=incident.id, body=body, roles=",".join(roles), sent_at=now(),
                         sent_by_id=actor.user_id, reached=len(audience.by_text), not_reached=audience.not_reached)
    session.add(update)
    session.flush()
    texts = PERSON_TEXTS.get()
    mobiles = dict(session.execute(select(Person.id, Person.mobile).where(Person.id.in_(audience.by_text))).all())
    for person_id in audience.by_text:
        texts.text(session, incident_id=incident.id, mobile=mobiles[person_id], body=body, purpose="update")
        session.add(GroupUpdateRecipient(update_id=update.id, person_id=person_id, channel="sms"))
    record(session, actor, "send", "group_update", update.id, incident_id=incident.id,
           recipient=f"{len(audience.by_text)} people by SMS ({', '.join(label(r) for r in roles) or 'everyone'})",
           detail=f"group update: {len(audience.by_text)} texted, {audience.not_reached} without consent or mobile")
    return update


@dataclass(frozen=True)
class SentUpdate:
    sent_at: datetime
    by: str
    body: str
    channel: str


def updates_sent_to(session: Session, actor: Actor, person_id: int) -> list[SentUpdate]:
    """Every update this person was sent, newest first. Part of their record (its opening is audited)."""
    require(actor, Permission.PEOPLE_VIEW)
    person = person_or_refuse(session, actor, person_id)
    rows = session.execute(select(GroupUpdate, GroupUpdateRecipient.channel)
                           .join(GroupUpdateRecipient, GroupUpdateRecipient.update_id == GroupUpdate.id)
                           .where(GroupUpdateRecipient.person_id == person.id)
                           .order_by(GroupUpdate.sent_at.desc(), GroupUpdate.id.desc())).all()
    names = user_names(session, [u.sent_by_id for u, _ in rows])
    return [SentUpdate(u.sent_at, names.get(u.sent_by_id, "Stand Up"), u.body, channel) for u, channel in rows]
