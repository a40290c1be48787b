"""The shell in a real browser: two roles sign in and each sees its own menu."""

import pytest
from playwright.sync_api import expect

from tests.live_server import sign_in, wait_connected

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("server")]


def _menu(page) -> set[str]:
    """The titles in the sidebar menu (Streamlit draws no menu for a single page)."""
    wait_connected(page)
    nav = page.get_by_test_id("stSidebarNav")
    # Each link reads "<icon name>\n<title>": keep the title.
    return {t.strip().splitlines()[-1] for t in nav.get_by_role("link").all_inner_texts()}


def test_admin_and_caseworker_see_their_own_menus(live_server, browser_page):
    page = browser_page
    live_server.add_user("b.admin", "admin")
    live_server.add_user("b.case", "caseworker")

    sign_in(page, live_server.base_url, "b.admin", "browser-pass-1")
    admin_menu = _menu(page)
    assert {"Home", "Users", "Agencies", "Audit trail"} <= admin_menu
    page.get_by_role("button", name="Sign out").click()
    wait_connected(page)

    sign_in(page, live_server.base_url, "b.case", "browser-pass-1")
    case_menu = _menu(page)
    expect(page.get_by_role("heading", name="What needs you now")).to_be_visible()  # waits for the page to draw
    assert not {"Users", "Agencies", "Audit trail"} & case_menu
    assert page.get_by_text("EXERCISE").first.is_visible()  # the demo incident is an exercise


def test_a_wrong_password_is_refused_without_saying_which_part(live_server, browser_page):
    page = browser_page
    live_server.add_user("b.gold", "gold")
    page.goto(live_server.base_url)
    wait_connected(page)
    page.get_by_role("textbox", name="Username").fill("b.gold")
    page.get_by_role("textbox", name="Password").fill("not-it-at-all")
    page.get_by_role("button", name="Sign in").click()
    refusal = page.get_by_text("Username or password not recognised.")
    refusal.wait_for(timeout=20_000)
    assert refusal.is_visible()
    assert page.get_by_role("button", name="Sign out").count() == 0  # still signed out
