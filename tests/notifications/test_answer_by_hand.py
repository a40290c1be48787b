"""A hub manager records an answer given by phone: yes, no or cancel, under exactly the rules
of an SMS answer (hard rules at YES time, quorum, standby, withdrawal reopening the gap)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core.audit.model import AuditEvent
from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from notifications.callout_service import cancel_callout, record_answer_by_hand, start_callout
from notifications.model import CallOut, CallOutRecipient
from rosters.model import Assignment
from rosters.staff_service import update_staff
from tests.callout_traffic import HUB


def begin(db, w, quorum: int = 1) -> tuple[int, list[int]]:
    """A call-out and its recipients' ids, in ranking order."""
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=quorum)
        ids = list(s.scalars(select(CallOutRecipient.id).where(CallOutRecipient.callout_id == callout.id)
                             .order_by(CallOutRecipient.rank)))
        return callout.id, ids


def by_hand(db, actor, recipient_id: int, intent: str) -> str:
    with unit_of_work(db.engine) as s:
        return record_answer_by_hand(s, actor, recipient_id, intent)


def recipient(db, recipient_id: int) -> CallOutRecipient:
    with unit_of_work(db.engine) as s:
        person = s.get(CallOutRecipient, recipient_id)
        s.expunge(person)
        return person


def live_assignments(db, requirement_id: int) -> list[tuple[int, str, str]]:
    with unit_of_work(db.engine) as s:
        return list(s.execute(select(Assignment.staff_id, Assignment.source, Assignment.assigned_by).where(
            Assignment.requirement_id == requirement_id, Assignment.withdrawn_at.is_(None))).all())


def test_yes_by_phone_assigns_the_person_as_the_hub_manager_and_meets_the_quorum(db, world, make_actor):
    w = world(headcount=1, staff=4)
    hub = make_actor("hub_manager")
    callout_id, (first, second, *_rest) = begin(db, w)
    assert by_hand(db, hub, first, "yes").startswith("Confirmed")
    person = recipient(db, first)
    assert person.state == "confirmed" and person.assignment_id is not None
    assert live_assignments(db, w.requirement_id) == [(person.staff_id, "callout", hub.username)]
    with unit_of_work(db.engine) as s:
        assert s.get(CallOut, callout_id).status == "quorum_met"
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "answer_by_hand"))
        assert (event.entity_id, event.detail, event.actor_user_id) == (str(first), "yes -> confirmed", hub.user_id)
    # Once the quorum is met, a later yes by phone is a standby, as by SMS.
    assert "please stand by" in by_hand(db, hub, second, "yes")
    assert recipient(db, second).state == "standby"


def test_yes_by_phone_that_breaks_a_hard_rule_is_refused_and_flagged(db, world, make_actor):
    w = world(headcount=1, staff=2)
    _callout_id, (first, _second) = begin(db, w)
    with unit_of_work(db.engine) as s:  # their DBS lapses before they answer
        update_staff(s, HUB, recipient(db, first).staff_id, dbs_expiry=date(2026, 1, 1))
    assert "cannot put you on this shift" in by_hand(db, make_actor("hub_manager"), first, "yes")
    person = recipient(db, first)
    assert person.state == "refused_by_rule" and "DBS" in person.flag
    assert live_assignments(db, w.requirement_id) == []


def test_no_by_phone_declines_and_no_after_confirming_keeps_them_and_flags_it(db, world, make_actor):
    w = world(headcount=1, staff=4)
    hub = make_actor("hub_manager")
    _callout_id, (first, second, *_rest) = begin(db, w)
    assert "not available" in by_hand(db, hub, second, "no")
    assert recipient(db, second).state == "declined"
    by_hand(db, hub, first, "yes")
    assert "still confirmed" in by_hand(db, hub, first, "no")
    person = recipient(db, first)
    assert person.state == "confirmed" and "said NO after confirming" in person.flag
    assert len(live_assignments(db, w.requirement_id)) == 1


def test_cancel_by_phone_withdraws_the_assignment_and_reopens_the_gap(db, world, make_actor):
    w = world(headcount=1, staff=4)
    hub = make_actor("hub_manager")
    callout_id, (first, *_rest) = begin(db, w)
    by_hand(db, hub, first, "yes")
    assert by_hand(db, hub, first, "cancel").startswith("You are withdrawn")
    assert recipient(db, first).state == "withdrawn"
    assert live_assignments(db, w.requirement_id) == []
    with unit_of_work(db.engine) as s:
        assert s.get(CallOut, callout_id).status == "open"
        reason = s.scalar(select(Assignment.withdrawn_reason))
    assert "CANCEL" in reason


def test_an_answer_for_a_closed_call_out_changes_nothing(db, world, make_actor):
    w = world(headcount=1, staff=2)
    callout_id, (first, _second) = begin(db, w)
    with unit_of_work(db.engine) as s:
        cancel_callout(s, HUB, callout_id, "shift no longer needed")
    assert "has closed" in by_hand(db, make_actor("hub_manager"), first, "yes")
    assert recipient(db, first).state == "no_reply" and live_assignments(db, w.requirement_id) == []


@pytest.mark.parametrize("intent", ["maybe", "YES", "", "stop"])
def test_only_yes_no_or_cancel_can_be_recorded(db, world, make_actor, intent):
    w = world(headcount=1, staff=2)
    _callout_id, (first, _second) = begin(db, w)
    with pytest.raises(InputError, match="yes, no or cancel"):
        by_hand(db, make_actor("hub_manager"), first, intent)
    assert recipient(db, first).state == "asked"


def test_an_unknown_recipient_and_a_role_without_call_outs_are_refused(db, world, make_actor):
    w = world(headcount=1, staff=2)
    _callout_id, (first, _second) = begin(db, w)
    with pytest.raises(InputError, match="No call-out recipient"):
        by_hand(db, make_actor("hub_manager"), 999_999, "yes")
    for role in ("agency_coordinator", "caseworker"):
        with pytest.raises(PermissionDenied):
            by_hand(db, make_actor(role), first, "yes")
    assert recipient(db, first).state == "asked"
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(Assignment)) == 0
