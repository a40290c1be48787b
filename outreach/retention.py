"""How long outreach keeps the lists it imported, what the public sent it, and half-finished checks.

Contacts and self-referrals are personal data held as pathways holds people: the clock starts
when the incident stood down (or was cancelled) — outreach runs for three years after an
incident, so nothing of a live incident is touched — and identity goes after six years by
default. Rows are anonymised, not deleted, so the counts (invited, answered, by nation and force
area; referrals by status) still add up: names, contact details (other addresses too), postcode,
date of birth, the list's own reference and what people wrote go. A half-finished check's draft answers (health
data) are erased a month after its link expired: no one can finish it any more.
The erasure log (core.retention) holds which row, when and under which rule, never content.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.db import in_chunks
from core.retention import RetentionRule, not_yet_logged
from incident.queries import incident_ids_closed_before
from outreach.model import CheckDraft, Contact, ContactAddress, Invitation, SelfReferral

ERASED = "[erased]"
IDENTITY_DAYS = 6 * 365
DRAFT_DAYS = 30
SINCE = "after the incident stood down"


def _in_chunks(session: Session, ids: Sequence[object], statement) -> None:
    for chunk in in_chunks(ids):
        session.execute(statement(chunk))


def _contacts_due(session: Session, cutoff: datetime) -> list[int]:
    return list(session.scalars(select(Contact.id).where(
        Contact.incident_id.in_(incident_ids_closed_before(cutoff)), not_yet_logged("outreach_contacts", Contact.id))
        .order_by(Contact.id)))


def _anonymise_contacts(session: Session, ids: Sequence[int]) -> None:
    _in_chunks(session, ids, lambda chunk: update(Contact).where(Contact.id.in_(chunk)).values(
        contact_ref="", given_name=ERASED, family_name=ERASED, given_key="", family_key="", email=None, mobile=None,
        postcode="", date_of_birth=None))
    _in_chunks(session, ids, lambda chunk: delete(ContactAddress).where(ContactAddress.contact_id.in_(chunk)))
    _in_chunks(session, ids, lambda chunk: delete(CheckDraft).where(CheckDraft.invitation_id.in_(
        select(Invitation.id).where(Invitation.contact_id.in_(chunk)))))


def _referrals_due(session: Session, cutoff: datetime) -> list[int]:
    return list(session.scalars(select(SelfReferral.id).where(
        SelfReferral.incident_id.in_(incident_ids_closed_before(cutoff)),
        not_yet_logged("self_referrals", SelfReferral.id)).order_by(SelfReferral.id)))


def _anonymise_referrals(session: Session, ids: Sequence[int]) -> None:
    _in_chunks(session, ids, lambda chunk: update(SelfReferral).where(SelfReferral.id.in_(chunk)).values(
        referrer_name="", referrer_contact="", given_name=ERASED, family_name=ERASED, date_of_birth=None, email="",
        mobile="", postcode="", message="", decision_note=""))


def _drafts_due(session: Session, cutoff: datetime) -> list[int]:
    return list(session.scalars(select(CheckDraft.invitation_id).join(
        Invitation, Invitation.id == CheckDraft.invitation_id).where(Invitation.expires_at < cutoff)
        .order_by(CheckDraft.invitation_id)))


def _erase_drafts(session: Session, ids: Sequence[int]) -> None:
    _in_chunks(session, ids, lambda chunk: delete(CheckDraft).where(CheckDraft.invitation_id.in_(chunk)))


RETENTION: tuple[RetentionRule, ...] = (
    RetentionRule("outreach_contacts", IDENTITY_DAYS, "anonymised",
                  f"names, contact details, postcode, date of birth and list reference of cohort contacts {SINCE}",
                  _contacts_due, _anonymise_contacts),
    RetentionRule("self_referrals", IDENTITY_DAYS, "anonymised",
                  f"names, contact details and message of self-referrals, and the decision note, {SINCE}",
                  _referrals_due, _anonymise_referrals),
    RetentionRule("check_drafts", DRAFT_DAYS, "erased",
                  "answers of wellbeing checks never submitted, from when their link expired",
                  _drafts_due, _erase_drafts),
)
