"""Email: an SMTP relay (smtplib: STARTTLS or TLS, a login), or the console, which sends nothing and
shows each email in the dashboard's outbox. An email is one unit of pacing, at EMAIL_RATE_PER_SECOND.

Destinations are addresses with a dotted domain, stored lower case (core.email_address). Each email
needs a subject, and one to the public a one-click unsubscribe link (email_message)."""

from __future__ import annotations

from core.email_address import normalise_email
from core.settings import Settings
from notifications.channels.console import ConsoleSender
from notifications.channels.email_message import check_email
from notifications.channels.registry import Channel, Sender, register
from notifications.channels.smtp_sender import SmtpEmail


def _sender(settings: Settings) -> Sender:
    # The console ends where SMTP does: the relay took it ("sent"); SMTP tells nothing after that.
    return SmtpEmail(settings) if settings.email_backend == "smtp" else ConsoleSender("EM", "sent")


EMAIL = register(Channel(
    name="email", title="Email", normalise=normalise_email, cost=lambda body: 1,
    rate=lambda settings: settings.email_rate_per_second, sender=_sender, retention="email_sent",
    opt_out_hint="this address has unsubscribed from these emails", check=check_email,
))
