"""The email channel against a real SMTP server (aiosmtpd on loopback, started here): an email
arrives with both bodies and the unsubscribe headers; STARTTLS with a certificate made here, TLS
from the first byte, a login; a relay that refuses (5xx: failed, never retried), one that is busy
(4xx: retried, then delivered once), one that drops the connection mid-send (unknown, never sent
again), one that offers no STARTTLS or an untrusted certificate (nothing sent), none at all
(retried); one connection reused, and opened again when the relay drops it; the pace."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from core.db import unit_of_work
from core.settings import Settings, get_settings, reset_settings
from notifications import plugin
from notifications.channels import channel_named
from notifications.channels.smtp_sender import SmtpEmail
from notifications.dispatcher import dispatch
from notifications.local_smtp import Mailbox, local_smtp_server
from notifications.model import OutboundMessage, OutboundStatusEvent
from notifications.outbox_service import queue
from notifications.pacing import TokenBucket
from tests import factories

SENDER = "support@force.police.uk"
UNSUBSCRIBE = "https://standup.example.org/outreach/unsubscribe/k7qx-2f9a"
LOGIN, PASSWORD = "standup", "s3cret@pass"  # "@" written %40 in SMTP_URL


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


class Relay(Mailbox):
    """Keeps what it accepts, which connection it came by, and whether that was encrypted and
    logged in; `refuse` maps a command to the replies it gives first, one per message."""

    def __init__(self, **refuse: list[str]) -> None:
        super().__init__()
        self.refuse = {command: list(replies) for command, replies in refuse.items()}
        self.sessions: list = []  # one per message accepted; the same object for one connection
        self.encrypted: list[bool] = []  # one per message accepted: did it come over TLS
        self.connections: list[tuple[asyncio.AbstractEventLoop, asyncio.BaseTransport]] = []
        self.drop_after_data = False

    def _refusal(self, command: str) -> str | None:
        replies = self.refuse.get(command)
        return replies.pop(0) if replies else None

    async def handle_MAIL(self, server, session, envelope, address, options):
        if reply := self._refusal("MAIL"):
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if reply := self._refusal("RCPT"):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if reply := self._refusal("DATA"):
            return reply
        self.connections.append((asyncio.get_running_loop(), server.transport))
        if self.drop_after_data:  # the relay had the message; the line went before it said so
            self.envelopes.append(envelope)
            server.transport.close()
            return "250 OK"
        self.sessions.append(session)
        self.encrypted.append(server.transport.get_extra_info("ssl_object") is not None)
        return await super().handle_DATA(server, session, envelope)

    @property
    def connection_count(self) -> int:
        return len({id(s) for s in self.sessions})

    def drop_connections(self) -> None:
        """Close every connection from the relay's side, as an idle timeout or a restart would."""
        async def close(transport) -> None:
            transport.close()
            await asyncio.sleep(0)  # the socket closes on the loop's next turn

        for loop, transport in self.connections:
            asyncio.run_coroutine_threadsafe(close(transport), loop).result(timeout=10)


def _settings(monkeypatch, url: str, **more: str) -> Settings:
    for name, value in {"EMAIL_BACKEND": "smtp", "SMTP_URL": url, "EMAIL_FROM": f"Victim Support <{SENDER}>",
                        **more}.items():
        monkeypatch.setenv(name, value)
    reset_settings()
    return get_settings()


def _queue(db, *to: str, incident_id: int | None = None, payload: dict | None = None) -> list[int]:
    with unit_of_work(db.engine) as s:
        return [queue(s, channel="email", to=address, subject="Your wellbeing check",
                      body="Hello,\n\nWe are here if you need us.", purpose="notice", incident_id=incident_id,
                      payload={"unsubscribe_url": UNSUBSCRIBE} if payload is None else payload).id for address in to]


def _row(db, message_id: int) -> OutboundMessage:
    with unit_of_work(db.engine) as s:
        return s.get(OutboundMessage, message_id)


