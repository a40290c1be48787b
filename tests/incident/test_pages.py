"""The incident pages through Streamlit's AppTest: Gold's page as gold, refusal as caseworker,
and each form doing what it says."""

from datetime import timedelta

import pytest

from core.clock import now
from core.db import unit_of_work
from incident.activation_service import Authority, catalogue, request_activation
from incident.decision_service import Decision, correct_decision, log_decision
from incident.gold_queries import gold_board
from incident.methane_service import methane_versions, submit_methane
from incident.model import DecisionLogEntry, Incident
from tests.factories import FIRST_METHANE as FIRST
from tests.page_text import as_read
from tests.tampering import bypassing_append_only

GOLD_PAGE = "incident/pages/gold.py"


def _seed(db, gold, incident_id, agency_id):
    with unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, FIRST)
        request_activation(s, gold, incident_id, catalogue(s, gold)[0].id, agency_id,
                           authority=Authority(late_reason="Agreed at the scene; Gold logs it after the *briefing*"))
        log_decision(s, gold, incident_id, Decision(now(), "Ch Supt Khan", "Open [the hub](http://evil)", "*many*"))
        log_decision(s, gold, incident_id, Decision(now(), "Ch Supt Khan", "Call Cruse", "bereaved families"))
        correct_decision(s, gold, incident_id, 2, Decision(now(), "Ch Supt Khan", "Call Cruse and Samaritans",
                                                           "bereaved families"), "Samaritans left out")


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_gold_sees_the_header_board_methane_log_and_timeline(app_as, db, gold, incident_id, agency_id):
    _seed(db, gold, incident_id, agency_id)
    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    assert not at.exception
    assert at.title[0].value == "Arena explosion"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Status"] == "Declared" and metrics["Since declaration"] == "0 min"
    assert metrics["Decision log entries"] == "3"
    text = _texts(at)
    assert "**Victim and Witness Hub surge**" in text and "Lead: Victim Support" in text
    assert "Victoria Station concourse" in text
    assert "~~**2.** Call Cruse" in text and "(struck through by entry 2" not in text
    assert "struck through by entry 3" in text and "Corrects entry 2: Samaritans left out" in text
    assert "\\[the hub\\]\\(http://evil\\)" in text  # user text cannot make links
    timeline = at.dataframe[0].value
    assert sorted(timeline["what"]) == ["activation", "decision", "decision", "decision", "methane", "status",
                                        "status"]


def test_gold_logs_a_decision_through_the_form(app_as, db, gold, incident_id):
    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    form_areas = {a.label: a for a in at.text_area}
    form_areas["Decision"].input("Stand up the helpline")
    form_areas["Rationale"].input("Calls to 999 from families")
    at.button(key="FormSubmitter:decision-Add to the log").click().run()
    assert not at.exception
    assert any("Entry 1 added" in s.value for s in at.success)
    with unit_of_work(db.engine) as s:
        (entry,) = s.query(DecisionLogEntry).all()
    assert (entry.decision, entry.decision_maker) == ("Stand up the helpline", gold.display_name)


def test_a_correction_starts_from_the_entry_it_corrects(app_as, db, gold, incident_id):
    """Correcting one word of an entry must not mean typing all of it again."""
    with unit_of_work(db.engine) as s:
        log_decision(s, gold, incident_id, Decision(now(), "ACC Jones", "Open the hub at the Town Hall",
                                                    "Nearest to the scene", "School hall: no parking"))
    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    entry_id = at.selectbox(key="correction_entry").value.id
    prefix = f"correction{entry_id}"
    assert (at.text_area(key=f"{prefix}_decision").value, at.text_area(key=f"{prefix}_rationale").value,
            at.text_input(key=f"{prefix}_maker").value) == (
        "Open the hub at the Town Hall", "Nearest to the scene", "ACC Jones")
    at.text_area(key=f"{prefix}_decision").input("Open the hub at the Central Library")
    at.text_input(key=f"{prefix}_reason").input("Wrong venue written down")
    at.button(key="FormSubmitter:correction-Strike through and correct").click().run()
    assert not at.exception and not at.error
    with unit_of_work(db.engine) as s:
        correction = s.query(DecisionLogEntry).order_by(DecisionLogEntry.sequence.desc()).first()
    assert (correction.decision, correction.rationale, correction.options_considered, correction.decision_maker) == (
        "Open the hub at the Central Library", "Nearest to the scene", "School hall: no parking", "ACC Jones")


