"""The governance rules, without a database: which activation steps need their authorising
decision and when a named one will do; what a delegation must say and which one is in force."""

from dataclasses import dataclass
from datetime import date

import pytest

from core.errors import InputError
from incident.activation_authority import NamedEntry, check_authority, needs_authority
from incident.delegation_terms import DelegationTerms, checked_terms, in_force
from incident.model import ActivationStage

HERE = 7  # the activation's incident
STANDING = NamedEntry(HERE, 3, None)


def test_a_request_and_a_stand_down_need_their_authority_the_steps_between_do_not():
    assert {stage for stage in ActivationStage if needs_authority(stage)} == {"requested", "stood_down"}


@pytest.mark.parametrize("stage", ["requested", "stood_down"])
def test_a_step_that_needs_authority_takes_a_standing_entry_of_its_incident_or_a_reason(stage):
    check_authority(stage, HERE, STANDING, "")
    check_authority(stage, HERE, None, "Agreed by phone at the scene")
    with pytest.raises(InputError, match="needs the decision-log entry that authorised it.*say why"):
        check_authority(stage, HERE, None, "")


@pytest.mark.parametrize("stage", list(ActivationStage))
def test_every_step_refuses_an_entry_it_cannot_name(stage):
    with pytest.raises(InputError, match="Entry 3 is in another incident's decision log"):
        check_authority(stage, HERE, NamedEntry(8, 3, None), "")
    with pytest.raises(InputError, match="Entry 3 is struck through by entry 5; name the correction"):
        check_authority(stage, HERE, NamedEntry(HERE, 3, 5), "")
    with pytest.raises(InputError, match="not both"):
        check_authority(stage, HERE, STANDING, "late")


@pytest.mark.parametrize("stage", ["standing_up", "operational"])
def test_the_steps_between_take_an_entry_or_nothing_but_no_reason(stage):
    check_authority(stage, HERE, None, "")
    check_authority(stage, HERE, STANDING, "")
    with pytest.raises(InputError, match="needs no authorising decision of its own"):
        check_authority(stage, HERE, None, "because")


TERMS = DelegationTerms("  Police and Crime Commissioner ", "Chief  Constable", " Standing up victim support ",
                        date(2026, 4, 1), " PCC 2026/014 ")


def test_delegation_terms_are_trimmed_and_every_part_is_needed():
    assert checked_terms(TERMS) == DelegationTerms("Police and Crime Commissioner", "Chief Constable",
                                                   "Standing up victim support", date(2026, 4, 1), "PCC 2026/014")
    for part, message in (("delegated_by", "who delegates"), ("delegated_to", "to whom"), ("scope", "what is"),
                          ("effective_from", "the day it takes effect"), ("document_reference", "the document reference")):
        blank = None if part == "effective_from" else "  "
        with pytest.raises(InputError, match=f"A delegation needs {message}"):
            checked_terms(DelegationTerms(**{**TERMS.__dict__, part: blank}))


def test_a_delegation_cannot_end_before_it_starts():
    assert checked_terms(DelegationTerms(**{**TERMS.__dict__, "effective_until": date(2026, 4, 1)})).effective_until
    with pytest.raises(InputError, match=r"ends \(31/03/2026\) before it takes effect \(01/04/2026\)"):
        checked_terms(DelegationTerms(**{**TERMS.__dict__, "effective_until": date(2026, 3, 31)}))


@dataclass(frozen=True)
class Dated:
    id: int
    effective_from: date
    effective_until: date | None = None


def test_the_delegation_in_force_is_the_latest_begun_and_not_ended():
    first = Dated(1, date(2025, 4, 1))
    second = Dated(2, date(2026, 4, 1), date(2026, 12, 31))
    same_day_correction = Dated(3, date(2026, 4, 1), date(2026, 12, 31))
    records = [second, first]
    assert in_force([], date(2026, 1, 1)) is None
    assert in_force(records, date(2025, 3, 31)) is None  # before any
    assert in_force(records, date(2025, 4, 1)) is first
    assert in_force(records, date(2026, 3, 31)) is first
    assert in_force(records, date(2026, 4, 1)) is second  # a later one takes over from its first day
    assert in_force(records, date(2026, 12, 31)) is second
    assert in_force(records, date(2027, 1, 1)) is None  # it ended, and it had replaced the first
    assert in_force([*records, same_day_correction], date(2026, 6, 1)) is same_day_correction
