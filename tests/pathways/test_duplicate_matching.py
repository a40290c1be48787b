"""Likely duplicates across registration sources (pure scoring)."""

from datetime import date

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
