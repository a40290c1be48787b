"""A trauma screen before about a month after the incident is not refused: the form warns, the
clinician gives a reason, and the reason is kept (encrypted) with the record."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.audit.model import AuditEvent, AuditNote
from core.db import unit_of_work
from core.errors import InputError
from pathways.instruments import INSTRUMENTS
from pathways.model import Screening
from pathways.screening_service import early_screen_warning_for, record_screening
from pathways.screening_timing import days_after_incident, early_screen_warning

INCIDENT = datetime(2026, 5, 22, 22, 31, tzinfo=UTC)  # 23:31 BST on Friday 22 May


@pytest.mark.parametrize(("instrument", "days", "early"), [
    ("TSQ", 0, True), ("TSQ", 27, True), ("TSQ", 28, False), ("TSQ", 90, False),
    ("PCL-5", 3, True), ("CRIES-8", 10, True), ("CRIES-8", 28, False),
    ("PHQ-9", 0, False), ("GAD-7", 1, False),  # depression and anxiety screens have no such wait
])
def test_trauma_screens_are_early_before_four_weeks(instrument, days, early):
    at = INCIDENT + timedelta(days=days)
    assert bool(early_screen_warning(instrument, INCIDENT, at)) is early


def test_the_days_are_counted_on_londons_calendar():
    # 23:31 BST on 22 May is 22:31 UTC: 00:30 BST on 23 May is already day 1 in London.
    assert days_after_incident(INCIDENT, datetime(2026, 5, 22, 23, 30, tzinfo=UTC)) == 1
    assert days_after_incident(INCIDENT, datetime(2026, 5, 22, 22, 45, tzinfo=UTC)) == 0


def test_the_warning_says_when_and_asks_why():
    assert early_screen_warning("TSQ", INCIDENT, INCIDENT).startswith("TSQ on the day of the incident: trauma")
    warning = early_screen_warning("PCL-5", INCIDENT, INCIDENT + timedelta(days=1))
    assert warning.startswith("PCL-5 1 day after the incident")
    assert "not recommended before about a month" in warning and "say why" in warning


def test_every_trauma_form_in_the_registry_waits_about_a_month():
    assert {name for name, form in INSTRUMENTS.items() if form.from_day_after_incident} == {"TSQ", "PCL-5", "CRIES-8"}


def test_an_early_trauma_screen_without_a_reason_is_refused_and_nothing_saved(db, frozen_clock, register, caseworker):
    pid = register()
    frozen_clock.advance(timedelta(days=3))
    for reason in ("", "   "):
        with unit_of_work(db.engine) as s, pytest.raises(InputError, match="PCL-5 3 days after the incident"):
            record_screening(s, caseworker, pid, "PCL-5", [1] * 20, early_reason=reason)
    with unit_of_work(db.engine) as s:
        assert s.scalars(select(Screening)).all() == []
        assert early_screen_warning_for(s, caseworker, pid, "PCL-5").startswith("PCL-5 3 days")
        assert early_screen_warning_for(s, caseworker, pid, "PHQ-9") == ""


def test_with_the_clinicians_reason_it_is_saved_and_the_reason_kept_encrypted(db, frozen_clock, register, caseworker):
    pid = register()
    frozen_clock.advance(timedelta(days=3))
    with unit_of_work(db.engine) as s:
        sid = record_screening(s, caseworker, pid, "PCL-5", [1] * 20, early_reason="  nightmares, GP asked  ").id
    with unit_of_work(db.engine) as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "screen_early"))
        assert (event.entity, event.entity_id, event.actor_user_id) == ("person", str(pid), caseworker.user_id)
        assert event.detail == f"screening {sid}: PCL-5 3 days after the incident; reason given"
        assert event.reason == ""  # the chained row holds nothing typed
        assert s.scalar(select(AuditNote.note).where(AuditNote.event_id == event.id)) == "nightmares, GP asked"


def test_from_four_weeks_no_reason_is_asked_and_none_recorded(db, frozen_clock, register, caseworker):
    pid = register()
    frozen_clock.advance(timedelta(days=28))
    with unit_of_work(db.engine) as s:
        assert early_screen_warning_for(s, caseworker, pid, "PCL-5") == ""
        record_screening(s, caseworker, pid, "PCL-5", [1] * 20, early_reason="not needed now")
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "screen_early")) is None


def test_the_form_warns_and_asks_why_before_a_month(db, frozen_clock, register, caseworker, app_as):
    pid = register()
    frozen_clock.advance(timedelta(days=2))
    at = app_as("caseworker", "pathways/pages/person.py", actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "screening"}, person_tab="Screening")
    at.selectbox(key="screen_instrument").set_value("PCL-5").run()
    assert [w.value for w in at.warning if w.value.startswith("PCL-5 2 days after the incident")]
    assert [t for t in at.text_input if t.label.startswith("Why screen now")]
    at.selectbox(key="screen_instrument").set_value("PHQ-9").run()
    assert not [w for w in at.warning if "after the incident" in w.value]
    assert not [t for t in at.text_input if t.label.startswith("Why screen now")]
