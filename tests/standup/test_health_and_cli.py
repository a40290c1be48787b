"""`/healthz`, the `standup` command's exit codes, and `standup run` end to end."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from core.db import forget_engines, unit_of_work
from core.heartbeat import beat
from core.migrate import upgrade
from core.settings import reset_settings
from standup.webhook_app import app
from tests.infrastructure import PG_URL, skip_or_fail
from tests.live_server import free_port, running_server, started_server

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


def test_healthz_turns_503_when_the_sqlite_file_goes_away_while_serving(tmp_path, monkeypatch):
    path = tmp_path / "data" / "live.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    reset_settings()
    client = TestClient(app)
    from core.db import get_engine

    upgrade(get_engine())
    assert client.get("/healthz").status_code == 200
    # The data folder is deleted (or its disk unmounted): open connections would carry on writing
    # into a file nobody can find again, so this must not look healthy.
    for part in path.parent.glob("live.db*"):
        part.unlink()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy", "db": f"cannot reach SQLite file {path}: the file is gone"}


def test_healthz_is_503_naming_the_database_when_its_tables_cannot_be_read(tmp_path, monkeypatch):
    path = tmp_path / "not-stand-up.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # a database, but not Stand Up's (a wrong file restored, say)
        conn.execute(text("CREATE TABLE something_else (id INTEGER)"))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    response = TestClient(app).get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy",
                               "db": f"cannot read SQLite file {path}: no such table: worker_heartbeat"}


def test_healthz_turns_503_when_postgresql_goes_away_while_serving(monkeypatch):
    if not PG_URL:
        skip_or_fail("STANDUP_REQUIRE_PG", "PostgreSQL not started: STANDUP_TEST_PG_URL unset (scripts/test sets it)")
    name = f"standup_health_{time.monotonic_ns()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        monkeypatch.setenv("DATABASE_URL", PG_URL.rsplit("/", 1)[0] + f"/{name}")
        reset_settings()
        from core.db import get_engine

        upgrade(get_engine())
        client = TestClient(app)
        assert client.get("/healthz").status_code == 200
        with admin.connect() as conn:  # someone drops it (or the server goes) while Stand Up runs
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "unhealthy"
        server = make_url(PG_URL)
        assert f"cannot reach PostgreSQL at {server.host}:{server.port or 5432}/{name}" in response.json()["db"]
    finally:
        forget_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
    assert "allowed: gold, hub_manager, agency_coordinator, caseworker, admin, auditor, scrutiny, advocate" in done.stderr


def test_users_add_refuses_an_unknown_agency_with_exit_2(cli_env):
    assert _standup("demo", env=cli_env).returncode == 0
    done = _standup("users", "add", "zed", "--role", "agency_coordinator", "--agency", "Nope", env=cli_env,
                    stdin="long enough pw\n")
    assert done.returncode == 2
    assert "unknown agency 'Nope'; allowed: British Red Cross" in done.stderr


def test_users_add_then_the_demo_prints_every_role_once(cli_env):
    demo = _standup("demo", env=cli_env)
    assert demo.returncode == 0, demo.stderr
    for role in ("gold", "hub_manager", "agency_coordinator", "caseworker", "admin", "auditor", "scrutiny",
                 "advocate"):
        assert f"  {role} " in demo.stdout
    # The terminal scrolls on under the server's logs: the logins are kept in a file only this user reads.
    kept = Path(cli_env["STANDUP_DATA_DIR"]) / "demo-logins.txt"
    assert kept.stat().st_mode & 0o777 == 0o600
    printed = [line for line in demo.stdout.splitlines() if " password " in line]
    assert len(printed) == 8 and printed == [line for line in kept.read_text().splitlines() if " password " in line]
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
    ({"STANDUP_SIGNING_KEY": "not-a-key"},
     "STANDUP_SIGNING_KEY must be an Ed25519 private key: 32 random bytes in url-safe base64, e.g. from "
     "`python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'`; "
     "the key is not url-safe base64"),
    ({"STANDUP_SIGNING_KEY": "c2hvcnQ="},  # "short"
     "STANDUP_SIGNING_KEY must be an Ed25519 private key: 32 random bytes in url-safe base64, e.g. from "
     "`python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'`; "
     "the key is 5 bytes, not 32"),
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
    # A secret is never echoed.
    assert "not-a-key" not in done.stderr and "short" not in done.stderr and "c2hvcnQ" not in done.stderr


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
        # Streamlit's metrics answer nobody (they would tell a stranger how many sessions are open);
        # its health check, which the page itself polls, still answers.
        for path in ("/_stcore/metrics", "/_stcore/metrics?families=session_events", "//_stcore/metrics",
                     "/_stcore/metrics/"):
            for method in ("GET", "OPTIONS"):
                assert httpx.request(method, base + path, timeout=5).status_code == 404, (method, path)
        assert httpx.get(f"{base}/_stcore/health", timeout=5).text == "ok"
        import time

        for _ in range(40):  # the worker beats every 5 s
            age = httpx.get(f"{base}/healthz", timeout=5).json()["worker_heartbeat_age_s"]
            if age is not None:
                break
            time.sleep(0.5)
        assert age is not None and age < 10
    # The worker's sweeps ran (it beat), and the terminal was not buried under a line per run.
    log = (tmp_path / "server.log").read_text()
    assert "Running job" not in log and "executed successfully" not in log, log[-1000:]
    print(f"standup run -> healthy /healthz in {seconds:.1f} s")


def test_streamlit_metrics_are_closed_and_everything_else_passes():
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from standup.closed_endpoints import ClosedEndpoints

    def answer(_request):
        return PlainTextResponse("served")

    app = Starlette(routes=[Route("/{path:path}", answer, methods=["GET", "POST", "OPTIONS"])],
                    middleware=[Middleware(ClosedEndpoints)])
    client = TestClient(app)
    for path in ("/_stcore/metrics", "/_stcore/metrics/", "/_stcore//metrics//", "/base/_stcore/metrics"):
        for method in ("GET", "POST", "OPTIONS"):
            response = client.request(method, path)
            assert (response.status_code, response.text) == (404, "Not Found"), (method, path)
    for path in ("/_stcore/health", "/healthz", "/_stcore/metricsx", "/support/refer"):
        assert client.get(path).text == "served", path


def _children(pid: int) -> dict[int, str]:
    """The direct children of a process, with their command lines (Linux /proc)."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found[int(child)] = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return found


