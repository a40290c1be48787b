"""Gold's dashboard shares one count of an incident's figures for each refresh period
(standup/sitrep/dashboard_figures.py): on the demo beside a live incident, what it shows is a full
recount's, for each incident on its own; a change shows once the period is over, never later; and
only the roles that may read the report get it."""

from __future__ import annotations

import pytest

from core.auth.roles import PermissionDenied
from core.db import unit_of_work
from notifications.model import OutboundStatus
from standup.sitrep import dashboard_figures
from standup.sitrep.dashboard_figures import REFRESH_SECONDS, dashboard_sitrep, dashboard_trends
from standup.sitrep.figures import build_sitrep
from standup.sitrep.trends import trends
from tests import factories

FAILED = ("Messages", "Text messages failed or undelivered")


class Later:
    """time.monotonic as the shared counts read it, moved on by hand."""

    def __init__(self, monkeypatch) -> None:
        self.offset = 0.0
        real = dashboard_figures.time.monotonic
        monkeypatch.setattr(dashboard_figures.time, "monotonic", lambda: real() + self.offset)


def _counts(report) -> dict:
    return {(f.section, f.label): f.value for f in report.figures}


def test_the_dashboard_shows_a_full_recount_of_each_incident(db, frozen_clock, two_incidents, make_actor):
    two = two_incidents()
    gold = make_actor("gold")
    for incident_id in (two.exercise_id, two.live_id):
        with unit_of_work(db.engine) as s:
            shown, recount = dashboard_sitrep(s, gold, incident_id), build_sitrep(s, gold, incident_id)
            shown_trends, trends_recount = dashboard_trends(s, gold, incident_id), trends(s, gold, incident_id)
        assert _counts(shown) == _counts(recount)
        assert shown.hubs == recount.hubs and shown.risks == recount.risks
        assert shown_trends == trends_recount
    with unit_of_work(db.engine) as s:
        exercise, live = dashboard_sitrep(s, gold, two.exercise_id), dashboard_sitrep(s, gold, two.live_id)
    assert exercise.value("People", "People registered") > live.value("People", "People registered") == two.live_people


def test_a_change_shows_when_the_refresh_period_is_over(db, frozen_clock, two_incidents, make_actor, monkeypatch):
    two = two_incidents()
    gold, later = make_actor("gold"), Later(monkeypatch)
    with unit_of_work(db.engine) as s:
        before = dashboard_sitrep(s, gold, two.live_id).value(*FAILED)
    factories.text_message(db, to="+447400900002", body="x", incident_id=two.live_id, status=OutboundStatus.FAILED)
    later.offset = REFRESH_SECONDS - 1
    with unit_of_work(db.engine) as s:
        assert dashboard_sitrep(s, gold, two.live_id).value(*FAILED) == before  # the count shared this period
        assert build_sitrep(s, gold, two.live_id).value(*FAILED) == before + 1
    later.offset = REFRESH_SECONDS
    with unit_of_work(db.engine) as s:
        shown, recount = dashboard_sitrep(s, gold, two.live_id), build_sitrep(s, gold, two.live_id)
    assert shown.value(*FAILED) == before + 1
    assert _counts(shown) == _counts(recount)


@pytest.mark.parametrize("role", ["caseworker", "agency_coordinator"])
def test_roles_without_the_report_are_refused_before_anything_is_counted(db, make_actor, role):
    incident_id = factories.incident(db)
    with unit_of_work(db.engine) as s:
        with pytest.raises(PermissionDenied):
            dashboard_sitrep(s, make_actor(role), incident_id)
        with pytest.raises(PermissionDenied):
            dashboard_trends(s, make_actor(role), incident_id)
    assert not dashboard_figures._FIGURES._kept and not dashboard_figures._TRENDS._kept
