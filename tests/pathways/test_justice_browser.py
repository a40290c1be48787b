"""In a real browser: a police user (Gold) enters a charge on the Justice process page, and a
caseworker closes the inform task it created from "my day", saying how the person was told."""

import re

import pytest
from sqlalchemy import select, update

from core.auth.model import User
from core.clock import london, now
from core.db import engine_for, unit_of_work
from pathways.model import InformTask, Person
from tests.live_server import sign_in, wait_connected

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("server")]


def _menu_link(page, title: str):
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=re.compile(f"{title}$"))


def test_gold_enters_a_charge_and_a_caseworker_closes_the_inform_task_from_my_day(live_server, browser_page):
    page = browser_page
    live_server.add_user("b.gold", "gold")
    live_server.add_user("b.justice", "caseworker")
    engine = engine_for(live_server.database_url)
    with unit_of_work(engine) as s:  # one of the demo's people, made the new caseworker's (the server's key
        # encrypts their record: only plain columns are read or changed here)
        caseworker_id = s.scalar(select(User.id).where(User.username == "b.justice"))
        person_id, given, family = s.execute(select(Person.id, Person.given_name, Person.family_name).where(
            Person.key_worker_id.is_(None), Person.status == "open", Person.merged_into_id.is_(None))
            .order_by(Person.id).limit(1)).one()
        s.execute(update(Person).where(Person.id == person_id).values(key_worker_id=caseworker_id))
    name = f"{given} {family}"

    sign_in(page, live_server.base_url, "b.gold", "browser-pass-1")
    _menu_link(page, "Justice process").click()
    wait_connected(page)
    # The page drawn to its end (the timeline comes last): a click before that can land on a select the
    # next redraw replaces, closing its list.
    page.get_by_role("heading", name="Timeline").wait_for(timeout=30_000)
    page.get_by_test_id("stSelectbox").filter(has_text="Milestone").click()
    page.get_by_role("option", name="Charge (right 6)", exact=True).click()
    date_field = page.get_by_label(re.compile("^Date: of the decision"))  # day, month and year segments
    date_field.get_by_role("spinbutton").first.click()
    page.keyboard.type(f"{london(now()).date():%d%m%Y}")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Enter milestone").click()
    page.get_by_text("Charge entered: the people it concerns are on their support team's list to tell.").wait_for(
        timeout=30_000)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.base_url, "b.justice", "browser-pass-1")
    _menu_link(page, "My day").click()
    wait_connected(page)
    page.get_by_text(re.compile(rf"{re.escape(name)}.*Charge")).first.wait_for(timeout=30_000)
    wait_connected(page)
    page.get_by_test_id("stSelectbox").filter(has_text="How they were told").click()
    page.keyboard.type("Phone")  # the list opens below the fold: choose by typing
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Record as told").click()
    page.get_by_text(re.compile(rf"^Recorded as told: {re.escape(name)} — Charge")).wait_for(timeout=30_000)
    with unit_of_work(engine) as s:  # plain columns only: the note is encrypted with the server's key
        told = s.execute(select(InformTask.method, InformTask.told_late, InformTask.closed_by_id).where(
            InformTask.person_id == person_id, InformTask.closed_at.is_not(None))).all()
        assert told == [("phone", False, caseworker_id)]
