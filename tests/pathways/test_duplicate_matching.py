"""Likely duplicates across registration sources (pure scoring)."""

from datetime import date, timedelta

import pytest

from core.db import unit_of_work
from pathways.duplicates import Identity, likeness


def test_a_misspelt_name_with_the_same_birthday_is_suggested():
    a = Identity("Catherine", "O'Neill", date(1990, 4, 2), None)
    b = Identity("Katherine", "O'Neil", date(1990, 4, 2), None)
    match = likeness(a, b)
    assert match.suggested and "same date of birth" in match.reasons


def test_the_same_mobile_and_a_similar_name_is_suggested_without_a_birthday():
    a = Identity("Jon", "Smith", None, "+447400123456")
    b = Identity("John", "Smith", None, "+447400123456")
    assert likeness(a, b).suggested


def test_a_different_known_birthday_rules_a_match_out():
    a = Identity("John", "Smith", date(1980, 1, 1), "+447400123456")
    b = Identity("John", "Smith", date(1981, 1, 1), "+447400123456")
    assert likeness(a, b).score == 0 and not likeness(a, b).suggested


def test_different_people_with_nothing_in_common_are_not_suggested():
    a = Identity("Amira", "Khan", None, None)
    b = Identity("Peter", "Walsh", None, None)
    assert not likeness(a, b).suggested


def test_word_order_does_not_matter():
    a = Identity("Smith", "John", date(1980, 1, 1), None)
    b = Identity("John", "Smith", date(1980, 1, 1), None)
    assert likeness(a, b).score >= 90


def test_a_look_alike_twin_is_suggested_and_flagged(db, frozen_clock, register, caseworker):
    """ "Аmira Khan" with a Cyrillic А found 0 suggestions; matched as read, it is the first, and flagged."""
    from pathways.merge_service import duplicate_suggestions

    first = register(mobile="07400 123456")
    frozen_clock.advance(timedelta(minutes=5))  # not a double click: a second registration later
    # Cyrillic А, К and а: looks the same, was a different name to every comparison.
    twin = register(given_name="\u0410mira", family_name="\u041ah\u0430n", mobile="07400 654321")
    with unit_of_work(db.engine) as s:
        found = duplicate_suggestions(s, caseworker, twin)
    assert [row.id for row, _ in found] == [first]
    likeness_found = found[0][1]
    assert likeness_found.reasons[0] == "names 100% alike" and likeness_found.score == 90
    assert any("mixes alphabets" in reason for reason in likeness_found.reasons)


def test_a_name_with_a_direction_override_is_refused_and_nothing_saved(db, frozen_clock, register):
    from core.errors import InputError
    from pathways.model import Person

    with pytest.raises(InputError, match="invisible character"):
        register(given_name="Amira\u202e", family_name="Khan")
    with unit_of_work(db.engine) as s:
        assert s.query(Person).count() == 0
