"""Simulated responders for exercise incidents: each person asked answers YES with the
call-out's configured share and after its configured delay, through the same inbound path a
real SMS takes. Deterministic per person, so a drill replays the same way."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import now
from incident.queries import exercise_incident_ids
from notifications.inbound_service import handle_inbound
from notifications.model import CallOut, CallOutRecipient, CallOutStatus, RecipientState


def simulated_answer(recipient_id: int, yes_share: float) -> str:
    return "yes" if random.Random(recipient_id).random() < yes_share else "no"


def answer_for_simulated_responders(session: Session) -> int:
    """Answers due from simulated responders; how many were given."""
    due = session.execute(
        select(CallOutRecipient, CallOut).join(CallOut, CallOut.id == CallOutRecipient.callout_id)
        .where(CallOut.incident_id.in_(exercise_incident_ids()), CallOut.exercise_yes_share.is_not(None),
               CallOut.status.in_([CallOutStatus.OPEN.value, CallOutStatus.QUORUM_MET.value]),
               CallOutRecipient.state == RecipientState.ASKED.value)
    ).all()
    given = 0
    for recipient, callout in due:
        if now() < recipient.asked_at + timedelta(seconds=callout.exercise_reply_seconds or 0):
            continue
        word = simulated_answer(recipient.id, callout.exercise_yes_share).upper()
        handle_inbound(session, sid=f"SMexercise{callout.id:08d}{recipient.id:012d}", from_=recipient.mobile,
                       to="exercise", body=f"{word} {callout.code}")
        given += 1
    return given
