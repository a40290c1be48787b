"""A real SMTP server (aiosmtpd) on a free loopback port, in a thread of this process: what
`standup bench` sends its emails to, and what the email tests send to."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class _OnAFreePort(Controller):
    """aiosmtpd's controller listening on a port the system picks (it wants one named)."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class Mailbox:
    """An aiosmtpd handler that accepts every message and keeps it, with its envelope."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 2.0.0 OK: queued"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.original_content or b"", policy=policy.default) for e in self.envelopes]


@contextmanager
def local_smtp_server(handler: object, **smtp: object) -> Iterator[int]:
    """Serve SMTP on 127.0.0.1 with `handler` (aiosmtpd's hooks) for the block; its port.
    `smtp` goes to aiosmtpd: tls_context and require_starttls, authenticator, ssl_context for TLS
    from the first byte."""
    controller = _OnAFreePort(handler, hostname="127.0.0.1", port=0, server_hostname="localhost", **smtp)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
