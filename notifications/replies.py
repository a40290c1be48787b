"""Reading a responder's SMS reply: yes, no, an offer of staff, or a keyword.

Replies are typed on phones at 2 a.m., so the parser tolerates case, punctuation,
accents, emoji, stretched words ("yesss") and the code before or after the answer.
It is deliberately conservative: counting someone as coming who is not is the
costly mistake, so anything mixed or hedged ("yes no", "maybe", "not sure yes",
"yes if needed", a question) is "unknown", and a message with any negation word
("no", "not", "can't", "unable", ...) is never "yes". "unknown" is cheap: the
webhook answers with `unknown_reply_text()` and a person can read the message.

Decisions on ambiguous cases (each has a test):
- STOP-family, START/UNSTOP and HELP/INFO count only when they are the whole
  message, give or take punctuation, emoji and case: that is how Twilio matches
  them, so our record of who opted out agrees with Twilio's. "stop please" is
  "unknown" and the unknown text tells them to send STOP on its own.
- "CANCEL <code>" withdraws from that call-out ("cancel"), even with extra words
  or a negation ("Cancel K7QX, can't make it now"); bare "CANCEL" is Twilio's
  opt-out ("stop"). CANCEL, STOP etc. inside a longer message without a code are
  "unknown" rather than guessed.
- "YES" is an answer here, not Twilio's opt-in keyword.
- A number is an offer of staff only when the message is just that number plus
  words about staff ("4", "We can send 4", "4 staff", "yes 2", "two", "0").
  Numbers in ordinary answers are ignored ("Yes I can be there by 7" is "yes").
  Two numbers ("2 or 3", "3-4"), a question, a negation or a number above 999
  (a phone number) is never an offer. "0" is an offer of none: number 0.
- "ok", "k", "sorry", emoji (including 👍) say nothing on their own: "unknown".
  A thumbs-up often means "seen", not "coming".
- "no problem", "no worries" and the like are "unknown": they contain "no" but
  mean yes, and neither reading is safe to take without asking.
- A code candidate with O, 0, I or 1 in it is not a code and is ignored; two
  different codes in one message make it "unknown" with no code.
- An iPhone reaction relayed as text ('Liked "…Reply YES K7QX…"') quotes our own
  message back, so it is "unknown" whatever it quotes.
- Bodies longer than MAX_REPLY_CHARS are "unknown": a long message is a
  conversation for a person to read, not an answer to parse.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from notifications.callout_code import is_code

Intent = Literal["yes", "no", "number", "stop", "start", "help", "cancel", "unknown"]

MAX_REPLY_CHARS = 320  # two GSM-7 segments; real answers are far shorter
MAX_OFFER = 999  # more digits than this is a phone number or a typo, not a head count


@dataclass(frozen=True)
class Reply:
    intent: Intent
    code: str | None = None  # call-out code, upper case
    number: int | None = None  # staff offered, only for intent "number"


# Twilio's default opt-out keywords (whole body, case-insensitive).
OPT_OUT_KEYWORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "revoke"})
OPT_IN_KEYWORDS = frozenset({"start", "unstop"})  # not YES: here YES answers a call-out
HELP_KEYWORDS = frozenset({"help", "info"})
# Opt-out words that, inside a longer message, show the sender may want out: do not guess.
_OPT_OUT_IN_TEXT = frozenset({"stop", "stopall", "unsubscribe", "optout", "revoke", "cancel"})
CANCEL_WORD = "cancel"

YES_WORDS = frozenset({"yes", "y", "yeah", "yea", "yeh", "yep", "yup", "yh", "aye", "affirmative"})

# Any of these makes a message not-yes. Contractions are written without the
# apostrophe because the parser removes it ("can't" -> "cant").
NEGATION_WORDS = frozenset(
    {
        "no", "n", "nope", "nah", "na", "naw", "nay", "nae", "negative", "not", "never",
        "cant", "cannot", "wont", "dont", "couldnt", "wouldnt", "shouldnt", "isnt", "aint",
        "arent", "wasnt", "didnt", "doesnt", "havent", "hasnt", "unable", "unavailable",
        "none", "nobody", "noone", "decline", "declined", "neither", "nor",
    }
)  # fmt: skip

# Phrases that mean yes when nothing contradicts them (matched as whole words).
YES_PHRASES = frozenset(
    {
        "can do", "can come", "can attend", "can make it", "can be there", "will do", "will come",
        "will attend", "will be there", "ill be there", "ill come", "on my way", "on the way",
        "on way", "omw", "en route", "coming", "available", "count me in", "sure", "of course",
        "ofc", "definitely", "absolutely", "certainly", "happy to", "attending", "roger",
    }
)  # fmt: skip
# Short replies that are yes only when they are the whole answer ("I can", not "I can call you").
YES_WHOLE_REPLIES = frozenset({"i can", "i will", "can", "will", "i am", "im free"})

# Hedges and idioms: the sender has not given a clear answer.
UNCLEAR_PHRASES = frozenset(
    {
        "maybe", "perhaps", "possibly", "poss", "might", "unsure", "not sure", "depends",
        "depending", "if", "unless", "hopefully", "probably", "prob", "probs", "try", "trying",
        "idk", "dunno", "dont know", "no idea", "tbc", "wait", "hmm", "erm", "um", "let me check",
        "will check", "ill check", "not yet", "no problem", "no probs", "no prob", "no worries",
        "no bother", "not a problem", "no prblm",
    }
)  # fmt: skip
QUESTION_WORDS = frozenset({"who", "what", "why", "where", "when", "which", "how"})

# Words that may stand next to a head count without changing its meaning.
COUNT_CONTEXT_WORDS = frozenset(
    {
        "we", "i", "can", "could", "send", "provide", "offer", "have", "has", "got", "staff",
        "people", "person", "persons", "officer", "officers", "responder", "responders",
        "member", "members", "volunteer", "volunteers", "counsellor", "counsellors", "worker",
        "workers", "colleague", "colleagues", "team", "of", "us", "them", "available", "only",
        "just", "total", "max", "maximum", "up", "to", "or", "and", "ok", "okay", "please",
        "thanks", "thank", "you", "cheers", "sorry", "hi", "hello", "sure", "x",
    }
) | YES_WORDS  # fmt: skip
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# An iPhone reaction sent to an Android/SMS user: 'Liked "…"', 'Reacted 👍 to "…"'.
_TAPBACK = re.compile(
    r"^\s*(liked|loved|disliked|laughed at|emphasi[sz]ed|questioned|removed an? \S+ from"
    r"|reacted \S{1,12} to)\s*[\"“”'‘’«„]"
)
_APOSTROPHE_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])['’‘`´ʼ＇](?=[^\W\d_])")
_APOSTROPHE_IN_WORD = re.compile(r"(?<=[a-z])['’‘`´ʼ](?=[a-z])")
_TOKEN = re.compile(r"[a-z0-9]+")
_REPEATED_LETTER = re.compile(r"([a-z])\1+")


def parse_reply(body: str | None) -> Reply:
    """Read an inbound SMS body; never raises, answers "unknown" when in doubt."""
    if not isinstance(body, str):
        return Reply("unknown")
    stripped = body.strip()
    if not stripped or len(stripped) > MAX_REPLY_CHARS:
        return Reply("unknown")
    text = _normalise(stripped)
    if _TAPBACK.match(text):
        return Reply("unknown")
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Reply("unknown")

    keyword = _whole_message_keyword(tokens)
    if keyword is not None:
        return Reply(keyword)

    codes = {token.upper() for token in tokens if is_code(token)}
    if len(codes) > 1:
        return Reply("unknown")
    code = next(iter(codes), None)
    words = [_squash(token) for token in tokens if token.upper() not in codes]
    phrase_text = " " + " ".join(words) + " "

    if _contains_any(phrase_text, _UNCLEAR):
        return Reply("unknown", code)
    if CANCEL_WORD in words:
        # Withdrawing is the safe direction, so a code is enough to act on it.
        return Reply("cancel", code) if code else Reply("unknown")
    if _OPT_OUT_IN_TEXT.intersection(words):
        return Reply("unknown", code)

    negated = bool(_NEGATIONS.intersection(words))
    question = "?" in text or bool(QUESTION_WORDS.intersection(words))

    offer = _count_offer(words)
    if offer is not _NOT_AN_OFFER:
        if offer is None or negated or question:
            return Reply("unknown", code)
        return Reply("number", code, offer)

    said_yes = bool(_YES.intersection(words))
    if negated:
        # A no with a yes in it ("yes no", "not yes") is a contradiction, not a no.
        return Reply("unknown", code) if said_yes else Reply("no", code)
    if question:
        return Reply("unknown", code)
    if said_yes or _contains_any(phrase_text, _YES_PHRASES) or " ".join(words) in _YES_WHOLE:
        return Reply("yes", code)
    return Reply("unknown", code)


def help_text() -> str:
    """Answer to HELP: how to reply. GSM-7, one segment, no personal data."""
    return (
        "Stand Up police call-out. Reply YES or NO and the 4-character code in our message. "
        "Agencies: reply with the number of staff. CANCEL and the code to withdraw."
    )


def unknown_reply_text() -> str:
    """Answer to a reply we could not read. GSM-7, one segment, no personal data."""
    return (
        "Sorry, we could not read that. Reply YES or NO and the 4-character code, "
        "or the number of staff. Send STOP on its own to opt out, HELP for help."
    )


def _normalise(text: str) -> str:
    """Lower-case ASCII-ish text: full-width folded, accents and invisible marks dropped."""
    # Apostrophes go before NFKC too: it turns an acute-accent apostrophe (´) into a space.
    text = _APOSTROPHE_BETWEEN_LETTERS.sub("", text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFKD", text)
    # Combining marks (accents) and format characters (zero-width spaces, joiners) are
    # dropped rather than treated as spaces, so "ye\u200bs" still reads as "yes".
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    return _APOSTROPHE_IN_WORD.sub("", text)


def _squash(word: str) -> str:
    """Collapse repeated letters, so "yesss", "nooo" and "okk" match "yes", "no", "ok"."""
    return _REPEATED_LETTER.sub(r"\1", word)


def _squash_phrases(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(" ".join(_squash(word) for word in phrase.split()) for phrase in phrases)


def _contains_any(phrase_text: str, phrases: frozenset[str]) -> bool:
    return any(f" {phrase} " in phrase_text for phrase in phrases)


# Vocabularies compared in squashed form, the way message words are.
_YES = _squash_phrases(YES_WORDS)
_NEGATIONS = _squash_phrases(NEGATION_WORDS)
_YES_PHRASES = _squash_phrases(YES_PHRASES)
_YES_WHOLE = _squash_phrases(YES_WHOLE_REPLIES)
_UNCLEAR = _squash_phrases(UNCLEAR_PHRASES)
_COUNT_CONTEXT = _squash_phrases(COUNT_CONTEXT_WORDS)
_NUMBER_WORDS = {_squash(word): value for word, value in NUMBER_WORDS.items()}
_KEYWORD_INTENTS: dict[str, Intent] = {
    **{word: "stop" for word in OPT_OUT_KEYWORDS},
    **{word: "start" for word in OPT_IN_KEYWORDS},
    **{word: "help" for word in HELP_KEYWORDS},
}
_NOT_AN_OFFER = object()


def _whole_message_keyword(tokens: list[str]) -> Intent | None:
    # Exactly one word and that word a keyword: Twilio's matching, so "Stop." and
    # "STOP 🛑" count but "stop please" and "stop stop" do not.
    if len(tokens) == 1:
        return _KEYWORD_INTENTS.get(tokens[0])
    return None


def _count_offer(words: list[str]) -> object:
    """The head count when the message is a number among staff words.

    Returns _NOT_AN_OFFER when the message is something else (any other word present,
    or no number), None when it is number-shaped but not one clear count ("2 or 3").
    """
    counts: list[str] = []
    for word in words:
        if word.isdigit() or word in _NUMBER_WORDS:
            counts.append(word)
        elif word not in _COUNT_CONTEXT:
            return _NOT_AN_OFFER
    if not counts:
        return _NOT_AN_OFFER
    if len(counts) != 1:
        return None
    (count,) = counts
    value = _NUMBER_WORDS[count] if count in _NUMBER_WORDS else int(count)
    return value if value <= MAX_OFFER else None
