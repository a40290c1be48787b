"""Map popups and tooltips show typed names as text, never as markup or script: in the map parts
the incident pages share, and on the Hubs and M/ETHANE pages as the browser receives them."""

from dataclasses import replace

import folium
import pytest

from core.db import unit_of_work
from incident.hub_service import HubDetails, save_hub
from incident.methane_service import submit_methane
from incident.pages.parts import add_incident, add_site
from tests.incident.map_literals import HOSTILE_NAMES, assert_shown_as_text, st_folium_scripts
from tests.incident.test_methane import FIRST

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
