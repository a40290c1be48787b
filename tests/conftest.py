"""Fixtures every test can use: a migrated database of either kind, actors of any role, an
injectable clock, Twilio settings, a signed-in AppTest of any page, and a live server with a real
browser. Rows to start from are built with tests.factories; the other modules beside this one are
support shared by every area's tests. A test module imports from those, never from another test
module or a conftest."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from core import clock
from core.auth.roles import Actor, Role
from core.db import engine_for, forget_engines, make_engine, unit_of_work
from core.migrate import upgrade
from core.settings import reset_settings
from standup.bootstrap import start
from standup.sitrep.dashboard_figures import forget_shared_counts
from tests import factories
from tests.infrastructure import PG_URL, ROOT, skip_or_fail
from tests.twilio_requests import AUTH_TOKEN, PUBLIC


@pytest.fixture(scope="session", autouse=True)
def _ports_plugged() -> None:
    """The suite starts as every entry point does: inbound SMS from a person reach pathways."""
    start("the test suite")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith(("TWILIO_", "SMS_", "EMAIL_", "SMTP_", "STANDUP_")) and name not in (
            "STANDUP_TEST_PG_URL", "STANDUP_REQUIRE_PG", "STANDUP_REQUIRE_BROWSER", "STANDUP_REQUIRE_PRISM",
            "STANDUP_REQUIRE_PDFTOTEXT", "STANDUP_PRISM_BIN", "STANDUP_TWILIO_SPEC",
        ):
            monkeypatch.delenv(name)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("STANDUP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no developer's .env leaks in
    reset_settings()
    forget_shared_counts()  # each test builds its own database, perhaps under a name used before
    yield
    reset_settings()
    clock.set_clock(None)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "standup.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url(worker_id: str) -> Iterator[str]:
    if not PG_URL:
        skip_or_fail("STANDUP_REQUIRE_PG", "PostgreSQL not started: STANDUP_TEST_PG_URL unset (scripts/test sets it)")
    # One database per test process, so parallel runs (xdist workers, two developers) never collide.
    name = f"standup_test_{worker_id}_{os.getpid()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    forget_engines()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@dataclass(frozen=True)
class Database:
    kind: str
    url: str

    @property
    def engine(self) -> Engine:
        return engine_for(self.url)


def _truncate_all(url: str) -> None:
    engine = engine_for(url)
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A migrated, empty database; every test using it runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_url")
        _truncate_all(url)
    monkeypatch.setenv("DATABASE_URL", url)
    reset_settings()
    yield Database(request.param, url)
    forget_engines()


@pytest.fixture
def make_actor(db: Database) -> Callable[..., Actor]:
    """An Actor backed by a real user row, for any role."""
    from core.auth.model import User
    from core.auth.service import actor_for

    counter = iter(range(1, 10_000))

    def make(role: Role | str, *, agency: str | None = None) -> Actor:
        role = Role(role)
        agency_id = None
        if agency or role == Role.AGENCY_COORDINATOR:
            agency_id = factories.agency(db, agency or "Victim Support")
        with unit_of_work(db.engine) as session:
            user = User(username=f"{role.value}{next(counter)}", display_name=f"Test {role.value}",
                        role=role.value, agency_id=agency_id, password_hash=None)
            session.add(user)
            session.flush()
            return actor_for(user)

    return make


class FrozenClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at

    def advance(self, delta: timedelta) -> None:
        self.at += delta


@pytest.fixture
def frozen_clock() -> Iterator[FrozenClock]:
    c = FrozenClock(factories.T0)
    clock.set_clock(c)
    yield c
    clock.set_clock(None)


@pytest.fixture
def twilio_env(monkeypatch):
    """SMS_BACKEND=twilio with a test account; the REST base is set per test when needed."""
    monkeypatch.setenv("SMS_BACKEND", "twilio")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("TWILIO_MESSAGING_SERVICE_SID", "MG" + "1" * 32)
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    reset_settings()


@pytest.fixture
def app_as(db: Database, make_actor: Callable[..., Actor]):
    """A signed-in AppTest of the whole shell, optionally switched to one page."""
    from streamlit.testing.v1 import AppTest

    def open_app(role: Role | str, page: str | None = None, *, actor: Actor | None = None, **state) -> AppTest:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
        at.session_state["actor"] = actor or make_actor(role)
        at.session_state["last_seen"] = clock.now()
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    return open_app


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    database_url: str
    seconds_to_healthy: float

    def add_user(self, username: str, role: str, password: str = "browser-pass-1", agency: str | None = None,
                 *, on_demo_team: bool = True) -> str:
        """A user; a caseworker also joins the demo incident's team unless told not to (caseworkers
        see only the incidents they are on)."""
        from sqlalchemy import select

        from core.auth.service import NewUser, add_user
        from incident.model import Incident
        from incident.team_service import assign_to_team

        with unit_of_work(engine_for(self.database_url)) as session:
            user = add_user(session, Actor.system("test"), NewUser(username, role, password, agency=agency))
            if role == Role.CASEWORKER and on_demo_team:
                for incident_id in session.scalars(select(Incident.id).where(Incident.is_exercise.is_(True))):
                    assign_to_team(session, Actor.system("test"), incident_id, user.id)
        return password


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`standup run --demo` on a free port with its own SQLite database (the embedded default)."""
    from tests.live_server import running_server

    data = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{data / 'standup.db'}"
    with running_server({"STANDUP_DATA_DIR": str(data), "DATABASE_URL": url}, demo=True) as (base, took):
        yield LiveServer(base, url, took)


