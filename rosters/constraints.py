"""The hard rules for putting one staff member on one shift.

Plain frozen values in, Violations out; no database. An auto-filler calls `eligible` a great
many times, so each rule is a few comparisons, reasons are only worded when asked for, and
`eligible` stops at the first broken rule.

Conventions the callers keep:
- Times are aware datetimes; they are held in UTC and reasons show them in Europe/London.
- Roles, skills and languages are compared exactly, so both sides pass through
  rosters.skills (normalise_role, canonical_skill, normalise_language) before they get here.
- A Booked entry with the slot's own shift_id is ignored: re-checking an existing
  assignment must not find it clashing with itself.

Decisions:
- Every hub shift needs a DBS check (DOMAIN.md, partner agencies); the recorded level is
  the record of it, so no level is "dbs_missing" whatever the expiry says. A level with no
  expiry date counts as valid: the certificate itself does not expire, and an agency that
  sets a renewal date records it.
- DBS must be valid on every London date the shift touches (expiry >= the London date of
  the shift's last moment), so a shift ending at midnight does not need the next day.
- No availability windows recorded means available (rosters rarely record it). When some
  are recorded the shift must lie inside them; back-to-back or overlapping windows count
  as one, so a night shift fits "evening of the 3rd" + "morning of the 4th".
- Weekly hours: each shift belongs to the ISO week (Monday 00:00 to Monday 00:00,
  Europe/London) in which it starts, and counts its whole length in real hours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from core.clock import LONDON

ENHANCED = "enhanced"
DEFAULT_MIN_REST = timedelta(hours=11)  # Working Time Regulations, daily rest

# Stable rule names, in the order violations() reports them.
RULES = (
    "inactive", "role", "dbs_missing", "dbs_expired", "dbs_level", "skill", "language",
    "unavailable", "availability", "overlap", "rest", "weekly_hours",
)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ONE_MICROSECOND = timedelta(microseconds=1)


def _utc(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {value!r}")
    return value.astimezone(UTC)


def _set_utc_span(instance: Window | ShiftSlot | Booked, what: str) -> None:
    """Check start < end, both aware, and hold them in UTC, so that differences are
    elapsed time even across the clock change (Python subtracts wall times when both
    sides share one ZoneInfo)."""
    start = _utc(instance.start, f"{what} start")
    end = _utc(instance.end, f"{what} end")
    if end <= start:
        raise ValueError(f"{what} must end after it starts ({start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC)")
    object.__setattr__(instance, "start", start)
    object.__setattr__(instance, "end", end)


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch of time a person is (or is not) available."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _set_utc_span(self, "a window")


@dataclass(frozen=True, slots=True)
class StaffFacts:
    staff_id: object
    role: str
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    dbs_level: str | None = None
    dbs_expiry: date | None = None
    active: bool = True
    max_hours_per_week: float | None = None
    availability: tuple[Window, ...] = ()
    unavailability: tuple[Window, ...] = ()


@dataclass(frozen=True, slots=True)
class ShiftSlot:
    """One place on a shift. `role` None means any role. The London dates and ISO week are
    worked out once here rather than on every check."""

    shift_id: object
    start: datetime
    end: datetime
    role: str | None
    required_skill: str | None = None
    required_language: str | None = None
    needs_enhanced_dbs: bool = False
    last_london_date: date = field(init=False, repr=False, compare=False)
    week_start: datetime = field(init=False, repr=False, compare=False)
    week_end: datetime = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _set_utc_span(self, "a shift")
        object.__setattr__(self, "last_london_date", (self.end - _ONE_MICROSECOND).astimezone(LONDON).date())
        week_start, week_end = london_week(self.start)
        object.__setattr__(self, "week_start", week_start)
        object.__setattr__(self, "week_end", week_end)


@dataclass(frozen=True, slots=True)
class Booked:
    """A shift the person is already assigned to."""

    shift_id: object
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _set_utc_span(self, "a booked shift")


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str  # one of RULES
    reason: str  # for people; "" when eligible() did not ask for it


def london_week(moment: datetime) -> tuple[datetime, datetime]:
    """The ISO week (Monday 00:00 to the next Monday 00:00, Europe/London) holding `moment`,
    as UTC datetimes. A week with a clock change is 167 or 169 hours long."""
    local = moment.astimezone(LONDON)
    monday = local.date() - timedelta(days=local.weekday())
    start = datetime(monday.year, monday.month, monday.day, tzinfo=LONDON)
    next_monday = monday + timedelta(days=7)
    end = datetime(next_monday.year, next_monday.month, next_monday.day, tzinfo=LONDON)
    return start.astimezone(UTC), end.astimezone(UTC)


def violations(
    staff: StaffFacts,
    slot: ShiftSlot,
    booked: Sequence[Booked] = (),
    *,
    min_rest: timedelta = DEFAULT_MIN_REST,
) -> tuple[Violation, ...]:
    """Every hard rule putting `staff` on `slot` would break, given the shifts they are
    already `booked` on, each with a reason in words. Empty means they can be assigned."""
    return tuple(_broken_rules(staff, slot, booked, min_rest, explain=True, first_only=False))


def eligible(
    staff: StaffFacts,
    slot: ShiftSlot,
    booked: Sequence[Booked] = (),
    *,
    min_rest: timedelta = DEFAULT_MIN_REST,
) -> bool:
    """True when no hard rule stops `staff` working `slot`; the fast form of `not violations()`."""
    return not _broken_rules(staff, slot, booked, min_rest, explain=False, first_only=True)


def _broken_rules(
    staff: StaffFacts,
    slot: ShiftSlot,
    booked: Sequence[Booked],
    min_rest: timedelta,
    *,
    explain: bool,
    first_only: bool,
) -> list[Violation]:
    found: list[Violation] = []

    def broken(rule: str, reason: Callable[[], str]) -> bool:
        """Record a violation (worded only if asked); True when the caller should stop looking."""
        found.append(Violation(rule, reason() if explain else ""))
        return first_only

    if not staff.active and broken("inactive", lambda: "is marked inactive on the roster"):
        return found
    if slot.role is not None and staff.role != slot.role and broken(
        "role", lambda: f"role is {staff.role or 'not recorded'}; this shift needs {slot.role}"
    ):
        return found

    if staff.dbs_level is None:
        if broken("dbs_missing", lambda: "no DBS check recorded"):
            return found
    else:
        if staff.dbs_expiry is not None and staff.dbs_expiry < slot.last_london_date and broken(
            "dbs_expired",
            lambda: f"DBS valid until {_day(staff.dbs_expiry)}; the shift runs to {_day(slot.last_london_date)}",
        ):
            return found
        if slot.needs_enhanced_dbs and staff.dbs_level != ENHANCED and broken(
            "dbs_level", lambda: f"DBS is {staff.dbs_level}; this shift needs enhanced"
        ):
            return found

    if slot.required_skill is not None and slot.required_skill not in staff.skills and broken(
        "skill", lambda: f"does not have {slot.required_skill}"
    ):
        return found
    if slot.required_language is not None and slot.required_language not in staff.languages and broken(
        "language", lambda: f"does not speak {slot.required_language}"
    ):
        return found

    start, end = slot.start, slot.end
    for window in staff.unavailability:
        if window.start < end and start < window.end and broken(
            "unavailable", lambda w=window: f"unavailable {_span(w.start, w.end)}"
        ):
            return found
    if staff.availability and not _covered(staff.availability, start, end) and broken(
        "availability", lambda: f"not recorded as available for the whole shift, {_span(start, end)}"
    ):
        return found

    worked = end - start
    limit = staff.max_hours_per_week
    week_start, week_end = slot.week_start, slot.week_end
    too_little_rest: list[Booked] = []  # reported after every overlap, to keep RULES order
    for other in booked:
        if other.shift_id == slot.shift_id:
            continue
        if other.start < end and start < other.end:
            if broken("overlap", lambda o=other: f"already on a shift {_span(o.start, o.end)}"):
                return found
        elif (start - other.end if other.end <= start else other.start - end) < min_rest:
            if first_only:
                broken("rest", lambda o=other: _rest_reason(o, start, end, min_rest))
                return found
            too_little_rest.append(other)
        if limit is not None and week_start <= other.start < week_end:
            worked += other.end - other.start
    for other in too_little_rest:
        broken("rest", lambda o=other: _rest_reason(o, start, end, min_rest))

    # A microsecond of slack so that exactly the maximum, summed in floats, still passes.
    if limit is not None and worked.total_seconds() > limit * 3600 + 1e-6:
        broken(
            "weekly_hours",
            lambda: (
                f"would work {_hours(worked)} in the week beginning {_day(week_start.astimezone(LONDON).date())}, "
                f"over the {_hours_number(limit)} h maximum"
            ),
        )
    return found


def _rest_reason(other: Booked, start: datetime, end: datetime, min_rest: timedelta) -> str:
    if other.end <= start:
        return (
            f"finished a shift at {_moment(other.end)}, {_duration(min_rest)} rest needed "
            f"before {_moment(other.end + min_rest)}; this shift starts at {_moment(start)}"
        )
    return (
        f"starts a shift at {_moment(other.start)}, {_duration(min_rest)} rest needed after "
        f"this shift ends at {_moment(end)}"
    )


def _covered(windows: tuple[Window, ...], start: datetime, end: datetime) -> bool:
    """Whether the windows, joined where they touch or overlap, cover start..end."""
    for window in windows:  # the usual case: one window holds the whole shift
        if window.start <= start and end <= window.end:
            return True
    reached = start
    for window in sorted(windows, key=lambda w: w.start):
        if window.start > reached:
            if window.start >= end:
                break
            return False
        if window.end > reached:
            reached = window.end
            if reached >= end:
                return True
    return False


def _moment(value: datetime) -> str:
    local = value.astimezone(LONDON)
    return f"{local:%H:%M} on {local.day} {_MONTHS[local.month - 1]}"


def _day(value: date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _span(start: datetime, end: datetime) -> str:
    return f"from {_moment(start)} to {_moment(end)}"


def _hours_number(hours: float) -> str:
    return f"{round(hours, 2):g}"


def _hours(span: timedelta) -> str:
    return f"{_hours_number(span.total_seconds() / 3600)} h"


def _duration(span: timedelta) -> str:
    hours, seconds = divmod(int(span.total_seconds()), 3600)
    minutes = seconds // 60
    return f"{hours} h" if not minutes else f"{hours} h {minutes} min"


def reasons_text(violations) -> str:
    """The broken rules' reasons in one line, as a refusal shows them."""
    return "; ".join(v.reason for v in violations)
