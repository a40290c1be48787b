from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications.callout_rules import DEFAULT_TEMPLATE, ShiftFacts, render
from notifications.segments import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    SegmentInfo,
    encoding,
    measure,
    non_gsm_characters,
    segment_count,
)

UCS2_CHAR = "ж"  # one UTF-16 unit, not in GSM 03.38
EMOJI = "😀"  # outside the BMP: a surrogate pair, two UTF-16 units

# The 3GPP TS 23.038 default alphabet in code order, ESC (0x1B) left out.
TS_23_038_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def test_basic_set_is_exactly_the_127_characters_of_the_default_alphabet():
    assert len(TS_23_038_BASIC) == 127
    assert frozenset(TS_23_038_BASIC) == GSM7_BASIC


def test_extension_table_is_exactly_the_ten_escaped_characters():
    assert frozenset("\f^{}\\[~]|€") == GSM7_EXTENSION
    assert not GSM7_EXTENSION & GSM7_BASIC


@pytest.mark.parametrize("char", list("£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤@$§¡¿ÄÖÑÜäöñüà'\"\n\r"))
def test_characters_in_the_basic_set_stay_gsm7(char):
    assert measure(f"Call-out {char}") == SegmentInfo("GSM-7", 10, 1, 160)


@pytest.mark.parametrize(
    "char",
    [
        "’",  # curly apostrophe from phone keyboards and word processors
        "‘",
        "“",
        "”",
        "–",  # en dash
        "…",
        "ç",  # only capital Ç is in the table
        "á",
        "ê",
        "`",  # 0x60 is ¿, not the backtick
        "\t",
        "\x1b",  # ESC is not a character of its own
        "©",
        "ł",
        EMOJI,
    ],
)
def test_one_non_gsm_character_makes_the_whole_message_ucs2(char):
    text = "a" * 50 + char
    assert encoding(text) == "UCS-2"
    assert measure(text).per_segment == 70
    assert non_gsm_characters(text) == [char]


def test_plain_apostrophe_is_gsm_but_curly_is_not():
    assert encoding("I'll be there") == "GSM-7"
    assert encoding("I’ll be there") == "UCS-2"


# GSM-7 boundaries: 160 in one segment, 153 each once split.
@pytest.mark.parametrize(
    ("length", "segments", "per_segment"),
    [(1, 1, 160), (160, 1, 160), (161, 2, 153), (153 * 2, 2, 153), (153 * 2 + 1, 3, 153), (153 * 3, 3, 153)],
)
def test_gsm7_segment_boundaries(length, segments, per_segment):
    assert measure("a" * length) == SegmentInfo("GSM-7", length, segments, per_segment)
    assert segment_count("a" * length) == segments


# UCS-2 boundaries: 70 in one segment, 67 each once split.
@pytest.mark.parametrize(
    ("length", "segments", "per_segment"),
    [(1, 1, 70), (70, 1, 70), (71, 2, 67), (67 * 2, 2, 67), (67 * 2 + 1, 3, 67), (67 * 3, 3, 67)],
)
def test_ucs2_segment_boundaries(length, segments, per_segment):
    assert measure(UCS2_CHAR * length) == SegmentInfo("UCS-2", length, segments, per_segment)
    assert segment_count(UCS2_CHAR * length) == segments


@pytest.mark.parametrize("char", sorted(GSM7_EXTENSION))
def test_extension_characters_count_double(char):
    assert measure(char) == SegmentInfo("GSM-7", 2, 1, 160)
    assert measure(char * 80) == SegmentInfo("GSM-7", 160, 1, 160)
    assert measure(char * 80 + "a") == SegmentInfo("GSM-7", 161, 2, 153)


def test_euro_sign_pushes_a_full_message_into_two_segments():
    assert segment_count("a" * 159) == 1
    assert segment_count("a" * 159 + "€") == 2


def test_emoji_counts_two_utf16_units():
    assert measure(EMOJI) == SegmentInfo("UCS-2", 2, 1, 70)
    assert measure(EMOJI * 35) == SegmentInfo("UCS-2", 70, 1, 70)
    assert measure(EMOJI * 35 + "a") == SegmentInfo("UCS-2", 71, 2, 67)


def test_a_surrogate_pair_is_never_split_across_segments():
    # 134 units would fit two 67-unit segments, but 67 is odd: each holds only 33 emoji.
    assert measure(EMOJI * 67) == SegmentInfo("UCS-2", 134, 3, 67)
    assert measure(UCS2_CHAR + EMOJI * 66 + UCS2_CHAR) == SegmentInfo("UCS-2", 134, 2, 67)


def test_an_escape_pair_is_never_split_across_segments():
    # 306 septets would fit two 153-septet segments, but the € would straddle the first boundary.
    assert measure("a" * 152 + "€" + "a" * 152) == SegmentInfo("GSM-7", 306, 3, 153)
    assert measure("a" * 151 + "€" + "a" * 153) == SegmentInfo("GSM-7", 306, 2, 153)


def test_empty_text_is_zero_segments_and_not_sendable():
    assert measure("") == SegmentInfo("GSM-7", 0, 0, 160)
    assert segment_count("") == 0


def test_a_typical_call_out_fits_one_segment():
    text = "Stand Up: major incident, Leeds. Can you attend the reception centre by 07:00? Reply YES K7QX or NO K7QX."
    assert measure(text).encoding == "GSM-7"
    assert segment_count(text) == 1


@pytest.mark.parametrize("role", ["mental health practitioner", "support worker", "family liaison", "coordinator"])
def test_the_default_call_out_text_is_one_segment_for_every_demo_role_and_a_45_character_hub(role):
    hub = "Etihad Humanitarian Assistance Centre, East M"  # 45 characters
    facts = ShiftFacts("K7QX", role, hub, datetime(2026, 12, 3, 7, 0, tzinfo=UTC), datetime(2026, 12, 3, 19, 0, tzinfo=UTC))
    info = measure(render(DEFAULT_TEMPLATE, facts))
    assert (info.encoding, info.segments) == ("GSM-7", 1)


@given(st.text(max_size=500))
def test_segments_hold_every_code_unit(text):
    info = measure(text)
    assert info.encoding == encoding(text)
    if not text:
        assert info.segments == 0
    elif info.segments == 1:
        assert info.characters <= info.per_segment
    else:
        # Never fewer segments than the units need; at most one unit lost per boundary.
        assert info.characters > (160 if info.encoding == "GSM-7" else 70)
        assert info.segments * info.per_segment >= info.characters
        assert (info.segments - 1) * (info.per_segment - 1) < info.characters


@given(st.text(alphabet=sorted(GSM7_BASIC), max_size=500))
def test_basic_set_text_counts_one_per_character(text):
    info = measure(text)
    assert info.encoding == "GSM-7"
    assert info.characters == len(text)


@given(st.text(max_size=300))
def test_ucs2_characters_are_utf16_code_units(text):
    info = measure(text)
    if info.encoding == "UCS-2":
        assert info.characters == len(text.encode("utf-16-le", "surrogatepass")) // 2
