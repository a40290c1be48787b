"""The person record's messages: texts from the person, and what they wrote or asked in a feedback
survey (unread ones above the tabs until someone marks them read, and the whole history on their
own tab), and every group update sent to them. Streamlit only."""

from __future__ import annotations

import streamlit as st

from core.clock import show
from core.inert_text import md
from core.ui import call, read, table
from pathways.people_queries import PersonRecord
from pathways.person_replies import KIND_TITLES, mark_reply_read
from pathways.update_service import updates_sent_to
from pathways.vocabulary import label


def unread(rec: PersonRecord) -> None:
    for message in (m for m in rec.messages if m.read_at is None):
        with st.container(border=True):
            st.warning(f"**From this person, {show(message.received_at)} ({KIND_TITLES[message.kind]}):** "
                       f"{md(message.body)}", icon=":material/sms:")
            if st.button("Mark read (I will act on it)", key=f"read_reply_{message.id}") and call(
                    mark_reply_read, message.id):
                st.rerun()


def history(rec: PersonRecord) -> None:
    sent = read(lambda s, a: updates_sent_to(s, a, rec.person.id))
    st.markdown(f"**Updates sent to them ({len(sent)})**")
    table([{"sent": show(u.sent_at), "by": u.by, "to": u.group, "how": label(u.channel), "update": u.body}
           for u in sent],
          empty="No group update sent to them.")
    st.markdown("**Text messages and feedback from them**")
    if not rec.messages:
        st.caption("No text messages from this person.")
    for message in rec.messages:
        state = (f"read {show(message.read_at)} by {md(rec.users.get(message.read_by_id, '?'))}"
                 if message.read_at else "**unread**")
        st.write(f"{show(message.received_at)} — {KIND_TITLES[message.kind]} — {state}")
        st.caption(md(message.body))
