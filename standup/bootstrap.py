"""Composition: the one place the domains are joined. Each port a domain needs from a sibling is
built here, once per process, and every entry point calls `start` before it handles anything: the
dashboard shell, the web server, the standalone webhook app, the worker and the `standup` commands
that build the demo or the bench.

- notifications' inbound handling → outreach and pathways: an affected person's own SMS answers their
  open feedback survey when it is a score from 1 to 5 (outreach), else is kept, encrypted, on their
  record for their support team (`PathwaysPersonReplies`), never in notifications' table.
- pathways' use cases and sweeps → notifications' outbox: a message to a person by the channel they
  chose (a screening reminder, an update to their group, who their new key worker is), an email with
  its unsubscribe link (outreach's /support/stop/{token} page takes it) (`OutboxPersonMessages`);
  urgent alerts to the duty clinician (`OutboxClinicianPager`).
- notifications' outbox page → pathways: how the person each message went to asked to be reached
  (`PathwaysContactPreferences`).

`start` also makes every log record of the process redact a personal link's token
(core.public.log_redaction), before any server, worker or command logs a request or a link.

Fail closed: `start` refuses when a port is missing, and a domain refuses to use a port nobody
plugged in (core.plugin_shapes.Port, pathways.plugin.make_sweeps); nothing falls back to doing less.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy.orm import Session

from core.public import log_redaction
from core.settings import get_settings
from notifications.channels import channel_named
from notifications.channels.email_message import UNSUBSCRIBE_URL
from notifications.inbound_service import PERSON_REPLIES, PersonReplies
from notifications.outbox_service import opted_out_addresses, queue, queue_sms
from notifications.preference_queries import PERSON_PREFERENCES, PersonPreferences
from outreach.feedback_service import take_sms_score
from outreach.links import stop_url
from pathways.person_messages import PERSON_MESSAGES, PersonMessages
from pathways.person_replies import take_reply
from pathways.queries import contact_preferences_by_message
from pathways.safety_alert_sweep import ClinicianPager


class PathwaysPersonReplies:
    """notifications.inbound_service.PersonReplies backed by outreach's feedback survey (a reply to its
    SMS scale) and pathways (every other message from a person)."""

    def take(self, session: Session, *, mobile: str, body: str, received_at: datetime,
             provider_sid: str) -> str | None:
        return (take_sms_score(session, mobile=mobile, body=body)
                or take_reply(session, mobile=mobile, body=body, received_at=received_at, provider_sid=provider_sid))


class OutboxPersonMessages:
    """pathways.person_messages.PersonMessages backed by notifications' outbox."""

    def send(self, session: Session, *, incident_id: int, channel: str, to: str, body: str, purpose: str,
             subject: str | None = None, unsubscribe_token: str | None = None) -> int:
        payload = ({UNSUBSCRIBE_URL: stop_url(get_settings().public_base_url, unsubscribe_token)}
                   if unsubscribe_token else None)
        # A reminder or an update that arrives days late is still useful, so no short validity period.
        return queue(session, channel=channel, to=to, body=body, purpose=purpose, incident_id=incident_id,
                     subject=subject, payload=payload).id

    def deliverable(self, session: Session, channel: str, addresses: Collection[str]) -> set[str]:
        written: dict[str, set[str]] = {}  # the address as the channel writes it -> as records have it
        for address in addresses:
            try:
                written.setdefault(channel_named(channel).normalise(address), set()).add(address)
            except ValueError:
                continue  # the channel cannot write to it at all
        stopped = opted_out_addresses(session, channel, written)
        return {given for address, forms in written.items() if address not in stopped for given in forms}


class PathwaysContactPreferences:
    """notifications.preference_queries.PersonPreferences backed by pathways."""

    def labels(self, session: Session, message_ids: Collection[int]) -> dict[int, str]:
        return contact_preferences_by_message(session, message_ids)


class OutboxClinicianPager:
    """pathways.safety_alert_sweep.ClinicianPager backed by the SMS outbox."""

    def page(self, session: Session, *, incident_id: int, mobile: str, body: str) -> None:
        # No validity period: an alert text that arrives late still sends the clinician to Stand Up.
        queue_sms(session, to=mobile, body=body, purpose="safety_alert", incident_id=incident_id)


def _port(*, without: str):
    """A field of Ports; `without`: what would go wrong with no such port, for start's refusal."""
    return field(metadata={"without": without})


@dataclass(frozen=True)
class Ports:
    """Every port of this process."""

    # Plugged into notifications' inbound handling.
    person_replies: PersonReplies = _port(without=PERSON_REPLIES.unplugged_harm)
    # Plugged into notifications' outbox page.
    person_preferences: PersonPreferences = _port(without=PERSON_PREFERENCES.unplugged_harm)
    # Looked up by pathways' use cases that message a person, and handed to pathways' sweeps by the worker.
    person_messages: PersonMessages = _port(without=PERSON_MESSAGES.unplugged_harm)
    clinician_pager: ClinicianPager = _port(without="urgent safety alerts would never reach the duty clinician")


def build_ports() -> Ports:
    return Ports(person_replies=PathwaysPersonReplies(), person_preferences=PathwaysContactPreferences(),
                 person_messages=OutboxPersonMessages(), clinician_pager=OutboxClinicianPager())


_started: Ports | None = None


def start(entry_point: str) -> Ports:
    """Build every port and plug in the ones a domain looks up; the first call of every entry point
    (`entry_point` names it in a refusal). A process builds its ports once: later calls return them."""
    global _started
    log_redaction.install()
    if _started is None:
        ports = build_ports()
        missing = [f"no {port.name} port ({port.metadata['without']})" for port in fields(ports)
                   if getattr(ports, port.name) is None]
        if missing:
            raise RuntimeError(f"{entry_point} refuses to start: {'; '.join(missing)}. "
                               "standup/bootstrap.py must build every port before an entry point starts")
        PERSON_REPLIES.plug(ports.person_replies)
        PERSON_PREFERENCES.plug(ports.person_preferences)
        PERSON_MESSAGES.plug(ports.person_messages)
        _started = ports
    return _started
