"""Requests as Twilio makes them to the webhooks: form-encoded and signed with the test account's
token for the public URL that the `twilio_env` fixture configures (the path may carry a query)."""

from __future__ import annotations

from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "https://standup.example.org"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def signed(path: str, params: dict[str, str], *, token: str = AUTH_TOKEN, url: str | None = None) -> dict:
    signature = RequestValidator(token).compute_signature(url or PUBLIC + path, params)
    return {**FORM, "X-Twilio-Signature": signature}


def post_signed(client, path: str, params: dict[str, str], **sign):
    return client.post(path, content=urlencode(params), headers=signed(path, params, **sign))


def post_sms(client, params: dict[str, str], **sign):
    return post_signed(client, "/twilio/sms", params, **sign)


def inbound(body: str, sid: str = "SM" + "a" * 32, sender: str = "+447400100001") -> dict[str, str]:
    return {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": sender, "To": "+447400000000", "Body": body}


FROM_NUMBER = "+447400000009"  # the number calls come from, as the `voice_env` fixture configures


def on_call(call_sid: str, to: str = "+447400100001", **extra: str) -> dict[str, str]:
    """The form Twilio posts about an outbound call it placed for us (`Digits` for a key pressed)."""
    return {"CallSid": call_sid, "AccountSid": "AC" + "0" * 32, "From": FROM_NUMBER, "To": to,
            "CallStatus": "in-progress", "Direction": "outbound-api", **extra}


def handle_stored() -> int:
    """The worker's step after the webhook: every SMS it stored handled, replies queued in the outbox."""
    from notifications.plugin import handle_stored_messages

    return handle_stored_messages()


def replies_to(engine, mobile: str) -> list[str]:
    """The replies the worker queued for `mobile`, oldest first."""
    from sqlalchemy import select

    from core.db import unit_of_work
    from notifications.model import OutboundMessage

    with unit_of_work(engine) as s:
        return list(s.scalars(select(OutboundMessage.body).where(
            OutboundMessage.destination == mobile, OutboundMessage.purpose == "reply").order_by(OutboundMessage.id)))
