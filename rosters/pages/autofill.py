"""Auto-fill: the solver proposes people for the open places (coverage first, then spreading
hours, then shorter travel); the hub manager reviews, unticks or swaps any, and accepts. Each
accepted placement is checked again as it is written; any that no longer fits is listed with why."""

from dataclasses import replace
from datetime import timedelta
from itertools import groupby

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import call, incident_or_stop, read, table
from rosters.autofill import NOT_NEEDED
from rosters.autofill_service import accept_fill, propose_fill, swap_options
from rosters.requirement_service import hubs_for

PROPOSAL_KEY = "autofill_proposal"
OUTCOME_KEY = "autofill_outcome"
NAMES_SHOWN = 40  # a group longer than this is a roster problem, not a list to read
HORIZONS = {"next 24 hours": timedelta(hours=24), "next 3 days": timedelta(days=3),
            "next 7 days": timedelta(days=7), "everything planned": None}

incident_id = incident_or_stop()
st.title("Auto-fill")
if outcome := st.session_state.pop(OUTCOME_KEY, None):
    assigned, refused = outcome
    st.success(assigned, icon=":material/check_circle:")
    for line in refused:
        st.error(md(line))
hubs = read(lambda s, a: hubs_for(s, a, incident_id))
c1, c2, c3 = st.columns(3)
horizon = c1.selectbox("Fill shifts starting in the", list(HORIZONS))
hub = c2.selectbox("Hub", [None, *hubs], format_func=lambda h: "every hub" if h is None else h.name)
limit = c3.slider("Time limit (seconds)", 2, 60, 10)

if st.button("Propose", type="primary"):
    proposal = call(propose_fill, incident_id, within=HORIZONS[horizon], hub_id=hub.id if hub else None,
                    time_limit_s=float(limit))
    st.session_state[PROPOSAL_KEY] = proposal

proposal = st.session_state.get(PROPOSAL_KEY)
if proposal is not None and proposal.incident_id == incident_id:
    st.subheader(f"Proposal: {proposal.summary}")
    if proposal.not_used:
        st.markdown(f"**Not used: {len(proposal.not_used)} people of the roles needed**")
        for what, group in groupby(proposal.not_used, key=lambda n: n.what):
            names = [n.staff_name for n in group]
            shown = ", ".join(names[:NAMES_SHOWN]) + (f" and {len(names) - NAMES_SHOWN} more"
                                                       if len(names) > NAMES_SHOWN else "")
            say = st.caption if what == NOT_NEEDED else st.warning
            say(f"{what[0].upper()}{what[1:]} ({len(names)}): {md(shown)}")
        with st.expander("Each person and the rule, in full"):
            table([{"person": n.staff_name, "agency": n.agency_name, "role": n.role, "why not used": n.why}
                   for n in proposal.not_used], empty="Everyone of the roles needed was used.")
    if not proposal.placements:
        st.info("Nobody could be placed: each person's reason is listed above.")
    else:
        edited = st.data_editor(
            [{"keep": True, "starts": show(p.starts_at), "ends": show(p.ends_at, "%H:%M"), "hub": p.hub_name,
              "role": p.role, "person": p.staff_name, "agency": p.agency_name, "travel km": p.travel_km}
             for p in proposal.placements],
            hide_index=True, width="stretch", key=f"proposal_{id(proposal)}",
            disabled=["starts", "ends", "hub", "role", "person", "agency", "travel km"],
        )
        kept = [(p.requirement_id, p.staff_id) for p, row in zip(proposal.placements, edited, strict=True)
                if row["keep"]]
        if st.toggle("Swap a proposed person for someone else"):
            index = st.selectbox("Placement", range(len(proposal.placements)), key="swap_placement",
                                 format_func=lambda i: (f"{show(proposal.placements[i].starts_at)} · "
                                                        f"{proposal.placements[i].hub_name} · "
                                                        f"{proposal.placements[i].role} · "
                                                        f"{proposal.placements[i].staff_name}"))
            options = read(lambda s, a: swap_options(s, a, proposal.placements, index))
            if not options:
                st.caption("Nobody else could take this place under the rules (see the Assign page for why).")
            else:
                instead = st.selectbox("Instead", options, key="swap_instead",
                                       format_func=lambda o: f"{o.staff_name} ({o.agency_name}, {o.travel_km:g} km)")
                if st.button("Swap"):
                    swapped = list(proposal.placements)
                    swapped[index] = instead
                    st.session_state[PROPOSAL_KEY] = replace(proposal, placements=tuple(swapped))
                    st.rerun()
        a1, a2 = st.columns(2)
        if a1.button(f"Accept {len(kept)} placements", type="primary", disabled=not kept):
            outcome = call(accept_fill, kept)
            if outcome is not None:
                names = {(p.requirement_id, p.staff_id): f"{p.staff_name} ({show(p.starts_at)})"
                         for p in proposal.placements}
                # Redrawn without the proposal, so its buttons cannot be pressed a second time.
                st.session_state[PROPOSAL_KEY] = None
                st.session_state[OUTCOME_KEY] = (
                    f"{len(outcome.assigned)} people assigned.",
                    [f"Not assigned: {names[(r, s)]}: {why}" for r, s, why in outcome.refused])
                st.rerun()
        if a2.button("Discard proposal"):
            st.session_state[PROPOSAL_KEY] = None
            st.rerun()
