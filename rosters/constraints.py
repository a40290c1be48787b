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
  the shift's last moment), so a shift ending at midnight does not need the next day. A
  training course a shift requires (rosters.training), or its role does (every shift of that role),
  is current the same way: to its last day.
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
    training: tuple[tuple[str, date], ...] = ()  # (course, last day current): rosters.training.current_until
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
    required_training: str | None = None  # a course of rosters.training.COURSES, current for the whole shift
    role_training: tuple[str, ...] = ()  # the courses the shift's role needs (rosters.role_training_service)
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
    reason: str  # for people


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
    return tuple(
        Violation(rule, reason()) for rule, broken in _HARD_RULES for reason in broken(staff, slot, booked, min_rest)
    )


def eligible(
    staff: StaffFacts,
    slot: ShiftSlot,
    booked: Sequence[Booked] = (),
    *,
    min_rest: timedelta = DEFAULT_MIN_REST,
) -> bool:
    """True when no hard rule stops `staff` working `slot`; the fast form of `not violations()`:
    it stops at the first broken rule and words no reason."""
    for _, broken in _HARD_RULES:
        if broken(staff, slot, booked, min_rest):
            return False
    return True


# A rule gives the reasons (worded only when called) it is broken: one for each offending
# window or shift, none when it is kept.
Reason = Callable[[], str]
Rule = Callable[[StaffFacts, ShiftSlot, Sequence[Booked], timedelta], Sequence[Reason]]


def _inactive(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked], min_rest: timedelta) -> Sequence[Reason]:
    if staff.active:
        return ()
    return (lambda: "is marked inactive on the roster",)


def _role(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked], min_rest: timedelta) -> Sequence[Reason]:
    if slot.role is None or staff.role == slot.role:
        return ()
    return (lambda: f"role is {staff.role or 'not recorded'}; this shift needs {slot.role}",)


def _dbs_missing(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked],
                 min_rest: timedelta) -> Sequence[Reason]:
    if staff.dbs_level is not None:
        return ()
    return (lambda: "no DBS check recorded",)


def _dbs_expired(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked],
                 min_rest: timedelta) -> Sequence[Reason]:
    # With no level recorded the check is missing, whatever the expiry says.
    if staff.dbs_level is None or staff.dbs_expiry is None or staff.dbs_expiry >= slot.last_london_date:
        return ()
    return (lambda: f"DBS valid until {_day(staff.dbs_expiry)}; the shift runs to {_day(slot.last_london_date)}",)


def _dbs_level(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked], min_rest: timedelta) -> Sequence[Reason]:
    if staff.dbs_level is None or not slot.needs_enhanced_dbs or staff.dbs_level == ENHANCED:
        return ()
    return (lambda: f"DBS is {staff.dbs_level}; this shift needs enhanced",)


def _training(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked],
              min_rest: timedelta) -> Sequence[Reason]:
    found: list[Reason] = []
    if slot.required_training is not None:
        found += _not_current(staff, slot, slot.required_training, "this shift needs it")
    for course in slot.role_training:
        if course != slot.required_training:
            found += _not_current(staff, slot, course, f"the role {slot.role} needs it")
    return found


def _not_current(staff: StaffFacts, slot: ShiftSlot, course: str, needed_by: str) -> Sequence[Reason]:
    until = next((day for name, day in staff.training if name == course), None)
    if until is None:
        return (lambda: f"no {course} training recorded; {needed_by}",)
    if until >= slot.last_london_date:
        return ()
    suffix = "" if slot.required_training == course else f" ({needed_by})"
    return (lambda: f"{course} training current until {_day(until)}; the shift runs to "
                    f"{_day(slot.last_london_date)}{suffix}",)


def _skill(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked], min_rest: timedelta) -> Sequence[Reason]:
    if slot.required_skill is None or slot.required_skill in staff.skills:
        return ()
    return (lambda: f"does not have {slot.required_skill}",)


def _language(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked], min_rest: timedelta) -> Sequence[Reason]:
    if slot.required_language is None or slot.required_language in staff.languages:
        return ()
    return (lambda: f"does not speak {slot.required_language}",)


def _unavailable(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked],
                 min_rest: timedelta) -> Sequence[Reason]:
    return [lambda w=window: f"unavailable {_span(w.start, w.end)}"
            for window in staff.unavailability if window.start < slot.end and slot.start < window.end]


def _availability(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked],
                  min_rest: timedelta) -> Sequence[Reason]:
    if not staff.availability or _covered(staff.availability, slot.start, slot.end):
        return ()
    return (lambda: f"not recorded as available for the whole shift, {_span(slot.start, slot.end)}",)


def _overlap(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked], min_rest: timedelta) -> Sequence[Reason]:
    return [lambda o=other: f"already on a shift {_span(o.start, o.end)}"
            for other in booked
            if other.shift_id != slot.shift_id and other.start < slot.end and slot.start < other.end]


def _rest(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked], min_rest: timedelta) -> Sequence[Reason]:
    start, end = slot.start, slot.end
    return [lambda o=other: _rest_reason(o, start, end, min_rest)
            for other in booked
            if other.shift_id != slot.shift_id and (other.end <= start or end <= other.start)  # overlaps are _overlap's
            and (start - other.end if other.end <= start else other.start - end) < min_rest]


def _weekly_hours(staff: StaffFacts, slot: ShiftSlot, booked: Sequence[Booked],
                  min_rest: timedelta) -> Sequence[Reason]:
    limit = staff.max_hours_per_week
    if limit is None:
        return ()
    week_start, week_end = slot.week_start, slot.week_end
    worked = slot.end - slot.start
    for other in booked:
        if other.shift_id != slot.shift_id and week_start <= other.start < week_end:
            worked += other.end - other.start
    # A microsecond of slack so that exactly the maximum, summed in floats, still passes.
    if worked.total_seconds() <= limit * 3600 + 1e-6:
        return ()
    return (lambda: (
        f"would work {_hours(worked)} in the week beginning {_day(week_start.astimezone(LONDON).date())}, "
        f"over the {_hours_number(limit)} h maximum"
    ),)


# The hard rules by their stable names, in the order violations() reports them (eligible()
# checks them in this order too, so the cheap ones come first). A new rule is one function
# and one entry here.
_HARD_RULES: tuple[tuple[str, Rule], ...] = (
    ("inactive", _inactive),
    ("role", _role),
    ("dbs_missing", _dbs_missing),
    ("dbs_expired", _dbs_expired),
    ("dbs_level", _dbs_level),
    ("training", _training),
    ("skill", _skill),
    ("language", _language),
    ("unavailable", _unavailable),
    ("availability", _availability),
    ("overlap", _overlap),
    ("rest", _rest),
    ("weekly_hours", _weekly_hours),
)
RULES = tuple(rule for rule, _ in _HARD_RULES)
# Each rule as a hub manager names it, for lists grouped by what stopped people.
RULE_TITLES = {
    "inactive": "not active on the roster", "role": "another role", "dbs_missing": "no DBS check recorded",
    "dbs_expired": "DBS expired", "dbs_level": "DBS not enhanced",
    "training": "training the shift or its role needs not current", "skill": "missing a skill the shift needs",
    "language": "missing a language the shift needs", "unavailable": "marked unavailable",
    "availability": "outside the hours they said they are free", "overlap": "already on a shift then",
    "rest": "not enough rest between shifts", "weekly_hours": "over their weekly hours",
}


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
