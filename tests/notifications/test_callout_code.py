import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications.callout_code import (
    CODE_ALPHABET,
    CODE_DIGITS,
    CODE_LETTERS,
    CODE_SPACE_SIZE,
    generate_code,
    is_code,
)
from notifications.replies import NEGATION_WORDS, YES_PHRASES, YES_WORDS


def test_alphabet_leaves_out_the_look_alikes():
    for look_alike in "O0I1":
        assert look_alike not in CODE_ALPHABET
    assert set(CODE_ALPHABET) == set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    assert len(CODE_ALPHABET) == len(set(CODE_ALPHABET)) == 32


@pytest.mark.parametrize("text", ["K7QX", "k7qx", "A2BC", "Z999", "B4ZT", "HH2H"])
def test_valid_codes(text):
    assert is_code(text)


@pytest.mark.parametrize(
    "text",
    [
        "K0QX",  # zero
        "KOQX",  # letter O
        "K1QX",  # one
        "KIQX",  # letter I
        "7KQX",  # starts with a digit
        "K7Q",  # too short
        "K7QXZ",  # too long
        " K7QX",  # whitespace is the caller's job
        "K7-X",
        "K7QÉ",
        "",
        "ＫＸ７Ｑ",  # full-width: the parser folds these first
    ],
)
def test_invalid_codes(text):
    assert not is_code(text)


def test_non_string_is_not_a_code():
    assert not is_code(None)  # type: ignore[arg-type]
    assert not is_code(1234)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "word", ["CANT", "SURE", "HERE", "WANT", "BUSY", "LATE", "MATE", "YEAH", "HELP", "STAY"]
)
def test_four_letter_words_are_never_codes(word):
    # The digit rule: a code always holds a digit, so no English word is one.
    assert set(word) <= set(CODE_ALPHABET)
    assert not is_code(word)


def test_no_reply_vocabulary_word_is_a_code():
    words = set(YES_WORDS) | set(NEGATION_WORDS) | {w for phrase in YES_PHRASES for w in phrase.split()}
    assert not [word for word in words if is_code(word)]


def test_code_space_size_counts_codes_with_a_digit():
    assert CODE_SPACE_SIZE == 24 * (32**3 - 24**3)


@given(st.integers(min_value=0, max_value=2**32))
def test_generated_code_is_valid_and_has_a_digit(seed):
    code = generate_code(set(), random.Random(seed))
    assert is_code(code)
    assert code == code.upper()
    assert any(ch in CODE_DIGITS for ch in code)
    assert code[0] in CODE_LETTERS


@given(st.integers(min_value=0, max_value=2**32), st.sets(st.sampled_from(["K7QX", "B4ZT", "A2BC"])))
def test_generated_code_is_never_one_in_use(seed, existing):
    rng = random.Random(seed)
    first = generate_code(existing, rng)
    assert first not in existing
    assert generate_code(existing | {first}, random.Random(seed)) != first


def test_existing_codes_are_compared_case_insensitively():
    first = generate_code(set(), random.Random(7))
    assert generate_code({first.lower()}, random.Random(7)) != first


def test_same_seed_same_code():
    assert generate_code(set(), random.Random(42)) == generate_code(set(), random.Random(42))


def test_every_alphabet_character_gets_used():
    rng = random.Random(1)
    codes = [generate_code(set(), rng) for _ in range(3000)]
    assert {code[0] for code in codes} == set(CODE_LETTERS)
    assert {ch for code in codes for ch in code[1:]} == set(CODE_ALPHABET)


def test_many_codes_in_a_row_stay_unique():
    rng = random.Random(3)
    existing: set[str] = set()
    for _ in range(2000):
        existing.add(generate_code(existing, rng))
    assert len(existing) == 2000


def _all_valid_codes():
    return {
        first + a + b + c
        for first in CODE_LETTERS
        for a in CODE_ALPHABET
        for b in CODE_ALPHABET
        for c in CODE_ALPHABET
        if is_code(first + a + b + c)
    }


def test_finds_the_last_free_code_and_refuses_when_none_is_left():
    every_code = _all_valid_codes()
    assert len(every_code) == CODE_SPACE_SIZE
    last = "Z99Z"
    assert generate_code(every_code - {last}, random.Random(0)) == last
    with pytest.raises(RuntimeError):
        generate_code(every_code, random.Random(0))
