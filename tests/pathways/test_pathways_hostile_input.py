"""Hostile input on the pathways side: names and notes carrying HTML, script, Markdown links and
template syntax are shown as plain text on every page; search text that looks like SQL or holds LIKE
wildcards finds exactly the people it names; registration with any text at all either saves a
person or refuses with a clear message, never crashes and never saves half a person."""

import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.audit.model import AuditEvent
from core.auth.model import User
from core.db import unit_of_work
from core.errors import InputError
from core.inert_text import md
from pathways import (
    caseload_service,
    complaint_service,
    needs_service,
    pathway_service,
    people_queries,
    referral_service,
    screening_service,
)
from pathways.model import (
    Complaint,
    EnhancedRightsAssessment,
    Enrolment,
    FollowUp,
    NeedsAssessment,
    Person,
    Referral,
    Screening,
    StageEvent,
)
from pathways.people_queries import search_people
from pathways.registration_service import NewPerson, register_person
from tests import factories

MY_DAY, PEOPLE, PERSON, REVIEW = (f"pathways/pages/{n}.py" for n in ("my_day", "people", "person", "review"))
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[call now](https://evil.example/x)"
TEMPLATE = "${7*7}"
HOSTILE = (SCRIPT, IMG, LINK, TEMPLATE)
NOTE = f"**urgent** {LINK} {SCRIPT} {TEMPLATE}"
TABS = ("Overview", "Consent", "Needs", "Pathway", "Screening", "Referrals", "Complaints", "Duplicates")


def _shown(at) -> list[str]:
    """Every text the page hands to Streamlit's Markdown renderer (titles, text, captions, notices,
    expander and button labels)."""
    values = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning",
                                   "info", "success") for e in getattr(at, kind)]
    return values + [e.label for e in at.expander] + [b.label for b in at.button]


