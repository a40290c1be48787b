"""A NUL typed (or pasted) into the users, agencies or audit trail pages is refused with a message
naming the field, and nothing is saved or recorded: PostgreSQL cannot store or even compare a NUL,
so without the refusal the page would crash there (and SQLite would keep it)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.agencies.service import add_agency, update_agency_contacts
from core.audit.service import AuditFilter, export_events, search
from core.auth.roles import Actor
from core.auth.service import NewUser, add_user
from core.db import unit_of_work
from tests.stored_rows import assert_control_character_refused


@dataclass(frozen=True)
class Scene:
    admin: Actor
    auditor: Actor
    agency_id: int


@pytest.fixture
def scene(db, frozen_clock, make_actor) -> Scene:
    admin, auditor = make_actor("admin"), make_actor("auditor")
    with unit_of_work(db.engine) as s:
        return Scene(admin, auditor, add_agency(s, admin, "Victim Support", "charity").id)


def _contacts(s, w: Scene, **change):
    contacts = dict(contact_name="Ann Lee", contact_email="ann@vs.example.org", contact_phone="0161 555 0100",
                    coordinator_mobile="")
    return update_agency_contacts(s, w.admin, w.agency_id, **{**contacts, **change})


# What each form sends with a NUL in one field, and how the refusal names that field.
USES = {
    "user's full name": (lambda s, w: add_user(s, w.admin, NewUser("ann.khan", "caseworker", None, "Ann\x00 Khan")),
                         "Full name"),
    "user's agency": (lambda s, w: add_user(s, w.admin, NewUser("coord", "agency_coordinator", None,
                                                                agency="Victim\x00 Support")), "Agency"),
    "agency name": (lambda s, w: add_agency(s, w.admin, "Cruse\x00", "charity"), "The agency's name"),
    "new agency's contact": (lambda s, w: add_agency(s, w.admin, "Cruse", "charity", contact_name="\x00"),
                             "Contact name"),
    "contact name": (lambda s, w: _contacts(s, w, contact_name="Ann\x00 Lee"), "Contact name"),
    "contact email": (lambda s, w: _contacts(s, w, contact_email="ann@vs\x00.example.org"), "Contact email"),
    "contact phone": (lambda s, w: _contacts(s, w, contact_phone="0161\x00"), "Contact phone"),
    "audit person filter": (lambda s, w: search(s, w.auditor, AuditFilter(person_id="8\x00")),
                            "Person (record number)"),
    "audit record id filter": (lambda s, w: search(s, w.auditor, AuditFilter(entity_id="\x008")), "Record id"),
    "audit export filter": (lambda s, w: export_events(s, w.auditor, AuditFilter(person_id="8\x00"),
                                                       recipient="ICO case officer"), "Person (record number)"),
    "audit export recipient": (lambda s, w: export_events(s, w.auditor, AuditFilter(), recipient="ICO\x00"),
                               "The recipient"),
}


@pytest.mark.parametrize("use", USES)
def test_a_nul_in_typed_text_is_refused_naming_the_field_and_nothing_changes(db, scene, use):
    send, field = USES[use]
    assert_control_character_refused(db.engine, lambda s: send(s, scene), field)
