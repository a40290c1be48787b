"""Staff requests for an agency coordinator: what the Victim and Witness Hub asked the agency for,
and the answer, given here or by SMS (the same record either way)."""

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import call, read
from core.ui.forms import flash, show_flash
from notifications.mobilisation_service import MAX_OFFER, answer_request, requests_for_my_agency

st.title("Staff requests")
show_flash()
requests = read(requests_for_my_agency)
waiting = [r for r in requests if r.request.answered_at is None]
if not requests:
    st.info("No requests for staff have been sent to your agency.")
elif not waiting:
    st.success("Every request to your agency has an answer.", icon=":material/check_circle:")

for item in requests:
    r = item.request
    with st.container(border=True):
        mark = "EXERCISE · " if item.is_exercise else ""
        st.markdown(f"**{mark}{md(item.incident_name)}** · request {r.code or r.id} · sent {show(r.requested_at)}")
        st.caption(md(r.body))
        if r.answered_at is not None:
            st.write(f"Answered {show(r.answered_at)}: **{r.offered} staff**.")
        with st.form(f"answer_{r.id}"):
            offered = st.number_input("How many staff can you send?" if r.answered_at is None
                                      else "Change the number", 0, MAX_OFFER, r.offered or 0, step=1)
            if st.form_submit_button("Send answer" if r.answered_at is None else "Change answer", type="primary"):
                if call(answer_request, r.id, int(offered)) is not None:
                    flash(f"Answer recorded: {int(offered)} staff for request {r.code or r.id}. "
                          "The hub manager will confirm where and when.")