def _assert_inert(at, *expected_shown: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    shown = _shown(at)
    live = [(h, v) for v in shown for h in HOSTILE if h in v]
    assert not live, f"rendered as Markdown/HTML: {live}"
    for text in expected_shown:
        assert any(md(text) in v for v in shown), f"{text!r} is not shown (escaped) anywhere"


@pytest.fixture
def hostile_case(db, frozen_clock, register, caseworker):
    """A person whose every free-text field is hostile, with a likely duplicate, on the caseworker's list."""
    with unit_of_work(db.engine) as s:
        s.get(User, caseworker.user_id).display_name = f"Worker {IMG}"
    agency_id = factories.agency(db, f"Agency {LINK}")
    pid = register(given_name=SCRIPT, family_name=LINK, language=TEMPLATE, accessibility_needs=NOTE,
                   key_worker_id=caseworker.user_id)
    frozen_clock.advance(timedelta(minutes=5))  # the same name again is not a double click
    register(given_name=SCRIPT, family_name=LINK, mobile="", key_worker_id=caseworker.user_id)
    with unit_of_work(db.engine) as s:
        needs_service.assess_needs(s, caseworker, pid, ["housing"], "high", NOTE)
        screening = screening_service.record_screening(s, caseworker, pid, "PHQ-9", [2, 2, 1, 2, 1, 1, 1, 0, 1],
                                                  notes=NOTE)
        referral_service.refer(s, caseworker, pid, agency_id, f"Service {TEMPLATE}", notes=NOTE)
        complaint = complaint_service.record_complaint(s, caseworker, pid, NOTE)
        complaint_service.answer_complaint(s, caseworker, complaint.id, f"answer {SCRIPT}")
        pathway_service.move_stage(s, caseworker, pid, "active_monitoring", NOTE)
    return pid, screening.id


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_of_the_person_record_shows_hostile_text_as_text(app_as, hostile_case, caseworker, tab):
    pid, _ = hostile_case
    at = app_as("caseworker", PERSON, actor=caseworker, pathways_person_id=pid,
                pathways_view_reasons={pid: "check"}, person_tab=tab)
    expected = {"Overview": (NOTE, TEMPLATE, f"Worker {IMG}"), "Needs": (NOTE,), "Referrals": (f"Agency {LINK}",),
                "Complaints": (NOTE, f"answer {SCRIPT}")}.get(tab, ())
    _assert_inert(at, f"{SCRIPT} {LINK}", *expected)


def test_the_people_list_shows_hostile_names_as_text(app_as, hostile_case, caseworker):
    _assert_inert(app_as("caseworker", PEOPLE, actor=caseworker), f"{SCRIPT} {LINK}")


def test_my_day_and_the_alert_banner_show_hostile_names_as_text(app_as, hostile_case, caseworker, make_clinician):
    at = app_as("caseworker", MY_DAY, actor=make_clinician(caseworker))
    _assert_inert(at, f"URGENT — {SCRIPT} {LINK}")


def test_the_clinician_review_shows_hostile_names_and_notes_as_text(app_as, hostile_case, caseworker,
                                                                   make_clinician):
    _assert_inert(app_as("caseworker", REVIEW, actor=make_clinician(caseworker)), f"{SCRIPT} {LINK}", NOTE)


def test_registering_a_hostile_name_through_the_form_confirms_it_as_text(app_as, db, frozen_clock, incident_id):
    at = app_as("caseworker", PEOPLE)
    next(w for w in at.text_input if w.label == "First name").input(SCRIPT)
    next(w for w in at.text_input if w.label == "Family name").input(LINK)
    next(w for w in at.multiselect if w.label == "Roles").select("witness")
    next(b for b in at.button if b.label == "Register").click().run()
    _assert_inert(at, f"Registered {SCRIPT} {LINK}")


# --- search text that looks like SQL or holds LIKE wildcards ---------------------------------

TRICKY = ("O'Brien", "Obrien", "Ob_rien", "Ob%rien", "Ob\\rien", "Smith", "Robert'); DROP TABLE person;--")


@pytest.fixture
def tricky_people(register):
    return {family: register(given_name="Sam", family_name=family, mobile="", date_of_birth=None)
            for family in TRICKY}


@pytest.mark.parametrize(("text", "families"), [
    ("o'", ["O'Brien"]),
    ("o'brien", ["O'Brien"]),
    ("ob_", ["Ob_rien"]),
    ("ob%", ["Ob%rien"]),
    ("ob\\", ["Ob\\rien"]),
    ("ob", ["Ob%rien", "Ob\\rien", "Ob_rien", "Obrien"]),
    ("%", []),
    ("_", []),
    ("\\", []),
    ("' OR 1=1 --", []),
    ("' OR '1'='1", []),
    ("robert');", ["Robert'); DROP TABLE person;--"]),
    ("robert'); drop", []),  # every word starts a name: "drop" starts neither
    ("sam %", []),
    ("sam sm", ["Smith"]),
])
def test_search_finds_exactly_what_was_typed(db, frozen_clock, caseworker, incident_id, tricky_people, text,
                                            families):
    with unit_of_work(db.engine) as s:
        rows = search_people(s, caseworker, incident_id, text, page_size=50).rows
        assert sorted(r.name.removeprefix("Sam ") for r in rows) == sorted(families)
    with unit_of_work(db.engine) as s:  # and nothing was dropped or changed
        assert s.scalar(select(func.count(Person.id))) == len(TRICKY)


def test_a_search_holding_a_nul_is_refused_with_a_message(db, frozen_clock, caseworker, incident_id, tricky_people):
    before = _counts(db)  # PostgreSQL cannot even compare text holding NUL
    with pytest.raises(InputError, match="^The search holds a control character"), unit_of_work(db.engine) as s:
        search_people(s, caseworker, incident_id, "o'br\x00ien")
    assert _counts(db) == before


# --- registration with any text at all -------------------------------------------------------

def _counts(db) -> tuple[int, ...]:
    with unit_of_work(db.engine) as s:
        return tuple(s.scalar(select(func.count()).select_from(model)) for model in (
            Person, Enrolment, StageEvent, FollowUp, EnhancedRightsAssessment, AuditEvent))


any_text = st.text(max_size=120)  # past every column's length: a long value must be refused, not crash
long_text = st.text(max_size=3000)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(given_name=any_text, family_name=any_text,
       mobile=st.one_of(st.just(""), st.from_regex(r"(\+44 ?|0)7[0-9 ]{9,11}", fullmatch=True), any_text),
       email=st.one_of(st.just(""), st.emails(), any_text),
       postcode=st.one_of(st.just(""), st.sampled_from(["M4 5AB", "bt15gs", " CF10 1AA ", "SW1A 1AA"]), any_text),
       language=any_text, accessibility=long_text, born=st.one_of(st.none(), st.dates(date(1890, 1, 1),
                                                                                       date(2030, 1, 1))))
def test_registration_with_arbitrary_text_saves_a_person_or_refuses_cleanly(
        db, frozen_clock, caseworker, incident_id, given_name, family_name, mobile, email, postcode, language,
        accessibility, born):
    frozen_clock.advance(timedelta(minutes=5))  # never a double click
    new = NewPerson(given_name, family_name, ["survivor"], "self_referral", date_of_birth=born, mobile=mobile,
                    email=email, postcode=postcode, language=language, accessibility_needs=accessibility)
    before = _counts(db)
    try:
        with unit_of_work(db.engine) as s:
            pid = register_person(s, caseworker, incident_id, new).id
    except InputError as refusal:
        assert str(refusal).strip()
        assert _counts(db) == before, "a refused registration left rows behind"
        return
    with unit_of_work(db.engine) as s:
        person = s.get(Person, pid)
        # Kept as typed, in Unicode's compatibility form (full-width "Ａ" is "A", "²" is "2").
        as_kept = [unicodedata.normalize("NFKC", " ".join(name.split())).strip() for name in (given_name, family_name)]
        assert [person.given_name, person.family_name] == as_kept
        assert person.email == unicodedata.normalize("NFKC", email).strip()
        assert person.accessibility_needs == accessibility.strip()
        assert person.date_of_birth == born
        assert people_queries.view_person(s, caseworker, pid, "check").person.id == pid


@pytest.mark.parametrize(("field", "value", "message"), [
    ("given_name", "Am\x00ira", "control character"),
    ("family_name", "Khan\x1b[31m", "control character"),
    ("family_name", "Khan " * 17, "Family name is at most 80 characters"),
    ("given_name", "İ" * 50, "Names are at most 80 characters"),
    ("language", "x" * 61, "Language is at most 60 characters"),
    ("email", "a" * 190 + "@example.org", "Email is at most 200 characters"),
    ("accessibility_needs", "steps\x00", "control character"),
])
def test_what_a_column_cannot_hold_is_refused_with_a_message(db, frozen_clock, caseworker, incident_id, field,
                                                             value, message):
    fields = dict(given_name="Amira", family_name="Khan", roles=["survivor"], source="self_referral")
    fields[field] = value
    before = _counts(db)
    with pytest.raises(InputError, match=message), unit_of_work(db.engine) as s:
        register_person(s, caseworker, incident_id, NewPerson(**fields))
    assert _counts(db) == before


def test_line_breaks_in_accessibility_needs_are_kept(db, frozen_clock, caseworker, incident_id):
    with unit_of_work(db.engine) as s:
        pid = register_person(s, caseworker, incident_id, NewPerson(
            "Amira", "Khan", ["survivor"], "self_referral", accessibility_needs="step-free access\n\tBSL")).id
    with unit_of_work(db.engine) as s:
        assert s.get(Person, pid).accessibility_needs == "step-free access\n\tBSL"


# Text that is stored in clear (the audit trail's reasons, a move's reason, a referral's service):
# a NUL there cannot be stored on PostgreSQL, so each must be refused with a message, never crash.
CLEAR_TEXT_USES = {
    "view reason": lambda s, a, pid, agency: people_queries.view_person(s, a, pid, "call\x00back"),
    "discharge reason": lambda s, a, pid, agency: caseload_service.discharge(s, a, pid, "recovered", "done\x00"),
    "pathway change reason": lambda s, a, pid, agency: pathway_service.enrol(s, a, pid, "bereaved", "\x00why"),
    "stage move reason": lambda s, a, pid, agency: pathway_service.move_stage(s, a, pid, "active_monitoring", "a\x00"),
    "referral service": lambda s, a, pid, agency: referral_service.refer(s, a, pid, agency, "Needs\x00"),
    "long referral service": lambda s, a, pid, agency: referral_service.refer(s, a, pid, agency, "x" * 121),
}


@pytest.mark.parametrize("use", CLEAR_TEXT_USES)
def test_text_kept_in_clear_is_refused_when_it_cannot_be_stored(db, frozen_clock, register, caseworker, agency_id,
                                                                use):
    pid, agency = register(), agency_id
    before = _counts(db)
    with pytest.raises(InputError, match="control character|at most"), unit_of_work(db.engine) as s:
        CLEAR_TEXT_USES[use](s, caseworker, pid, agency)
    assert _counts(db) == before


# Encrypted notes hold any text a person types, line breaks included, but not without end (a
# pasted document) and not a control character a copy and paste brought along.
NOTE_USES = {
    "needs notes": lambda s, a, pid, agency, text: needs_service.assess_needs(s, a, pid, ["housing"], "low", text),
    "screening notes": lambda s, a, pid, agency, text: screening_service.record_screening(
        s, a, pid, "GAD-7", [0] * 7, text),
    "complaint": lambda s, a, pid, agency, text: complaint_service.record_complaint(s, a, pid, text),
    "referral notes": lambda s, a, pid, agency, text: referral_service.refer(s, a, pid, agency, "Needs", text),
}


@pytest.mark.parametrize("text", ["x" * 5001, "called back\x1b[2J"], ids=["pasted-document", "escape-sequence"])
@pytest.mark.parametrize("use", NOTE_USES)
def test_encrypted_notes_are_refused_when_too_long_or_holding_a_control_character(
        db, frozen_clock, register, caseworker, agency_id, use, text):
    pid, agency = register(), agency_id
    before = _counts(db), _note_counts(db)
    with pytest.raises(InputError, match="control character|at most"), unit_of_work(db.engine) as s:
        NOTE_USES[use](s, caseworker, pid, agency, text)
    assert (_counts(db), _note_counts(db)) == before


def _note_counts(db) -> tuple[int, ...]:
    with unit_of_work(db.engine) as s:
        return tuple(s.scalar(select(func.count()).select_from(model))
                     for model in (NeedsAssessment, Screening, Complaint, Referral))
