"""A call-out in a real browser: the hub manager starts one for a one-place gap, a responder's
YES quoting the code the page showed is typed on the console outbox, and the board and the
coverage board both change."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from sqlalchemy import select

from core.auth.roles import Actor
from core.clock import now, show
from core.db import engine_for, unit_of_work
from incident.model import Incident
from notifications.model import CallOut, CallOutRecipient, InboundMessage
from rosters.coverage_queries import gaps
from tests.live_server import sign_in, wait_connected

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("server")]


SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _open(page, link: str, heading: str) -> None:
    # Every page is listed: nothing is folded behind "View more".
    assert page.get_by_test_id("stSidebarNav").get_by_text(re.compile(r"View \d+ more")).count() == 0
    page.get_by_test_id("stSidebarNav").get_by_role("link").filter(has_text=link).first.click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
    wait_connected(page)


def _choose(page, label: str, option: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.click()
    try:  # typed before the list opens, the text filters nothing
        page.get_by_role("listbox").wait_for(timeout=10_000)
    except PlaywrightTimeout:  # a rerun landing on the click closed the list again: a person clicks again
        wait_connected(page)
        box.click()
        page.get_by_role("listbox").wait_for()
    page.keyboard.type(option)
    page.get_by_role("option", name=option).first.click()
    wait_connected(page)


def _metric(page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label,
                                                                                                          exact=True))
    metric.first.wait_for(timeout=30_000)
    return metric.first.get_by_test_id("stMetricValue").inner_text().strip()


def _one_place_gap(database_url: str):
    with unit_of_work(engine_for(database_url)) as s:
        incident_id = s.scalar(select(Incident.id))
        called = set(s.scalars(select(CallOut.requirement_id)))
        for gap in gaps(s, Actor.system("test"), incident_id):
            if (gap.open_places == 1 and not gap.unmet_needs and gap.requirement_id not in called
                    and gap.starts_at > now() + timedelta(hours=2)):
                return gap
    pytest.fail("the demo has no one-place gap left to call out for")


def _wait_for_callout(database_url: str, requirement_id: int) -> CallOut:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with unit_of_work(engine_for(database_url)) as s:
            callout = s.scalar(select(CallOut).where(CallOut.requirement_id == requirement_id))
        if callout is not None:
            return callout
        time.sleep(0.2)
    pytest.fail("no call-out was started")


def test_start_a_callout_answer_yes_on_the_console_and_see_board_and_coverage_change(live_server, browser_page):
    page = browser_page
    live_server.add_user("b.hub.callout", "hub_manager")
    sign_in(page, live_server.base_url, "b.hub.callout", "browser-pass-1")
    page.get_by_role("heading", name="What needs you now").wait_for(timeout=30_000)
    page.get_by_text("Call-out ").first.wait_for(timeout=30_000)  # the demo's call-out still asking
    _shot(page, "home-hub-manager.png")
    gap = _one_place_gap(live_server.database_url)  # first: the board redraws every 30 s, so leave it at once
    _open(page, "Coverage board", "Coverage board")
    gaps_before = int(_metric(page, "With gaps"))

    label = (f"{gap.hub_name} · {show(gap.starts_at)}–{show(gap.ends_at, '%H:%M')} · {gap.role} · "
             f"{gap.filled}/{gap.needed} filled")
    _open(page, "Call-outs", "Call-outs")
    _choose(page, "Shift with a gap", label)
    expect(page.get_by_text(re.compile(r"GSM-7 · \d+ characters · 1 segment\(s\)")).first).to_be_visible()
    shown = page.get_by_text(re.compile(r"^Reply code [A-Z2-9]{4}:")).first.inner_text()
    code = re.match(r"Reply code ([A-Z2-9]{4})", shown).group(1)
    assert f"YES {code}" in page.get_by_test_id("stCode").first.inner_text()
    _shot(page, "callout-preview.png")
    page.get_by_role("button", name="Send call-out").click()
    callout = _wait_for_callout(live_server.database_url, gap.requirement_id)
    assert callout.code == code  # the code read on the page is the code texted
    page.get_by_text(f"Call-out {code} started").wait_for(timeout=30_000)
    expect(page.get_by_role("combobox", name="Call-out")).to_have_value(re.compile(f"^{callout.code} · open"),
                                                                         timeout=30_000)
    wait_connected(page)
    assert _metric(page, "Confirmed") == "0 / 1"

    with unit_of_work(engine_for(live_server.database_url)) as s:
        mobile = s.scalar(select(CallOutRecipient.mobile).where(CallOutRecipient.callout_id == callout.id,
                                                                CallOutRecipient.wave == 1)
                          .order_by(CallOutRecipient.rank))
    _open(page, "SMS outbox", "SMS outbox")
    _choose(page, "From", mobile)
    expect(page.get_by_role("textbox", name="Message")).to_have_attribute("placeholder", f"YES {code}",
                                                                          timeout=30_000)
    page.get_by_role("textbox", name="Message").fill(f"Yes {code.lower()} on my way")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Answered: “Confirmed").wait_for(timeout=30_000)

    _open(page, "Call-outs", "Call-outs")
    page.get_by_test_id("stMetric").filter(has_text="Confirmed").first.wait_for(timeout=30_000)
    assert _metric(page, "Confirmed") == "1 / 1"
    assert _metric(page, "Status") == "quorum met"

    _open(page, "Coverage board", "Coverage board")
    assert int(_metric(page, "With gaps")) == gaps_before - 1


def test_the_webhooks_are_served_beside_the_dashboard_and_refuse_unsigned_posts(live_server):
    form = {"MessageSid": "SM" + "f" * 32, "From": "+447400123456", "Body": "YES"}
    for path in ("/twilio/sms", "/twilio/status"):
        response = httpx.post(live_server.base_url + path, data=form, timeout=10)
        assert response.status_code == 403, (path, response.status_code, response.text[:200])
    with unit_of_work(engine_for(live_server.database_url)) as s:
        assert s.scalar(select(InboundMessage).where(InboundMessage.provider_sid == form["MessageSid"])) is None