def test_a_late_decision_without_a_reason_is_refused_on_the_page(app_as, db, gold, incident_id, frozen_clock):
    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    frozen_clock.advance(timedelta(minutes=20))  # the form still shows the time it was opened
    {a.label: a for a in at.text_area}["Decision"].input("Close the road")
    {a.label: a for a in at.text_area}["Rationale"].input("Secondary device")
    at.button(key="FormSubmitter:decision-Add to the log").click().run()
    assert any("say why it is late" in e.value for e in at.error)
    with unit_of_work(db.engine) as s:
        assert s.query(DecisionLogEntry).count() == 0


def test_the_verify_button_reports_an_intact_log(app_as, db, gold, incident_id, agency_id):
    _seed(db, gold, incident_id, agency_id)
    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    next(b for b in at.button if b.label == "Verify the decision log").click().run()
    assert any("intact" in s.value for s in at.success)


def test_gold_moves_an_activation_on_the_board(app_as, db, gold, incident_id, agency_id):
    _seed(db, gold, incident_id, agency_id)
    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    next(b for b in at.button if b.label == "Move to standing up").click().run()
    with unit_of_work(db.engine) as s:
        assert gold_board(s, gold, incident_id).board[0].stage == "standing_up"


def test_a_caseworker_is_not_offered_gold_and_the_service_refuses(app_as, db, make_actor, gold, incident_id):
    from core.auth.roles import PermissionDenied

    caseworker = make_actor("caseworker")
    at = app_as("caseworker", actor=caseworker, incident_id=incident_id)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(GOLD_PAGE)
    with pytest.raises(PermissionDenied), unit_of_work(db.engine) as s:
        gold_board(s, caseworker, incident_id)


def test_the_gold_page_alone_refuses_a_caseworker(db, make_actor, incident_id):
    """Run the page file directly (no menu in the way): the service's refusal stops it."""
    from streamlit.testing.v1 import AppTest

    from tests.infrastructure import ROOT

    at = AppTest.from_file(str(ROOT / GOLD_PAGE), default_timeout=60)
    at.session_state["actor"] = make_actor("caseworker")
    at.session_state["incident_id"] = incident_id
    at.run()
    assert [as_read(e.value) for e in at.error] == ["Caseworker may not do this (incident.command)."]
    assert not at.title


def test_declaring_an_incident_on_the_status_page(app_as, db, gold):
    at = app_as("gold", "incident/pages/status.py", actor=gold)
    at.text_input(key="declare_name").input("Bridge collapse")
    at.radio(key="declare_kind").set_value("Exercise")
    at.text_input(key="declare_reason").input("Exercise start")
    at.button(key="FormSubmitter:declare-Open the incident").click().run()
    assert not at.exception
    with unit_of_work(db.engine) as s:
        incident = s.query(Incident).one()
    assert (incident.name, incident.is_exercise, incident.status) == ("Bridge collapse", True, "declared")
    assert at.session_state["incident_id"] == incident.id
    assert any("EXERCISE" in w.value for w in at.warning)


def test_live_or_exercise_must_be_chosen(app_as, db, gold):
    at = app_as("gold", "incident/pages/status.py", actor=gold)
    at.text_input(key="declare_name").input("Bridge collapse")
    at.button(key="FormSubmitter:declare-Open the incident").click().run()
    assert any("live or an exercise" in e.value for e in at.error)


def test_a_status_move_on_the_page(app_as, db, gold, incident_id):
    at = app_as("gold", "incident/pages/status.py", actor=gold, incident_id=incident_id)
    at.text_input(key="status_why").input("Casualties confirmed")
    at.button(key="FormSubmitter:status-Change status").click().run()
    assert [as_read(e.value) for e in at.error] == ["Choose the status to move to: response, cancelled."]
    at.radio(key="status_target").set_value("response")
    at.text_input(key="status_why").input("Casualties confirmed")
    at.button(key="FormSubmitter:status-Change status").click().run()
    with unit_of_work(db.engine) as s:
        assert s.get(Incident, incident_id).status == "response"


