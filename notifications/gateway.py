"""Where SMS go: one small interface, a console gateway (the default) and Twilio.

The console gateway sends nothing: the outbox row is the message, shown on the outbox page,
where replies are typed and handed to the same inbound handler the Twilio webhook calls.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from core.settings import Settings

TWILIO_BASE = "https://api.twilio.com"
# Twilio error codes that mean "slow down and try again", beside HTTP 429 and any 5xx.
RETRYABLE_CODES = frozenset({20429, 20500, 20503})


@dataclass(frozen=True)
class Sms:
    to: str  # E.164
    body: str
    reference: int  # our outbox row id: the status callback carries it back
    validity_seconds: int | None = None


@dataclass(frozen=True)
class Accepted:
    sid: str
    status: str  # the provider's word: queued, accepted, sent, delivered


class SendError(Exception):
    """The provider refused or could not be reached.

    `retryable`: nothing was sent and trying later may work (429, 20429, 5xx, no connection).
    `ambiguous`: the request may have reached the provider (a read timeout): never resend blindly.
    """

    def __init__(self, message: str, *, code: int | None = None, http_status: int | None = None,
                 retryable: bool = False, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.http_status = http_status
        self.retryable = retryable
        self.ambiguous = ambiguous


class Gateway(Protocol):
    name: str

    def send(self, sms: Sms) -> Accepted: ...


class ConsoleGateway:
    """Sends nothing; the message stays in the outbox for the console page to show."""

    name = "console"

    def send(self, sms: Sms) -> Accepted:
        return Accepted(f"SMconsole{uuid.uuid4().hex[:23]}", "delivered")


class RebasedHttpClient(TwilioHttpClient):
    """The SDK's HTTP client with https://api.twilio.com swapped for a configured base URL
    (a local stand-in of Twilio's API in tests)."""

    def __init__(self, base_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_BASE):
            url = self.base_url + url[len(TWILIO_BASE):]
        return super().request(method, url, *args, **kwargs)


class TwilioGateway:
    name = "twilio"

    def __init__(self, settings: Settings, http_client=None) -> None:
        self.settings = settings
        self.client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token,
            http_client=http_client or RebasedHttpClient(settings.twilio_api_base_url, timeout=10),
        )

    def status_callback(self, reference: int) -> str:
        # The reference lets a callback reconcile a row whose send outcome a crash lost.
        return f"{self.settings.public_base_url}/twilio/status?{urlencode({'ref': reference})}"

    def send(self, sms: Sms) -> Accepted:
        sender = (
            {"messaging_service_sid": self.settings.twilio_messaging_service_sid}
            if self.settings.twilio_messaging_service_sid else {"from_": self.settings.twilio_from_number}
        )
        extra = {"validity_period": sms.validity_seconds} if sms.validity_seconds else {}
        try:
            message = self.client.messages.create(
                to=sms.to, body=sms.body, status_callback=self.status_callback(sms.reference), **sender, **extra,
            )
        except TwilioRestException as exc:
            retryable = exc.status == 429 or exc.status >= 500 or exc.code in RETRYABLE_CODES
            raise SendError(exc.msg or str(exc), code=exc.code, http_status=exc.status,
                            retryable=retryable) from exc
        except requests.RequestException as exc:
            if _never_reached(exc):
                raise SendError(f"cannot reach Twilio: {exc}", retryable=True) from exc
            raise SendError(f"no clear answer from Twilio: {exc}", ambiguous=True) from exc
        return Accepted(message.sid, message.status or "queued")


def _never_reached(exc: requests.RequestException) -> bool:
    """True when the request provably never reached the provider (no connection was made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)


def gateway_for(settings: Settings) -> Gateway:
    return TwilioGateway(settings) if settings.sms_backend == "twilio" else ConsoleGateway()
