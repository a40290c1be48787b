"""How far a person lives from a hub, roughly, from the two postcodes alone.

Decision: no postcode database ships with Stand Up (there is no network to fetch one from and
the full list is large). Instead, a small table of the UK's postcode *areas* (the letters at
the start: "M", "OL", "SK"), each at the approximate centre of its main post town. Distance
is the great-circle distance between area centres; within one area, a different district
("M4" vs "M20") counts as a short hop and the same district as none. That is coarse, but it
is what the auto-filler needs: to prefer the Stockport nurse over the Aberdeen one, not to
plan a route. Unknown or missing postcodes count as UNKNOWN_KM, so nobody is favoured for
having left theirs blank.
"""

from __future__ import annotations

import re
from functools import lru_cache
from math import asin, cos, radians, sin, sqrt

UNKNOWN_KM = 60.0
SAME_AREA_OTHER_DISTRICT_KM = 8.0

# Postcode area -> (latitude, longitude) of its main post town, to about a kilometre or two.
AREA_CENTRES: dict[str, tuple[float, float]] = {
    "AB": (57.15, -2.11), "AL": (51.75, -0.34), "B": (52.48, -1.90), "BA": (51.38, -2.36),
    "BB": (53.75, -2.48), "BD": (53.79, -1.75), "BH": (50.72, -1.88), "BL": (53.58, -2.43),
    "BN": (50.82, -0.14), "BR": (51.41, 0.02), "BS": (51.45, -2.59), "BT": (54.60, -5.93),
    "CA": (54.89, -2.94), "CB": (52.21, 0.12), "CF": (51.48, -3.18), "CH": (53.19, -2.89),
    "CM": (51.74, 0.47), "CO": (51.89, 0.90), "CR": (51.37, -0.10), "CT": (51.28, 1.08),
    "CV": (52.41, -1.51), "CW": (53.10, -2.44), "DA": (51.45, 0.21), "DD": (56.46, -2.97),
    "DE": (52.92, -1.48), "DG": (55.07, -3.61), "DH": (54.78, -1.57), "DL": (54.52, -1.55),
    "DN": (53.52, -1.13), "DT": (50.71, -2.44), "DY": (52.51, -2.08), "E": (51.54, -0.03),
    "EC": (51.52, -0.10), "EH": (55.95, -3.19), "EN": (51.65, -0.08), "EX": (50.72, -3.53),
    "FK": (56.00, -3.78), "FY": (53.82, -3.05), "G": (55.86, -4.25), "GL": (51.86, -2.24),
    "GU": (51.24, -0.57), "GY": (49.46, -2.54), "HA": (51.58, -0.34), "HD": (53.65, -1.78),
    "HG": (53.99, -1.54), "HP": (51.75, -0.47), "HR": (52.06, -2.72), "HS": (58.21, -6.39),
    "HU": (53.74, -0.33), "HX": (53.72, -1.86), "IG": (51.56, 0.07), "IM": (54.15, -4.48),
    "IP": (52.06, 1.16), "IV": (57.48, -4.22), "JE": (49.19, -2.11), "KA": (55.61, -4.50),
    "KT": (51.41, -0.30), "KW": (58.44, -3.09), "KY": (56.11, -3.16), "L": (53.41, -2.98),
    "LA": (54.05, -2.80), "LD": (52.24, -3.38), "LE": (52.64, -1.13), "LL": (53.12, -3.80),
    "LN": (53.23, -0.54), "LS": (53.80, -1.55), "LU": (51.88, -0.42), "M": (53.48, -2.24),
    "ME": (51.27, 0.52), "MK": (52.04, -0.76), "ML": (55.78, -3.98), "N": (51.57, -0.10),
    "NE": (54.97, -1.61), "NG": (52.95, -1.15), "NN": (52.24, -0.90), "NP": (51.59, -3.00),
    "NR": (52.63, 1.30), "NW": (51.55, -0.18), "OL": (53.54, -2.12), "OX": (51.75, -1.26),
    "PA": (55.85, -4.42), "PE": (52.57, -0.24), "PH": (56.40, -3.43), "PL": (50.38, -4.14),
    "PO": (50.82, -1.09), "PR": (53.76, -2.70), "RG": (51.45, -0.97), "RH": (51.17, -0.17),
    "RM": (51.57, 0.18), "S": (53.38, -1.47), "SA": (51.62, -3.94), "SE": (51.47, -0.06),
    "SG": (51.90, -0.20), "SK": (53.41, -2.16), "SL": (51.51, -0.59), "SM": (51.36, -0.19),
    "SN": (51.56, -1.78), "SO": (50.90, -1.40), "SP": (51.07, -1.79), "SR": (54.91, -1.38),
    "SS": (51.54, 0.71), "ST": (53.00, -2.18), "SW": (51.46, -0.17), "SY": (52.71, -2.75),
    "TA": (51.02, -3.10), "TD": (55.60, -2.43), "TF": (52.68, -2.45), "TN": (51.13, 0.26),
    "TQ": (50.46, -3.53), "TR": (50.26, -5.05), "TS": (54.57, -1.23), "TW": (51.45, -0.34),
    "UB": (51.53, -0.45), "W": (51.51, -0.20), "WA": (53.39, -2.59), "WC": (51.52, -0.12),
    "WD": (51.66, -0.40), "WF": (53.68, -1.50), "WN": (53.55, -2.63), "WR": (52.19, -2.22),
    "WS": (52.59, -1.98), "WV": (52.59, -2.13), "YO": (53.96, -1.08), "ZE": (60.15, -1.15),
}

_OUTWARD = re.compile(r"([A-Z]{1,2})([0-9][0-9A-Z]?)")


def district_of(postcode: str | None) -> tuple[str, str] | None:
    """(area, district) from a postcode or outward code: "M20 2LR" -> ("M", "M20")."""
    if not postcode:
        return None
    outward = postcode.strip().upper().split()[0] if postcode.strip() else ""
    if len(outward) > 4 and " " not in postcode.strip():  # written without the space: drop the inward code
        outward = outward[:-3]
    match = _OUTWARD.fullmatch(outward)
    if not match:
        return None
    return match.group(1), outward


def _great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(radians, (*a, *b))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(h))


@lru_cache(maxsize=65536)
def travel_km(home_postcode: str | None, hub_postcode: str | None) -> float:
    """Rough distance from home to hub in km (see the module notes); UNKNOWN_KM when either is unknown."""
    home, hub = district_of(home_postcode), district_of(hub_postcode)
    if home is None or hub is None or home[0] not in AREA_CENTRES or hub[0] not in AREA_CENTRES:
        return UNKNOWN_KM
    if home[1] == hub[1]:
        return 0.0
    if home[0] == hub[0]:
        return SAME_AREA_OTHER_DISTRICT_KM
    return round(_great_circle_km(AREA_CENTRES[home[0]], AREA_CENTRES[hub[0]]), 1)
