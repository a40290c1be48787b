"""The worker's screening sweep: open screens that have fallen due, mark late ones overdue, and
remind each person by the channel they chose and consented to (a text or an email).

Reminders leave through the `PersonMessages` port the composition layer builds at start-up (the
notifications outbox), in the sweep's unit of work: a reminder and its reminder_sent_at commit
together, so nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor
from core.clock import now
from pathways import person_messages
from pathways.model import FollowUp, Person
from pathways.person_messages import PersonMessages
from pathways.schedule import OVERDUE_AFTER, REMINDER_TEXT
from pathways.vocabulary import label

BATCH = 500


@dataclass(frozen=True)
class SweepResult:
    opened: int
    overdue: int
    reminded: int


def sweep_follow_ups(session: Session, sender: PersonMessages) -> SweepResult:
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


def _send_reminders(session: Session, actor: Actor, sender: PersonMessages) -> int:
    q = (select(FollowUp, Person).join(Person, Person.id == FollowUp.person_id)
         .where(FollowUp.status == "open", FollowUp.reminder_sent_at.is_(None))
         .order_by(FollowUp.due_at).limit(BATCH))
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(of=FollowUp, key_share=True, skip_locked=True)  # two workers never remind twice
    due = session.execute(q).all()
    routes = person_messages.routes(session, sender, list({p.id: p for _, p in due}.values()))
    sent = 0
    for follow_up, person in due:
        if (route := routes[person.id]) is not None:
            person_messages.send(session, sender, person, route, body=REMINDER_TEXT, purpose="reminder")
            sent += 1
            record(session, actor, "remind", "person", person.id, incident_id=follow_up.incident_id,
                   recipient=f"the person ({label(route.channel)})", detail="fields: reminder (no health detail)")
        follow_up.reminder_sent_at = now()  # decided once: sent, or no usable channel at the time it fell due
    return sent
