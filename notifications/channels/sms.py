"""SMS: Twilio (through a Messaging Service or from a number), or the console.

Pacing counts segments, not messages: UK long codes take about ten segments a second and Twilio
queues the excess for hours before failing it. A text longer than six segments is a mistake in a
template, refused before it is queued."""

from __future__ import annotations

from urllib.parse import urlencode

from core.phone import normalise_mobile
from core.settings import Settings
from notifications.channels.console import ConsoleSender
from notifications.channels.registry import Accepted, Channel, Outgoing, register
from notifications.channels.twilio_client import calling_twilio, twilio_client
from notifications.segments import measure

MAX_SEGMENTS = 6  # a call-out is a few lines; anything longer is a mistake in the template


class TwilioSms:
    name = "twilio"

    def __init__(self, settings: Settings, http_client=None) -> None:
        self.settings = settings
        self.client = twilio_client(settings, http_client)

    def status_callback(self, reference: int) -> str:
        # The reference lets a callback reconcile a row whose send outcome a crash lost.
        return f"{self.settings.public_base_url}/twilio/status?{urlencode({'ref': reference})}"

    def send(self, message: Outgoing) -> Accepted:
        sender = (
            {"messaging_service_sid": self.settings.twilio_messaging_service_sid}
            if self.settings.twilio_messaging_service_sid else {"from_": self.settings.twilio_from_number}
        )
        extra = {"validity_period": message.validity_seconds} if message.validity_seconds else {}
        sent = calling_twilio(lambda: self.client.messages.create(
            to=message.to, body=message.body, status_callback=self.status_callback(message.reference),
            **sender, **extra))
        return Accepted(sent.sid, sent.status or "queued")


def segments(body: str) -> int:
    info = measure(body)
    if info.segments > MAX_SEGMENTS:
        raise ValueError(f"This message is {info.segments} SMS segments ({info.encoding}); "
                         f"keep it to {MAX_SEGMENTS} or fewer.")
    return info.segments


SMS = register(Channel(
    name="sms", title="SMS", normalise=normalise_mobile, cost=segments,
    rate=lambda settings: settings.sms_rate_per_second,
    sender=lambda settings: TwilioSms(settings) if settings.sms_backend == "twilio" else ConsoleSender("SM"),
    retention="sms_sent", opt_out_hint="this number has opted out (STOP)", opt_out_code=21610,
))
