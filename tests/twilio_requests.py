"""Requests as Twilio makes them to the webhooks: form-encoded and signed with the test account's
token for the public URL that the `twilio_env` fixture configures."""

from __future__ import annotations

from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "https://standup.example.org"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def signed(path: str, params: dict[str, str], *, token: str = AUTH_TOKEN, url: str | None = None) -> dict:
    signature = RequestValidator(token).compute_signature(url or PUBLIC + path, params)
    return {**FORM, "X-Twilio-Signature": signature}


def post_sms(client, params: dict[str, str], **sign):
    return client.post("/twilio/sms", content=urlencode(params), headers=signed("/twilio/sms", params, **sign))


def inbound(body: str, sid: str = "SM" + "a" * 32, sender: str = "+447400100001") -> dict[str, str]:
    return {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": sender, "To": "+447400000000", "Body": body}
