"""Mobilisation requests: ask an agency's coordinator by SMS how many staff they can send;
their number reply is recorded against the request by the inbound handler."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from incident.model import Incident
from notifications.model import MobilisationRequest
from notifications.outbox import queue_sms

# No incident details: the text may be read on a lock screen by anyone near the phone.
QUESTION = ("Stand Up: {agency}, the police Victim and Witness Hub is asking for staff. "
            "How many can you send? Reply with a number, e.g. 4 (0 if none).")


def request_staff(session: Session, actor: Actor, incident_id: int, agency_id: int) -> MobilisationRequest:
    require(actor, Permission.CALLOUT_RUN)
    if session.get(Incident, incident_id) is None:
        raise InputError(f"No incident {incident_id}.")
    agency = session.get(Agency, agency_id)
    if agency is None or not agency.active:
        raise InputError("Choose an active partner agency.")
    if not agency.coordinator_mobile:
        raise InputError(f"{agency.name} has no coordinator mobile recorded; an administrator can add it "
                         "on the Agencies page.")
    body = QUESTION.format(agency=agency.name)
    request = MobilisationRequest(incident_id=incident_id, agency_id=agency.id, to_mobile=agency.coordinator_mobile,
                                  body=body, requested_at=now(), requested_by_id=actor.user_id)
    session.add(request)
    session.flush()
    queue_sms(session, to=agency.coordinator_mobile, body=body, purpose="mobilisation", incident_id=incident_id,
              mobilisation_id=request.id)
    record(session, actor, "create", "mobilisation_request", request.id, incident_id=incident_id,
           recipient=agency.name)
    return request


def mobilisation_requests(session: Session, actor: Actor, incident_id: int | None) -> list[tuple[MobilisationRequest, str]]:
    """The incident's requests, newest first, each with its agency's name."""
    require(actor, Permission.CALLOUT_RUN)
    return list(session.execute(
        select(MobilisationRequest, Agency.name).join(Agency, Agency.id == MobilisationRequest.agency_id)
        .where(MobilisationRequest.incident_id == incident_id).order_by(MobilisationRequest.id.desc())
    ).all())
