"""Twilio's webhooks as plain Starlette routes: POST /twilio/sms (an inbound SMS; TwiML reply) and
POST /twilio/status (a status callback; 204).

Each request must be a form post no larger than MAX_BODY_BYTES, signed with
X-Twilio-Signature over PUBLIC_BASE_URL + path (+ query) with TWILIO_AUTH_TOKEN; anything else
is refused before the database is touched. With no auth token configured (console backend)
every webhook is refused: there is nothing to check a signature against. Once the form is read,
the work is the services': notifications.inbound_service for an SMS,
notifications.delivery_service for a status callback.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from core.db import unit_of_work
from core.settings import get_settings
from notifications.delivery_rules import provider_status
from notifications.delivery_service import record_status_callback
from notifications.inbound_service import handle_inbound

log = logging.getLogger("standup.notifications.webhooks")

MAX_BODY_BYTES = 16_384  # Twilio's inbound form is about 1 KB; 1,600 characters of emoji fit easily
FORM = "application/x-www-form-urlencoded"
_SID = re.compile(r"[A-Za-z0-9]{2,64}")
# Twilio's error codes are five digits; our row ids fit a 32-bit integer. Anything else is noise
# (and a longer number would overflow PostgreSQL's integer column).
_ERROR_CODE = re.compile(r"[0-9]{1,6}")
_REF = re.compile(r"[0-9]{1,9}")


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def _signed_form(request: Request) -> dict[str, str]:
    """The posted form, once it is known to come from Twilio; Refused otherwise."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
        raise Refused(415, "expected an application/x-www-form-urlencoded post")
    declared = request.headers.get("content-length")
    if declared is not None and (not re.fullmatch(r"[0-9]{1,12}", declared) or int(declared) > MAX_BODY_BYTES):
        raise Refused(413, "request body too large")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise Refused(413, "request body too large")
    try:
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise Refused(400, "the form is not UTF-8") from None
    settings = get_settings()
    signature = request.headers.get("x-twilio-signature", "")
    url = settings.public_base_url + request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not (settings.twilio_auth_token and signature
            and RequestValidator(settings.twilio_auth_token).validate(url, form, signature)):
        raise Refused(403, "invalid or missing X-Twilio-Signature")
    return form


def _twiml(text: str) -> Response:
    inner = f"<Message>{escape(text)}</Message>" if text else ""
    return Response(f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>',
                    media_type="application/xml")


def _receive(form: dict[str, str]) -> str:
    with unit_of_work() as session:
        return handle_inbound(session, sid=form["MessageSid"], from_=form.get("From", ""),
                              to=form.get("To", ""), body=form.get("Body", "")).reply


async def inbound_sms(request: Request) -> Response:
    try:
        form = await _signed_form(request)
    except Refused as refused:
        log.warning("refused /twilio/sms: %s", refused)
        return PlainTextResponse(str(refused), status_code=refused.status)
    if not _SID.fullmatch(form.get("MessageSid", "")):
        return PlainTextResponse("MessageSid missing or malformed", status_code=400)
    return _twiml(await run_in_threadpool(_receive, form))


def _record_status(form: dict[str, str], ref: str | None) -> bool:
    """Record one status callback; True when a row changed. A form no message of ours could
    match (an unknown status word, a malformed SID) is ignored without opening the database."""
    status = provider_status(form.get("MessageStatus", ""))
    sid = form.get("MessageSid", "")
    if status is None or not _SID.fullmatch(sid):
        return False
    error = form.get("ErrorCode", "")
    error_code = int(error) if _ERROR_CODE.fullmatch(error) else None
    message_id = int(ref) if ref and _REF.fullmatch(ref) else None
    with unit_of_work() as session:
        return record_status_callback(session, sid, status, error_code, message_id)


async def status_callback(request: Request) -> Response:
    try:
        form = await _signed_form(request)
    except Refused as refused:
        log.warning("refused /twilio/status: %s", refused)
        return PlainTextResponse(str(refused), status_code=refused.status)
    await run_in_threadpool(_record_status, form, request.query_params.get("ref"))
    return Response(status_code=204)


ROUTES = [
    Route("/twilio/sms", inbound_sms, methods=["POST"]),
    Route("/twilio/status", status_callback, methods=["POST"]),
]
