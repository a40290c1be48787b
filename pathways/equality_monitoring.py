"""Equality monitoring: the categories a person may be recorded under (all optional: a person may
decline, and "not recorded" is a category of its own), and how the compliance figures group them.

Sex and disability follow the ONS 2021 Census questions (with "prefer not to say"); ethnic group is
the ONS 2021 England and Wales classification, 19 groups in 5 high-level ones. The figures group
ethnicity by the high-level group: 19 groups would suppress almost every cell of a small incident.
Ages are banded at the day the right arose. These answers are special-category data (UK GDPR
art. 9): stored encrypted like health data.
"""

from __future__ import annotations

from datetime import date

from pathways.vocabulary import age_on

NOT_RECORDED = "not recorded"
PREFER_NOT_TO_SAY = "prefer_not_to_say"

SEXES = ("female", "male", PREFER_NOT_TO_SAY)
DISABILITY_ANSWERS = ("yes", "no", PREFER_NOT_TO_SAY)

# ONS 2021 (England and Wales): high-level group -> its groups, as (stored code, wording).
ETHNIC_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    "Asian, Asian British or Asian Welsh": (
        ("asian_bangladeshi", "Bangladeshi"), ("asian_chinese", "Chinese"), ("asian_indian", "Indian"),
        ("asian_pakistani", "Pakistani"), ("asian_other", "Any other Asian background")),
    "Black, Black British, Black Welsh, Caribbean or African": (
        ("black_african", "African"), ("black_caribbean", "Caribbean"), ("black_other", "Any other Black, Black "
                                                                          "British or Caribbean background")),
    "Mixed or Multiple ethnic groups": (
        ("mixed_white_asian", "White and Asian"), ("mixed_white_black_african", "White and Black African"),
        ("mixed_white_black_caribbean", "White and Black Caribbean"),
        ("mixed_other", "Any other Mixed or Multiple ethnic background")),
    "White": (
        ("white_british", "English, Welsh, Scottish, Northern Irish or British"), ("white_irish", "Irish"),
        ("white_gypsy_traveller", "Gypsy or Irish Traveller"), ("white_roma", "Roma"),
        ("white_other", "Any other White background")),
    "Other ethnic group": (("other_arab", "Arab"), ("other_any", "Any other ethnic group")),
}
ETHNIC_GROUP_WORDS = {code: f"{high}: {words}" for high, groups in ETHNIC_GROUPS.items() for code, words in groups}
ETHNIC_ANSWERS = (*ETHNIC_GROUP_WORDS, PREFER_NOT_TO_SAY)
_HIGH_LEVEL = {code: high for high, groups in ETHNIC_GROUPS.items() for code, _ in groups}

# (youngest age, band): each band runs to the next one's youngest age.
AGE_BANDS = ((0, "under 18"), (18, "18 to 24"), (25, "25 to 44"), (45, "45 to 64"), (65, "65 and over"))


def age_band(date_of_birth: date | None, on: date) -> str:
    if date_of_birth is None:
        return NOT_RECORDED
    age = age_on(date_of_birth, on)
    return [band for youngest, band in AGE_BANDS if age >= youngest][-1] if age >= 0 else NOT_RECORDED


def answer_group(answer: str | None) -> str:
    """A sex or disability answer as the figures show it."""
    if not answer:
        return NOT_RECORDED
    return "prefer not to say" if answer == PREFER_NOT_TO_SAY else answer


def ethnicity_group(code: str | None) -> str:
    """The high-level ONS group of a recorded ethnic group."""
    if not code:
        return NOT_RECORDED
    return "prefer not to say" if code == PREFER_NOT_TO_SAY else _HIGH_LEVEL.get(code, NOT_RECORDED)


def refusal(sex: str | None, ethnic_group: str | None, disability: str | None) -> str:
    """Why these answers cannot be stored ("" when they can); an empty answer is "not recorded"."""
    for value, allowed, what in ((sex, SEXES, "sex"), (ethnic_group, ETHNIC_ANSWERS, "ethnic group"),
                                 (disability, DISABILITY_ANSWERS, "disability")):
        if value and value not in allowed:
            return f"Unknown {what} {value!r}; choose from the list, or leave it not recorded."
    return ""
