"""AWAY / BACK texts from staff, recorded as unavailability through the rosters service (which
audits it), answered with a confirmation. Reading the text is notifications.away_rules.

Decisions:
- Every roster entry with the sender's mobile is the same person: each gets the window.
- The window runs from the first day's 00:00 (or now, if that has passed) to the end of the last
  day, Europe/London; the same text twice records it once.
- Someone already on a shift in that time is told the hub manager will be in touch, and the
  message is flagged: the shift is not changed by a text.
- BACK ends only what their own texts recorded; what a coordinator recorded for them stays.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from core.clock import LONDON, now
from notifications.away_rules import Away, Back, Unreadable, away_text, back_text, unreadable_text
from notifications.callout_service import SMS_ACTOR
from rosters.assignment_service import booked_by_staff
from rosters.queries import already_away, staff_ids_by_mobile
from rosters.staff_service import end_time_away, record_availability


def answer_away(session: Session, mobile: str, message: Away | Back | Unreadable) -> tuple[str, str, bool]:
    """(reply, outcome for the hub manager, needs a person's attention)."""
    if isinstance(message, Unreadable):
        return unreadable_text(message), "away: dates not understood", True
    staff_ids = staff_ids_by_mobile(session, mobile)
    if isinstance(message, Back):
        ended = sum(end_time_away(session, SMS_ACTOR, staff_id) for staff_id in staff_ids)
        return back_text(ended), f"back: {ended} away ended", False
    start = max(datetime.combine(message.first_day, time(0), tzinfo=LONDON), now())
    end = datetime.combine(message.last_day + timedelta(days=1), time(0), tzinfo=LONDON)
    for staff_id in staff_ids:
        if not already_away(session, staff_id, start, end, recorded_by=SMS_ACTOR):
            record_availability(session, SMS_ACTOR, staff_id, start, end, available=False, note="texted AWAY")
    shifts = {b.shift_id for spans in booked_by_staff(session, staff_ids, start - timedelta(days=1), end).values()
              for b in spans if b.start < end and start < b.end}
    outcome = f"away: on {len(shifts)} shift(s) then" if shifts else "away recorded"
    return away_text(message, len(shifts)), outcome, bool(shifts)
