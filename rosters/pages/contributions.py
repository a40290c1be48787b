"""What each partner agency agreed to give this incident against what it gave (shifts worked,
hours, person-days): for the hub manager and the after-action review. Coordinators see their own."""

import streamlit as st

from core.auth.roles import Permission
from core.inert_text import md
from core.ui import call, current_actor, incident_or_stop, read
from rosters.contribution import Agreement
from rosters.contribution_service import agency_contributions, record_contribution
from rosters.pages.contributions_table import draw_contributions
from rosters.staff_service import visible_agencies

incident_id = incident_or_stop()
st.title("Agency contributions")
st.caption("Asked: the people a day each agency agreed, over the agreed days up to today. Given: its people on "
           "this incident's shifts that have ended (withdrawn places not counted); a person-day is one person "
           "on one day.")
lines = read(lambda s, a: agency_contributions(s, a, incident_id))
draw_contributions(lines)

if current_actor().can(Permission.SHIFTS_PLAN):
    with st.form("contribution"):
        st.subheader("Record what an agency agreed to give")
        agency = st.selectbox("Agency", read(visible_agencies), format_func=lambda a: a.name, index=None)
        c1, c2, c3 = st.columns(3)
        people = c1.number_input("People a day", min_value=1, max_value=500, value=4)
        starts = c2.date_input("From", value=None, format="DD/MM/YYYY")
        ends = c3.date_input("Until (blank: until stand-down)", value=None, format="DD/MM/YYYY")
        roles = st.text_input("Roles", placeholder="e.g. support workers, two team leaders")
        st.caption("A new agreement for the same agency replaces the one before; the audit trail keeps both.")
        if st.form_submit_button("Record", type="primary"):
            if agency is None:
                st.error("Choose the agency.")
            elif call(record_contribution, incident_id, agency.id, Agreement(int(people), starts, ends, roles)):
                st.success(f"Recorded what {md(agency.name)} agreed to give.")
