"""Which status wins, when to retry, and how transport failures are read: never resend a
message that may have gone."""

from __future__ import annotations

import random

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from twilio.http import HttpClient

from core.settings import load_settings
from notifications.channels import Outgoing, SendError
from notifications.channels.sms import TwilioSms
from notifications.delivery_rules import (
    MAX_DELAY_S,
    awaits_provider_sid,
    describe_error,
    moves_forward,
    provider_status,
    retry_delay,
)
from notifications.model import OutboundStatus as S

FINAL = (S.DELIVERED, S.UNDELIVERED, S.FAILED, S.BLOCKED, S.CANCELLED)


@pytest.mark.parametrize(("current", "new", "moves"), [
    (S.PENDING, S.SENDING, True),
    (S.SENDING, S.ACCEPTED, True),
    (S.SENDING, S.UNKNOWN, True),  # a dispatcher died mid-send
    (S.UNKNOWN, S.ACCEPTED, True),  # a late callback reconciles it
    (S.ACCEPTED, S.SENT, True),
    (S.SENT, S.DELIVERED, True),
    (S.SENT, S.ACCEPTED, False),  # callbacks out of order
    (S.DELIVERED, S.SENT, False),
    (S.DELIVERED, S.FAILED, False),  # a final status is never replaced
    (S.ACCEPTED, S.ACCEPTED, False),  # a replayed callback
    (S.ACCEPTED, S.UNDELIVERED, True),
])
def test_status_moves_forward_only(current, new, moves):
    assert moves_forward(current, new) is moves


@given(st.sampled_from(FINAL), st.sampled_from(list(S)))
def test_nothing_moves_a_final_status(final, new):
    assert not moves_forward(final, new)


def test_twilio_words_map_to_our_statuses():
    assert provider_status("queued") == S.ACCEPTED and provider_status(" Delivered ") == S.DELIVERED
    assert provider_status("receiving") is None and provider_status("") is None


@pytest.mark.parametrize(("status", "provider_sid", "awaits"), [
    (S.SENDING, None, True),  # the dispatcher died before it learnt the SID
    (S.UNKNOWN, None, True),
    (S.SENDING, "SM" + "1" * 32, False),  # the provider knows it by its own SID
    (S.PENDING, None, False),  # never handed over
    (S.ACCEPTED, None, False),
    (S.FAILED, None, False),
])
def test_only_a_lost_send_awaits_the_providers_sid(status, provider_sid, awaits):
    assert awaits_provider_sid(status.value, provider_sid) is awaits


@given(st.integers(1, 30), st.integers(0, 2**32))
def test_backoff_grows_is_jittered_and_capped(attempt, seed):
    delay = retry_delay(attempt, random.Random(seed))
    ceiling = min(MAX_DELAY_S, 2.0 * 2 ** (attempt - 1))
    assert ceiling / 2 <= delay <= ceiling


class Failing(HttpClient):
    def __init__(self, error: Exception) -> None:
        super().__init__(logger=None, is_async=False)
        self.error = error

    def request(self, *args, **kwargs):
        raise self.error


def _gateway(error: Exception) -> TwilioSms:
    settings = load_settings({"SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
                              "TWILIO_AUTH_TOKEN": "t", "TWILIO_FROM_NUMBER": "+447400000001"})
    return TwilioSms(settings, http_client=Failing(error))


def _error(error: Exception) -> SendError:
    with pytest.raises(SendError) as caught:
        _gateway(error).send(Outgoing("sms", "+447400123456", "hi", 1))
    return caught.value


def test_no_connection_is_safe_to_retry_but_no_answer_is_not():
    from urllib3.exceptions import MaxRetryError, NewConnectionError

    refused = requests.ConnectionError(MaxRetryError(None, "/", NewConnectionError(None, "refused")))
    assert _error(refused).retryable and not _error(refused).ambiguous
    assert _error(requests.ConnectTimeout("connect timed out")).retryable
    # The request may have reached Twilio: marked for a person, never resent blindly.
    for maybe_sent in (requests.ReadTimeout("read timed out"), requests.ConnectionError("connection reset")):
        error = _error(maybe_sent)
        assert error.ambiguous and not error.retryable


@pytest.mark.parametrize(("code", "text", "shown"), [
    (30003, "", "30003 · phone unreachable (off or out of signal)"),
    (21610, "Attempt to send to unsubscribed recipient",
     "21610 · the person replied STOP: they receive nothing until they text START · Attempt to send to unsubscribed recipient"),
    (63016, "Outside the allowed window", "63016 · Outside the allowed window"),  # a code we do not know: its own words
    (None, "connection reset", "connection reset"),
    (None, "", ""),
])
def test_provider_errors_are_shown_with_what_they_mean(code, text, shown):
    assert describe_error(code, text) == shown
