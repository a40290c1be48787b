"""Mobilisation requests: ask an agency's coordinator by SMS how many staff they can send;
their number reply is recorded against the request by the inbound handler.

Decisions:
- Each request carries a code, like a call-out, quoted back with the number ("4 K7QX").
- A bare number answers the agency's open (unanswered) request. With requests open in more
  than one incident, it is not guessed (a live answer must not land on an exercise request):
  the coordinator is asked to reply with the code. Several open in one incident: the newest,
  since the hub manager asked again.
- A code names one request of that agency, answered or not: a second answer corrects the
  first, and is flagged, as the hub manager may have planned on the first number.
- A bare number with nothing open changes nothing and is shown to the hub manager.
- Exercise requests say EXERCISE first, so nobody sends staff to a drill by mistake (the
  outbox marks every exercise message; the request keeps the text as sent).
- The text names the hub and from when staff are needed, when the hub manager gives them (a
  coordinator cannot plan a rota on "how many can you send?"); never the incident.
- A coordinator may answer on Stand Up's Staff requests page as well as by SMS: the same record,
  the same audit, the same correction flag.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, require, require_agency
from core.clock import now, show
from core.errors import InputError
from incident.queries import hub_facts, incident_facts, incident_names, is_exercise
from notifications.exercise_texts import as_sent
from notifications.model import MobilisationRequest
from notifications.outbox_service import queue_sms
from notifications.reply_codes import fresh_code

MAX_OFFER = 500


def question(code: str, agency: str, hub: str | None = None, needed_from: datetime | None = None) -> str:
    """The request as texted. No incident details: it may be read on a lock screen by anyone near the phone."""
    where = f" at {hub}" if hub else ""
    when = f" from {show(needed_from, '%H:%M on %a %d %b')}" if needed_from else ""
    return (f"Stand Up request {code}: {agency}, the police Victim and Witness Hub is asking for staff{where}{when}. "
            f"How many can you send? Reply with a number and the code, e.g. 4 {code} (0 {code} if none).")


def request_staff(session: Session, actor: Actor, incident_id: int, agency_id: int, *, hub_id: int | None = None,
                  needed_from: datetime | None = None, rng: random.Random | None = None) -> MobilisationRequest:
    require(actor, Permission.CALLOUT_RUN)
    incident = incident_facts(session, incident_id)
    if incident is None:
        raise InputError(f"No incident {incident_id}.")
    hub = hub_facts(session, hub_id) if hub_id is not None else None
    if hub_id is not None and (hub is None or hub.incident_id != incident_id):
        raise InputError("Choose one of this incident's hubs.")
    if needed_from is not None and needed_from < now() - timedelta(hours=1):
        raise InputError("Staff cannot be needed from a time already past; give when they should arrive.")
    agency = session.get(Agency, agency_id)
    if agency is None or not agency.active:
        raise InputError("Choose an active partner agency.")
    if not agency.coordinator_mobile:
        raise InputError(f"{agency.name} has no coordinator mobile recorded; an administrator can add it "
                         "on the Agencies page.")
    code = fresh_code(session, rng)
    body = as_sent(question(code, agency.name, hub.name if hub else None, needed_from), is_exercise=incident.is_exercise)
    request = MobilisationRequest(incident_id=incident_id, code=code, agency_id=agency.id,
                                  to_mobile=agency.coordinator_mobile, body=body, requested_at=now(),
                                  requested_by_id=actor.user_id)
    session.add(request)
    session.flush()
    queue_sms(session, to=agency.coordinator_mobile, body=body, purpose="mobilisation", incident_id=incident_id,
              mobilisation_id=request.id)
    record(session, actor, "create", "mobilisation_request", request.id, incident_id=incident_id,
           recipient=agency.name)
    return request


@dataclass(frozen=True)
class OfferOutcome:
    reply: str
    outcome: str  # for the hub manager, on the inbound row
    request: MobilisationRequest | None  # the request it was recorded against
    needs_attention: bool


def _open_requests(session: Session, agency_id: int) -> list[MobilisationRequest]:
    """Per incident, the agency's newest unanswered request; newest first."""
    newest: dict[int, MobilisationRequest] = {}
    for request in session.scalars(select(MobilisationRequest).where(
            MobilisationRequest.agency_id == agency_id, MobilisationRequest.answered_at.is_(None))
            .order_by(MobilisationRequest.id.desc())):
        newest.setdefault(request.incident_id, request)
    return list(newest.values())


