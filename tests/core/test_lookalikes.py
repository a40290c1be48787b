"""Look-alike letters and invisible characters: a Cyrillic "А" twin, a right-to-left override, a
zero-width space (each passed into names and defeated duplicate matching)."""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.lookalikes import fold, mixed_scripts
from core.typed_text import free_text, one_line


@pytest.mark.parametrize(("typed", "folded"), [
    ("Amira Khan", "amira khan"),
    ("\u0410mira Khan", "amira khan"),  # Cyrillic А
    ("José Núñez", "jose nunez"),
    ("Ｋｈａｎ", "khan"),  # full-width
    ("Ο'Brien", "o'brien"),  # Greek capital omicron
])
def test_names_fold_to_the_form_they_are_read_as(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(("name", "mixed"), [
    ("\u0410mira", True), ("Amira", False), ("Анна Петрова", False), ("Αλέξανδρος", False),
    ("Анна Smith", False),  # two words, each of one alphabet: a real name can be written so
    ("Zoë-Mae O'Connor", False), ("محمد", False),
])
def test_a_word_mixing_alphabets_is_told_apart(name, mixed):
    assert mixed_scripts(name) is mixed


@pytest.mark.parametrize("hostile", ["Amira\u202eKhan", "Ami\u200bra", "\ufeffAmira", "Amira\u2066x\u2069"])
def test_invisible_and_direction_changing_characters_are_refused_everywhere(hostile):
    for check in (lambda t: one_line(t, "Name", 80), lambda t: free_text(t, "Note")):
        with pytest.raises(InputError, match="invisible character"):
            check(hostile)


def test_one_line_text_is_kept_in_its_compatibility_form():
    assert one_line("Ｋｈａｎ ﬁeld", "Name", 80) == "Khan field"
    assert one_line("Zoë Khan", "First name", 80) == "Zoë Khan"
    assert one_line("می\u200cخواهم", "Name", 80) == "می\u200cخواهم"  # Persian keeps its zero-width non-joiner
