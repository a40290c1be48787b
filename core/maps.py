"""Maps without a CDN: folium's asset URLs point at Leaflet and its plugins served by Stand Up
itself (installed from the npm registry by `standup run` / scripts/test, see standup/assets.py).
Tiles come from a configurable URL; when they are unreachable the layers still draw."""

from __future__ import annotations

import html

import folium
from folium import plugins

VENDOR_PREFIX = "/vendor"

_JS = {
    "leaflet": "leaflet/dist/leaflet.js",
    "jquery": "jquery/dist/jquery.min.js",
    "bootstrap": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "awesome_markers": "leaflet.awesome-markers/dist/leaflet.awesome-markers.js",
}
_CSS = {
    "leaflet_css": "leaflet/dist/leaflet.css",
    "bootstrap_css": "bootstrap/dist/css/bootstrap.min.css",
    "awesome_markers_font_css": "@fortawesome/fontawesome-free/css/all.min.css",
    "awesome_markers_css": "leaflet.awesome-markers/dist/leaflet.awesome-markers.css",
}
_CLUSTER_JS = [("markerclusterjs", "leaflet.markercluster/dist/leaflet.markercluster.js")]
_CLUSTER_CSS = [
    ("markerclustercss", "leaflet.markercluster/dist/MarkerCluster.css"),
    ("markerclusterdefaultcss", "leaflet.markercluster/dist/MarkerCluster.Default.css"),
]

# Every file a map may ask for, relative to the vendored node_modules (the tests check each exists).
VENDORED_FILES = tuple(_JS.values()) + tuple(_CSS.values()) + tuple(p for _, p in _CLUSTER_JS + _CLUSTER_CSS)


def map_safe(value: object) -> str:
    """Text typed by people made inert on a map. Folium puts popup and tooltip bodies inside
    JavaScript template literals that are then parsed as HTML, so html.escape alone is not enough:
    `${…}` would run, a backtick would close the literal and a backslash would start an escape.
    Each of those becomes an HTML character reference, which shows as the character itself."""
    return (html.escape(str(value), quote=True)
            .replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;"))


def _local(pairs) -> list[tuple[str, str]]:
    return [(name, f"{VENDOR_PREFIX}/{path}") for name, path in pairs]


def use_vendored_assets() -> None:
    """Point folium (and the cluster plugins) at the vendored copies. Idempotent."""
    folium.Map.default_js = _local(_JS.items())
    folium.Map.default_css = _local(_CSS.items())
    for plugin in (plugins.MarkerCluster, plugins.FastMarkerCluster):
        plugin.default_js = _local(_CLUSTER_JS)
        plugin.default_css = _local(_CLUSTER_CSS)


def base_map(center: tuple[float, float], zoom: int, tile_url: str) -> folium.Map:
    """A map with the configured tiles; layers are added by the caller."""
    use_vendored_assets()
    m = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True)
    folium.TileLayer(tile_url, attr="&copy; OpenStreetMap contributors", name="Base map").add_to(m)
    return m