def _record_offer(session: Session, actor: Actor, request: MobilisationRequest, offered: int) -> int | None:
    """The agency's number against its request; the number it replaces, if it answered before."""
    earlier = request.offered if request.answered_at is not None else None
    request.offered, request.answered_at = offered, now()
    record(session, actor, "answer", "mobilisation_request", request.id, incident_id=request.incident_id,
           detail=f"offered {offered}" + (f" (was {earlier})" if earlier is not None else ""))
    return earlier


def offer_by_sms(session: Session, actor: Actor, agency: Agency, offered: int, code: str | None) -> OfferOutcome:
    """A coordinator texted a number of staff (and maybe a request's code)."""
    if code:
        request = session.scalar(select(MobilisationRequest).where(MobilisationRequest.code == code,
                                                                   MobilisationRequest.agency_id == agency.id))
        if request is None:
            return OfferOutcome(f"We have no request {code} for your agency. Check the code in our message.",
                                "offer: unknown code", None, True)
    else:
        open_now = _open_requests(session, agency.id)
        if not open_now:
            return OfferOutcome("Thank you. We have no open request for staff from your agency; the hub manager "
                                "will see this.", "offer without a request", None, True)
        if len(open_now) > 1:
            codes = ", ".join(r.code or "no code" for r in open_now[:4])
            example = next((r.code for r in open_now if r.code), "K7QX")
            return OfferOutcome(f"Your agency has {len(open_now)} open requests for staff ({codes}). Reply with the "
                                f"number and the code from the message you are answering, e.g. {offered} {example}.",
                                "ambiguous: no code", None, False)
        request = open_now[0]
    earlier = _record_offer(session, actor, request, offered)
    label = f" for {request.code}" if request.code else ""
    if earlier is not None:
        return OfferOutcome(f"Thank you: changed from {earlier} to {offered} staff{label}. The hub manager will "
                            "confirm where and when.", f"offer changed {earlier} -> {offered}", request, True)
    return OfferOutcome(f"Thank you: {offered} staff offered{label}. The hub manager will confirm where and when.",
                        f"offer of {offered}", request, False)


def mobilisation_requests(session: Session, actor: Actor, incident_id: int | None) -> list[tuple[MobilisationRequest, str]]:
    """The incident's requests, newest first, each with its agency's name."""
    require(actor, Permission.CALLOUT_RUN)
    return list(session.execute(
        select(MobilisationRequest, Agency.name).join(Agency, Agency.id == MobilisationRequest.agency_id)
        .where(MobilisationRequest.incident_id == incident_id).order_by(MobilisationRequest.id.desc())
    ).all())


@dataclass(frozen=True)
class AgencyRequest:
    request: MobilisationRequest
    incident_name: str
    is_exercise: bool


def requests_for_my_agency(session: Session, actor: Actor) -> list[AgencyRequest]:
    """The coordinator's agency's requests, newest first: those waiting for an answer first."""
    require(actor, Permission.MOBILISATION_ANSWER)
    if actor.agency_id is None:
        raise InputError("This account belongs to no agency; an administrator sets it on the Users page.")
    rows = list(session.scalars(select(MobilisationRequest).where(MobilisationRequest.agency_id == actor.agency_id)
                                .order_by(MobilisationRequest.answered_at.is_not(None), MobilisationRequest.id.desc())
                                .limit(100)))
    names = incident_names(session, {r.incident_id for r in rows})
    exercises = {i for i in names if is_exercise(session, i)}
    return [AgencyRequest(r, names.get(r.incident_id, ""), r.incident_id in exercises) for r in rows]


def answer_request(session: Session, actor: Actor, request_id: int, offered: int) -> MobilisationRequest:
    """A coordinator answers on the page rather than by SMS: recorded exactly as a texted number."""
    require(actor, Permission.MOBILISATION_ANSWER)
    request = session.get(MobilisationRequest, request_id)
    if request is None:
        raise InputError(f"No request {request_id}.")
    require_agency(actor, request.agency_id)
    if not 0 <= offered <= MAX_OFFER:
        raise InputError(f"Offer between 0 and {MAX_OFFER} staff.")
    _record_offer(session, actor, request, offered)
    return request
