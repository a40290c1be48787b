"""Maps without a CDN: folium's asset URLs point at Leaflet and its plugins served by Stand Up
itself (installed from the npm registry by `standup run` / scripts/test, see standup/assets.py).
Tiles come from a configurable URL; when they are unreachable the map says so and still shows the
coast and borders (shipped with the package, from world-atlas) under its layers."""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

import folium
from branca.element import MacroElement
from folium import plugins
from jinja2 import Template

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


UK_CENTRE = (54.0, -2.5)
Point = tuple[float, float]


def centre_on(scene: Point | None, sites: list[Point] = (), *, scene_zoom: int = 13) -> tuple[Point, int]:
    """Where a map opens: on the incident's scene when it is known, else the middle of its sites,
    else the whole UK; with a zoom to match."""
    if scene is not None and None not in scene:
        return scene, scene_zoom
    placed = [p for p in sites if None not in p]
    if placed:
        return (sum(p[0] for p in placed) / len(placed), sum(p[1] for p in placed) / len(placed)), 11
    return UK_CENTRE, 6


OUTLINE_FILE = Path(__file__).resolve().parent / "static" / "british_isles.geojson"
OUTLINE_PANE = "standup-outline"
TILES_FAILED_NOTE = "Map tiles could not load: showing the coast and borders only."


@lru_cache(maxsize=1)
def _outline() -> dict:
    return json.loads(OUTLINE_FILE.read_text())


class TilesFailedNote(MacroElement):
    """Says so on the map, once, when its tiles cannot load (no internet, a blocked tile server)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, shown = false;
            map.eachLayer(function (layer) {
                if (!(layer instanceof L.TileLayer)) { return; }
                layer.on("tileerror", function () {
                    if (shown) { return; }
                    shown = true;
                    var note = L.control({position: "bottomleft"});
                    note.onAdd = function () {
                        var box = L.DomUtil.create("div", "standup-tiles-failed");
                        box.setAttribute("role", "status");
                        box.style.cssText = "background:#fff;color:#0b0c0c;padding:4px 8px;"
                            + "border:2px solid #0b0c0c;font:14px sans-serif";
                        box.textContent = {{ this.text|tojson }};
                        return box;
                    };
                    note.addTo(map);
                });
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, text: str = TILES_FAILED_NOTE) -> None:
        super().__init__()
        self._name = "TilesFailedNote"
        self.text = text


def base_map(center: tuple[float, float], zoom: int, tile_url: str) -> folium.Map:
    """A map with the configured tiles over the shipped coast-and-borders outline, which shows
    wherever tiles do not; layers are added by the caller."""
    use_vendored_assets()
    m = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True)
    m.get_root().header.add_child(folium.Element(f"<style>#{m.get_name()} {{ background: #d4e6f1; }}</style>"))
    folium.map.CustomPane(OUTLINE_PANE, z_index=150).add_to(m)  # under the tiles (200) and every layer
    folium.GeoJson(_outline(), name="Coast and borders (offline)", control=False, pane=OUTLINE_PANE,
                   style_function=lambda _: {"color": "#6f777b", "weight": 1, "fillColor": "#f3f2f1",
                                             "fillOpacity": 1, "interactive": False}).add_to(m)
    folium.TileLayer(tile_url, attr="&copy; OpenStreetMap contributors", name="Base map").add_to(m)
    TilesFailedNote().add_to(m)
    return m
