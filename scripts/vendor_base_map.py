#!/usr/bin/env python3
"""Make the offline base layer every map draws under its tiles: the coast and borders of the
British Isles and the near Continent, from world-atlas's countries-10m.json (Natural Earth, public
domain; world-atlas ISC licence) on the npm registry.

    npm install --prefix /tmp/wa world-atlas@2.0.2
    scripts/vendor_base_map.py /tmp/wa/node_modules/world-atlas

writes core/static/british_isles.geojson and copies world-atlas's LICENSE beside it. Run again
only to change the area or the release; the result is committed."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "core" / "static"
# West, south, east, north: the UK, Ireland, the Channel and the coast across it.
BOX = (-11.0, 49.0, 3.5, 61.5)


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs, delta-decoded and un-quantised into longitude/latitude."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            # Three decimals (about 100 m) keep all the source holds (about 200 m between points).
            point = (round(x * sx + tx, 3), round(y * sy + ty, 3))
            if not points or point != points[-1]:
                points.append(point)
        decoded.append(_simplified(points))
    return decoded


def _simplified(points: list[tuple[float, float]], tolerance: float = 0.002) -> list[tuple[float, float]]:
    """Douglas-Peucker: drop points within `tolerance` degrees (about 150 m) of the line kept. Arcs are
    simplified before they are joined, so two neighbours still share the same border."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    def distance(p):
        if length == 0:
            return ((p[0] - x1) ** 2 + (p[1] - y1) ** 2) ** 0.5
        return abs((x2 - x1) * (y1 - p[1]) - (x1 - p[0]) * (y2 - y1)) / length
    far = max(range(1, len(points) - 1), key=lambda i: distance(points[i]))
    if distance(points[far]) <= tolerance:
        return [points[0], points[-1]]
    return _simplified(points[:far + 1], tolerance)[:-1] + _simplified(points[far:], tolerance)


def _ring(indices: list[int], arcs) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indices:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def _touches_box(ring) -> bool:
    west, south, east, north = BOX
    return any(west <= x <= east and south <= y <= north for x, y in ring)


def british_isles(topology: dict) -> dict:
    arcs = _arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        kept = [[_ring(r, arcs) for r in polygon] for polygon in polygons]
        kept = [p for p in kept if _touches_box(p[0])]
        if kept:
            features.append({"type": "Feature", "properties": {"name": geometry["properties"]["name"]},
                             "geometry": {"type": "MultiPolygon", "coordinates": kept}})
    return {"type": "FeatureCollection", "features": features}


def main(package: Path) -> None:
    sys.setrecursionlimit(100_000)  # the simplification recurses along long coastlines
    collection = british_isles(json.loads((package / "countries-10m.json").read_text()))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "british_isles.geojson").write_text(json.dumps(collection, separators=(",", ":")))
    shutil.copy(package / "LICENSE", OUT / "world-atlas-LICENSE")
    print(f"{len(collection['features'])} countries: {', '.join(f['properties']['name'] for f in collection['features'])}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
