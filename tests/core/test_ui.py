"""core.ui: a change the person asks for counts as activity wherever it is asked for."""

import re
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


HOSTILE = "[click me](javascript:alert(1)) **loud** <b>x</b> $x^2$"


def _page_whose_service_refuses_with_a_users_text(kind: str):
    import streamlit as st

    from core.errors import InputError
    from core.ui import call, read

    def refuse(session, actor):
        hostile = "[click me](javascript:alert(1)) **loud** <b>x</b> $x^2$"  # AppTest runs this body alone
        raise InputError(f"Nobody called {hostile} is on this shift.")

    if kind == "call":
        call(refuse)
    else:
        read(refuse)
    st.write("after")


def test_a_refusal_repeating_a_users_text_shows_it_as_typed_not_as_markdown(db, make_actor):
    for kind in ("call", "read"):
        at = AppTest.from_function(_page_whose_service_refuses_with_a_users_text, args=(kind,), default_timeout=30)
        at.session_state["actor"] = make_actor("hub_manager")
        at.run()
        shown = at.error[0].value
        # Markdown would turn these into a link, bold text and maths; escaped, they read as typed.
        unescaped = re.sub(r"\\(.)", r"\1", shown)
        assert unescaped == f"Nobody called {HOSTILE} is on this shift."
        assert re.search(r"(?<!\\)[\[\]()*$<>]", shown) is None  # every special character escaped



def test_a_blank_shows_as_a_dash_and_its_column_as_text():
    import pyarrow

    from core.ui import blanks_as_dashes

    shown = blanks_as_dashes([{"wave": 1, "name": "Ada"}, {"wave": None, "name": "Bo"}])
    assert shown == [{"wave": "1", "name": "Ada"}, {"wave": "—", "name": "Bo"}]
    pyarrow.Table.from_pylist(shown)  # one type a column: Streamlit's grid takes it as it is


def _page_with_no_rows():
    from core.ui import table

    table([], empty="Nothing here yet.")


def test_no_rows_are_said_in_words():
    at = AppTest.from_function(_page_with_no_rows, default_timeout=30)
    at.run()
    assert at.caption[0].value == "Nothing here yet."
    assert not at.dataframe
