"""The audit trail for the data protection officer and auditors: filter by user, person, action
and time; export what the filter finds (the export is audited with its recipient); verify the chain."""

import datetime as dt

import streamlit as st

from core.audit.service import AuditFilter, distinct_values, export_events, notes_of, search, verify_chain
from core.clock import LONDON, now, show
from core.pages.chain_alert import draw_chain_alert
from core.ui import call, read, table

st.title("Audit trail")
draw_chain_alert()
st.caption("Every change, and every view of a person's record: who, when, why, and for whom.")
choices = read(distinct_values)
c1, c2, c3 = st.columns(3)
actor = c1.selectbox("User", ["", *choices["actor"]], key="audit_user")
person = c2.text_input("Person (record number)", key="audit_person", help="Every view and change of that person's record")
action = c3.selectbox("Action", ["", *choices["action"]], key="audit_action")
with st.expander("Another kind of record"):
    r1, r2 = st.columns(2)
    entity = r1.selectbox("Record type", ["", *choices["entity"]], key="audit_entity")
    entity_id = r2.text_input("Record id", key="audit_entity_id")
d1, t1, d2, t2 = st.columns(4)
since_day = d1.date_input("From (UK date)", value=None, format="DD/MM/YYYY", key="audit_from_day")
since_time = t1.time_input("from time", value=dt.time(0, 0), step=60, key="audit_from_time")
until_day = d2.date_input("To (UK date)", value=None, format="DD/MM/YYYY", key="audit_to_day")
until_time = t2.time_input("to time", value=dt.time(23, 59), step=60, key="audit_to_time")


def _at(day: dt.date | None, at: dt.time, *, end: bool) -> dt.datetime | None:
    """A UK date and time as a bound; the end of a minute includes the whole minute."""
    if day is None:
        return None
    moment = dt.datetime.combine(day, at, LONDON)
    return moment + dt.timedelta(seconds=59, microseconds=999_999) if end else moment


f = AuditFilter(actor=actor, person_id=person, action=action, entity=entity, entity_id=entity_id,
                since=_at(since_day, since_time, end=False), until=_at(until_day, until_time, end=True))
rows = read(lambda s, a: search(s, a, f))
notes = read(lambda s, a: notes_of(s, [e.id for e in rows]))  # the typed reasons, kept encrypted
table(
    [{"when": show(e.at, "%d %b %Y %H:%M:%S"), "user": e.actor, "role": e.role, "action": e.action,
      "record": e.entity, "id": e.entity_id, "reason": notes.get(e.id) or e.reason, "recipient": e.recipient, "detail": e.detail}
     for e in rows], empty="No events match this filter.",
    # Wide enough to read without dragging each column open.
    column_config={"when": st.column_config.TextColumn(width="medium"), "reason": st.column_config.TextColumn(width="medium"),
                   "recipient": st.column_config.TextColumn(width="medium"),
                   "detail": st.column_config.TextColumn(width="large")})
st.caption(f"{len(rows)} events shown (newest first, at most {f.limit}); the export holds every event the filter finds.")

with st.form("audit_export"):
    recipient = st.text_input("Export for (recorded in the audit trail)", key="audit_recipient",
                              placeholder="e.g. Force data protection officer, ICO case officer")
    if st.form_submit_button("Export these events as CSV", icon=":material/download:"):
        data = call(export_events, f, recipient=recipient)
        if data is not None:
            st.session_state["audit_export_made"] = (data, now())
if made := st.session_state.get("audit_export_made"):
    data, at = made
    st.download_button(f"Download the CSV (made {show(at, '%H:%M')})", data.encode("utf-8-sig"),
                       file_name=f"audit-trail-{show(at, '%Y%m%d-%H%M')}.csv", mime="text/csv", type="primary",
                       on_click="ignore", key="audit_download")

if st.button("Verify the chain"):
    found = read(verify_chain)
    if found.intact:
        st.success("The audit chain is intact: no event was changed or removed.")
        if found.pending:
            st.caption(f"{found.pending} event{'' if found.pending == 1 else 's'} written during the check "
                       "will join the chain within seconds.")
    else:
        st.error("The audit trail has been tampered with outside Stand Up.  \n"
                 + "  \n".join(found.findings("event", "events")))
