"""Mobilisation requests: an agency coordinator's number is recorded against the request they
are answering, never against one already answered or one from another incident by guesswork
(a live answer must not land on an exercise request)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.agencies.service import update_agency_contacts
from core.db import unit_of_work
from core.errors import InputError
from notifications.callout_code import is_code
from notifications.inbound_service import handle_inbound
from notifications.mobilisation_service import request_staff
from notifications.model import InboundMessage, MobilisationRequest
from notifications.segments import measure
from tests import factories
from tests.callout_traffic import HUB

_sid = iter(range(1, 1_000_000))


def offer(engine, w, body: str) -> tuple[str, InboundMessage]:
    """The world's agency coordinator texts `body`."""
    with unit_of_work(engine) as s:
        result = handle_inbound(s, sid=f"SMmob{next(_sid):027d}", from_=w.coordinator_mobile, to="+447400000000",
                                body=body)
        row = s.get(InboundMessage, result.message_id)
        s.expunge(row)
        return result.reply, row


def ask(engine, incident_id: int, agency_id: int) -> MobilisationRequest:
    with unit_of_work(engine) as s:
        request = request_staff(s, HUB, incident_id, agency_id)
        s.flush()
        s.expunge(request)
        return request


def offered(engine, request_id: int) -> int | None:
    with unit_of_work(engine) as s:
        return s.get(MobilisationRequest, request_id).offered


@pytest.fixture
def two_incidents(db, world, frozen_clock):
    """An exercise incident (the world's) and a live one, each asking the same agency."""
    return world(headcount=1, staff=1), factories.incident(db, "Live incident", is_exercise=False)


def test_each_request_carries_its_own_code_and_an_exercise_says_so(db, two_incidents):
    w, live_id = two_incidents
    drill, real = ask(db.engine, w.incident_id, w.agency_id), ask(db.engine, live_id, w.agency_id)
    assert is_code(drill.code) and is_code(real.code) and drill.code != real.code
    assert drill.code in drill.body and real.code in real.body
    assert drill.body.startswith("EXERCISE") and "EXERCISE" not in real.body
    assert measure(drill.body).encoding == measure(real.body).encoding == "GSM-7"


def test_a_bare_number_with_requests_open_in_two_incidents_asks_for_the_code(db, two_incidents):
    w, live_id = two_incidents
    drill, real = ask(db.engine, w.incident_id, w.agency_id), ask(db.engine, live_id, w.agency_id)
    reply, row = offer(db.engine, w, "4")
    assert "2 open requests" in reply and drill.code in reply and real.code in reply
    assert offered(db.engine, drill.id) is None and offered(db.engine, real.id) is None
    assert row.mobilisation_id is None and row.outcome == "ambiguous: no code"
    reply, row = offer(db.engine, w, f"4 {real.code}")
    assert "4 staff offered" in reply
    assert (offered(db.engine, real.id), offered(db.engine, drill.id)) == (4, None)
    assert (row.mobilisation_id, row.incident_id) == (real.id, live_id)


def test_a_bare_number_goes_to_the_open_request_not_the_newest_answered_one(db, two_incidents, frozen_clock):
    w, live_id = two_incidents
    real = ask(db.engine, live_id, w.agency_id)
    frozen_clock.advance(timedelta(minutes=5))
    drill = ask(db.engine, w.incident_id, w.agency_id)
    offer(db.engine, w, f"2 {drill.code}")
    reply, row = offer(db.engine, w, "5")
    assert "5 staff offered" in reply
    assert (offered(db.engine, real.id), offered(db.engine, drill.id)) == (5, 2)
    assert row.incident_id == live_id


def test_two_open_requests_in_one_incident_take_the_newest(db, two_incidents, frozen_clock):
    w, _ = two_incidents
    older = ask(db.engine, w.incident_id, w.agency_id)
    frozen_clock.advance(timedelta(minutes=5))
    newer = ask(db.engine, w.incident_id, w.agency_id)
    offer(db.engine, w, "3")
    assert (offered(db.engine, newer.id), offered(db.engine, older.id)) == (3, None)


def test_a_bare_number_with_nothing_open_changes_nothing_and_is_shown_to_the_hub_manager(db, two_incidents):
    w, _ = two_incidents
    request = ask(db.engine, w.incident_id, w.agency_id)
    offer(db.engine, w, "2")
    reply, row = offer(db.engine, w, "6")
    assert "no open request" in reply and row.needs_attention and row.mobilisation_id is None
    assert offered(db.engine, request.id) == 2


