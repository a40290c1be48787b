"""Gold in a real browser: declare an incident, log a decision, activate the hub naming it, and see all
three on Gold's page."""

import pytest
from playwright.sync_api import expect

from tests.live_server import sign_in, wait_connected

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("server")]


def _open(page, link: str, heading: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link").filter(has_text=link).first.click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
    wait_connected(page)


def _choose(page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option).click()


def test_gold_declares_activates_the_hub_and_logs_a_decision(live_server, browser_page):
    page = browser_page
    live_server.add_user("b.gold.incident", "gold")
    sign_in(page, live_server.base_url, "b.gold.incident", "browser-pass-1")

    _open(page, "Declare and status", "Declare and status")
    page.get_by_text("Declare a new incident").click()  # folded away while the demo incident is chosen
    page.get_by_role("textbox", name="Name", exact=True).fill("Browser Street collapse")
    page.get_by_test_id("stRadio").filter(has_text="Live or exercise?").get_by_text("Live", exact=True).click()
    page.get_by_role("textbox", name="Reason for declaring").fill("Building collapse, people trapped")
    page.get_by_role("button", name="Open the incident").click()
    page.get_by_text("Browser Street collapse is open (declared).").wait_for(timeout=30_000)

    _open(page, "Gold", "Browser Street collapse")  # Gold's page is headed by the chosen incident
    # The lead agency chosen, then the decision logged: the request names it (the newest entry is
    # offered again once it is added, whatever the choice showed before).
    _choose(page, "Lead agency", "Greater Manchester Police")
    page.get_by_role("textbox", name="Decision", exact=True).fill("Surge the hub to 24 hours")
    page.get_by_role("textbox", name="Rationale", exact=True).fill("Families arriving all night")
    page.get_by_role("button", name="Add to the log").click()
    page.get_by_text("Entry 1 added to the decision log.").wait_for(timeout=30_000)
    wait_connected(page)

    page.get_by_role("button", name="Request activation").click()
    page.get_by_text("Victim and Witness Hub surge requested.").wait_for(timeout=30_000)
    wait_connected(page)
    expect(page.get_by_text("Requested: authorised by entry 1 (")).to_be_visible(timeout=30_000)

    page.get_by_role("button", name="Move to standing up").click()
    page.get_by_text("Victim and Witness Hub surge: standing up.").wait_for(timeout=30_000)
    wait_connected(page)

    # The metrics redraw after the move: wait for them rather than read the page mid-draw.
    expect(page.get_by_test_id("stMetric").filter(has_text="Status").first).to_contain_text("Declared",
                                                                                            timeout=30_000)
    assert page.get_by_text("Surge the hub to 24 hours").first.is_visible()
    # The card now stands in the "Standing up" column, its history ends with the move, and it offers the next one.
    def column(stage: str):
        return page.get_by_test_id("stColumn").filter(has=page.get_by_role("heading", name=stage, exact=True))

    card = column("Standing up").get_by_test_id("stVerticalBlock").filter(
        has_text="Lead: Greater Manchester Police").last  # the innermost block holding it: the card
    assert "Victim and Witness Hub surge" in card.inner_text()
    history = card.get_by_test_id("stCaptionContainer").inner_text()
    assert history.splitlines()[0].startswith("requested ") and history.splitlines()[-1].startswith("standing up ")
    assert card.get_by_role("button", name="Move to operational").is_visible()
    # Waits for the redraw to take the card out of its old column (a loaded machine draws it late).
    expect(column("Requested").get_by_text("Lead: Greater Manchester Police")).to_have_count(0, timeout=30_000)
