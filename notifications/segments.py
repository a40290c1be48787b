"""How many SMS segments a text costs, and in which encoding it will travel.

Segments drive both the bill and the send rate (UK long codes take about ten
segments a second), so the pacing code counts segments, not messages.

Rules (3GPP TS 23.038 default alphabet, as Twilio applies it):
- A text made only of GSM 03.38 characters travels as GSM-7: 160 septets in one
  segment, 153 per segment once split (the rest carries the concatenation header).
  Characters from the extension table (^ { } \\ [ ~ ] | € and form feed) are sent as
  ESC + character, so they take two septets.
- One character outside that set makes the whole text UCS-2: 70 UTF-16 code units
  in one segment, 67 once split. Characters beyond the Basic Multilingual Plane
  (most emoji) are a surrogate pair, so they count as two.
- Once split, an ESC pair or a surrogate pair is never cut across two segments
  (handsets could not rebuild it), so a split text can need one segment more than
  a plain division suggests.
- An empty text is 0 characters and 0 segments: it cannot be sent, and callers
  must refuse an empty body rather than bill for it.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Encoding = Literal["GSM-7", "UCS-2"]

# The GSM 03.38 default alphabet, in code order 0x00-0x7F, without 0x1B (ESC, which
# is an escape to the extension table, not a character). Note 0x09 is capital Ç,
# 0x24 is ¤ (the dollar sign sits at 0x02), and ' is 0x27 while the curly ’ is absent.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"  # 0x1B (ESC) left out
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)

# The extension table reached through ESC: each costs two septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_SPLIT = 160, 153
UCS2_SINGLE, UCS2_SPLIT = 70, 67


class SegmentInfo(NamedTuple):
    encoding: Encoding
    characters: int  # code units: septets for GSM-7, UTF-16 units for UCS-2
    segments: int
    per_segment: int  # capacity of each segment for this text (160/153 or 70/67)


def is_gsm7(char: str) -> bool:
    """True when one character can be sent in GSM-7 (basic set or extension table)."""
    return char in GSM7_BASIC or char in GSM7_EXTENSION


def encoding(text: str) -> Encoding:
    """'GSM-7' when every character is in the GSM 03.38 set, else 'UCS-2'."""
    return "GSM-7" if all(is_gsm7(ch) for ch in text) else "UCS-2"


def non_gsm_characters(text: str) -> list[str]:
    """The characters that force UCS-2, in order, without repeats (for an editor's warning)."""
    seen: dict[str, None] = {}
    for ch in text:
        if not is_gsm7(ch):
            seen.setdefault(ch, None)
    return list(seen)


def measure(text: str) -> SegmentInfo:
    """Encoding, length in code units, segment count and per-segment capacity of `text`."""
    if GSM7_BASIC.issuperset(text):  # most texts: one septet a character, so no pair can straddle
        characters = len(text)
        if characters <= GSM7_SINGLE:
            return SegmentInfo("GSM-7", characters, 1 if characters else 0, GSM7_SINGLE)
        return SegmentInfo("GSM-7", characters, -(-characters // GSM7_SPLIT), GSM7_SPLIT)
    enc = encoding(text)
    widths = [_width(ch, enc) for ch in text]
    characters = sum(widths)
    single, split = (GSM7_SINGLE, GSM7_SPLIT) if enc == "GSM-7" else (UCS2_SINGLE, UCS2_SPLIT)
    if characters == 0:
        return SegmentInfo(enc, 0, 0, single)
    if characters <= single:
        return SegmentInfo(enc, characters, 1, single)
    return SegmentInfo(enc, characters, _pack(widths, split), split)


def segment_count(text: str) -> int:
    """Segments Twilio will bill for `text`; 0 for an empty text, which must not be sent."""
    return measure(text).segments


def _width(char: str, enc: Encoding) -> int:
    if enc == "GSM-7":
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def _pack(widths: list[int], capacity: int) -> int:
    """Segments needed when no character (ESC pair, surrogate pair) may straddle two."""
    segments, used = 1, 0
    for width in widths:
        if used + width > capacity:
            segments += 1
            used = 0
        used += width
    return segments
