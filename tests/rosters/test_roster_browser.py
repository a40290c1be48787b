"""A hub manager's first night with a partner agency's roster, in a real browser: the file has no
DBS column, the preview says those people cannot be placed and why, the import goes in anyway, and
auto-fill lists each of them with the rule that stopped it. Photographed for the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.live_server import sign_in, wait_connected

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("server")]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ROSTER = ("staff_ref,first_name,last_name,mobile,role\n"
          "NEW1,Priya,Shah,07400 610001,support worker\n"
          "NEW2,Owen,Price,07400 610002,support worker\n")


def _open(page, link: str, heading: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link").filter(has_text=link).first.click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
    wait_connected(page)


def test_a_roster_without_dbs_is_warned_about_and_auto_fill_says_why_it_was_not_used(live_server, browser_page,
                                                                                       tmp_path):
    page = browser_page
    live_server.add_user("r.hub", "hub_manager")
    sign_in(page, live_server.base_url, "r.hub", "browser-pass-1")
    _open(page, "Import a roster", "Import a roster")
    roster = tmp_path / "victim-support-night-shift.csv"
    roster.write_text(ROSTER)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(roster))
    page.get_by_role("button", name="Preview").click()
    warning = page.get_by_text(re.compile(r"line 2 \(NEW1 Priya Shah\): no DBS level given: cannot be placed"))
    warning.wait_for(timeout=30_000)
    expect(page.get_by_text(re.compile(r"line 3 \(NEW2 Owen Price\): no DBS level given"))).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "roster-import-warnings.png"), full_page=True)
    page.get_by_role("button", name="Import 2 rows").click()
    page.get_by_text(re.compile(r"victim-support-night-shift\.csv: imported 2")).wait_for(timeout=30_000)

    _open(page, "Auto-fill", "Auto-fill")
    page.get_by_test_id("stSelectbox").filter(has_text="Fill shifts starting in the").click()
    page.get_by_role("option", name="everything planned").click()
    wait_connected(page)
    page.get_by_role("button", name="Propose").click()
    # Grouped by the rule that stopped them, each group naming its people.
    stopped = page.get_by_text(re.compile(r"^No DBS check recorded \(\d+\): .*Owen Price.*"))
    stopped.wait_for(timeout=90_000)
    assert "Priya Shah" in stopped.inner_text()
    page.screenshot(path=str(SHOTS / "autofill-not-used.png"), full_page=True)
