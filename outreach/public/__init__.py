"""The outreach domain's public pages (DEVELOPING.md, "Public pages"): the wellbeing check behind a
personal link (/support/check/{token}), self-referral (/support/refer) and unsubscribing
(/support/stop/{token}). ROUTES is what `standup/routes.py` serves inside core.public's guards."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Route

import core.public

core.public.include(Path(__file__).resolve().parent)

from outreach.public.check_page import wellbeing_check  # noqa: E402  (its templates and words first)
from outreach.public.referral_page import self_referral  # noqa: E402
from outreach.public.stop_page import stop_messages  # noqa: E402

ROUTES = [
    Route("/check/{token}", wellbeing_check, methods=["GET", "POST"]),
    Route("/refer", self_referral, methods=["GET", "POST"]),
    Route("/stop/{token}", stop_messages, methods=["GET", "POST"]),
]
