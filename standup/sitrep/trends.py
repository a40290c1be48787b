"""Trends for Gold's dashboard: registrations per day, Victims' Code referrals made and deadlines
missed per day, screenings done and positive per week. The database counts per hour (GROUP BY an
hour bucket: a few thousand rows at most, however many people); the hours are then folded into
Europe/London days and weeks here, so a day means the day people lived through, not a UTC day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from pathways.model import Person, Screening


@dataclass(frozen=True)
class Trends:
    days: tuple[date, ...]  # every day from the first registration to today
    registrations: tuple[int, ...]  # per day
    referrals_made: tuple[int, ...]  # first Victims' Code referral, per day
    deadlines_missed: tuple[int, ...]  # deadlines that passed that day with no referral by then
    weeks: tuple[date, ...]  # Mondays
    screenings_done: tuple[int, ...]
    screenings_positive: tuple[int, ...]


def _hour(session: Session, column):
    if session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("hour", column)
    return func.substr(column, 1, 13)  # SQLite holds "YYYY-MM-DD HH:MM:SS" text in UTC: keep the hour


def _as_utc(bucket: datetime | str) -> datetime:
    if isinstance(bucket, str):
        return datetime.fromisoformat(f"{bucket}:00").replace(tzinfo=UTC)
    return bucket.astimezone(UTC) if bucket.tzinfo else bucket.replace(tzinfo=UTC)


def _per_day(session: Session, column, *conditions) -> Counter[date]:
    """How many rows per Europe/London day of `column`, counted per hour by the database."""
    bucket = _hour(session, column).label("bucket")
    rows = session.execute(select(bucket, func.count()).where(column.is_not(None), *conditions).group_by(bucket))
    days: Counter[date] = Counter()
    for hour, n in rows:
        days[london(_as_utc(hour)).date()] += int(n)
    return days


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _per_week(days: Counter[date]) -> Counter[date]:
    weeks: Counter[date] = Counter()
    for day, n in days.items():
        weeks[_monday(day)] += n
    return weeks


def trends(session: Session, actor: Actor, incident_id: int) -> Trends:
    require(actor, Permission.SITREP_VIEW)
    at = now()
    people = (Person.incident_id == incident_id, Person.merged_into_id.is_(None))
    registered = _per_day(session, Person.registered_at, *people)
    referred = _per_day(session, Person.first_referred_at, *people)
    missed = _per_day(session, Person.referral_due_at, *people, Person.referral_due_at < at,
                      (Person.first_referred_at.is_(None)) | (Person.first_referred_at > Person.referral_due_at))
    screened = _per_day(session, Screening.taken_at, Screening.incident_id == incident_id)
    done = _per_week(screened)
    positive = _per_week(_per_day(session, Screening.taken_at, Screening.incident_id == incident_id,
                                  Screening.positive.is_(True)))
    today = london(at).date()
    first = min([*registered, *referred, *missed, *screened, today])
    days = tuple(first + timedelta(days=i) for i in range((today - first).days + 1))
    weeks = tuple(sorted({_monday(d) for d in days}))
    return Trends(days, tuple(registered[d] for d in days), tuple(referred[d] for d in days),
                  tuple(missed[d] for d in days), weeks, tuple(done[w] for w in weeks),
                  tuple(positive[w] for w in weeks))
