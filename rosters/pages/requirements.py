"""Shift requirements per hub: a repeating pattern (e.g. three 8-hour shifts a day for 14 days)
planned in one action, with the skills and languages each shift needs."""

from datetime import time, timedelta

import streamlit as st

from core.clock import london, now, show
from core.inert_text import md
from core.ui import call, incident_or_stop, read, table
from rosters.model import NeedKind
from rosters.patterns import evenly_spaced_starts
from rosters.requirement_service import hubs_for, list_requirements, plan_shifts, remove_requirement
from rosters.role_training_service import release_role_training, require_role_training, role_training
from rosters.skills import SKILLS
from rosters.training import COURSES

incident_id = incident_or_stop()
st.title("Shift requirements")
hubs = read(lambda s, a: hubs_for(s, a, incident_id))
if not hubs:
    st.info("This incident has no hubs yet; add one on the Hubs and sites page.")
    st.stop()
hub = st.selectbox("Hub", hubs, format_func=lambda h: f"{h.name} ({h.postcode})" if h.postcode else h.name)

with st.form("plan_shifts"):
    st.subheader("Plan a repeating pattern")
    c1, c2, c3 = st.columns(3)
    role = c1.text_input("Role", value="support worker")
    headcount = c2.number_input("People per shift", min_value=1, max_value=200, value=4)
    enhanced = c3.checkbox("Enhanced DBS needed", value=True,
                           help="Working with children or adults at risk needs an enhanced check.")
    first_day = c1.date_input("First day", value=london(now()).date() + timedelta(days=1), format="DD/MM/YYYY")
    days = c2.number_input("For how many days", min_value=1, max_value=90, value=14)
    first_start = c3.time_input("First shift starts (UK time)", value=time(7, 0), step=timedelta(minutes=15))
    per_day = c1.number_input("Shifts a day", min_value=1, max_value=6, value=3)
    hours = c2.number_input("Hours per shift", min_value=1.0, max_value=24.0, value=8.0, step=0.5)
    briefing = c3.number_input("Briefing before (minutes)", min_value=0, max_value=240, value=15)
    debrief = c3.number_input("Debrief after (minutes)", min_value=0, max_value=240, value=15)
    training = c1.selectbox("Everyone needs current training in", [None, *COURSES],
                            format_func=lambda c: "no course required" if c is None else c,
                            help="Checked like DBS: current to the shift's last day.")
    st.caption("Of those people, at least this many must have each skill or language:")
    needs_table = st.data_editor(
        [{"kind": NeedKind.SKILL.value, "name": "trauma-informed", "count": 0}],
        num_rows="dynamic", hide_index=True, key="needs_editor",
        column_config={
            "kind": st.column_config.SelectboxColumn(options=[k.value for k in NeedKind], required=True),
            "name": st.column_config.TextColumn(help="A skill (" + ", ".join(SKILLS) + ") or a language"),
            "count": st.column_config.NumberColumn(min_value=0, max_value=200, step=1),
        },
    )
    if st.form_submit_button("Plan these shifts", type="primary"):
        needs = {(row["kind"], row["name"]): int(row["count"]) for row in needs_table
                 if row.get("name") and row.get("count")}
        planned = call(plan_shifts, incident_id, hub.id, role=role, headcount=int(headcount), first_day=first_day,
                       days=int(days), start_times=evenly_spaced_starts(first_start, int(per_day)), hours=hours,
                       needs=needs, needs_enhanced_dbs=enhanced, needs_training=training,
                       briefing_minutes=int(briefing),
                       debrief_minutes=int(debrief))
        if planned:
            st.success(f"Planned {len(planned)} shifts at {md(hub.name)}.")

planned = read(lambda s, a: list_requirements(s, a, incident_id, hub_id=hub.id))
upcoming = [r for r in planned if r.ends_at > now()]
st.subheader(f"Shifts at {md(hub.name)} from now on ({len(upcoming)})")
table(
    [{"id": r.id, "starts": show(r.starts_at), "ends": show(r.ends_at, "%H:%M"), "role": r.role,
      "people": r.headcount, "needs": ", ".join(f"{n.count} × {n.name}" for n in r.needs),
      "enhanced DBS": r.needs_enhanced_dbs, "training": r.needs_training or "", "briefing": show(r.briefing_at, "%H:%M"),
      "debrief": show(r.debrief_at, "%H:%M")} for r in upcoming], empty="No shifts planned yet.")
if upcoming:
    doomed = st.selectbox("Remove a shift nobody is on", upcoming,
                          format_func=lambda r: f"#{r.id} {show(r.starts_at)} {r.role}")
    if st.button("Remove shift") and call(remove_requirement, doomed.id) is not None:
        st.rerun()

st.subheader("Training each role needs")
st.caption("Everyone working in the role needs the course current to each shift's last day, on every shift of "
           "the role, as a shift's own course is checked.")
needed = read(role_training)
table([{"role": r.role, "course": r.course, "since": show(r.set_at), "by": r.set_by} for r in needed],
      empty="No role needs a course yet.")
with st.form("role_training", clear_on_submit=True):
    c1, c2 = st.columns(2)
    needing_role = c1.text_input("Role", value="support worker", key="role_training_role")
    course = c2.selectbox("Needs current training in", list(COURSES), key="role_training_course")
    if st.form_submit_button("The role needs this course") and call(require_role_training, needing_role,
                                                                    course) is not None:
        st.rerun()
if needed:
    released = st.selectbox("A role no longer needs a course", needed, format_func=lambda r: f"{r.role}: {r.course}")
    if st.button("Remove the requirement") and call(release_role_training, released.role,
                                                     released.course) is not None:
        st.rerun()
