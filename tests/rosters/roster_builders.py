"""Rows the rosters tests start from: an incident with a hub, agencies, staff and requirements,
written straight to the tables (the services under test are what the tests call)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.agencies.model import Agency
from core.db import unit_of_work
from incident.model import Hub, Incident
from rosters.model import Availability, RequirementSkill, ShiftRequirement, StaffMember

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the frozen_clock's start: a Monday, GMT


_counter = iter(range(100_000, 999_999))


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def incident_with_hub(db, *, postcode: str = "M4 3AE") -> tuple[int, int]:
    with unit_of_work(db.engine) as s:
        incident = Incident(name=f"Exercise Test {next(_counter)}", is_exercise=True, opened_on=date(2026, 11, 23))
        s.add(incident)
        s.flush()
        hub = Hub(incident_id=incident.id, name="Victoria Hub", postcode=postcode)
        s.add(hub)
        s.flush()
        return incident.id, hub.id


def agency(db, name: str = "Victim Support") -> int:
    with unit_of_work(db.engine) as s:
        found = s.query(Agency).filter_by(name=name).one_or_none()
        if found is None:
            found = Agency(name=name, kind="charity")
            s.add(found)
            s.flush()
        return found.id


def staff(db, agency_id: int, **changes) -> int:
    n = next(_counter)
    values = dict(
        agency_id=agency_id, staff_ref=f"S{n}", first_name="Alex", last_name=f"Tester{n}",
        mobile=f"+447400{n:06d}", role="support worker", skills=["psychological first aid"], languages=[],
        dbs_level="enhanced", dbs_expiry=date(2027, 12, 31), home_postcode="M1 1AA",
    )
    values.update(changes)
    with unit_of_work(db.engine) as s:
        person = StaffMember(**values)
        s.add(person)
        s.flush()
        return person.id


def requirement(db, incident_id: int, hub_id: int, start: datetime, hours: float = 8, *, headcount: int = 1,
                role: str = "support worker", needs: dict[tuple[str, str], int] | None = None, **changes) -> int:
    with unit_of_work(db.engine) as s:
        r = ShiftRequirement(incident_id=incident_id, hub_id=hub_id, starts_at=start,
                             ends_at=start + timedelta(hours=hours), role=role, headcount=headcount, **changes)
        r.needs = [RequirementSkill(kind=k, name=n, count=c) for (k, n), c in (needs or {}).items()]
        s.add(r)
        s.flush()
        return r.id


def window(db, staff_id: int, start: datetime, end: datetime, *, available: bool = True) -> None:
    with unit_of_work(db.engine) as s:
        s.add(Availability(staff_id=staff_id, starts_at=start, ends_at=end, available=available))
