"""The addresses of outreach's public pages behind a personal link (its token: core.public.link_tokens)."""

from __future__ import annotations

CHECK_PATH, STOP_PATH = "/support/check/", "/support/stop/"


def check_url(base_url: str, token: str) -> str:
    """The wellbeing check behind the link (the public page /support/check/{token})."""
    return base_url.rstrip("/") + CHECK_PATH + token


def stop_url(base_url: str, token: str) -> str:
    """Unsubscribing from the messages the link came with (the public page /support/stop/{token})."""
    return base_url.rstrip("/") + STOP_PATH + token
