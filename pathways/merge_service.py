"""Duplicate records: suggestions (a person confirms), "not the same person", and merges that keep
history."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from pathways import pathway_service
from pathways.duplicates import Identity, Likeness, likeness
from pathways.justice_service import carry_inform_tasks
from pathways.lookups import incident_or_refuse, person_or_refuse
from pathways.merge_rules import MERGED_COLUMNS, judged_reasons, merged_fields
from pathways.model import (
    DuplicateDecision,
    FollowUp,
    Person,
)
from pathways.people_queries import PersonRow, person_row
from pathways.registration_service import latest_rights, recompute_pending_deadline, store_enhanced_rights
from pathways.support_plan_service import carry_support_plan


def _identity(p: Person) -> Identity:
    return Identity(p.given_name, p.family_name, p.date_of_birth, p.mobile)


def duplicate_suggestions(session: Session, actor: Actor, person_id: int,
                          limit: int = 5) -> list[tuple[PersonRow, Likeness]]:
    """Records of the same incident that may be this person; a person decides. Showing them is a
    view of other people's names and dates of birth: audited."""
    require(actor, Permission.PEOPLE_VIEW)
    person = person_or_refuse(session, actor, person_id)
    decided = select(DuplicateDecision.other_id).where(DuplicateDecision.person_id == person.id).union(
        select(DuplicateDecision.person_id).where(DuplicateDecision.other_id == person.id))
    best = _likely(session, person.incident_id, _identity(person), limit,
                   Person.id != person.id, Person.id.not_in(decided))
    if best:  # one row per showing (not per record), and none when nothing is shown
        record(session, actor, "view", "person", person.id, incident_id=person.incident_id,
               reason="duplicate suggestions", detail=f"duplicate suggestions: {len(best)} records shown "
                                                      "(names, dates of birth)")
    return best


def people_like(session: Session, actor: Actor, incident_id: int, identity: Identity, *, about: str,
                limit: int = 5) -> list[tuple[PersonRow, Likeness]]:
    """Registered people of the incident who may be someone not yet registered (a self-referral),
    matched as duplicate suggestions are; a person decides. Showing them is audited, `about` naming
    what they were matched for (e.g. "self-referral 12")."""
    require(actor, Permission.PEOPLE_VIEW)
    incident_id = incident_or_refuse(session, actor, incident_id).id
    best = _likely(session, incident_id, identity, limit)
    if best:
        record(session, actor, "view", "person", incident_id=incident_id, reason=f"people like {about}",
               detail=f"possible matches: {len(best)} records shown (names, dates of birth)")
    return best


def _likely(session: Session, incident_id: int, identity: Identity, limit: int,
            *conditions) -> list[tuple[PersonRow, Likeness]]:
    # Block on what a duplicate shares (indexed columns), then score only those.
    same = [Person.family_key == identity.family_name.lower(), Person.given_key == identity.given_name.lower()]
    if identity.date_of_birth is not None:
        same.append(Person.date_of_birth == identity.date_of_birth)
    if identity.mobile:
        same.append(Person.mobile == identity.mobile)
    candidates = list(session.scalars(select(Person).where(
        Person.incident_id == incident_id, Person.merged_into_id.is_(None), *conditions, or_(*same)).limit(500)))
    scored = [(c, likeness(identity, _identity(c))) for c in candidates]
    best = sorted((pair for pair in scored if pair[1].suggested), key=lambda pair: -pair[1].score)[:limit]
    return [(person_row(c), how) for c, how in best]


def not_the_same_person(session: Session, actor: Actor, person_id: int, other_id: int) -> DuplicateDecision:
    require(actor, Permission.PEOPLE_EDIT)
    person, other = person_or_refuse(session, actor, person_id), person_or_refuse(session, actor, other_id)
    decision = DuplicateDecision(person_id=person.id, other_id=other.id, same_person=False, decided_at=now(),
                                 decided_by_id=actor.user_id)
    session.add(decision)
    session.flush()
    record(session, actor, "not_duplicate", "person", person.id, incident_id=person.incident_id,
           detail=f"other record {other.id}")
    return decision


def merge_people(session: Session, actor: Actor, survivor_id: int, duplicate_id: int) -> Person:
    """Confirms two records are one person. The duplicate points at the survivor and keeps its own
    history; the survivor gains its roles and any contact details it lacked. Nothing is deleted."""
    require(actor, Permission.PEOPLE_EDIT)
    survivor = person_or_refuse(session, actor, survivor_id, open_only=True)
    duplicate = person_or_refuse(session, actor, duplicate_id)
    if survivor.id == duplicate.id or survivor.incident_id != duplicate.incident_id:
        raise InputError("Merge two different records of the same incident.")
    if duplicate.merged_into_id is not None:
        raise InputError(f"Record {duplicate.id} is already merged into record {duplicate.merged_into_id}.")
    changes = merged_fields(*({name: getattr(p, name) for name in MERGED_COLUMNS} for p in (survivor, duplicate)))
    for name, value in changes.items():
        setattr(survivor, name, value)
    survivor.first_referred_at = min(filter(None, (survivor.first_referred_at, duplicate.first_referred_at)),
                                     default=None)
    judged = judged_reasons(*(latest_rights(session, p.id) for p in (survivor, duplicate)))
    duplicate.merged_into_id = survivor.id
    session.execute(update(FollowUp).where(FollowUp.person_id == duplicate.id,
                                           FollowUp.status.in_(pathway_service.LIVE_FOLLOW_UP)).values(status="cancelled"))
    carry_inform_tasks(session, survivor.id, duplicate.id)
    gained = carry_support_plan(session, survivor.id, duplicate.id)
    session.add(DuplicateDecision(person_id=survivor.id, other_id=duplicate.id, same_person=True, decided_at=now(),
                                  decided_by_id=actor.user_id))
    session.flush()
    fields = [*changes, *gained, "enhanced_rights"] + (["referral_due_at"] if recompute_pending_deadline(session, survivor) else [])
    store_enhanced_rights(session, survivor, judged, assessed_by_id=actor.user_id)  # a flag the duplicate brought may change them
    record(session, actor, "merge", "person", survivor.id, incident_id=survivor.incident_id,
           detail=f"merged record {duplicate.id}; fields: {', '.join(fields)}")
    record(session, actor, "merged_into", "person", duplicate.id, incident_id=survivor.incident_id,
           detail=f"survivor record {survivor.id}; fields: merged_into")
    return survivor
