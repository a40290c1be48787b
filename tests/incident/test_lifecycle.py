"""The incident status lifecycle: every allowed and refused move, and who/when/why for each."""

from datetime import timedelta

import pytest

from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from incident.lifecycle import (
    ACTIVATION_MOVES,
    INCIDENT_MOVES,
    check_activation_move,
    check_incident_move,
    next_stages,
)
from incident.lifecycle_service import change_status, open_incident, status_history
from incident.model import ActivationStage, Incident, IncidentStatus, IncidentStatusChange

S = IncidentStatus
ALLOWED = {
    (S.STANDBY, S.DECLARED), (S.STANDBY, S.CANCELLED), (S.DECLARED, S.RESPONSE), (S.DECLARED, S.CANCELLED),
    (S.RESPONSE, S.RECOVERY), (S.RECOVERY, S.STOOD_DOWN),
}
A = ActivationStage
ALLOWED_STAGES = {
    (A.REQUESTED, A.STANDING_UP), (A.STANDING_UP, A.OPERATIONAL), (A.REQUESTED, A.STOOD_DOWN),
    (A.STANDING_UP, A.STOOD_DOWN), (A.OPERATIONAL, A.STOOD_DOWN),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_incident_move_is_allowed_or_refused_with_the_options(current, target):
    if (current, target) in ALLOWED:
        check_incident_move(current, target)
    else:
        with pytest.raises(InputError, match="cannot go from") as refused:
            check_incident_move(current, target)
        allowed = sorted(t.value.replace("_", " ") for c, t in ALLOWED if c == current)
        assert all(a in str(refused.value) for a in allowed)
    assert {(c, t) for c, ts in INCIDENT_MOVES.items() for t in ts} == ALLOWED


@pytest.mark.parametrize("current", list(A))
@pytest.mark.parametrize("target", list(A))
def test_every_activation_move_is_allowed_or_refused(current, target):
    if (current, target) in ALLOWED_STAGES:
        check_activation_move(current, target)
    else:
        with pytest.raises(InputError, match="cannot go from"):
            check_activation_move(current, target)
    assert {(c, t) for c, ts in ACTIVATION_MOVES.items() for t in ts} == ALLOWED_STAGES


def test_an_unknown_status_is_named():
    with pytest.raises(InputError, match="Unknown status 'panic'"):
        check_incident_move("standby", "panic")


def test_the_whole_lifecycle_records_who_when_and_why(db, gold, frozen_clock):
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, gold, "Station fire", is_exercise=False).id
    steps = [S.DECLARED, S.RESPONSE, S.RECOVERY, S.STOOD_DOWN]
    for n, step in enumerate(steps):
        frozen_clock.advance(timedelta(minutes=10))
        with unit_of_work(db.engine) as s:
            change_status(s, gold, incident_id, step.value, f"reason {n}")
    with unit_of_work(db.engine) as s:
        history = status_history(s, gold, incident_id)
        incident = s.get(Incident, incident_id)
    assert [(h.from_status, h.to_status) for h in history] == [
        ("", "standby"), ("standby", "declared"), ("declared", "response"), ("response", "recovery"),
        ("recovery", "stood_down")]
    assert [h.reason for h in history[1:]] == ["reason 0", "reason 1", "reason 2", "reason 3"]
    assert {h.by_user_id for h in history} == {gold.user_id}
    assert [h.at - history[0].at for h in history] == [timedelta(minutes=10 * n) for n in range(5)]
    assert incident.status == "stood_down"
    assert incident.declared_at == history[1].at and incident.closed_at == history[4].at


@pytest.mark.parametrize(("target", "reason", "message"), [
    ("recovery", "moving on", "cannot go from declared to recovery"),  # skips response
    ("standby", "back", "cannot go from declared to standby"),
    ("response", "  ", "Say why"),
])
def test_a_refused_move_saves_nothing(db, gold, incident_id, target, reason, message):
    with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
        change_status(s, gold, incident_id, target, reason)
    with unit_of_work(db.engine) as s:
        assert s.get(Incident, incident_id).status == "declared"
        assert s.query(IncidentStatusChange).filter_by(incident_id=incident_id).count() == 2


