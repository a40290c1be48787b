"""Keeping people informed: an update to a group of an incident's people (everyone, or those with
chosen roles: the bereaved families, all witnesses), each member once, by the channel they chose and
consented to (a text or an email: person_messages); none to those who refused or withdrew that consent,
whose address opted out of the channel, or who asked to be phoned by their caseworker. A preview says
who will and will not receive it before it goes. Nothing health-related may be in an update. Each
person's record lists the updates they were sent."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.typed_text import free_text, one_line
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


def _members(session: Session, incident_id: int, roles: tuple[str, ...] = (),
             person_ids: Collection[int] | None = None) -> list[Person]:
    """The incident's open records (no merged duplicate) with any of `roles` (none: everyone), or among
    `person_ids` when given."""
    if bad := [r for r in roles if r not in set(PersonRole)]:
        raise InputError(f"Unknown role {bad[0]!r}; allowed: {', '.join(PersonRole)}")
    q = select(Person).where(Person.incident_id == incident_id, Person.merged_into_id.is_(None),
                             Person.status == "open").order_by(Person.id)
    if person_ids is not None:
        q = q.where(Person.id.in_(sorted(set(person_ids))))
    wanted = set(roles)
    return [p for p in session.scalars(q) if not wanted or wanted & set(p.roles.split(","))]


def _audience(session: Session, incident: IncidentFacts, members: list[Person]) -> tuple[Audience,
                                                                                         dict[int, Route | None]]:
    found = routes(session, PERSON_MESSAGES.get(), members)
    by = {channel: [p.id for p in members if (r := found[p.id]) is not None and r.channel == channel]
          for channel in ("sms", "email")}
    to_phone = sum(1 for p in members if found[p.id] is None and p.contact_by == ContactBy.PHONE)
    reached = len(by["sms"]) + len(by["email"])
    return Audience(by["sms"], by["email"], to_phone, len(members) - reached - to_phone, incident.is_exercise), found


def update_audience(session: Session, actor: Actor, incident_id: int | None, roles: tuple[str, ...] = ()) -> Audience:
    """Who an update to the incident's people (with any of `roles`; none: everyone) would reach, and how."""
    require(actor, Permission.PEOPLE_EDIT)
    incident = incident_or_refuse(session, actor, incident_id)
    return _audience(session, incident, _members(session, incident.id, roles))[0]


def people_update_audience(session: Session, actor: Actor, incident_id: int | None,
                           person_ids: Collection[int]) -> Audience:
    """`update_audience` for chosen people of the incident (an outreach cohort's registered members)."""
    require(actor, Permission.PEOPLE_EDIT)
    incident = incident_or_refuse(session, actor, incident_id)
    return _audience(session, incident, _members(session, incident.id, person_ids=person_ids))[0]


def checked_update(body: str) -> str:
    """An update's text as it goes (one paragraph), or InputError: empty, too long, or health-related."""
    body = " ".join(free_text(body, "The update", UPDATE_LENGTH).split())
    if not body:
        raise InputError("Write the update.")
    if word := health_word(body):
        raise InputError(f"An update goes to many people by text or email: nothing health-related ({word!r}). "
                         "Tell a person about their own care on their record, not in a group update.")
    return body


def send_update(session: Session, actor: Actor, incident_id: int | None, body: str,
                roles: tuple[str, ...] = ()) -> GroupUpdate:
    require(actor, Permission.PEOPLE_EDIT)
    incident = incident_or_refuse(session, actor, incident_id)
    body = checked_update(body)
    update = _send(session, actor, incident, body, _members(session, incident.id, roles), roles=roles,
                   group=", ".join(label(r) for r in roles) or "everyone")
    if update is None:
        raise InputError("No one in that group can be sent it (none consented to texts or emails they can "
                         "receive, or all asked to be phoned): nothing to send.")
    return update


def send_update_to_people(session: Session, actor: Actor, incident_id: int | None, body: str,
                          person_ids: Collection[int], *, group: str) -> GroupUpdate | None:
    """`send_update` to chosen people of the incident, the group named `group` (an outreach cohort's
    registered members, each by their own channel); None when none of them can be sent it."""
    require(actor, Permission.PEOPLE_EDIT)
    incident = incident_or_refuse(session, actor, incident_id)
    group = one_line(group, "The group", 200)
    return _send(session, actor, incident, checked_update(body),
                 _members(session, incident.id, person_ids=person_ids), roles=(), group=group)


def _send(session: Session, actor: Actor, incident: IncidentFacts, body: str, members: list[Person], *,
          roles: tuple[str, ...], group: str) -> GroupUpdate | None:
    audience, found = _audience(session, incident, members)
    if not audience.reached:
        return None
    update = GroupUpdate(incident_id=incident.id, body=body, roles=",".join(roles), group_name=group, sent_at=now(),
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
                      f"email ({group})"),
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
    group: str  # whom it was sent to: roles, everyone, or an outreach cohort


def updates_sent_to(session: Session, actor: Actor, person_id: int) -> list[SentUpdate]:
    """Every update this person was sent, newest first. Part of their record (its opening is audited)."""
    require(actor, Permission.PEOPLE_VIEW)
    person = person_or_refuse(session, actor, person_id)
    rows = session.execute(select(GroupUpdate, GroupUpdateRecipient.channel)
                           .join(GroupUpdateRecipient, GroupUpdateRecipient.update_id == GroupUpdate.id)
                           .where(GroupUpdateRecipient.person_id == person.id)
                           .order_by(GroupUpdate.sent_at.desc(), GroupUpdate.id.desc())).all()
    names = user_names(session, [u.sent_by_id for u, _ in rows])
    return [SentUpdate(u.sent_at, names.get(u.sent_by_id, "Stand Up"), u.body, channel,
                       u.group_name or ", ".join(label(r) for r in u.roles.split(",") if r) or "everyone")
            for u, channel in rows]
