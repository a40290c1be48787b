"""What a provider status or error means for one outbox row: retry when, and which status wins.

Decisions:
- 429, Twilio 20429 and 5xx are retried with exponential backoff (2 s doubling, capped at
  5 minutes) and jitter (a random wait in the upper half of each step), so workers that
  were refused together do not come back together.
  After MAX_ATTEMPTS the row fails with the last error code.
- Status callbacks arrive out of order; a status never moves a row backwards, and a final
  status (delivered, undelivered, failed) is never replaced.
- A row left "sending" past CLAIM_LEASE (its dispatcher died mid-send) becomes "unknown":
  the provider may or may not have it, and a duplicate "are you available?" at 3 a.m. is
  worse than a person checking. A later status callback carrying the row's reference
  reconciles it.
"""

from __future__ import annotations

import random
from datetime import timedelta

from notifications.model import OutboundStatus as S

MAX_ATTEMPTS = 6
BASE_DELAY_S = 2.0
MAX_DELAY_S = 300.0
CLAIM_LEASE = timedelta(minutes=2)

# Twilio's statuses, as our outbox records them.
PROVIDER_STATUS = {
    "queued": S.ACCEPTED, "accepted": S.ACCEPTED, "scheduled": S.ACCEPTED, "sending": S.ACCEPTED,
    "sent": S.SENT, "delivered": S.DELIVERED, "undelivered": S.UNDELIVERED, "failed": S.FAILED,
    "read": S.DELIVERED,
}
# A call's statuses (Twilio's Calls API): answered is delivered (the person, or their voicemail,
# heard the question); busy or unanswered did not get through, and the board offers it again.
CALL_STATUS = {
    "queued": (S.ACCEPTED, ""), "initiated": (S.ACCEPTED, ""), "ringing": (S.SENT, ""),
    "in-progress": (S.DELIVERED, ""), "completed": (S.DELIVERED, ""),
    "busy": (S.UNDELIVERED, "the line was busy"), "no-answer": (S.UNDELIVERED, "nobody answered"),
    "canceled": (S.FAILED, "the call was cancelled"), "failed": (S.FAILED, "the call could not be placed"),
}
FINAL = frozenset({S.DELIVERED, S.UNDELIVERED, S.FAILED, S.BLOCKED, S.CANCELLED})
_ORDER = {S.PENDING: 0, S.SENDING: 1, S.UNKNOWN: 2, S.ACCEPTED: 3, S.SENT: 4}


def retry_delay(attempt: int, rng: random.Random) -> float:
    """Seconds to wait before attempt number `attempt + 1` (attempt counts from 1)."""
    ceiling = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (attempt - 1))
    return rng.uniform(ceiling / 2, ceiling)


def provider_status(word: str) -> S | None:
    return PROVIDER_STATUS.get((word or "").strip().lower())


def call_status(word: str) -> tuple[S, str] | None:
    """A call's status word as our outbox records it, with a note for the board (why it did not get through)."""
    return CALL_STATUS.get((word or "").strip().lower())


def awaits_provider_sid(status: str, provider_sid: str | None) -> bool:
    """True for a row whose send outcome was lost (no provider SID, left sending or marked
    unknown): a status callback carrying its reference gives it the provider's SID."""
    return provider_sid is None and status in (S.SENDING.value, S.UNKNOWN.value)


def moves_forward(current: str, new: str) -> bool:
    """True when a row in `current` should take `new`; regressions and repeats are ignored."""
    current_s, new_s = S(current), S(new)
    if current_s in FINAL or current_s == new_s:
        return False
    if new_s in FINAL:
        return True
    return _ORDER.get(new_s, 0) > _ORDER.get(current_s, 0)


# What Twilio's commonest error codes mean to a hub manager deciding what to do next.
ERROR_MEANINGS = {
    20429: "too many requests: retried",
    21211: "not a valid phone number: check the roster",
    21408: "sending to this country is not enabled",
    21610: "the person replied STOP: they receive nothing until they text START",
    21611: "the sender's queue was full: sent too fast",
    21612: "this number cannot be reached from the sender",
    21614: "not a mobile number: phone them instead",
    30001: "queued too long at the provider and dropped",
    30003: "phone unreachable (off or out of signal)",
    30004: "blocked by the recipient or their network",
    30005: "unknown or inactive number",
    30006: "a landline or unreachable carrier: phone them instead",
    30007: "filtered by the network as spam",
    30008: "failed for a reason the network did not give",
}


def describe_error(code: int | None, text: str = "") -> str:
    """A provider error as a person reads it: the code, what it means, and the provider's own words."""
    if code is None:
        return text
    meaning = ERROR_MEANINGS.get(code, "")
    words = [str(code), meaning, text if text and text != meaning else ""]
    return " · ".join(w for w in words if w)
