"""The outreach public pages in a real browser, served by `standup run`: every page (the wellbeing
check's kinds of page, its errors, its last page with crisis help, a used link; self-referral,
its errors and its confirmation; unsubscribing, asked and done) passes axe-core with no violation,
in English and in Welsh; and the whole journey: an invitation emailed through a local SMTP server,
its link opened in Chromium, the adult check answered with PHQ-9 item 9 above 0, crisis help at
once, the clinician's review page showing the urgent alert and the positive screen, and the link
answering 410 afterwards; the feedback survey behind its link, the same way. The browser asks nothing of the world beyond this machine
(`browser_page` fails a test that does)."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import delete, select

import outreach.public  # noqa: F401  (its words, for t())
from core.auth.model import User
from core.auth.roles import Actor
from core.auth.service import NewUser, actor_for, add_user
from core.db import engine_for, forget_engines, unit_of_work
from core.public.model import RateLimitCount
from core.public.strings import t
from core.settings import get_settings, reset_settings
from incident.team_service import assign_to_team
from notifications.channels.smtp_sender import SmtpEmail
from notifications.dispatcher import dispatch
from notifications.local_smtp import Mailbox, local_smtp_server
from notifications.model import OutboundMessage
from notifications.pacing import TokenBucket
from outreach.feedback_service import offer_feedback
from outreach.invitation_service import send_invitations
from pathways.caseload_service import discharge
from pathways.clinicians import name_clinician
from pathways.consent_service import consent_state, record_consent
from pathways.registration_service import NewPerson, register_person
from pathways.update_service import send_update_to_people
from tests import factories
from tests.live_server import running_server, sign_in, wait_connected
from tests.public_axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("server")]

SERVICE, NUMBER = "Northern Resilience Hub", "0161 496 0000"
SYSTEM = Actor.system("test")


@dataclass(frozen=True)
class PublicServer:
    base_url: str
    db: SimpleNamespace  # what tests.factories takes: .engine on the server's database
    incident_id: int


@pytest.fixture(scope="module")
def public_server(tmp_path_factory, sqlite_template):
    """`standup run` (no worker, no demo) on a database of its own, which this process shares: the
    test builds the invitations and sends the emails itself, as the worker would."""
    data = tmp_path_factory.mktemp("public-pages")
    shutil.copy(sqlite_template, data / "standup.db")
    env = {"STANDUP_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data / 'standup.db'}"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        reset_settings()
        with running_server(env) as (base, _took):
            patch.setenv("PUBLIC_BASE_URL", base)
            reset_settings()
            db = SimpleNamespace(engine=engine_for(env["DATABASE_URL"]))
            incident_id = factories.incident(db, "Operation Larch", is_exercise=False)
            factories.outreach_ready(db, incident_id, service_name=SERVICE, service_name_cy="Hwb Cydnerthedd y Gogledd",
                                     contact_number=NUMBER)
            yield PublicServer(base, db, incident_id)
    reset_settings()
    forget_engines()



def _checked(page, where: str) -> str:
    """axe on the page as it is; the page's title, to say which page was checked."""
    found = axe_violations(page)
    assert found == [], f"{where}: {found}"
    return page.title()


def _arrived(page, selector: str) -> None:
    """The next page is drawn and styled: its element is there and its stylesheet has loaded (axe run
    on a page whose stylesheet is still coming measured unstyled links)."""
    page.locator(selector).wait_for()
    page.wait_for_load_state()


def _continue(page, lang: str) -> None:
    page.get_by_role("button", name=str(t("check.continue", lang))).click()
    page.wait_for_load_state()


