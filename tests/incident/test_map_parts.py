"""Map popups and tooltips show typed names as text, never as markup or script: in the map parts
the incident pages share, and on the Hubs and M/ETHANE pages as the browser receives them."""

from dataclasses import replace

import folium
import pytest

from core.db import unit_of_work
from core.ui.maps import add_incident, add_site, take_click
from incident.hub_service import HubDetails, save_hub
from incident.methane_service import submit_methane
from tests.factories import FIRST_METHANE as FIRST
from tests.map_literals import HOSTILE_NAMES, assert_shown_as_text, st_folium_scripts

NASTY = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_names_on_the_map_are_escaped():
    m = folium.Map(location=(53.48, -2.24))
    add_site(m, 53.48, -2.24, NASTY)
    add_incident(m, 53.49, -2.25, NASTY, 250.0)
    page = m.get_root().render()
    assert "<script>alert(2)</script>" not in page and "onerror=\"alert(1)\"" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "Cordon 250 m" in page and '"radius": 250.0' in page


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_typed_name_can_leave_its_popup_or_tooltip(name):
    m = folium.Map(location=(53.48, -2.24))
    add_site(m, 53.48, -2.24, name)
    add_incident(m, 53.49, -2.25, name, 250.0)
    script = m.get_root().render()
    assert_shown_as_text(script, name)
    assert script.count("</script>") == folium.Map(location=(53.48, -2.24)).get_root().render().count("</script>")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_hubs_page_map_shows_hostile_names_and_addresses_as_text(app_as, db, gold, incident_id, name):
    with unit_of_work(db.engine) as s:
        save_hub(s, gold, incident_id, HubDetails(f"Hub {name}", "victim_and_witness_hub", f"1 {name} Road", "M1 1AA",
                                                  53.48, -2.24))
    at = app_as("gold", "incident/pages/hubs.py", actor=gold, incident_id=incident_id)
    assert not at.exception
    (script,) = st_folium_scripts(at)
    assert_shown_as_text(script, f"Hub {name} — 1 {name} Road")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_methane_page_map_shows_a_hostile_location_as_text(app_as, db, gold, incident_id, name):
    with unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, replace(FIRST, exact_location=f"At {name}"))
    at = app_as("gold", "incident/pages/methane.py", actor=gold, incident_id=incident_id)
    assert not at.exception
    (script,) = st_folium_scripts(at)
    assert_shown_as_text(script, f"At {name}")


def test_a_click_on_the_map_becomes_the_location_once():
    state: dict = {"m_lat": None, "m_lon": None}
    assert not take_click(state, None, "m", "m_lat", "m_lon")
    assert not take_click(state, {"last_clicked": None}, "m", "m_lat", "m_lon")
    assert state == {"m_lat": None, "m_lon": None}
    click = {"last_clicked": {"lat": 53.48751234, "lng": -2.24291987}}
    assert take_click(state, click, "m", "m_lat", "m_lon")
    assert (state["m_lat"], state["m_lon"]) == (53.487512, -2.24292)
    state["m_lat"] = 53.5  # typed over after the click
    assert not take_click(state, click, "m", "m_lat", "m_lon")  # st_folium repeats the click on every rerun
    assert state["m_lat"] == 53.5
    assert take_click(state, {"last_clicked": {"lat": 53.4, "lng": -2.3}}, "m", "m_lat", "m_lon")
    assert (state["m_lat"], state["m_lon"]) == (53.4, -2.3)


def test_a_click_on_the_methane_map_fills_the_location_and_is_sent(app_as, db, gold, incident_id, monkeypatch):
    """The page as drawn when streamlit-folium reports a click (a browser is not needed to click)."""
    import core.ui.maps as parts
    from incident.methane_service import latest_methane

    monkeypatch.setattr(parts, "st_folium", lambda *a, **k: {"last_clicked": {"lat": 53.4794, "lng": -2.2447}})
    at = app_as("gold", "incident/pages/methane.py", actor=gold, incident_id=incident_id)
    prefix = f"methane{incident_id}v0"
    assert (at.number_input(key=f"{prefix}_latitude").value, at.number_input(key=f"{prefix}_longitude").value) == (
        53.4794, -2.2447)
    at.text_input(key=f"{prefix}_exact_location").input("Town Hall, Albert Square")
    at.number_input(key=f"{prefix}_cordon_radius_m").set_value(200.0)
    for part in ("incident_type", "hazards", "access", "casualties", "emergency_services"):
        widget = at.text_input(key=f"{prefix}_{part}") if part == "incident_type" else at.text_area(key=f"{prefix}_{part}")
        widget.input(f"{part} known")
    at.button(key="FormSubmitter:methane-Send this version").click().run()
    assert not at.exception and not at.error
    with unit_of_work(db.engine) as s:
        saved = latest_methane(s, gold, incident_id)
    assert (saved.latitude, saved.longitude, saved.cordon_radius_m) == (53.4794, -2.2447, 200.0)


def test_the_hubs_map_opens_on_the_scene_not_on_a_far_site(app_as, db, gold, incident_id, monkeypatch):
    """A site 140 km away must not pull the map there: a click would place the next hub beside it."""
    import core.ui.maps as parts
    from incident.hub_service import HubDetails, save_hub
    from incident.methane import Methane
    from incident.methane_service import submit_methane

    with unit_of_work(db.engine) as s:
        submit_methane(s, gold, incident_id, Methane("declared", "Arena foyer", "explosion", "none known", "Hunts Bank",
                                                     "many", "police, NWAS", latitude=53.4875, longitude=-2.2440))
        save_hub(s, gold, incident_id, HubDetails("Leeds rest centre", latitude=53.7997, longitude=-1.5492))
    drawn = []
    monkeypatch.setattr(parts, "st_folium", lambda m, **k: drawn.append(m) or {})
    at = app_as("gold", "incident/pages/hubs.py", actor=gold, incident_id=incident_id)
    assert not at.exception and not at.error
    assert drawn and drawn[-1].location == [53.4875, -2.2440]
    html = drawn[-1].get_root().render()
    assert "Arena foyer" in html and "Leeds rest centre" in html  # the scene drawn, the far site still shown
