"""Twilio's webhooks as plain Starlette routes: POST /twilio/sms (an inbound SMS; empty TwiML),
POST /twilio/status (a status callback; 204), and for call-out calls POST /twilio/voice/callout
(the call is answered: TwiML that asks for a key), POST /twilio/voice/gather (a key was pressed:
TwiML that says what it did) and POST /twilio/voice/status (a call's status callback; 204).

Each request must be a form post no larger than MAX_BODY_BYTES, signed with
X-Twilio-Signature over PUBLIC_BASE_URL + path (+ query) with TWILIO_AUTH_TOKEN; anything else
is refused before the database is touched. With no auth token configured (console backend)
every webhook is refused: there is nothing to check a signature against. Once the form is read,
the work is the services': notifications.inbound_service for an SMS (stored for the worker,
which answers through the outbox: the webhook answers at once with empty TwiML),
notifications.voice_service for a call (answered in the call's own TwiML, so handled while the
caller waits), notifications.delivery_service for a status callback.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from functools import lru_cache, wraps
from urllib.parse import parse_qsl, urlencode, urlparse
from xml.sax.saxutils import escape

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator, add_port, remove_port

from core.db import get_engine, one_statement, unit_of_work
from core.group_commit import GroupCommit
from core.request_threads import in_thread
from core.settings import get_settings
from notifications import call_script
from notifications.call_script import Turn
from notifications.channels.voice import ANSWERED_PATH, STATUS_PATH
from notifications.delivery_rules import call_status, provider_status
from notifications.delivery_service import record_status_callback
from notifications.inbound_service import Delivered, accept_inbound
from notifications.model import OutboundStatus
from notifications.voice_service import key_press_sid, opening, take_key_press

log = logging.getLogger("standup.notifications.webhooks")

MAX_BODY_BYTES = 16_384  # Twilio's inbound form is about 1 KB; 1,600 characters of emoji fit easily
FORM = "application/x-www-form-urlencoded"
_SID = re.compile(r"[A-Za-z0-9]{2,64}")
# Twilio's error codes are five digits; our row ids fit a 32-bit integer. Anything else is noise
# (and a longer number would overflow PostgreSQL's integer column).
_ERROR_CODE = re.compile(r"[0-9]{1,6}")
_REF = re.compile(r"[0-9]{1,9}")
# A CallSid, short enough that the key press's SID derived from it fits the column (voice_service).
_CALL_SID = re.compile(rf"[A-Za-z0-9]{{2,{64 - len(key_press_sid(''))}}}")


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
    query = request.scope["query_string"].decode("latin-1")
    url = settings.public_base_url + request.scope["path"] + (f"?{query}" if query else "")
    if not (settings.twilio_auth_token and signature and _signed(settings.twilio_auth_token, url, form, signature)):
        raise Refused(403, "invalid or missing X-Twilio-Signature")
    return form


def _signed(token: str, url: str, form: dict[str, str], signature: str) -> bool:
    """What the SDK's RequestValidator.validate decides for a form post (Twilio signs the URL with
    its port or without), at half the work: the signature with the port is computed only when the
    one without does not match, and compared in constant time by the standard library."""
    validator = _validator(token)
    return any(hmac.compare_digest(validator.compute_signature(signed_url, form).encode(), signature.encode())
               for signed_url in _as_twilio_may_sign(url))


@lru_cache(maxsize=4)
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


@lru_cache(maxsize=256)
def _as_twilio_may_sign(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    return remove_port(parsed), add_port(parsed)


def twilio_signed(handler: Callable[[Request, dict[str, str]], Awaitable[Response]]):
    """A route that runs `handler(request, form)` once the form is known to come from Twilio, and
    refuses anything else before the database is touched."""
    @wraps(handler)
    async def route(request: Request) -> Response:
        try:
            form = await _signed_form(request)
        except Refused as refused:
            log.warning("refused %s: %s", request.url.path, refused)
            return PlainTextResponse(str(refused), status_code=refused.status)
        return await handler(request, form)

    return route


def _twiml(text: str) -> Response:
    inner = f"<Message>{escape(text)}</Message>" if text else ""
    return Response(f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>',
                    media_type="application/xml")


@twilio_signed
async def inbound_sms(request: Request, form: dict[str, str]) -> Response:
    if not _SID.fullmatch(form.get("MessageSid", "")):
        return PlainTextResponse("MessageSid missing or malformed", status_code=400)
    await _STORE.submit(get_engine(), Delivered(form["MessageSid"], form.get("From", ""), form.get("To", ""),
                                                form.get("Body", "")))
    return _twiml("")  # the worker answers, through the outbox


def _record_statuses(session: Session, callbacks: Sequence[tuple]) -> list[bool]:
    return [record_status_callback(session, *callback) for callback in callbacks]


# The webhooks arriving together share a transaction and a commit (core.group_commit); each is
# answered once its own write is committed. A round of thousands of texts brings two or three
# status callbacks each.
_STORE = GroupCommit(accept_inbound, "inbound SMS stored", unit=one_statement)
_STATUSES = GroupCommit(_record_statuses, "status callbacks")


async def _record_status(sid: str, status: OutboundStatus | None, error: str, ref: str | None, note: str = "") -> None:
    """Record one status callback. A form no message of ours could match (an unknown status word, a
    malformed SID) is ignored without opening the database."""
    if status is None or not _SID.fullmatch(sid):
        return
    error_code = int(error) if _ERROR_CODE.fullmatch(error) else None
    message_id = int(ref) if ref and _REF.fullmatch(ref) else None
    await _STATUSES.submit(get_engine(), (sid, status, error_code, message_id, note))


@twilio_signed
async def status_callback(request: Request, form: dict[str, str]) -> Response:
    await _record_status(form.get("MessageSid", ""), provider_status(form.get("MessageStatus", "")),
                         form.get("ErrorCode", ""), request.query_params.get("ref"))
    return Response(status_code=204)


# ---------------------------------------------------------------------------------------
# Call-out calls: each URL carries our outbox row id as `ref` (notifications.channels.voice).

GATHER_PATH = "/twilio/voice/gather"


def _voice_twiml(turn: Turn, ref: int) -> Response:
    base = get_settings().public_base_url
    xml = call_script.twiml(turn, lambda attempt: f"{base}{GATHER_PATH}?{urlencode({'ref': ref, 'attempt': attempt})}")
    return Response(xml, media_type="application/xml")


def _call_ref(request: Request) -> int | None:
    ref = request.query_params.get("ref", "")
    return int(ref) if _REF.fullmatch(ref) else None


def _opening(ref: int) -> Turn:
    with unit_of_work() as session:
        return opening(session, ref)


@twilio_signed
async def call_answered(request: Request, form: dict[str, str]) -> Response:
    ref = _call_ref(request)
    if ref is None:
        return PlainTextResponse("ref missing or malformed", status_code=400)
    return _voice_twiml(await in_thread(_opening, ref), ref)


def _asking(request: Request) -> int:
    """Which asking a key answered; anything odd counts as the last, so a call never loops."""
    attempt = request.query_params.get("attempt", "")
    return int(attempt) if attempt in {str(n) for n in range(1, call_script.ASKS + 1)} else call_script.ASKS


def _key_pressed(form: dict[str, str], ref: int, attempt: int) -> Turn:
    with unit_of_work() as session:
        return take_key_press(session, call_sid=form["CallSid"], message_id=ref, digits=form.get("Digits", ""),
                              attempt=attempt, caller=form.get("From", ""))


@twilio_signed
async def key_pressed(request: Request, form: dict[str, str]) -> Response:
    ref = _call_ref(request)
    if ref is None or not _CALL_SID.fullmatch(form.get("CallSid", "")):
        return PlainTextResponse("ref or CallSid missing or malformed", status_code=400)
    return _voice_twiml(await in_thread(_key_pressed, form, ref, _asking(request)), ref)


@twilio_signed
async def call_status_callback(request: Request, form: dict[str, str]) -> Response:
    status, note = call_status(form.get("CallStatus", "")) or (None, "")
    await _record_status(form.get("CallSid", ""), status, form.get("ErrorCode", ""), request.query_params.get("ref"),
                         note)
    return Response(status_code=204)


ROUTES = [
    Route("/twilio/sms", inbound_sms, methods=["POST"]),
    Route("/twilio/status", status_callback, methods=["POST"]),
    Route(ANSWERED_PATH, call_answered, methods=["POST"]),
    Route(GATHER_PATH, key_pressed, methods=["POST"]),
    Route(STATUS_PATH, call_status_callback, methods=["POST"]),
]
