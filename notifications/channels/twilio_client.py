"""The twilio SDK's client, as the SMS and voice channels share it: pointed at a configured base
URL (a local stand-in of Twilio's API in tests), and its errors read as retry, fail or ask a person."""

from __future__ import annotations

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from core.settings import Settings
from notifications.channels.registry import SendError

TWILIO_BASE = "https://api.twilio.com"
# Twilio error codes that mean "slow down and try again", beside HTTP 429 and any 5xx.
RETRYABLE_CODES = frozenset({20429, 20500, 20503})


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


def twilio_client(settings: Settings, http_client=None) -> Client:
    return Client(settings.twilio_account_sid, settings.twilio_auth_token,
                  http_client=http_client or RebasedHttpClient(settings.twilio_api_base_url, timeout=10))


def calling_twilio(create):
    """Run `create()` (one SDK request) and turn what went wrong into a SendError."""
    try:
        return create()
    except TwilioRestException as exc:
        retryable = exc.status == 429 or exc.status >= 500 or exc.code in RETRYABLE_CODES
        raise SendError(exc.msg or str(exc), code=exc.code, http_status=exc.status, retryable=retryable) from exc
    except requests.RequestException as exc:
        if _never_reached(exc):
            raise SendError(f"cannot reach Twilio: {exc}", retryable=True) from exc
        raise SendError(f"no clear answer from Twilio: {exc}", ambiguous=True) from exc


def _never_reached(exc: requests.RequestException) -> bool:
    """True when the request provably never reached the provider (no connection was made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)
