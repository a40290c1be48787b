"""SMTP_URL: the relay emails go through, and how the connection is protected.

- `smtp+starttls://user:pass@host:587`: STARTTLS is required; a server that does not offer it gets
  nothing (the password and the messages never cross the network in clear).
- `smtps://user:pass@host:465`: TLS from the first byte.
- `smtp://host:25`: plain, for a relay on the same host or network. It takes no user: a password is
  never sent in clear.
A user or password holding `@`, `:` or `/` is written percent-encoded (`%40`, `%3A`, `%2F`).
Refusals never quote the URL: it may hold the relay's password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

# scheme -> (how the connection is protected, the port when the URL names none)
SCHEMES = {"smtp+starttls": ("starttls", 587), "smtps": ("tls", 465), "smtp": ("plain", 25)}
FORMS = "smtp+starttls://user:pass@host:587, smtps://user:pass@host:465 or smtp://host:25"


@dataclass(frozen=True)
class SmtpServer:
    security: str  # "starttls", "tls" or "plain"
    host: str
    port: int
    user: str = ""
    password: str = field(default="", repr=False)


def parse_smtp_url(url: str) -> SmtpServer:
    """The relay `url` names, or ValueError saying what is wrong (without repeating the URL)."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError(f"must be {FORMS}")
    security, default_port = SCHEMES[parts.scheme]
    try:
        port = default_port if parts.port is None else parts.port
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise ValueError("has a port that is not a number from 1 to 65535")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"has something after the port; it must be {FORMS}")
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    if password and not user:
        raise ValueError("has a password but no user")
    if user and not password:
        raise ValueError("has a user but no password")
    if user and security == "plain":
        raise ValueError("smtp:// is unencrypted and takes no user: with a login use smtp+starttls:// or smtps://")
    return SmtpServer(security, parts.hostname, port, user, password)
