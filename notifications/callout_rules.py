"""Call-out rules: how many to ask in each wave, when the next wave, reminder and expiry are due,
and the texts responders get.

Decisions:
- The first wave asks 2 × quorum people (about half of those asked at night say yes); each
  later wave, due `wave_interval` after the last while the quorum is short, asks 2 × the
  shortfall from the people not asked yet, in ranking order.
- One reminder per person, `reminder_after` after they were asked, while the call-out is open:
  a call instead of a text when the call-out allows calls (callout_service._remind says why).
- Each person's contact preference (rosters) narrows what a call-out that allows calls does, never
  widens it: someone who asked for SMS only is never phoned (they get the reminder text); someone
  who asked for a call first is phoned as they are asked, the text going too as the written record
  of the shift and its code, and is texted their reminder. A call-out phones a person once at most.
  Calling first at once, not at the reminder time: they told us a text may well go unseen, and the
  minutes waited for it are the minutes a call-out has.
- A call-out expires at its expiry time; people who never answered are then "no reply". By
  default that is the shift's start; for a shift under way (or about to start), two hours from
  now or the shift's end, whichever is sooner: late help is still help.
- Texts carry only the call-out code, role, hub name and times: placeholders are a fixed list,
  so no template can pull a victim's (or anyone's) personal data into an SMS.
- Texts stay GSM-7 (a plain hyphen, not a dash) so each costs as few segments as possible.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.clock import show

PLACEHOLDERS = ("code", "role", "hub", "date", "start", "end")
DEFAULT_TEMPLATE = (
    "Stand Up call-out {code}: {role} needed at {hub}, {date} {start}-{end}. "
    "Reply YES {code} or NO {code}."
)
# A stale "are you available?" must not arrive hours late (Twilio drops it after this).
CALLOUT_VALIDITY_SECONDS = 900


@dataclass(frozen=True)
class ShiftFacts:
    code: str
    role: str
    hub: str
    starts_at: datetime
    ends_at: datetime


def check_template(template: str) -> None:
    """ValueError naming the problem when a template uses anything but the allowed placeholders."""
    if not template.strip():
        raise ValueError("The message template is empty.")
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValueError(f"The template has a stray brace: {exc}. Write placeholders as {{code}}.") from None
    unknown = sorted({f for f in fields if f not in PLACEHOLDERS})
    if unknown:
        raise ValueError(f"Unknown placeholder {', '.join('{' + f + '}' for f in unknown)}; allowed: "
                         + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
    if "code" not in fields:
        raise ValueError("The template must include {code}, so replies can be matched to this call-out.")


def render(template: str, facts: ShiftFacts) -> str:
    check_template(template)
    return template.format(
        code=facts.code, role=facts.role.replace("_", " "), hub=facts.hub,
        date=show(facts.starts_at, "%a %d %b"), start=show(facts.starts_at, "%H:%M"), end=show(facts.ends_at, "%H:%M"),
    )


def default_expiry(starts_at: datetime, ends_at: datetime, at: datetime) -> datetime:
    if starts_at > at + timedelta(minutes=15):
        return starts_at
    return min(ends_at, at + timedelta(hours=2))


def wave_size(quorum: int, confirmed: int, wave_number: int) -> int:
    """How many more people to ask in wave `wave_number` (1-based)."""
    if wave_number == 1:
        return 2 * quorum
    return 2 * max(0, quorum - confirmed)


def wave_due(next_wave_at: datetime | None, confirmed: int, quorum: int, at: datetime) -> bool:
    return next_wave_at is not None and confirmed < quorum and at >= next_wave_at


def reminder_due(asked_at: datetime | None, reminded_at: datetime | None, reminder_after: timedelta,
                 at: datetime) -> bool:
    return asked_at is not None and reminded_at is None and at >= asked_at + reminder_after


def call_when_asked(calls_allowed: bool, *, phone_first: bool) -> bool:
    """Whether asking someone phones them as well as texting them."""
    return calls_allowed and phone_first


def call_as_reminder(calls_allowed: bool, *, may_phone: bool, phoned_already: bool, texted_stop: bool) -> bool:
    """Whether someone's reminder is a call rather than a text. A number that texted STOP is not
    phoned instead: it gets the text, which the outbox blocks and the board shows."""
    return calls_allowed and may_phone and not phoned_already and not texted_stop


def reminder_text(facts: ShiftFacts) -> str:
    return (f"Reminder {facts.code}: {facts.role.replace('_', ' ')} still needed at {facts.hub}. "
            f"Reply YES {facts.code} or NO {facts.code}.")


def confirmed_text(facts: ShiftFacts) -> str:
    return (f"Confirmed {facts.code}: {facts.hub}, {show(facts.starts_at, '%a %d %b %H:%M')}. Thank you. "
            f"If you can no longer come, reply CANCEL {facts.code}.")


def standby_text(code: str) -> str:
    return f"Thank you, not needed now - please stand by ({code}). We will text you if that changes."


def now_needed_text(facts: ShiftFacts) -> str:
    return (f"Now needed {facts.code}: a place opened and you are confirmed for {facts.hub}, "
            f"{show(facts.starts_at, '%a %d %b %H:%M')}. If you cannot come, reply CANCEL {facts.code}.")


def refused_by_rule_text(code: str) -> str:
    return (f"Thank you for answering {code}. We cannot put you on this shift (working-time or "
            "vetting rules). The hub manager has been told; no need to come in.")


def withdrawn_text(code: str) -> str:
    return f"You are withdrawn from {code}. Thank you for telling us."


def closed_text(code: str) -> str:
    return f"Call-out {code} has closed. Thank you - no need to come in."
