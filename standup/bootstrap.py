"""Composition: the one place the domains are joined. Each port a domain needs from a sibling is
built here, once per process, and every entry point calls `start` before it handles anything: the
dashboard shell, the web server, the standalone webhook app, the worker and the `standup` commands
that build the demo or the bench.

- notifications' inbound handling → outreach and pathways: an affected person's own SMS answers their
  open feedback survey when it is a score from 1 to 5 (outreach), else is kept, encrypted, on their
  record for their support team (`PathwaysPersonReplies`), never in notifications' table.
- pathways' sweeps → notifications' outbox: screening reminders to people (`OutboxReminders`) and
  urgent alerts to the duty clinician (`OutboxClinicianPager`).
- pathways' use cases → notifications' outbox: a text to a person, e.g. who their new key worker is
  (`OutboxPersonTexts`).

`start` also makes every log record of the process redact a personal link's token
(core.public.log_redaction), before any server, worker or command logs a request or a link.

Fail closed: `start` refuses when a port is missing, and a domain refuses to use a port nobody
plugged in (core.plugin_shapes.Port, pathways.plugin.make_sweeps); nothing falls back to doing less.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy.orm import Session

from core.public import log_redaction
from notifications.inbound_service import PERSON_REPLIES, PersonReplies
from notifications.outbox_service import queue_sms
from outreach.feedback_service import take_sms_score
from pathways.follow_up_sweep import ReminderSender
from pathways.person_replies import take_reply
from pathways.person_texts import PERSON_TEXTS, PersonTexts
from pathways.safety_alert_sweep import ClinicianPager


class PathwaysPersonReplies:
    """notifications.inbound_service.PersonReplies backed by outreach's feedback survey (a reply to its
    SMS scale) and pathways (every other message from a person)."""

    def take(self, session: Session, *, mobile: str, body: str, received_at: datetime,
             provider_sid: str) -> str | None:
        return (take_sms_score(session, mobile=mobile, body=body)
                or take_reply(session, mobile=mobile, body=body, received_at=received_at, provider_sid=provider_sid))


class OutboxReminders:
    """pathways.follow_up_sweep.ReminderSender backed by the SMS outbox."""

    def send(self, session: Session, *, incident_id: int, mobile: str, body: str) -> None:
        # A reminder that arrives days late is still useful, so no short validity period here.
        queue_sms(session, to=mobile, body=body, purpose="reminder", incident_id=incident_id)


class OutboxPersonTexts:
    """pathways.person_texts.PersonTexts backed by the SMS outbox."""

    def text(self, session: Session, *, incident_id: int, mobile: str, body: str, purpose: str) -> None:
        queue_sms(session, to=mobile, body=body, purpose=purpose, incident_id=incident_id)


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
    # Handed to pathways' sweeps by the worker.
    reminders: ReminderSender = _port(without="screening reminders would never be texted")
    clinician_pager: ClinicianPager = _port(without="urgent safety alerts would never reach the duty clinician")
    # Looked up by pathways' use cases that text a person.
    person_texts: PersonTexts = _port(without=PERSON_TEXTS.unplugged_harm)


def build_ports() -> Ports:
    return Ports(person_replies=PathwaysPersonReplies(), reminders=OutboxReminders(),
                 clinician_pager=OutboxClinicianPager(), person_texts=OutboxPersonTexts())


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
        PERSON_TEXTS.plug(ports.person_texts)
        _started = ports
    return _started
