"""The browser tests' guard works: a page that asks for anything off this machine is refused it and
the request is recorded (the fixture fails the test at teardown); a map tile is recorded apart."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


def test_the_browser_guard_refuses_and_records_requests_off_this_machine(browser_page, off_machine):
    browser_page.set_content('<img src="https://fonts.example.org/x.woff2"><img src="https://tile.openstreetmap.org/1/0/0.png">')
    browser_page.wait_for_timeout(500)
    assert off_machine.others == ["https://fonts.example.org/x.woff2"]
    assert off_machine.tiles == ["https://tile.openstreetmap.org/1/0/0.png"]
    off_machine.others.clear()  # recorded as it should be: this test's own request is not a failure
