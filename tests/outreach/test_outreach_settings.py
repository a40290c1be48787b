"""An incident's outreach settings: defaults until Gold or the hub manager saves them, every value
checked, the public seeing only the service name and a number to dial."""

from __future__ import annotations

import pytest

from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from outreach.settings_service import (
    SettingsChanges,
    outreach_settings,
    public_settings,
    save_outreach_settings,
)
from tests import factories

SYSTEM = Actor.system("test")


def test_defaults_until_saved_and_the_public_sees_the_name_and_a_number_to_dial(db, make_actor):
    incident_id = factories.incident(db, "Arena")
    hub_manager, gold = make_actor("hub_manager"), make_actor("gold")
    with unit_of_work(db.engine) as s:
        before = outreach_settings(s, hub_manager, incident_id)
        assert (before.round_months, before.link_days, before.reminder_days, before.trauma_instrument) == (
            (1, 3, 6, 9, 12, 24, 30, 36), 28, 7, "PCL-5")
        assert not before.ready_to_invite
        saved = save_outreach_settings(s, gold, incident_id, SettingsChanges(
            " Manchester  Resilience Hub ", "+44 161 496 0000", service_name_cy="Hwb Gwydnwch Manceinion",
            round_months="3; 1, 12", link_days=21, reminder_days=5, trauma_instrument="TSQ"))
        assert (saved.service_name, saved.contact_number, saved.round_months, saved.link_days, saved.reminder_days,
                saved.trauma_instrument, saved.ready_to_invite) == (
            "Manchester Resilience Hub", "+441614960000", (1, 3, 12), 21, 5, "TSQ", True)
        shown = public_settings(s, incident_id)
        assert (shown.service_name, shown.name_in("cy"), shown.contact_number, shown.is_exercise) == (
            "Manchester Resilience Hub", "Hwb Gwydnwch Manceinion", "0161 496 0000", True)
        assert public_settings(s, incident_id + 999) is None


@pytest.mark.parametrize(("changes", "says"), [
    (SettingsChanges("", "0161 496 0000"), "public name"),
    (SettingsChanges("Hub", "0909 879 0000"), "premium-rate"),
    (SettingsChanges("Hub", "0161 496 0000", round_months="0, 3"), "not a month"),
    (SettingsChanges("Hub", "0161 496 0000", link_days=0), "A link lasts"),
    (SettingsChanges("Hub", "0161 496 0000", link_days=7, reminder_days=7), "before the link expires"),
    (SettingsChanges("Hub", "0161 496 0000", trauma_instrument="PHQ-9"), "PCL-5, TSQ"),
    (SettingsChanges("Hub\x00", "0161 496 0000"), "control character"),
])
def test_bad_settings_are_refused_with_the_reason(db, changes, says):
    incident_id = factories.incident(db)
    with pytest.raises(InputError, match=says), unit_of_work(db.engine) as s:
        save_outreach_settings(s, SYSTEM, incident_id, changes)


def test_only_gold_and_hub_managers_change_them(db, make_actor):
    incident_id = factories.incident(db)
    for role in ("caseworker", "agency_coordinator", "admin", "auditor"):
        actor = make_actor(role)
        with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
            save_outreach_settings(s, actor, incident_id, SettingsChanges("Hub", "0161 496 0000"))
