"""`standup demo`: the exercise incident is mid-response and every part of Gold's page has content."""

from core.auth.roles import Actor
from core.clock import now
from core.db import unit_of_work
from incident.command_service import handovers
from incident.decision_service import verify_decision_log
from incident.delegation_service import delegations
from incident.gold_queries import gold_board
from incident.hub_service import hubs
from incident.methane_service import methane_versions
from incident.team_service import incident_team
from standup.demo import build_demo


def test_the_demo_incident_is_mid_response(db, frozen_clock):
    started = now()
    result = build_demo(db.engine, seed=7)
    assert now() == started  # the replayed clock was put back
    viewer = Actor.system("test")
    with unit_of_work(db.engine) as s:
        board = gold_board(s, viewer, result.incident_id)
        versions = methane_versions(s, viewer, result.incident_id)
        sites = hubs(s, viewer, result.incident_id)
        logged_handovers = handovers(s, viewer, result.incident_id)
        broken = verify_decision_log(s, viewer, result.incident_id)
        team = incident_team(s, viewer, result.incident_id)
    assert board.incident.is_exercise and board.incident.status == "response"
    assert board.since_declared == "4 h 30 min"
    assert len(versions) >= 3 and len({v.casualties for v in versions}) == len(versions)
    assert len(board.log) >= 10 and sum(1 for line in board.log if line.corrected_by) == 1
    assert any(line.entry.late_reason for line in board.log if not line.corrects)
    assert {card.stage for card in board.board} == {"requested", "standing_up", "operational", "stood_down"}
    assert len(sites) == 2 and len(logged_handovers) == 1 and broken.intact
    assert all(item.at <= now() for item in board.timeline)
    assert [m.username for m in team if m.current] == ["caseworker"]  # the demo caseworker sees the exercise
    # Every request and stand-down names its decision, but one agreed by phone and logged afterwards.
    authorities = [step.authority for card in board.board for step in card.authorised_steps]
    assert all(a is not None for a in authorities) and len(authorities) == len(board.board) + 1
    assert sum(a.sequence is None for a in authorities) == 1
    with unit_of_work(db.engine) as s:
        assert [line.in_force_today for line in delegations(s, viewer)] == [True]
    assert {"pcc"} <= {login.username for login in result.logins}