def _answer_questions(page, lang: str, answers: dict[str, str]) -> None:
    """Answer every radio question on the page from `answers` ({field prefix: value}), then continue."""
    for name in sorted(set(page.locator("input[type=radio]").evaluate_all("els => els.map(e => e.name)"))):
        prefix = name.rsplit("-", 1)[0]
        value = answers.get(name, answers.get(prefix))
        page.check(f"input[name='{name}'][value='{value}']")
    _continue(page, lang)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_outreach_public_page_passes_axe(public_server, browser_page, lang):
    page, base, db = browser_page, public_server.base_url, public_server.db
    with unit_of_work(db.engine) as s:  # the other language's run posted referrals from this address too
        s.execute(delete(RateLimitCount))
    query = "?lang=cy" if lang == "cy" else ""
    seen = []

    adult = factories.invitation_link(db, public_server.incident_id)
    page.goto(f"{base}/support/check/{adult}{query}")
    assert page.locator("html").get_attribute("lang") == lang
    seen.append(_checked(page, "consent"))
    _continue(page, lang)  # not agreed: the error summary
    _arrived(page, ".govuk-error-summary")
    seen.append(_checked(page, "consent, with its error"))
    page.check("input[name=consent]")
    _continue(page, lang)
    seen.append(_checked(page, "about you"))
    page.fill("#age", "34")
    page.check("input[name=roles][value=witness]")
    _continue(page, lang)
    seen.append(_checked(page, "questions"))
    page.set_viewport_size({"width": 360, "height": 740})  # a small phone
    seen.append(_checked(page, "questions on a phone"))
    page.set_viewport_size({"width": 1400, "height": 1000})
    _continue(page, lang)
    _arrived(page, ".govuk-error-summary")
    seen.append(_checked(page, "questions, with errors"))
    answers = {"pcl-5": "1", "phq-9": "1", "gad-7": "0"}
    while page.locator("input[type=radio]").count():
        _answer_questions(page, lang, answers)
    assert page.locator("#crisis-help").is_visible()  # PHQ-9 item 9 was answered 1
    seen.append(_checked(page, "send, with crisis help"))
    page.get_by_role("button", name=str(t("check.send.button", lang))).click()
    _arrived(page, ".govuk-panel")
    seen.append(_checked(page, "what happens next"))
    assert page.goto(f"{base}/support/check/{adult}{query}").status == 410
    seen.append(_checked(page, "a used link"))

    ten = factories.invitation_link(db, public_server.incident_id, date_of_birth="2016-06-01")
    six = factories.invitation_link(db, public_server.incident_id, date_of_birth="2020-06-01")
    for token in (ten, six):
        page.goto(f"{base}/support/check/{token}{query}")
        page.check("input[name=consent]")
        _continue(page, lang)
        _continue(page, lang)  # about you: the list gave the date of birth
        seen.append(_checked(page, f"a child's page ({token[:4]}…)"))

    page.goto(f"{base}/support/refer{query}")
    seen.append(_checked(page, "self-referral"))
    page.get_by_role("button", name=str(t("refer.send", lang))).click()
    _arrived(page, ".govuk-error-summary")
    seen.append(_checked(page, "self-referral, with errors"))
    page.check("input[name=about][value=self]")
    page.fill("#given_name", "Grace")
    page.fill("#phone", "07400 100123")
    page.get_by_role("button", name=str(t("refer.send", lang))).click()
    _arrived(page, ".govuk-panel")
    seen.append(_checked(page, "self-referral sent"))

    page.goto(f"{base}/support/stop/{six}{query}")
    seen.append(_checked(page, "stop messages"))
    page.get_by_role("button", name=str(t("stop.button", lang))).click()
    _arrived(page, ".govuk-panel")
    seen.append(_checked(page, "messages stopped"))
    assert len(seen) == 16 and all(title.endswith(SERVICE if lang == "en" else "Hwb Cydnerthedd y Gogledd")
                                   for title in seen), seen


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_registered_person_s_email_unsubscribe_passes_axe(
        public_server, browser_page, lang):
    """The link at the foot of an email the support team sent a registered person: asked, then done."""
    page, base, db = browser_page, public_server.base_url, public_server.db
    incident_id = public_server.incident_id
    with unit_of_work(db.engine) as s:
        user = add_user(s, SYSTEM, NewUser(f"c.worker.{lang}", "caseworker", "browser-pass-1"))
        assign_to_team(s, SYSTEM, incident_id, user.id)
        caseworker = actor_for(user)
        person = register_person(s, caseworker, incident_id, NewPerson(
            "Nia", "Evans", ["witness"], "witness_list", email=f"nia.{lang}@example.org"))
        record_consent(s, caseworker, person.id, "email", given=True, lawful_basis="consent")
        send_update_to_people(s, caseworker, incident_id, "The hub moves to the town hall on Monday.", [person.id],
                              group="test")
        payload = s.scalar(select(OutboundMessage.payload).where(OutboundMessage.destination == f"nia.{lang}@example.org"))
    link = json.loads(payload)["unsubscribe_url"] + ("?lang=cy" if lang == "cy" else "")
    assert link.startswith(f"{base}/support/stop/")
    answered = page.goto(link)
    assert answered.status == 200, page.content()[:3000]
    assert page.locator("html").get_attribute("lang") == lang
    seen = [_checked(page, "stop emails")]
    page.get_by_role("button", name=str(t("stop.person.button", lang))).click()
    _arrived(page, ".govuk-panel")
    seen.append(_checked(page, "emails stopped"))
    assert page.locator(".govuk-panel").inner_text().strip() == str(t("stop.person.done.title", lang))
    assert all(title.endswith(SERVICE if lang == "en" else "Hwb Cydnerthedd y Gogledd") for title in seen), seen
    with unit_of_work(db.engine) as s:
        assert not consent_state(s, person.id, "email").given


