"""An email as it leaves: what one must carry before it is queued, and the message built from an
outbox row (a plain-text body, the same as HTML, the headers).

Who it is for rides in the row's payload: `audience` is "public" (the default: anyone Stand Up did
not employ or call on) or "staff" (responders, coordinators, partner agencies' duty managers,
written to for their work). Every email to the public carries a one-click unsubscribe (RFC 8058):
`List-Unsubscribe: <https://…>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, from the
payload's `unsubscribe_url`, and the same link at the foot of both bodies; one without it is
refused when queued. Defaulting to "public" means a sender who forgets to say cannot skip the link.

The HTML body is the plain text escaped, in paragraphs, its web addresses made links: nothing is
fetched from elsewhere when it is opened (no images, fonts or style sheets), so opening it tells
no one anything and looks the same everywhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit

from notifications.channels.registry import Outgoing

AUDIENCE = "audience"
PUBLIC, STAFF = "public", "staff"
UNSUBSCRIBE_URL = "unsubscribe_url"
MAX_SUBJECT = 200  # the outbox column
MAX_URL = 900  # "List-Unsubscribe: <…>" must stay inside SMTP's 998-character line
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})  # a demo's own machine: no one else reads it

# Headers within 78 characters and bodies in 7-bit (quoted-printable where needed), so every
# relay takes them; raw headers (set_raw) are written exactly as given.
SEVEN_BIT = policy.SMTP.clone(cte_type="7bit", refold_source="none")
_URL = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")


def check_email(subject: str | None, payload: Mapping[str, object]) -> None:
    """ValueError saying why this email cannot be queued as it stands."""
    if not subject:
        raise ValueError("An email needs a subject.")
    if len(subject) > MAX_SUBJECT or any(ord(c) < 32 for c in subject):
        raise ValueError(f"An email's subject is one line of at most {MAX_SUBJECT} characters.")
    audience = payload.get(AUDIENCE, PUBLIC)
    if audience not in (PUBLIC, STAFF):
        raise ValueError(f"An email's audience is {PUBLIC!r} or {STAFF!r}, not {audience!r}.")
    url = payload.get(UNSUBSCRIBE_URL)
    if audience == PUBLIC and not url:
        raise ValueError("An email to the public needs an unsubscribe link (unsubscribe_url), so the "
                         "person can stop these emails in one click.")
    if url is not None:
        _check_unsubscribe_url(url)


def _check_unsubscribe_url(url: object) -> None:
    parts = urlsplit(url) if isinstance(url, str) else None
    if (parts is None or not parts.hostname or len(url) > MAX_URL or _URL.fullmatch(url) is None
            or not (parts.scheme == "https" or parts.scheme == "http" and parts.hostname in LOOPBACK)):
        # RFC 8058: mail providers act on an HTTPS link only.
        raise ValueError(f"An email's unsubscribe link must be an https:// address of at most {MAX_URL} "
                         "characters without spaces.")


def compose(message: Outgoing, sender: tuple[str, str], sid: str, sent_at: datetime) -> EmailMessage:
    """The email for an outbox row. `sender` is (name, address) from EMAIL_FROM; `sid` names the
    message: its Message-ID is <sid@the sender's domain>, the same id the outbox keeps."""
    name, address = sender
    mail = EmailMessage(policy=SEVEN_BIT)
    mail["From"] = Address(display_name=name, addr_spec=address)
    mail["To"] = message.to
    mail["Subject"] = message.subject or ""
    mail["Date"] = format_datetime(sent_at)
    mail["Message-ID"] = f"<{sid}@{address.rpartition('@')[2]}>"
    text = message.body
    unsubscribe = message.payload.get(UNSUBSCRIBE_URL)
    if unsubscribe:
        # Raw: the policy would fold a long link into encoded words no mail provider reads.
        mail.set_raw("List-Unsubscribe", f"<{unsubscribe}>")
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        text += f"\n\nTo stop these emails: {unsubscribe}"
    mail.set_content(text)
    mail.add_alternative(html_body(text, message.subject or ""), subtype="html")
    return mail


def html_body(text: str, title: str) -> str:
    """The plain text as a small HTML page: escaped, a paragraph per blank-line break, lines kept,
    web addresses linked."""
    paragraphs = "\n".join(f"<p>{_marked_up(p.strip())}</p>" for p in re.split(r"\n\s*\n", text.strip()) if p.strip())
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n</head>\n"
            f'<body style="font-family: sans-serif; line-height: 1.4;">\n{paragraphs}\n</body>\n</html>\n')


def _marked_up(paragraph: str) -> str:
    pieces, at = [], 0
    for link in _URL.finditer(paragraph):
        url = html.escape(link.group())
        pieces += [html.escape(paragraph[at:link.start()]), f'<a href="{url}">{url}</a>']
        at = link.end()
    pieces.append(html.escape(paragraph[at:]))
    return "".join(pieces).replace("\n", "<br>\n")
