"""The outreach public pages over HTTP (Starlette's TestClient against the app standup serves):
the wellbeing check page by page, self-referral and unsubscribing, with every bad input the
issue names: a guessed link 404, a used or expired one 410 with help, a missing answer shown in
the error summary, a double submit recorded once, no form token 403, too many referrals 429, the
honeypot, an oversized post 413; every page headed by the service's public name and number."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select, text
from starlette.datastructures import FormData
from starlette.testclient import TestClient

from core.db import unit_of_work
from core.public import form_token
from core.public.link_tokens import new_token
from core.public.request_guards import HEADERS, MAX_BODY_BYTES
from core.public.strings import t
from outreach.model import CheckDraft, Contact, Invitation, SelfReferral
from outreach.public.check_page import _PageTurn, _turn_pages
from outreach.public.referral_page import REFERRALS_PER_MINUTE
from pathways.model import Person, SafetyAlert, Screening
from pathways.pathway_admin import load_translation
from standup.webhook_app import app
from tests import factories

SERVICE, NUMBER = "Northern Resilience Hub", "0161 496 0000"
INCIDENT_NAME = "Operation Larch"  # police-internal: never on a public page
FORM = re.compile(r'name="form_token" value="([^"]+)"')


def _shown(key: str, lang: str = "en", **values) -> str:
    return str(escape(str(t(key, lang, **values))))


@pytest.fixture
def incident_id(db, frozen_clock):
    incident_id = factories.incident(db, INCIDENT_NAME, is_exercise=False)
    factories.outreach_ready(db, incident_id, service_name=SERVICE, service_name_cy="Hwb Cydnerthedd y Gogledd")
    return incident_id


@pytest.fixture
def client():
    return TestClient(app, follow_redirects=False)


def _post(client, url: str, data: dict, *, token: str | None = None):
    """Post `data` the way the page's form would: with the form token from the page at `url`."""
    if token is None:
        page = client.get(url)
        token = FORM.search(page.text).group(1)
    return client.post(url, data={form_token.FIELD: token, **data})


def _headed(response, lang: str = "en") -> None:
    assert (SERVICE if lang == "en" else "Hwb Cydnerthedd y Gogledd") in response.text
    assert NUMBER in response.text and INCIDENT_NAME not in response.text
    assert "<script" not in response.text and " style=" not in response.text  # works without JavaScript
    for name, value in HEADERS.items():
        assert response.headers[name] == value


def _answer_pages(client, token: str, answers: dict[str, str], until: str = "send") -> list:
    """Walk the check from its first page, posting each page's fields from `answers` (every field
    the page asks that `answers` has), until the page named `until`; the pages shown, in order."""
    url = f"/support/check/{token}"
    shown = []
    while True:
        page = client.get(url)
        assert page.status_code == 200, page.text[:500]
        shown.append(page)
        if f"page={until}" in url or (until == "consent" and url.endswith(token)):
            return shown
        fields = set(re.findall(r'name="([a-z0-9_-]+)"', page.text)) - {form_token.FIELD}
        posted = _post(client, url, {k: v for k, v in answers.items() if k in fields}, token=FORM.search(page.text).group(1))
        assert posted.status_code == 303, posted.text[:2000]
        url = posted.headers["location"]


ADULT = {"consent": "yes", "age": "34", "postcode": "M4 5AB", "roles": "survivor",
         **{f"pcl-5-{n}": "2" for n in range(1, 21)},  # 40: positive
         **{f"phq-9-{n}": "1" for n in range(1, 10)}, **{f"gad-7-{n}": "0" for n in range(1, 8)}}


def _counts(db):
    with unit_of_work(db.engine) as s:
        return (s.scalar(select(func.count()).select_from(Screening)),
                s.scalar(select(func.count()).select_from(SafetyAlert)),
                s.scalar(select(func.count()).select_from(Person)))


# --- the wellbeing check -------------------------------------------------------------------------

