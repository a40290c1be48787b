"""Agency contributions (issue 16): what each agency agreed to give an incident against what it
gave (its people on the incident's ended shifts: shifts, hours, person-days); coordinators see
their own agency's; bad agreements refused with the reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.audit.model import AuditEvent
from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from rosters.assignment_service import assign, withdraw
from rosters.contribution import Agreement, Given, checked_agreement, given, person_days_asked
from rosters.contribution_service import (
    agency_contributions,
    contributions_for_governance,
    record_contribution,
)
from rosters.model import AgencyContribution
from tests.factories import agency, at, incident_with_hub, requirement, staff

MONDAY = date(2026, 11, 23)  # the frozen clock's day


def test_an_agreement_that_cannot_be_right_is_refused_with_the_reason():
    assert checked_agreement(Agreement(4, MONDAY, None, "  support   workers ")) == Agreement(
        4, MONDAY, None, "support workers")
    for people in (0, 501, True, 2.5):
        with pytest.raises(InputError, match="how many people a day .*: 1 to 500"):
            checked_agreement(Agreement(people, MONDAY))
    with pytest.raises(InputError, match="Give the first day"):
        checked_agreement(Agreement(4, None))
    with pytest.raises(InputError, match=r"ends \(22/11/2026\) before it starts \(23/11/2026\)"):
        checked_agreement(Agreement(4, MONDAY, MONDAY - timedelta(days=1)))


def test_asked_counts_the_agreed_days_up_to_today_and_given_counts_a_person_once_a_day():
    assert person_days_asked(Agreement(4, MONDAY), MONDAY + timedelta(days=2)) == 12
    assert person_days_asked(Agreement(4, MONDAY, MONDAY + timedelta(days=1)), MONDAY + timedelta(days=9)) == 8
    assert person_days_asked(Agreement(4, MONDAY + timedelta(days=1)), MONDAY) == 0  # not begun
    # Two shifts of one person on one London day are one person-day.
    assert given([(1, at(0), at(4)), (1, at(5), at(9)), (2, at(0), at(8))]) == Given(3, 16.0, 2)
    assert given([]) == Given(0, 0.0, 0)


@pytest.fixture
def scene(db, frozen_clock, make_actor):
    incident_id, hub_id = incident_with_hub(db)
    return incident_id, hub_id, agency(db), agency(db, "British Red Cross"), make_actor("hub_manager")


def test_agreed_against_given_per_agency_as_shifts_end(db, scene, frozen_clock):
    incident_id, hub_id, victim_support, red_cross, hub = scene
    with unit_of_work(db.engine) as s:
        record_contribution(s, hub, incident_id, victim_support, Agreement(2, MONDAY, None, "support workers"))
    ours = [staff(db, victim_support) for _ in range(3)]
    theirs = staff(db, red_cross)
    monday = requirement(db, incident_id, hub_id, at(1), 4, headcount=3)  # Mon 10:00-14:00
    tuesday = requirement(db, incident_id, hub_id, at(25), 8, headcount=3)  # Tue 10:00-18:00
    with unit_of_work(db.engine) as s:
        assign(s, hub, monday, ours[0])
        assign(s, hub, monday, ours[1])
        assign(s, hub, tuesday, ours[0])
        assign(s, hub, tuesday, theirs)
        withdrawn = assign(s, hub, monday, ours[2]).id
    with unit_of_work(db.engine) as s:
        withdraw(s, hub, withdrawn, "could not come")
    with unit_of_work(db.engine) as s:
        (line,) = agency_contributions(s, hub, incident_id)  # nothing has ended: only the agreement shows
    assert (line.agency, line.person_days_asked, line.given) == ("Victim Support", 2, Given(0, 0.0, 0))
    frozen_clock.advance(timedelta(days=1, hours=10))  # Tue 19:00: Monday's shift and Tuesday's have ended
    with unit_of_work(db.engine) as s:
        red, victim = agency_contributions(s, hub, incident_id)
    assert (red.agency, red.agreed, red.person_days_asked, red.given) == ("British Red Cross", None, 0,
                                                                         Given(1, 8.0, 1))
    assert (victim.agreed, victim.person_days_asked, victim.given) == (
        Agreement(2, MONDAY, None, "support workers"), 4, Given(3, 16.0, 3))


def test_a_new_agreement_replaces_the_last_audited_and_coordinators_see_their_own(db, scene, make_actor):
    incident_id, hub_id, victim_support, red_cross, hub = scene
    with unit_of_work(db.engine) as s:
        first = record_contribution(s, hub, incident_id, victim_support, Agreement(2, MONDAY)).id
        record_contribution(s, hub, incident_id, red_cross, Agreement(6, MONDAY))
    with unit_of_work(db.engine) as s:
        again = record_contribution(s, hub, incident_id, victim_support,
                                    Agreement(3, MONDAY, MONDAY + timedelta(days=6), "team leaders"))
        assert again.id == first and s.query(AgencyContribution).count() == 2
        assert [e.action for e in s.query(AuditEvent).filter_by(entity="agency_contribution", entity_id=str(first))
                .order_by(AuditEvent.id)] == ["create", "update"]
    coordinator = make_actor("agency_coordinator")  # of Victim Support
    with unit_of_work(db.engine) as s:
        (line,) = agency_contributions(s, coordinator, incident_id)
        assert (line.agency, line.agreed.staff_per_day, line.agreed.roles) == ("Victim Support", 3, "team leaders")


def test_bad_input_and_the_wrong_roles_are_refused_and_nothing_is_saved(db, scene, make_actor):
    incident_id, _, victim_support, _, hub = scene
    for args, message in (((999, victim_support, Agreement(2, MONDAY)), "There is no incident 999"),
                          ((incident_id, 999, Agreement(2, MONDAY)), "There is no agency 999"),
                          ((incident_id, victim_support, Agreement(0, MONDAY)), "1 to 500")):
        with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
            record_contribution(s, hub, *args)
    for role in ("agency_coordinator", "caseworker", "gold", "scrutiny"):
        with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
            record_contribution(s, make_actor(role), incident_id, victim_support, Agreement(2, MONDAY))
    with pytest.raises(InputError, match="There is no incident 999"), unit_of_work(db.engine) as s:
        agency_contributions(s, hub, 999)
    with unit_of_work(db.engine) as s:
        assert s.query(AgencyContribution).count() == 0
        assert s.query(AuditEvent).filter_by(entity="agency_contribution").count() == 0


def test_the_commissioners_office_reads_every_agencys_figures_audited_and_the_incident_roles_do_not(
        db, scene, make_actor):
    incident_id, _, victim_support, red_cross, hub = scene
    with unit_of_work(db.engine) as s:
        record_contribution(s, hub, incident_id, victim_support, Agreement(2, MONDAY))
        record_contribution(s, hub, incident_id, red_cross, Agreement(6, MONDAY))
    scrutiny, auditor = make_actor("scrutiny"), make_actor("auditor")
    for reader in (scrutiny, auditor):
        with unit_of_work(db.engine) as s:
            assert [line.agency for line in contributions_for_governance(s, reader, incident_id)] == [
                "British Red Cross", "Victim Support"]
            assert s.query(AuditEvent).filter_by(action="view", entity="agency_contribution",
                                                 actor_user_id=reader.user_id).count() == 1
    for role in ("hub_manager", "agency_coordinator", "gold", "advocate"):
        with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
            contributions_for_governance(s, make_actor(role), incident_id)
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        agency_contributions(s, scrutiny, incident_id)  # the readers' figures come through governance, audited
