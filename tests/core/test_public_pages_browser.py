"""The public pages in a real browser, served by `standup run`: the accessibility statement in
English and Welsh passes axe-core with no violation of any impact, at desktop and phone widths;
the browser asks for nothing beyond this machine; with JavaScript off the page still reads, links
and switches language; the real server sends the guards' headers and logs no token."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from core.public.request_guards import HEADERS
from core.public.strings import t
from tests.public_axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("server")]

TOKEN = "Bv3kQ9xTzR7mWp2LsN8cYd"



@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_accessibility_statement_passes_axe_with_no_violation(live_server, browser_page, lang):
    page = browser_page
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{live_server.base_url}/support/accessibility" + ("?lang=cy" if lang == "cy" else ""))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.get_by_role("heading", level=1).inner_text() == t("accessibility.title", lang)
    # The stylesheet is applied (so axe judges the colours people see), from this server.
    assert "arial" in page.get_by_role("heading", level=1).evaluate(
        "h => getComputedStyle(h).fontFamily").lower()
    assert f"{live_server.base_url}/support/assets/govuk-frontend.css" in asked
    assert all(url.startswith(live_server.base_url) for url in asked), asked
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})  # a small phone
    assert axe_violations(page) == []


def test_without_javascript_the_statement_reads_links_and_switches_language(live_server,
                                                                            browser_page_without_javascript):
    page = browser_page_without_javascript
    page.goto(f"{live_server.base_url}/support/accessibility")
    assert page.get_by_role("heading", level=1).inner_text() == t("accessibility.title", "en")
    # By keyboard: the first stop is the skip link, the next the language switch.
    page.keyboard.press("Tab")
    assert page.locator(":focus").inner_text() == t("layout.skip_link", "en")
    page.keyboard.press("Tab")
    assert page.locator(":focus").inner_text() == "Cymraeg"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/support/accessibility?lang=cy"))
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", level=1).inner_text() == t("accessibility.title", "cy")
    page.get_by_role("link", name=t("layout.accessibility_link", "cy")).click()  # the footer keeps Welsh
    page.wait_for_url(lambda url: url.endswith("/support/accessibility?lang=cy"))
    page.get_by_role("link", name="English").click()
    page.wait_for_url(lambda url: url.endswith("/support/accessibility"))
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_dashboard_server_guards_public_responses_and_logs_no_token(live_server):
    base = live_server.base_url
    for path, status in [("/support/accessibility", 200), ("/support/assets/govuk-frontend.css", 200),
                         (f"/support/check/{TOKEN}", 404)]:
        response = httpx.get(base + path)
        assert response.status_code == status, path
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (path, name)
    assert httpx.post(f"{base}/support/stop/{TOKEN}", data={"a": "b"}).status_code in (403, 404, 405)
    # Streamlit's server writes no access line today; if one is ever switched on, it must not hold a token.
    log = Path(make_url(live_server.database_url).database).parent / "server.log"
    assert log.exists() and TOKEN not in log.read_text()


@pytest.fixture(scope="module")
def form_server(tmp_path_factory, sqlite_template):
    """tests.public_test_pages' form (every GOV.UK macro the public pages use) under uvicorn."""
    import os
    import shutil
    import subprocess
    import sys
    import time

    from tests.infrastructure import ROOT
    from tests.live_server import free_port

    data = tmp_path_factory.mktemp("form-server")
    shutil.copy(sqlite_template, data / "standup.db")
    port = free_port()
    env = {**os.environ, "STANDUP_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data / 'standup.db'}"}
    with open(data / "server.log", "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "tests.public_test_pages:app",
                                   "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/support/try", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, (data / "server.log").read_text()[-2000:]
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=20)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_a_form_built_from_the_macros_and_its_error_summary_pass_axe(form_server, browser_page, lang):
    page = browser_page
    page.goto(f"{form_server}/support/try" + ("?lang=cy" if lang == "cy" else ""))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send").click()  # nothing answered: the errors are shown
    page.locator(".govuk-error-summary").wait_for()
    page.wait_for_load_state()  # styled: axe on a page whose stylesheet is still coming measures it unstyled
    assert page.title().startswith(str(t("errors.title_prefix", lang)))
    assert axe_violations(page) == []
    page.get_by_role("link", name="Enter your date of birth").click()  # the summary takes you to the question
    assert page.evaluate("document.activeElement.id") == "dob-day"


def test_without_javascript_a_form_posts_and_shows_what_went_wrong(form_server, browser_page_without_javascript):
    page = browser_page_without_javascript
    page.goto(f"{form_server}/support/try")
    page.get_by_role("button", name="Send").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.locator(".govuk-error-summary a").all_inner_texts() == ["Enter your name", "Enter your date of birth"]
    page.get_by_label("Your name").fill("Ann")
    page.get_by_label("Day").fill("4")
    page.get_by_label("Someone else").check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(lambda url: url.endswith("/support/try?done=1"))
    assert page.locator(".govuk-panel__title").inner_text() == "Sent"