def test_an_adult_check_page_by_page_shows_crisis_help_at_once_and_records_once(db, incident_id, client):
    token = factories.invitation_link(db, incident_id)
    pages = _answer_pages(client, token, ADULT)
    names = [re.search(r"page=([a-z0-9-]+)", str(p.request.url)) for p in pages]
    assert [m.group(1) if m else "" for m in names] == [
        "", "about", "pcl-5-1", "pcl-5-2", "pcl-5-3", "pcl-5-4", "phq-9-1", "phq-9-2", "gad-7-1", "gad-7-2", "send"]
    for page in pages:
        _headed(page)
    crisis = _shown("crisis.now_intro")
    # Item 9 is on phq-9-2: the page after it (gad-7-1) is the first with crisis help, and every later one.
    assert [crisis in p.text for p in pages] == [False] * 8 + [True] * 3
    assert _shown("crisis.samaritans") in pages[-2].text
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Invitation.opened_at)) is not None
        assert s.scalar(select(func.count()).select_from(CheckDraft)) == 1
    assert _counts(db) == (0, 0, 0)  # nothing recorded until the answers are sent

    done = _post(client, f"/support/check/{token}?page=send", {})
    assert done.status_code == 200
    _headed(done)
    assert _shown("check.done.title") in done.text and crisis in done.text
    assert _shown("check.done.alert") in done.text
    assert _counts(db) == (3, 1, 1)
    with unit_of_work(db.engine) as s:
        person = s.scalars(select(Person)).one()
        assert (person.source, person.postcode, person.roles) == ("online_self_screening", "M4 5AB", "survivor")
        reviews = dict(s.execute(select(Screening.instrument, Screening.review_status)).all())
        assert reviews == {"PCL-5": "pending", "PHQ-9": "pending", "GAD-7": "not_needed"}
        assert s.scalar(select(func.count()).select_from(CheckDraft)) == 0

    # A double submit, and the link afterwards: 410 with how to get help; nothing more recorded.
    again = client.post(f"/support/check/{token}?page=send", data={form_token.FIELD: FORM.search(pages[-1].text).group(1)})
    later = client.get(f"/support/check/{token}")
    for gone in (again, later):
        assert gone.status_code == 410
        _headed(gone)
        assert _shown("link.used.title") in gone.text and _shown("crisis.samaritans") in gone.text
        assert _shown("link.call", number=NUMBER) in gone.text
    assert _counts(db) == (3, 1, 1)


def test_a_check_with_nothing_to_follow_up_says_when_the_next_one_is(db, incident_id, client):
    token = factories.invitation_link(db, incident_id, date_of_birth="1990-02-03")
    calm = ADULT | {f"pcl-5-{n}": "0" for n in range(1, 21)} | {f"phq-9-{n}": "0" for n in range(1, 10)}
    pages = _answer_pages(client, token, calm)
    assert 'name="age"' not in pages[1].text  # the list gave a date of birth: the age is not asked
    assert all(_shown("crisis.now_intro") not in p.text for p in pages)
    done = _post(client, f"/support/check/{token}?page=send", {})
    assert done.status_code == 200
    assert _shown("check.done.next_check", date="23 February 2027") in done.text


def test_a_missing_answer_shows_the_page_again_naming_the_question_and_keeps_nothing(db, incident_id, client):
    token = factories.invitation_link(db, incident_id, date_of_birth="1990-02-03")
    _answer_pages(client, token, ADULT, until="phq-9-2")
    url = f"/support/check/{token}?page=phq-9-2"
    partial = _post(client, url, {"phq-9-6": "1", "phq-9-7": "2", "phq-9-9": "1"})
    assert partial.status_code == 400
    _headed(partial)
    summary = partial.text.split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert re.findall(r'href="#([a-z0-9-]+)"', partial.text.split('class="govuk-error-summary"')[1])[:1] == ["phq-9-8"]
    assert _shown("check.questions.error", number=8) in summary
    assert partial.text.count(_shown("check.questions.error", number=8)) == 2  # the summary and the question
    assert 'value="2" checked' in partial.text  # what was answered is kept on the page
    with unit_of_work(db.engine) as s:
        draft = s.scalar(select(CheckDraft))
        assert draft.page == "phq-9-1"  # the draft did not move on
    assert _shown("crisis.now_intro") not in partial.text  # an answer not taken raises nothing yet
    # The summary is in Welsh on a Welsh page.
    welsh = _post(client, url + "&lang=cy", {})
    assert welsh.status_code == 400 and 'lang="cy"' in welsh.text
    assert _shown("check.questions.error", "cy", number=6) in welsh.text
    _headed(welsh, "cy")


