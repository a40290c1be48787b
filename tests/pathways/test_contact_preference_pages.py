"""A person's preferred channel on their record (chosen on the Consent tab, shown on the Overview) and
in the outbox beside the channel each message to them went by."""

from __future__ import annotations

from sqlalchemy import select

from core.db import unit_of_work
from pathways.consent_service import record_consent
from pathways.model import Person
from pathways.update_service import send_update

PERSON = "pathways/pages/person.py"


def _cannot_reach(at) -> bool:
    return any("No reminder, update or news of their key worker can reach them now" in w.value for w in at.warning)


def _record(app_as, caseworker, pid, tab):
    at = app_as("caseworker", PERSON, actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "contact check"}, person_tab=tab)
    assert not at.exception
    return at


def test_the_consent_tab_chooses_how_they_are_reached_and_the_overview_shows_it(
        app_as, db, frozen_clock, register, caseworker):
    pid = register(mobile="", email="fay@example.org")
    at = _record(app_as, caseworker, pid, "Consent")
    assert _cannot_reach(at)
    [chosen] = [b for b in at.selectbox if b.label == "How they want to be reached"]
    chosen.set_value("email")
    next(b for b in at.button if b.label == "Save how to reach them").click().run()
    assert any("Record their consent to emails" in e.value for e in at.error)
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, pid, "email", given=True, lawful_basis="consent")
    at = _record(app_as, caseworker, pid, "Consent")
    assert not _cannot_reach(at)  # not chosen, but an email can reach them now
    [chosen] = [b for b in at.selectbox if b.label == "How they want to be reached"]
    chosen.set_value("email")
    next(b for b in at.button if b.label == "Save how to reach them").click().run()
    assert not any("Record their consent" in e.value for e in at.error)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Person.contact_by).where(Person.id == pid)) == "email"
    overview = _record(app_as, caseworker, pid, "Overview")
    assert any("Contact by: **Email** — by email now" in m.value for m in overview.markdown)


def test_the_outbox_shows_how_the_person_a_message_went_to_asked_to_be_reached(
        app_as, db, frozen_clock, register, caseworker, incident_id, make_actor):
    pid = register(mobile="07400 100001")
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, pid, "sms", given=True, lawful_basis="consent")
        send_update(s, caseworker, incident_id, "The first hearing is on Monday.")
    page = app_as("hub_manager", "notifications/pages/outbox.py", actor=make_actor("hub_manager"),
                  incident_id=incident_id)
    assert not page.exception
    [row] = page.dataframe[0].value.to_dict("records")
    assert (row["by"], row["purpose"], row["prefers"]) == ("SMS", "update",
                                                           "Not chosen (a text if they agreed to texts, else an email)")