def test_methane_page_sends_a_version_and_compares(app_as, db, gold, incident_id):
    at = app_as("gold", "incident/pages/methane.py", actor=gold, incident_id=incident_id)
    assert not at.exception
    prefix = f"methane{incident_id}v0"
    for name in ("exact_location", "incident_type"):
        at.text_input(key=f"{prefix}_{name}").input(getattr(FIRST, name))
    for name in ("hazards", "access", "casualties", "emergency_services"):
        at.text_area(key=f"{prefix}_{name}").input(getattr(FIRST, name))
    at.number_input(key=f"{prefix}_latitude").set_value(53.4875)
    at.number_input(key=f"{prefix}_longitude").set_value(-2.2429)
    at.number_input(key=f"{prefix}_cordon_radius_m").set_value(0.0)
    at.button(key="FormSubmitter:methane-Send this version").click().run()
    assert any("more than 0 metres" in e.value for e in at.error)
    at.number_input(key=f"{prefix}_cordon_radius_m").set_value(300.0)
    at.button(key="FormSubmitter:methane-Send this version").click().run()
    assert not at.exception
    with unit_of_work(db.engine) as s:
        (v1,) = methane_versions(s, gold, incident_id)
    assert (v1.cordon_radius_m, v1.latitude) == (300.0, 53.4875)
    at.text_area(key=f"methane{incident_id}v1_casualties").input("22 dead")
    at.button(key="FormSubmitter:methane-Send this version").click().run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["part", "earlier (version 1)", "later (version 2)", "changed"]
    assert table.set_index("part").loc["N — Number, type and severity of casualties", "changed"] == "changed"
    assert (table["changed"] == "changed").sum() == 1


@pytest.mark.parametrize("page", ["incident/pages/hubs.py", "incident/pages/command.py"])
def test_hub_and_command_pages_draw_for_gold(app_as, gold, incident_id, page):
    at = app_as("gold", page, actor=gold, incident_id=incident_id)
    assert not at.exception and at.title


def test_the_catalogue_page_lets_an_administrator_add_a_service(app_as, db, make_actor):
    admin = make_actor("admin")
    at = app_as("admin", "incident/pages/catalogue.py", actor=admin)
    at.text_input(key="catalogue_add_name").input("Faith community liaison")
    at.button(key="FormSubmitter:catalogue_add-Add service").click().run()
    assert not at.exception
    with unit_of_work(db.engine) as s:
        assert "Faith community liaison" in [c.name for c in catalogue(s, admin)]


def test_a_hub_manager_adds_a_site_with_typed_coordinates(app_as, db, make_actor, incident_id):
    from incident.hub_service import hubs

    manager = make_actor("hub_manager")
    at = app_as("hub_manager", "incident/pages/hubs.py", actor=manager, incident_id=incident_id)
    prefix = f"hub{incident_id}_new"
    at.text_input(key=f"{prefix}_name").input("Town Hall Hub")
    at.number_input(key=f"{prefix}_latitude").set_value(48.8566)
    at.number_input(key=f"{prefix}_longitude").set_value(2.3522)
    at.button(key="FormSubmitter:hub-Save site").click().run()
    assert any("outside the United Kingdom" in e.value for e in at.error)
    at.number_input(key=f"{prefix}_latitude").set_value(53.4794)
    at.number_input(key=f"{prefix}_longitude").set_value(-2.2447)
    at.button(key="FormSubmitter:hub-Save site").click().run()
    assert not at.exception
    with unit_of_work(db.engine) as s:
        assert [(h.name, h.latitude) for h in hubs(s, manager, incident_id)] == [("Town Hall Hub", 53.4794)]


