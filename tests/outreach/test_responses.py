"""Response tracking per cohort and round: invited, delivered, link opened, completed, positive, urgent
alerts, opted out, bounced, and the people who opened but did not finish, to call."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from notifications.model import OutboundMessage, OutboundStatus
from notifications.outbox_service import set_opt_out, set_status
from outreach.check_service import AboutYou, submit_check
from outreach.invitation_service import send_invitations
from outreach.link_service import mark_opened, save_draft, unsubscribe
from outreach.response_queries import Responses, opened_not_finished, responses
from tests import factories

SYSTEM = Actor.system("test")
PEOPLE = ("first_name,last_name,email,mobile\r\n"
          "Amira,Haddad,amira@example.org,07400 500001\r\n"
          "Ben,Jones,ben@example.org,\r\n"
          "Cara,Lee,,07400 500003\r\n"
          "Dev,Patel,dev@example.org,\r\n"
          "Eve,Adams,,07400 500005\r\n")
_LINK = re.compile(r"/support/check/([A-Za-z0-9_-]+)")


@pytest.fixture
def world(db, frozen_clock):
    incident_id = factories.incident(db, "Arena", is_exercise=False)
    factories.outreach_ready(db, incident_id)
    factories.cohort(db, incident_id, PEOPLE, "Tickets")
    links = {}
    with unit_of_work(db.engine) as s:
        send_invitations(s, SYSTEM, incident_id, "Tickets", links=links)
        messages = {m.destination: m for m in s.scalars(select(OutboundMessage))}
        for destination, status in (("+447400500001", OutboundStatus.DELIVERED), ("amira@example.org",
                                    OutboundStatus.FAILED), ("ben@example.org", OutboundStatus.UNDELIVERED),
                                    ("+447400500003", OutboundStatus.DELIVERED)):
            set_status(s, messages[destination], OutboundStatus.SENT, "callback")
            set_status(s, messages[destination], status, "callback")
        token = {m.destination: _LINK.search(m.body).group(1) for m in messages.values()}
        set_opt_out(s, "sms", "+447400500005", True, via="SMstop")  # Eve texts STOP
    with unit_of_work(db.engine) as s:
        unsubscribe(s, token["dev@example.org"])
        mark_opened(s, token["amira@example.org"])
        mark_opened(s, token["ben@example.org"])
        save_draft(s, token["ben@example.org"], {"age": 40}, "phq-9")
    with unit_of_work(db.engine) as s:
        submit_check(s, token["amira@example.org"], {"PCL-5": [2] * 20, "PHQ-9": [0] * 8 + [1], "GAD-7": [0] * 7},
                     AboutYou(consent=True, age=40))
    return incident_id


def test_each_round_is_counted_from_what_happened(db, world, make_actor):
    hub = make_actor("hub_manager")
    with unit_of_work(db.engine) as s:
        [first] = responses(s, hub, world)
    assert (first.cohort, first.round) == ("Tickets", 1)
    assert first.counts == Responses(invited=5, delivered=2, opened=2, completed=1, positive=1, urgent_alerts=1,
                                     opted_out=2, bounced=2, unfinished=1)
    with unit_of_work(db.engine) as s:
        send_invitations(s, SYSTEM, world, "Tickets", round_number=2)
        rounds = responses(s, hub, world)
    assert [(r.round, r.counts.invited, r.counts.opted_out) for r in rounds] == [(1, 5, 2), (2, 3, 0)]


def test_those_who_opened_but_did_not_finish_are_listed_for_a_call(db, world, make_actor):
    hub = make_actor("hub_manager")
    with unit_of_work(db.engine) as s:
        [ben] = opened_not_finished(s, hub, world)
    assert (ben.name, ben.email, ben.mobile, ben.cohort, ben.round, ben.progress, ben.asked_for_no_messages) == (
        "Ben Jones", "ben@example.org", None, "Tickets", 1, "phq-9", False)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity == "contact", AuditEvent.action == "view")) == 1


def test_another_incidents_responses_are_its_own(db, world, make_actor):
    other = factories.incident(db, "Elsewhere")
    hub = make_actor("hub_manager")
    with unit_of_work(db.engine) as s:
        assert responses(s, hub, other) == [] and opened_not_finished(s, hub, other) == []


def test_only_those_who_run_outreach_see_the_responses(db, world, make_actor):
    for role in ("gold", "agency_coordinator", "admin", "auditor"):
        with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
            responses(s, make_actor(role), world)
    with pytest.raises(PermissionDenied, match="not on this incident's team"), unit_of_work(db.engine) as s:
        opened_not_finished(s, make_actor("caseworker"), world)
