"""The UK screen for typed or clicked coordinates."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InputError
from incident.uk_area import UK_BANDS, check_uk_point, in_uk

INSIDE = {
    "Manchester Arena": (53.4880, -2.2440), "London Bridge": (51.5079, -0.0877), "Belfast": (54.5973, -5.9301),
    "Cardiff": (51.4816, -3.1791), "Edinburgh": (55.9533, -3.1883), "Lerwick, Shetland": (60.1550, -1.1450),
    "St Mary's, Scilly": (49.9146, -6.3121), "Stornoway": (58.2093, -6.3865), "Kirkwall, Orkney": (58.9810, -2.9600),
    "Lowestoft": (52.4811, 1.7534), "Dover": (51.1279, 1.3134), "Holyhead": (53.3094, -4.6330),
    "Londonderry": (54.9966, -7.3086), "Penzance": (50.1188, -5.5376), "Brighton": (50.8225, -0.1372),
}
OUTSIDE = {
    "Paris": (48.8566, 2.3522), "Calais": (50.9513, 1.8587), "Boulogne": (50.7264, 1.6147),
    "Dieppe": (49.9229, 1.0775), "Cherbourg": (49.6337, -1.6222), "Dublin": (53.3498, -6.2603),
    "Cork": (51.8985, -8.4756), "St Helier, Jersey": (49.1858, -2.1101), "Amsterdam": (52.3676, 4.9041),
    "Null Island": (0.0, 0.0), "Manchester with lat/long swapped": (-2.2440, 53.4880),
    "Manchester with the minus dropped": (53.4880, 2.2440),
}


@pytest.mark.parametrize("place", INSIDE)
def test_places_in_the_uk_are_accepted(place):
    assert in_uk(*INSIDE[place])
    check_uk_point(*INSIDE[place], what="location")


@pytest.mark.parametrize("place", OUTSIDE)
def test_places_outside_are_refused_with_the_range(place):
    assert not in_uk(*OUTSIDE[place])
    with pytest.raises(InputError, match="outside the United Kingdom"):
        check_uk_point(*OUTSIDE[place], what="location")


def test_swapped_coordinates_get_a_hint():
    with pytest.raises(InputError, match="may be swapped"):
        check_uk_point(-2.244, 53.488, what="location")


@pytest.mark.parametrize(("lat", "lon", "message"), [
    (53.4, None, "both latitude and longitude"), (None, -2.2, "both latitude and longitude"),
    (math.nan, -2.2, "must be numbers"), (53.4, math.inf, "must be numbers"),
])
def test_half_or_broken_points_are_refused(lat, lon, message):
    with pytest.raises(InputError, match=message):
        check_uk_point(lat, lon, what="location")


def test_no_point_at_all_is_allowed():
    check_uk_point(None, None, what="location")


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_anything_accepted_lies_in_the_outer_box(lat, lon):
    if in_uk(lat, lon):
        assert 49.85 <= lat <= 61.0 and -8.7 <= lon <= 1.8
        assert any(s <= lat <= n and w <= lon <= e for s, n, w, e in UK_BANDS)
