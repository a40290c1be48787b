"""Availability: when a person can (or cannot) be put on shifts. A person with no windows at
all counts as available; once one is recorded, shifts must lie inside them."""

from datetime import time, timedelta

import streamlit as st

from core.clock import london, london_datetime, now, show
from core.inert_text import md
from core.ui import call, read
from rosters.staff_service import (
    availability_of,
    list_staff,
    record_availability,
    remove_availability,
    visible_agencies,
)

st.title("Availability")
agencies = read(visible_agencies)
if not agencies:
    st.info("No partner agencies yet.")
    st.stop()
agency = st.selectbox("Agency", agencies, format_func=lambda a: a.name)
search = st.text_input("Find a person")
staff = read(lambda s, a: list_staff(s, a, agency_id=agency.id, search=search, limit=500))
if not staff:
    st.info("Nobody found.")
    st.stop()
person = st.selectbox("Person", staff, format_func=lambda p: f"{p.name} ({p.staff_ref}, {p.role})")

windows = read(lambda s, a: availability_of(s, a, person.id))
if windows:
    for w in windows:
        c1, c2 = st.columns([5, 1])
        c1.write(f"{'✅ available' if w.available else '⛔ not available'} {show(w.starts_at)} → {show(w.ends_at)}"
                 f"{' — ' + md(w.note) if w.note else ''}")
        if c2.button("Remove", key=f"remove_window_{w.id}") and call(remove_availability, w.id) is not None:
            st.rerun()
else:
    st.caption("No windows recorded: available at any time.")

today = london(now()).date()
with st.form(f"availability_{person.id}", clear_on_submit=True):
    st.subheader("Record a window")
    kind = st.radio("This person is", ["available", "not available"], horizontal=True)
    c1, c2 = st.columns(2)
    start_day = c1.date_input("From (date)", value=today, format="DD/MM/YYYY")
    start_time = c2.time_input("From (time, UK)", value=time(7, 0), step=timedelta(minutes=15))
    end_day = c1.date_input("Until (date)", value=today + timedelta(days=1), format="DD/MM/YYYY")
    end_time = c2.time_input("Until (time, UK)", value=time(7, 0), step=timedelta(minutes=15))
    note = st.text_input("Note (optional, no health details)")
    if st.form_submit_button("Record", type="primary"):
        saved = call(record_availability, person.id, london_datetime(start_day, start_time),
                     london_datetime(end_day, end_time), available=kind == "available", note=note)
        if saved is not None:
            st.rerun()
