"""How long affected people's records are kept, and what goes when the period ends.

The clock starts when a person's involvement has ended: the later of their case being closed
(discharge) and the incident standing down (or being cancelled). An open case, or any case of
an incident still live, is never touched: people come back (a 12-month rescreen, an inquest).
A merged duplicate follows the record it was merged into.

Everything is anonymised, not deleted: the rows stay so the inquiry's and researchers' counts
(people by role and area, screens, positives, clinicians' decisions, referrals against the
Victims' Code deadline, complaints answered) still add up; what goes is every free-text note,
every clinical measurement, and every identifying or contact detail. Health content is kept a
shorter time than identity (the clinical record proper is the NHS trust's, not ours); identity
for six years, the Limitation Act 1980 period for a claim about the support given. Once a person
is anonymised nothing of their health content is kept, whatever its own period says.
The erasure log (core.retention) holds which row, when and under which rule — never content.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.audit.service import erase_notes_about
from core.db import in_chunks
from core.retention import RetentionRule, not_yet_logged
from incident.queries import incident_ids_closed_before
from pathways.model import (
    Complaint,
    DuplicateDecision,
    Enrolment,
    FamilyLink,
    InformTask,
    NeedsAssessment,
    Person,
    PersonReply,
    PlanReview,
    Referral,
    SafetyAlert,
    Screening,
    StageEvent,
    SupportAction,
    VictimRights,
    WitnessCare,
)

ERASED = "[erased]"
HEALTH_DAYS, IDENTITY_DAYS = 3 * 365, 6 * 365
SINCE = "after the case closed and the incident stood down"


def is_erased(person: Person) -> bool:
    return person.family_name == ERASED


def _people_due(cutoff: datetime):
    """Ids of people whose case closed, and whose incident stood down, before the cutoff — with
    every record merged into them, at any depth."""
    roots = (select(Person.id.label("id"))
             .where(Person.merged_into_id.is_(None), Person.status == "discharged",
                    Person.discharged_at < cutoff, Person.incident_id.in_(incident_ids_closed_before(cutoff)))
             .cte("retention_people", recursive=True))
    tree = roots.union_all(select(Person.id).where(Person.merged_into_id == roots.c.id))
    return select(tree.c.id)


def _content_rule(record_type: str, days: int, describe: str, id_column: InstrumentedAttribute, person_column,
                  blank: dict[str, object]) -> RetentionRule:
    """A person's rows of one kind whose content goes: due by its own period, or at once when the
    person has been anonymised."""
    model = id_column.class_

    def due(session: Session, cutoff: datetime) -> list[object]:
        anonymised = select(Person.id).where(Person.family_name == ERASED)
        return list(session.scalars(select(id_column).where(
            or_(person_column.in_(_people_due(cutoff)), person_column.in_(anonymised)),
            not_yet_logged(record_type, id_column)).order_by(id_column)))

    def apply(session: Session, ids: Sequence[object]) -> None:
        for chunk in in_chunks(ids):
            session.execute(update(model).where(id_column.in_(chunk)).values(**blank))

    return RetentionRule(record_type, days, "anonymised", f"{describe}, {SINCE}", due, apply)


def _people_due_ids(session: Session, cutoff: datetime) -> list[int]:
    return list(session.scalars(select(Person.id).where(
        Person.id.in_(_people_due(cutoff)), not_yet_logged("people", Person.id)).order_by(Person.id)))


def _anonymise_people(session: Session, ids: Sequence[int]) -> None:
    """Identity and contact details go, and the links that tie the person to other people; what the
    counts need stays (incident, roles, source, nation, force area, flags, status and dates)."""
    for chunk in in_chunks(ids):
        session.execute(update(Person).where(Person.id.in_(chunk)).values(
            given_name=ERASED, family_name=ERASED, given_key="", family_key="", date_of_birth=None, mobile=None,
            email="", postcode="", language="", accessibility_needs="", sex=None, ethnic_group=None,
            disability=None))
        session.execute(delete(FamilyLink).where(or_(FamilyLink.person_id.in_(chunk),
                                                     FamilyLink.relative_id.in_(chunk))))
        session.execute(delete(DuplicateDecision).where(or_(DuplicateDecision.person_id.in_(chunk),
                                                            DuplicateDecision.other_id.in_(chunk))))
        erase_notes_about(session, "person", list(chunk))  # why their record was opened, closed, moved


def _stage_event_person():
    """A stage move's person, for the rule over the reasons given for moves."""
    return select(Enrolment.person_id).where(Enrolment.id == StageEvent.enrolment_id).scalar_subquery()


def _rules() -> tuple[RetentionRule, ...]:
    health = [
        ("screenings", "screening answers, scores, notes and the clinician's note (form, flag and decision kept)",
         Screening.id, Screening.person_id, dict(answers=ERASED, result=ERASED, notes="", decision_note="")),
        ("safety_alerts", "safety alert text and the action taken (when raised and acknowledged kept)",
         SafetyAlert.id, SafetyAlert.person_id, dict(text=ERASED, action_taken="")),
        ("needs_assessments", "needs assessment notes (need areas and risk level kept)",
         NeedsAssessment.id, NeedsAssessment.person_id, dict(notes="")),
        ("referrals", "referral notes and the reason for one outside the plan's tier (agency, service, dates "
         "and status kept)", Referral.id, Referral.person_id, dict(notes="", tier_note=None)),
        ("pathway_notes", "why each pathway move was made (the moves and their dates kept)",
         StageEvent.id, _stage_event_person(), dict(reason=ERASED)),
        ("person_replies", "text messages the person sent (when received and read kept)",
         PersonReply.id, PersonReply.person_id, dict(body=ERASED)),
        ("plan_actions", "what each support plan action was (owner, due date and status kept)",
         SupportAction.id, SupportAction.person_id, dict(what=ERASED)),
        ("plan_reviews", "support plan review notes (dates, risk level and tier kept)",
         PlanReview.id, PlanReview.person_id, dict(note="")),
    ]
    rules = [RetentionRule("people", IDENTITY_DAYS, "anonymised",
                           f"names, date of birth, contact details, language and accessibility needs, equality-monitoring "
                           f"answers, family "
                           f"links, the reasons typed for opening or changing their record {SINCE}", _people_due_ids, _anonymise_people)]
    rules += [_content_rule(t, HEALTH_DAYS, d, i, p, b) for t, d, i, p, b in health]
    rules.append(_content_rule("complaints", IDENTITY_DAYS, "complaint and answer text (dates and status kept)",
                               Complaint.id, Complaint.person_id, dict(summary=ERASED, answer="")))
    # The justice process can run for years (a trial, appeals, the offender's release): kept as identity is.
    rules.append(_content_rule("inform_notes", IDENTITY_DAYS, "notes on telling the person of the justice process "
                               "(what they were told of, when, how and by whom kept)",
                               InformTask.id, InformTask.person_id, dict(note="")))
    rules.append(_content_rule("witness_care", IDENTITY_DAYS, "witness care officer, special measures and notes "
                               "(when measures were requested kept)", WitnessCare.person_id, WitnessCare.person_id,
                               dict(officer="", contact="", measures_needed="", measures_requested="", notes="")))
    rules.append(_content_rule("victim_rights", IDENTITY_DAYS, "the officer in the case (the statement, restorative "
                               "justice and compensation dates and choices kept)", VictimRights.person_id,
                               VictimRights.person_id, dict(officer_in_case="")))
    return tuple(rules)


# People first: the content rules then catch, in the same run, everything of a person just anonymised.
RETENTION: tuple[RetentionRule, ...] = _rules()
