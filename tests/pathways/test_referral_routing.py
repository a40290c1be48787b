"""People living in another force area are referred to their home area's service, and the referral
says which area it is for: services' areas as data an administrator keeps, the routing rule, and
the refusals that name the services that do cover the person's area."""

import pytest
from sqlalchemy import select

from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from pathways.model import Referral
from pathways.referral_coverage import referral_services, set_coverage
from pathways.referral_rules import NOT_RECORDED, Coverage, route
from pathways.referral_service import refer, referral_choices
from tests import factories

SYSTEM = Actor.system("test")
NATIONWIDE = Coverage(nationwide=True)
MANCHESTER = Coverage(force_areas=frozenset({"Greater Manchester"}))


# --- the rule -------------------------------------------------------------------------------


def test_someone_living_in_the_incident_area_goes_to_any_service_covering_it():
    for coverage in (NATIONWIDE, MANCHESTER, NOT_RECORDED):
        routing = route("Pennine Care", coverage, home_force_area="Greater Manchester",
                        incident_force_area="Greater Manchester")
        assert (routing.refusal, routing.out_of_area, routing.for_force_area, routing.note) == (
            "", False, "Greater Manchester", "")


def test_someone_from_another_area_goes_to_a_service_covering_their_home_and_the_note_says_so():
    routing = route("Victim Support", NATIONWIDE, home_force_area="South Wales", incident_force_area="Greater Manchester")
    assert (routing.refusal, routing.out_of_area, routing.for_force_area) == ("", True, "South Wales")
    assert routing.note == ("Out of area: for the South Wales police force area, where the person lives (the incident "
                            "is in Greater Manchester); Victim Support covers the whole UK.")
    local = route("Cardiff Hub", Coverage(force_areas=frozenset({"South Wales"})), home_force_area="South Wales",
                  incident_force_area="Greater Manchester")
    assert local.refusal == "" and local.note.endswith("Cardiff Hub covers South Wales.")


def test_a_service_not_covering_the_home_area_is_refused_naming_those_that_do():
    routing = route("Pennine Care", MANCHESTER, home_force_area="South Wales", incident_force_area="Greater Manchester",
                    alternatives=["Victim Support", "Samaritans"])
    assert routing.refusal == ("Pennine Care covers Greater Manchester, not the South Wales police force area, where "
                               "this person lives. Refer to a service covering South Wales: Victim Support, Samaritans.")


def test_a_service_whose_areas_are_unknown_is_refused_for_someone_from_elsewhere():
    routing = route("Pennine Care", NOT_RECORDED, home_force_area="South Wales", incident_force_area="Greater Manchester")
    assert "the areas Pennine Care covers are not recorded" in routing.refusal
    assert "an administrator records each service's areas on Pathway settings" in routing.refusal


def test_without_a_home_postcode_the_incident_area_stands_in_and_the_note_says_so():
    routing = route("Victim Support", NOT_RECORDED, home_force_area="", incident_force_area="Greater Manchester")
    assert (routing.refusal, routing.out_of_area, routing.for_force_area) == ("", False, "Greater Manchester")
    assert routing.note == "For the Greater Manchester police force area, the incident's: no home postcode is recorded."
    elsewhere = route("Cardiff Hub", Coverage(force_areas=frozenset({"South Wales"})), home_force_area="",
                      incident_force_area="Greater Manchester")
    assert "not the Greater Manchester police force area, the incident's (no home postcode is recorded)" in \
        elsewhere.refusal


# --- the service ------------------------------------------------------------------------------


@pytest.fixture
def agencies(db) -> dict[str, int]:
    """Victim Support covers the whole UK, Pennine Care Greater Manchester; Cruse is not recorded."""
    ids = {name: factories.agency(db, name) for name in ("Victim Support", "Pennine Care", "Cruse")}
    with unit_of_work(db.engine) as s:
        set_coverage(s, SYSTEM, ids["Victim Support"], nationwide=True, force_areas=())
        set_coverage(s, SYSTEM, ids["Pennine Care"], nationwide=False, force_areas=["Greater Manchester"])
    return ids


def test_a_person_from_south_wales_is_referred_to_a_service_covering_south_wales_only(
        db, frozen_clock, register, caseworker, agencies):
    pid = register(postcode="CF10 1AA")
    for local in ("Pennine Care", "Cruse"):
        with unit_of_work(db.engine) as s, pytest.raises(InputError, match="Refer to a service covering South Wales: "
                                                                            "Victim Support."):
            refer(s, caseworker, pid, agencies[local], "Needs assessment")
    with unit_of_work(db.engine) as s:
        assert s.scalars(select(Referral)).all() == []
        referral = refer(s, caseworker, pid, agencies["Victim Support"], "Needs assessment")
        assert (referral.for_force_area, referral.out_of_area) == ("South Wales", True)
        assert "for the South Wales police force area, where the person lives" in referral.area_note


