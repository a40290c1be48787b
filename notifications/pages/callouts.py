from datetime import datetime, time, timedelta

import streamlit as st

from core.agencies.service import list_agencies
from core.clock import LONDON, london, now, show
from core.inert_text import md
from core.ui import auto_refreshing, call, incident_or_stop, read, table
from incident.lifecycle_service import get_incident
from notifications.board_queries import FINISHED_LISTED, callout_board, callouts_for_incident
from notifications.callout_rules import DEFAULT_TEMPLATE
from notifications.callout_service import (
    calls_can_be_made,
    cancel_callout,
    preview_callout,
    preview_surge,
    record_answer_by_hand,
    start_callout,
    start_surge_callout,
)
from notifications.console_service import inbound_messages
from notifications.mobilisation_service import mobilisation_requests, request_staff
from notifications.outbox_service import resend
from rosters.coverage_queries import gaps
from rosters.requirement_service import hubs_for

st.title("Call-outs")
incident_id = incident_or_stop()
incident = read(lambda s, a: get_incident(s, a, incident_id))
attention = read(lambda s, a: inbound_messages(s, a, incident_id, attention_only=True, limit=50))
if attention:
    st.warning(f"{len(attention)} SMS repl{'y needs' if len(attention) == 1 else 'ies need'} a person to read "
               "them (not understood, unknown sender or flagged): see SMS outbox › Replies received.",
               icon=":material/mark_chat_unread:")

