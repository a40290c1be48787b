"""Each role's home page says what needs them now, on the exercise demo: Gold the risks, the
services not yet standing up and the decisions since the last report; the hub manager the shifts
short in the next 24 hours and the call-outs still asking; a caseworker their day; a coordinator
the requests waiting for their agency's answer."""

from __future__ import annotations

from sqlalchemy import select

from core.db import unit_of_work
from incident.team_service import assign_to_team
from notifications.mobilisation_service import request_staff
from pathways.caseload_service import assign_key_worker
from pathways.model import Person
from rosters.coverage_queries import gaps
from standup.demo import build_demo
from standup.home_queries import home_for
from standup.sitrep.figures import NEXT_HOURS, build_sitrep
from tests.callout_traffic import HUB


def _home(db, actor, incident_id):
    with unit_of_work(db.engine) as s:
        return home_for(s, actor, incident_id)


def test_each_role_is_told_what_needs_it_now(db, frozen_clock, make_actor, app_as):
    incident_id = build_demo(db.engine).incident_id
    gold, hub, caseworker = make_actor("gold"), make_actor("hub_manager"), make_actor("caseworker")
    coordinator = make_actor("agency_coordinator", agency="Victim Support")
    with unit_of_work(db.engine) as s:
        assign_to_team(s, HUB, incident_id, caseworker.user_id)
        # Their caseload: every open case of the demo (a closed case takes no key worker; the demo
        # discharges a few people to show the feedback survey).
        for person_id in s.scalars(select(Person.id).where(Person.incident_id == incident_id,
                                                           Person.status == "open")):
            assign_key_worker(s, HUB, person_id, caseworker.user_id)
        risks = build_sitrep(s, gold, incident_id).risks
        short = gaps(s, hub, incident_id, within=NEXT_HOURS)
        request_staff(s, HUB, incident_id, coordinator.agency_id)

    gold_home = _home(db, gold, incident_id)
    texts = [w.text for w in gold_home.waiting]
    assert risks and all(any(r.lower() in t.lower() for t in texts) for r in risks)  # every risk, urgent first
    assert [w.urgent for w in gold_home.waiting] == sorted((w.urgent for w in gold_home.waiting), reverse=True)
    assert any("logged" in t and "decision" in t for t in texts)

    hub_texts = [w.text for w in _home(db, hub, incident_id).waiting]
    assert short and len([t for t in hub_texts if " of " in t]) == len(short)
    assert any(t.startswith("Call-out ") and "still asking" in t for t in hub_texts)

    case_home = _home(db, caseworker, incident_id)
    assert case_home.waiting and {w.page for w in case_home.waiting} == {"pathways/pages/my_day.py"}
    assert any(w.text.endswith("people to tell of a justice milestone") for w in case_home.waiting)  # the charge

    (request_line,) = _home(db, coordinator, incident_id).waiting
    assert "how many staff your agency can send" in request_line.text
    assert request_line.page == "notifications/pages/requests.py"

    page = app_as("gold", actor=gold, incident_id=incident_id)  # the shell opens on Home
    assert not page.exception
    assert [h.value for h in page.subheader][:1] == ["What needs you now"]
    assert any(risks[0][1:] in e.value for e in page.error)