def test_a_closed_incident_moves_nowhere(db, gold):
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, gold, "False alarm", is_exercise=True).id
        change_status(s, gold, incident_id, "cancelled", "call was a hoax")
    with pytest.raises(InputError, match="it may go to: none"), unit_of_work(db.engine) as s:
        change_status(s, gold, incident_id, "declared", "changed our mind")


def test_the_same_name_on_the_same_day_is_refused_but_not_the_next_day(db, gold, frozen_clock):
    with unit_of_work(db.engine) as s:
        open_incident(s, gold, "Arena  explosion", is_exercise=False)
    with pytest.raises(InputError, match="already opened today"), unit_of_work(db.engine) as s:
        open_incident(s, gold, " Arena explosion ", is_exercise=True)
    frozen_clock.advance(timedelta(days=1))
    with unit_of_work(db.engine) as s:
        open_incident(s, gold, "Arena explosion", is_exercise=False)
        assert s.query(Incident).count() == 2


@pytest.mark.parametrize("role", ["caseworker", "hub_manager", "agency_coordinator", "admin", "auditor"])
def test_only_gold_declares_and_moves_the_status(db, make_actor, gold, role):
    other = make_actor(role)
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        open_incident(s, other, "Not yours", is_exercise=False)
    with unit_of_work(db.engine) as s:
        incident_id = open_incident(s, gold, "Gold's", is_exercise=False).id
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        change_status(s, other, incident_id, "declared", "trying")


@pytest.mark.parametrize("stage", ["requested", "standing_up", "operational", "stood_down"])
def test_an_ended_incidents_services_may_only_stand_down(stage):
    assert next_stages(stage, incident_closed=True) == [s for s in next_stages(stage) if s == "stood_down"]


def test_a_same_named_incident_slipping_in_between_check_and_insert_gets_the_same_message(db, gold, frozen_clock,
                                                                                         monkeypatch):
    """Another writer's incident of the same name lands after our check and before our insert."""
    import incident.lifecycle_service as service
    from core.clock import london, now

    checked, calls = service._name_taken, []

    def check_then_let_the_other_writer_in(session, name, day):
        taken = checked(session, name, day)
        calls.append(taken)
        if len(calls) > 1:
            return taken
        session.execute(Incident.__table__.insert().values(name=name, is_exercise=False, status="standby",
                                                           summary="", opened_on=london(now()).date(),
                                                           created_at=now()))
        return taken

    monkeypatch.setattr(service, "_name_taken", check_then_let_the_other_writer_in)
    with pytest.raises(InputError, match="was already opened today; choose another name"), \
            unit_of_work(db.engine) as s:
        open_incident(s, gold, "Arena explosion", is_exercise=False)
    assert calls == [False, True]  # the first look saw no clash; the insert found one


def test_two_same_named_incidents_opened_at_once_give_one_incident_and_one_clear_refusal(db, gold, frozen_clock,
                                                                                        monkeypatch):
    if db.kind == "sqlite":
        pytest.skip("SQLite units of work hold the write lock from their first statement: two openings "
                    "cannot both pass the check (the test above covers the message)")
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import incident.lifecycle_service as service

    both_checked = threading.Barrier(2, timeout=30)
    checked = service._name_taken

    first_look = threading.local()

    def check_together(session, name, day):
        taken = checked(session, name, day)
        if not getattr(first_look, "done", False):
            first_look.done = True
            both_checked.wait()  # each has seen no clash before either inserts
        return taken

    monkeypatch.setattr(service, "_name_taken", check_together)

    def open_it(tab: int):
        try:
            with unit_of_work(db.engine) as s:
                return open_incident(s, gold, "Arena explosion", is_exercise=False).id
        except InputError as refusal:
            return str(refusal)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(open_it, (1, 2)))
    assert sorted(map(type, results), key=str) == [int, str]
    assert next(r for r in results if isinstance(r, str)) == (
        "An incident named 'Arena explosion' was already opened today; choose another name.")
    with unit_of_work(db.engine) as s:
        assert s.query(Incident).count() == 1
