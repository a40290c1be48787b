"""Staff training (psychological first aid, trauma-informed practice, safeguarding): which
courses there are, when a record of one stops being current, which are about to.

A record gives the day the course was done and, when the certificate says, the day it expires;
without one it is current for the course's refresher interval. The roster's "PFA trained on" column
is the record of psychological first aid it brings (rosters.import_service keeps it on the person); its
columns for the other courses (FILE_COURSES) add records like the staff page does.
A person's training in a course is current until the latest day any of their records of it gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from core.errors import InputError

if TYPE_CHECKING:
    from rosters.model import StaffMember

PSYCHOLOGICAL_FIRST_AID = "psychological first aid"
TRAUMA_INFORMED_PRACTICE = "trauma-informed practice"
SAFEGUARDING = "safeguarding"

# Refresher intervals in months: three years, as the agencies' own policies commonly set for
# these courses (safeguarding: the intercollegiate guidance's three years). A record that gives its
# own expiry day follows that instead.
COURSES: dict[str, int] = {PSYCHOLOGICAL_FIRST_AID: 36, TRAUMA_INFORMED_PRACTICE: 36, SAFEGUARDING: 36}
_SPELLINGS = {"pfa": PSYCHOLOGICAL_FIRST_AID, "trauma informed practice": TRAUMA_INFORMED_PRACTICE,
              "trauma-informed": TRAUMA_INFORMED_PRACTICE, "trauma informed": TRAUMA_INFORMED_PRACTICE}
# The courses a roster file brings besides PFA (whose "pfa_trained_on" column came first and stays as it
# is): each is a pair of columns named from its key, "<key>_trained_on" (the day it was completed; a
# record) and "<key>_expires_on" (optional: the certificate's expiry, else the refresher interval),
# and the skill a shift's skill mix counts for it. A new course in files is one entry here.
FILE_COURSES: dict[str, tuple[str, str]] = {
    "trauma_informed": (TRAUMA_INFORMED_PRACTICE, "trauma-informed"),
    "safeguarding": (SAFEGUARDING, "safeguarding"),
}
EXPIRING_DAYS = 60  # a refresher course is booked about two months ahead


def course_named(text: str) -> str:
    """The course's name as the tool keeps it; an unknown one is refused, naming those there are."""
    words = " ".join(str(text).split()).casefold()
    course = _SPELLINGS.get(words, words)
    if course not in COURSES:
        raise InputError(f"There is no training course {text.strip()!r}: choose one of {', '.join(COURSES)}.")
    return course


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for last in (31, 30, 29, 28):  # the 31st of a shorter month is its last day
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class TrainingRecord:
    course: str
    completed_on: date
    expires_on: date | None = None  # as the certificate says; None: the course's refresher interval

    @property
    def current_until(self) -> date:
        """The last day the record counts as current."""
        return self.expires_on or _add_months(self.completed_on, COURSES[self.course])


def records_of(staff: StaffMember) -> list[TrainingRecord]:
    """Every record of the person's training: those recorded here and the roster's PFA date."""
    return records_with_pfa(staff.trainings, staff.pfa_trained_on)


def records_with_pfa(trainings: Iterable, pfa_trained_on: date | None) -> list[TrainingRecord]:
    """The records of `trainings` (anything with course, completed_on, expires_on: a StaffTraining,
    a row read without it) and of the roster's PFA date."""
    found = [TrainingRecord(t.course, t.completed_on, t.expires_on) for t in trainings]
    if pfa_trained_on is not None:
        found.append(TrainingRecord(PSYCHOLOGICAL_FIRST_AID, pfa_trained_on))
    return found


def checked_record(record: TrainingRecord, today: date) -> TrainingRecord:
    """The record, its course named as kept; refused with the reason when it cannot be right."""
    if record.completed_on is None:
        raise InputError("Give the day the course was completed.")
    record = TrainingRecord(course_named(record.course), record.completed_on, record.expires_on)
    if record.completed_on > today:
        raise InputError(f"The course cannot have been completed on {record.completed_on:%d/%m/%Y}: that is after "
                         "today. Record it once it is done.")
    if record.expires_on is not None and record.expires_on <= record.completed_on:
        raise InputError(f"The training expires ({record.expires_on:%d/%m/%Y}) on or before the day it was "
                         f"completed ({record.completed_on:%d/%m/%Y}).")
    return record


def current_until(records: Iterable[TrainingRecord]) -> dict[str, date]:
    """Per course, the last day the person's training in it is current (the latest of their records)."""
    found: dict[str, date] = {}
    for record in records:
        until = record.current_until
        if record.course not in found or until > found[record.course]:
            found[record.course] = until
    return found


def expiring(records: Iterable[TrainingRecord], today: date, within_days: int = EXPIRING_DAYS
             ) -> dict[str, date]:
    """The courses whose training runs out within `within_days` of today or already has, with the day."""
    return {course: until for course, until in current_until(records).items()
            if (until - today).days <= within_days}