def test_a_welsh_page_shows_a_loaded_translation_and_else_the_english_marked(db, incident_id, client, make_actor):
    token = factories.invitation_link(db, incident_id, date_of_birth="1990-02-03")
    _answer_pages(client, token, ADULT, until="gad-7-1")
    url = f"/support/check/{token}?page=phq-9-1&lang=cy"
    english = client.get(url)
    assert _shown("check.questions.in_english", "cy") in english.text
    assert '<span lang="en">1. Little interest or pleasure in doing things' in english.text
    welsh = ["Cyfarwyddiadau PHQ-9", "Ddim o gwbl", "Sawl diwrnod", "Mwy na hanner y dyddiau", "Bron bob dydd",
             *[f"Eitem {n} yn Gymraeg" for n in range(1, 10)]]
    with unit_of_work(db.engine) as s:
        load_translation(s, make_actor("admin"), "PHQ-9", "cy", welsh)
    translated = client.get(url)
    assert _shown("check.questions.in_english", "cy") not in translated.text
    assert "Little interest" not in translated.text and "Cyfarwyddiadau PHQ-9" in translated.text
    assert "1. Eitem 1 yn Gymraeg" in translated.text and re.search(r">\s*Bron bob dydd\s*<", translated.text)
    assert '<span lang="en">1. Eitem' not in translated.text
    assert "Little interest" in client.get(url.replace("&lang=cy", "")).text  # English pages keep the English
    gad7 = client.get(url.replace("phq-9-1", "gad-7-1"))  # no Welsh GAD-7 loaded: still English, marked
    assert "Feeling nervous" in gad7.text and _shown("check.questions.in_english", "cy") in gad7.text


def test_every_question_page_refuses_an_answer_its_form_does_not_allow(db, incident_id, client):
    token = factories.invitation_link(db, incident_id, date_of_birth="1990-02-03")
    _answer_pages(client, token, ADULT, until="pcl-5-1")
    for bad in ("5", "-1", "", "1.0", "true"):
        response = _post(client, f"/support/check/{token}?page=pcl-5-1",
                         {f"pcl-5-{n}": "1" for n in range(2, 6)} | {"pcl-5-1": bad})
        assert response.status_code == 400, bad
    consent = _post(client, f"/support/check/{token}?page=consent", {})
    assert consent.status_code == 400 and _shown("check.consent.error") in consent.text


def test_about_you_refuses_an_impossible_age_or_postcode(db, incident_id, client):
    token = factories.invitation_link(db, incident_id)
    _answer_pages(client, token, ADULT, until="about")
    for age, postcode, field in (("", "", "age"), ("121", "", "age"), ("thirty", "", "age"),
                                 ("34", "NOT A CODE", "postcode")):
        response = _post(client, f"/support/check/{token}?page=about", {"age": age, "postcode": postcode})
        assert response.status_code == 400
        assert f'href="#{field}"' in response.text
    roles = _post(client, f"/support/check/{token}?page=about", {"age": "34", "roles": "missing"})
    assert roles.status_code == 400 and 'href="#roles"' in roles.text
    welsh = _post(client, f"/support/check/{token}?page=about&lang=cy", {"age": "34", "postcode": "cf10 1aa"})
    assert welsh.status_code == 303 and welsh.headers["location"].endswith("?page=pcl-5-1&lang=cy")  # Welsh kept
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(CheckDraft.page)) == "about"


