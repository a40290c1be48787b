"""Map popups and tooltips show typed names as text, never as markup or script."""

import folium

from incident.pages.parts import add_incident, add_site

NASTY = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_names_on_the_map_are_escaped():
    m = folium.Map(location=(53.48, -2.24))
    add_site(m, 53.48, -2.24, NASTY)
    add_incident(m, 53.49, -2.25, NASTY, 250.0)
    page = m.get_root().render()
    assert "<script>alert(2)</script>" not in page and "onerror=\"alert(1)\"" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "Cordon 250 m" in page and '"radius": 250.0' in page
