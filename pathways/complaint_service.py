"""Complaints (Victims' Code right 12): recorded, encrypted, and answered."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.typed_text import free_text
from pathways.lookups import person_or_refuse, row_or_refuse
from pathways.model import Complaint


def record_complaint(session: Session, actor: Actor, person_id: int, summary: str) -> Complaint:
    require(actor, Permission.PEOPLE_EDIT)
    person = person_or_refuse(session, actor, person_id)
    if not summary.strip():
        raise InputError("Write down what the complaint is about.")
    complaint = Complaint(incident_id=person.incident_id, person_id=person.id, summary=free_text(summary, "The complaint"),
                          received_at=now(), recorded_by_id=actor.user_id)
    session.add(complaint)
    session.flush()
    record(session, actor, "create", "complaint", complaint.id, incident_id=person.incident_id,
           detail="fields: summary")
    return complaint


def answer_complaint(session: Session, actor: Actor, complaint_id: int, answer: str) -> Complaint:
    require(actor, Permission.PEOPLE_EDIT)
    complaint = row_or_refuse(session, actor, Complaint, complaint_id, "complaint")
    if complaint.status == "answered":
        raise InputError("This complaint has already been answered.")
    if not answer.strip():
        raise InputError("Write the answer given to the person.")
    complaint.status, complaint.answer = "answered", free_text(answer, "The answer")
    complaint.answered_at, complaint.answered_by_id = now(), actor.user_id
    record(session, actor, "answer", "complaint", complaint.id, incident_id=complaint.incident_id,
           detail="fields: status, answer")
    return complaint
