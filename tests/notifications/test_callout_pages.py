"""The call-out and outbox pages through AppTest: start a call-out with its segment count shown,
answer YES on the console, see the board; a call-out that phones, its call answered with a key on
the console; a caseworker is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.auth.roles import PermissionDenied, Role
from core.db import unit_of_work
from notifications.callout_service import advance_callouts, start_callout
from notifications.model import CallOut, CallOutRecipient
from rosters.staff_service import update_staff
from tests.callout_traffic import place_calls, states
from tests.page_text import as_read

CALLOUTS = "notifications/pages/callouts.py"
OUTBOX = "notifications/pages/outbox.py"


def test_start_a_callout_answer_yes_on_the_console_and_see_the_board(app_as, db, world, make_actor):
    w = world(headcount=2, staff=6)
    hub = make_actor("hub_manager")
    page = app_as("hub_manager", CALLOUTS, actor=hub, incident_id=w.incident_id)
    assert not page.exception
    assert any("GSM-7" in c.value and "1 segment(s) of 160" in c.value for c in page.caption)
    [send] = [b for b in page.button if b.label == "Send call-out"]
    send.click().run()
    assert not page.exception
    with unit_of_work(db.engine) as s:
        callout = s.scalar(select(CallOut))
        mobile = s.scalar(select(CallOutRecipient.mobile).where(CallOutRecipient.wave == 1)
                          .order_by(CallOutRecipient.rank))
    assert callout is not None and callout.quorum == 2

    console = app_as("hub_manager", OUTBOX, actor=hub, incident_id=w.incident_id)
    assert not console.exception and len(console.dataframe[0].value) == 4  # the first wave: 2 x 2
    [sender] = [b for b in console.selectbox if b.label == "From"]
    sender.set_value(mobile)
    console.text_input[0].input(f"yes {callout.code}")
    [submit] = [b for b in console.button if b.label == "Send reply"]
    submit.click().run()
    assert not console.exception
    assert any(s.value.startswith("Answered: “Confirmed") for s in console.success)

    page = app_as("hub_manager", CALLOUTS, actor=hub, incident_id=w.incident_id)
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Confirmed"] == "1 / 2" and metrics["Status"] == "open"


def test_a_template_with_a_name_placeholder_is_refused_on_the_page(app_as, db, world, make_actor):
    w = world()
    page = app_as("hub_manager", CALLOUTS, actor=make_actor("hub_manager"), incident_id=w.incident_id)
    page.text_area[0].input("Hello {name}, call-out {code}").run()
    assert any("Unknown placeholder {name}" in as_read(e.value) for e in page.error)


def test_a_caseworker_is_not_shown_the_page_and_the_service_refuses_them(db, world, make_actor):
    from standup.navigation import pages_for

    w = world()
    assert CALLOUTS not in [p.path for p in pages_for(Role.CASEWORKER)]
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        start_callout(s, make_actor("caseworker"), w.requirement_id)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(CallOut)) is None


def test_a_callout_that_calls_the_unanswered_and_a_call_answered_on_the_console(app_as, db, world, make_actor,
                                                                                  frozen_clock):
    w = world(headcount=1, staff=4)
    hub = make_actor("hub_manager")
    page = app_as("hub_manager", CALLOUTS, actor=hub, incident_id=w.incident_id)
    [calls] = [c for c in page.checkbox if c.label == "Call if unanswered"]
    calls.check().run()
    [send] = [b for b in page.button if b.label == "Send call-out"]
    send.click().run()
    assert not page.exception
    with unit_of_work(db.engine) as s:
        callout = s.scalar(select(CallOut))
    assert callout.call_if_unanswered
    frozen_clock.advance(timedelta(minutes=callout.reminder_after_minutes))
    with unit_of_work(db.engine) as s:
        advance_callouts(s)
    place_calls(db.engine)

    console = app_as("hub_manager", OUTBOX, actor=hub, incident_id=w.incident_id)
    assert not console.exception
    assert [b.label for b in console.button if b.label[0] in "12"] == ["1 — accept", "2 — decline"]
    [accept] = [b for b in console.button if b.label == "1 — accept"]
    accept.click().run()
    assert not console.exception
    assert any(as_read(s.value).startswith("They hear: “Thank you. You are confirmed") for s in console.success)
    assert states(db.engine, callout.id)["confirmed"] == 1

    page = app_as("hub_manager", CALLOUTS, actor=hub, incident_id=w.incident_id)
    [people] = [d.value for d in page.dataframe if "sent by" in d.value.columns]
    assert sorted(people["sent by"]) == ["", "", "SMS, Phone call", "SMS, Phone call"]


def test_the_board_and_the_outbox_show_each_persons_preference_beside_the_channel_used(app_as, db, world,
                                                                                       make_actor):
    w = world(headcount=1, staff=2)
    hub = make_actor("hub_manager")
    with unit_of_work(db.engine) as s:
        update_staff(s, hub, w.staff_ids[1], contact_by="call_first")
        start_callout(s, hub, w.requirement_id, quorum=1, call_if_unanswered=True)
    page = app_as("hub_manager", CALLOUTS, actor=hub, incident_id=w.incident_id)
    assert not page.exception
    [people] = [d.value for d in page.dataframe if "sent by" in d.value.columns]
    assert list(zip(people["name"], people["prefers"], people["sent by"], strict=True)) == [
        ("Sam Test00", "SMS then call", "SMS"), ("Sam Test01", "Call first", "SMS, Phone call")]
    outbox = app_as("hub_manager", OUTBOX, actor=hub, incident_id=w.incident_id)
    assert not outbox.exception
    table = outbox.dataframe[0].value
    assert list(zip(table["by"], table["prefers"], strict=True)) == [
        ("Phone call", "Call first"), ("SMS", "Call first"), ("SMS", "SMS then call")]