# --- Start a call-out: for an open gap, or for a hub surge ------------------------------------
open_gaps = read(lambda s, a: gaps(s, a, incident_id))
hubs = read(lambda s, a: hubs_for(s, a, incident_id))
with st.container(border=True):
    st.subheader("Start a call-out")
    surge = st.radio("Call out for", ["a shift with a gap", "a hub surge"], horizontal=True,
                     key="callout_kind") == "a hub surge"
    if surge and not hubs:
        st.caption("This incident has no hubs yet; add one on the Hubs and sites page.")
    elif surge:
        c1, c2, c3 = st.columns(3)
        hub = c1.selectbox("Hub", hubs, format_func=lambda h: h.name, key="surge_hub")
        role = c2.text_input("Role", "support worker", key="surge_role")
        quorum = c3.number_input("How many more people", 1, 200, 1, key="surge_more")
        from_now = c1.radio("From", ["now", "a given time"], horizontal=True, key="surge_from") == "now"
        hours = c2.number_input("For how many hours", 1.0, 24.0, 4.0, 0.5, key="surge_hours")
        enhanced = c3.checkbox("Enhanced DBS needed", value=True, key="surge_enhanced")
        starts_at = None
        if not from_now:
            day = c1.date_input("Date", value=london(now()).date(), format="DD/MM/YYYY", key="surge_day")
            at = c2.time_input("Time (UK)", value=time(7, 0), step=timedelta(minutes=15), key="surge_time")
            starts_at = datetime.combine(day, at, tzinfo=LONDON)
        shift = {"role": role, "more": int(quorum), "hours": float(hours), "starts_at": starts_at,
                 "needs_enhanced_dbs": enhanced}
    elif not open_gaps:
        st.caption("No open gaps in this incident's shifts.")
    else:
        # Sent here from the coverage board's "Call out" for one gap: that gap is chosen.
        wanted = st.session_state.pop("callout_for_requirement", None)
        if wanted is not None:
            st.session_state["callout_gap"] = next((g for g in open_gaps if g.requirement_id == wanted), open_gaps[0])
        gap = st.selectbox(
            "Shift with a gap", open_gaps, key="callout_gap",
            format_func=lambda g: f"{g.hub_name} · {show(g.starts_at)}–{show(g.ends_at, '%H:%M')} · {g.role} · "
                                  f"{g.filled}/{g.needed} filled",
        )
        quorum = st.number_input("People needed", 1, max(1, gap.open_places), gap.open_places, key="callout_quorum")
    if (surge and hubs) or (not surge and open_gaps):
        template = st.text_area("Message", DEFAULT_TEMPLATE, key="callout_template",
                                help="Placeholders: {code} {role} {hub} {date} {start} {end}. Never names.")
        # The code shown is the code sent: the page keeps it until the call-out starts with it.
        shown_code = st.session_state.get("callout_code")
        if surge:  # a refusal (a time gone by) is shown here and the rest of the page still draws
            preview = call(preview_surge, incident_id, hub.id, template=template, code=shown_code, **shift)
        else:
            preview = read(lambda s, a: preview_callout(s, a, gap.requirement_id, template, shown_code))
        if preview is not None:
            st.session_state["callout_code"] = preview.code
            seg = preview.segments
            st.markdown(f"Reply code **{preview.code}**: responders answer YES {preview.code} or NO {preview.code}.")
            # As code: a hub name is shown exactly as texted, never read as Markdown.
            st.code(preview.text, language=None, wrap_lines=True)
            st.caption(f"{seg.encoding} · {seg.characters} characters · {seg.segments} segment(s) of "
                       f"{seg.per_segment}"
                       + (" — a character outside GSM-7 makes this UCS-2 and costlier" if seg.encoding == "UCS-2"
                          else "")
                       + f" · {preview.eligible} eligible people can be texted · first wave asks {2 * quorum}")
        cols = st.columns(3)
        interval = cols[0].number_input("Minutes between waves", 5, 240, 15)
        remind = cols[1].number_input("Remind after (minutes)", 1, 240, 10)
        calls = cols[1].checkbox("Call if unanswered", value=False, disabled=not calls_can_be_made(),
                                 help="At the reminder time, phone each person who has not answered (press 1 to "
                                      "accept, 2 to decline) instead of texting them a reminder. People whose "
                                      "roster says \"call first\" are phoned as they are asked; people who asked "
                                      "for SMS only are never phoned (they get the reminder text)."
                                      + ("" if calls_can_be_made() else " Calls are not set up on this server "
                                                                        "(VOICE_BACKEND)."))
        share = delay = None
        if incident.is_exercise:
            share = cols[2].slider("Exercise: simulated YES share", 0.0, 1.0, 0.5, 0.05)
            delay = cols[2].number_input("Exercise: reply after (seconds)", 0, 3600, 60)
        waves = {"template": template, "code": preview.code if preview else None, "wave_interval_minutes": int(interval),
                 "reminder_after_minutes": int(remind), "exercise_yes_share": share, "exercise_reply_seconds": delay,
                 "call_if_unanswered": calls}
        if surge and st.button("Send surge call-out", type="primary", icon=":material/campaign:"):
            started = call(start_surge_callout, incident_id, hub.id, **shift, **waves)
        elif not surge and st.button("Send call-out", type="primary", icon=":material/campaign:"):
            started = call(start_callout, gap.requirement_id, quorum=int(quorum), **waves)
        else:
            started = None
        if started is not None:
            st.session_state["board_callout"] = started.id
            st.session_state.pop("callout_code", None)
            st.session_state["callout_started"] = started.code
            st.rerun()

# --- The board --------------------------------------------------------------------------------
started_code = st.session_state.pop("callout_started", None)
if started_code:
    st.success(f"Call-out {started_code} started: the first wave is being texted. Replies quote {started_code}.",
               icon=":material/campaign:")
