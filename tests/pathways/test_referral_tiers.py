"""A support plan's tier routes its referrals (issue 15): universal to information, signposting and
self-help services, targeted to the incident's victim service, specialist to the NHS trauma service;
elsewhere only with the referrer's reason. The area routing stands; each referral keeps its tier and
why it went where it went."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from pathways.needs_service import assess_needs
from pathways.referral_coverage import referral_services, set_coverage, set_service_tiers
from pathways.referral_rules import route_by_tier
from pathways.referral_service import refer, referral_choices
from pathways.support_plan_service import set_tier
from tests import factories
from tests.stored_rows import assert_control_character_refused, every_row

SYSTEM = Actor.system("test")
SERVICES = {"Samaritans": ("universal",), "Victim Support": ("targeted",),
            "Pennine Care NHS Trust": ("specialist",), "Cruse": ("universal", "targeted")}


# --- the rule -------------------------------------------------------------------------------

def test_a_service_giving_the_plans_tier_takes_the_referral_and_the_note_says_why():
    routing = route_by_tier("Pennine Care", frozenset({"specialist"}), "specialist")
    assert (routing.tier, routing.refusal, routing.outside_tier) == ("specialist", "", False)
    assert routing.note == "The plan's tier is specialist: Pennine Care gives specialist support (the NHS trauma " \
                           "service, CAMHS)."


def test_another_tier_is_refused_naming_those_that_give_it_unless_a_reason_is_given():
    refused = route_by_tier("Samaritans", frozenset({"universal"}), "specialist", alternatives=["Pennine Care"])
    assert refused.refusal == (
        "This person's support plan is at the specialist tier, which needs specialist support (the NHS trauma "
        "service, CAMHS); Samaritans gives universal support (information, signposting, self-help). Refer to a "
        "service giving it: Pennine Care, or give the reason for referring outside the plan's tier.")
    allowed = route_by_tier("Samaritans", frozenset({"universal"}), "specialist", reason="Asked for a listener too")
    assert (allowed.refusal, allowed.outside_tier) == ("", True)
    assert allowed.note == ("Outside the plan's tier (specialist): Samaritans gives universal support (information, "
                            "signposting, self-help). Reason: Asked for a listener too")


def test_without_a_plan_or_with_the_services_tiers_unrecorded_the_tier_routes_nothing():
    none = route_by_tier("Samaritans", frozenset({"universal"}), None)
    assert (none.tier, none.refusal, none.note) == ("", "", "No support plan yet: routed by area, not by tier.")
    unknown = route_by_tier("Citizens Advice", frozenset(), "targeted")
    assert unknown.refusal == "" and "the tiers Citizens Advice gives are not recorded" in unknown.note


# --- the service, on both databases ---------------------------------------------------------

@pytest.fixture
def services(db) -> dict[str, int]:
    """Every service covers the whole UK; each gives the tiers SERVICES says."""
    ids = {name: factories.agency(db, name) for name in SERVICES}
    with unit_of_work(db.engine) as s:
        for name, tiers in SERVICES.items():
            set_coverage(s, SYSTEM, ids[name], nationwide=True, force_areas=())
            set_service_tiers(s, SYSTEM, ids[name], tiers)
    return ids


def _planned(db, register, caseworker, tier: str, **person) -> int:
    pid = register(**person)
    with unit_of_work(db.engine) as s:
        assess_needs(s, caseworker, pid, ["emotional"], "low")
        set_tier(s, caseworker, pid, tier)
    return pid


@pytest.mark.parametrize(("tier", "goes_to", "refused_by"), [
    ("universal", ("Samaritans", "Cruse"), ("Victim Support", "Pennine Care NHS Trust")),
    ("targeted", ("Victim Support", "Cruse"), ("Samaritans", "Pennine Care NHS Trust")),
    ("specialist", ("Pennine Care NHS Trust",), ("Samaritans", "Victim Support", "Cruse")),
])
def test_each_tier_routes_to_the_services_giving_it(db, frozen_clock, register, caseworker, services, tier, goes_to,
                                                   refused_by):
    pid = _planned(db, register, caseworker, tier)
    with unit_of_work(db.engine) as s:
        choices = referral_choices(s, caseworker, pid)
    assert [c.name for c in choices if not c.tier_routing.refusal] == sorted(goes_to)
    assert [c.name for c in choices][:len(goes_to)] == sorted(goes_to)  # the form offers them first
    before = every_row(db.engine)
    for name in refused_by:
        with pytest.raises(InputError, match=f"support plan is at the {tier} tier.*Refer to a service giving it: "
                                             f"{', '.join(sorted(goes_to))}"), unit_of_work(db.engine) as s:
            refer(s, caseworker, pid, services[name], "Support")
    assert every_row(db.engine) == before
    for name in goes_to:
        with unit_of_work(db.engine) as s:
            referral = refer(s, caseworker, pid, services[name], "Support")
            assert referral.tier == tier
            assert referral.tier_note.startswith(f"The plan's tier is {tier}: {name} gives {tier} support")
            assert referral.area_note == ""  # the area routing stands beside it


def test_a_referral_outside_the_tier_keeps_the_reason_encrypted_and_the_audit_says_so(
        db, frozen_clock, register, caseworker, services):
    pid = _planned(db, register, caseworker, "specialist")
    with unit_of_work(db.engine) as s:
        referral = refer(s, caseworker, pid, services["Samaritans"], "Listening support",
                         tier_reason="  Wants someone to talk to at night  ")
        referral_id = referral.id
        assert referral.tier_note.endswith("Reason: Wants someone to talk to at night")
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "refer")).all()
        assert event.detail == "fields: referral, tier specialist (outside the plan's tier)"
    with db.engine.connect() as c:
        stored = c.execute(text("SELECT tier, tier_note FROM referral WHERE id = :id"), {"id": referral_id}).one()
    assert stored[0] == "specialist" and "talk to at night" not in stored[1]
    assert_control_character_refused(db.engine, lambda s: refer(s, caseworker, pid, services["Victim Support"], "Help",
                                                                tier_reason="because\x00"),
                                     "The reason for referring outside the plan's tier")


def test_without_a_plan_the_area_alone_routes_and_the_referral_says_so(db, frozen_clock, register, caseworker,
                                                                      services):
    pid = register(postcode="CF10 1AA")  # from South Wales: the area note stands too
    with unit_of_work(db.engine) as s:
        referral = refer(s, caseworker, pid, services["Pennine Care NHS Trust"], "Assessment")
        assert (referral.tier, referral.tier_note) == ("", "No support plan yet: routed by area, not by tier.")
        assert referral.out_of_area and "South Wales" in referral.area_note


def test_an_administrator_keeps_the_services_tiers_and_bad_ones_are_refused(db, frozen_clock, caseworker,
                                                                           make_actor, services):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied):
        set_service_tiers(s, caseworker, services["Cruse"], ["universal"])
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="Unknown tier 'gold'"):
        set_service_tiers(s, admin, services["Cruse"], ["gold"])
    with unit_of_work(db.engine) as s:
        set_service_tiers(s, admin, services["Cruse"], ["specialist"])  # replaces what was recorded
    with unit_of_work(db.engine) as s:
        cruse = next(c for c in referral_services(s, admin) if c.name == "Cruse")
        assert cruse.tiers == frozenset({"specialist"})
        assert [e.detail for e in s.scalars(select(AuditEvent).where(
            AuditEvent.entity == "referral_service_tier", AuditEvent.entity_id == str(services["Cruse"])))][-1] == \
            "tiers: specialist"