def _history(db, message_id: int) -> list[str]:
    with unit_of_work(db.engine) as s:
        return list(s.scalars(select(OutboundStatusEvent.status).where(OutboundStatusEvent.message_id == message_id)
                              .order_by(OutboundStatusEvent.id)))


def _send(db, sender: SmtpEmail):
    return dispatch(db.engine, "email", sender, TokenBucket(1e9))


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1: (the relay's TLS context, a client's that trusts it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Stand Up test relay")])
    issued = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(issued - timedelta(days=1)).not_valid_after(issued + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "relay.pem", tmp_path / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    return server, ssl.create_default_context(cafile=str(cert_file))


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    return AuthResult(success=isinstance(auth_data, LoginPassword)
                      and (auth_data.login, auth_data.password) == (LOGIN.encode(), PASSWORD.encode()),
                      handled=False)  # aiosmtpd answers 535 itself


def test_an_email_arrives_with_both_bodies_and_the_unsubscribe_headers(db, frozen_clock, monkeypatch):
    relay = Relay()
    incident = factories.incident(db, is_exercise=True)
    with local_smtp_server(relay) as port:
        sender = SmtpEmail(_settings(monkeypatch, f"smtp://127.0.0.1:{port}"))
        (mid,) = _queue(db, "Jo.Smith@Example.org", incident_id=incident)
        report = _send(db, sender)
        sender.close()
    row = _row(db, mid)
    assert (report.sent, row.status, row.destination) == (1, "sent", "jo.smith@example.org")
    assert _history(db, mid) == ["pending", "sending", "accepted", "sent"]
    [envelope] = relay.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == (SENDER, ["jo.smith@example.org"])
    mail = message_from_bytes(envelope.original_content, policy=policy.default)
    assert mail["Subject"] == "EXERCISE Your wellbeing check"  # the outbox marks an exercise's emails
    assert mail["From"] == f"Victim Support <{SENDER}>" and mail["To"] == "jo.smith@example.org"
    assert mail["Message-ID"] == f"<{row.provider_sid}@force.police.uk>"
    assert mail["Date"].datetime == frozen_clock()
    plain = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content().replace("\r\n", "\n")
    assert plain.startswith("EXERCISE Hello,\n\nWe are here if you need us.")
    assert "<p>EXERCISE Hello,</p>\n<p>We are here if you need us.</p>" in html
    assert f"\r\nList-Unsubscribe: <{UNSUBSCRIBE}>\r\n".encode() in envelope.original_content
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_starttls_with_a_self_signed_certificate_and_a_login(db, frozen_clock, monkeypatch, certificate):
    server_tls, client_tls = certificate
    relay = Relay()
    with local_smtp_server(relay, tls_context=server_tls, require_starttls=True, authenticator=_authenticator,
                           auth_required=True) as port:
        sender = SmtpEmail(_settings(monkeypatch, f"smtp+starttls://{LOGIN}:s3cret%40pass@127.0.0.1:{port}"),
                           tls=client_tls)
        ids = _queue(db, "a@example.org", "b@example.org")
        assert _send(db, sender).sent == 2
        sender.close()
    assert [_row(db, i).status for i in ids] == ["sent", "sent"]
    assert [e.rcpt_tos for e in relay.envelopes] == [["a@example.org"], ["b@example.org"]]
    assert relay.connection_count == 1  # both emails over one connection
    assert relay.encrypted == [True, True] and all(s.authenticated for s in relay.sessions)


def test_a_wrong_password_fails_with_the_relays_words(db, frozen_clock, monkeypatch, certificate):
    server_tls, client_tls = certificate
    relay = Relay()
    with local_smtp_server(relay, tls_context=server_tls, require_starttls=True, authenticator=_authenticator,
                           auth_required=True) as port:
        sender = SmtpEmail(_settings(monkeypatch, f"smtp+starttls://{LOGIN}:wrong@127.0.0.1:{port}"), tls=client_tls)
        (mid,) = _queue(db, "a@example.org")
        assert _send(db, sender).failed == 1
    row = _row(db, mid)
    assert (row.status, row.error_code) == ("failed", 535) and "Authentication credentials invalid" in row.error_text
    assert "wrong" not in row.error_text and relay.envelopes == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # it is TLS, from the first byte
def test_tls_from_the_first_byte(db, frozen_clock, monkeypatch, certificate):
    server_tls, client_tls = certificate
    relay = Relay()
    # aiosmtpd offers a login over TLS only, and knows TLS only from STARTTLS: it is told here.
    with local_smtp_server(relay, ssl_context=server_tls, authenticator=_authenticator, auth_require_tls=False,
                           auth_required=True) as port:
        sender = SmtpEmail(_settings(monkeypatch, f"smtps://{LOGIN}:s3cret%40pass@127.0.0.1:{port}"), tls=client_tls)
        (mid,) = _queue(db, "a@example.org")
        _send(db, sender)
        sender.close()
    assert _row(db, mid).status == "sent"
    [session] = relay.sessions
    assert relay.encrypted == [True] and session.authenticated


def test_a_relay_that_offers_no_starttls_gets_nothing(db, frozen_clock, monkeypatch):
    relay = Relay()
    with local_smtp_server(relay, authenticator=_authenticator, auth_require_tls=False) as port:
        sender = SmtpEmail(_settings(monkeypatch, f"smtp+starttls://{LOGIN}:s3cret%40pass@127.0.0.1:{port}"))
        (mid,) = _queue(db, "a@example.org")
        assert _send(db, sender).failed == 1
    row = _row(db, mid)
    assert row.status == "failed" and "does not offer STARTTLS" in row.error_text
    assert relay.envelopes == [] and relay.sessions == []


def test_an_untrusted_certificate_gets_nothing(db, frozen_clock, monkeypatch, certificate):
    server_tls, _ = certificate
    relay = Relay()
    with local_smtp_server(relay, tls_context=server_tls, require_starttls=True) as port:
        # The system's CAs only: the relay's self-signed certificate is nobody's.
        sender = SmtpEmail(_settings(monkeypatch, f"smtp+starttls://{LOGIN}:s3cret%40pass@127.0.0.1:{port}"))
        (mid,) = _queue(db, "a@example.org")
        assert _send(db, sender).failed == 1
    row = _row(db, mid)
    assert row.status == "failed" and "is not trusted" in row.error_text and relay.envelopes == []


@pytest.mark.parametrize(("refuse", "code", "words"), [
    ({"RCPT": ["550 5.1.1 <refused@example.org>: Recipient address rejected: User unknown"]}, 550,
     "Recipient address rejected: User unknown"),
    ({"MAIL": ["553 5.7.1 Sender address rejected: not owned by user"]}, 553, "Sender address rejected"),
    ({"DATA": ["554 5.7.1 Message rejected as spam"]}, 554, "Message rejected as spam"),
])
def test_a_refusal_fails_the_message_with_the_relays_code_and_words_and_it_is_never_retried(
        db, frozen_clock, monkeypatch, refuse, code, words):
    relay = Relay(**refuse)
    with local_smtp_server(relay) as port:
        sender = SmtpEmail(_settings(monkeypatch, f"smtp://127.0.0.1:{port}"))
        refused, fine = _queue(db, "refused@example.org", "fine@example.org")
        report = _send(db, sender)
        frozen_clock.advance(timedelta(hours=1))
        again = _send(db, sender)
        sender.close()
    row = _row(db, refused)
    assert (report.failed, report.sent, again.sent, again.failed) == (1, 1, 0, 0)
    assert (row.status, row.error_code, row.attempts) == ("failed", code, 1) and words in row.error_text
    assert _row(db, fine).status == "sent"  # the next email went on, over the same connection
    assert [e.rcpt_tos for e in relay.envelopes] == [["fine@example.org"]] and relay.connection_count == 1


@pytest.mark.parametrize(("refuse", "code"), [
    ({"RCPT": ["450 4.2.1 Mailbox busy, try again later"]}, 450),
    ({"DATA": ["451 4.3.0 Local error in processing"]}, 451),
    ({"MAIL": ["421 4.7.0 Too many connections, try again later"]}, 421),
])
def test_a_4xx_is_retried_after_a_backoff_and_then_delivered_once(db, frozen_clock, monkeypatch, refuse, code):
    relay = Relay(**refuse)
    with local_smtp_server(relay) as port:
        sender = SmtpEmail(_settings(monkeypatch, f"smtp://127.0.0.1:{port}"))
        (mid,) = _queue(db, "a@example.org")
        assert _send(db, sender).retried == 1
        row = _row(db, mid)
        assert (row.status, row.error_code, row.attempts) == ("pending", code, 1)
        assert row.due_at > frozen_clock()  # backing off, not hammering
        assert _send(db, sender).sent == 0  # not due yet
        frozen_clock.advance(timedelta(minutes=1))
        assert _send(db, sender).sent == 1
        sender.close()
    assert (_row(db, mid).status, len(relay.envelopes)) == ("sent", 1)


def test_a_connection_dropped_mid_send_is_unknown_and_never_sent_again(db, frozen_clock, monkeypatch):
    relay = Relay()
    relay.drop_after_data = True
    with local_smtp_server(relay) as port:
        sender = SmtpEmail(_settings(monkeypatch, f"smtp://127.0.0.1:{port}"))
        (mid,) = _queue(db, "a@example.org")
        assert _send(db, sender).unknown == 1
        relay.drop_after_data = False
        frozen_clock.advance(timedelta(hours=1))
        assert _send(db, sender).sent == 0
        sender.close()
    row = _row(db, mid)
    assert row.status == "unknown" and row.provider_sid is None
    assert "may have been accepted (Message-ID <EM" in row.error_text and "check the provider's log" in row.error_text
    assert len(relay.envelopes) == 1  # the relay has it once; nobody sent it again


def test_no_relay_listening_is_retried_later(db, frozen_clock, monkeypatch):
    with socket.socket() as closed:  # a port nobody listens on once this socket is gone
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    sender = SmtpEmail(_settings(monkeypatch, f"smtp://127.0.0.1:{port}"))
    (mid,) = _queue(db, "a@example.org")
    assert _send(db, sender).retried == 1
    row = _row(db, mid)
    assert (row.status, row.attempts) == ("pending", 1) and "cannot reach the mail relay" in row.error_text


def test_a_connection_the_relay_dropped_is_opened_again(db, frozen_clock, monkeypatch):
    relay = Relay()
    with local_smtp_server(relay) as port:
        sender = SmtpEmail(_settings(monkeypatch, f"smtp://127.0.0.1:{port}"))
        first = _queue(db, "a@example.org", "b@example.org")
        _send(db, sender)
        assert relay.connection_count == 1
        relay.drop_connections()  # an idle timeout between sweeps
        (later,) = _queue(db, "c@example.org")
        assert _send(db, sender).sent == 1
        sender.close()
    assert [_row(db, i).status for i in (*first, later)] == ["sent"] * 3
    assert [e.rcpt_tos[0] for e in relay.envelopes] == ["a@example.org", "b@example.org", "c@example.org"]
    assert relay.connection_count == 2


def test_emails_are_paced_at_email_rate_per_second(db, frozen_clock, monkeypatch):
    relay = Relay()
    with local_smtp_server(relay) as port:
        settings = _settings(monkeypatch, f"smtp://127.0.0.1:{port}", EMAIL_RATE_PER_SECOND="4")
        plugin._sender.cache_clear()
        worker_sender, worker_bucket = plugin._sender("email", settings)  # what the worker's sweep uses
        assert isinstance(worker_sender, SmtpEmail) and worker_bucket.rate == 4
        clock = FakeClock()
        bucket = TokenBucket(channel_named("email").rate(settings), clock=clock, sleep=clock.sleep)
        _queue(db, *(f"person{n}@example.org" for n in range(12)))
        sender = SmtpEmail(settings)
        assert dispatch(db.engine, "email", sender, bucket).sent == 12
        sender.close()
    plugin._sender.cache_clear()
    assert clock.t == pytest.approx(2.0)  # 4 at once from the full bucket, the other 8 at 4 a second
    assert len(relay.envelopes) == 12 and relay.connection_count == 1
