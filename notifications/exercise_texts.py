"""Every SMS of an exercise incident says so first, whatever sent it (call-out, reminder,
mobilisation request, clinician alert): a drill must never be read as the real thing on a
lock screen at 3 a.m. The outbox applies this to every message; previews show it too."""

from __future__ import annotations

EXERCISE_MARK = "EXERCISE "


def as_sent(body: str, *, is_exercise: bool) -> str:
    """The text as it will leave: marked once for an exercise, unchanged for a live incident."""
    if not is_exercise or body.startswith(EXERCISE_MARK):
        return body
    return EXERCISE_MARK + body
