"""Manual assignment: pick a shift, see who could take a place and, for everyone else, the
rule that stops them; assign, or take someone off with a reason. The service re-checks
every rule, whatever this page shows."""

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.phone import mask_mobile
from core.ui import call, incident_or_stop, read, table
from rosters.assignment_service import assign, candidates_for, people_on, withdraw
from rosters.constraints import reasons_text
from rosters.coverage_queries import coverage_board

incident_id = incident_or_stop()
st.title("Assign staff to shifts")
board = read(lambda s, a: coverage_board(s, a, incident_id))
if not board:
    st.info("No shifts planned from now on.")
    st.stop()
only_gaps = st.toggle("Only shifts with gaps", value=True)
shown = [r for r in board if r.is_gap] if only_gaps else board
if not shown:
    st.success("Every shift from now on is covered.")
    st.stop()
shift = st.selectbox(
    "Shift", shown,
    format_func=lambda r: f"{show(r.starts_at)}–{show(r.ends_at, '%H:%M')} · {r.hub_name} · {r.role} · "
                          f"{r.filled}/{r.needed}" + (f" · needs {', '.join(r.unmet_needs)}" if r.unmet_needs else ""),
)

on = read(lambda s, a: people_on(s, a, shift.requirement_id))
st.subheader(f"On this shift ({shift.filled} of {shift.needed})")
for person in on:
    c1, c2, c3 = st.columns([3, 3, 1])
    c1.write(md(f"{person.name} · {mask_mobile(person.mobile)} · {person.source}"))
    why = c2.text_input("Reason to take off", key=f"why_{person.assignment_id}", label_visibility="collapsed",
                        placeholder="reason to take off")
    if c3.button("Take off", key=f"off_{person.assignment_id}") and call(
        lambda s, a, i=person.assignment_id, w=why: withdraw(s, a, i, w) or True
    ):
        st.rerun()

candidates = read(lambda s, a: candidates_for(s, a, shift.requirement_id))
able = [c for c in candidates if c.eligible]
st.subheader(f"Who could take a place ({len(able)} of {len(candidates)})")
if able:
    chosen = st.selectbox("Person", able, format_func=lambda c: f"{c.name} ({c.role})")
    if st.button("Assign", type="primary"):
        done = call(assign, shift.requirement_id, chosen.staff_id)
        if done is not None:
            st.success(f"{md(chosen.name)} is on the shift.")
            st.rerun()
same_role = st.toggle(f"Only people whose role is {shift.role}", value=True)
listed = [c for c in candidates if not same_role or all(v.rule != "role" for v in c.violations)]
table(
    [{"name": c.name, "role": c.role, "can take a place": "yes" if c.eligible else "no",
      "why not": reasons_text(c.violations), "rules": ", ".join(v.rule for v in c.violations),
      "SMS": "opted out" if c.sms_opted_out else ""} for c in listed],
      empty="Nobody of this role is on the rosters.")
