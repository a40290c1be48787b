"""Form tokens (CSRF): every public form carries one in a hidden field, and a post without a good
one is refused (403) before anything in it is read or changed.

A token is `issued.signature`: the Unix time it was issued and an HMAC-SHA256 of the path the form
posts to and that time, under a key derived from STANDUP_SECRET_KEY (core.crypto.signing_keys). No
session and no cookie, so any web server checks it with the shared key alone, and no JavaScript.
It is good for LIFETIME, since a person may leave a page open while they think. It is refused when
it was made for another path (the self-referral form's token opens nobody's wellbeing check),
when it is older than LIFETIME or from the future, or when no configured key signed it (after a
key rotation the previous key's tokens still pass).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta

from core.clock import now
from core.crypto import signing_keys

FIELD = "form_token"
LIFETIME = timedelta(hours=8)
_CLOCK_SKEW_S = 60  # web servers whose clocks differ a little still accept each other's tokens


def _signature(key: bytes, path: str, issued: int) -> str:
    digest = hmac.new(key, f"{path}\n{issued}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue(path: str) -> str:
    """A token for a form that posts to `path`."""
    issued = int(now().timestamp())
    return f"{issued}.{_signature(signing_keys('form token')[0], path, issued)}"


def is_valid(path: str, token: str | None) -> bool:
    issued_text, _, signature = (token or "").partition(".")
    if not (issued_text.isdigit() and len(issued_text) <= 12 and signature):
        return False
    issued = int(issued_text)
    age = now().timestamp() - issued
    if age < -_CLOCK_SKEW_S or age > LIFETIME.total_seconds():
        return False
    return any(hmac.compare_digest(_signature(key, path, issued), signature)
               for key in signing_keys("form token"))
