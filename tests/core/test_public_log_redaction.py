"""A personal link's token never reaches a log line: uvicorn's access log, Starlette, Streamlit's
loggers and ours (core.public.log_redaction, installed by every entry point's bootstrap.start)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time

import httpx
import pytest
from uvicorn.logging import AccessFormatter

from core.public.log_redaction import redact
from tests.infrastructure import ROOT
from tests.live_server import free_port

TOKEN = "Xq7pLm2vNc9RtY4wZb8HdK"


def test_the_test_process_redacts_like_every_entry_point():
    # tests/conftest.py starts the suite as every entry point starts: through bootstrap.start.
    record = logging.getLogger("standup.anything").makeRecord(
        "standup.anything", logging.INFO, __file__, 1, "opened %s", (f"/support/check/{TOKEN}",), None)
    assert record.getMessage() == "opened /support/check/[token]"


@pytest.mark.parametrize("logger", ["uvicorn.access", "uvicorn.error", "starlette", "streamlit.web.server",
                                    "standup.outreach"])
def test_no_logger_writes_a_token(logger, caplog):
    caplog.set_level(logging.INFO)
    log = logging.getLogger(logger)
    # uvicorn's access line, exactly as uvicorn makes it: its formatter reads the arguments by position.
    log.info('%s - "%s %s HTTP/%s" %d', "203.0.113.7:5123", "GET", f"/support/check/{TOKEN}?lang=cy", "1.1", 404)
    log.info("invitation link https://support.example/support/stop/%s sent", TOKEN)
    log.info("next=%s", f"%2Fsupport%2Fcheck%2F{TOKEN}")
    log.info("%s%s", "/support/check/", TOKEN)  # a token that only formatting puts together
    try:
        raise ValueError(f"no invitation for /support/check/{TOKEN}")
    except ValueError:
        log.exception("while serving")
    assert len(caplog.records) == 5
    assert TOKEN not in caplog.text
    assert "/support/check/[token]?lang=cy" in caplog.text and "/support/stop/[token] sent" in caplog.text
    access = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False)
    assert access.format(caplog.records[0]) == (
        '203.0.113.7:5123 - "GET /support/check/[token]?lang=cy HTTP/1.1" 404 Not Found')


def test_redact_leaves_what_is_not_a_token():
    assert redact("/support/assets/govuk-frontend.css") == "/support/assets/govuk-frontend.css"
    assert redact("/support/accessibility?lang=cy") == "/support/accessibility?lang=cy"
    assert redact("/support/refer") == "/support/refer"
    assert redact(f"/support/check/{TOKEN}/2") == "/support/check/[token]/2"


def test_uvicorns_access_log_of_the_webhook_app_never_holds_a_token(tmp_path):
    """The standalone app as a deployment runs it: `uvicorn standup.webhook_app:app`, access log on."""
    port = free_port()
    env = {**os.environ, "STANDUP_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    log_file = tmp_path / "uvicorn.log"
    with open(log_file, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "uvicorn", "standup.webhook_app:app", "--port", str(port),
                                   "--access-log", "--log-level", "info"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/support/accessibility", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, log_file.read_text()[-2000:]
                time.sleep(0.2)
            assert httpx.get(f"{base}/support/check/{TOKEN}?lang=cy").status_code == 404
            assert httpx.post(f"{base}/support/stop/{TOKEN}", data={"x": "1"}).status_code in (403, 404, 405)
        finally:
            server.terminate()
            server.wait(timeout=20)
    written = log_file.read_text()
    assert '"GET /support/check/[token]?lang=cy HTTP/1.1" 404' in written, written[-2000:]
    assert "/support/stop/[token]" in written
    assert TOKEN not in written
