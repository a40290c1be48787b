import streamlit as st

from core.clock import show
from core.settings import get_settings
from core.ui import call, incident_or_stop, read, table
from core.ui.forms import clear_form, flash, show_flash
from pathways.justice_queries import audience_choices, justice_timeline
from pathways.justice_rules import CODE_RIGHT, SET_AHEAD
from pathways.justice_service import NewMilestone, record_milestone
from pathways.vocabulary import MilestoneAudience, MilestoneKind, PersonRole, label

AUDIENCE = {MilestoneAudience.ALL: "Everyone affected", MilestoneAudience.ROLES: "People with chosen roles",
            MilestoneAudience.PEOPLE: "Chosen people"}

st.title("Justice process")
show_flash()
incident_id = incident_or_stop()
settings = get_settings()
st.caption(f"Each milestone victims must hear of (Victims' Code rights 6, 8, 9 and 11) asks their support team to "
           f"tell every person it concerns within {settings.inform_working_days} working days "
           f"({settings.inform_enhanced_working_days} for those with enhanced rights), counted from the decision, or "
           "from today for a date set ahead. The team records how each was told.")

audience = st.radio("Who must be told", list(AUDIENCE), format_func=AUDIENCE.__getitem__, horizontal=True,
                    key="justice_audience")
names: dict[int, str] = {}
if audience == MilestoneAudience.PEOPLE:
    choices, total = read(lambda s, a: audience_choices(s, a, incident_id))
    names = {c.person_id: f"{c.name} ({c.roles}; record {c.person_id})" for c in choices}
    if total > len(choices):
        st.caption(f"The first {len(choices):,} of {total:,} people by name; for the others, choose by role.")
with st.form("justice_milestone"):  # a refusal keeps what was typed
    kind = st.selectbox("Milestone", list(MilestoneKind), key="milestone_kind",
                        format_func=lambda k: f"{label(k)} (right {CODE_RIGHT[k]})")
    occurred_on = st.date_input(
        f"Date: of the decision, or the date set ({', '.join(label(k).lower() for k in sorted(SET_AHEAD))})",
        value=None, format="DD/MM/YYYY", key="milestone_date")
    details = st.text_area("Details: court and time, the charge (kept encrypted)", key="milestone_details")
    roles = (st.multiselect("Roles", list(PersonRole), format_func=label, key="milestone_roles")
             if audience == MilestoneAudience.ROLES else [])
    people = (st.multiselect("People", list(names), format_func=names.__getitem__, key="milestone_people")
              if audience == MilestoneAudience.PEOPLE else [])
    if st.form_submit_button("Enter milestone", type="primary"):
        saved = call(record_milestone, incident_id, NewMilestone(kind, occurred_on, details, audience, tuple(roles),
                                                                 tuple(people)))
        if saved is not None:
            clear_form("milestone")
            flash(f"{label(saved.kind)} entered: the people it concerns are on their support team's list to tell.")

st.subheader("Timeline")
table([{"date": f"{m.occurred_on:%a %d %b %Y}", "milestone": label(m.kind), "right": m.code_right,
        "details": m.details, "concerns": m.audience, "people": m.people, "told": m.told, "told late": m.told_late,
        "overdue": m.overdue, "entered": f"{show(m.recorded_at)} by {m.recorded_by}"}
       for m in read(lambda s, a: justice_timeline(s, a, incident_id))],
      empty="No milestone entered yet.")
