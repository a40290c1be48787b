"""What an update to a group of people may say: nothing health-related (an update goes to many, by
text, and a phone's lock screen shows it). Plain functions."""

from __future__ import annotations

import re

# Words that would make an update about someone's health or care; the update is refused naming one.
# Short names of forms match as whole words ("gad", not "gadget"); the rest as word starts
# ("therap": therapy, therapist). A court's screen is a special measure, not health: "screening" only.
WHOLE_WORDS = ("phq", "gad", "pcl", "tsq", "ptsd", "nhs", "gp")
WORD_STARTS = ("screening", "trauma", "mental health", "depress", "anxi", "diagnos", "therap", "counsell",
               "clinician", "psychiatr", "psycholog", "medicat", "self-harm", "suicid", "injur", "hospital")
UPDATE_LENGTH = 612  # four SMS segments


def health_word(body: str) -> str:
    """The first health-related word in `body`, or ""."""
    lowered = body.lower()
    for word in WHOLE_WORDS:
        if re.search(rf"\b{word}\b", lowered):
            return word
    for word in WORD_STARTS:
        if re.search(rf"\b{re.escape(word)}", lowered):
            return word
    return ""
