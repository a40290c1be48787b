"""The police and crime commissioner's delegation of standing up victim support to the force,
recorded by an administrator or Gold; read by those who record it and by governance."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.errors import InputError
from incident.delegation_terms import DelegationTerms, checked_terms, in_force
from incident.lifecycle_service import actor_name
from incident.model import Delegation, Incident


def record_delegation(session: Session, actor: Actor, terms: DelegationTerms) -> Delegation:
    """Record a delegation. It takes over from its first day; one for the same first day replaces it."""
    require(actor, Permission.DELEGATION_RECORD)
    terms = checked_terms(terms)
    if any(_terms_of(d) == terms for d in session.scalars(select(Delegation).where(
            Delegation.document_reference == terms.document_reference,
            Delegation.effective_from == terms.effective_from))):  # a double click, not a correction
        raise InputError(f"This delegation ({terms.document_reference}) is already recorded; nothing was added.")
    delegation = Delegation(
        delegated_by=terms.delegated_by, delegated_to=terms.delegated_to, scope=terms.scope,
        effective_from=terms.effective_from, effective_until=terms.effective_until,
        document_reference=terms.document_reference, recorded_at=now(), recorded_by_id=actor.user_id,
        recorded_by_name=actor_name(actor))
    session.add(delegation)
    session.flush()
    record(session, actor, "create", "delegation", delegation.id,
           detail=f"effective {terms.effective_from.isoformat()}"
           + (f" until {terms.effective_until.isoformat()}" if terms.effective_until else ""))
    return delegation


def _terms_of(d: Delegation) -> DelegationTerms:
    return DelegationTerms(d.delegated_by, d.delegated_to, d.scope, d.effective_from, d.document_reference,
                           d.effective_until)


@dataclass(frozen=True)
class DelegationLine:
    delegation: Delegation
    in_force_today: bool


def delegation_lines(session: Session) -> list[DelegationLine]:
    """Every delegation recorded, newest first, for the services that decide who may read them."""
    everything = list(session.scalars(select(Delegation).order_by(Delegation.effective_from.desc(),
                                                                  Delegation.id.desc())))
    current = in_force(everything, london(now()).date())
    return [DelegationLine(d, d is current) for d in everything]


def delegation_for(session: Session, incident: Incident) -> Delegation | None:
    """The delegation the incident stood up under: in force on the day it was declared (opened, if
    it never was)."""
    day = london(incident.declared_at).date() if incident.declared_at else incident.opened_on
    return in_force(list(session.scalars(select(Delegation))), day)


def delegations(session: Session, actor: Actor) -> list[DelegationLine]:
    """The record as those who keep it see it."""
    require(actor, Permission.DELEGATION_RECORD)
    return delegation_lines(session)
