"""Call-out calls: what a call says when it is answered, and what a key pressed on it does.

Twilio's voice webhooks and the console's buttons both come here, as SMS replies come to
inbound_service. A call is an outbox row of channel "voice" whose payload names the call-out
recipient it asks and whose body is the question (call_script.question).

Decisions:
- A key press is kept as an inbound message of channel "voice" (its body the key), once per call:
  its provider SID is derived from the CallSid, so a replayed callback is answered the same and
  changes nothing. Only a 1 or a 2 is kept; a wrong key changes nothing, it is asked again.
- A 1 or a 2 takes the path a YES or NO text takes (callout_service.answer): the
  constraint-checked assignment, the quorum, cancelling the rest; a key after the call-out is
  full makes the person stand by, and they hear "no longer needed".
- A call-out that closed while the phone rang says so and asks nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.settings import get_settings
from notifications import call_script
from notifications.call_script import Turn
from notifications.callout_service import OPEN_STATES, answer
from notifications.inbound_service import first_delivery, storable
from notifications.model import CallOut, CallOutRecipient, InboundMessage, OutboundMessage

VOICE = "voice"
VOICE_ACTOR = Actor.system("voice")  # answers by phone act under the rules, as answers by SMS do
CONSOLE_CALLER = "console"


@dataclass(frozen=True)
class _Call:
    message: OutboundMessage
    recipient: CallOutRecipient
    callout: CallOut


def _call(session: Session, message_id: int) -> _Call | None:
    """The call-out call that outbox row `message_id` is; None when it is no such call."""
    message = session.get(OutboundMessage, message_id)
    if message is None or message.channel != VOICE or not message.payload or message.callout_id is None:
        return None
    recipient_id = json.loads(message.payload).get("recipient_id")
    recipient = session.get(CallOutRecipient, recipient_id) if isinstance(recipient_id, int) else None
    if recipient is None or recipient.callout_id != message.callout_id:
        return None
    return _Call(message, recipient, session.get(CallOut, recipient.callout_id))


def key_press_sid(call_sid: str) -> str:
    """The inbound message SID of the key that answered call `call_sid`: one answer per call."""
    return f"{call_sid}-key"


def opening(session: Session, message_id: int) -> Turn:
    """What call `message_id` says when it is answered."""
    call = _call(session, message_id)
    if call is None:
        return Turn(call_script.UNKNOWN_CALL)
    if call.callout.status not in OPEN_STATES:
        return call_script.closed(call.callout.code)
    return call_script.opening(call.message.body)


def take_key_press(session: Session, *, call_sid: str, message_id: int, digits: str, attempt: int,
                   caller: str = "") -> Turn:
    """A key pressed on call `message_id` (Twilio's CallSid `call_sid`) at asking `attempt`; what
    the call says next. `caller`: the number the call came from (ours)."""
    call = _call(session, message_id)
    if call is None:
        return Turn(call_script.UNKNOWN_CALL)
    intent = call_script.intent_of(digits)
    if intent is None:
        return call_script.not_an_answer(call.message.body, attempt)
    callout, recipient = call.callout, call.recipient
    row = InboundMessage(provider_sid=key_press_sid(call_sid), channel=VOICE, sender=call.message.destination,
                         to_number=storable(caller, 32), body=digits.strip(), received_at=now(), sender_kind="staff",
                         intent=intent, code=callout.code, incident_id=callout.incident_id, callout_id=callout.id)
    if (earlier := first_delivery(session, row)) is not None:
        return Turn(earlier.reply)
    _, attention = answer(session, VOICE_ACTOR, recipient, intent)  # refreshes `callout` under its lock
    turn = (call_script.answered(intent, recipient.state, callout.code) if callout.status in OPEN_STATES
            else call_script.closed(callout.code))
    row.reply_text, row.outcome, row.needs_attention = turn.say, f"{intent} -> {recipient.state}", attention
    record(session, VOICE_ACTOR, "receive", "inbound_message", row.id, incident_id=row.incident_id,
           detail=f"staff: key {row.body} on a call ({intent}) -> {row.outcome}")
    return turn


def press_key_on_console(session: Session, actor: Actor, message_id: int, key: str) -> str:
    """A key pressed on the console as if the person called had pressed it; what they hear."""
    require(actor, Permission.CALLOUT_RUN)
    if get_settings().voice_backend != "console":
        raise InputError("Calls go to real phones on this server; the console is for VOICE_BACKEND=console.")
    if key not in call_script.KEYS:
        raise InputError("Press 1 to accept or 2 to decline.")
    message = session.get(OutboundMessage, message_id)
    if message is None or message.channel != VOICE:
        raise InputError(f"No call {message_id}.")
    if message.provider_sid is None:
        raise InputError(f"Call {message_id} has not been placed yet ({message.status}).")
    turn = take_key_press(session, call_sid=message.provider_sid, message_id=message.id, digits=key,
                          attempt=1, caller=CONSOLE_CALLER)
    record(session, actor, "console_key", "outbound_message", message.id, incident_id=message.incident_id,
           detail=f"key {key} pressed on the console")
    return turn.say
