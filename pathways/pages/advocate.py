"""The Independent Public Advocate's page: the victims who consented to share with the advocate,
one's record read-only, the requests made to public authorities, and the export for the report."""

import streamlit as st

from core.inert_text import md
from core.ui import call, incident_or_stop, read, table
from core.ui.forms import clear_form, flash, show_flash
from pathways.advocate_service import (
    NewRequest,
    advocate_requests,
    advocate_victims,
    advocate_view,
    appointment_of,
    export_requests,
    log_request,
    record_answer,
)

st.title("Independent Public Advocate")
show_flash()
incident_id = incident_or_stop()
appointment = read(lambda s, a: appointment_of(s, a, incident_id))
if appointment is not None:
    st.caption(f"Declared a major incident on {appointment.declared_on:%d %b %Y} ({md(appointment.declaration)}); "
               f"advocate {md(appointment.advocate)}, appointed {appointment.appointed_on:%d %b %Y}.")
victims = read(lambda s, a: advocate_victims(s, a, incident_id))
st.subheader(f"Victims who consented to share with you ({len(victims)})")
table([{"record": v.person_id, "name": v.name, "roles": v.roles} for v in victims],
      empty="No victim has consented to share their record with you yet.")
names = {v.person_id: v.name for v in victims}
if names:
    chosen = st.selectbox("Read a victim's record (each opening is audited)", list(names),
                          format_func=names.__getitem__, index=None, key="advocate_person")
    if chosen is not None:
        victim = read(lambda s, a: advocate_view(s, a, incident_id, chosen))
        with st.container(border=True):
            st.markdown(f"**{md(victim.name)}** ({md(victim.roles)}) · mobile {md(victim.mobile) or '—'} · "
                        f"email {md(victim.email) or '—'} · key worker {md(victim.key_worker) or 'none'}")
            table([{"milestone": m, "told on": f"{on:%d/%m/%Y}" if on else "not yet"} for m, on in victim.justice],
                  empty="No justice milestone concerns them yet.")
            if victim.requests:
                st.caption("Requests concerning them: " + md("; ".join(victim.requests)))

st.subheader("Requests to public authorities")
requests = read(lambda s, a: advocate_requests(s, a, incident_id))
table([{"authority": r.authority, "asked": r.what, "asked on": f"{r.asked_on:%d/%m/%Y}",
        "due on": f"{r.due_on:%d/%m/%Y}" if r.due_on else "", "answered on":
        f"{r.answered_on:%d/%m/%Y}" if r.answered_on else "", "answer": r.answer, "victims": r.victims,
        "": "OVERDUE" if r.overdue else ""} for r in requests], empty="No request logged yet.")
with st.form("advocate_request"):  # a refusal keeps what was typed
    authority = st.text_input("Public authority", key="advreq_authority")
    what = st.text_area("What was asked", key="advreq_what")
    asked_on = st.date_input("Asked on", value=None, format="DD/MM/YYYY", key="advreq_asked")
    due_on = st.date_input("Answer due on (if given)", value=None, format="DD/MM/YYYY", key="advreq_due")
    about = st.multiselect("Victims it concerns", list(names), format_func=names.__getitem__, key="advreq_people")
    if st.form_submit_button("Log the request", type="primary") and call(
            log_request, incident_id, NewRequest(authority, what, asked_on, due_on, tuple(about))):
        clear_form("advreq")
        flash("Request logged.")
open_requests = {r.request_id: f"{r.authority}, {r.asked_on:%d/%m/%Y}" for r in requests if r.answered_on is None}
if open_requests:
    with st.form("advocate_answer"):
        request_id = st.selectbox("Request answered", list(open_requests), format_func=open_requests.__getitem__)
        answered_on = st.date_input("Answered on", value=None, format="DD/MM/YYYY")
        answer = st.text_area("The answer")
        if st.form_submit_button("Record the answer") and call(record_answer, incident_id, request_id,
                                                                answered_on=answered_on, answer=answer):
            flash("Answer recorded.")

st.subheader("Export for your report")
recipient = st.text_input("Who the export is for (recorded in the audit trail)", key="advocate_recipient")
if st.button("Prepare the export"):
    text = call(export_requests, incident_id, recipient)
    if text is not None:
        st.download_button("Download the request log (CSV)", text.encode("utf-8-sig"), "advocate-requests.csv",
                           "text/csv")
