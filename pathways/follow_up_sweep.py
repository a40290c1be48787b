"""The worker's screening sweep: open screens that have fallen due, mark late ones overdue, and
send reminders to people who agreed to SMS.

Reminders leave through the `ReminderSender` the composition layer builds at start-up (the
notifications outbox), in the sweep's unit of work: a reminder and its reminder_sent_at commit
together, so nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor
from core.clock import now
from pathways.consent_rules import may_text
from pathways.consent_service import consent_state
from pathways.model import FollowUp, Person
from pathways.schedule import OVERDUE_AFTER, REMINDER_TEXT
from pathways.vocabulary import Purpose

BATCH = 500


class ReminderSender(Protocol):
    def send(self, session: Session, *, incident_id: int, mobile: str, body: str) -> None:
        """Queue one SMS in `session` (the sweep's unit of work), so the message and the
        follow-up's reminder_sent_at commit together or not at all."""


@dataclass(frozen=True)
class SweepResult:
    opened: int
    overdue: int
    reminded: int


def sweep_follow_ups(session: Session, sender: ReminderSender) -> SweepResult:
    """Safe to run at any time: each step only moves rows that are due and not yet moved."""
    actor = Actor.system("pathways-sweep")
    at = now()
    opened = session.execute(
        update(FollowUp).where(FollowUp.status == "planned", FollowUp.due_at <= at)
        .values(status="open", opened_at=at)).rowcount
    overdue = session.execute(
        update(FollowUp).where(FollowUp.status == "open", FollowUp.due_at < at - OVERDUE_AFTER)
        .values(status="overdue")).rowcount
    reminded = _send_reminders(session, actor, sender)
    if opened or overdue:
        record(session, actor, "sweep", "follow_up", detail=f"opened {opened}, overdue {overdue}")
    return SweepResult(opened, overdue, reminded)


def _send_reminders(session: Session, actor: Actor, sender: ReminderSender) -> int:
    q = (select(FollowUp, Person.mobile).join(Person, Person.id == FollowUp.person_id)
         .where(FollowUp.status == "open", FollowUp.reminder_sent_at.is_(None), Person.mobile.is_not(None))
         .order_by(FollowUp.due_at).limit(BATCH))
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(of=FollowUp, key_share=True, skip_locked=True)  # two workers never remind twice
    sent = 0
    for follow_up, mobile in session.execute(q).all():
        if may_text(consent_state(session, follow_up.person_id, Purpose.SMS), mobile):
            sender.send(session, incident_id=follow_up.incident_id, mobile=mobile, body=REMINDER_TEXT)
            sent += 1
            record(session, actor, "remind", "person", follow_up.person_id, incident_id=follow_up.incident_id,
                   recipient="the person (SMS)", detail="fields: reminder (no health detail)")
        follow_up.reminder_sent_at = now()  # decided once: texted, or no consent at the time it fell due
    return sent
