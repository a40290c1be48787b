"""Voice: phone calls for call-outs, placed by Twilio's Calls API, or shown on the console.

A call carries our outbox row id (`ref`) in two URLs: the one Twilio fetches when the call is
answered (POST /twilio/voice/callout, which reads the question and gathers one key) and its status
callback (POST /twilio/voice/status). What the call says and what a key does are
notifications.call_script's and notifications.voice_service's; the outbox row's body is the question.

Pacing: one call a second. Twilio places one call a second per account unless the account's
limit was raised, and queues the excess itself; a call-out's calls are a few dozen at most (one per
person who has not answered), so the last of forty is placed within forty seconds. A faster
setting would only let an operator outrun what their account takes.
"""

from __future__ import annotations

from urllib.parse import urlencode

from core.phone import normalise_phone
from core.settings import Settings
from notifications.channels.console import ConsoleSender
from notifications.channels.registry import Accepted, Channel, Outgoing, register
from notifications.channels.twilio_client import calling_twilio, twilio_client

CALLS_PER_SECOND = 1.0
ANSWERED_PATH = "/twilio/voice/callout"
STATUS_PATH = "/twilio/voice/status"


class TwilioVoice:
    name = "twilio"

    def __init__(self, settings: Settings, http_client=None) -> None:
        self.settings = settings
        self.client = twilio_client(settings, http_client)

    def url(self, path: str, reference: int) -> str:
        return f"{self.settings.public_base_url}{path}?{urlencode({'ref': reference})}"

    def send(self, message: Outgoing) -> Accepted:
        placed = calling_twilio(lambda: self.client.calls.create(
            to=message.to, from_=self.settings.twilio_from_number,
            url=self.url(ANSWERED_PATH, message.reference), method="POST",
            status_callback=self.url(STATUS_PATH, message.reference), status_callback_method="POST"))
        return Accepted(placed.sid, placed.status or "queued")


VOICE = register(Channel(
    name="voice", title="Phone call", normalise=normalise_phone, cost=lambda _body: 1,
    rate=lambda _settings: CALLS_PER_SECOND,
    sender=lambda settings: TwilioVoice(settings) if settings.voice_backend == "twilio" else ConsoleSender("CA"),
    retention="calls_made", opt_out_hint="this number has asked not to be called",
))