def test_a_coded_number_corrects_an_answer_already_given_and_flags_it(db, two_incidents):
    w, _ = two_incidents
    request = ask(db.engine, w.incident_id, w.agency_id)
    offer(db.engine, w, "2")
    reply, row = offer(db.engine, w, f"{request.code} 5")
    assert "changed from 2 to 5" in reply and row.needs_attention
    assert offered(db.engine, request.id) == 5


def test_a_code_that_is_not_this_agencys_request_changes_nothing(db, two_incidents, make_actor):
    w, live_id = two_incidents
    request = ask(db.engine, w.incident_id, w.agency_id)
    reply, row = offer(db.engine, w, "4 ZZ22")
    assert "no request ZZ22" in reply and row.needs_attention
    assert offered(db.engine, request.id) is None
    theirs = ask(db.engine, live_id, factories.agency(db, "Cruse", coordinator_mobile="+447400333444"))
    reply, _ = offer(db.engine, w, f"4 {theirs.code}")
    assert f"no request {theirs.code}" in reply and offered(db.engine, theirs.id) is None


def test_an_agency_without_a_coordinator_mobile_cannot_be_asked(db, two_incidents):
    w, _ = two_incidents
    with unit_of_work(db.engine) as s:
        update_agency_contacts(s, HUB, w.agency_id, contact_name="", contact_email="", contact_phone="",
                               coordinator_mobile="")
    with pytest.raises(InputError, match="no coordinator mobile"), unit_of_work(db.engine) as s:
        request_staff(s, HUB, w.incident_id, w.agency_id)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(MobilisationRequest)) is None


def test_the_request_names_the_hub_and_from_when_never_the_incident(db, two_incidents):
    w, _ = two_incidents
    from core.clock import now, show

    from_when = now() + timedelta(hours=6)
    with unit_of_work(db.engine) as s:
        request = request_staff(s, HUB, w.incident_id, w.agency_id, hub_id=w.hub_id, needed_from=from_when)
        body = request.body
    assert f" at Etihad Hub from {show(from_when, '%H:%M on %a %d %b')}." in body
    assert "Exercise Test" not in body  # the incident's name stays off a lock screen
    other_hub = factories.incident_with_hub(db, "Elsewhere Hub")[1]
    for kwargs, refusal in (({"hub_id": other_hub}, "one of this incident's hubs"),
                            ({"needed_from": now() - timedelta(hours=2)}, "already past")):
        with pytest.raises(InputError, match=refusal), unit_of_work(db.engine) as s:
            request_staff(s, HUB, w.incident_id, w.agency_id, **kwargs)


def test_a_coordinator_answers_on_the_page_as_by_sms_and_only_for_their_agency(db, two_incidents, make_actor):
    from core.auth.roles import PermissionDenied
    from notifications.mobilisation_service import answer_request, requests_for_my_agency

    w, live_id = two_incidents
    drill, real = ask(db.engine, w.incident_id, w.agency_id), ask(db.engine, live_id, w.agency_id)
    coordinator = make_actor("agency_coordinator", agency="Victim Support")
    with unit_of_work(db.engine) as s:
        listed = requests_for_my_agency(s, coordinator)
        answer_request(s, coordinator, drill.id, 4)
    assert {(r.request.id, r.is_exercise) for r in listed} == {(drill.id, True), (real.id, False)}
    assert offered(db.engine, drill.id) == 4 and offered(db.engine, real.id) is None
    reply, _ = offer(db.engine, w, f"6 {drill.code}")  # a text later corrects the page's answer, flagged
    assert "changed from 4 to 6" in reply
    with unit_of_work(db.engine) as s:
        waiting_first = [r.request.id for r in requests_for_my_agency(s, coordinator)]
    assert waiting_first == [real.id, drill.id]
    other = make_actor("agency_coordinator", agency="British Red Cross")
    with pytest.raises(PermissionDenied, match="own agency"), unit_of_work(db.engine) as s:
        answer_request(s, other, real.id, 2)
    with pytest.raises(InputError, match="between 0 and 500"), unit_of_work(db.engine) as s:
        answer_request(s, coordinator, real.id, 5000)
    assert offered(db.engine, real.id) is None


def test_the_staff_requests_page_answers_for_the_coordinator(db, two_incidents, make_actor, app_as):
    w, _ = two_incidents
    request = ask(db.engine, w.incident_id, w.agency_id)
    coordinator = make_actor("agency_coordinator", agency="Victim Support")
    at = app_as("agency_coordinator", "notifications/pages/requests.py", actor=coordinator)
    assert not at.exception and [t.value for t in at.title] == ["Staff requests"]
    assert any(request.code in m.value for m in at.markdown)
    at.number_input[0].set_value(3)
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert offered(db.engine, request.id) == 3
    assert any("Answer recorded: 3 staff" in s.value for s in at.success)
