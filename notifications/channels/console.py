"""The console backend every channel has: it sends nothing. The outbox row is the message, shown
on the outbox page, where answers are given by hand and take the same path as the provider's."""

from __future__ import annotations

import uuid

from notifications.channels.registry import Accepted, Outgoing


class ConsoleSender:
    name = "console"

    def __init__(self, sid_prefix: str, status: str = "delivered") -> None:
        self.sid_prefix = sid_prefix
        self.status = status

    def send(self, message: Outgoing) -> Accepted:
        return Accepted(f"{self.sid_prefix}console{uuid.uuid4().hex[:23]}", self.status)
