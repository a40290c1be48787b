"""A real `standup run` on a free port, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.infrastructure import ROOT

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps trying the network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def started_server(env: dict[str, str], *, worker: bool = False, demo: bool = False, timeout: float = 90):
    """Start `standup run` in its own process group, wait for /healthz and yield (process, base URL,
    seconds to healthy); afterwards stop whatever of the group is left."""
    port = free_port()
    args = [sys.executable, "-m", "standup.cli", "run", "--port", str(port)]
    args += ([] if worker else ["--no-worker"]) + (["--demo"] if demo else [])
    log = open(Path(env["STANDUP_DATA_DIR"]) / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"standup run exited {proc.returncode}: {Path(log.name).read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"no healthy /healthz after {timeout} s: {Path(log.name).read_text()[-2000:]}")
            time.sleep(0.3)
        yield proc, base, time.monotonic() - started
    finally:
        _stop_group(proc)
        log.close()


def _stop_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:  # the test stopped it already
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


@contextmanager
def running_server(env: dict[str, str], *, worker: bool = False, demo: bool = False, timeout: float = 90):
    """Start `standup run`, wait for /healthz and yield its base URL; stop it afterwards."""
    with started_server(env, worker=worker, demo=demo, timeout=timeout) as (_proc, base, took):
        yield base, took


def wait_connected(page) -> None:
    """Streamlit has connected its websocket and finished running the script."""
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelector('[data-testid=\"stApp\"]')?.dataset.teststate !== 'running'",
        timeout=30_000,
    )


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base)
    wait_connected(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for(timeout=30_000)
    wait_connected(page)