callouts = read(lambda s, a: callouts_for_incident(s, a, incident_id))
if callouts:
    ids = [c.id for c in callouts]
    chosen = st.session_state.get("board_callout")
    labels = {c.id: f"{c.code} · {c.status.replace('_', ' ')} · started {show(c.created_at)}" for c in callouts}
    callout_id = st.selectbox("Call-out", ids, index=ids.index(chosen) if chosen in ids else 0,
                              format_func=labels.__getitem__,
                              help=f"Newest first: every call-out still asking and the newest {FINISHED_LISTED} finished.")
    st.session_state["board_callout"] = callout_id

    @auto_refreshing(5)
    def board() -> None:
        b = read(lambda s, a: callout_board(s, a, callout_id))
        if b is None:
            st.warning("That call-out is gone.")
            return
        c = b.callout
        m = st.columns(4)
        m[0].metric("Confirmed", f"{b.confirmed} / {c.quorum}")
        m[1].metric("Status", c.status.replace("_", " "))
        m[2].metric("Time to quorum", f"{b.minutes_to_quorum:.0f} min" if b.minutes_to_quorum is not None else "—")
        m[3].metric("Next wave", show(c.next_wave_at, "%H:%M") if c.next_wave_at else "—")
        table([{"wave": w.wave, "asked": w.asked, "sent": w.sent, "delivered": w.delivered, "failed": w.failed,
                "YES": w.yes, "NO": w.no, "no reply": w.no_reply} for w in b.waves],
              empty="No wave has been sent yet.")
        table([{"name": p.name, "wave": p.wave, "state": p.state.replace("_", " "), "prefers": p.prefers,
                "sent by": ", ".join(p.sent_by), "last message": p.message_status, "error": p.error, "flag": p.flag,
                "answered": show(p.answered_at, "%H:%M")} for p in b.recipients],
              key=f"recipients_{c.id}", empty="Nobody has been asked yet.")
        failed = [p for p in b.recipients if p.message_status in ("failed", "undelivered", "unknown")]
        if failed:
            st.error(f"{len(failed)} message(s) did not get through.")
            target = st.selectbox("Send again to", failed, format_func=lambda p: f"{p.name} ({p.message_status}: "
                                                                              f"{p.error})")
            if st.button("Re-send", icon=":material/refresh:") and call(resend, target.message_id):
                st.rerun(scope="fragment")

    board()

    with st.expander("Record an answer given by phone"):
        b = read(lambda s, a: callout_board(s, a, callout_id))
        recipient = st.selectbox("Person", b.recipients, format_func=lambda p: f"{p.name} ({p.state.replace('_', ' ')})")
        answer = st.radio("Their answer", ["yes", "no", "cancel"], horizontal=True)
        if st.button("Record answer"):
            reply = call(record_answer_by_hand, recipient.recipient_id, answer)
            if reply is not None:
                st.success(f"Recorded. They would be told: “{md(reply)}”")
    with st.expander("Cancel this call-out"):
        reason = st.text_input("Why", key="cancel_reason")
        if st.button("Cancel call-out", type="secondary") and call(cancel_callout, callout_id, reason):
            st.rerun()

# --- Mobilisation requests to agency coordinators -----------------------------------------
st.subheader("Ask agencies for staff")
agencies = [a for a in read(list_agencies) if a.active and a.coordinator_mobile]
if agencies:
    with st.form("mobilise"):
        m1, m2, m3 = st.columns(3)
        agency = m1.selectbox("Agency", agencies, format_func=lambda a: a.name)
        where = m2.selectbox("For hub", [None, *hubs], format_func=lambda h: "no hub named" if h is None else h.name)
        day = m3.date_input("Needed from (date)", value=london(now()).date(), format="DD/MM/YYYY")
        at = m3.time_input("Needed from (UK time)", value=time(8, 0), step=timedelta(minutes=15))
        if st.form_submit_button("Text the coordinator: how many staff can you send?") and call(
                request_staff, incident_id, agency.id, hub_id=where.id if where else None,
                needed_from=datetime.combine(day, at, tzinfo=LONDON)):
            st.rerun()
else:
    st.caption("No agency has a coordinator mobile recorded (Administration › Agencies).")
requests = read(lambda s, a: mobilisation_requests(s, a, incident_id))
table([{"code": r.code, "agency": name, "asked": show(r.requested_at), "offered": r.offered,
        "answered": show(r.answered_at)} for r, name in requests],
      empty="No agency has been asked for staff yet.")
