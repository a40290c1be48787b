"""M/ETHANE: every part required, versions kept, and what changed between versions."""

import dataclasses
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from core.errors import InputError
from incident.lifecycle_service import change_status
from incident.methane import cleaned, diff
from incident.methane_service import latest_methane, methane_versions, submit_methane
from incident.model import MethaneReport
from incident.team_service import assign_to_team
from tests.factories import FIRST_METHANE as FIRST


def test_diff_of_a_first_version_lists_every_filled_part():
    changes = diff(None, FIRST)
    assert [c.part for c in changes] == ["major_incident", "exact_location", "latitude", "longitude",
                                         "cordon_radius_m", "incident_type", "hazards", "access", "casualties",
                                         "emergency_services"]
    assert all(c.before is None for c in changes)


def test_diff_names_exactly_what_changed():
    later = dataclasses.replace(FIRST, casualties="22 dead, 59 injured", cordon_radius_m=250.0)
    changes = diff(FIRST, later)
    assert [(c.part, c.before, c.after) for c in changes] == [
        ("cordon_radius_m", 400.0, 250.0), ("casualties", "Not known; many walking wounded", "22 dead, 59 injured")]
    assert changes[1].label.startswith("N —")
    assert diff(FIRST, FIRST) == []


@given(st.text(max_size=20), st.text(max_size=20))
def test_diff_is_empty_exactly_when_versions_are_equal(a, b):
    one, two = dataclasses.replace(FIRST, hazards=a), dataclasses.replace(FIRST, hazards=b)
    assert (diff(one, two) == []) == (a == b)


@pytest.mark.parametrize(("change", "message"), [
    ({"hazards": "  "}, "missing: H — Hazards"),
    ({"access": "", "casualties": ""}, "A — Access, N — Number"),
    ({"major_incident": "maybe"}, "M must be one of"),
    ({"latitude": 48.85, "longitude": 2.35}, "outside the United Kingdom"),
    ({"cordon_radius_m": 0.0}, "more than 0 metres"),
    ({"cordon_radius_m": -50.0}, "more than 0 metres"),
    ({"cordon_radius_m": 120_000.0}, "give it in metres"),
    ({"latitude": None, "longitude": None}, "A cordon needs a location"),
    ({"longitude": None}, "both latitude and longitude"),
])
def test_bad_messages_are_refused(change, message):
    with pytest.raises(InputError, match=message):
        cleaned(dataclasses.replace(FIRST, **change))


def test_text_is_trimmed_and_no_cordon_is_fine():
    kept = cleaned(dataclasses.replace(FIRST, hazards="  gas  ", cordon_radius_m=None))
    assert kept.hazards == "gas" and kept.cordon_radius_m is None


def test_each_update_is_a_new_version_and_old_ones_are_kept(db, gold, incident_id, frozen_clock):
    second = dataclasses.replace(FIRST, casualties="22 dead, 59 injured")
    with unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, FIRST)
    frozen_clock.advance(timedelta(minutes=30))
    with unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, second)
    with unit_of_work(db.engine) as s:
        versions = methane_versions(s, gold, incident_id)
        latest = latest_methane(s, gold, incident_id)
    assert [(v.version, v.casualties) for v in versions] == [(1, FIRST.casualties), (2, "22 dead, 59 injured")]
    assert latest.version == 2 and latest.created_by_id == gold.user_id
    assert versions[1].created_at - versions[0].created_at == timedelta(minutes=30)


def test_an_unchanged_message_saves_no_version(db, gold, incident_id):
    with unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, FIRST)
    with pytest.raises(InputError, match="Nothing changed since version 1"), unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, FIRST)


def test_a_bad_version_saves_nothing(db, gold, incident_id):
    with pytest.raises(InputError), unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, dataclasses.replace(FIRST, cordon_radius_m=0.0))
    with unit_of_work(db.engine) as s:
        assert methane_versions(s, gold, incident_id) == []


def test_a_closed_incident_takes_no_new_methane(db, gold, incident_id):
    with unit_of_work(db.engine) as s:
        change_status(s, gold, incident_id, "cancelled", "false alarm")
    with pytest.raises(InputError, match="cancelled"), unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, FIRST)


def test_caseworkers_on_the_team_read_but_do_not_write(db, make_actor, gold, incident_id):
    caseworker = make_actor("caseworker")
    with unit_of_work(db.engine) as s:
        assign_to_team(s, gold, incident_id, caseworker.user_id)
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        submit_methane(s, caseworker, incident_id, FIRST)
    with unit_of_work(db.engine) as s:
        assert methane_versions(s, caseworker, incident_id) == []


@pytest.mark.parametrize("statement", ["UPDATE methane_report SET casualties = 'none'", "DELETE FROM methane_report"])
def test_the_database_refuses_to_rewrite_a_version(db, gold, incident_id, statement):
    with unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, FIRST)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    with unit_of_work(db.engine) as s:
        assert [m.casualties for m in s.query(MethaneReport)] == [FIRST.casualties]
