"""Agency contacts: the coordinator's mobile must be one SMS can reach, on the service and the page."""

import pytest

from core.agencies.model import Agency
from core.agencies.service import add_agency, update_agency_contacts
from core.db import unit_of_work
from core.errors import InputError


def _agency(db, admin, **contacts) -> int:
    with unit_of_work(db.engine) as s:
        return add_agency(s, admin, "Victim Support", "charity", **contacts).id


def test_a_coordinator_mobile_is_stored_as_e164_and_a_landline_is_refused(db, make_actor):
    admin = make_actor("admin")
    agency_id = _agency(db, admin, coordinator_mobile="")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="landline"):
        update_agency_contacts(s, admin, agency_id, contact_name="A", contact_email="", contact_phone="",
                               coordinator_mobile="0161 234 5678")
    with unit_of_work(db.engine) as s:
        assert s.get(Agency, agency_id).coordinator_mobile is None
        update_agency_contacts(s, admin, agency_id, contact_name=" Ann  Lee ", contact_email="a@b.org",
                               contact_phone="", coordinator_mobile="07400 222333")
    with unit_of_work(db.engine) as s:
        saved = s.get(Agency, agency_id)
        assert (saved.contact_name, saved.coordinator_mobile) == ("Ann Lee", "+447400222333")


def test_adding_an_agency_with_a_bad_mobile_adds_nothing(db, make_actor):
    with pytest.raises(InputError, match="Coordinator's mobile"):
        _agency(db, make_actor("admin"), coordinator_mobile="07700 900123")
    with unit_of_work(db.engine) as s:
        assert s.query(Agency).count() == 0


def test_the_agencies_page_saves_contacts(app_as, db, make_actor):
    admin = make_actor("admin")
    agency_id = _agency(db, admin)
    page = app_as("admin", "core/pages/agencies.py", actor=admin)
    [mobile] = [t for t in page.text_input if t.label.startswith("Coordinator's mobile (for")]
    mobile.input("+44 7400 222 444")
    page.button(key=f"FormSubmitter:contacts_{agency_id}-Save contacts").click().run()
    assert not page.exception and not page.error
    with unit_of_work(db.engine) as s:
        assert s.get(Agency, agency_id).coordinator_mobile == "+447400222444"
