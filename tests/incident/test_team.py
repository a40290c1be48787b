"""Scoping (issue 8): a caseworker works only in the incidents they are on the team of, from
assignment until removal; Gold Command and administrators keep the team; other roles see every
incident. Service level first, then the sidebar picker and the team page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from incident.access import accessible_incident_ids, require_incident_access
from incident.lifecycle_service import declare_incident, get_incident, incidents_for_picker
from incident.methane_service import methane_versions
from incident.team_service import assign_to_team, caseworkers_to_assign, incident_team, remove_from_team

TEAM_PAGE = "incident/pages/team.py"


@pytest.fixture
def second_incident(db, gold) -> int:
    with unit_of_work(db.engine) as s:
        return declare_incident(s, gold, "Canal footbridge collapse", is_exercise=False, summary="",
                                reason="M/ETHANE received").id


def _run(db, use_case, *args, **kwargs):
    with unit_of_work(db.engine) as s:
        return use_case(s, *args, **kwargs)


def _allowed(db, actor: Actor, incident_id: int) -> bool:
    try:
        _run(db, require_incident_access, actor, incident_id)
    except PermissionDenied:
        return False
    return True


def test_an_assigned_caseworker_works_in_that_incident_only(db, make_actor, gold, incident_id, second_incident):
    caseworker = make_actor("caseworker")
    _run(db, assign_to_team, gold, incident_id, caseworker.user_id)
    assert _allowed(db, caseworker, incident_id)
    assert not _allowed(db, caseworker, second_incident)
    assert _run(db, accessible_incident_ids, caseworker) == {incident_id}
    assert _run(db, get_incident, caseworker, incident_id).id == incident_id
    with pytest.raises(PermissionDenied, match="not on this incident's team"):
        _run(db, get_incident, caseworker, second_incident)
    with pytest.raises(PermissionDenied):
        _run(db, methane_versions, caseworker, second_incident)


def test_an_unassigned_caseworker_is_refused_everywhere(db, make_actor, incident_id):
    caseworker = make_actor("caseworker")
    assert not _allowed(db, caseworker, incident_id)
    assert _run(db, accessible_incident_ids, caseworker) == set()
    assert _run(db, incidents_for_picker, caseworker) == []


def test_a_removed_caseworker_is_refused_from_then_on_and_the_history_stays(db, make_actor, gold, incident_id,
                                                                            frozen_clock):
    caseworker = make_actor("caseworker")
    _run(db, assign_to_team, gold, incident_id, caseworker.user_id)
    frozen_clock.advance(timedelta(hours=3))
    _run(db, remove_from_team, gold, incident_id, caseworker.user_id, "  moved to the Hub rota ")
    assert not _allowed(db, caseworker, incident_id)
    assert _run(db, accessible_incident_ids, caseworker) == set()
    (past,) = _run(db, incident_team, gold, incident_id)
    assert not past.current and past.removed_by == gold.display_name and past.removal_reason == "moved to the Hub rota"
    assert past.removed_at - past.assigned_at == timedelta(hours=3)
    _run(db, assign_to_team, gold, incident_id, caseworker.user_id)  # back again: a new period, both kept
    assert _allowed(db, caseworker, incident_id)
    assert [m.current for m in _run(db, incident_team, gold, incident_id)] == [True, False]


@pytest.mark.parametrize("role", ["gold", "hub_manager", "agency_coordinator", "admin", "auditor"])
def test_other_roles_see_every_incident(db, make_actor, incident_id, second_incident, role):
    actor = make_actor(role)
    assert _allowed(db, actor, incident_id) and _allowed(db, actor, second_incident)
    assert _run(db, accessible_incident_ids, actor) is None
    assert {i.id for i in _run(db, incidents_for_picker, actor)} == {incident_id, second_incident}


def test_the_system_actor_is_not_scoped(db, incident_id):
    assert _allowed(db, Actor.system("worker"), incident_id)
    assert _run(db, accessible_incident_ids, Actor.system("worker")) is None


def test_the_picker_lists_only_a_caseworkers_incidents(db, make_actor, gold, incident_id, second_incident):
    caseworker = make_actor("caseworker")
    _run(db, assign_to_team, gold, second_incident, caseworker.user_id)
    assert [i.id for i in _run(db, incidents_for_picker, caseworker)] == [second_incident]


@pytest.mark.parametrize("role", ["gold", "admin"])
def test_gold_and_admin_assign_and_remove_and_it_is_audited(db, make_actor, incident_id, role):
    manager, caseworker = make_actor(role), make_actor("caseworker")
    member = _run(db, assign_to_team, manager, incident_id, caseworker.user_id)
    _run(db, remove_from_team, manager, incident_id, caseworker.user_id, "rota change")
    with unit_of_work(db.engine) as s:
        events = s.query(AuditEvent).filter_by(entity="incident_team_member").order_by(AuditEvent.id).all()
        assert [(e.action, e.actor, e.entity_id, e.incident_id, e.detail) for e in events] == [
            ("assign", manager.username, str(member.id), incident_id, f"user {caseworker.user_id}"),
            ("remove", manager.username, str(member.id), incident_id, f"user {caseworker.user_id}"),
        ]
        assert events[1].reason == "rota change"


@pytest.mark.parametrize("role", ["hub_manager", "agency_coordinator", "caseworker", "auditor"])
def test_only_gold_and_admin_may_keep_the_team(db, make_actor, gold, incident_id, role):
    actor, caseworker = make_actor(role), make_actor("caseworker")
    with pytest.raises(PermissionDenied):
        _run(db, assign_to_team, actor, incident_id, caseworker.user_id)
    _run(db, assign_to_team, gold, incident_id, caseworker.user_id)
    with pytest.raises(PermissionDenied):
        _run(db, remove_from_team, actor, incident_id, caseworker.user_id)
    with pytest.raises(PermissionDenied):
        _run(db, caseworkers_to_assign, actor, incident_id)
    assert _allowed(db, caseworker, incident_id)  # still on the team


def test_bad_assignments_are_refused_with_a_reason(db, make_actor, gold, incident_id):
    caseworker, hub_manager = make_actor("caseworker"), make_actor("hub_manager")
    with pytest.raises(InputError, match="not a caseworker"):
        _run(db, assign_to_team, gold, incident_id, hub_manager.user_id)
    with pytest.raises(InputError, match="Choose a caseworker"):
        _run(db, assign_to_team, gold, incident_id, None)
    with pytest.raises(InputError, match="does not exist"):
        _run(db, assign_to_team, gold, incident_id, 999_999)
    with pytest.raises(InputError, match="not on this incident's team"):
        _run(db, remove_from_team, gold, incident_id, caseworker.user_id)
    _run(db, assign_to_team, gold, incident_id, caseworker.user_id)
    with pytest.raises(InputError, match="already on this incident's team"):
        _run(db, assign_to_team, gold, incident_id, caseworker.user_id)
    assert [m.user_id for m in _run(db, incident_team, gold, incident_id)] == [caseworker.user_id]


def test_the_choices_are_active_caseworkers_not_on_the_team(db, make_actor, gold, incident_id):
    on, off = make_actor("caseworker"), make_actor("caseworker")
    make_actor("hub_manager")
    _run(db, assign_to_team, gold, incident_id, on.user_id)
    assert [uid for uid, _ in _run(db, caseworkers_to_assign, gold, incident_id)] == [off.user_id]


def test_the_team_page_adds_and_removes_a_caseworker(app_as, db, make_actor, gold, incident_id):
    caseworker = make_actor("caseworker")
    at = app_as("gold", TEAM_PAGE, actor=gold, incident_id=incident_id)
    assert not at.exception
    at.selectbox(key="team_add_user").select_index(0)  # a form sends its widgets with the submit
    at.button(key="FormSubmitter:team_add-Add to the team").click().run()
    assert not at.exception
    assert any("added to the team" in s.value for s in at.success)
    assert list(at.dataframe[0].value["username"]) == [caseworker.username]
    assert _allowed(db, caseworker, incident_id)
    at.text_input(key="team_remove_reason").input("off shift for a week")
    at.button(key="FormSubmitter:team_remove-Remove").click().run()
    assert any("no longer see this incident" in s.value for s in at.success)
    assert not _allowed(db, caseworker, incident_id)


def test_the_sidebar_picker_shows_a_caseworker_only_their_incidents(app_as, db, make_actor, gold, incident_id,
                                                                    second_incident):
    caseworker = make_actor("caseworker")
    _run(db, assign_to_team, gold, second_incident, caseworker.user_id)
    at = app_as("caseworker", actor=caseworker, incident_id=incident_id)  # a stale choice is not kept
    assert not at.exception
    picker = at.sidebar.selectbox(key="incident_picker")
    assert picker.options == ["Canal footbridge collapse (declared)"]
    assert at.session_state["incident_id"] == second_incident
    gold_view = app_as("gold", actor=gold)
    assert len(gold_view.sidebar.selectbox(key="incident_picker").options) == 2
