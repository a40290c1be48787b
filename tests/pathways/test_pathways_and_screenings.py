"""Pathway moves, screening, clinician review, the urgent alert, the schedule sweep and encryption at rest."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from core.audit.model import AuditEvent
from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from pathways import pathway_service, screening_service
from pathways.consent_service import record_consent, withdraw_consent
from pathways.follow_up_sweep import sweep_follow_ups
from pathways.instruments import SELF_HARM_ALERT
from pathways.model import FollowUp, SafetyAlert, Screening, StageEvent
from pathways.my_day_queries import my_day
from pathways.needs_service import assess_needs
from pathways.schedule import REMINDER_TEXT

POSITIVE_PHQ9_ITEM9 = [2, 2, 1, 2, 1, 1, 1, 0, 1]  # total 11, item 9 = 1


def test_an_allowed_move_is_recorded_with_who_when_and_why(db, frozen_clock, register, caseworker):
    pid = register()
    with unit_of_work(db.engine) as s:
        pathway_service.move_stage(s, caseworker, pid, "active_monitoring", "first contact done, coping")
    with unit_of_work(db.engine) as s:
        event = s.scalars(select(StageEvent).order_by(StageEvent.id.desc())).first()
        assert (event.by_id, event.at, event.reason) == (caseworker.user_id, frozen_clock.at, "first contact done, coping")


def test_a_move_the_pathway_does_not_allow_is_refused(db, frozen_clock, register, caseworker):
    pid = register()
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="does not allow a move from"):
        pathway_service.move_stage(s, caseworker, pid, "trauma_treatment", "wants therapy")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="Say why"):
        pathway_service.move_stage(s, caseworker, pid, "active_monitoring", " ")
    with unit_of_work(db.engine) as s:
        assert pathway_service.current_enrolment(s, pid).stage_id == s.scalar(select(StageEvent.to_stage_id))


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        ("PHQ-9", [0, 0, 0, None, 0, 0, 0, 0, 0], "PHQ-9 item 4: no answer given"),
        ("GAD-7", [0, 0, 0, 0, 0, 0, 4], "GAD-7 item 7: 4 is not an allowed answer"),
        ("PHQ-9", [0] * 8, "PHQ-9 needs 9 answers, got 8"),
        ("CRIES-8", [0] * 8, "CRIES-8 is not used at age 36"),
    ],
)
def test_a_bad_screening_is_refused_naming_the_item_and_nothing_is_saved(
        db, frozen_clock, register, caseworker, instrument, answers, message):
    pid = register()
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match=message):
        screening_service.record_screening(s, caseworker, pid, instrument, answers)
    with unit_of_work(db.engine) as s:
        assert s.scalars(select(Screening)).all() == []


def test_phq9_item_9_raises_an_urgent_alert_until_a_clinician_acknowledges_it(
        db, frozen_clock, register, caseworker, clinician):
    pid = register()
    with unit_of_work(db.engine) as s:
        screening = screening_service.record_screening(s, caseworker, pid, "PHQ-9", POSITIVE_PHQ9_ITEM9)
        incident = screening.incident_id
    with unit_of_work(db.engine) as s:
        alerts = screening_service.open_alerts(s, clinician, incident)
        assert [(a.person_id, a.alert.text) for a in alerts] == [(pid, SELF_HARM_ALERT)]
        assert [item.has_alert for item in screening_service.review_queue(s, clinician, incident)] == [True]
        with pytest.raises(InputError, match="Say what was done"):
            screening_service.acknowledge_alert(s, clinician, alerts[0].alert.id, "")
    with unit_of_work(db.engine) as s:
        screening_service.acknowledge_alert(s, clinician, alerts[0].alert.id, "called, safety plan agreed")
    with unit_of_work(db.engine) as s:
        assert screening_service.open_alerts(s, clinician, incident) == []
        alert = s.scalar(select(SafetyAlert))
        assert (alert.acknowledged_by_id, alert.acknowledged_at) == (clinician.user_id, frozen_clock.at)


def test_a_positive_screen_waits_for_a_person_to_decide_and_records_who(
        db, frozen_clock, register, caseworker, make_clinician):
    pid = register()
    make_clinician(caseworker)
    with unit_of_work(db.engine) as s:
        low = screening_service.record_screening(s, caseworker, pid, "GAD-7", [1, 1, 1, 1, 1, 1, 1])
        high = screening_service.record_screening(s, caseworker, pid, "GAD-7", [2, 2, 2, 2, 1, 1, 1])
        assert (low.review_status, high.review_status) == ("not_needed", "pending")
        assert [i.screening.id for i in screening_service.review_queue(s, caseworker, high.incident_id)] == [high.id]
    with unit_of_work(db.engine) as s:
        screening_service.decide_review(s, caseworker, high.id, "talking_therapies", "moderate anxiety; agreed referral")
    with unit_of_work(db.engine) as s:
        decided = s.get(Screening, high.id)
        assert (decided.decision, decided.decided_by_id, decided.review_status) == (
            "talking_therapies", caseworker.user_id, "decided")
        with pytest.raises(InputError, match="already been reviewed"):
            screening_service.decide_review(s, caseworker, high.id, "no_further_action")


def test_my_day_counts_every_screen_waiting_and_lists_the_oldest(
        db, frozen_clock, register, caseworker, make_clinician, monkeypatch):
    monkeypatch.setattr("pathways.my_day_queries.REVIEWS_SHOWN", 2)
    make_clinician(caseworker)
    pids = [register(given_name=name, mobile=f"07400 12345{i}") for i, name in enumerate(["Ann", "Bea", "Cat"])]
    with unit_of_work(db.engine) as s:
        ids = []
        for pid in pids:
            ids.append(screening_service.record_screening(s, caseworker, pid, "GAD-7", [2, 2, 2, 2, 1, 1, 1]).id)
            frozen_clock.advance(timedelta(minutes=5))
        incident = s.get(Screening, ids[0]).incident_id
    with unit_of_work(db.engine) as s:
        day = my_day(s, caseworker, incident)
        assert (day.to_review_total, [i.screening.id for i in day.to_review]) == (3, ids[:2])
        screening_service.decide_review(s, caseworker, ids[0], "no_further_action")
    with unit_of_work(db.engine) as s:
        day = my_day(s, caseworker, incident)
        assert (day.to_review_total, [i.screening.id for i in day.to_review]) == (2, ids[1:])


@pytest.mark.parametrize("role", ["gold", "hub_manager", "admin", "auditor"])
def test_other_roles_may_not_screen_review_or_see_alerts(db, frozen_clock, register, make_actor, role, incident_id):
    pid = register()
    actor = make_actor(role)
    with unit_of_work(db.engine) as s:
        with pytest.raises(PermissionDenied):
            screening_service.record_screening(s, actor, pid, "GAD-7", [0] * 7)
        with pytest.raises(PermissionDenied):
            screening_service.review_queue(s, actor, incident_id)
        with pytest.raises(PermissionDenied):
            screening_service.open_alerts(s, actor, incident_id)


def test_health_content_is_not_readable_in_the_database(db, frozen_clock, register, caseworker):
    pid = register(accessibility_needs="uses a wheelchair")
    with unit_of_work(db.engine) as s:
        screening_service.record_screening(s, caseworker, pid, "PHQ-9", POSITIVE_PHQ9_ITEM9, notes="disclosed self-harm thoughts")
        assess_needs(s, caseworker, pid, ["housing", "emotional"], "high", "sleeping at a friend's, panic at night")
    with db.engine.connect() as conn:
        raw = [conn.execute(text(sql)).scalar_one() for sql in (
            "SELECT notes FROM screening", "SELECT answers FROM screening", "SELECT result FROM screening",
            "SELECT text FROM safety_alert", "SELECT notes FROM needs_assessment", "SELECT needs FROM needs_assessment",
            "SELECT accessibility_needs FROM person")]
    for value, plain in zip(raw, ("self-harm", "[2, 2", "moderate", "self-harm", "panic", "housing", "wheelchair"),
                            strict=True):
        assert plain not in value and value.startswith("gAAAA")  # a Fernet token
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Screening.notes)) == "disclosed self-harm thoughts"


class FakeSender:
    def __init__(self):
        self.sent = []

    def send(self, session, *, incident_id, channel, to, body, purpose, subject=None, unsubscribe_token=None):
        self.sent.append((to, body))
        return len(self.sent)  # the outbox id

    def deliverable(self, session, channel, addresses):
        return set(addresses)


def test_the_schedule_opens_due_screens_reminds_with_consent_and_marks_late_ones_overdue(
        db, frozen_clock, register, caseworker, incident_id):
    # The incident opened, and both are registered, at the frozen clock's 2026-11-23 09:00 UTC.
    texted = register(given_name="Tex", mobile="07400 111222")
    silent = register(given_name="Sil", mobile="07400 333444")
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, texted, "sms", given=True, lawful_basis="consent")
        consent = record_consent(s, caseworker, silent, "sms", given=True, lawful_basis="consent")
        withdraw_consent(s, caseworker, consent.id)
    sender = FakeSender()

    frozen_clock.set(datetime(2026, 12, 23, 8, 59, tzinfo=UTC))  # not yet a month
    with unit_of_work(db.engine) as s:
        assert sweep_follow_ups(s, sender).opened == 0
    frozen_clock.set(datetime(2026, 12, 23, 9, tzinfo=UTC))  # one month after registration
    with unit_of_work(db.engine) as s:
        result = sweep_follow_ups(s, sender)
        assert (result.opened, result.overdue, result.reminded) == (2, 0, 1)
        day = my_day(s, caseworker, incident_id, mine_only=False)
        assert sorted(i.name for i in day.due_today) == ["Sil Khan", "Tex Khan"]
    assert sender.sent == [("+447400111222", REMINDER_TEXT)]
    with unit_of_work(db.engine) as s:
        assert sweep_follow_ups(s, sender).reminded == 0  # never twice
    frozen_clock.advance(timedelta(days=7, minutes=1))
    with unit_of_work(db.engine) as s:
        assert sweep_follow_ups(s, sender).overdue == 2
        assert sorted(i.name for i in my_day(s, caseworker, incident_id, mine_only=False).overdue) == [
            "Sil Khan", "Tex Khan"]
        screening_service.record_screening(s, caseworker, texted, "GAD-7", [0] * 7)
    with unit_of_work(db.engine) as s:
        statuses = dict(s.execute(select(FollowUp.person_id, FollowUp.status).where(FollowUp.month == 1)).all())
        assert statuses == {texted: "done", silent: "overdue"}
        assert s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "remind")) == \
            "fields: reminder (no health detail)"
    assert len(sender.sent) == 1


def test_the_sweeps_are_built_only_with_a_reminder_sender_and_a_clinician_pager():
    # Without them reminders, or urgent alerts to the duty clinician, would silently never be texted.
    from pathways.plugin import make_sweeps
    from standup.bootstrap import build_ports

    ports = build_ports()
    with pytest.raises(RuntimeError, match=r"no screening-reminder sender \("):
        make_sweeps(None, ports.clinician_pager)
    with pytest.raises(RuntimeError, match=r"no clinician pager \("):
        make_sweeps(ports.person_messages, None)
    with pytest.raises(RuntimeError, match="no screening-reminder sender and no clinician pager"):
        make_sweeps(None, None)
    sweeps = make_sweeps(ports.person_messages, ports.clinician_pager)
    assert [s.name for s in sweeps] == ["pathways.follow_ups", "pathways.safety_alerts"]


def test_a_person_registered_after_the_incident_month_is_screened_a_month_after_registration(
        db, frozen_clock, register):
    incident_opened = frozen_clock.at
    frozen_clock.set(datetime(2027, 1, 31, 9, tzinfo=UTC))
    pid = register(date_of_birth=date(1970, 1, 1))
    with unit_of_work(db.engine) as s:
        dues = dict(s.execute(select(FollowUp.month, FollowUp.due_at).where(FollowUp.person_id == pid)).all())
    assert incident_opened < datetime(2027, 1, 1, tzinfo=UTC)
    # 09:00 GMT on 31 January: due at 09:00 London time, which on 30 April is BST (08:00 UTC).
    assert dues[1] == datetime(2027, 2, 28, 9, tzinfo=UTC) and dues[3] == datetime(2027, 4, 30, 8, tzinfo=UTC)


def test_the_first_screen_is_a_month_after_the_incident_for_people_registered_at_once(
        db, frozen_clock, register):
    pid = register()
    with unit_of_work(db.engine) as s:
        first = s.scalar(select(FollowUp).where(FollowUp.person_id == pid, FollowUp.month == 1))
        assert first.due_at == datetime(2026, 12, 23, 9, tzinfo=UTC)


def test_the_worker_sends_reminders_through_the_sms_outbox(db, frozen_clock, register, caseworker):
    from notifications.model import OutboundMessage
    from standup.bootstrap import OutboxPersonMessages

    pid = register(given_name="Rem", mobile="07400 555666")
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, pid, "sms", given=True, lawful_basis="consent")
    frozen_clock.set(datetime(2026, 12, 23, 10, tzinfo=UTC))
    with unit_of_work(db.engine) as s:
        assert sweep_follow_ups(s, OutboxPersonMessages()).reminded == 1
    with unit_of_work(db.engine) as s:
        [message] = s.scalars(select(OutboundMessage)).all()
    # The Arena fixture is an exercise: the outbox marks every exercise text.
    assert (message.destination, message.body, message.purpose) == ("+447400555666", "EXERCISE " + REMINDER_TEXT,
                                                                  "reminder")


def test_reminders_go_by_the_channel_each_person_chose(db, frozen_clock, register, caseworker):
    import json

    from notifications.model import OutboundMessage
    from pathways.consent_service import set_contact_by
    from pathways.model import PersonMessage
    from standup.bootstrap import OutboxPersonMessages

    emailed = register(given_name="Em", mobile="07400 555666", email="em@example.org")
    phoned = register(given_name="Pho", mobile="07400 555777")
    with unit_of_work(db.engine) as s:
        for pid, purpose in ((emailed, "sms"), (emailed, "email"), (phoned, "sms")):
            record_consent(s, caseworker, pid, purpose, given=True, lawful_basis="consent")
        set_contact_by(s, caseworker, emailed, "email")  # consented to both: an email only
        set_contact_by(s, caseworker, phoned, "phone")  # their caseworker rings them: no reminder
    frozen_clock.set(datetime(2026, 12, 23, 10, tzinfo=UTC))
    with unit_of_work(db.engine) as s:
        assert sweep_follow_ups(s, OutboxPersonMessages()).reminded == 1
    with unit_of_work(db.engine) as s:
        [message] = s.scalars(select(OutboundMessage)).all()
        kept = s.get(PersonMessage, message.id)
        audit = s.scalar(select(AuditEvent.recipient).where(AuditEvent.action == "remind"))
    assert (message.channel, message.destination, message.subject, message.body) == (
        "email", "em@example.org", "EXERCISE A check-in with your support team", "EXERCISE " + REMINDER_TEXT)
    assert json.loads(message.payload)["unsubscribe_url"].startswith("http://127.0.0.1:8501/support/stop/")
    assert (kept.person_id, kept.channel, kept.purpose, len(kept.unsubscribe_hash)) == (emailed, "email", "reminder", 64)
    assert audit == "the person (Email)"
