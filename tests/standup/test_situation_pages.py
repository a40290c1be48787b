"""Gold's dashboard and the situation map: drawn for the roles allowed, refused to the others,
and the map's people layer counts areas, never draws a person, and escapes every string."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.audit.model import AuditEvent
from core.auth.roles import Actor, PermissionDenied
from core.db import unit_of_work
from core.maps import map_safe
from incident.methane import Methane
from incident.methane_service import submit_methane
from incident.team_service import assign_to_team
from notifications.model import OutboundStatus
from standup.sitrep.figures import export_sitrep
from standup.sitrep.last_report import counts_in
from standup.situation_map import (
    AreaCount,
    ForceReferrals,
    MapPicture,
    Scene,
    Site,
    build_map,
    shown_count,
)
from standup.situation_queries import situation_picture
from tests import factories
from tests.map_literals import HOSTILE_NAMES, assert_shown_as_text
from tests.page_text import as_read

DASHBOARD = "standup/pages/dashboard.py"
MAP = "standup/pages/map.py"
HOSTILE = "<script>alert(1)</script>"
TEMPLATE_BREAK = "`${alert(2)}` \\x"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_gold_sees_the_live_figures_charts_and_downloads(db, frozen_clock, two_incidents, app_as):
    two = two_incidents()
    at = app_as("gold", DASHBOARD, incident_id=two.live_id)
    assert not at.exception
    assert at.title[0].value == "Situation"
    metrics = _metrics(at)
    assert metrics["People registered"] == str(two.live_people)
    assert metrics["Urgent alerts"] == "1"
    assert metrics["Failed messages"] == "2"
    assert any("text messages failed" in e.value for e in at.error)
    assert len(at.get("vega_lite_chart")) == 4  # roles, and three trends
    assert at.radio(key=f"sitrep_format_{two.live_id}").options == ["MD", "JSON", "CSV", "PDF"]
    assert not at.get("download_button")  # a report is made when asked for, for someone


def test_the_dashboard_reads_in_the_briefing_order_with_changes_since_the_last_report(db, frozen_clock, two_incidents,
                                                                                       app_as, make_actor):
    two = two_incidents()
    gold = make_actor("gold")
    with unit_of_work(db.engine) as s:
        export_sitrep(s, gold, two.live_id, "pdf", recipient="SCG")
    frozen_clock.advance(timedelta(hours=1))
    factories.text_message(db, to="+447400900002", body="x", incident_id=two.live_id, status=OutboundStatus.FAILED)
    at = app_as("gold", DASHBOARD, actor=gold, incident_id=two.live_id)
    assert not at.exception
    headings = [h.value for h in at.subheader]
    assert [h.split(" since")[0] for h in headings] == [
        "M/ETHANE now", "Decisions", "Hubs and command", "Figures", "Trends", "Situation report"]
    risks = next(e for e in at.error if e.value.startswith("**Risks**"))
    drawn = _in_page_order(at.main)
    assert drawn.index("M/ETHANE now") < drawn.index(risks.value) < drawn.index(headings[1])  # risks before decisions
    assert any("Change since the last report" in c.value for c in at.caption)
    failed = next(m for m in at.metric if m.label == "Failed messages")
    assert (failed.value, failed.proto.delta) == ("3", "1")
    assert "3 text messages failed or undelivered" in risks.value
    assert any("Deansgate reception centre" in m.value and "on shift now 1 of 2" in m.value for m in at.markdown)


def _in_page_order(node) -> list[str]:
    """The text of every element with one, in the order the page draws them."""
    if hasattr(node, "children"):
        return [text for key in sorted(node.children) for text in _in_page_order(node.children[key])]
    value = getattr(node, "value", None)
    return [value] if isinstance(value, str) else []


def _made_report(at, incident_id: int, fmt: str, recipient: str):
    at.radio(key=f"sitrep_format_{incident_id}").set_value(fmt)
    at.text_input(key=f"sitrep_recipient_{incident_id}").input(recipient)
    at.button(key=f"FormSubmitter:sitrep_{incident_id}-Make the report").click().run()
    return at


def _refusals(at) -> list[str]:
    return [as_read(e.value) for e in at.error if not e.value.startswith("**Risks**")]  # the risks box is an error too


def _export_events(db):
    with unit_of_work(db.engine) as s:
        return [(e.actor, e.detail, e.recipient) for e in s.query(AuditEvent).filter_by(action="export",
                                                                                          entity="sitrep")]


def test_the_dashboard_makes_a_report_for_the_recipient_named(db, frozen_clock, two_incidents, app_as, make_actor):
    two = two_incidents()
    gold = make_actor("gold")
    at = _made_report(app_as("gold", DASHBOARD, actor=gold, incident_id=two.live_id), two.live_id, "md",
                      "Mayor's office [x](javascript:alert(1))")
    assert not at.exception and not _refusals(at)
    (button,) = at.get("download_button")
    assert "Download MD, made 09:00 for Mayor's office \\[x\\]\\(javascript:alert\\(1\\)\\)" in button.proto.label
    ((actor, detail, recipient),) = _export_events(db)
    assert (actor, recipient) == (gold.username, "Mayor's office [x](javascript:alert(1))")
    # The format, then the counts the report gave: the next report's changes are measured against them.
    assert detail.startswith("md · counts reported: {")
    assert counts_in(detail)[("People", "People registered")] == two.live_people


def test_a_refused_report_shows_why_and_records_nothing(db, frozen_clock, two_incidents, app_as):
    two = two_incidents()
    at = _made_report(app_as("gold", DASHBOARD, incident_id=two.live_id), two.live_id, "pdf", "   ")
    assert _refusals(at) == ["Say who the report is for (DPA 2018 s.62 records every disclosure's "
                                           "recipient)."]
    assert not at.get("download_button") and _export_events(db) == []


def test_the_dashboard_follows_the_chosen_incident(db, frozen_clock, two_incidents, app_as):
    two = two_incidents()
    at = app_as("hub_manager", DASHBOARD, incident_id=two.exercise_id)
    assert not at.exception
    assert _metrics(at)["People registered"] != str(two.live_people)
    assert "EXERCISE" in at.caption[0].value


@pytest.mark.parametrize("role", ["caseworker", "agency_coordinator", "auditor", "admin"])
def test_the_dashboard_is_not_offered_to_other_roles(db, app_as, role):
    at = app_as(role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(DASHBOARD)


def test_a_caseworker_on_the_team_sees_the_map_with_counts(db, frozen_clock, two_incidents, app_as, make_actor):
    two = two_incidents()
    caseworker = make_actor("caseworker")
    with unit_of_work(db.engine) as s:
        assign_to_team(s, Actor.system("test"), two.live_id, caseworker.user_id)
    at = app_as("caseworker", MAP, actor=caseworker, incident_id=two.live_id)
    assert not at.exception
    assert at.title[0].value == "Situation map"
    assert _metrics(at)["Affected people"] == str(two.live_people)
    assert _metrics(at)["Staff on shift now"] == "1"
    assert any("No M/ETHANE with a location" in i.value for i in at.info)


def test_a_caseworker_not_on_the_team_is_refused_the_picture(db, frozen_clock, two_incidents, make_actor):
    two = two_incidents()
    caseworker = make_actor("caseworker")
    with unit_of_work(db.engine) as s:
        assign_to_team(s, Actor.system("test"), two.exercise_id, caseworker.user_id)
    with pytest.raises(PermissionDenied, match="not on this incident's team"), unit_of_work(db.engine) as s:
        situation_picture(s, caseworker, two.live_id)


def test_the_picture_counts_people_by_area_and_never_one_by_one(db, frozen_clock, two_incidents):
    two = two_incidents()
    with unit_of_work(db.engine) as s:
        submit_methane(s, Actor.system("test"), two.live_id, Methane(
            "declared", "Deansgate", "Vehicle attack", "None known", "Deansgate closed", "12 injured",
            "Police, ambulance", latitude=53.48, longitude=-2.25, cordon_radius_m=200))
        picture = situation_picture(s, Actor.system("test"), two.live_id)
    assert picture.scene is not None and picture.scene.cordon_radius_m == 200
    assert sum(a.people for a in picture.areas) + picture.people_without_area == two.live_people
    assert all(sum(n for _, n in a.districts) == a.people for a in picture.areas)
    assert len(picture.areas) < two.live_people  # aggregated
    site = picture.sites[0]
    assert (site.needed_now, site.filled_now) == (2, 1)  # the withdrawn person is not on shift
    html = build_map(picture, "http://127.0.0.1:9/{z}/{x}/{y}.png").get_root().render()
    assert html.count("L.circleMarker(") == len(picture.areas) + len(picture.referrals) + 1  # + staff at the hub
    assert "standup-cordon" in html


def _hostile_picture() -> MapPicture:
    return MapPicture(
        incident_name=HOSTILE,
        scene=Scene(f"Scene {HOSTILE}", 53.48, -2.24, 150.0, 2),
        sites=(Site(HOSTILE, f"kind {TEMPLATE_BREAK}", f"1 {HOSTILE} Street", 53.49, -2.25, 4, 1,
                    ((f"Agency {HOSTILE}", f"role {TEMPLATE_BREAK}", 1),)),),
        areas=(AreaCount("M", 53.48, -2.24, 3, ((f"M4{HOSTILE}", 3),)),),
        referrals=(ForceReferrals(f"Force {HOSTILE}", 51.5, -3.2, 7),),
    )


def test_every_popup_and_tooltip_is_escaped():
    html = build_map(_hostile_picture(), "http://127.0.0.1:9/{z}/{x}/{y}.png").get_root().render()
    assert HOSTILE not in html
    assert "${alert(2)}" not in html and "`${" not in html
    assert html.count(map_safe(HOSTILE)) >= 6  # scene, site popup and tooltip, staff, area, referral
    # Every popup and tooltip body sits in a template literal that its text cannot close.
    for literal in re.findall(r"`(.*?)`", html, flags=re.S):
        assert "<script" not in literal


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_name_on_the_situation_map_can_leave_its_popup_or_tooltip(name):
    picture = MapPicture(
        incident_name=name, scene=Scene(f"Scene {name}", 53.48, -2.24, 150.0, 2),
        sites=(Site(f"Hub {name}", "victim_and_witness_hub", f"1 {name} Street", 53.49, -2.25, 4, 1,
                    ((f"Agency {name}", f"role {name}", 1),)),),
        areas=(AreaCount("M", 53.48, -2.24, 7, ((f"M4 {name}", 7),)),),
        referrals=(ForceReferrals(f"Force {name}", 51.5, -3.2, 7),),
    )
    script = build_map(picture, "http://127.0.0.1:9/{z}/{x}/{y}.png").get_root().render()
    for shown in (f"Scene {name}", f"Hub {name}", f"1 {name} Street", f"Agency {name}", f"M4 {name}",
                  f"Force {name}"):
        assert_shown_as_text(script, shown)


def test_small_counts_are_not_shown_exactly():
    assert shown_count(3) == "fewer than 5"
    assert shown_count(0) == "0" and shown_count(5) == "5" and shown_count(12_345) == "12,345"
    html = build_map(_hostile_picture(), "http://127.0.0.1:9/{z}/{x}/{y}.png").get_root().render()
    assert "fewer than 5 people" in html


def test_the_map_uses_the_vendored_assets_and_the_configured_tiles():
    html = build_map(MapPicture("x", None), "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png").get_root().render()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts and all(src.startswith("/vendor/") for src in scripts)
    assert "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png" in html
