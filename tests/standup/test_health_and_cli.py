"""`/healthz`, the `standup` command's exit codes, and `standup run` end to end."""

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from core.db import unit_of_work
from core.heartbeat import beat
from standup.webhook_app import app
from tests.live_server import free_port, running_server

ROOT = Path(__file__).parents[2]


def test_healthz_reports_the_database_and_the_worker_heartbeat(db, frozen_clock):
    client = TestClient(app)
    assert client.get("/healthz").json() == {"status": "ok", "db": "ok", "worker_heartbeat_age_s": None}
    with unit_of_work(db.engine) as s:
        beat(s, "w1")
    from datetime import timedelta

    frozen_clock.advance(timedelta(seconds=7))
    assert client.get("/healthz").json()["worker_heartbeat_age_s"] == 7.0


def test_healthz_is_503_naming_the_database_when_it_is_unreachable(monkeypatch):
    port = free_port()  # nothing listens here
    monkeypatch.setenv("DATABASE_URL", f"postgresql://u:p@127.0.0.1:{port}/standup")
    response = TestClient(app).get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert f"127.0.0.1:{port}/standup" in response.json()["db"]


def _standup(*args, env=None, stdin=""):
    return subprocess.run([sys.executable, "-m", "standup.cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT)


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    import os

    return {**os.environ, "STANDUP_DATA_DIR": str(tmp_path / "cli"), "DATABASE_URL": ""}


def test_users_add_refuses_an_unknown_role_with_exit_2_and_the_allowed_values(cli_env):
    done = _standup("users", "add", "zed", "--role", "boss", env=cli_env, stdin="long enough pw\n")
    assert done.returncode == 2
    assert "allowed: gold, hub_manager, agency_coordinator, caseworker, admin, auditor" in done.stderr


def test_users_add_refuses_an_unknown_agency_with_exit_2(cli_env):
    assert _standup("demo", env=cli_env).returncode == 0
    done = _standup("users", "add", "zed", "--role", "agency_coordinator", "--agency", "Nope", env=cli_env,
                    stdin="long enough pw\n")
    assert done.returncode == 2
    assert "unknown agency 'Nope'; allowed: British Red Cross" in done.stderr


def test_users_add_then_the_demo_prints_every_role_once(cli_env):
    demo = _standup("demo", env=cli_env)
    assert demo.returncode == 0, demo.stderr
    for role in ("gold", "hub_manager", "agency_coordinator", "caseworker", "admin", "auditor"):
        assert f"  {role} " in demo.stdout
    added = _standup("users", "add", "new.user", "--role", "caseworker", env=cli_env, stdin="long enough pw\n")
    assert added.returncode == 0 and "added new.user (caseworker)" in added.stdout


def test_an_unreachable_database_exits_1_naming_the_host(cli_env):
    port = free_port()
    done = _standup("migrate", env={**cli_env, "DATABASE_URL": f"postgresql://u:p@127.0.0.1:{port}/x"})
    assert done.returncode == 1
    assert f"cannot reach PostgreSQL at 127.0.0.1:{port}/x" in done.stderr


def test_a_wrong_setting_stops_with_one_line_naming_it(cli_env):
    done = _standup("migrate", env={**cli_env, "SMS_RATE_PER_SECOND": "lots"})
    assert done.returncode == 2
    assert done.stderr.strip() == "standup: configuration: SMS_RATE_PER_SECOND must be a number, got 'lots'"


GOOD_KEY = "x" * 43 + "="  # 32 bytes in url-safe base64: a well-formed Fernet key


@pytest.mark.parametrize(("env", "line"), [
    ({"STANDUP_SECRET_KEY": "not-a-key"},
     "STANDUP_SECRET_KEY must be Fernet keys (32 url-safe base64 bytes, e.g. from "
     "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`), "
     "comma-separated, newest first; key 1 of 1 is not one"),
    ({"STANDUP_SECRET_KEY": f"{GOOD_KEY},short"},
     "STANDUP_SECRET_KEY must be Fernet keys (32 url-safe base64 bytes, e.g. from "
     "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`), "
     "comma-separated, newest first; key 2 of 2 is not one"),
    ({"STANDUP_TILE_URL": "tiles.example.org/{z}/{x}/{y}.png"},
     "STANDUP_TILE_URL must be an http(s) address with {z}, {x} and {y} in it, such as "
     "https://tile.openstreetmap.org/{z}/{x}/{y}.png, got 'tiles.example.org/{z}/{x}/{y}.png'"),
    ({"STANDUP_TILE_URL": "https://tiles.example.org/{z}/{x}.png"},
     "STANDUP_TILE_URL must be an http(s) address with {z}, {x} and {y} in it, such as "
     "https://tile.openstreetmap.org/{z}/{x}/{y}.png, got 'https://tiles.example.org/{z}/{x}.png'"),
])
def test_a_wrong_key_or_tile_address_stops_the_command_at_start(cli_env, env, line):
    # `migrate` encrypts nothing and draws no map: the setting is checked at start, not at first use.
    done = _standup("migrate", env={**cli_env, **env})
    assert (done.returncode, done.stderr.strip(), done.stdout) == (2, f"standup: configuration: {line}", "")
    assert "not-a-key" not in done.stderr and "short" not in done.stderr  # a secret is never echoed


def test_well_formed_keys_and_tile_address_are_accepted(cli_env):
    done = _standup("migrate", env={**cli_env, "STANDUP_SECRET_KEY": f"{GOOD_KEY}, {GOOD_KEY}",
                                    "STANDUP_TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png?k=1"})
    assert done.returncode == 0, done.stderr


@pytest.mark.xdist_group("server")
def test_standup_run_serves_a_healthy_dashboard_and_worker(tmp_path):
    env = {"STANDUP_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}"}
    with running_server(env, worker=True) as (base, seconds):
        page = httpx.get(base, timeout=10)
        assert page.status_code == 200 and "<div id=\"root\">" in page.text
        import time

        for _ in range(40):  # the worker beats every 5 s
            age = httpx.get(f"{base}/healthz", timeout=5).json()["worker_heartbeat_age_s"]
            if age is not None:
                break
            time.sleep(0.5)
        assert age is not None and age < 10
    print(f"standup run -> healthy /healthz in {seconds:.1f} s")
