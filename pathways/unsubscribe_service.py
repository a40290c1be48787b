"""A person stops the support team's emails with the link at the foot of one (and its one-click
List-Unsubscribe, RFC 8058): their consent to emails is withdrawn, recorded as their own decision,
so nothing more is emailed to them until a caseworker records their consent again. The link's token
is looked up by its sha256 only (core.public.link_tokens); any email's link works, however old."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.public.link_tokens import looks_like_token, token_hash
from pathways.consent_service import withdrawn_by_the_person
from pathways.merged_records import with_merged
from pathways.model import Person, PersonMessage
from pathways.queries import carried_on_by
from pathways.vocabulary import Purpose


@dataclass(frozen=True)
class EmailLink:
    incident_id: int
    person_id: int  # the record their details live in now (a merged duplicate's survivor)


def email_link(session: Session, token: object) -> EmailLink | None:
    """The person an email's unsubscribe link was sent to; None for anything else (or an erased record)."""
    if not looks_like_token(token):
        return None
    person_id = session.scalar(select(PersonMessage.person_id).where(PersonMessage.unsubscribe_hash == token_hash(token)))
    carried = carried_on_by(session, person_id) if person_id is not None else None
    if carried is None:
        return None
    # Only the incident: a public page has no need to read (and decrypt) the rest of the record.
    return EmailLink(session.scalar(select(Person.incident_id).where(Person.id == carried)), carried)


def stop_emails(session: Session, token: object) -> list[int] | None:
    """The link's holder wants no more emails: their consent to emails is withdrawn (once; a second
    press changes nothing). The outbox ids of every email sent them, for the caller to withdraw those
    not yet gone; None for a token that is not a link."""
    link = email_link(session, token)
    if link is None:
        return None
    withdrawn_by_the_person(session, link.person_id, Purpose.EMAIL, how="the unsubscribe link of an email")
    return list(session.scalars(select(PersonMessage.message_id).where(
        PersonMessage.person_id.in_(with_merged(session, link.person_id)), PersonMessage.channel == "email")))