def _gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" in status.read_text()  # a zombie has ended; only its parent's reaping is left
    except FileNotFoundError:
        return True


@pytest.mark.xdist_group("server")
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_to_standup_run_alone_stops_the_web_server_and_the_worker(tmp_path, stop_signal):
    env = {"STANDUP_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}"}
    with started_server(env, worker=True) as (proc, base, _seconds):
        children = _children(proc.pid)
        assert sorted("streamlit" in cmd for cmd in children.values()) == [False, True]  # the worker, the server
        assert any("standup.cli worker" in cmd for cmd in children.values())

        proc.send_signal(stop_signal)  # to `standup run` only, not its process group
        assert proc.wait(timeout=60) == 0
        deadline = time.monotonic() + 30
        while not all(_gone(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [pid for pid in children if not _gone(pid)] == []
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{base}/healthz", timeout=5)


@pytest.mark.parametrize("command", [
    ("users", "add", "zed", "--role", "gold"),
    ("retention", "--dry-run"),
    ("sitrep",),
    ("export", "incident", "1", "--output", "out", "--recipient", "the inquiry"),
    ("import-roster", "roster.csv", "--agency", "Victim Support"),
    ("reencrypt",),
], ids=lambda c: c[0])
def test_a_command_on_a_database_not_yet_migrated_says_to_migrate_and_changes_nothing(cli_env, tmp_path, command):
    (tmp_path / "roster.csv").write_text("staff_ref,first_name,last_name,mobile,role\nA1,Sam,Lee,07400123456,support\n")
    done = subprocess.run([sys.executable, "-m", "standup.cli", *command], input="long enough pw\n",
                          capture_output=True, text=True, env=cli_env, timeout=120, cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    assert done.stderr.strip().splitlines()[-1] == (
        "standup: the database does not have this release's tables yet: run `standup migrate` first")
    assert "Traceback" not in done.stderr
    database = tmp_path / "cli" / "standup.db"
    if database.exists():
        with create_engine(f"sqlite:///{database}").connect() as conn:
            assert conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).all() == []
