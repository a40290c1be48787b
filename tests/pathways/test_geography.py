"""Postcode -> nation and police force area, offline, at postcode-area level."""

import pytest

from pathways.geography import AREAS, FORCE_AREAS, place_of


@pytest.mark.parametrize(
    ("postcode", "normalised", "nation", "force"),
    [
        ("m4 5ab", "M4 5AB", "england", "Greater Manchester"),
        ("CF101AA", "CF10 1AA", "wales", "South Wales"),
        ("EH1 2NG", "EH1 2NG", "scotland", "Police Scotland"),
        ("BT1 5GS", "BT1 5GS", "northern_ireland", "Police Service of Northern Ireland"),
        ("LL30 2PE", "LL30 2PE", "wales", "North Wales"),
        ("SY23 1DL", "SY23 1DL", "england", "West Mercia"),  # Aberystwyth: SY's majority is England (documented)
        ("TD15 1AA", "TD15 1AA", "scotland", "Police Scotland"),  # Berwick: TD is mostly Scotland
        ("EC1A 1BB", "EC1A 1BB", "england", "City of London"),
        ("W1A 0AX", "W1A 0AX", "england", "Metropolitan Police"),
        ("  sw1a   2aa ", "SW1A 2AA", "england", "Metropolitan Police"),
    ],
)
def test_postcodes_give_their_nation_and_force_area(postcode, normalised, nation, force):
    place = place_of(postcode)
    assert (place.postcode, place.nation, place.force_area) == (normalised, nation, force)


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("", "no postcode"),
        ("M4", "is not a UK postcode"),
        ("12345", "is not a UK postcode"),
        ("M4 5CB", "is not a UK postcode"),  # C never appears in the inward part
        ("QQ1 1AA", "no UK postcode area 'QQ'"),
        ("JE2 3AB", "Jersey"),
        ("IM1 1AA", "Isle of Man"),
    ],
)
def test_impossible_postcodes_are_refused_with_the_reason(postcode, message):
    with pytest.raises(ValueError, match=message):
        place_of(postcode)


def test_the_table_covers_the_uk_with_known_nations_and_one_force_per_area():
    assert len(AREAS) >= 120
    assert {nation for nation, _ in AREAS.values()} == {"england", "wales", "scotland", "northern_ireland"}
    # Every Welsh force appears, and Scotland and Northern Ireland each have one force.
    assert {"South Wales", "North Wales", "Gwent", "Dyfed-Powys"} <= set(FORCE_AREAS)
    assert {f for n, f in AREAS.values() if n == "scotland"} == {"Police Scotland"}
    assert {f for n, f in AREAS.values() if n == "northern_ireland"} == {"Police Service of Northern Ireland"}
