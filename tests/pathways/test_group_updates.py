"""Keeping people informed: an update to a group reaches each member once by text when they consented
to texts, none to those who refused or withdrew, none to a merged duplicate; the person's record
lists it; nothing health-related goes; a refusal sends nothing."""

import re

import pytest
from sqlalchemy import func, select

from core.db import unit_of_work
from core.errors import InputError
from notifications.model import OutboundMessage
from pathways.consent_service import record_consent, withdraw_consent
from pathways.merge_service import merge_people
from pathways.model import GroupUpdate
from pathways.update_rules import health_word
from pathways.update_service import send_update, update_audience, updates_sent_to

BODY = "The first hearing is on Monday at 10:00, Manchester Magistrates' Court. Your key worker will call you."


def _consent(db, caseworker, pid, given=True) -> int:
    with unit_of_work(db.engine) as s:
        return record_consent(s, caseworker, pid, "sms", given=given, lawful_basis="consent").id


def _texts(db) -> list[tuple[str, str]]:
    with unit_of_work(db.engine) as s:
        return s.execute(select(OutboundMessage.destination, OutboundMessage.body)
                         .where(OutboundMessage.purpose == "update").order_by(OutboundMessage.destination)).all()


def test_an_update_to_a_group_reaches_each_consenting_member_once_and_none_who_opted_out(
        db, frozen_clock, register, caseworker, incident_id):
    ann = register(given_name="Ann", roles=["bereaved"], mobile="07400 100001")
    annie = register(given_name="Annie", roles=["bereaved"], mobile="07400 100001")  # Ann's duplicate
    ben = register(given_name="Ben", roles=["bereaved", "witness"], mobile="07400 100002")
    cal = register(given_name="Cal", roles=["bereaved"], mobile="07400 100003")  # refused texts
    dee = register(given_name="Dee", roles=["bereaved"], mobile="07400 100004")  # withdrew
    register(given_name="Eve", roles=["bereaved"], mobile="07400 100005")  # never asked
    wit = register(given_name="Wit", roles=["witness"], mobile="07400 100006")  # not in the group
    for pid in (ann, annie, ben, wit):
        _consent(db, caseworker, pid)
    _consent(db, caseworker, cal, given=False)
    with unit_of_work(db.engine) as s:
        withdraw_consent(s, caseworker, _consent(db, caseworker, dee))
        merge_people(s, caseworker, ann, annie)
    with unit_of_work(db.engine) as s:
        audience = update_audience(s, caseworker, incident_id, ("bereaved",))
        assert (sorted(audience.by_text), audience.not_reached, audience.is_exercise) == ([ann, ben], 3, True)
        update = send_update(s, caseworker, incident_id, f"  {BODY}\n", ("bereaved",))
        assert (update.reached, update.not_reached) == (2, 3)
    assert _texts(db) == [("+447400100001", f"EXERCISE {BODY}"), ("+447400100002", f"EXERCISE {BODY}")]
    with unit_of_work(db.engine) as s:
        [sent] = updates_sent_to(s, caseworker, ben)
        assert (sent.body, sent.channel, sent.by) == (BODY, "sms", caseworker.display_name)
        assert updates_sent_to(s, caseworker, cal) == [] and updates_sent_to(s, caseworker, wit) == []


@pytest.mark.parametrize(("body", "reason"), [
    ("  ", "Write the update"),
    ("Screening results will follow next week.", "nothing health-related ('screening')"),
    ("Counselling is available at the hub.", "'counsell'"),
    ("x" * 613, "at most"),
])
def test_an_update_that_cannot_go_sends_nothing(db, frozen_clock, register, caseworker, incident_id, body, reason):
    _consent(db, caseworker, register(mobile="07400 100001"))
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match=re.escape(reason)):
        send_update(s, caseworker, incident_id, body)
    assert _texts(db) == []
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(GroupUpdate)) == 0


def test_no_one_who_consented_means_nothing_to_send(db, frozen_clock, register, caseworker, incident_id):
    register(mobile="07400 100001")
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="No one in that group consented"):
        send_update(s, caseworker, incident_id, BODY)


def test_health_words_are_found_as_words_and_word_starts():
    assert health_word("Your therapist will call") == "therap"
    assert health_word("Injured people were taken to hospital") == "injur"
    assert health_word("The trial starts on Monday; the PHQ-9 form is not needed") == "phq"
    assert health_word("Screens will be in place at court") == ""  # a special measure
    assert health_word("Bring a gadget to charge your phone; a lengthy hearing") == ""


def test_the_page_previews_with_the_exercise_mark_sends_and_the_record_lists_it(
        app_as, db, frozen_clock, register, caseworker, incident_id):
    pid = register(roles=["witness"], mobile="07400 100001")
    _consent(db, caseworker, pid)
    register(given_name="Ben", roles=["witness"], mobile="")
    at = app_as("caseworker", "pathways/pages/updates.py", actor=caseworker)
    assert not at.exception
    at.multiselect(key="update_roles").set_value(["witness"]).run()
    assert "1 will be texted; 1 have not consented to texts or have no mobile" in at.info[0].value
    at.text_area(key="update_body").input(BODY)
    next(b for b in at.button if b.label == "Preview").click().run()
    assert at.code[0].value == f"EXERCISE {BODY}"
    assert _texts(db) == []  # a preview sends nothing
    next(b for b in at.button if b.label == "Send to the group").click().run()
    assert [s.value for s in at.success] == ["Update sent to 1 people by text."]
    assert _texts(db) == [("+447400100001", f"EXERCISE {BODY}")]
    at = app_as("caseworker", "pathways/pages/person.py", actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "update check"}, person_tab="Messages")
    assert not at.exception
    assert list(at.dataframe[0].value["update"]) == [BODY]
