import datetime as dt

import streamlit as st

from core.audit.service import AuditFilter, distinct_values, search, verify_chain
from core.clock import LONDON, show
from core.ui import read

st.title("Audit trail")
st.caption("Every change, and every view of a person's record: who, when, why, and for whom.")
choices = read(distinct_values)
c1, c2, c3, c4 = st.columns(4)
actor = c1.selectbox("User", ["", *choices["actor"]])
action = c2.selectbox("Action", ["", *choices["action"]])
entity = c3.selectbox("Record type", ["", *choices["entity"]])
entity_id = c4.text_input("Record id")
d1, d2 = st.columns(2)
since = d1.date_input("From", value=None)
until = d2.date_input("To", value=None)


def _start(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time.min, LONDON)


f = AuditFilter(actor=actor, action=action, entity=entity, entity_id=entity_id.strip(), since=_start(since),
                until=_start(until + dt.timedelta(days=1)) if until else None)
rows = read(lambda s, a: search(s, a, f))
st.dataframe(
    [{"when": show(e.at, "%d %b %Y %H:%M:%S"), "user": e.actor, "role": e.role, "action": e.action,
      "record": e.entity, "id": e.entity_id, "reason": e.reason, "recipient": e.recipient, "detail": e.detail}
     for e in rows],
    hide_index=True,
)
st.caption(f"{len(rows)} events shown (newest first, at most {f.limit}).")
if st.button("Verify the chain"):
    found = read(verify_chain)
    if found.intact:
        st.success("The audit chain is intact: no event was changed or removed.")
    else:
        st.error("The audit trail has been tampered with outside Stand Up.  \n"
                 + "  \n".join(found.findings("event", "events")))
