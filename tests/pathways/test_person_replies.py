"""A person's text message reaches their caseworkers only: kept encrypted on their record (each
registration, a merged duplicate's on the survivor), once per provider SID, shown on "my day" and
the record until someone marks it read, and answered with a kind, safe acknowledgement."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from core.audit.model import AuditEvent
from core.auth.roles import Actor
from core.clock import now
from core.db import unit_of_work
from core.errors import InputError
from incident.lifecycle_service import open_incident
from notifications.segments import measure
from pathways import merge_service
from pathways.model import Person, PersonReply
from pathways.my_day_queries import my_day
from pathways.person_replies import ACKNOWLEDGEMENT, mark_reply_read, take_reply

MOBILE = "+447400123456"  # the register fixture's
WORDS = "cant sleep since the concert, keep seeing it"


def _take(db, mobile=MOBILE, sid="SM0001", body=WORDS):
    with unit_of_work(db.engine) as s:
        return take_reply(s, mobile=mobile, body=body, received_at=now(), provider_sid=sid)


def _replies(db) -> list[PersonReply]:
    with unit_of_work(db.engine) as s:
        return list(s.scalars(select(PersonReply).order_by(PersonReply.id)))


def test_a_registered_persons_message_is_kept_encrypted_audited_and_acknowledged(db, frozen_clock, register):
    pid = register()
    assert _take(db) == ACKNOWLEDGEMENT
    (reply,) = _replies(db)
    assert (reply.person_id, reply.body, reply.received_at, reply.read_at) == (pid, WORDS, frozen_clock.at, None)
    with db.engine.connect() as conn:
        raw = conn.execute(text("SELECT body FROM person_reply")).scalar_one()
    assert "sleep" not in raw and raw.startswith("gAAAA")
    with unit_of_work(db.engine) as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "receive"))
        assert (event.entity, event.entity_id, event.detail) == ("person_reply", str(reply.id),
                                                                 "fields: body (kept encrypted)")


@pytest.mark.parametrize("mobile", ["+447400999888", "not a number", "", "+1"])
def test_an_unknown_or_unreadable_number_is_nobodys_and_nothing_is_kept(db, frozen_clock, register, mobile):
    register()
    assert _take(db, mobile=mobile) is None
    assert _replies(db) == []


def test_a_message_delivered_twice_is_kept_once_and_acknowledged_each_time(db, frozen_clock, register):
    register()
    assert _take(db, sid="SM0001") == _take(db, sid="SM0001") == ACKNOWLEDGEMENT
    assert _take(db, sid="SM0002", body="and again") == ACKNOWLEDGEMENT
    assert [r.body for r in _replies(db)] == [WORDS, "and again"]


def test_each_registration_gets_it_and_a_merged_duplicates_goes_to_the_survivor(
        db, frozen_clock, register, caseworker, join_team):
    first = register()
    with unit_of_work(db.engine) as s:
        other_incident = open_incident(s, Actor.system("test"), "Second scene", is_exercise=True).id
    join_team(other_incident, caseworker)
    elsewhere = register(incident=other_incident)
    survivor = register(given_name="Amirah", mobile="07400 654321")
    with unit_of_work(db.engine) as s:
        merge_service.merge_people(s, caseworker, survivor, first)  # first's mobile now reaches the survivor
    _take(db)
    assert sorted(r.person_id for r in _replies(db)) == sorted([survivor, elsewhere])


def test_an_anonymised_persons_number_is_nobodys(db, frozen_clock, register):
    from pathways.retention import ERASED

    pid = register()
    with unit_of_work(db.engine) as s:
        s.get(Person, pid).family_name = ERASED
    assert _take(db) is None


def test_my_day_lists_unread_messages_for_the_key_worker_and_unassigned_people_until_read(
        db, frozen_clock, register, caseworker, make_actor, incident_id):
    colleague = make_actor("caseworker")
    mine = register(key_worker_id=caseworker.user_id)
    theirs = register(given_name="Bea", mobile="07400 222333", key_worker_id=colleague.user_id)
    nobodys = register(given_name="Cal", mobile="07400 444555")
    _take(db)
    frozen_clock.advance(timedelta(minutes=5))
    _take(db, mobile="+447400222333", sid="SM0002")
    _take(db, mobile="+447400444555", sid="SM0003")
    with unit_of_work(db.engine) as s:
        day = my_day(s, caseworker, incident_id)
        assert [(m.person_id, m.what) for m in day.messages] == [(mine, "text message"), (nobodys, "text message")]
        assert day.messages_total == 2
        assert my_day(s, caseworker, incident_id, mine_only=False).messages_total == 3
        assert theirs not in [m.person_id for m in day.messages]
    first = _replies(db)[0]
    with unit_of_work(db.engine) as s:
        mark_reply_read(s, caseworker, first.id)
    with unit_of_work(db.engine) as s:
        assert [m.person_id for m in my_day(s, caseworker, incident_id).messages] == [nobodys]
        assert s.get(PersonReply, first.id).read_by_id == caseworker.user_id
        with pytest.raises(InputError, match="already marked read"):
            mark_reply_read(s, caseworker, first.id)
        assert s.scalar(select(func.count()).where(AuditEvent.action == "read")) == 1


def test_the_acknowledgement_is_safe_on_a_shared_phone_and_short():
    info = measure(ACKNOWLEDGEMENT)
    assert info.encoding == "GSM-7" and info.segments <= 2
    assert "999" in ACKNOWLEDGEMENT and "116 123" in ACKNOWLEDGEMENT
    for health in ("screening", "mental", "trauma", "PHQ", "alert"):
        assert health not in ACKNOWLEDGEMENT


def test_the_record_shows_an_unread_message_until_it_is_marked_read(app_as, db, frozen_clock, register, caseworker):
    pid = register()
    _take(db)
    at = app_as("caseworker", "pathways/pages/person.py", actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "a text came in"})
    assert not at.exception
    assert any(WORDS in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Mark read (I will act on it)").click().run()
    assert not any(WORDS in w.value for w in at.warning)
    at.session_state["person_tab"] = "Messages"  # the tab keeps the history
    at.run()
    assert any(WORDS in c.value for c in at.caption)
