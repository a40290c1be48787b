"""The incident's outreach to the public: the name and number people see, the rounds of checks,
how long a link lasts, when the one reminder goes, and the adult trauma screen."""

import streamlit as st

from core.ui import call, incident_or_stop, read
from core.ui.forms import flash, show_flash
from outreach.settings_service import (
    TRAUMA_INSTRUMENTS,
    SettingsChanges,
    outreach_settings,
    save_outreach_settings,
)

st.title("Outreach settings")
show_flash()
incident_id = incident_or_stop()
current = read(lambda s, a: outreach_settings(s, a, incident_id))
with st.form("outreach_settings"):
    name = st.text_input("Public service name", current.service_name,
                         help="Heads every public page and every message: never the incident's internal name.")
    name_cy = st.text_input("Public service name in Welsh (optional)", current.service_name_cy)
    number = st.text_input("Contact number", current.contact_number_shown, help="Shown on every page and message.")
    months = st.text_input("Rounds: months after the incident", ", ".join(map(str, current.round_months)))
    link_days = st.number_input("A personal link lasts (days)", 1, 90, current.link_days)
    reminder_days = st.number_input("Remind once, if unanswered, after (days)", 1, 89, current.reminder_days)
    trauma = st.selectbox("Trauma screen for adults", TRAUMA_INSTRUMENTS,
                          index=TRAUMA_INSTRUMENTS.index(current.trauma_instrument))
    if st.form_submit_button("Save", type="primary") and call(save_outreach_settings, incident_id, SettingsChanges(
            name, number, name_cy, months, int(link_days), int(reminder_days), trauma)):
        flash("Outreach settings saved.")
