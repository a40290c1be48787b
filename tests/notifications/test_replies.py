import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.callout_code import CODE_ALPHABET, CODE_LETTERS, is_code
from notifications.replies import (
    MAX_REPLY_CHARS,
    NEGATION_WORDS,
    Reply,
    help_text,
    parse_reply,
    unknown_reply_text,
)
from notifications.segments import measure

INTENTS = {"yes", "no", "number", "stop", "start", "help", "cancel", "unknown"}

# (body as typed on a phone, intent, code, number)
REAL_REPLIES = [
    # plain yes, with and without the code, in any order and case
    ("Yes", "yes", None, None),
    ("YES", "yes", None, None),
    ("yes.", "yes", None, None),
    ("YES K7QX", "yes", "K7QX", None),
    ("yes k7qx", "yes", "K7QX", None),
    ("K7QX yes", "yes", "K7QX", None),
    ("Yes!! k7qx", "yes", "K7QX", None),
    ("k7qx - YES", "yes", "K7QX", None),
    ("Yes K7QX K7QX", "yes", "K7QX", None),
    ("Y", "yes", None, None),
    ("Y.", "yes", None, None),
    ("y k7qx", "yes", "K7QX", None),
    ("yeah", "yes", None, None),
    ("Yeah on my way", "yes", None, None),
    ("yep", "yes", None, None),
    ("Yup", "yes", None, None),
    ("Yesss", "yes", None, None),
    ("Aye", "yes", None, None),
    ("Affirmative K7QX", "yes", "K7QX", None),
    ("yes 👍", "yes", None, None),
    ("Yes I can be there by 7", "yes", None, None),
    ("Yes, ETA 20 mins", "yes", None, None),
    ("Yes I'll be there in 20", "yes", None, None),
    ("ok I can do it", "yes", None, None),
    ("I can", "yes", None, None),
    ("On my way", "yes", None, None),
    ("omw", "yes", None, None),
    ("I'm available", "yes", None, None),
    ("Sure", "yes", None, None),
    ("count me in", "yes", None, None),
    ("Will do K7QX", "yes", "K7QX", None),
    ("ＹＥＳ　Ｋ７ＱＸ", "yes", "K7QX", None),  # full-width keyboard
    ("ye\u200bs", "yes", None, None),  # zero-width space pasted in
    ("Yes K0QX", "yes", None, None),  # O/0 look-alike: not a code, ignored
    # no, in every form; a no is never a yes
    ("No", "no", None, None),
    ("N", "no", None, None),
    ("no.", "no", None, None),
    ("No sorry", "no", None, None),
    ("no, sorry", "no", None, None),
    ("Sorry no", "no", None, None),
    ("No K7QX", "no", "K7QX", None),
    ("k7qx no", "no", "K7QX", None),
    ("Can't tonight", "no", None, None),
    ("Can’t tonight", "no", None, None),  # curly apostrophe
    ("cant", "no", None, None),
    ("cannot make it", "no", None, None),
    ("Can not make it", "no", None, None),
    ("Won't be able to", "no", None, None),
    ("Nope", "no", None, None),
    ("Nah mate", "no", None, None),
    ("Noooo", "no", None, None),
    ("Not available", "no", None, None),
    ("unavailable", "no", None, None),
    ("Unable K7QX", "no", "K7QX", None),
    ("N/A", "no", None, None),
    ("None", "no", None, None),
    ("No staff available tonight", "no", None, None),
    ("We can't send anyone", "no", None, None),
    ("Not coming, sorry", "no", None, None),
    # contradictions and hedges are never a confident answer
    ("yes no", "unknown", None, None),
    ("not yes", "unknown", None, None),
    ("maybe", "unknown", None, None),
    ("not sure yes", "unknown", None, None),
    ("Not sure", "unknown", None, None),
    ("Yes if needed", "unknown", None, None),
    ("Possibly K7QX", "unknown", "K7QX", None),
    ("Yes?", "unknown", None, None),
    ("Who is this?", "unknown", None, None),
    ("What is this about", "unknown", None, None),
    ("No problem", "unknown", None, None),
    ("Yes no worries", "unknown", None, None),
    ("Yes but can't stay long", "unknown", None, None),
    ("ok", "unknown", None, None),
    ("OK K7QX", "unknown", "K7QX", None),
    ("K7QX", "unknown", "K7QX", None),
    ("Sorry", "unknown", None, None),
    ("👍", "unknown", None, None),
    ("🚓🚓", "unknown", None, None),
    ("Wrong number", "unknown", None, None),
    ("Im in bed sorry", "unknown", None, None),
    ("Yes - who do I report to?", "unknown", None, None),
    ("no can do", "no", None, None),  # a yes phrase under a negation is a no
    ("STOP K7QX", "unknown", "K7QX", None),  # not Twilio's keyword, and not a withdrawal either
    ("Help me", "unknown", None, None),
    ("yes K7QX B4ZT", "unknown", None, None),  # two codes: which one?
    ('Liked "Stand Up call-out. Reply YES K7QX"', "unknown", None, None),
    ("Liked “Reply YES K7QX or NO K7QX”", "unknown", None, None),
    ("Reacted 👍 to “Reply YES K7QX”", "unknown", None, None),
    # Twilio keywords: only the whole message counts
    ("STOP", "stop", None, None),
    ("Stop", "stop", None, None),
    ("stop.", "stop", None, None),
    ("  STOP 🛑 ", "stop", None, None),
    ("stop please", "unknown", None, None),
    ("Please stop texting me", "unknown", None, None),
    ("STOPALL", "stop", None, None),
    ("UNSUBSCRIBE", "stop", None, None),
    ("end", "stop", None, None),
    ("Quit", "stop", None, None),
    ("OPTOUT", "stop", None, None),
    ("revoke", "stop", None, None),
    ("START", "start", None, None),
    ("unstop", "start", None, None),
    ("HELP", "help", None, None),
    ("Help!", "help", None, None),
    ("info", "help", None, None),
    ("Yes happy to help", "yes", None, None),  # HELP inside a sentence is not the keyword
    # CANCEL with a code withdraws; bare CANCEL is an opt-out
    ("CANCEL K7QX", "cancel", "K7QX", None),
    ("cancel k7qx", "cancel", "K7QX", None),
    ("K7QX cancel", "cancel", "K7QX", None),
    ("Cancel K7QX, can't make it now", "cancel", "K7QX", None),
    ("cancel", "stop", None, None),
    ("CANCEL!", "stop", None, None),
    ("cancel please", "unknown", None, None),
    ("Cancel K0QX", "unknown", None, None),  # not a valid code: neither cancel nor opt-out
    # agency coordinators offering staff
    ("3", "number", None, 3),
    ("12", "number", None, 12),
    ("0", "number", None, 0),
    ("We can send 4", "number", None, 4),
    ("4 staff", "number", None, 4),
    ("3 K7QX", "number", "K7QX", 3),
    ("K7QX 2", "number", "K7QX", 2),
    ("yes 2", "number", None, 2),
    ("Yes we can send 2 officers", "number", None, 2),
    ("two", "number", None, 2),
    ("We can send three people", "number", None, 3),
    ("Only 1 available sorry", "number", None, 1),
    ("3 x staff", "number", None, 3),
    ("Hi we can send 3 people. Thanks", "number", None, 3),
    ("2 or 3", "unknown", None, None),
    ("3 staff + 1 manager", "unknown", None, None),
    ("3-4", "unknown", None, None),
    ("2?", "unknown", None, None),
    ("07700900123", "unknown", None, None),  # a phone number is not a head count
    ("We can't send 4", "no", None, None),
    # nothing to read
    ("", "unknown", None, None),
    ("   ", "unknown", None, None),
    ("\x00\x07\x1b", "unknown", None, None),
]


