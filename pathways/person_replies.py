"""Text messages from affected people (a reply to a screening reminder, a worry, a crisis): kept
for their caseworkers only, encrypted, shown on the key worker's "my day" and on the person record
until someone marks them read; the person gets a kind, safe acknowledgement. What a person wrote in
a feedback survey, or their asking to be contacted, is kept the same way (`keep_feedback`), so
their key worker has it to act on and nobody else reads it.

notifications never imports this: the composition layer (standup/bootstrap.py) plugs `take_reply`
into its inbound port at start-up. Hub managers see only that a message was kept, never its words.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.phone import normalise_mobile
from pathways.lookups import row_or_refuse
from pathways.model import Person, PersonReply
from pathways.retention import is_erased

# No name, no health detail, GSM-7 and two segments at most: a lost phone may be read by anyone.
ACKNOWLEDGEMENT = (
    "Thank you, your message has reached your support team and someone will contact you. "
    "If you are in danger now call 999. Samaritans: 116 123, free, day or night."
)
MAX_BODY = 2000  # what the SMS record keeps at most; Twilio's own limit is 1,600
# PersonReply.kind, and how a list of things to do names it
TEXT, FEEDBACK, CONTACT_ASKED = "text", "feedback", "contact"
KIND_TITLES = {TEXT: "text message", FEEDBACK: "feedback comment", CONTACT_ASKED: "asks to be contacted (feedback)"}


def _survivor(session: Session, person: Person) -> Person:
    """A merged duplicate's messages belong on the record it was merged into."""
    seen = {person.id}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        person = session.get(Person, person.merged_into_id)
        seen.add(person.id)
    return person


def people_with(session: Session, mobile: str) -> list[Person]:
    """The records (those that carry on, not anonymised) of the people at this mobile (E.164)."""
    people = {}
    for found in session.scalars(select(Person).where(Person.mobile == mobile).order_by(Person.id)):
        person = _survivor(session, found)
        if not is_erased(person):
            people[person.id] = person
    return list(people.values())


def take_reply(session: Session, *, mobile: str, body: str, received_at: datetime, provider_sid: str) -> str | None:
    """If `mobile` (E.164) belongs to a registered affected person, keep their message for their
    caseworkers (on each of their records: one per incident they were registered in) and return the
    acknowledgement to send back; otherwise None. Never raises for an unknown or unreadable number;
    a message delivered twice (same provider SID) is kept once and acknowledged again."""
    try:
        e164 = normalise_mobile(mobile)
    except ValueError:
        return None
    people = people_with(session, e164)
    if not people:
        return None
    kept = set(session.scalars(select(PersonReply.person_id).where(PersonReply.provider_sid == provider_sid)))
    actor = Actor.system("person-replies")
    for person in people:
        if person.id in kept:
            continue
        reply = PersonReply(incident_id=person.incident_id, person_id=person.id, body=(body or "").strip()[:MAX_BODY],
                            kind=TEXT, received_at=received_at, provider_sid=provider_sid)
        session.add(reply)
        session.flush()
        record(session, actor, "receive", "person_reply", reply.id, incident_id=person.incident_id,
               recipient="the person's support team", detail="fields: body (kept encrypted)")
    return ACKNOWLEDGEMENT


def keep_feedback(session: Session, person_id: int, *, body: str, contact_asked: bool, ref: str,
                  received_at: datetime) -> int:
    """Keep what a person wrote or asked in a feedback survey (`body`) on their record (`person_id`,
    the one that carries on: pathways.queries.carried_on_by) for their support team, as a message to
    read and act on (a task for their key worker when they asked to be contacted); `ref` names the
    survey answer, so it is kept once. The id of the message."""
    existing = session.scalar(select(PersonReply.id).where(PersonReply.person_id == person_id,
                                                           PersonReply.provider_sid == ref))
    if existing is not None:
        return existing
    incident_id = session.scalar(select(Person.incident_id).where(Person.id == person_id))
    reply = PersonReply(incident_id=incident_id, person_id=person_id, body=body.strip()[:MAX_BODY],
                        kind=CONTACT_ASKED if contact_asked else FEEDBACK, received_at=received_at,
                        provider_sid=ref)
    session.add(reply)
    session.flush()
    record(session, Actor.system("feedback"), "receive", "person_reply", reply.id, incident_id=incident_id,
           recipient="the person's support team", detail="fields: body (kept encrypted); from a feedback survey")
    return reply.id


def mark_reply_read(session: Session, actor: Actor, reply_id: int) -> PersonReply:
    """Someone in the person's support team has read the message (and will act on it)."""
    require(actor, Permission.PEOPLE_EDIT)
    reply = row_or_refuse(session, actor, PersonReply, reply_id, "message")
    if reply.read_at is not None:
        raise InputError("This message was already marked read.")
    reply.read_at, reply.read_by_id = now(), actor.user_id
    record(session, actor, "read", "person_reply", reply.id, incident_id=reply.incident_id,
           detail="fields: read_at")
    return reply
