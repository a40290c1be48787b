"""Staff taken off their agency's roster are anonymised two years after their last change; active
staff and recently removed staff are untouched; assignments stay; a second run does nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.auth.roles import Actor
from core.db import unit_of_work
from core.retention import ErasureLog, apply_retention
from rosters.model import Assignment, StaffMember
from rosters.retention import RETENTION, STAFF_DAYS
from tests.factories import T0, agency, incident_with_hub, requirement, staff

SYSTEM = Actor.system("test")


def test_only_staff_off_the_roster_for_two_years_are_anonymised_and_their_shifts_stay(db, frozen_clock):
    incident_id, hub_id = incident_with_hub(db)
    agency_id = agency(db)
    ids = (staff(db, agency_id, last_name="Gone", active=False), staff(db, agency_id, last_name="Lately", active=False),
           staff(db, agency_id, last_name="Working"))
    shift = requirement(db, incident_id, hub_id, T0)
    with unit_of_work(db.engine) as s:
        s.add(Assignment(requirement_id=shift, staff_id=ids[0]))
    frozen_clock.advance(timedelta(days=STAFF_DAYS - 1))
    with unit_of_work(db.engine) as s:
        s.get(StaffMember, ids[1]).updated_at = frozen_clock()  # taken off a day before the others' period ends
    frozen_clock.advance(timedelta(days=1, seconds=1))
    with unit_of_work(db.engine) as s:
        assert apply_retention(s, SYSTEM, RETENTION, {}, dry_run=True)[0].ids == (ids[0],)
        assert s.get(StaffMember, ids[0]).last_name == "Gone"  # the dry run changed nothing
    with unit_of_work(db.engine) as s:
        [outcome] = apply_retention(s, SYSTEM, RETENTION, {}, dry_run=False)
    assert outcome.ids == (ids[0],)
    with unit_of_work(db.engine) as s:
        erased, lately, still = (s.get(StaffMember, i) for i in ids)
        assert (erased.first_name, erased.last_name, erased.email, erased.home_postcode) == (
            "[erased]", "[erased]", None, None)
        assert erased.mobile == f"erased-{ids[0]}" and erased.staff_ref  # the agency's ref lets a re-import refill it
        assert (lately.last_name, still.last_name) == ("Lately", "Working")
        assert s.scalar(select(Assignment.staff_id)) == ids[0]
        [log] = s.scalars(select(ErasureLog)).all()
        assert (log.record_type, log.record_id) == ("staff", str(ids[0]))
    with unit_of_work(db.engine) as s:
        assert apply_retention(s, SYSTEM, RETENTION, {}, dry_run=False)[0].ids == ()
