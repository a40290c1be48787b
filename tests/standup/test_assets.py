"""Maps work without a CDN: every asset folium asks for is vendored and served by Stand Up."""

import folium
from starlette.testclient import TestClient

from core.maps import VENDOR_PREFIX, base_map
from standup.assets import ensure_vendored, missing_files
from standup.webhook_app import app


def test_every_map_asset_is_vendored_and_served():
    assert ensure_vendored(), f"could not install {missing_files()}"
    client = TestClient(app)
    m = base_map((53.48, -2.24), 12, "http://127.0.0.1:9/{z}/{x}/{y}.png")
    folium.plugins.FastMarkerCluster([[53.48, -2.24]]).add_to(m)
    urls = [u for _, u in m.default_js + m.default_css]
    urls += [u for _, u in folium.plugins.FastMarkerCluster.default_js + folium.plugins.FastMarkerCluster.default_css]
    assert urls and all(u.startswith(VENDOR_PREFIX + "/") for u in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) > 100, url
    html = m.get_root().render()
    assert "cdn" not in html.lower() and "https://" not in html.replace("https://openstreetmap", "")


def test_a_missing_asset_is_404_not_a_crash():
    assert TestClient(app).get(f"{VENDOR_PREFIX}/leaflet/../../../etc/passwd").status_code == 404
