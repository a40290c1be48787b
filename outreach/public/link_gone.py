"""What a personal link that no longer opens answers: 404 for a token that was never a link (nothing
to tell someone guessing), 410 with how to get help for one used or expired. `about="feedback"`
words it for a feedback survey's link."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from core.public.refusals import Refused
from core.public.rendering import PageIdentity, render
from outreach.public_errors import UNKNOWN


def link_gone(request: Request, identity: PageIdentity, state: str, *, about: str = "check") -> Response:
    if state == UNKNOWN:
        raise Refused(404)
    return render(request, "outreach/link_unusable.html", identity=identity, status_code=410, state=state,
                  about=about)
