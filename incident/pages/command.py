"""Command structure: who holds strategic, tactical and operational command for each agency,
and every handover (outgoing, incoming, time, briefing)."""

import streamlit as st

from core.agencies.service import list_agencies
from core.auth.roles import Permission
from core.clock import london_datetime, now_in_london, show
from core.inert_text import md
from core.ui import call, current_actor, incident_or_stop, read, table
from core.ui.forms import clear_form, flash, form_defaults, show_flash
from incident.command_service import LEVEL_TITLES, assign_commander, command_structure, hand_over, handovers

incident_id = incident_or_stop()
current = read(lambda s, a: command_structure(s, a, incident_id))

st.title("Command structure")
show_flash()
table([{"agency": c.agency, "level": c.level_title, "commander": c.commander.name,
        "contact": c.commander.contact, "since": show(c.commander.started_at)} for c in current],
      empty="No commanders named yet.")

if current_actor().can(Permission.INCIDENT_COMMAND):
    left, right = st.columns(2)
    with left.form("assign"):
        st.subheader("Name a commander")
        agency = st.selectbox("Agency", [a for a in read(list_agencies) if a.active], format_func=lambda a: a.name,
                              index=None, key="assign_agency")
        level = st.selectbox("Level", list(LEVEL_TITLES), format_func=LEVEL_TITLES.__getitem__, key="assign_level")
        name = st.text_input("Rank and name", key="assign_name")
        contact = st.text_input("Contact", key="assign_contact")
        if st.form_submit_button("Name commander") and call(assign_commander, incident_id, agency.id if agency else 0,
                                                            level, name, contact):
            clear_form("assign")
            flash(f"{md(name.strip())} named.")
    if current:
        with right.form("handover"):
            st.subheader("Record a handover")
            day, at = now_in_london()
            form_defaults("handover", day=day, time=at)
            outgoing = st.selectbox("Outgoing commander", current,
                                    format_func=lambda c: f"{c.commander.name} ({c.agency}, {c.level_title})")
            incoming = st.text_input("Incoming commander (rank and name)", key="handover_incoming")
            incoming_contact = st.text_input("Incoming commander's contact", key="handover_contact")
            d1, d2 = st.columns(2)
            handed_day = d1.date_input("Date of handover", format="DD/MM/YYYY", key="handover_day")
            handed_time = d2.time_input("Time of handover (UK)", step=60, key="handover_time")
            briefing = st.text_area("Briefing given", key="handover_briefing")
            if st.form_submit_button("Record handover") and call(
                    hand_over, outgoing.commander.id, incoming, london_datetime(handed_day, handed_time), briefing,
                    incoming_contact):
                clear_form("handover")
                flash(f"Handover to {md(incoming.strip())} recorded.")

st.subheader("Handovers")
table([{"when": show(h.handover.handed_over_at), "agency": h.agency, "level": h.level,
        "outgoing": h.outgoing, "incoming": h.incoming, "briefing": h.handover.briefing,
        "recorded by": h.handover.recorded_by_name} for h in read(lambda s, a: handovers(s, a, incident_id))],
      empty="No handovers yet.")