@dataclass
class OffMachineRequests:
    """What the browser asked of the world beyond this machine. Every such request is refused; map
    tiles are the one kind the product may ask for (the providers' APIs are called by the server,
    never by a browser), so any other is a failure of the test that made it."""

    tiles: list[str]
    others: list[str]


def _off_this_machine(url: str) -> bool:
    from urllib.parse import urlparse

    parts = urlparse(url)
    return parts.scheme not in ("data", "blob", "about") and parts.hostname not in ("127.0.0.1", "localhost", "::1")


def _is_tile(url: str) -> bool:
    from urllib.parse import urlparse

    from core.settings import Settings

    tile_host = urlparse(os.environ.get("STANDUP_TILE_URL") or Settings.tile_url).hostname
    return urlparse(url).hostname == tile_host and urlparse(url).path.endswith(".png")


@pytest.fixture
def off_machine() -> OffMachineRequests:
    return OffMachineRequests([], [])


@contextmanager
def _chromium_page(tmp_path: Path, off_machine: OffMachineRequests, **context_options) -> Iterator:
    from tests.live_server import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        skip_or_fail("STANDUP_REQUIRE_BROWSER", f"{CHROMIUM} missing: scripts/test installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    def guard(route) -> None:
        url = route.request.url
        if not _off_this_machine(url):
            route.continue_()
            return
        (off_machine.tiles if _is_tile(url) else off_machine.others).append(url)
        route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, **context_options)
        context.route("**/*", guard)
        page = context.new_page()
        yield page
        shots = ROOT / "test-artifacts"
        shots.mkdir(exist_ok=True)
        page.screenshot(path=str(shots / f"{tmp_path.name}.png"), full_page=True)
        context.close()
        browser.close()
    assert off_machine.others == [], f"the browser asked for something off this machine: {off_machine.others[:5]}"


@pytest.fixture
def browser_page(tmp_path: Path, off_machine: OffMachineRequests):
    """A fresh Chromium page (Debian's browser, driven by Playwright) that reaches this machine only:
    every request beyond it is refused, and any but a map tile fails the test."""
    with _chromium_page(tmp_path, off_machine) as page:
        yield page


@pytest.fixture
def browser_page_without_javascript(tmp_path: Path, off_machine: OffMachineRequests):
    """browser_page with JavaScript switched off, as some people browse (the public pages must work)."""
    with _chromium_page(tmp_path, off_machine, java_script_enabled=False) as page:
        yield page
