import streamlit as st

from core.auth.roles import ROLE_TITLES
from core.ui import current_actor, current_incident_id

actor = current_actor()
st.title(f"Good to see you, {actor.display_name}")
st.write(f"You are signed in as **{ROLE_TITLES[actor.role]}**. The menu shows the pages your role uses.")
if current_incident_id() is None:
    st.info("No incident has been opened yet.")
