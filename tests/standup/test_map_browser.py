"""The situation picture in a real browser with every request off this machine blocked: the map
draws its layers from the vendored Leaflet served at /vendor (no CDN, no tiles), and Gold's
dashboard, the map and the hub coverage board are photographed for the README."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from core.maps import TILES_FAILED_NOTE
from tests.live_server import sign_in, wait_connected

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("server")]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
MAP_FRAME = 'iframe[title*="folium"]'


def _vendor_responses(page) -> dict[str, int]:
    seen: dict[str, int] = {}
    page.on("response", lambda r: seen.__setitem__(urlparse(r.url).path, r.status)
            if urlparse(r.url).path.startswith("/vendor/") else None)
    return seen


def _open(page, url_path: str) -> None:
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{url_path}"]').click()
    wait_connected(page)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_the_map_draws_its_layers_from_vendored_assets_with_the_outside_world_blocked(live_server, browser_page,
                                                                                     off_machine):
    page = browser_page  # refuses every request off this machine; any but a tile fails the test
    vendor = _vendor_responses(page)
    password = live_server.add_user("m.gold", "gold")
    sign_in(page, live_server.base_url, "m.gold", password)

    _open(page, "standup-map")
    page.get_by_role("heading", name="Situation map").wait_for(timeout=30_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=30_000)
    frame.locator("path.standup-cordon").wait_for(timeout=30_000)  # the cordon circle round the scene
    markers = frame.locator(".leaflet-marker-pane > *")  # the scene marker, the hubs or their cluster
    markers.first.wait_for(state="attached", timeout=30_000)
    assert markers.count() >= 2
    assert any(markers.nth(i).is_visible() for i in range(markers.count()))
    assert frame.locator("path.leaflet-interactive").count() >= 5  # cordon, people by area, referrals, staff
    layer_names = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert {"Incident and cordon", "Hubs and sites", "Staff on shift now", "Affected people by home area",
            "Referrals to other force areas"} <= {n.strip() for n in layer_names}

    assert vendor.get("/vendor/leaflet/dist/leaflet.js") == 200
    assert vendor.get("/vendor/leaflet.markercluster/dist/leaflet.markercluster.js") == 200
    # The map did ask for its tiles (the default tile server), was refused them, and drew its layers anyway.
    assert off_machine.tiles and all(urlparse(url).hostname == "tile.openstreetmap.org" for url in off_machine.tiles)
    # ... and said so, drawing the coast and borders shipped with the package under its layers.
    note = frame.locator(".standup-tiles-failed")
    note.wait_for(timeout=30_000)
    assert note.inner_text() == TILES_FAILED_NOTE
    assert frame.locator(".leaflet-standup-outline-pane path").count() >= 5  # UK, Ireland, France...
    print(f"refused {len(off_machine.tiles)} tiles and {len(off_machine.others)} other requests off this machine")

    # Switching a layer off takes it off the map without rerunning the page.
    frame.locator(".leaflet-control-layers-overlays label", has_text="Incident and cordon").locator("input").uncheck()
    assert frame.locator("path.standup-cordon").count() == 0
    frame.locator(".leaflet-control-layers-overlays label", has_text="Incident and cordon").locator("input").check()
    frame.locator("path.standup-cordon").wait_for(timeout=10_000)
    page.wait_for_timeout(1500)  # let the markers settle for the picture
    _shot(page, "situation-map.png")


def test_screenshots_of_golds_dashboard_and_the_hub_board(live_server, browser_page):
    page = browser_page  # refuses every request off this machine; any but a tile fails the test
    password = live_server.add_user("s.gold", "gold")
    sign_in(page, live_server.base_url, "s.gold", password)

    page.set_viewport_size({"width": 1400, "height": 5400})  # Streamlit scrolls inside: a tall window shows it all
    _open(page, "standup-dashboard")
    page.get_by_role("heading", name="Situation", exact=True).wait_for(timeout=30_000)
    page.get_by_text("People registered").first.wait_for(timeout=30_000)
    page.get_by_text("Registrations per day").wait_for(timeout=30_000)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30_000)
    _shot(page, "gold-dashboard.png")
    page.get_by_role("button", name="Make the report").click()  # PDF for the coordinating group, by default
    button = page.get_by_role("button", name=re.compile(r"^Download PDF, made \d\d:\d\d for strategic coordinating"))
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    page.set_viewport_size({"width": 1400, "height": 1400})
    _open(page, "rosters-coverage")
    page.get_by_role("heading", name="Coverage board").first.wait_for(timeout=30_000)
    page.get_by_test_id("stDataFrame").first.wait_for(timeout=30_000)
    page.get_by_role("heading", name="Printable roster").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # the grid paints its cells just after it appears
    _shot(page, "hub-coverage-board.png")
