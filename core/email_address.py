"""Email addresses: what we can send to, stored lower case ("jo.smith@example.org").

Only an address any mail server on the internet can route is accepted: a local part of plain
characters, an `@`, and a domain with a dot (`jo@localhost` and `jo@[192.0.2.1]` are refused). An
international domain is kept in its ASCII (punycode) form, which every relay takes; a local part
outside ASCII would need SMTPUTF8 from every server on the way, so it is refused rather than bounced.
"""

from __future__ import annotations

import re

# RFC 5322 dot-atom: these characters, dots only between them.
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")
MAX_LENGTH = 254  # the longest address a forward path can carry (RFC 5321 with its erratum)


def normalise_email(text: str) -> str:
    """The address in `text`, lower case, or ValueError saying why mail cannot go to it."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValueError("no address given")
    if any(c.isspace() or ord(c) < 32 for c in cleaned):
        raise ValueError(f"{cleaned!r} has a space or control character in it; an address has none")
    local, at, domain = cleaned.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"{cleaned!r} is not an email address (it needs a name, an @ and a domain)")
    if "@" in local:
        raise ValueError(f"{cleaned!r} has more than one @")
    if not local.isascii():
        raise ValueError(f"{cleaned!r} has letters outside plain ASCII before the @, which many mail "
                         "servers cannot take")
    if not _LOCAL_PART.fullmatch(local) or len(local) > 64:
        raise ValueError(f"{cleaned!r} has a name before the @ that mail cannot be sent to "
                         "(at most 64 letters, digits and .!#$%&'*+/=?^_`{|}~-, no leading, trailing or double dot)")
    address = f"{local.lower()}@{_domain(cleaned, domain)}"
    if len(address) > MAX_LENGTH:
        raise ValueError(f"{cleaned!r} is longer than the {MAX_LENGTH} characters an address may have")
    return address


def _domain(cleaned: str, domain: str) -> str:
    if domain.startswith("["):
        raise ValueError(f"{cleaned!r} names a server by its IP address; use an address with a domain name")
    try:
        ascii_domain = domain.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValueError(f"{cleaned!r} has a domain that cannot be written for mail") from None
    labels = ascii_domain.split(".")
    if len(labels) < 2:
        raise ValueError(f"{cleaned!r} has no dotted domain after the @ (e.g. example.org), so it cannot be "
                         "reached from the internet")
    if not all(_LABEL.fullmatch(label) and len(label) <= 63 for label in labels):
        raise ValueError(f"{cleaned!r} has a domain with an empty part or a character a domain cannot have")
    if labels[-1].isdigit():
        raise ValueError(f"{cleaned!r} ends in a number, not a domain such as .org or .uk")
    return ascii_domain


def mailbox(text: str) -> tuple[str, str]:
    """(the name shown to readers, the address) in "support@force.police.uk" or
    "Victim Support <support@force.police.uk>"; ValueError when it is neither."""
    name, bracket, rest = (text or "").partition("<")
    if not bracket:
        return "", normalise_email(text)
    address, closing, after = rest.partition(">")
    if not closing or after.strip() or ">" in name or any(ord(c) < 32 for c in name):
        raise ValueError(f"{text!r} is neither an address nor a name followed by an address in <>")
    return name.strip(), normalise_email(address)


def mask_email(address: str) -> str:
    """An address with most of its name hidden: "jo.smith@example.org" -> "j***h@example.org".
    For screens and logs that must not show it whole."""
    local, at, domain = address.rpartition("@")
    if not at or not local:
        raise ValueError(f"{address!r} is not an email address")
    shown = local[0] + "***" + (local[-1] if len(local) > 2 else "")
    return f"{shown}@{domain}"
