"""/support/stop/{token}: stop a cohort's messages, or, for the link in an email the support team sent a
registered person (pathways.unsubscribe_service), the support team's emails. GET asks (a link followed
by a mail scanner must not unsubscribe anyone), POST stops them at once, with any link the person was
sent, used or expired. Unknown link 404.

A mail program's one-click unsubscribe (RFC 8058: a POST of `List-Unsubscribe=One-Click` to the
List-Unsubscribe address the invitation email carries) has no form token; it is taken without one,
since the link's own 192-bit token is the secret a forged cross-site post cannot know."""

from __future__ import annotations

from dataclasses import replace

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from core.db import reading, unit_of_work
from core.public.posted_form import FORM_TYPE, read_posted_form
from core.public.refusals import Refused
from core.public.rendering import language_of, render
from core.public.strings import t
from outreach.link_service import invitation_by_token, unsubscribe, unsubscribe_person
from outreach.public.service_identity import identity_of
from outreach.settings_service import public_settings
from pathways.unsubscribe_service import email_link

ONE_CLICK = b"List-Unsubscribe=One-Click"


async def stop_messages(request: Request) -> Response:
    if request.method == "POST" and not await _one_click(request):
        await read_posted_form(request)
    return await run_in_threadpool(_answer, request, request.path_params["token"], request.method == "POST")


async def _one_click(request: Request) -> bool:
    return (request.headers.get("content-type", "").split(";")[0].strip().lower() == FORM_TYPE
            and (await request.body()).strip() == ONE_CLICK)


def _answer(request: Request, token: str, stop: bool) -> Response:
    lang = language_of(request)
    with reading() as session:
        state = invitation_by_token(session, token)
        person = email_link(session, token) if state is None else None
        settings = state.settings if state is not None else (
            public_settings(session, person.incident_id) if person is not None else None)
    if settings is None:
        raise Refused(404)
    stopped = False
    if stop:
        with unit_of_work() as session:
            stopped = unsubscribe(session, token) if state is not None else unsubscribe_person(session, token)
    identity = identity_of(settings, lang)
    if not identity.service_name:  # a service with no public name yet: the person knows it as their team
        identity = replace(identity, service_name=t("stop.person.service", lang))
    return render(request, "outreach/stop.html", identity=identity, stopped=stopped,
                  what="stop" if state is not None else "stop.person")
