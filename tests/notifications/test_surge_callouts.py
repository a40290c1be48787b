"""Hub surges: "N more support workers at this hub, from now (or a given time), for H hours".
A surge is a shift requirement planned through rosters plus a call-out for it, in one action:
every hard rule, wave and quorum rule of a call-out applies to it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from notifications.callout_service import cancel_callout, preview_surge, start_surge_callout
from notifications.model import CallOut, CallOutRecipient, OutboundMessage
from rosters.model import Assignment, ShiftRequirement
from tests import factories
from tests.callout_traffic import HUB, asked_mobiles, sms, states


def surge(db, w, **kwargs) -> CallOut:
    kwargs.setdefault("role", "support worker")
    kwargs.setdefault("more", 2)
    kwargs.setdefault("hours", 4)
    with unit_of_work(db.engine) as s:
        callout = start_surge_callout(s, HUB, w.incident_id, w.hub_id, **kwargs)
        s.flush()
        s.expunge(callout)
        return callout


def counts(db) -> tuple[int, int]:
    with unit_of_work(db.engine) as s:
        return (s.scalar(select(func.count()).select_from(ShiftRequirement)),
                s.scalar(select(func.count()).select_from(CallOut)))


def test_a_surge_from_now_plans_the_shift_and_texts_twice_the_people_needed(db, world, frozen_clock):
    w = world(headcount=1, staff=8)
    callout = surge(db, w, more=3, hours=4)
    with unit_of_work(db.engine) as s:
        shift = s.get(ShiftRequirement, callout.requirement_id)
        assert (shift.starts_at, shift.ends_at) == (frozen_clock(), frozen_clock() + timedelta(hours=4))
        assert (shift.role, shift.headcount, shift.hub_id) == ("support worker", 3, w.hub_id)
        assert shift.pattern.startswith("surge")
        bodies = list(s.scalars(select(OutboundMessage.body).where(OutboundMessage.callout_id == callout.id)))
    assert callout.quorum == 3 and states(db.engine, callout.id) == {"asked": 6, "waiting": 2}
    assert len(bodies) == 6 and "Etihad Hub" in bodies[0] and "09:00-13:00" in bodies[0]
    # Under way already: asking stops two hours from now (sooner than the shift's end would be).
    assert callout.expires_at == frozen_clock() + timedelta(hours=2)


def test_a_surge_at_a_given_time_starts_then_and_expires_at_its_start(db, world, frozen_clock):
    w = world(headcount=1, staff=4)
    later = frozen_clock() + timedelta(hours=6)
    callout = surge(db, w, more=1, hours=8, starts_at=later)
    with unit_of_work(db.engine) as s:
        assert s.get(ShiftRequirement, callout.requirement_id).starts_at == later
    assert callout.expires_at == later


def test_yes_to_a_surge_makes_the_assignment_and_the_quorum_stops_it(db, world):
    w = world(headcount=1, staff=6)
    callout = surge(db, w, more=1)
    first, second = asked_mobiles(db.engine, callout.id)
    assert sms(db.engine, first, f"YES {callout.code}").startswith("Confirmed")
    assert "please stand by" in sms(db.engine, second, f"YES {callout.code}")
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(Assignment).where(
            Assignment.requirement_id == callout.requirement_id, Assignment.source == "callout")) == 1


def test_a_surge_asks_nobody_a_hard_rule_excludes(db, world, frozen_clock):
    # Everyone on the roster is on tomorrow's shift except two; a surge overlapping it asks only those two.
    w = world(headcount=8, staff=10)
    with unit_of_work(db.engine) as s:
        from rosters.assignment_service import assign

        for staff_id in w.staff_ids[:8]:
            assign(s, HUB, w.requirement_id, staff_id)
    callout = surge(db, w, more=1, hours=6, starts_at=frozen_clock() + timedelta(days=1, hours=2))
    with unit_of_work(db.engine) as s:
        asked = set(s.scalars(select(CallOutRecipient.staff_id).where(CallOutRecipient.callout_id == callout.id)))
    assert asked == set(w.staff_ids[8:])


@pytest.mark.parametrize(("change", "message"), [
    ({"more": 0}, "how many more"),
    ({"more": 201}, "how many more"),
    ({"hours": 0}, "1 to 24 hours"),
    ({"hours": 25}, "1 to 24 hours"),
    ({"starts_at_hours": -1}, "now or later"),
    ({"starts_at_hours": 24 * 8}, "within 7 days"),
    ({"role": "  "}, "needs a role"),
    ({"role": "interpreter for Welsh"}, "Nobody eligible"),
])
def test_a_surge_that_cannot_go_out_says_why_and_plans_nothing(db, world, frozen_clock, change, message):
    w = world(headcount=1, staff=3)
    if "starts_at_hours" in change:
        change = {"starts_at": frozen_clock() + timedelta(hours=change["starts_at_hours"])}
    before = counts(db)
    with pytest.raises(InputError, match=message):
        surge(db, w, **change)
    assert counts(db) == before


def test_a_hub_of_another_incident_is_refused(db, world):
    w = world(headcount=1, staff=3)
    hub_id = factories.hub(db, factories.incident(db, "Other"), "Elsewhere")
    with pytest.raises(InputError, match="does not belong"), unit_of_work(db.engine) as s:
        start_surge_callout(s, HUB, w.incident_id, hub_id, role="support worker", more=1, hours=4)


def test_a_second_surge_for_the_same_hub_and_role_while_one_is_open_is_refused(db, world, frozen_clock):
    w = world(headcount=1, staff=10)
    first = surge(db, w, more=1)
    frozen_clock.advance(timedelta(seconds=20))  # a second click
    with pytest.raises(InputError, match=f"{first.code} is already open"):
        surge(db, w, more=1)
    with unit_of_work(db.engine) as s:
        cancel_callout(s, HUB, first.id, "wrong number of people")
    assert surge(db, w, more=2).quorum == 2


def test_only_those_who_run_call_outs_can_start_a_surge(db, world, make_actor):
    w = world(headcount=1, staff=3)
    before = counts(db)
    for role in ("agency_coordinator", "caseworker"):
        actor = make_actor(role)
        with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
            start_surge_callout(s, actor, w.incident_id, w.hub_id,
                                role="support worker", more=1, hours=4)
    assert counts(db) == before


def test_the_surge_preview_shows_the_text_and_who_could_be_asked_and_saves_nothing(db, world, frozen_clock):
    w = world(headcount=1, staff=5)
    before = counts(db)
    with unit_of_work(db.engine) as s:
        preview = preview_surge(s, HUB, w.incident_id, w.hub_id, role="support worker", more=2,
                                hours=4)
    assert preview.eligible == 5 and preview.open_places == 2
    assert "Etihad Hub" in preview.text and preview.segments.encoding == "GSM-7"
    assert counts(db) == before


def test_a_surge_from_the_call_out_page(app_as, db, world, make_actor):
    w = world(headcount=1, staff=6)
    hub = make_actor("hub_manager")
    page = app_as("hub_manager", "notifications/pages/callouts.py", actor=hub, incident_id=w.incident_id)
    [kind] = [r for r in page.radio if r.label == "Call out for"]
    kind.set_value("a hub surge").run()
    [more] = [n for n in page.number_input if n.label == "How many more people"]
    more.set_value(2).run()
    assert any("first wave asks 4" in c.value and "6 eligible" in c.value for c in page.caption)
    [send] = [b for b in page.button if b.label == "Send surge call-out"]
    send.click().run()
    assert not page.exception and not page.error
    with unit_of_work(db.engine) as s:
        callout = s.scalar(select(CallOut))
        assert callout.quorum == 2
        assert s.get(ShiftRequirement, callout.requirement_id).pattern.startswith("surge")
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Confirmed"] == "0 / 2"


def test_a_surge_at_a_time_gone_by_is_refused_on_the_page_and_plans_nothing(app_as, db, world, make_actor):
    w = world(headcount=1, staff=3)
    page = app_as("hub_manager", "notifications/pages/callouts.py", actor=make_actor("hub_manager"),
                  incident_id=w.incident_id)
    [kind] = [r for r in page.radio if r.label == "Call out for"]
    kind.set_value("a hub surge").run()
    [start] = [r for r in page.radio if r.label == "From"]
    start.set_value("a given time").run()  # today 07:00 by default; the frozen clock says 09:00
    assert any("has passed" in e.value for e in page.error)
    assert not page.exception
    before = counts(db)
    [send] = [b for b in page.button if b.label == "Send surge call-out"]
    send.click().run()
    assert counts(db) == before
