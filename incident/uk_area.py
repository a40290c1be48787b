"""Whether a point is in the United Kingdom: a coarse screen made of latitude bands.

Each band lists the longitudes the UK spans at those latitudes, drawn so that France, the
Republic of Ireland south of the border counties, the Netherlands and the open Atlantic fall
outside. It catches what people actually get wrong — swapped latitude and longitude, a
dropped minus sign, a point pasted from the wrong map — not a point a few kilometres over the
Irish border (the Northern Ireland band includes bits of Donegal, Monaghan and Cavan).

Included: Great Britain, Northern Ireland, Anglesey, the Isles of Scilly, the Hebrides, Orkney
and Shetland (and, by the shape of the bands, the Isle of Man). Excluded: the Channel Islands,
which are Crown Dependencies with their own police forces, not part of the UK.
"""

from __future__ import annotations

import math

from core.errors import InputError

# (south, north, west, east) in degrees; bands meet at their edges.
UK_BANDS: tuple[tuple[float, float, float, float], ...] = (
    (49.85, 50.70, -6.50, 0.30),   # Scilly, Cornwall to Sussex: Dieppe and the Cotentin fall outside
    (50.70, 51.45, -5.75, 1.45),   # Sussex, Kent, the Bristol Channel: Boulogne and Calais outside
    (51.45, 53.00, -5.75, 1.80),   # Wales, the Midlands, East Anglia: Wicklow's coast is at -5.99
    (53.00, 54.00, -5.00, 0.50),   # Anglesey to Lincolnshire: Dublin (-6.26) outside
    (54.00, 55.35, -8.20, -5.40),  # Northern Ireland
    (54.00, 55.80, -6.00, 0.00),   # northern England, southern Scotland, Kintyre, the Isle of Man
    (55.80, 58.70, -8.70, -1.50),  # Scotland and the Hebrides (St Kilda is at -8.6)
    (58.70, 61.00, -4.50, -0.70),  # Orkney, Fair Isle, Shetland
)


def in_uk(latitude: float, longitude: float) -> bool:
    return any(s <= latitude <= n and w <= longitude <= e for s, n, w, e in UK_BANDS)


def check_uk_point(latitude: float | None, longitude: float | None, *, what: str) -> None:
    """Both or neither; when given, a finite point inside the UK. Raises InputError otherwise."""
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise InputError(f"The {what} needs both latitude and longitude, or neither.")
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise InputError(f"The {what} coordinates must be numbers.")
    if not in_uk(latitude, longitude):
        hint = " (latitude and longitude may be swapped)" if in_uk(longitude, latitude) else ""
        raise InputError(
            f"The {what} ({latitude:.5f}, {longitude:.5f}) is outside the United Kingdom{hint}. "
            "Give latitude 49.8 to 61 and longitude -8.7 to 1.8, on UK land or its coast "
            "(the Channel Islands are not covered)."
        )
