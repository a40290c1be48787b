"""Which UK nation and police force area a home postcode implies, without any network.

The table is at postcode AREA level (the leading letters: "M", "CF", "EH"), and at DISTRICT level
("CH5", "TD15") where an area straddles a border between nations or police forces. That is enough
for the two things it decides: the nation whose bank holidays count for the Victims' Code
deadlines, and whether the person lives outside the incident's force area (then they are
referred to their home area's service).

Areas split by district (each district goes to the side holding most of its people):
- CH: Wirral is Merseyside (the area's default); CH1-CH4 Chester, CH64-CH66 Neston and Ellesmere
  Port are Cheshire; CH5-CH8 Deeside, Flint, Mold, Holywell are Wales (North Wales).
- SY: Shropshire is England, West Mercia (the default); SY14 Malpas is Cheshire; SY15-SY22 (north
  Powys) and SY23-SY25 (north Ceredigion) are Wales, Dyfed-Powys.
- TD: the Scottish Borders are Scotland (the default); TD15 Berwick-upon-Tweed is England, Northumbria.
- NP: Gwent (the default); NP8 Crickhowell is Powys, Dyfed-Powys.
- SA: Swansea and Neath Port Talbot are South Wales (the default); Carmarthenshire, Ceredigion,
  Pembrokeshire and SA9 Ystradgynlais are Dyfed-Powys.
- CF: South Wales (the default); CF81-CF83 (Caerphilly county borough) are Gwent.
Whole areas on one side of a nation border: LL (North Wales), LD (Dyfed-Powys), HR (West Mercia),
GL (Gloucestershire), CA (Cumbria), DG (Scotland), NE (Northumbria).

Districts that themselves cross the border go to their majority, so a few villages are given the
wrong side: CH1 (Higher Ferry) and CH4 (Saltney, Broughton: Flintshire) are England; SY5, SY10
and SY13 (a fringe of Powys and Wrexham) are England; LD7 and LD8 (a fringe of Shropshire and
Herefordshire) are Wales; HR3 (Hay-on-Wye, Clyro: Powys) is England; NP16 and NP25 (Tutshill,
Sedbury, Redbrook: Gloucestershire) are Wales; TD9 (Kershopefoot) and TD12 (Cornhill-on-Tweed,
Wark: Northumberland) are Scotland; TD15 (Paxton, Foulden: the Borders) is England; DG16 (a
fringe of Cumbria) is Scotland. Only a full-postcode lookup would settle those. Within England,
areas crossing a force border (WA, GL9, BS…) still go to their majority force.
EC (the City and parts of Islington/Camden) is City of London Police.
Crown Dependency postcodes (GY, JE, IM) are outside the four nations and are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND = "england", "wales", "scotland", "northern_ireland"
NATION_TITLES = {ENGLAND: "England", WALES: "Wales", SCOTLAND: "Scotland", NORTHERN_IRELAND: "Northern Ireland"}

# The official shapes: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA (the inward
# part never uses C, I, K, M, O or V).
_POSTCODE = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?) ?([0-9][ABD-HJLNP-UW-Z]{2})$")
_CROWN_DEPENDENCIES = {"GY": "Guernsey", "JE": "Jersey", "IM": "the Isle of Man"}

_E, _W, _S, _N = ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND
_SCOT = "Police Scotland"
_MET = "Metropolitan Police"

# area -> (nation, police force area)
AREAS: dict[str, tuple[str, str]] = {
    "AB": (_S, _SCOT), "AL": (_E, "Hertfordshire"), "B": (_E, "West Midlands"),
    "BA": (_E, "Avon and Somerset"), "BB": (_E, "Lancashire"), "BD": (_E, "West Yorkshire"),
    "BH": (_E, "Dorset"), "BL": (_E, "Greater Manchester"), "BN": (_E, "Sussex"), "BR": (_E, _MET),
    "BS": (_E, "Avon and Somerset"), "BT": (_N, "Police Service of Northern Ireland"),
    "CA": (_E, "Cumbria"), "CB": (_E, "Cambridgeshire"), "CF": (_W, "South Wales"),
    "CH": (_E, "Merseyside"), "CM": (_E, "Essex"), "CO": (_E, "Essex"), "CR": (_E, _MET),
    "CT": (_E, "Kent"), "CV": (_E, "Warwickshire"), "CW": (_E, "Cheshire"), "DA": (_E, "Kent"),
    "DD": (_S, _SCOT), "DE": (_E, "Derbyshire"), "DG": (_S, _SCOT), "DH": (_E, "Durham"),
    "DL": (_E, "Durham"), "DN": (_E, "South Yorkshire"), "DT": (_E, "Dorset"), "DY": (_E, "West Midlands"),
    "E": (_E, _MET), "EC": (_E, "City of London"), "EH": (_S, _SCOT), "EN": (_E, _MET),
    "EX": (_E, "Devon and Cornwall"), "FK": (_S, _SCOT), "FY": (_E, "Lancashire"), "G": (_S, _SCOT),
    "GL": (_E, "Gloucestershire"), "GU": (_E, "Surrey"), "HA": (_E, _MET), "HD": (_E, "West Yorkshire"),
    "HG": (_E, "North Yorkshire"), "HP": (_E, "Thames Valley"), "HR": (_E, "West Mercia"),
    "HS": (_S, _SCOT), "HU": (_E, "Humberside"), "HX": (_E, "West Yorkshire"), "IG": (_E, _MET),
    "IP": (_E, "Suffolk"), "IV": (_S, _SCOT), "KA": (_S, _SCOT), "KT": (_E, "Surrey"), "KW": (_S, _SCOT),
    "KY": (_S, _SCOT), "L": (_E, "Merseyside"), "LA": (_E, "Lancashire"), "LD": (_W, "Dyfed-Powys"),
    "LE": (_E, "Leicestershire"), "LL": (_W, "North Wales"), "LN": (_E, "Lincolnshire"),
    "LS": (_E, "West Yorkshire"), "LU": (_E, "Bedfordshire"), "M": (_E, "Greater Manchester"),
    "ME": (_E, "Kent"), "MK": (_E, "Thames Valley"), "ML": (_S, _SCOT), "N": (_E, _MET),
    "NE": (_E, "Northumbria"), "NG": (_E, "Nottinghamshire"), "NN": (_E, "Northamptonshire"),
    "NP": (_W, "Gwent"), "NR": (_E, "Norfolk"), "NW": (_E, _MET), "OL": (_E, "Greater Manchester"),
    "OX": (_E, "Thames Valley"), "PA": (_S, _SCOT), "PE": (_E, "Cambridgeshire"), "PH": (_S, _SCOT),
    "PL": (_E, "Devon and Cornwall"), "PO": (_E, "Hampshire"), "PR": (_E, "Lancashire"),
    "RG": (_E, "Thames Valley"), "RH": (_E, "Sussex"), "RM": (_E, _MET), "S": (_E, "South Yorkshire"),
    "SA": (_W, "South Wales"), "SE": (_E, _MET), "SG": (_E, "Hertfordshire"), "SK": (_E, "Greater Manchester"),
    "SL": (_E, "Thames Valley"), "SM": (_E, _MET), "SN": (_E, "Wiltshire"), "SO": (_E, "Hampshire"),
    "SP": (_E, "Wiltshire"), "SR": (_E, "Northumbria"), "SS": (_E, "Essex"), "ST": (_E, "Staffordshire"),
    "SW": (_E, _MET), "SY": (_E, "West Mercia"), "TA": (_E, "Avon and Somerset"), "TD": (_S, _SCOT),
    "TF": (_E, "West Mercia"), "TN": (_E, "Kent"), "TQ": (_E, "Devon and Cornwall"),
    "TR": (_E, "Devon and Cornwall"), "TS": (_E, "Cleveland"), "TW": (_E, _MET), "UB": (_E, _MET),
    "W": (_E, _MET), "WA": (_E, "Cheshire"), "WC": (_E, _MET), "WD": (_E, "Hertfordshire"),
    "WF": (_E, "West Yorkshire"), "WN": (_E, "Greater Manchester"), "WR": (_E, "West Mercia"),
    "WS": (_E, "West Midlands"), "WV": (_E, "West Midlands"), "YO": (_E, "North Yorkshire"),
    "ZE": (_S, _SCOT),
}



def _districts(area: str, numbers: range | tuple[int, ...], place: tuple[str, str]) -> dict[str, tuple[str, str]]:
    return {f"{area}{n}": place for n in numbers}


# district -> (nation, police force area), where it differs from its area's entry above.
DISTRICTS: dict[str, tuple[str, str]] = {
    **_districts("CH", (1, 2, 3, 4, 64, 65, 66, 70, 88, 99), (_E, "Cheshire")),  # 70, 88, 99: Chester PO boxes
    **_districts("CH", range(5, 9), (_W, "North Wales")),
    **_districts("SY", (14,), (_E, "Cheshire")),
    **_districts("SY", range(15, 26), (_W, "Dyfed-Powys")),
    **_districts("TD", (15,), (_E, "Northumbria")),
    **_districts("NP", (8,), (_W, "Dyfed-Powys")),
    **_districts("SA", (9, *range(14, 21), *range(31, 49), *range(61, 74)), (_W, "Dyfed-Powys")),
    **_districts("CF", (81, 82, 83), (_W, "Gwent")),
}

FORCE_AREAS: tuple[str, ...] = tuple(sorted({force for _, force in (*AREAS.values(), *DISTRICTS.values())}))


@dataclass(frozen=True)
class Place:
    postcode: str  # normalised: upper case, one space before the inward part
    area: str
    nation: str
    force_area: str


def place_of(postcode: str) -> Place:
    """The nation and force area of a UK postcode; ValueError saying why it is not one."""
    cleaned = " ".join((postcode or "").upper().split())
    compact = cleaned.replace(" ", "")
    if not compact:
        raise ValueError("no postcode given")
    match = _POSTCODE.match(compact)
    if match is None:
        raise ValueError(f"{postcode.strip()!r} is not a UK postcode (e.g. M4 5AB, CF10 1AA, EH1 2NG)")
    area, district, inward = match.groups()
    if area in _CROWN_DEPENDENCIES:
        raise ValueError(
            f"{cleaned} is in {_CROWN_DEPENDENCIES[area]}, outside the UK's four nations; leave the postcode "
            "blank and note the address"
        )
    if area not in AREAS:
        raise ValueError(f"{cleaned}: there is no UK postcode area {area!r}")
    nation, force = DISTRICTS.get(area + district, AREAS[area])
    return Place(f"{area}{district} {inward}", area, nation, force)
