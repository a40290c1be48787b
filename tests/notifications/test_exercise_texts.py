"""Every SMS of an exercise incident says EXERCISE first, whatever sends it; a live incident's
never does; marking twice never happens (a re-send copies a text already marked)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from core.auth.roles import Actor
from core.db import unit_of_work
from notifications.callout_service import preview_callout, start_callout
from notifications.exercise_texts import EXERCISE_MARK, as_sent
from notifications.mobilisation_service import request_staff
from notifications.model import OutboundMessage, OutboundStatus
from notifications.outbox_service import queue_sms, resend, set_status
from tests import factories

HUB = Actor.system("test")


@given(st.text(min_size=1, max_size=200))
def test_an_exercise_text_is_marked_once_and_a_live_one_never(body):
    marked = as_sent(body, is_exercise=True)
    assert marked.startswith(EXERCISE_MARK) and marked.endswith(body)
    assert as_sent(marked, is_exercise=True) == marked
    assert as_sent(body, is_exercise=False) == body


@pytest.mark.parametrize("exercise", [True, False])
def test_call_outs_mobilisation_requests_and_queued_texts_say_exercise_only_in_an_exercise(db, world, exercise):
    w = world(headcount=1, staff=2, exercise=exercise)
    with unit_of_work(db.engine) as s:
        preview = preview_callout(s, HUB, w.requirement_id)
        start_callout(s, HUB, w.requirement_id, quorum=1)
        request_staff(s, HUB, w.incident_id, w.agency_id)
        queue_sms(s, to=w.mobile(1), body="Your screening is due.", purpose="reminder", incident_id=w.incident_id)
        bodies = list(s.scalars(select(OutboundMessage.body).order_by(OutboundMessage.id)))
    assert len(bodies) == 4
    assert preview.text.startswith(EXERCISE_MARK) is exercise
    assert all(b.startswith(EXERCISE_MARK) is exercise for b in bodies), bodies
    assert not any(b.startswith(EXERCISE_MARK * 2) for b in bodies)


def test_a_resent_exercise_text_is_not_marked_twice(db, world):
    w = world(headcount=1, staff=2, exercise=True)
    with unit_of_work(db.engine) as s:
        failed = queue_sms(s, to=w.mobile(1), body="A notice", purpose="notice", incident_id=w.incident_id)
        set_status(s, failed, OutboundStatus.FAILED, "test", error_code=30003)
        again = resend(s, HUB, failed.id)
        assert (failed.body, again.body) == (EXERCISE_MARK + "A notice", EXERCISE_MARK + "A notice")


def test_a_text_for_no_incident_is_unmarked(db):
    factories.incident(db, "Exercise only", is_exercise=True)
    with unit_of_work(db.engine) as s:
        assert queue_sms(s, to="+447400100001", body="hello", purpose="notice", incident_id=None).body == "hello"