@pytest.mark.parametrize(("tampering", "finding"), [
    ("UPDATE decision_log_entry SET decision = 'Open nothing' WHERE incident_id = :i AND sequence = 1",
     "The chain is broken at entry 1: changed, or the one before removed."),
    ("DELETE FROM decision_log_entry WHERE incident_id = :i AND sequence = 3",
     "Entry 3 is missing: removed outside Stand Up."),
], ids=["an entry changed", "the newest entry removed"])
def test_the_verify_button_names_what_was_tampered_with(app_as, db, gold, incident_id, agency_id, tampering,
                                                         finding):
    _seed(db, gold, incident_id, agency_id)
    with db.engine.begin() as conn:
        bypassing_append_only(db, conn, "decision_log_entry", tampering, {"i": incident_id})
    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    next(b for b in at.button if b.label == "Verify the decision log").click().run()
    assert [e.value for e in at.error] == [f"The decision log has been tampered with outside Stand Up.  \n{finding}"]


def test_gold_makes_the_situation_report_on_the_incident_page(app_as, db, gold, incident_id, agency_id):
    import json

    from core.audit.model import AuditEvent

    _seed(db, gold, incident_id, agency_id)
    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    at.radio(key=f"sitrep_format_{incident_id}").set_value("json")
    at.text_input(key=f"sitrep_recipient_{incident_id}").input("Strategic coordinating group, 06:00")
    at.button(key=f"FormSubmitter:sitrep_{incident_id}-Make the report").click().run()
    assert not at.exception
    (button,) = at.get("download_button")
    assert button.proto.label.startswith("Download JSON, made ")
    report = json.loads(at.session_state[f"sitrep_made_{incident_id}"][1])
    assert report["incident"]["name"] == "Arena explosion" and [d["entry"] for d in report["decisions"]] == [1, 2, 3]
    with unit_of_work(db.engine) as s:
        (made,) = s.query(AuditEvent).filter_by(action="export", entity="sitrep").all()
    assert (made.actor, made.recipient, made.detail.partition(" · ")[0]) == (
        gold.username, "Strategic coordinating group, 06:00", "json")
    assert made.detail.startswith("json · counts reported: {")  # then the counts the next report compares with


HOSTILE_MD = "[click](javascript:alert(1)) **bold** <b>x</b>"
INERT_MD = "\\[click\\]\\(javascript:alert\\(1\\)\\) \\*\\*bold\\*\\* \\<b\\>x\\</b\\>"


def test_markdown_and_html_in_names_stay_text_on_the_incident_pages(app_as, db, make_actor, agency_id, frozen_clock):
    """The incident's name (title, header, the declare notice), an author's name (captions) and a
    service's name (the notices after a change) are typed by people: shown as typed, never as a link,
    bold or HTML."""
    from dataclasses import replace

    from incident.activation_service import add_catalogue_service

    gold, admin = replace(make_actor("gold"), display_name=HOSTILE_MD), make_actor("admin")
    at = app_as("gold", "incident/pages/status.py", actor=gold)
    at.text_input(key="declare_name").input(HOSTILE_MD)
    at.radio(key="declare_kind").set_value("Live")
    at.text_input(key="declare_reason").input("M/ETHANE received")
    at.button(key="FormSubmitter:declare-Open the incident").click().run()
    assert [s.value for s in at.success] == [f"{INERT_MD} is open (declared)."]
    assert at.header[0].value == f"{INERT_MD}: declared"
    with unit_of_work(db.engine) as s:
        (incident_id,) = [i.id for i in s.query(Incident).all()]
        submit_methane(s, gold, incident_id, FIRST)
        add_catalogue_service(s, admin, HOSTILE_MD, "")

    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    assert at.title[0].value == INERT_MD
    assert any(c.value.startswith("Version 1, ") and c.value.endswith(f" by {INERT_MD}") for c in at.caption)
    boxes = {box.label: box for box in at.selectbox}
    boxes["Service"].select_index(next(i for i, o in enumerate(boxes["Service"].options) if "click" in o))
    boxes["Lead agency"].select_index(0)
    at.text_input(key="activate_late").input(HOSTILE_MD)  # no entry in the log yet: why, in hostile words
    at.button(key="FormSubmitter:activate-Request activation").click().run()
    assert [s.value for s in at.success] == [f"{INERT_MD} requested."]
    next(b for b in at.button if b.label == "Move to standing up").click().run()
    assert [s.value for s in at.success] == [f"{INERT_MD}: standing up."]
    every_text = [e.value for kind in ("title", "header", "caption", "markdown", "success") for e in at.get(kind)]
    assert not [t for t in every_text if HOSTILE_MD in t]
