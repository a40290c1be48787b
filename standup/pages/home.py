"""Home: what needs the signed-in person now, in their role, each line linking where it is dealt with."""

import streamlit as st

from core.auth.roles import ROLE_TITLES, Permission
from core.inert_text import md
from core.ui import auto_refreshing, current_actor, current_incident_id, read
from standup.home_queries import home_for

actor = current_actor()
st.title(f"{md(actor.display_name)}, {ROLE_TITLES[actor.role]}")
incident_id = current_incident_id()
if incident_id is None and actor.can(Permission.INCIDENT_VIEW):
    st.info("No incident is open yet. Gold declares one on **Declare and status**.")


@auto_refreshing(30)
def waiting() -> None:
    home = read(lambda s, a: home_for(s, a, incident_id))
    st.subheader(home.heading)
    if not home.waiting:
        st.success(home.all_clear, icon=":material/check_circle:")
    for line in home.waiting:
        with st.container(border=True):
            left, right = st.columns([5, 1], vertical_alignment="center")
            (left.error if line.urgent else left.info)(md(line.text), icon=":material/priority_high:" if line.urgent
                                                        else ":material/info:")
            right.page_link(line.page, label="Open")


waiting()
