import streamlit as st

from core.clock import show
from core.email_address import mask_email
from core.inert_text import md
from core.phone import mask_mobile
from core.settings import get_settings
from core.ui import call, current_incident_id, read, table
from notifications.channels import channel_named
from notifications.console_service import codes_awaiting_reply, inbound_messages, mark_dealt_with, type_reply
from notifications.delivery_rules import describe_error
from notifications.inbound_service import FAILED_INTENT
from notifications.outbox_service import outbox_messages
from notifications.preference_queries import message_preferences
from notifications.voice_service import press_key_on_console

st.title("SMS outbox")
incident_id = current_incident_id()
console = get_settings().sms_backend == "console"
st.caption("Console gateway: nothing leaves this server. Type replies below as the responder would."
           if console else "Twilio gateway: messages go to real phones; replies arrive by webhook.")
if get_settings().email_backend == "console":
    st.caption("Email console: emails are listed here with their subject and never leave this server.")


def _masked(address: str) -> str:
    try:
        return mask_email(address) if "@" in address else mask_mobile(address)
    except ValueError:
        return address


messages = read(lambda s, a: outbox_messages(s, a, incident_id))
prefers = read(lambda s, a: message_preferences(s, a, messages))  # how staff and people asked to be reached
if st.button("Refresh", icon=":material/refresh:"):
    st.rerun()
table([{"#": m.id, "by": channel_named(m.channel).title, "to": _masked(m.destination),
        "prefers": prefers.get(m.id, ""), "purpose": m.purpose,
        "status": m.status, "segments": m.segments, "error": describe_error(m.error_code, m.error_text),
        "queued": show(m.created_at, "%d %b %H:%M:%S"), "subject": m.subject, "text": m.body}
       for m in messages], key="outbox_table", empty="No messages in the outbox for this incident yet.")

if console:
    st.subheader("Reply as a responder")
    numbers = list(dict.fromkeys(m.destination for m in messages if m.channel == "sms"))
    # Full numbers here: the console only exists where no real phone is ever texted.
    sender = st.selectbox("From", numbers) if numbers else st.text_input("From (mobile)")
    codes = read(lambda s, a: codes_awaiting_reply(s, a, sender)) if sender else []
    if codes:
        st.caption(f"Call-outs waiting for this number's answer: {', '.join(codes)}")
    with st.form("console_reply", clear_on_submit=True):
        body = st.text_input("Message", placeholder=f"YES {codes[0]}" if codes else "YES")
        if st.form_submit_button("Send reply", type="primary"):
            result = call(type_reply, sender or "", body)
            if result is not None:
                st.success(f"Answered: “{md(result.reply)}”" if result.reply else "Received; no reply is sent.")

calls = [m for m in messages if m.channel == "voice" and m.provider_sid]
if calls and get_settings().voice_backend == "console":
    st.subheader("Answer a call as the responder")
    st.caption("Console calls ring nobody. Press a key as the person called would; it takes the same path as "
               "a key pressed on a real call.")
    placed = st.selectbox("Call", calls, format_func=lambda m: f"#{m.id} to {_masked(m.destination)} ({m.status})")
    accept, decline = st.columns(2)
    pressed = {"1": accept.button("1 — accept"), "2": decline.button("2 — decline")}
    key = next((k for k, down in pressed.items() if down), None)
    if key and (heard := call(press_key_on_console, placed.id, key)) is not None:
        st.success(f"They hear: “{md(heard)}”")

st.subheader("Replies received")
only_attention = st.toggle("Only those needing a person", value=False)
replies = read(lambda s, a: inbound_messages(s, a, incident_id, attention_only=only_attention))
table([{"received": show(r.received_at, "%d %b %H:%M:%S"), "by": r.channel, "from": _masked(r.sender),
        "sender": r.sender_kind, "text": r.body, "read as": r.intent, "outcome": r.outcome,
        "we replied": r.reply_text, "needs a person": r.needs_attention,
        "why not handled": r.failure if r.intent == FAILED_INTENT else ""} for r in replies],
      empty="No replies received yet.")
waiting = [r for r in replies if r.needs_attention]
if waiting:
    chosen = st.selectbox("Reply read and dealt with", waiting,
                          format_func=lambda r: f"{show(r.received_at, '%H:%M')} {_masked(r.sender)}: {r.body[:60]}")
    if st.button("Mark as dealt with") and call(mark_dealt_with, chosen.id):
        st.rerun()
