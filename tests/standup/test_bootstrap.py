"""standup/bootstrap.py: every entry point, started in a fresh process of its own, builds and plugs
in every port before it handles anything; with one port missing it refuses to start, and a
process that never started its ports refuses to handle an SMS."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.infrastructure import ROOT

# Run first in every probe: the ports as the entry point left them.
PRELUDE = f"""
import sys
from dataclasses import fields

import standup.bootstrap


def show_ports():
    from notifications.inbound_service import PERSON_REPLIES
    from notifications.preference_queries import PERSON_PREFERENCES
    from pathways.person_messages import PERSON_MESSAGES
    plugged = type(PERSON_REPLIES.get()).__name__  # raises if the entry point did not plug it in
    texts = type(PERSON_MESSAGES.get()).__name__
    preferences = type(PERSON_PREFERENCES.get()).__name__
    ports = standup.bootstrap.start("probe")  # built once per process: these are the entry point's
    print("PORTS", plugged, texts, preferences, *(f"{{f.name}}={{type(getattr(ports, f.name)).__name__}}" for f in fields(ports)))


STREAMLIT_APP = {str(ROOT / "streamlit_app.py")!r}
"""

# How each entry point starts; a CLI command's job is replaced by show_ports once the command has
# done what it does first.
ENTRY_POINTS = {
    "the dashboard": """
from streamlit.testing.v1 import AppTest
app = AppTest.from_file(STREAMLIT_APP, default_timeout=60).run()  # a plain `streamlit run streamlit_app.py`
if app.exception:
    sys.exit(app.exception[0].message)
show_ports()
""",
    "the web server": """
import standup.server
show_ports()
""",
    "the webhook app": """
import standup.webhook_app
show_ports()
""",
    "the worker": """
from apscheduler.schedulers.blocking import BlockingScheduler
from standup.worker import run_worker
BlockingScheduler.start = lambda scheduler: print("JOBS", *sorted(job.id for job in scheduler.get_jobs()))
run_worker()
show_ports()
""",
    "standup demo": """
import standup.cli, standup.demo
standup.cli._migrated_engine = lambda: None
standup.demo.build_demo = lambda engine, **_: sys.exit(show_ports())
standup.cli.main(["demo"])
""",
    "standup run": """
import standup.assets, standup.cli, standup.demo
standup.cli._migrated_engine = lambda: None
standup.assets.ensure_vendored = lambda: None
standup.demo.has_incident = lambda engine: False
standup.demo.build_demo = lambda engine, **_: sys.exit(show_ports())
standup.cli.main(["run", "--demo"])
""",
    "standup bench": """
import standup.bench, standup.cli
standup.bench.run_bench = lambda **_: sys.exit(show_ports())
standup.cli.main(["bench", "--quick"])
""",
}

EVERY_PORT = ["PORTS", "PathwaysPersonReplies", "OutboxPersonMessages", "PathwaysContactPreferences",
              "person_replies=PathwaysPersonReplies", "person_preferences=PathwaysContactPreferences",
              "person_messages=OutboxPersonMessages", "clinician_pager=OutboxClinicianPager"]


def _probe(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PRELUDE + code], capture_output=True, text=True, cwd=cwd,
                          timeout=180)


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_each_entry_point_plugs_every_port_at_start(entry_point, tmp_path):
    done = _probe(ENTRY_POINTS[entry_point], tmp_path)
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and [line.split() for line in lines if line.startswith("PORTS")] == [EVERY_PORT], \
        done.stderr[-3000:]
    if entry_point == "the worker":  # and pathways' sweeps are scheduled, built with their ports
        [jobs] = [line.split()[1:] for line in lines if line.startswith("JOBS")]
        assert {"pathways.follow_ups", "pathways.safety_alerts", "exercise_responders"} <= set(jobs)


@pytest.mark.parametrize(("entry_point", "missing", "harm"), [
    ("the dashboard", "person_replies", "kept in clear"),
    ("the web server", "person_replies", "kept in clear"),
    ("the webhook app", "person_messages", "would never be sent screening reminders"),
    ("the worker", "clinician_pager", "urgent safety alerts would never reach the duty clinician"),
    ("standup demo", "person_messages", "would never be sent screening reminders"),
    ("standup run", "clinician_pager", "urgent safety alerts would never reach the duty clinician"),
    ("standup bench", "person_replies", "kept in clear"),
    ("the dashboard", "person_messages", "updates to their group or news of their key worker"),
    ("the dashboard", "person_preferences", "how the affected person a message went to asked to be reached"),
])
def test_an_entry_point_with_a_port_missing_refuses_to_start(entry_point, missing, harm, tmp_path):
    without = f"""
from dataclasses import replace
build_every_port = standup.bootstrap.build_ports
standup.bootstrap.build_ports = lambda: replace(build_every_port(), {missing}=None)
"""
    done = _probe(without + ENTRY_POINTS[entry_point], tmp_path)
    assert done.returncode != 0 and "PORTS" not in done.stdout and "JOBS" not in done.stdout, done.stdout
    assert f"{entry_point} refuses to start: no {missing} port (" in done.stderr, done.stderr[-3000:]
    assert harm in done.stderr


def test_a_process_that_never_started_its_ports_refuses_to_handle_an_sms(tmp_path):
    # As if an entry point forgot standup.bootstrap.start(): nothing is handled, so nothing is kept in clear.
    done = _probe("""
from notifications.inbound_service import handle_inbound
handle_inbound(None, sid="SM" + "a" * 32, from_="+447400123456", to="+447400000000", body="my words")
""", tmp_path)
    assert done.returncode != 0
    assert ("RuntimeError: notifications' person-replies port is not plugged in (an affected person's own SMS "
            "would be kept in clear") in done.stderr, done.stderr[-3000:]
    assert "every entry point must call standup.bootstrap.start()" in done.stderr