@pytest.mark.parametrize(("body", "intent", "code", "number"), REAL_REPLIES)
def test_real_world_reply(body, intent, code, number):
    assert parse_reply(body) == Reply(intent, code, number)


def test_table_covers_at_least_sixty_replies_and_every_intent():
    assert len(REAL_REPLIES) >= 60
    assert {intent for _, intent, _, _ in REAL_REPLIES} == INTENTS


def test_none_is_unknown():
    assert parse_reply(None) == Reply("unknown")


def test_non_string_is_unknown():
    assert parse_reply(42) == Reply("unknown")  # type: ignore[arg-type]


def test_overlong_body_is_unknown_even_if_it_says_yes():
    assert parse_reply("yes " * 500) == Reply("unknown")
    assert parse_reply("y" * 2000) == Reply("unknown")


def test_body_just_under_the_limit_is_still_read():
    body = "yes" + " " * (MAX_REPLY_CHARS - 4) + "!"
    assert len(body) == MAX_REPLY_CHARS
    assert parse_reply(body).intent == "yes"


def test_stop_padded_with_whitespace_is_still_stop():
    assert parse_reply("\n\t STOP \r\n" + " " * 2000).intent == "stop"


def test_reply_is_frozen():
    reply = parse_reply("yes")
    with pytest.raises(AttributeError):
        reply.intent = "no"  # type: ignore[misc]


