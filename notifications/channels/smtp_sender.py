"""Email through an SMTP relay with the standard library's smtplib (SMTP_URL says how: STARTTLS,
TLS from the first byte, or plain to a relay close by; a login when it names a user).

One connection is kept and reused from message to message; when the relay has dropped it (an idle
timeout, a restart) the next message opens another, which is safe because nothing of that message
had been sent. The dispatcher runs one sweep of a channel at a time, so one connection serves it.

What goes wrong, and what the outbox row becomes (the dispatcher acts on the SendError):
- a 5xx reply (sender, recipient or message refused, login refused): failed, with the relay's code
  and words;
- a 4xx reply (421, 450, 451, 452…), or no connection at all (refused, unknown host, timeout):
  retried with backoff (delivery_rules);
- the connection lost once DATA began: unknown. The relay may have the message; a person checks its
  log for the Message-ID given in the note before sending again;
- STARTTLS asked for but not offered, a certificate not trusted, no login offered: failed. A person
  fixes the relay or SMTP_URL; nothing is ever sent unencrypted instead.
The relay's 250 after the message is the last word SMTP gives: the row is "sent".
"""

from __future__ import annotations

import smtplib
import ssl
import uuid

from core.clock import now
from core.email_address import mailbox
from core.settings import Settings
from core.smtp_url import parse_smtp_url
from notifications.channels.email_message import compose
from notifications.channels.registry import Accepted, Outgoing, SendError


class _Dropped(Exception):
    """The kept connection was gone before this message was sent: open another and try again."""

    def __init__(self, error: SendError) -> None:
        super().__init__(str(error))
        self.error = error  # what to report when a new connection fails the same way


class SmtpEmail:
    name = "smtp"

    def __init__(self, settings: Settings, *, tls: ssl.SSLContext | None = None, timeout: float = 30.0) -> None:
        self.server = parse_smtp_url(settings.smtp_url)
        self.sender = mailbox(settings.email_from)
        self.tls = tls or ssl.create_default_context()  # the system's trusted CAs (or SSL_CERT_FILE's)
        self.timeout = timeout
        self.where = f"the mail relay {self.server.host}:{self.server.port}"
        self._connection: smtplib.SMTP | None = None

    def send(self, message: Outgoing) -> Accepted:
        sid = f"EM{uuid.uuid4().hex}"
        content = compose(message, self.sender, sid, now()).as_bytes()
        connection = self._envelope(message.to)
        self._data(connection, content, sid)
        return Accepted(sid, "sent")

    def close(self) -> None:
        """Say QUIT and let the connection go; the next message opens another."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()

    def _envelope(self, to: str) -> smtplib.SMTP:
        """MAIL FROM and RCPT TO on the kept connection, or on a new one when the kept one is gone."""
        if self._connection is not None:
            try:
                self._mail_and_rcpt(self._connection, to)
                return self._connection
            except _Dropped:
                self._forget()
        self._connection = self._open()
        try:
            self._mail_and_rcpt(self._connection, to)
        except _Dropped as dropped:
            self._forget()
            raise dropped.error from dropped
        return self._connection

    def _mail_and_rcpt(self, connection: smtplib.SMTP, to: str) -> None:
        try:
            code, words = connection.mail(self.sender[1])
            if code == 250:
                code, words = connection.rcpt(to)
        except (OSError, smtplib.SMTPException) as lost:  # SMTPServerDisconnected among them
            raise _Dropped(SendError(f"{self.where} closed the connection before the message was sent: {lost}",
                                     retryable=True)) from lost
        if code == 421:  # the relay is closing the connection (RFC 5321 3.8)
            raise _Dropped(_refusal(code, words))
        if code not in (250, 251):
            self._reset(connection)
            raise _refusal(code, words)

    def _data(self, connection: smtplib.SMTP, content: bytes, sid: str) -> None:
        try:
            code, words = connection.data(content)
        except smtplib.SMTPDataError as refused:  # DATA itself refused: not one byte of the message went
            code, words = refused.smtp_code, refused.smtp_error
        except (OSError, smtplib.SMTPException) as lost:
            self._forget()
            domain = self.sender[1].rpartition("@")[2]
            raise SendError(f"the connection to {self.where} was lost while the message was being sent, so it "
                            f"may have been accepted (Message-ID <{sid}@{domain}>): {lost}", ambiguous=True) from lost
        if code == 421:
            self._forget()
        elif code != 250:
            self._reset(connection)
        if code != 250:
            raise _refusal(code, words)

    def _open(self) -> smtplib.SMTP:
        """A connection ready for MAIL FROM: encrypted as SMTP_URL says, logged in when it names a user."""
        server = self.server
        try:
            if server.security == "tls":
                connection = smtplib.SMTP_SSL(server.host, server.port, timeout=self.timeout, context=self.tls)
            else:
                connection = smtplib.SMTP(server.host, server.port, timeout=self.timeout)
        except smtplib.SMTPConnectError as refused:  # a greeting other than 220
            raise _refusal(refused.smtp_code, refused.smtp_error) from refused
        except ssl.SSLCertVerificationError as untrusted:
            raise self._untrusted(untrusted) from untrusted
        except (OSError, smtplib.SMTPException) as unreachable:
            raise SendError(f"cannot reach {self.where}: {unreachable}", retryable=True) from unreachable
        try:
            self._secure_and_log_in(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _secure_and_log_in(self, connection: smtplib.SMTP) -> None:
        server = self.server
        try:
            connection.ehlo()
            if server.security == "starttls":
                if not connection.has_extn("starttls"):
                    raise SendError(f"{self.where} does not offer STARTTLS, which SMTP_URL requires: nothing is "
                                    "sent unencrypted")
                connection.starttls(context=self.tls)
                connection.ehlo()
            if server.user:
                connection.login(server.user, server.password)
        except smtplib.SMTPResponseException as refused:  # STARTTLS or the login refused
            raise _refusal(refused.smtp_code, refused.smtp_error) from refused
        except smtplib.SMTPNotSupportedError as unsupported:
            raise SendError(f"{self.where} does not offer a login (AUTH), which SMTP_URL asks for") from unsupported
        except ssl.SSLCertVerificationError as untrusted:
            raise self._untrusted(untrusted) from untrusted
        except (OSError, smtplib.SMTPException) as lost:
            raise SendError(f"lost {self.where} while connecting: {lost}", retryable=True) from lost

    def _untrusted(self, error: ssl.SSLCertVerificationError) -> SendError:
        return SendError(f"the certificate of {self.where} is not trusted ({error.verify_message}); a relay with "
                         "a private CA needs SSL_CERT_FILE pointing at it")

    def _reset(self, connection: smtplib.SMTP) -> None:
        """End a refused transaction so the connection can carry the next message."""
        try:
            connection.rset()
        except (OSError, smtplib.SMTPException):
            self._forget()

    def _forget(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def _refusal(code: int, words: bytes | str) -> SendError:
    """The relay's reply as the outbox records it: 4xx is "try later", anything else a refusal."""
    text = words.decode("utf-8", "replace") if isinstance(words, bytes) else words
    return SendError(text or f"the relay answered {code}", code=code, retryable=400 <= code < 500)