def test_a_person_from_the_incident_area_may_go_to_a_local_service_whose_areas_are_not_recorded(
        db, frozen_clock, register, caseworker, agencies):
    pid = register(postcode="M4 5AB")
    with unit_of_work(db.engine) as s:
        referral = refer(s, caseworker, pid, agencies["Cruse"], "Bereavement support")
        assert (referral.for_force_area, referral.out_of_area, referral.area_note) == ("Greater Manchester", False, "")


def test_the_referral_form_lists_the_services_that_fit_first(db, frozen_clock, register, caseworker, agencies):
    pid = register(postcode="CF10 1AA")
    with unit_of_work(db.engine) as s:
        choices = referral_choices(s, caseworker, pid)
    assert [(c.name, bool(c.routing.refusal)) for c in choices] == [
        ("Victim Support", False), ("Cruse", True), ("Pennine Care", True)]


def test_an_administrator_keeps_the_services_areas_and_bad_ones_are_refused(
        db, frozen_clock, caseworker, make_actor, agencies):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied):
        set_coverage(s, caseworker, agencies["Cruse"], nationwide=True, force_areas=())
    for nationwide, areas, message in ((False, ["Gotham"], "Unknown police force area 'Gotham'"),
                                       (True, ["Merseyside"], "needs no list of areas"),
                                       (False, [], "the whole UK, or at least one force area")):
        with unit_of_work(db.engine) as s, pytest.raises(InputError, match=message):
            set_coverage(s, admin, agencies["Cruse"], nationwide=nationwide, force_areas=areas)
    with unit_of_work(db.engine) as s:
        set_coverage(s, admin, agencies["Cruse"], nationwide=False, force_areas=["Merseyside", "Greater Manchester"])
    with unit_of_work(db.engine) as s:
        set_coverage(s, admin, agencies["Cruse"], nationwide=False, force_areas=["Merseyside"])  # replaces the list
    with unit_of_work(db.engine) as s:
        cruse = next(c for c in referral_services(s, admin) if c.name == "Cruse")
        assert cruse.coverage == Coverage(False, frozenset({"Merseyside"}))


# --- the pages --------------------------------------------------------------------------------


def test_an_administrator_records_a_services_areas_on_pathway_settings(app_as, db, frozen_clock, agencies):
    at = app_as("admin", "pathways/pages/admin.py")
    assert "**Cruse** — *not recorded*" in [m.value for m in at.markdown]
    agency_box = next(b for b in at.selectbox if b.label == "Agency")
    agency_box.select_index(agency_box.options.index("Cruse"))
    next(m for m in at.multiselect if m.label == "Or these police force areas").select("Merseyside")
    next(b for b in at.button if b.label == "Save areas").click().run()
    assert not at.exception and not at.error
    with unit_of_work(db.engine) as s:
        cruse = next(c for c in referral_services(s, SYSTEM) if c.name == "Cruse")
        assert cruse.coverage.force_areas == frozenset({"Merseyside"})


def test_the_referral_tab_says_which_area_and_marks_services_that_do_not_cover_it(
        app_as, db, frozen_clock, register, caseworker, agencies):
    pid = register(postcode="CF10 1AA")
    at = app_as("caseworker", "pathways/pages/person.py", actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "referral"}, person_tab="Referrals")
    assert not at.exception
    assert "a service covering the South Wales police force area" in " ".join(c.value for c in at.caption)
    box = next(b for b in at.selectbox if b.label == "Refer to")
    assert box.options == ["Victim Support", "Cruse — does not cover their area",
                           "Pennine Care — does not cover their area"]
    next(b for b in at.button if b.label == "Send referral").click().run()
    assert any("for the South Wales police force area" in s.value for s in at.success)


def test_a_referral_sent_after_the_deadline_says_so_on_the_record(
        app_as, db, frozen_clock, register, caseworker, agencies):
    from datetime import timedelta

    pid = register()
    frozen_clock.advance(timedelta(days=7))  # well past two working days
    with unit_of_work(db.engine) as s:
        refer(s, caseworker, pid, agencies["Victim Support"], "Needs assessment")
    at = app_as("caseworker", "pathways/pages/person.py", actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "referral"}, person_tab="Referrals")
    assert any("(after the Victims' Code deadline)" in m.value for m in at.markdown)
