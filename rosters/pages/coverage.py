"""Coverage board: every shift still to come, filled of needed, gaps in red, the next 24 hours
first; and the printable roster (CSV, PDF) for when the systems are down."""

import pandas as pd
import streamlit as st

from core.auth.roles import Permission
from core.clock import now, show
from core.ui import auto_refreshing, call, current_actor, incident_or_stop, read
from rosters.coverage_queries import coverage_board, names_on_shifts, roster_csv, roster_pdf

incident_id = incident_or_stop()
st.title("Coverage board")
CALL_OUT_FOR = "callout_for_requirement"  # read by the Call-outs page: the gap to call out for


@auto_refreshing(30)
def board() -> None:
    rows = read(lambda s, a: coverage_board(s, a, incident_id))
    gaps = [r for r in rows if r.is_gap]
    soon_gaps = [r for r in gaps if r.soon]
    c1, c2, c3 = st.columns(3)
    c1.metric("Shifts to come", len(rows))
    c2.metric("With gaps", len(gaps))
    c3.metric("Gaps in the next 24 h", len(soon_gaps))
    st.caption(f"As of {show(now())} (Europe/London), redrawn every 30 seconds. Shifts under way or starting in "
               "the next 24 hours come first.")
    if not rows:
        st.info("No shifts planned from now on. Plan them on the Shift requirements page.")
        return
    names = read(lambda s, a: names_on_shifts(s, a, [r.requirement_id for r in rows]))
    grid = pd.DataFrame([
        {"when": "next 24 h" if r.soon else "later", "hub": r.hub_name, "starts": show(r.starts_at),
         "ends": show(r.ends_at, "%H:%M"), "role": r.role, "filled": f"{r.filled}/{r.needed}",
         "still needed": r.still_needed or "—", "on shift": ", ".join(names.get(r.requirement_id, ())) or "—",
         "gap": r.is_gap}
        for r in rows
    ])
    gap_style = "background-color: #f8d7da; color: #842029; font-weight: bold"
    styled = grid.style.apply(lambda row: [gap_style if row["gap"] else "" for _ in row], axis=1)
    st.dataframe(styled, hide_index=True, width="stretch", column_config={"gap": None})
    if gaps and current_actor().can(Permission.CALLOUT_RUN):
        left, right = st.columns([4, 1], vertical_alignment="bottom")
        chosen = left.selectbox("Call out for a gap", gaps, key="coverage_callout_gap",
                                format_func=lambda g: f"{g.hub_name} · {show(g.starts_at)} · {g.role} · "
                                                      f"{g.still_needed}")
        if right.button("Call out", icon=":material/campaign:"):
            st.session_state[CALL_OUT_FOR] = chosen.requirement_id
            st.switch_page("notifications/pages/callouts.py")


board()

st.subheader("Printable roster")
st.caption("Everyone on a shift from now on, with open places marked, to print or keep offline.")
d1, d2 = st.columns(2)
if d1.button("Prepare CSV"):
    st.session_state["roster_csv"] = call(roster_csv, incident_id)
if d2.button("Prepare PDF"):
    st.session_state["roster_pdf"] = call(roster_pdf, incident_id)
if st.session_state.get("roster_csv"):
    d1.download_button("Download roster.csv", st.session_state["roster_csv"].encode("utf-8-sig"),
                       f"roster-incident-{incident_id}.csv", "text/csv")
if st.session_state.get("roster_pdf"):
    d2.download_button("Download roster.pdf", st.session_state["roster_pdf"], f"roster-incident-{incident_id}.pdf",
                       "application/pdf")
