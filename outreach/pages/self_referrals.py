"""Self-referrals from the public, waiting for a caseworker: match each against the registry, then
accept (register the person), merge (link to someone registered) or decline (saying why)."""

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import call, incident_or_stop, read
from outreach.check_service import PUBLIC_ROLES
from outreach.self_referral_service import (
    accept_referral,
    decline_referral,
    merge_referral,
    possible_matches,
    referral_queue,
)
from outreach.vocabulary import About
from pathways.vocabulary import label

st.title("Self-referrals")
incident_id = incident_or_stop()
queue = read(lambda s, a: referral_queue(s, a, incident_id))
if not queue:
    st.success("No self-referral is waiting.")
for item in queue:
    with st.container(border=True):
        who = "themselves" if item.about == About.SELF else f"by {md(item.referrer)}, with their agreement"
        born = f", born {item.date_of_birth:%d/%m/%Y}" if item.date_of_birth else ""
        st.write(f"**{md(item.name)}**{born} — referred {who}, {show(item.submitted_at)}"
                 + (" — *a parent's call-back request from a child's check*" if item.from_a_check else ""))
        st.caption(md(" · ".join(x for x in (item.phone, item.email, item.postcode) if x)))
        if item.message:
            st.write(md(item.message))
        if st.toggle("Match against the registry (names and dates of birth; each showing is recorded)",
                     key=f"match_{item.id}"):
            matches = read(lambda s, a, i=item.id: possible_matches(s, a, i))
            if not matches:
                st.caption("Nobody registered looks like this person.")
            for row, how in matches:
                left, right = st.columns([5, 1])
                left.write(f"{md(row.name)} · record {row.id} · {', '.join(how.reasons)} ({how.score:.0f}%)")
                if right.button("Merge", key=f"merge_{item.id}_{row.id}") and call(merge_referral, item.id, row.id):
                    st.rerun()
        accept, decline = st.columns(2)
        with accept.form(f"accept_{item.id}"):
            roles = st.multiselect("How they were affected", [r.value for r in PUBLIC_ROLES], format_func=label,
                                   key=f"roles_{item.id}")
            if st.form_submit_button("Accept: register them") and call(accept_referral, item.id, roles):
                st.rerun()
        with decline.form(f"decline_{item.id}"):
            note = st.text_input("Why (kept with the decision)", key=f"note_{item.id}")
            if st.form_submit_button("Decline") and call(decline_referral, item.id, note):
                st.rerun()
