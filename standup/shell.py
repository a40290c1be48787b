"""The UI shell: sign-in, idle timeout, the incident picker, the exercise banner, the menu."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import streamlit as st

from core.auth.login_page import change_password_page, login_page
from core.auth.roles import ROLE_TITLES, Permission
from core.auth.service import must_change_password
from core.inert_text import md
from core.maps import use_vendored_assets
from core.settings import SettingsError, get_settings
from core.ui import (
    ACTOR_KEY,
    INCIDENT_KEY,
    PICKER_KEY,
    current_actor,
    fill_slot,
    mark_active,
    read,
    sign_out,
    sign_out_if_idle,
)
from incident.lifecycle_service import incidents_for_picker
from incident.plugin import GOLD_ADVOCATE_SLOT, GOLD_REPORT_SLOT, GOVERNANCE_INCIDENT_SLOT
from outreach.pages.cohort_update import cohort_update
from pathways.pages.advocate_appointment import advocate_appointment
from pathways.plugin import UPDATES_COHORT_SLOT
from standup.bootstrap import start
from standup.navigation import pages_for
from standup.pages.after_action_downloads import gold_reports, governance_incident

ROOT = Path(__file__).resolve().parent.parent
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.png"
start("the dashboard")  # under a plain `streamlit run streamlit_app.py` too (replies typed on the console page)
fill_slot(GOLD_REPORT_SLOT, gold_reports)  # the situation and after-action reports on Gold's page, which cannot import them
fill_slot(GOVERNANCE_INCIDENT_SLOT, governance_incident)  # rosters' and outreach's figures, the after-action report on governance
fill_slot(GOLD_ADVOCATE_SLOT, advocate_appointment)  # pathways keeps the advocate's appointment
fill_slot(UPDATES_COHORT_SLOT, cohort_update)  # outreach's cohorts on pathways' Updates page


def _incident_picker() -> None:
    incidents = read(incidents_for_picker)
    if not incidents:
        st.sidebar.caption("No incident yet.")
        st.session_state[INCIDENT_KEY] = None
        return
    labels = {i.id: f"{'EXERCISE · ' if i.is_exercise else ''}{i.name} ({i.status.replace('_', ' ')})" for i in incidents}
    ids = list(labels)
    if st.session_state.get(INCIDENT_KEY) not in ids:
        st.session_state[INCIDENT_KEY] = ids[0]
    # The widget always shows the chosen incident, whoever chose it (this picker, or a page that
    # has just declared one): set its state before it is drawn, and follow it when it changes.
    st.session_state[PICKER_KEY] = st.session_state[INCIDENT_KEY]
    st.sidebar.selectbox(
        "Incident", ids, format_func=labels.__getitem__, key=PICKER_KEY,
        on_change=lambda: st.session_state.__setitem__(INCIDENT_KEY, st.session_state[PICKER_KEY]),
    )
    if next(i for i in incidents if i.id == st.session_state[INCIDENT_KEY]).is_exercise:
        st.warning("**EXERCISE** — this incident is an exercise. Nothing here is live.", icon=":material/science:")


def main() -> None:
    # A local icon: a Material icon name makes the browser fetch its picture from Google's font host.
    st.set_page_config(page_title="Stand Up", page_icon=str(FAVICON), layout="wide")
    use_vendored_assets()
    try:
        get_settings()
    except SettingsError as problem:
        st.error(f"Configuration error: {problem}")
        st.stop()

    sign_out_if_idle()
    if st.session_state.get(ACTOR_KEY) is None:
        st.navigation([st.Page(login_page, title="Sign in", icon=":material/login:")], position="hidden").run()
        return

    mark_active()  # a full run is the person's doing: a click, a page, a reload
    actor = current_actor()
    if read(must_change_password):
        st.navigation([st.Page(change_password_page, title="Choose a new password", icon=":material/key:")],
                      position="hidden").run()
        return
    with st.sidebar:
        st.markdown(f"**{md(actor.display_name)}**  \n{ROLE_TITLES[actor.role]}")
        if st.button("Sign out", icon=":material/logout:"):
            sign_out("You have signed out.")
            st.rerun()
    if actor.can(Permission.INCIDENT_VIEW):  # the commissioner's office reads across incidents, on its own page
        _incident_picker()

    sections: dict[str, list] = defaultdict(list)
    for spec in pages_for(actor.role):
        sections[spec.section].append(
            st.Page(str(ROOT / spec.path), title=spec.title, icon=spec.icon, url_path=spec.url_path)
        )
    # Every page listed: a hub manager's Call-outs folded behind "View more" was a page nobody found.
    st.navigation(dict(sections), expanded=True).run()
