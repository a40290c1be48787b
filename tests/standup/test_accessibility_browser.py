"""Accessibility of the staff pages: axe-core (axe-playwright-python, its script shipped in the
package, so nothing is fetched) on every page of every role's menu, on the exercise demo. No
serious or critical violation in what Stand Up renders."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from core.auth.roles import Role
from standup.navigation import pages_for
from tests.live_server import sign_in, wait_connected

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("server")]

BLOCKING = {"serious", "critical"}


def _violations(page) -> list[str]:
    # The sidebar menu's markup is Streamlit's own (section headings inside its list): not ours to change.
    results = Axe().run(page, context={"exclude": [['[data-testid="stSidebarNav"]']]},
                        options={"resultTypes": ["violations"]})
    found = []
    for v in results.response["violations"]:
        if v["impact"] in BLOCKING:
            targets = [n["html"][:160] + " | " + n.get("failureSummary", "")[:200] for n in v["nodes"]][:3]
            found.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return found


@pytest.mark.parametrize("role", list(Role))
def test_every_page_of_every_role_passes_axe(live_server, browser_page, role):
    page = browser_page
    password = live_server.add_user(f"a11y.{role.value}", role.value, agency="Victim Support"
                                    if role == Role.AGENCY_COORDINATOR else None)
    sign_in(page, live_server.base_url, f"a11y.{role.value}", password)
    problems = {}
    for number, spec in enumerate(pages_for(role)):
        if number:  # the first, Home, is where signing in lands (served at the root, not its own path)
            # By the menu: a fresh page load would start a new, signed-out session.
            page.locator(f'[data-testid="stSidebarNav"] a[href$="/{spec.url_path}"]').click()
        page.get_by_role("heading").first.wait_for(timeout=30_000)
        wait_connected(page)
        if spec.path == "standup/pages/dashboard.py":  # its charts draw a moment after the page
            page.locator('[data-testid="stVegaLiteChart"] svg').last.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)  # let the page's own elements draw (fragments, grids, maps)
        found = _violations(page)
        if found:
            problems[spec.title] = found
    assert problems == {}
