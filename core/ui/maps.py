"""Maps on pages: the base map centred where the work is, map-safe markers, and a map whose click
sets a point. Streamlit only (folium through streamlit-folium)."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

import folium
import streamlit as st
from streamlit_folium import st_folium

from core.maps import Point, base_map, centre_on, map_safe
from core.settings import get_settings


def new_map(scene: Point | None, sites: list[Point] = (), *, scene_zoom: int = 15) -> folium.Map:
    """A page's map, opened on the incident's scene (see core.maps.centre_on)."""
    return base_map(*centre_on(scene, sites, scene_zoom=scene_zoom), get_settings().tile_url)


def _safe(label: str) -> tuple[str, folium.Popup]:
    """Tooltip and popup text that cannot carry script or markup (names and addresses are typed by people)."""
    safe = map_safe(label)
    return safe, folium.Popup(safe, parse_html=False)


def add_site(m: folium.Map, lat: float, lon: float, label: str) -> None:
    tooltip, popup = _safe(label)
    folium.Marker((lat, lon), tooltip=tooltip, popup=popup).add_to(m)


def add_incident(m: folium.Map, lat: float, lon: float, label: str, radius_m: float | None) -> None:
    """The incident's point (drawn, so it needs no icon image) and its cordon."""
    tooltip, popup = _safe(label)
    folium.CircleMarker((lat, lon), radius=7, color="#b71c1c", fill=True, fill_opacity=1, tooltip=tooltip,
                        popup=popup).add_to(m)
    if radius_m:
        folium.Circle((lat, lon), radius=radius_m, color="#c62828", fill=True, fill_opacity=0.12,
                      tooltip=map_safe(f"Cordon {radius_m:,.0f} m")).add_to(m)


def clickable_map(m: folium.Map, key: str, lat_key: str, lon_key: str) -> None:
    """Draw the map; a click copies its point into the latitude/longitude inputs below it.
    Only clicks come back (not pans or zooms), so moving the map does not rerun the page."""
    result = st_folium(m, key=key, height=380, use_container_width=True, returned_objects=["last_clicked"])
    take_click(st.session_state, result, key, lat_key, lon_key)


def take_click(state: MutableMapping, result: Mapping | None, key: str, lat_key: str, lon_key: str) -> bool:
    """Copy a new click from st_folium's answer into the inputs' state (six decimals: about 10 cm).
    st_folium repeats the last click on every rerun, so a click already taken is not taken again:
    coordinates typed after it stay as typed. True when a new click was taken."""
    clicked = (result or {}).get("last_clicked")
    if not clicked:
        return False
    point = (round(clicked["lat"], 6), round(clicked["lng"], 6))
    if state.get(f"{key}_seen") == point:
        return False
    state[f"{key}_seen"] = point
    state[lat_key], state[lon_key] = point
    return True


def show_map(m: folium.Map, key: str) -> None:
    st_folium(m, key=key, height=320, use_container_width=True, returned_objects=[])
