"""A caseworker who is a designated clinician, in a real browser: register a person, record
consent, refer, enter a positive PHQ-9 and see the urgent alert."""

import re

import pytest
from sqlalchemy import select

from core.auth.model import User
from core.auth.roles import Actor
from core.db import engine_for, unit_of_work
from pathways.clinicians import name_clinician
from tests.live_server import sign_in, wait_connected

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("server")]

PHQ9 = {1: "2 More than half the days", 2: "2 More than half the days", 3: "1 Several days",
        4: "2 More than half the days", 5: "1 Several days", 6: "1 Several days", 7: "1 Several days",
        8: "0 Not at all", 9: "1 Several days"}


def _menu_link(page, title: str):
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=re.compile(f"{title}$"))


def _choose(page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_register_consent_refer_and_a_positive_phq9_raises_the_alert(live_server, browser_page):
    page = browser_page
    live_server.add_user("b.pathways", "caseworker")
    with unit_of_work(engine_for(live_server.database_url)) as s:  # as an administrator would
        name_clinician(s, Actor.system("test"), s.scalar(select(User.id).where(User.username == "b.pathways")),
                       "07400 900321")
    sign_in(page, live_server.base_url, "b.pathways", "browser-pass-1")

    _menu_link(page, "People").click()
    wait_connected(page)
    page.get_by_role("tab", name="Register a person").click()
    page.get_by_label("First name", exact=True).fill("Grace")
    page.get_by_label("Family name", exact=True).fill("Okafor")
    page.get_by_test_id("stMultiSelect").filter(has_text="Roles").click()
    page.get_by_role("option", name="Witness").click()
    page.keyboard.press("Escape")
    page.get_by_label("Mobile", exact=True).fill("07400 555666")
    page.get_by_label("Home postcode", exact=True).fill("M4 5AB")
    page.get_by_role("button", name="Register").click()
    page.get_by_text("Registered Grace Okafor").wait_for(timeout=20_000)
    page.get_by_role("button", name="Open the record just registered").click()
    page.get_by_role("heading", name="Grace Okafor").wait_for(timeout=20_000)

    page.get_by_role("tab", name="Consent").click()
    page.get_by_role("button", name="Record consent").click()
    page.get_by_text(re.compile(r"Referral: given \(Explicit consent\)")).wait_for(timeout=20_000)

    page.get_by_role("tab", name="Referrals").click()
    page.get_by_role("button", name="Send referral").click()
    page.get_by_text("Referral sent.").wait_for(timeout=20_000)

    page.get_by_role("tab", name="Screening").click()
    _choose(page, "Questionnaire", "PHQ-9")
    page.get_by_text("9. Thoughts that you would be better off dead").wait_for(timeout=20_000)
    for number, answer in PHQ9.items():
        group = page.get_by_test_id("stRadio").filter(has_text=re.compile(rf"^{number}\. "))
        group.get_by_text(answer, exact=True).click()
    page.get_by_role("button", name="Save screening").click()
    alert = page.get_by_test_id("stAlert").filter(has_text="URGENT — Grace Okafor")
    alert.wait_for(timeout=20_000)
    assert alert.is_visible()
    assert "thoughts of self-harm" in alert.inner_text()
