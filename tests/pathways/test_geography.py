"""Postcode -> nation and police force area, offline: by postcode area, and by district where an
area straddles a border."""

import pytest

from pathways.geography import AREAS, DISTRICTS, FORCE_AREAS, place_of


@pytest.mark.parametrize(
    ("postcode", "normalised", "nation", "force"),
    [
        ("m4 5ab", "M4 5AB", "england", "Greater Manchester"),
        ("CF101AA", "CF10 1AA", "wales", "South Wales"),
        ("EH1 2NG", "EH1 2NG", "scotland", "Police Scotland"),
        ("BT1 5GS", "BT1 5GS", "northern_ireland", "Police Service of Northern Ireland"),
        ("LL30 2PE", "LL30 2PE", "wales", "North Wales"),
        ("EC1A 1BB", "EC1A 1BB", "england", "City of London"),
        ("W1A 0AX", "W1A 0AX", "england", "Metropolitan Police"),
        ("  sw1a   2aa ", "SW1A 2AA", "england", "Metropolitan Police"),
    ],
)
def test_postcodes_give_their_nation_and_force_area(postcode, normalised, nation, force):
    place = place_of(postcode)
    assert (place.postcode, place.nation, place.force_area) == (normalised, nation, force)


@pytest.mark.parametrize(
    ("postcode", "nation", "force"),
    [
        # TD: the Borders are Scotland; Berwick-upon-Tweed is England.
        ("TD14 5AA", "scotland", "Police Scotland"), ("TD1 1AA", "scotland", "Police Scotland"),
        ("TD15 1BT", "england", "Northumbria"),
        # CH: Wirral is Merseyside, Chester and Ellesmere Port Cheshire, Deeside to Holywell Wales.
        ("CH1 2HJ", "england", "Cheshire"), ("CH4 7DA", "england", "Cheshire"),
        ("CH5 1PZ", "wales", "North Wales"), ("CH6 5BA", "wales", "North Wales"),
        ("CH7 1AB", "wales", "North Wales"), ("CH8 7AA", "wales", "North Wales"),
        ("CH41 5AA", "england", "Merseyside"), ("CH63 7AA", "england", "Merseyside"),
        ("CH64 3RU", "england", "Cheshire"), ("CH65 0AA", "england", "Cheshire"), ("CH66 1AA", "england", "Cheshire"),
        # SY: Shropshire England, Malpas Cheshire, north Powys and Ceredigion Wales.
        ("SY1 1AA", "england", "West Mercia"), ("SY13 1AA", "england", "West Mercia"),
        ("SY14 8AA", "england", "Cheshire"), ("SY15 6AA", "wales", "Dyfed-Powys"),
        ("SY21 7AA", "wales", "Dyfed-Powys"), ("SY23 1DL", "wales", "Dyfed-Powys"), ("SY25 6AA", "wales", "Dyfed-Powys"),
        # LD and HR, NP and GL, DG and CA: each side of the border by area, Crickhowell by district.
        ("LD1 5AA", "wales", "Dyfed-Powys"), ("LD8 2AA", "wales", "Dyfed-Powys"), ("HR1 2AA", "england", "West Mercia"),
        ("NP20 1AA", "wales", "Gwent"), ("NP16 5AA", "wales", "Gwent"), ("NP8 1AA", "wales", "Dyfed-Powys"),
        ("GL16 8AA", "england", "Gloucestershire"),
        ("DG16 5AA", "scotland", "Police Scotland"), ("CA6 5AA", "england", "Cumbria"),
        ("NE71 6AA", "england", "Northumbria"), ("LL11 1AA", "wales", "North Wales"),
        # Wales's own force borders: Swansea and Neath South Wales, the west Dyfed-Powys, Caerphilly Gwent.
        ("SA1 1AA", "wales", "South Wales"), ("SA13 1AA", "wales", "South Wales"),
        ("SA15 1AA", "wales", "Dyfed-Powys"), ("SA31 1AA", "wales", "Dyfed-Powys"), ("SA61 1AA", "wales", "Dyfed-Powys"),
        ("CF10 1AA", "wales", "South Wales"), ("CF83 1AA", "wales", "Gwent"),
    ],
)
def test_areas_that_straddle_a_border_are_routed_by_district(postcode, nation, force):
    place = place_of(postcode)
    assert (place.nation, place.force_area) == (nation, force)


def test_each_district_entry_belongs_to_a_known_area_and_changes_its_answer():
    for district, place in DISTRICTS.items():
        area = district.rstrip("0123456789")
        assert area in AREAS, district
        assert place != AREAS[area], f"{district} repeats its area's entry"
        assert place_of(f"{district} 1AA").force_area == place[1]
    assert set(FORCE_AREAS) >= {force for _, force in DISTRICTS.values()}


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
