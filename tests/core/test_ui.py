"""core.ui: a change the person asks for counts as activity wherever it is asked for."""

from datetime import timedelta

from streamlit.testing.v1 import AppTest


def _page_with_a_button_in_a_fragment():
    import streamlit as st

    from core.ui import call

    @st.fragment
    def part() -> None:
        if st.button("Act"):
            call(lambda session, actor: None)

    part()


def test_asking_for_a_change_counts_as_activity(db, make_actor, frozen_clock):
    at = AppTest.from_function(_page_with_a_button_in_a_fragment, default_timeout=30)
    at.session_state["actor"] = make_actor("hub_manager")
    at.session_state["last_seen"] = signed_in_at = frozen_clock()
    at.run()
    frozen_clock.advance(timedelta(minutes=10))
    at.run()
    assert at.session_state["last_seen"] == signed_in_at  # drawing the page again is not the person acting
    at.button[0].click().run()
    assert at.session_state["last_seen"] == signed_in_at + timedelta(minutes=10)
