"""Merging two records of one person loses nothing that protects them: the explicit-consent flags,
enhanced rights (re-assessed), an opt-out recorded on either record, and a nation that goes with
its postcode. A new postcode in another nation moves the pending Victims' Code deadline too."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from core.audit.model import AuditEvent
from core.db import unit_of_work
from core.errors import InputError
from core.settings import get_settings
from pathways import caseload_service, enhanced_rights, merge_service, person_messages, registration_service
from pathways.consent_service import consent_states, record_consent
from pathways.merge_rules import KEPT_IF_EITHER, judged_reasons, merged_fields
from pathways.model import EnhancedRightsAssessment, Person
from pathways.person_messages import PERSON_MESSAGES
from pathways.referral_service import refer
from pathways.victims_code import referral_due


def _pair(register, survivor: dict, duplicate: dict) -> tuple[int, int]:
    first = register(**{"given_name": "Catherine", "family_name": "O'Neill", "victim_of_terrorism": False, **survivor})
    second = register(**{"given_name": "Katherine", "family_name": "O'Neil", "mobile": "", "victim_of_terrorism": False,
                         **duplicate})
    return first, second


def _merge(db, caseworker, first, second) -> None:
    with unit_of_work(db.engine) as s:
        merge_service.merge_people(s, caseworker, first, second)


def test_after_a_merge_an_abuse_victim_is_still_referred_only_with_explicit_consent(
        db, frozen_clock, register, caseworker, agency_id):
    first, second = _pair(register, {}, {"sexual_or_domestic_abuse": True})
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, first, "referral", given=True, lawful_basis="consent")  # not explicit
    _merge(db, caseworker, first, second)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="needs explicit consent"):
        refer(s, caseworker, first, agency_id, "Needs assessment")
    with unit_of_work(db.engine) as s:
        assert s.get(Person, first).sexual_or_domestic_abuse is True
        record_consent(s, caseworker, first, "referral", given=True, lawful_basis="explicit_consent")
        refer(s, caseworker, first, agency_id, "Needs assessment")


def test_a_merge_keeps_terrorism_and_reassesses_enhanced_rights_with_both_records_judged_reasons(
        db, frozen_clock, register, caseworker):
    first, second = _pair(register, {}, {"victim_of_terrorism": True})
    with unit_of_work(db.engine) as s:
        registration_service.reassess_enhanced_rights(s, caseworker, first, ("intimidated",))
        assert s.get(Person, second).enhanced_rights is True
    _merge(db, caseworker, first, second)
    with unit_of_work(db.engine) as s:
        survivor = s.get(Person, first)
        assert (survivor.victim_of_terrorism, survivor.enhanced_rights) == (True, True)
        latest = s.scalar(select(EnhancedRightsAssessment).where(EnhancedRightsAssessment.person_id == first)
                          .order_by(EnhancedRightsAssessment.id.desc()).limit(1))
        assert latest.reasons == f"{enhanced_rights.TERRORISM}; intimidated"


def test_an_opt_out_recorded_on_the_duplicate_still_holds_after_the_merge(
        db, frozen_clock, register, caseworker, agency_id):
    first, second = _pair(register, {}, {})
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, second, "referral", given=False, lawful_basis="consent")
    _merge(db, caseworker, first, second)
    with unit_of_work(db.engine) as s, pytest.raises(InputError, match="opted out of referral"):
        refer(s, caseworker, first, agency_id, "Needs assessment")


def test_a_postcode_taken_from_the_duplicate_brings_its_nation_and_the_deadline_follows(
        db, frozen_clock, register, caseworker):
    first, second = _pair(register, {"postcode": ""}, {"postcode": "EH1 2NG"})
    _merge(db, caseworker, first, second)
    with unit_of_work(db.engine) as s:
        survivor = s.get(Person, first)
        assert (survivor.postcode, survivor.nation, survivor.force_area) == ("EH1 2NG", "scotland", "Police Scotland")
        assert survivor.referral_due_at == referral_due(survivor.registered_at, nation="scotland",
                                                        working_days=get_settings().referral_working_days)


def test_the_deadline_after_a_merge_runs_from_the_earlier_registration(db, frozen_clock, register, caseworker):
    first = register(given_name="Catherine", family_name="O'Neill")
    frozen_clock.advance(timedelta(days=3))
    second = register(given_name="Katherine", family_name="O'Neil", mobile="")
    _merge(db, caseworker, second, first)  # the later record survives
    with unit_of_work(db.engine) as s:
        assert s.get(Person, second).referral_due_at == s.get(Person, first).referral_due_at


# --- the rule, on plain values --------------------------------------------------------------

BLANK = {"victim_of_terrorism": False, "sexual_or_domestic_abuse": False, "interpreter_needed": False,
         "easy_read": False, "date_of_birth": None, "mobile": None, "email": "", "key_worker_id": None,
         "postcode": "", "nation": "england", "force_area": "", "accessibility_needs": "", "roles": "survivor",
         "communication_met_on": None, "sex": None, "ethnic_group": None, "disability": None}


def test_equality_answers_and_the_day_communication_needs_were_met_fill_in_but_never_overwrite():
    answered = {**BLANK, "sex": "female", "ethnic_group": "white_irish", "disability": "no",
                "communication_met_on": date(2026, 11, 2)}
    assert merged_fields(BLANK, answered) == {k: answered[k] for k in ("sex", "ethnic_group", "disability",
                                                                        "communication_met_on")}
    assert merged_fields(answered, {**BLANK, "sex": "male", "disability": "yes"}) == {}


@pytest.mark.parametrize("flag", KEPT_IF_EITHER)
def test_a_protective_flag_holds_if_either_record_has_it(flag):
    assert merged_fields(BLANK, {**BLANK, flag: True}) == {flag: True}
    assert merged_fields({**BLANK, flag: True}, BLANK) == {}  # never switched off


def test_a_postcode_brings_its_nation_and_force_area_and_an_existing_one_is_kept():
    scottish = {**BLANK, "postcode": "EH1 2NG", "nation": "scotland", "force_area": "Police Scotland"}
    welsh = {**BLANK, "postcode": "CF10 1AA", "nation": "wales", "force_area": "South Wales"}
    assert merged_fields(BLANK, scottish) == {"postcode": "EH1 2NG", "nation": "scotland",
                                              "force_area": "Police Scotland"}
    assert merged_fields(welsh, scottish) == {}


def test_contact_gaps_are_filled_needs_joined_and_roles_joined_once():
    survivor = {**BLANK, "mobile": "+447400123456", "accessibility_needs": "wheelchair", "roles": "injured,witness"}
    duplicate = {**BLANK, "mobile": "+447400654321", "email": "a@example.org", "key_worker_id": 7,
                 "accessibility_needs": "hearing loop", "roles": "witness,bereaved"}
    assert merged_fields(survivor, duplicate) == {
        "email": "a@example.org", "key_worker_id": 7, "accessibility_needs": "wheelchair; hearing loop",
        "roles": "injured,witness,bereaved"}


def test_only_caseworker_judged_reasons_carry_over():
    assert judged_reasons(f"{enhanced_rights.TERRORISM}; intimidated", "vulnerable; intimidated", "") == (
        "intimidated", "vulnerable")


# --- a new postcode moves the pending deadline (it lives here: the same rule as a merge) -----


def test_a_postcode_in_another_nation_recomputes_the_pending_referral_deadline(db, frozen_clock, register, caseworker):
    frozen_clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))  # Friday; Monday is St Andrew's Day in Scotland
    pid = register(postcode="M4 5AB")
    england = referral_due(frozen_clock.at, nation="england", working_days=get_settings().referral_working_days)
    scotland = referral_due(frozen_clock.at, nation="scotland", working_days=get_settings().referral_working_days)
    assert england < scotland
    with unit_of_work(db.engine) as s:
        assert s.get(Person, pid).referral_due_at == england
        caseload_service.update_contact(s, caseworker, pid, mobile="07400 123456", postcode="EH1 2NG")
    with unit_of_work(db.engine) as s:
        assert s.get(Person, pid).referral_due_at == scotland
        assert "referral_due_at" in s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "update")
                                             .order_by(AuditEvent.id.desc()).limit(1))


def test_a_referral_already_made_keeps_its_deadline_when_the_postcode_changes(
        db, frozen_clock, register, caseworker, agency_id):
    frozen_clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    pid = register(postcode="M4 5AB")
    with unit_of_work(db.engine) as s:
        refer(s, caseworker, pid, agency_id, "Needs assessment")
        before = s.get(Person, pid).referral_due_at
    with unit_of_work(db.engine) as s:
        caseload_service.update_contact(s, caseworker, pid, mobile="07400 123456", postcode="EH1 2NG")
    with unit_of_work(db.engine) as s:
        assert s.get(Person, pid).referral_due_at == before


# --- duplicate suggestions show names and dates of birth: audited ----------------------------


def test_showing_duplicate_suggestions_is_audited_once_with_how_many_and_not_when_none(
        db, frozen_clock, register, caseworker):
    first, second = _pair(register, {}, {})

    def views():
        return list(s.scalars(select(AuditEvent.detail).where(AuditEvent.action == "view",
                                                              AuditEvent.entity_id == str(first))))

    with unit_of_work(db.engine) as s:
        assert [row.id for row, _ in merge_service.duplicate_suggestions(s, caseworker, first)] == [second]
        assert views() == ["duplicate suggestions: 1 records shown (names, dates of birth)"]
        merge_service.not_the_same_person(s, caseworker, first, second)
        assert merge_service.duplicate_suggestions(s, caseworker, first) == []
        assert len(views()) == 1  # nothing shown, nothing logged


def test_many_peoples_consents_are_read_at_once_across_merged_records(db, frozen_clock, register, caseworker):
    """A message to a group reads every member's consent in a few statements, not a few per person, and
    each person's answer is their own records' newest decision (merges at any depth included)."""
    texted = register(given_name="Ann", family_name="Lee")
    survivor, duplicate = _pair(register, {}, {})
    root, middle, deepest = (register(given_name=name, family_name="Shah") for name in ("Ravi", "Ravinder", "Ravi J"))
    silent = register(given_name="Tom", family_name="Hill")
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, texted, "sms", given=True, lawful_basis="consent")
        record_consent(s, caseworker, survivor, "sms", given=True, lawful_basis="consent")
        record_consent(s, caseworker, deepest, "sms", given=True, lawful_basis="consent")
    frozen_clock.advance(timedelta(minutes=5))
    with unit_of_work(db.engine) as s:
        record_consent(s, caseworker, duplicate, "sms", given=False, lawful_basis="consent")  # the newer: an opt-out
    _merge(db, caseworker, survivor, duplicate)
    _merge(db, caseworker, middle, deepest)
    _merge(db, caseworker, root, middle)

    people = [texted, survivor, root, silent]
    with unit_of_work(db.engine) as s:
        states = consent_states(s, people, "sms")
    assert {p: (state.recorded, state.given) for p, state in states.items()} == {
        texted: (True, True), survivor: (True, False), root: (True, True), silent: (False, False)}

    def statements_for(ids: list[int]) -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            with unit_of_work(db.engine) as s:
                found = person_messages.routes(s, PERSON_MESSAGES.get(), [s.get(Person, p) for p in ids])
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert found[texted] is not None and found[texted].channel == "sms" and found[silent] is None
        return len(seen) - len(ids)  # less each person's own row, loaded to be messaged

    more = [register(given_name=f"Extra{n}", family_name="Cole") for n in range(8)]
    assert statements_for([texted, silent]) == statements_for([texted, silent, *more])
