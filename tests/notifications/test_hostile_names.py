"""Staff and hub names carrying HTML, script and Markdown on the call-out board and the SMS
outbox: shown as typed (as data in tables), never read as Markdown anywhere on the page."""

from __future__ import annotations

from sqlalchemy import select

from core.db import unit_of_work
from notifications.callout_service import start_callout
from notifications.model import CallOutRecipient
from tests.callout_traffic import HUB
from tests.hostile_names import FIRST, HUB_NAME, LAST, assert_inert


def hostile_world(db, world):
    w = world(headcount=1, staff=3, hub_name=HUB_NAME, staff_name=(FIRST, LAST))
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=1)
        code = callout.code
        mobile = s.scalar(select(CallOutRecipient.mobile).where(CallOutRecipient.callout_id == callout.id)
                          .order_by(CallOutRecipient.rank).limit(1))
    return w, code, mobile


def test_the_call_out_board_shows_hostile_names_as_data(app_as, db, world, make_actor):
    w, _code, _mobile = hostile_world(db, world)
    hub = make_actor("hub_manager")
    page = app_as("hub_manager", "notifications/pages/callouts.py", actor=hub, incident_id=w.incident_id)
    assert_inert(page, FIRST, LAST, HUB_NAME)
    people = next(d.value for d in page.dataframe if "name" in d.value.columns)
    assert set(people["name"]) == {f"{FIRST} {LAST}"}
    assert any(HUB_NAME in c.value for c in page.code)  # the preview, exactly as it will be texted
    [person] = [s for s in page.selectbox if s.label == "Person"]
    assert person.options[0].startswith(f"{FIRST} {LAST}")
    [record] = [b for b in page.button if b.label == "Record answer"]
    record.click().run()  # a YES by phone: the reply they would be told names the hub
    assert any(s.value.startswith("Recorded.") for s in page.success)
    assert_inert(page, FIRST, LAST, HUB_NAME)


def test_the_outbox_shows_hostile_names_as_data(app_as, db, world, make_actor):
    w, code, mobile = hostile_world(db, world)
    hub = make_actor("hub_manager")
    page = app_as("hub_manager", "notifications/pages/outbox.py", actor=hub, incident_id=w.incident_id)
    assert_inert(page, HUB_NAME)
    assert all(HUB_NAME in text for text in page.dataframe[0].value["text"])
    [sender] = [b for b in page.selectbox if b.label == "From"]
    sender.set_value(mobile)
    [message] = [t for t in page.text_input if t.label == "Message"]
    message.input(f"YES {code}")
    [submit] = [b for b in page.button if b.label == "Send reply"]
    submit.click().run()
    assert any(s.value.startswith("Answered:") for s in page.success)
    assert_inert(page, FIRST, LAST, HUB_NAME)