@pytest.mark.parametrize("word", ["CANT", "SURE", "HERE", "WANT", "BUSY", "LATE", "NOPE", "YEAH"])
def test_four_letter_words_are_not_codes(word):
    assert parse_reply(f"yes {word}").code is None


@pytest.mark.parametrize(
    "text",
    [help_text(), unknown_reply_text()],
    ids=["help_text", "unknown_reply_text"],
)
def test_answer_texts_fit_one_gsm7_segment(text):
    info = measure(text)
    assert info.encoding == "GSM-7"
    assert info.segments == 1
    assert 0 < info.characters <= 160


@pytest.mark.parametrize("text", [help_text(), unknown_reply_text()], ids=["help", "unknown"])
def test_answer_texts_tell_people_how_to_answer(text):
    assert "YES" in text
    assert "NO" in text
    assert not re.search(r"\d{3,}", text)  # no phone numbers in a text anyone may receive


def test_unknown_text_says_how_to_opt_out():
    assert "STOP" in unknown_reply_text()


# --- properties -------------------------------------------------------------


@settings(max_examples=500)
@given(st.text(max_size=400))
def test_never_raises_and_answers_within_the_contract(body):
    reply = parse_reply(body)
    assert reply.intent in INTENTS
    assert reply.code is None or (is_code(reply.code) and reply.code == reply.code.upper())
    assert (reply.number is not None) == (reply.intent == "number")
    if reply.number is not None:
        assert 0 <= reply.number <= 999


@given(st.text(max_size=400))
def test_deterministic(body):
    assert parse_reply(body) == parse_reply(body)


@settings(max_examples=500)
@given(
    st.text(max_size=60),
    st.sampled_from(sorted(NEGATION_WORDS) + ["can't", "can’t", "won't", "don't", "NOT", "No"]),
    st.text(max_size=60),
)
def test_a_message_with_a_negation_word_is_never_yes(before, negation, after):
    assert parse_reply(f"{before} {negation} {after}").intent != "yes"


_YES_BODIES = [body for body, intent, _, _ in REAL_REPLIES if intent == "yes"]


@given(st.sampled_from(_YES_BODIES), st.sampled_from(sorted(NEGATION_WORDS)), st.booleans())
def test_adding_a_negation_to_any_yes_makes_it_not_yes(body, negation, in_front):
    text = f"{negation} {body}" if in_front else f"{body} {negation}"
    assert parse_reply(text).intent != "yes"


@given(st.text(alphabet=string.printable, max_size=80))
def test_case_does_not_matter(body):
    assert parse_reply(body.upper()) == parse_reply(body.lower())


@given(
    st.sampled_from(REAL_REPLIES[:-3]),
    st.text(alphabet=" \t\n.!,;", max_size=5),
    st.text(alphabet=" \t\n.!,;", max_size=5),
)
def test_surrounding_punctuation_and_whitespace_do_not_matter(case, before, after):
    body, intent, code, number = case
    if "?" in body or body.startswith(("Liked", "Reacted")):
        return  # these depend on their punctuation; covered by the table
    assert parse_reply(f"{before}{body}{after}") == Reply(intent, code, number)


_CODES = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(CODE_LETTERS),
    st.text(alphabet=CODE_ALPHABET, min_size=3, max_size=3),
).filter(is_code)


@given(
    _CODES,
    st.sampled_from([("yes", "yes"), ("Y", "yes"), ("no", "no"), ("cancel", "cancel"), ("4", "number")]),
    st.booleans(),
    st.sampled_from([str.upper, str.lower, str.title]),
)
def test_any_valid_code_is_read_before_or_after_the_answer(code, answer, code_first, case):
    word, intent = answer
    body = case(f"{code} {word}" if code_first else f"{word}, {code}!")
    reply = parse_reply(body)
    assert reply.intent == intent
    assert reply.code == code