def test_an_emailed_link_to_crisis_help_to_the_clinician_then_410(public_server, browser_page, monkeypatch):
    page, base, db = browser_page, public_server.base_url, public_server.db
    cohort = factories.cohort(db, public_server.incident_id, "first_name,last_name,email,date_of_birth\r\n"
                                                             "Zoë,Adeyemi,zoe.adeyemi@example.org,1988-04-12\r\n",
                              name="Concert ticket purchasers")
    with unit_of_work(db.engine) as s:
        send_invitations(s, SYSTEM, public_server.incident_id, cohort, channel="email")
    mailbox = Mailbox()
    with local_smtp_server(mailbox) as port:
        for name, value in {"EMAIL_BACKEND": "smtp", "SMTP_URL": f"smtp://127.0.0.1:{port}",
                            "EMAIL_FROM": "Northern Resilience Hub <support@force.police.uk>"}.items():
            monkeypatch.setenv(name, value)
        reset_settings()
        sender = SmtpEmail(get_settings())
        report = dispatch(db.engine, "email", sender, TokenBucket(1e9))
        sender.close()
    assert report.sent >= 1
    [mail] = [m for m in mailbox.messages if m["To"] == "zoe.adeyemi@example.org"]
    body = mail.get_body(("plain",)).get_content()
    assert SERVICE in body and "Operation Larch" not in body
    link = re.search(re.escape(base) + r"/support/check/[A-Za-z0-9_-]+", body).group(0)

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == t("check.consent.title", "en")
    page.check("input[name=consent]")
    _continue(page, "en")
    _continue(page, "en")  # about you: nothing more to add
    answers = {"pcl-5": "2", "phq-9": "1", "gad-7": "1"}  # PCL-5 40: positive; PHQ-9 item 9 is 1
    while not page.locator("#crisis-help").count():
        assert page.locator("input[type=radio]").count(), "crisis help never shown"
        _answer_questions(page, "en", answers)
    # At once: the page straight after PHQ-9's last questions (item 9 among them).
    assert "gad-7-1" in page.url and page.locator("#crisis-help").is_visible()
    assert "116 123" in page.locator("#crisis-help").inner_text()
    while page.locator("input[type=radio]").count():
        _answer_questions(page, "en", answers)
    page.get_by_role("button", name="Send my answers").click()
    _arrived(page, ".govuk-panel")
    assert page.locator("#crisis-help").is_visible()
    assert str(t("check.done.alert", "en")) in page.locator("main").inner_text()

    # The clinician: the urgent alert, and the positive screen waiting for review.
    with unit_of_work(db.engine) as s:
        user = add_user(s, SYSTEM, NewUser("b.clinician", "caseworker", "browser-pass-1"))
        assign_to_team(s, SYSTEM, public_server.incident_id, user.id)
        name_clinician(s, SYSTEM, s.scalar(select(User.id).where(User.username == "b.clinician")), "07400 900321")
    sign_in(page, base, "b.clinician", "browser-pass-1")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=re.compile("Clinician review$")).click()
    wait_connected(page)
    alert = page.get_by_test_id("stAlert").filter(has_text="URGENT — Zoë Adeyemi")
    alert.wait_for(timeout=20_000)
    assert "thoughts of self-harm" in alert.inner_text()
    page.get_by_text(re.compile(r"Zoë Adeyemi — PCL-5: ")).first.wait_for(timeout=20_000)
    page.get_by_text(re.compile(r"Zoë Adeyemi — PHQ-9: .*safety alert raised")).first.wait_for(timeout=20_000)

    # The link is used up.
    assert page.goto(link).status == 410
    assert page.get_by_role("heading", level=1).inner_text() == t("link.used.title", "en")
    assert httpx.get(link).status_code == 410


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_feedback_survey_passes_axe_and_is_taken_once(public_server, browser_page, lang):
    """The survey a discharged person is texted a link to: the page, its errors, the thanks and the
    answered link, each with no axe violation."""
    page, base, db = browser_page, public_server.base_url, public_server.db
    query = "?lang=cy" if lang == "cy" else ""
    with unit_of_work(db.engine) as s:
        person = register_person(s, SYSTEM, public_server.incident_id, NewPerson(
            "Nia", "Evans", ["survivor"], "reception_centre", mobile={"en": "07400 400021", "cy": "07400 400022"}[lang]))
        record_consent(s, SYSTEM, person.id, "sms", given=True, lawful_basis="consent")
        discharge(s, SYSTEM, person.id, "recovered", "No further support needed")
        assert offer_feedback(s) == 1
        text = s.scalar(select(OutboundMessage.body).where(OutboundMessage.purpose == "feedback",
                                                           OutboundMessage.destination == person.mobile))
    link = re.search(r"/support/check/[A-Za-z0-9_-]{32}", text).group(0)
    seen = []
    page.goto(f"{base}{link}{query}")
    assert page.get_by_role("heading", level=1).inner_text() == t("feedback.title", lang)
    seen.append(_checked(page, "the survey"))
    page.get_by_role("button", name=str(t("feedback.send", lang))).click()
    _arrived(page, ".govuk-error-summary")
    seen.append(_checked(page, "the survey, with errors"))
    page.check("input[name=satisfaction][value='4']")
    for name in ("kept_informed", "treated_with_respect", "contact_wanted"):
        page.check(f"input[name={name}][value=yes]")
    page.fill("#comment", "Thank you for the calls.")
    page.get_by_role("button", name=str(t("feedback.send", lang))).click()
    _arrived(page, ".govuk-panel")
    seen.append(_checked(page, "thanks"))
    assert page.goto(f"{base}{link}{query}").status == 410
    seen.append(_checked(page, "an answered survey link"))
    assert all(title.endswith(SERVICE if lang == "en" else "Hwb Cydnerthedd y Gogledd") for title in seen), seen
