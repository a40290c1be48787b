"""The situation map from plain values: the scene and its cordon, hubs and sites with their
staffing now, staff on shift by hub, affected people counted by home postcode area (never a
marker per person), and referrals to other force areas. No database and no Streamlit here, so
the map is tested on its own.

Every text that reaches a popup or tooltip goes through `core.maps.map_safe`: folium writes popups and tooltips
into JavaScript template literals, so besides HTML's < > & " ' the literal's own ` $ and \\ are
escaped too (a hub named "${...}" must not run as code).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import sqrt

import folium
from folium import plugins

from core.maps import base_map, centre_on, map_safe

SMALL_COUNT = 5  # counts below this are shown as "fewer than 5", so no one is singled out


@dataclass(frozen=True)
class Scene:
    location: str
    latitude: float
    longitude: float
    cordon_radius_m: float | None
    methane_version: int


@dataclass(frozen=True)
class Site:
    name: str
    kind: str
    address: str
    latitude: float | None
    longitude: float | None
    needed_now: int  # places on shifts under way now
    filled_now: int
    on_shift: tuple[tuple[str, str, int], ...] = ()  # (agency, role, people) on shift now


@dataclass(frozen=True)
class AreaCount:
    area: str  # postcode area, e.g. "M", "OL"
    latitude: float
    longitude: float
    people: int
    districts: tuple[tuple[str, int], ...] = ()  # ("M4", 120), biggest first


@dataclass(frozen=True)
class ForceReferrals:
    force_area: str
    latitude: float
    longitude: float
    referrals: int


@dataclass(frozen=True)
class MapPicture:
    incident_name: str
    scene: Scene | None
    sites: tuple[Site, ...] = ()
    areas: tuple[AreaCount, ...] = ()
    referrals: tuple[ForceReferrals, ...] = ()
    people_without_area: int = 0  # no (or no known) home postcode: counted, not drawn
    notes: tuple[str, ...] = field(default=())


def shown_count(n: int) -> str:
    return f"fewer than {SMALL_COUNT}" if 0 < n < SMALL_COUNT else f"{n:,}"


def _popup(title: str, lines: Sequence[str]) -> folium.Popup:
    body = "".join(f"<br>{line}" for line in lines)
    return folium.Popup(f"<b>{map_safe(title)}</b>{body}", max_width=320)


def _site_lines(site: Site) -> list[str]:
    lines = [map_safe(site.kind.replace("_", " ").capitalize())]
    if site.address:
        lines.append(map_safe(site.address))
    lines.append(f"Staffing now: {site.filled_now} of {site.needed_now} places filled" if site.needed_now
                 else "No shift under way now")
    return lines


def _scene_layer(scene: Scene) -> folium.FeatureGroup:
    layer = folium.FeatureGroup(name="Incident and cordon")
    title = f"Scene (M/ETHANE v{scene.methane_version})"
    folium.Marker((scene.latitude, scene.longitude), popup=_popup(title, [map_safe(scene.location)]),
                  tooltip=map_safe(title), icon=folium.Icon(color="red", icon="triangle-exclamation", prefix="fa"),
                  ).add_to(layer)
    if scene.cordon_radius_m:
        folium.Circle((scene.latitude, scene.longitude), radius=scene.cordon_radius_m, color="#b00020",
                      weight=3, fill=True, fill_opacity=0.15, dash_array="8 6",
                      tooltip=map_safe(f"Cordon, {scene.cordon_radius_m:,.0f} m"), className="standup-cordon",
                      ).add_to(layer)
    return layer


def _sites_layer(sites: Sequence[Site]) -> folium.FeatureGroup:
    layer = folium.FeatureGroup(name="Hubs and sites")
    cluster = plugins.MarkerCluster(name="Hubs and sites (clustered)", control=False).add_to(layer)
    for site in sites:
        short = site.needed_now > site.filled_now
        folium.Marker((site.latitude, site.longitude), popup=_popup(site.name, _site_lines(site)),
                      tooltip=map_safe(site.name),
                      icon=folium.Icon(color="orange" if short else "blue", icon="house-medical", prefix="fa"),
                      ).add_to(cluster)
    return layer


def _staff_layer(sites: Sequence[Site]) -> folium.FeatureGroup:
    layer = folium.FeatureGroup(name="Staff on shift now")
    for site in sites:
        people = sum(n for _, _, n in site.on_shift)
        if not people:
            continue
        lines = [f"{map_safe(role)} ({map_safe(agency)}): {n}" for agency, role, n in site.on_shift]
        folium.CircleMarker((site.latitude, site.longitude), radius=min(30.0, 8 + 2 * sqrt(people)), color="#1b5e20",
                            fill=True, fill_opacity=0.5,
                            popup=_popup(f"{site.name}: {people} on shift now", lines),
                            tooltip=map_safe(f"{site.name}: {people} on shift")).add_to(layer)
    return layer


def _areas_layer(areas: Sequence[AreaCount]) -> folium.FeatureGroup:
    layer = folium.FeatureGroup(name="Affected people by home area")
    for a in areas:
        districts = [f"{map_safe(d)}: {shown_count(n)}" for d, n in a.districts[:8]]
        folium.CircleMarker((a.latitude, a.longitude), radius=min(40.0, 6 + 1.2 * sqrt(a.people)), color="#6a1b9a",
                            fill=True, fill_opacity=0.35,
                            popup=_popup(f"Postcode area {a.area}: {shown_count(a.people)} people", districts),
                            tooltip=map_safe(f"{a.area}: {shown_count(a.people)} people")).add_to(layer)
    return layer


def _referrals_layer(referrals: Sequence[ForceReferrals]) -> folium.FeatureGroup:
    layer = folium.FeatureGroup(name="Referrals to other force areas")
    for r in referrals:
        text = f"{r.force_area}: {shown_count(r.referrals)} referrals to the home area's services"
        folium.CircleMarker((r.latitude, r.longitude), radius=min(30.0, 7 + 2 * sqrt(r.referrals)), color="#e65100",
                            fill=True, fill_opacity=0.5, popup=_popup(text, []), tooltip=map_safe(text)).add_to(layer)
    return layer


def centre_of(picture: MapPicture) -> tuple[tuple[float, float], int]:
    """The scene if known, else the middle of the sites, else the UK; with a zoom to match."""
    scene = (picture.scene.latitude, picture.scene.longitude) if picture.scene is not None else None
    return centre_on(scene, [(s.latitude, s.longitude) for s in picture.sites])


def build_map(picture: MapPicture, tile_url: str) -> folium.Map:
    """The situation map; each layer can be switched on and off. Sites without a location are left off."""
    centre, zoom = centre_of(picture)
    m = base_map(centre, zoom, tile_url)
    placed = [s for s in picture.sites if s.latitude is not None and s.longitude is not None]
    if picture.scene is not None:
        _scene_layer(picture.scene).add_to(m)
    _sites_layer(placed).add_to(m)
    _staff_layer(placed).add_to(m)
    _areas_layer(picture.areas).add_to(m)
    _referrals_layer(picture.referrals).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m