def test_a_page_further_on_is_not_shown_before_the_ones_before_it(db, incident_id, client):
    token = factories.invitation_link(db, incident_id, date_of_birth="1990-02-03")
    skipped = client.get(f"/support/check/{token}?page=send")
    assert skipped.status_code == 200 and _shown("check.consent.title") in skipped.text
    _answer_pages(client, token, ADULT, until="pcl-5-2")
    resumed = client.get(f"/support/check/{token}")  # the person comes back to their link
    assert _shown("check.questions.heading", number=2, total=8) in resumed.text
    back = client.get(f"/support/check/{token}?page=pcl-5-1")  # and can go back
    assert 'value="2" checked' in back.text


def test_a_child_of_ten_is_asked_about_a_parent_and_a_child_of_six_for_a_call_back(db, incident_id, client):
    ten = factories.invitation_link(db, incident_id, date_of_birth="2016-06-01")
    pages = _answer_pages(client, ten, {"consent": "yes", "with_a_parent": "yes"}, until="cries-8-1")
    assert _shown("check.parent.title") in pages[2].text
    six = factories.invitation_link(db, incident_id, date_of_birth="2020-06-01")
    pages = _answer_pages(client, six, {"consent": "yes", "parent_name": "Ann Taylor",
                                        "call_back_number": "07400 100002"})
    assert _shown("check.call_back.title") in pages[2].text
    done = _post(client, f"/support/check/{six}?page=send", {})
    assert done.status_code == 200 and _shown("check.done.call_back", date="25 November 2026") in done.text
    with unit_of_work(db.engine) as s:
        referral = s.scalars(select(SelfReferral)).one()
        assert (referral.referrer_name, referral.mobile) == ("Ann Taylor", "+447400100002")
    assert _counts(db)[0] == 0


def test_page_turns_kept_in_one_transaction_are_each_kept_as_alone(db, incident_id, client):
    """Posts kept together by the page-turn writer (core.group_commit): each link's own answers and
    page (several links in one statement on PostgreSQL); a second turn of one link builds on the
    first; a wrong answer, a link never opened and an unknown one keep nothing and are left to be
    taken alone (None)."""
    opened = factories.invitation_link(db, incident_id, date_of_birth="1990-02-03")
    other = factories.invitation_link(db, incident_id, date_of_birth="1985-07-08")
    for link in (opened, other):
        assert client.get(f"/support/check/{link}").status_code == 200  # its draft begun
    never_opened = factories.invitation_link(db, incident_id, date_of_birth="1990-02-03")
    turns = [_PageTurn(opened, "consent", FormData([("consent", "yes")]), "en"),
             _PageTurn(other, "consent", FormData([("consent", "yes")]), "en"),
             _PageTurn(opened, "about", FormData([("postcode", "M4 5AB"), ("roles", "survivor")]), "en"),
             _PageTurn(opened, None, FormData([("pcl-5-1", "9")]), "en"),  # the next page, 9 not an answer
             _PageTurn(never_opened, "consent", FormData([("consent", "yes")]), "en"),
             _PageTurn(new_token(), "consent", FormData([("consent", "yes")]), "en")]
    with unit_of_work(db.engine) as s:
        following = _turn_pages(s, turns)
    assert following[:3] == ["about", "about", following[2]] and following[2].startswith("pcl-5-")
    assert following[3:] == [None, None, None]
    with unit_of_work(db.engine) as s:
        drafts = {draft.page: (draft.invitation_id, json.loads(draft.answers)) for draft in s.scalars(select(CheckDraft))}
        progress = dict(s.execute(select(Invitation.id, Invitation.progress)).all())
    assert set(drafts) == {"about", "consent"}  # none for the link never opened
    assert drafts["about"][1] == {"consent": True, "postcode": "M4 5AB", "roles": ["survivor"], "done": ["consent", "about"]}
    assert drafts["consent"][1] == {"consent": True, "done": ["consent"]}
    assert progress[drafts["about"][0]] == "about" and progress[drafts["consent"][0]] == "consent"
    # What the writer left is then taken alone: the wrong answer shown again, the unopened link's kept.
    assert _post(client, f"/support/check/{opened}", {"pcl-5-1": "9"}).status_code == 400
    unopened = f"/support/check/{never_opened}"
    assert _post(client, unopened, {"consent": "yes"}, token=form_token.issue(unopened)).status_code == 303
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(CheckDraft)) == 3
        assert "survivor" not in s.scalar(text("SELECT answers FROM check_draft WHERE page = 'about'"))  # encrypted


