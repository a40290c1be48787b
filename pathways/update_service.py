"""Keeping people informed: an update to a group of an incident's people (everyone, or those with
chosen roles: the bereaved families, all witnesses), each member once, by the channel they chose and
consented to (a text or an email: person_messages); none to those who refused or withdrew that consent,
whose address opted out of the channel, or who asked to be phoned by their caseworker. A preview says
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
from incident.queries import IncidentFacts
from pathways.lookups import incident_or_refuse, person_or_refuse, user_names
from pathways.model import GroupUpdate, GroupUpdateRecipient, Person
from pathways.person_messages import PERSON_MESSAGES, Route, routes, send
from pathways.update_rules import UPDATE_LENGTH, health_word
from pathways.vocabulary import ContactBy, PersonRole, label


@dataclass(frozen=True)
class Audience:
    by_text: list[int]  # person ids, each once
    by_email: list[int]
    to_phone: int  # asked to be phoned by their caseworker: no automated message
    not_reached: int  # no consent to their channel (refused, withdrawn or never asked), no address, or opted out
    is_exercise: bool  # the outbox marks an exercise's messages "EXERCISE "

    @property
    def reached(self) -> int:
        return len(self.by_text) + len(self.by_email)


def _members(session: Session, incident_id: int, roles: tuple[str, ...]) -> list[Person]:
    if bad := [r for r in roles if r not in set(PersonRole)]:
        raise InputError(f"Unknown role {bad[0]!r}; allowed: {', '.join(PersonRole)}")
    people = session.scalars(select(Person).where(
        Person.incident_id == incident_id, Person.merged_into_id.is_(None), Person.status == "open")
        .order_by(Person.id))
    wanted = set(roles)
    return [p for p in people if not wanted or wanted & set(p.roles.split(","))]


def _audience(session: Session, incident: IncidentFacts, roles: tuple[str, ...]) -> tuple[Audience, list[Person],
                                                                                           dict[int, Route | None]]:
    members = _members(session, incident.id, roles)
    found = routes(session, PERSON_MESSAGES.get(), members)
    by = {channel: [p.id for p in members if (r := found[p.id]) is not None and r.channel == channel]
          for channel in ("sms", "email")}
    to_phone = sum(1 for p in members if found[p.id] is None and p.contact_by == ContactBy.PHONE)
    reached = len(by["sms"]) + len(by["email"])
    return (Audience(by["sms"], by["email"], to_phone, len(members) - reached - to_phone, incident.is_exercise),
            members, found)


def update_audience(session: Session, actor: Actor, incident_id: int | None, roles: tuple[str, ...] = ()) -> Audience:
    """Who an update to the incident's people (with any of `roles`; none: everyone) would reach, and how."""
    require(actor, Permission.PEOPLE_EDIT)
    return _audience(session, incident_or_refuse(session, actor, incident_id), roles)[0]


def send_update(session: Session, actor: Actor, incident_id: int | None, body: str,
                roles: tuple[str, ...] = ()) -> GroupUpdate:
    require(actor, Permission.PEOPLE_EDIT)
    incident = incident_or_refuse(session, actor, incident_id)
    body = " ".join(free_text(body, "The update", UPDATE_LENGTH).split())
    if not body:
        raise InputError("Write the update.")
    if word := health_word(body):
        raise InputError(f"An update goes to many people by text or email: nothing health-related ({word!r}). "
                         "Tell a person about their own care on their record, not in a group update.")
    audience, members, found = _audience(session, incident, roles)
    if not audience.reached:
        raise InputError("No one in that group can be sent it (none consented to texts or emails they can "
                         "receive, or all asked to be phoned): nothing to send.")
    update = GroupUpdate(incident_id=incident.id, body=body, roles=",".join(roles), sent_at=now(),
                         sent_by_id=actor.user_id, reached=audience.reached,
                         not_reached=audience.not_reached + audience.to_phone)
    session.add(update)
    session.flush()
    messages = PERSON_MESSAGES.get()
    for person in members:
        if (route := found[person.id]) is not None:
            send(session, messages, person, route, body=body, purpose="update")
            session.add(GroupUpdateRecipient(update_id=update.id, person_id=person.id, channel=route.channel))
    record(session, actor, "send", "group_update", update.id, incident_id=incident.id,
           recipient=(f"{audience.reached} people: {len(audience.by_text)} by SMS, {len(audience.by_email)} by "
                      f"email ({', '.join(label(r) for r in roles) or 'everyone'})"),
           detail=(f"group update: {len(audience.by_text)} texted, {len(audience.by_email)} emailed, "
                   f"{audience.to_phone} to phone, {audience.not_reached} without consent, address or "
                   "with an opt-out"))
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
