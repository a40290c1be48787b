"""Keeping a cohort informed: an update to everyone on a cohort's list (ticket purchasers, a witness
list), each contact once. A contact registered as a person goes by their own chosen, consented
channel and the update is kept on their record (pathways.update_service); the rest by the list's
mobile, else its email, with a link to stop the cohort's messages. None to a contact who unsubscribed
from the cohort's messages, nor by a channel their address opted out of. Nothing health-related
(pathways' rules for updates); an exercise's messages are marked by the outbox. A preview says who
will and will not receive it before it goes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.public.link_tokens import new_token, token_hash
from core.settings import get_settings
from notifications.outbox_service import opted_out_addresses, queue
from outreach.links import stop_url
from outreach.lookups import cohort_or_refuse
from outreach.model import Cohort, CohortUpdate, CohortUpdateMessage, Contact
from outreach.settings_service import settings_to_write_with
from pathways.queries import carried_on_by
from pathways.update_service import checked_update, people_update_audience, send_update_to_people

PURPOSE = "update"  # the outbox's word, as for an update to a group of registered people


@dataclass(frozen=True)
class CohortAudience:
    registered_by_text: int  # registered people, by their own channel
    registered_by_email: int
    registered_not_reached: int  # asked to be phoned, no consent to their channel, no address, opted out
    by_text: int  # contacts not registered, by the list's mobile
    by_email: int  # … else by its email
    not_reached: int  # unsubscribed from the cohort's messages, or every address opted out
    is_exercise: bool

    @property
    def reached(self) -> int:
        return self.registered_by_text + self.registered_by_email + self.by_text + self.by_email


@dataclass(frozen=True)
class _Members:
    people: list[int]  # registered people's records, each once
    routes: dict[int, tuple[str, str]]  # contact id -> (channel, address), for contacts not registered
    not_reached: int


def _members(session: Session, cohort: Cohort) -> _Members:
    contacts = session.execute(select(Contact.id, Contact.person_id, Contact.mobile, Contact.email,
                                      Contact.unsubscribed_at)
                               .where(Contact.cohort_id == cohort.id).order_by(Contact.id)).all()
    waiting = [c for c in contacts if c.unsubscribed_at is None]
    stopped = {"sms": opted_out_addresses(session, "sms", [c.mobile for c in waiting if c.mobile]),
               "email": opted_out_addresses(session, "email", [c.email for c in waiting if c.email])}
    people: dict[int, None] = {}  # ordered, each once: two contacts may be one registered person
    routes: dict[int, tuple[str, str]] = {}
    not_reached = len(contacts) - len(waiting)
    for contact in waiting:
        person_id = carried_on_by(session, contact.person_id) if contact.person_id is not None else None
        if person_id is not None:
            people[person_id] = None
            continue
        route = next(((channel, address) for channel, address in (("sms", contact.mobile), ("email", contact.email))
                      if address and address not in stopped[channel]), None)
        if route is None:
            not_reached += 1
        else:
            routes[contact.id] = route
    return _Members(list(people), routes, not_reached)


def _audience(session: Session, actor: Actor, cohort: Cohort, members: _Members) -> CohortAudience:
    registered = people_update_audience(session, actor, cohort.incident_id, members.people)
    channels = [channel for channel, _ in members.routes.values()]
    return CohortAudience(len(registered.by_text), len(registered.by_email),
                          registered.not_reached + registered.to_phone, channels.count("sms"), channels.count("email"),
                          members.not_reached, registered.is_exercise)


def cohort_update_audience(session: Session, actor: Actor, incident_id: int | None, cohort_name: str) -> CohortAudience:
    """Who an update to the cohort would reach, and how."""
    require(actor, Permission.PEOPLE_EDIT)
    cohort = cohort_or_refuse(session, actor, incident_id, cohort_name)
    return _audience(session, actor, cohort, _members(session, cohort))


def send_cohort_update(session: Session, actor: Actor, incident_id: int | None, cohort_name: str,
                       body: str) -> CohortUpdate:
    require(actor, Permission.PEOPLE_EDIT)
    cohort = cohort_or_refuse(session, actor, incident_id, cohort_name, lock=True)  # two sends at once take turns
    outreach = settings_to_write_with(session, cohort.incident_id, "an email to the cohort says who is writing")
    body = checked_update(body)
    members = _members(session, cohort)
    audience = _audience(session, actor, cohort, members)
    if not audience.reached:
        raise InputError("No one on that cohort's list can be sent it (all unsubscribed or opted out, or the "
                         "registered ones asked to be phoned): nothing to send.")
    update = CohortUpdate(incident_id=cohort.incident_id, cohort_id=cohort.id, body=body, sent_at=now(),
                          sent_by_id=actor.user_id, reached=audience.reached,
                          not_reached=audience.not_reached + audience.registered_not_reached)
    session.add(update)
    session.flush()
    send_update_to_people(session, actor, cohort.incident_id, body, members.people, group=f"cohort: {cohort.name}")
    base = get_settings().public_base_url
    for contact_id, (channel, address) in members.routes.items():
        token = new_token() if channel == "email" else None
        message = queue(session, channel=channel, to=address, body=body, purpose=PURPOSE,
                        incident_id=cohort.incident_id,
                        subject=f"An update from {outreach.service_name}" if token else None,
                        payload={"unsubscribe_url": stop_url(base, token)} if token else None)
        session.add(CohortUpdateMessage(message_id=message.id, update_id=update.id, contact_id=contact_id,
                                        channel=channel, unsubscribe_hash=token_hash(token) if token else None))
    record(session, actor, "send", "cohort_update", update.id, incident_id=cohort.incident_id,
           recipient=f"{audience.reached} on the cohort {cohort.name!r}",
           detail=(f"cohort update: registered {audience.registered_by_text} texted, {audience.registered_by_email} "
                   f"emailed, {audience.registered_not_reached} not reached; others {audience.by_text} texted, "
                   f"{audience.by_email} emailed, {audience.not_reached} unsubscribed or opted out"))
    return update
