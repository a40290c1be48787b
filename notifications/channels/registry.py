"""Channels as plug-ins (RapidPro's channel types are the model): each channel is a module that
registers one `Channel`. The outbox names the channel on each row; the dispatcher claims and paces
each channel's rows apart, at that channel's own rate; opt-outs are per channel. Adding a channel
(WhatsApp next year) is a module and a `register`, never a migration."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

from core.settings import Settings


@dataclass(frozen=True)
class Outgoing:
    """One outbox row as a sender gets it."""

    channel: str
    to: str  # as the channel writes destinations (E.164, an email address)
    body: str
    reference: int  # our outbox row id: a provider's callback carries it back
    subject: str | None = None
    payload: Mapping[str, object] = field(default_factory=dict)  # what only this channel needs
    validity_seconds: int | None = None


@dataclass(frozen=True)
class Accepted:
    sid: str  # the provider's id for the message (unique across channels)
    status: str  # the provider's word: queued, accepted, sent, delivered


class SendError(Exception):
    """The provider refused or could not be reached.

    `retryable`: nothing was sent and trying later may work (429, a 4xx SMTP reply, no connection).
    `ambiguous`: the request may have reached the provider (a read timeout, a connection dropped
    mid-send): never resend blindly, a person checks.
    """

    def __init__(self, message: str, *, code: int | None = None, http_status: int | None = None,
                 retryable: bool = False, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.http_status = http_status
        self.retryable = retryable
        self.ambiguous = ambiguous


class Sender(Protocol):
    """A channel's backend: a real provider, or the console that sends nothing."""

    name: str

    def send(self, message: Outgoing) -> Accepted: ...


def takes_any_message(subject: str | None, payload: Mapping[str, object]) -> None:
    """What most channels ask of a message beyond its destination and cost: nothing."""


@dataclass(frozen=True)
class Channel:
    name: str  # stored on every outbox row: never rename one in use
    title: str  # how pages name it ("SMS", "Email", "Phone call")
    normalise: Callable[[str], str]  # a destination as stored; ValueError saying what is wrong
    cost: Callable[[str], int]  # pacing units a body takes (SMS segments; 1 for most); ValueError if it cannot go
    rate: Callable[[Settings], float]  # units a second this channel's provider takes
    sender: Callable[[Settings], Sender]  # the backend the settings choose
    retention: str  # the record type its content is kept under (core.retention)
    opt_out_hint: str = "this address has opted out of these messages"  # shown when a row is blocked
    opt_out_code: int | None = None  # the provider's own code for "opted out", when it has one
    # ValueError saying why a message cannot go as it stands (an email with no subject, or to the
    # public with no unsubscribe link): checked when it is queued, so nothing is stored.
    check: Callable[[str | None, Mapping[str, object]], None] = takes_any_message


_CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    if channel.name in _CHANNELS and _CHANNELS[channel.name] is not channel:
        raise ValueError(f"a channel named {channel.name!r} is registered already")
    _CHANNELS[channel.name] = channel
    return channel


def unregister(name: str) -> None:
    """For a test's throwaway channel."""
    _CHANNELS.pop(name, None)


def channel_named(name: str) -> Channel:
    try:
        return _CHANNELS[name]
    except KeyError:
        raise ValueError(f"no channel {name!r}; there are {', '.join(sorted(_CHANNELS))}") from None


def channels() -> Mapping[str, Channel]:
    return MappingProxyType(_CHANNELS)
