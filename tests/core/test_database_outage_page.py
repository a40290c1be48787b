"""With the database down a page says so in words a person can act on (and that nothing they
typed was saved), instead of Streamlit's redacted error."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.auth.roles import Actor, Role
from core.clock import now
from core.settings import reset_settings
from core.ui import DATABASE_DOWN_CHANGE, DATABASE_DOWN_READ
from tests.infrastructure import ROOT
from tests.live_server import free_port

GOLD = Actor(7, "a.gold", Role.GOLD, display_name="A Gold")


def _database_down(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://u:p@127.0.0.1:{free_port()}/standup")
    reset_settings()


def test_a_page_read_with_the_database_down_says_so(monkeypatch):
    _database_down(monkeypatch)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state["actor"], at.session_state["last_seen"] = GOLD, now()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [DATABASE_DOWN_READ]


def _change_script() -> None:
    import streamlit as st

    from core.agencies.service import add_agency
    from core.ui import call

    if st.button("Save"):
        call(add_agency, "Samaritans", "charity")


def test_a_change_with_the_database_down_says_nothing_was_saved(monkeypatch):
    _database_down(monkeypatch)
    at = AppTest.from_function(_change_script, default_timeout=60)
    at.session_state["actor"] = GOLD
    at.run()
    at.button[0].click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [DATABASE_DOWN_CHANGE]