def test_a_guessed_link_is_404_and_an_expired_one_410(db, incident_id, client, frozen_clock):
    for guess in (new_token(), "short", "x" * 32):
        assert client.get(f"/support/check/{guess}").status_code == 404
        page = client.get("/support/refer")
        token = FORM.search(page.text).group(1)
        assert client.post(f"/support/check/{guess}", data={form_token.FIELD: token}).status_code == 403
        assert client.get(f"/support/stop/{guess}").status_code == 404
    token = factories.invitation_link(db, incident_id)
    frozen_clock.advance(timedelta(days=29))
    expired = client.get(f"/support/check/{token}?lang=cy")
    assert expired.status_code == 410 and _shown("link.expired.title", "cy") in expired.text
    _headed(expired, "cy")
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Invitation.opened_at)) is None  # an expired link's opening is not counted


def test_posts_without_the_form_token_or_too_large_change_nothing(db, incident_id, client):
    token = factories.invitation_link(db, incident_id)
    url = f"/support/check/{token}"
    assert client.post(url, data={"consent": "yes"}).status_code == 403
    assert client.post(url, data={form_token.FIELD: "1.forged", "consent": "yes"}).status_code == 403
    other_page = form_token.issue("/support/refer")
    assert client.post(url, data={form_token.FIELD: other_page, "consent": "yes"}).status_code == 403
    huge = client.post(url, content=b"consent=yes&age=" + b"9" * MAX_BODY_BYTES,
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert huge.status_code == 413
    assert client.post(f"/support/stop/{token}", data={"x": "y"}).status_code == 403
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(CheckDraft)) == 0
        assert s.scalar(select(Contact.unsubscribed_at)) is None


# --- unsubscribing -------------------------------------------------------------------------------

def test_stop_asks_first_then_stops_with_any_link_and_one_click(db, incident_id, client):
    token = factories.invitation_link(db, incident_id)
    asked = client.get(f"/support/stop/{token}")
    assert asked.status_code == 200 and _shown("stop.button") in asked.text
    _headed(asked)
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Contact.unsubscribed_at)) is None  # a mail scanner's GET stops nothing
    stopped = _post(client, f"/support/stop/{token}?lang=cy", {})
    assert stopped.status_code == 200 and _shown("stop.done.title", "cy") in stopped.text
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(Contact.unsubscribed_at)) is not None
    other = factories.invitation_link(db, incident_id)
    one_click = client.post(f"/support/stop/{other}", content=b"List-Unsubscribe=One-Click",
                            headers={"content-type": "application/x-www-form-urlencoded"})
    assert one_click.status_code == 200
    with unit_of_work(db.engine) as s:
        assert s.scalar(select(func.count()).select_from(Contact).where(Contact.unsubscribed_at.is_not(None))) == 2


# --- self-referral -------------------------------------------------------------------------------

SOMEONE_ELSE = {"about": "someone_else", "given_name": "Grace", "family_name": "Okafor", "dob-day": "4",
                "dob-month": "5", "dob-year": "1980", "phone": "07400 100123", "postcode": "m4 5ab",
                "message": "She was at the concert.", "referrer_name": "Tom Okafor", "agreement_confirmed": "yes"}


def _referrals(db) -> list[SelfReferral]:
    with unit_of_work(db.engine) as s:
        return list(s.scalars(select(SelfReferral).order_by(SelfReferral.id)))


