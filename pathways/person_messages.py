"""Messages Stand Up sends an affected person (a screening reminder, an update to a group, news of their
key worker), each by the channel they chose and consented to (consent_rules.channel_for), and each kept
on their record (PersonMessage). An email carries an unsubscribe link of its own, one-click (RFC 8058):
following it withdraws their consent to emails (unsubscribe_service). Nothing health-related goes in
such a message.

They leave through the `PersonMessages` port the composition layer fills with notifications' outbox,
which marks an exercise's messages and blocks an address that opted out of the channel. Use cases look
it up (`PERSON_MESSAGES`); the worker's sweeps are built with it (pathways.plugin.make_sweeps)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from core.plugin_shapes import Port
from core.public.link_tokens import new_token, token_hash
from pathways.consent_rules import channel_for, usable
from pathways.consent_service import consent_states
from pathways.model import Person, PersonMessage
from pathways.vocabulary import Purpose


class PersonMessages(Protocol):
    def send(self, session: Session, *, incident_id: int, channel: str, to: str, body: str, purpose: str,
             subject: str | None = None, unsubscribe_token: str | None = None) -> int:
        """Queue one message in `session`, so it commits with what it tells of, or not at all; its outbox
        id. An email goes with the unsubscribe link of `unsubscribe_token`."""

    def deliverable(self, session: Session, channel: str, addresses: Collection[str]) -> set[str]:
        """Those of `addresses` that `channel` can write to and that have not opted out of it."""


PERSON_MESSAGES: Port[PersonMessages] = Port(
    "pathways' messages-to-people port",
    "people would never be sent screening reminders, updates to their group or news of their key worker")

# An email's subject; a text has none. No name of the incident or the service: a lock screen shows it.
SUBJECTS = {"reminder": "A check-in with your support team", "update": "An update from your support team",
            "key_worker": "Your key worker", "feedback": "How was our support for you?"}


@dataclass(frozen=True)
class Route:
    channel: str  # sms, email
    address: str


def routes(session: Session, messages: PersonMessages, people: Sequence[Person]) -> dict[int, Route | None]:
    """How a message would reach each person, by id; None: it would not (tell them another way)."""
    deliverable = {"sms": messages.deliverable(session, "sms", [p.mobile for p in people if p.mobile]),
                   "email": messages.deliverable(session, "email", [p.email for p in people if p.email])}
    agreed = {purpose: consent_states(session, [p.id for p in people], purpose) for purpose in (Purpose.SMS, Purpose.EMAIL)}
    found: dict[int, Route | None] = {}
    for person in people:
        by = {channel: usable(agreed[purpose][person.id], address, opted_out=address not in deliverable[channel])
              for channel, purpose, address in (("sms", Purpose.SMS, person.mobile),
                                                ("email", Purpose.EMAIL, person.email))}
        channel = channel_for(person.contact_by, by_sms=by["sms"], by_email=by["email"])
        found[person.id] = None if channel is None else Route(channel, person.mobile if channel == "sms" else person.email)
    return found


def send(session: Session, messages: PersonMessages, person: Person, route: Route, *, body: str,
         purpose: str) -> None:
    """One message to `person` by `route` (from `routes`), kept on their record."""
    token = new_token() if route.channel == "email" else None
    message_id = messages.send(session, incident_id=person.incident_id, channel=route.channel, to=route.address,
                               body=body, purpose=purpose, subject=SUBJECTS[purpose] if token else None,
                               unsubscribe_token=token)
    session.add(PersonMessage(message_id=message_id, person_id=person.id, channel=route.channel, purpose=purpose,
                              unsubscribe_hash=token_hash(token) if token else None))


def route_to(session: Session, person_id: int) -> Route | None:
    """How a message would reach this person now (their chosen, consented channel, not opted out), or
    None; for another domain's message to them (outreach's feedback survey)."""
    return routes(session, PERSON_MESSAGES.get(), [session.get(Person, person_id)])[person_id]


def send_to(session: Session, person_id: int, route: Route, *, body: str, purpose: str) -> None:
    """`send` for another domain, which knows the person by id only."""
    send(session, PERSON_MESSAGES.get(), session.get(Person, person_id), route, body=body, purpose=purpose)
