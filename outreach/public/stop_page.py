"""/support/stop/{token}: stop a cohort's messages (the link of an invitation, or of an update emailed to
the cohort), or, from the link in an email the support team sent a registered person, the support
team's emails (pathways.unsubscribe_service). GET asks (a link followed by a mail scanner must not
unsubscribe anyone), POST stops them at once, with any link the person was sent, used or expired.
Unknown link 404.

A mail program's one-click unsubscribe (RFC 8058: a POST of `List-Unsubscribe=One-Click` to the
List-Unsubscribe address the invitation email carries) has no form token; it is taken without one,
since the link's own 192-bit token is the secret a forged cross-site post cannot know."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from core.db import reading, unit_of_work
from core.public.posted_form import FORM_TYPE, read_posted_form
from core.public.refusals import Refused
from core.public.rendering import language_of, render
from core.public.strings import t
from core.request_threads import in_thread
from outreach.link_service import invitation_by_token, unsubscribe, unsubscribe_person, update_link_incident
from outreach.public.service_identity import identity_of
from outreach.settings_service import PublicSettings, public_settings
from pathways.unsubscribe_service import email_link

ONE_CLICK = b"List-Unsubscribe=One-Click"


async def stop_messages(request: Request) -> Response:
    if request.method == "POST" and not await _one_click(request):
        await read_posted_form(request)
    return await in_thread(_answer, request, request.path_params["token"], request.method == "POST")


async def _one_click(request: Request) -> bool:
    return (request.headers.get("content-type", "").split(";")[0].strip().lower() == FORM_TYPE
            and (await request.body()).strip() == ONE_CLICK)


def _link(session: Session, token: str) -> tuple[str, PublicSettings | None] | None:
    """What the link stops ("stop": a cohort's messages; "stop.person": a registered person's emails from
    the support team) and the incident's public settings; None for anything else."""
    if (state := invitation_by_token(session, token)) is not None:
        return "stop", state.settings
    if (incident_id := update_link_incident(session, token)) is not None:
        return "stop", public_settings(session, incident_id)
    if (person := email_link(session, token)) is not None:
        return "stop.person", public_settings(session, person.incident_id)
    return None


def _answer(request: Request, token: str, stop: bool) -> Response:
    lang = language_of(request)
    with reading() as session:
        link = _link(session, token)
    if link is None or link[1] is None:
        raise Refused(404)
    what, settings = link
    stopped = False
    if stop:
        with unit_of_work() as session:
            stopped = unsubscribe(session, token) if what == "stop" else unsubscribe_person(session, token)
    identity = identity_of(settings, lang)
    if not identity.service_name:  # a service with no public name yet: the person knows it as their team
        identity = replace(identity, service_name=t("stop.person.service", lang))
    return render(request, "outreach/stop.html", identity=identity, stopped=stopped, what=what)