def test_a_referral_for_someone_who_agreed_reaches_the_triage_queue(db, incident_id, client):
    page = client.get("/support/refer")
    assert page.status_code == 200
    _headed(page)
    sent = _post(client, "/support/refer", SOMEONE_ELSE)
    assert sent.status_code == 303 and sent.headers["location"] == "/support/refer?sent=1"
    confirmation = client.get(sent.headers["location"])
    assert _shown("refer.sent.title") in confirmation.text
    [referral] = _referrals(db)
    assert (referral.incident_id, referral.about, referral.agreement_confirmed, referral.given_name,
            referral.referrer_name, referral.mobile, referral.postcode, referral.status,
            str(referral.date_of_birth)) == (incident_id, "someone_else", True, "Grace", "Tom Okafor",
                                             "+447400100123", "M4 5AB", "new", "1980-05-04")


def test_a_referral_for_someone_else_needs_their_agreement_and_names_what_is_missing(db, incident_id, client):
    response = _post(client, "/support/refer?lang=cy", SOMEONE_ELSE | {"agreement_confirmed": "", "dob-month": "13",
                                                                       "referrer_name": "", "phone": ""})
    assert response.status_code == 400
    _headed(response, "cy")
    summary = response.text.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'href="#([a-z_-]+)"', summary) == ["dob-day"]  # the date first: not sent to the service
    response = _post(client, "/support/refer", SOMEONE_ELSE | {"agreement_confirmed": "", "referrer_name": "",
                                                               "phone": "", "about": ""})
    summary = response.text.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'href="#([a-z_-]+)"', summary) == ["about", "phone"]
    response = _post(client, "/support/refer", SOMEONE_ELSE | {"agreement_confirmed": "", "referrer_name": ""})
    summary = response.text.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert re.findall(r'href="#([a-z_-]+)"', summary) == ["referrer_name", "agreement_confirmed"]
    assert _shown("refer.agreement_confirmed_error") in summary
    assert 'value="Grace"' in response.text  # what was typed stays
    assert _referrals(db) == []


def test_the_honeypot_and_the_rate_limit(db, incident_id, client):
    for _ in range(REFERRALS_PER_MINUTE + 1):  # a person correcting mistakes is not counted
        assert _post(client, "/support/refer", SOMEONE_ELSE | {"given_name": ""}).status_code == 400
    caught = _post(client, "/support/refer", SOMEONE_ELSE | {"website": "http://spam.example"})
    assert caught.status_code == 303  # answered as sent, and counted
    assert _referrals(db) == []
    for _ in range(REFERRALS_PER_MINUTE - 1):
        assert _post(client, "/support/refer", SOMEONE_ELSE | {"about": "self"}).status_code == 303
    refused = _post(client, "/support/refer", SOMEONE_ELSE | {"about": "self"})
    assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
    assert _shown("refused.429.title") in refused.text
    assert len(_referrals(db)) == REFERRALS_PER_MINUTE - 1


def test_with_two_services_the_person_chooses_and_with_none_the_form_is_not_offered(db, incident_id, client):
    other = factories.incident(db, "Operation Birch", is_exercise=True)
    factories.outreach_ready(db, other, service_name="Western Support Service", contact_number="029 2018 0000")
    page = client.get("/support/refer")
    assert 'name="service"' in page.text and "Western Support Service" in page.text
    assert "Operation" not in page.text
    missing = _post(client, "/support/refer", SOMEONE_ELSE)
    assert missing.status_code == 400 and 'href="#service"' in missing.text
    sent = _post(client, "/support/refer", SOMEONE_ELSE | {"service": str(other)})
    assert sent.status_code == 303
    assert "Western Support Service" in client.get(sent.headers["location"]).text
    assert [r.incident_id for r in _referrals(db)] == [other]


def test_with_no_service_taking_referrals_the_form_is_not_offered(db, frozen_clock, client):
    factories.incident(db, INCIDENT_NAME)  # its outreach has no public name or number yet
    page = client.get("/support/refer")
    assert page.status_code == 200 and _shown("refer.closed") in page.text and "<form" not in page.text
    assert INCIDENT_NAME not in page.text
    posted = _post(client, "/support/refer", SOMEONE_ELSE, token=form_token.issue("/support/refer"))
    assert posted.status_code == 200 and _shown("refer.closed") in posted.text
    assert _referrals(db) == []
