"""What a call-out call says, and what a key pressed on it means.

Decisions:
- The call reads what the call-out's SMS carries and nothing more: the code, role, hub, date and
  times (no victim detail, no name). The wording is fixed, not the hub manager's template: a
  template is written to be read on a screen.
- One key answers: 1 accepts, 2 declines. Any other key, or silence, asks once more; a second
  miss says goodbye and leaves the SMS to be answered. A wrong key is no answer.
- The code is spoken letter by letter ("K 7 Q X"), so the person can quote it in a text.
- Every spoken answer ends the call: the person has said what we needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from twilio.twiml.voice_response import VoiceResponse

from core.clock import london, show
from notifications.callout_rules import ShiftFacts
from notifications.model import RecipientState as R

KEYS = {"1": "yes", "2": "no"}
ASKS = 2  # the question, then once more after a wrong key or silence
KEY_WAIT_S = 10  # after the question ends: someone woken by the call needs a moment
LANGUAGE = "en-GB"

NO_ANSWER = "We did not get an answer. You can still answer by replying to our text. Goodbye."
NOT_AN_ANSWER = "Sorry, that key is not an answer."
UNKNOWN_CALL = "Sorry, this call is no longer needed. Goodbye."


@dataclass(frozen=True)
class Turn:
    """What the call does next: say `say`, then, when `attempt` is set, ask `ask` for a key
    (`attempt` is which asking that is, 1 the first); else end the call."""

    say: str = ""
    ask: str = ""
    attempt: int = 0


def spelled(code: str) -> str:
    return " ".join(code)


def question(facts: ShiftFacts) -> str:
    day = london(facts.starts_at)
    return (f"Stand Up call-out {spelled(facts.code)}: {facts.role.replace('_', ' ')} needed at {facts.hub}, "
            f"{day:%A} {day.day} {day:%B}, {show(facts.starts_at, '%H:%M')} to {show(facts.ends_at, '%H:%M')}. "
            "Press 1 to accept, or 2 to decline.")


def opening(asked: str) -> Turn:
    return Turn(ask=asked, attempt=1)


def intent_of(digits: str) -> str | None:
    """"yes" for 1, "no" for 2, None for anything else."""
    return KEYS.get((digits or "").strip())


def not_an_answer(asked: str, attempt: int) -> Turn:
    """A key that is not 1 or 2, pressed at asking `attempt`: ask again once, then goodbye."""
    if attempt < ASKS:
        return Turn(NOT_AN_ANSWER, asked, attempt + 1)
    return Turn(f"{NOT_AN_ANSWER} {NO_ANSWER}")


def closed(code: str) -> Turn:
    return Turn(f"Call-out {spelled(code)} has closed. Thank you, there is no need to come in. Goodbye.")


def answered(intent: str, state: str, code: str) -> Turn:
    """What the person hears once their key was applied and left them in `state` (as the SMS path
    would have: callout_service.answer)."""
    cancel = f"If you can no longer come, text CANCEL {spelled(code)}."
    if state == R.CONFIRMED and intent == "yes":
        said = f"Thank you. You are confirmed for this shift. {cancel}"
    elif state == R.CONFIRMED:
        said = f"You are still confirmed for this shift. {cancel}"
    elif state == R.STANDBY:
        said = ("Thank you, you are no longer needed: the shift has enough people. Please stand by; "
                "we will text you if that changes.")
    elif state == R.REFUSED_BY_RULE:
        said = ("Thank you for answering. We cannot put you on this shift because of working-time or vetting "
                "rules. The hub manager has been told; there is no need to come in.")
    elif intent == "no":
        said = "Thank you, noted: you are not available for this shift."
    else:
        said = "Thank you, your answer is noted."
    return Turn(f"{said} Goodbye.")


def twiml(turn: Turn, gather_url: Callable[[int], str]) -> str:
    """The turn as TwiML for Twilio; `gather_url(attempt)` is where a key pressed at that asking goes.
    Silence at one asking falls through to the next, and after the last to goodbye."""
    response = VoiceResponse()
    if turn.say:
        response.say(turn.say, language=LANGUAGE)
    if turn.attempt:
        for attempt in range(turn.attempt, ASKS + 1):
            gather = response.gather(input="dtmf", num_digits=1, timeout=KEY_WAIT_S, action=gather_url(attempt),
                                     method="POST")
            gather.say(turn.ask, language=LANGUAGE)
        response.say(NO_ANSWER, language=LANGUAGE)
    response.hangup()
    return response.to_xml()
