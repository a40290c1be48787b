"""How stored words are shown: plain English with the capitals acronyms keep."""

import pytest

from pathways.vocabulary import Purpose, label


@pytest.mark.parametrize(("stored", "shown"), [
    ("family_enquirer", "Family enquirer"),
    (Purpose.SMS.value, "SMS"),
    ("camhs", "CAMHS"),
    ("nhs_talking_therapies", "NHS talking therapies"),
    ("referral_to_camhs", "Referral to CAMHS"),
    ("no_further_action", "No further action"),
])
def test_stored_words_are_shown_as_people_write_them(stored, shown):
    assert label(stored) == shown
