"""The urgent alert has an owner: designated clinicians, the incident's duty clinician, the text to
them (no victim data), escalation when nobody acknowledges in time, and only clinicians act."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from notifications.model import OutboundMessage
from notifications.segments import measure
from pathways import screening_service
from pathways.alert_banner_queries import alert_banner
from pathways.clinicians import (
    clinical_duty,
    name_clinician,
    remove_clinician,
    set_duty_clinician,
    set_escalation_minutes,
)
from pathways.model import SafetyAlert
from pathways.my_day_queries import my_day
from pathways.safety_alert_rules import clinician_alert_text, escalation_minutes_refusal
from pathways.safety_alert_sweep import AlertSweepResult, sweep_safety_alerts
from standup.bootstrap import OutboxClinicianPager

ALERT_ANSWERS = [2, 2, 1, 2, 1, 1, 1, 0, 1]
SYSTEM = Actor.system("test")


class FakePager:
    def __init__(self):
        self.sent = []

    def page(self, session, *, incident_id, mobile, body):
        self.sent.append((mobile, body))


def _raise_alert(db, register, caseworker) -> int:
    pid = register()
    with unit_of_work(db.engine) as s:
        screening_service.record_screening(s, caseworker, pid, "PHQ-9", ALERT_ANSWERS)
    return pid


def _sweep(db, pager):
    with unit_of_work(db.engine) as s:
        return sweep_safety_alerts(s, pager)


def test_a_caseworker_not_named_clinician_may_not_review_see_or_acknowledge_alerts(
        db, frozen_clock, register, caseworker, incident_id):
    _raise_alert(db, register, caseworker)
    with unit_of_work(db.engine) as s:
        alert_id = s.scalar(select(SafetyAlert.id))
        for attempt in (lambda: screening_service.open_alerts(s, caseworker, incident_id),
                        lambda: screening_service.review_queue(s, caseworker, incident_id),
                        lambda: screening_service.acknowledge_alert(s, caseworker, alert_id, "called")):
            with pytest.raises(PermissionDenied, match="Only a designated clinician"):
                attempt()
        banner = alert_banner(s, caseworker, incident_id)
        assert (banner.is_clinician, banner.alerts, banner.waiting) == (False, [], 1)  # a count, no names
        assert my_day(s, caseworker, incident_id).to_review == []


def test_an_administrator_names_the_first_clinician_who_may_then_act(
        db, frozen_clock, register, caseworker, make_actor, incident_id):
    _raise_alert(db, register, caseworker)
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied):
        name_clinician(s, caseworker, caseworker.user_id, "07400 900123")  # nobody names themself
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="active caseworker account"):
        name_clinician(s, admin, make_actor("gold").user_id, "07400 900123")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="Mobile for urgent alerts"):
        name_clinician(s, admin, caseworker.user_id, "0161 496 0000")  # a landline cannot get the text
    with unit_of_work(db.engine) as s:
        name_clinician(s, admin, caseworker.user_id, "07400 900123")
    with unit_of_work(db.engine) as s:
        (item,) = screening_service.open_alerts(s, caseworker, incident_id)
        screening_service.acknowledge_alert(s, caseworker, item.alert.id, "called, safety plan agreed")
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(SafetyAlert.acknowledged_by_id)) == caseworker.user_id


def test_the_alert_is_assigned_to_the_duty_clinician_and_texted_once_without_victim_data(
        db, frozen_clock, register, caseworker, on_duty, incident_id):
    _raise_alert(db, register, caseworker)
    with unit_of_work(db.engine) as s:
        alert = s.scalar(select(SafetyAlert))
        assert (alert.assigned_to_id, alert.notified_at) == (on_duty.user_id, None)
    pager = FakePager()
    assert _sweep(db, pager).texted == 1
    assert _sweep(db, pager).texted == 0  # a repeat sweep texts nobody twice
    ((mobile, body),) = pager.sent
    assert mobile == "+447400900123"
    assert body == "Stand Up: an urgent safety alert needs a clinician today in Arena. Open Stand Up."
    for private in ("Amira", "Khan", "PHQ", "self-harm"):
        assert private not in body
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(SafetyAlert.notified_at)) == frozen_clock.at


def test_an_alert_not_acknowledged_in_time_is_escalated_once_and_texted_again(
        db, frozen_clock, register, caseworker, on_duty, incident_id):
    _raise_alert(db, register, caseworker)
    with unit_of_work(db.engine) as s:
        set_escalation_minutes(s, SYSTEM, incident_id, 30)
    pager = FakePager()
    _sweep(db, pager)
    frozen_clock.advance(timedelta(minutes=29, seconds=59))
    assert _sweep(db, pager).escalated == 0
    frozen_clock.advance(timedelta(seconds=1))
    assert (_sweep(db, pager).escalated, _sweep(db, pager).escalated) == (1, 0)
    assert [body for _, body in pager.sent] == [
        "Stand Up: an urgent safety alert needs a clinician today in Arena. Open Stand Up.",
        "Stand Up: an urgent safety alert in Arena is not acknowledged after 30 minutes. Open Stand Up now.",
    ]
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(SafetyAlert.escalated_at)) == frozen_clock.at
        (item,) = screening_service.open_alerts(s, on_duty, incident_id)
        screening_service.acknowledge_alert(s, on_duty, item.alert.id, "called back, crisis team informed")
    frozen_clock.advance(timedelta(hours=2))
    assert _sweep(db, pager) == AlertSweepResult(texted=0, escalated=0)  # acknowledged: nothing more


def test_without_a_duty_clinician_nobody_is_texted_every_page_says_so_and_naming_one_texts_them(
        db, frozen_clock, register, caseworker, clinician, incident_id):
    _raise_alert(db, register, caseworker)
    pager = FakePager()
    assert _sweep(db, pager).texted == 0 and pager.sent == []
    with unit_of_work(db.engine) as s:
        assert alert_banner(s, caseworker, incident_id).no_duty_clinician
        assert alert_banner(s, clinician, incident_id).no_duty_clinician
        assert s.scalar(select(SafetyAlert.assigned_to_id)) is None
    with unit_of_work(db.engine) as s:
        set_duty_clinician(s, clinician, incident_id, clinician.user_id)  # a clinician takes duty
    assert _sweep(db, pager).texted == 1
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(SafetyAlert.assigned_to_id)) == clinician.user_id
        assert not alert_banner(s, caseworker, incident_id).no_duty_clinician


def test_a_handover_moves_open_alerts_to_the_new_duty_clinician_and_texts_them(
        db, frozen_clock, register, caseworker, on_duty, make_clinician, incident_id):
    _raise_alert(db, register, caseworker)
    pager = FakePager()
    _sweep(db, pager)
    night = make_clinician(mobile="07400 900456")
    with unit_of_work(db.engine) as s:
        set_duty_clinician(s, on_duty, incident_id, night.user_id)
    _sweep(db, pager)
    assert [mobile for mobile, _ in pager.sent] == ["+447400900123", "+447400900456"]
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(SafetyAlert.assigned_to_id)) == night.user_id
        assert clinical_duty(s, caseworker, incident_id).clinician_id == night.user_id


def test_only_a_clinician_or_an_administrator_names_the_duty_clinician_and_only_a_clinician_is_named(
        db, frozen_clock, caseworker, clinician, incident_id):
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied, match="Only a designated clinician"):
        set_duty_clinician(s, caseworker, incident_id, clinician.user_id)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="must be a designated clinician"):
        set_duty_clinician(s, clinician, incident_id, caseworker.user_id)
    with unit_of_work(db.engine) as s:
        assert not clinical_duty(s, caseworker, incident_id).named


def test_the_duty_clinician_cannot_be_removed_until_someone_else_is_on_duty(
        db, frozen_clock, on_duty, make_clinician, make_actor, incident_id):
    admin = make_actor("admin")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="duty clinician for Arena"):
        remove_clinician(s, admin, on_duty.user_id)
    other = make_clinician(mobile="07400 900456")
    with unit_of_work(db.engine) as s:
        set_duty_clinician(s, admin, incident_id, other.user_id)
        remove_clinician(s, admin, on_duty.user_id)
    with unit_of_work(db.engine) as s, pytest.raises(PermissionDenied, match="Only a designated clinician"):
        screening_service.review_queue(s, on_duty, incident_id)


def test_the_duty_clinician_must_be_on_the_incident_team_and_leaving_it_ends_their_duty(
        db, frozen_clock, make_actor, make_clinician, on_duty, incident_id):
    from incident.team_service import remove_from_team
    from pathways.clinicians import clinician_choices

    outsider = make_clinician(make_actor("caseworker", on_team=False), mobile="07400 900456")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="not on this incident's team"):
        set_duty_clinician(s, SYSTEM, incident_id, outsider.user_id)
    with unit_of_work(db.engine) as s:
        assert [uid for uid, _ in clinician_choices(s, SYSTEM, incident_id)] == [on_duty.user_id]
        remove_from_team(s, SYSTEM, incident_id, on_duty.user_id, "moved to another incident")
    with unit_of_work(db.engine) as s:
        assert not clinical_duty(s, SYSTEM, incident_id).named


def test_a_disabled_duty_clinician_account_counts_as_no_duty_clinician(db, frozen_clock, on_duty, incident_id):
    from core.auth.model import User

    with unit_of_work(db.engine) as s:
        s.get(User, on_duty.user_id).active = False
    with unit_of_work(db.engine) as s:
        assert not clinical_duty(s, SYSTEM, incident_id).named


@pytest.mark.parametrize("minutes", [4, 721, 0, True, 7.5])
def test_an_escalation_time_outside_the_same_day_is_refused(db, incident_id, minutes):
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="from 5 to 720"):
        set_escalation_minutes(s, SYSTEM, incident_id, minutes)
    assert escalation_minutes_refusal(5) == escalation_minutes_refusal(720) == ""


def test_the_open_alerts_banner_is_audited_once_per_showing_and_not_when_empty(
        db, frozen_clock, register, caseworker, on_duty, incident_id):
    def views():
        return s.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "view", AuditEvent.entity == "safety_alert"))

    with unit_of_work(db.engine) as s:
        alert_banner(s, on_duty, incident_id)
        assert views() == 0
    _raise_alert(db, register, caseworker)
    with unit_of_work(db.engine) as s:
        alert_banner(s, on_duty, incident_id)
        alert_banner(s, caseworker, incident_id)  # a count only: nothing personal shown
        assert views() == 1
        assert s.scalar(select(AuditEvent.detail).where(AuditEvent.entity == "safety_alert",
                                                        AuditEvent.action == "view")) == "open alerts, 1 shown (names, alert text)"


def test_the_worker_texts_the_duty_clinician_through_the_sms_outbox(
        db, frozen_clock, register, caseworker, on_duty, incident_id):
    _raise_alert(db, register, caseworker)
    _sweep(db, OutboxClinicianPager())
    with unit_of_work(db.engine) as s:
        (message,) = s.scalars(select(OutboundMessage)).all()
        assert (message.destination, message.purpose, message.incident_id) == ("+447400900123", "safety_alert", incident_id)
        assert message.body.startswith("EXERCISE Stand Up: an urgent safety alert")  # Arena is an exercise


def test_the_clinician_text_fits_two_segments_for_any_incident_name_even_marked_exercise():
    long_name = "Major incident at the Manchester Arena and Victoria station concourse, evening of 22 May"
    for text in (clinician_alert_text(long_name), clinician_alert_text(long_name, escalated_after_minutes=720)):
        # The outbox marks an exercise's texts with "EXERCISE " (9 characters) before sending.
        assert measure("EXERCISE " + text).encoding == "GSM-7" and measure("EXERCISE " + text).segments <= 2
        assert text.startswith("Stand Up: ")


def test_gold_sees_escalated_alerts_and_a_missing_duty_clinician(
        db, frozen_clock, register, caseworker, clinician, make_actor, app_as, incident_id):
    from standup.sitrep.figures import build_sitrep

    gold = make_actor("gold")
    _raise_alert(db, register, caseworker)

    def report():
        with unit_of_work(db.engine) as s:
            return build_sitrep(s, gold, incident_id)

    first = report()
    assert first.value("Safety", "No duty clinician named") == 1
    assert first.risks[0] == "No duty clinician named: urgent safety alerts are texted to nobody"
    assert first.value("Safety", "Urgent safety alerts escalated (not acknowledged in time)") == 0
    with unit_of_work(db.engine) as s:
        set_duty_clinician(s, SYSTEM, incident_id, clinician.user_id)
    frozen_clock.advance(timedelta(minutes=60))  # the default escalation time; no sweep needed to count it
    later = report()
    assert later.value("Safety", "No duty clinician named") == 0
    assert later.value("Safety", "Urgent safety alerts escalated (not acknowledged in time)") == 1
    assert "1 urgent safety alert escalated: not acknowledged in time" in later.risks
    dashboard = app_as("gold", "standup/pages/dashboard.py", actor=gold, incident_id=incident_id)
    urgent = next(m for m in dashboard.metric if m.label == "Urgent alerts")
    assert (urgent.value, urgent.delta) == ("1", "1 escalated")


def test_a_screening_that_raises_an_alert_wakes_the_worker_when_it_is_saved(db, frozen_clock, register, caseworker):
    from core.wakeup import WakeListener
    from pathways.safety_alert_sweep import WAKE_TOPIC

    listener = WakeListener(db.engine)
    try:
        pid = register()
        with unit_of_work(db.engine) as s:
            screening_service.record_screening(s, caseworker, pid, "PHQ-9", [0] * 9)
        assert listener.wait(timeout=0.5) == set()  # nothing urgent: the sweep keeps its own time
        with unit_of_work(db.engine) as s:
            screening_service.record_screening(s, caseworker, pid, "PHQ-9", ALERT_ANSWERS)
        assert listener.wait(timeout=5) == {WAKE_TOPIC}
    finally:
        listener.close()
