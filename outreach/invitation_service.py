"""Inviting a cohort to a round of wellbeing checks, and the one reminder an unanswered invitation gets.

Each contact gets one invitation a round, by SMS and/or email through the outbox, with a personal
link (core.public.link_tokens) that expires after the incident's link lifetime. Nobody is invited who
unsubscribed from the cohort's messages, and no message goes by a channel the address opted out
of; a contact with no other way to be reached is skipped. After the reminder time an invitation not
yet answered is reminded once, with a second link to the same check (the first token is not kept).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import london, now
from core.db import bulk_insert
from core.errors import InputError
from core.public.link_tokens import new_token, token_hash
from core.settings import get_settings
from incident.queries import incident_facts
from notifications.outbox_service import NewMessage, opted_out_addresses, queue_many
from outreach import invitation_texts
from outreach.links import check_url, stop_url
from outreach.lookups import cohort_or_refuse
from outreach.model import Contact, Invitation, InvitationMessage
from outreach.rounds import checked_round, current_round
from outreach.settings_service import IncidentOutreach, settings_for, settings_to_write_with
from outreach.vocabulary import CHANNEL_CHOICES, MessageKind

PURPOSE = "outreach"  # the outbox's word for these messages
REMINDER_BATCH = 1000  # invitations a sweep reminds at once; the next run takes the rest
SKIPPED_ALREADY, SKIPPED_UNSUBSCRIBED, SKIPPED_UNREACHABLE = (
    "already invited in this round", "unsubscribed from this cohort's messages",
    "no usable address by the channels asked, or opted out of them")


@dataclass(frozen=True)
class InvitationReport:
    cohort: str
    round: int
    dry_run: bool
    queued: int
    by_sms: int
    by_email: int
    skipped_because: Mapping[str, int] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return sum(self.skipped_because.values())

    @property
    def summary(self) -> str:
        return (f"queued {self.queued} invitations ({self.by_sms} by SMS, {self.by_email} by email), "
                f"skipped {self.skipped}")


@dataclass(frozen=True)
class _Invitee:
    contact_id: int
    addresses: dict[str, str]  # channel -> address


def send_invitations(session: Session, actor: Actor, incident_id: int | None, cohort_name: str, *,
                     round_number: int | None = None, channel: str = "both", dry_run: bool = False,
                     links: dict[int, str] | None = None) -> InvitationReport:
    """One invitation to each contact of the cohort not yet invited in the round (the latest round
    whose time has come, unless given), by `channel` (sms, email or both); with dry_run, only count.
    `links`, when given, receives each new link's token by contact id: for the demo, which answers
    some of its own invitations; the tokens are never stored."""
    require(actor, Permission.OUTREACH_RUN)
    cohort = cohort_or_refuse(session, actor, incident_id, cohort_name, lock=True)  # two sends at once take turns
    outreach = settings_to_write_with(session, cohort.incident_id, "every message says who is writing and a number to call")
    if channel not in CHANNEL_CHOICES:
        raise InputError(f"Unknown channel {channel!r}; allowed: {', '.join(CHANNEL_CHOICES)}")
    started_at = incident_facts(session, cohort.incident_id).started_at
    at = now()
    try:
        round_number = (current_round(started_at, outreach.round_months, at) if round_number is None
                        else checked_round(outreach.round_months, round_number))
    except ValueError as problem:
        raise InputError(f"Round: {problem}.") from None

    invitees, skipped = _invitees(session, cohort.id, round_number, CHANNEL_CHOICES[channel])
    by_channel = Counter(c for invitee in invitees for c in invitee.addresses)
    report = InvitationReport(cohort.name, round_number, dry_run, len(invitees), by_channel["sms"],
                              by_channel["email"], dict(skipped))
    if not dry_run and invitees:
        tokens = _invite(session, outreach, cohort.id, round_number, invitees, at)
        if links is not None:
            links.update(zip((i.contact_id for i in invitees), tokens, strict=True))
    record(session, actor, "preview_invite" if dry_run else "invite", "cohort", cohort.id,
           incident_id=cohort.incident_id, detail=f"round {round_number} by {channel}: {report.summary}")
    return report


def _invitees(session: Session, cohort_id: int, round_number: int,
              channels: tuple[str, ...]) -> tuple[list[_Invitee], Counter[str]]:
    contacts = session.execute(select(Contact.id, Contact.email, Contact.mobile, Contact.unsubscribed_at)
                               .where(Contact.cohort_id == cohort_id).order_by(Contact.id)).all()
    invited = set(session.scalars(select(Invitation.contact_id).where(Invitation.cohort_id == cohort_id,
                                                                      Invitation.round == round_number)))
    address_of = {"sms": lambda c: c.mobile, "email": lambda c: c.email}
    opted_out = {name: opted_out_addresses(session, name, [a for c in contacts if (a := address_of[name](c))])
                 for name in channels}
    invitees, skipped = [], Counter()
    for contact in contacts:
        if contact.id in invited:
            skipped[SKIPPED_ALREADY] += 1
            continue
        if contact.unsubscribed_at is not None:
            skipped[SKIPPED_UNSUBSCRIBED] += 1
            continue
        addresses = {name: address for name in channels
                     if (address := address_of[name](contact)) and address not in opted_out[name]}
        if not addresses:
            skipped[SKIPPED_UNREACHABLE] += 1
            continue
        invitees.append(_Invitee(contact.id, addresses))
    return invitees, skipped


def _messages(outreach: IncidentOutreach, addresses: Mapping[str, str], token: str, expires_at: datetime,
              kind: MessageKind) -> list[NewMessage]:
    base = get_settings().public_base_url
    words = invitation_texts.Words(outreach.service_name, outreach.contact_number_shown, check_url(base, token),
                                   london(expires_at).date())
    invitation = kind == MessageKind.INVITATION
    messages = []
    if "sms" in addresses:
        text = invitation_texts.invitation_sms(words) if invitation else invitation_texts.reminder_sms(words)
        messages.append(NewMessage("sms", addresses["sms"], text))
    if "email" in addresses:
        subject, body = (invitation_texts.invitation_email(words) if invitation
                         else invitation_texts.reminder_email(words))
        messages.append(NewMessage("email", addresses["email"], body, subject,
                                   {"unsubscribe_url": stop_url(base, token)}))
    return messages


def _queue_for(session: Session, incident_id: int, invitation_ids: list[int], messages: list[list[NewMessage]],
               kind: MessageKind) -> None:
    """Each invitation's messages into the outbox, and which message is whose."""
    ids = iter(queue_many(session, [m for batch in messages for m in batch], purpose=PURPOSE, incident_id=incident_id))
    links = [dict(invitation_id=invitation_id, message_id=next(ids), channel=m.channel, kind=kind.value)
             for invitation_id, batch in zip(invitation_ids, messages, strict=True) for m in batch]
    for start in range(0, len(links), 5000):
        session.execute(insert(InvitationMessage), links[start:start + 5000])


def _invite(session: Session, outreach: IncidentOutreach, cohort_id: int, round_number: int,
            invitees: list[_Invitee], at: datetime) -> list[str]:
    expires_at = at + timedelta(days=outreach.link_days)
    tokens = [new_token() for _ in invitees]
    invitation_ids = bulk_insert(session, Invitation, [dict(
        contact_id=invitee.contact_id, cohort_id=cohort_id, incident_id=outreach.incident_id, round=round_number,
        token_hash=token_hash(token), reminder_token_hash=None, channels=",".join(invitee.addresses), sent_at=at,
        expires_at=expires_at, reminder_sent_at=None, opened_at=None, progress="", completed_at=None, used_at=None,
        screened_positive=None, raised_alert=False) for invitee, token in zip(invitees, tokens, strict=True)])
    _queue_for(session, outreach.incident_id, invitation_ids,
               [_messages(outreach, invitee.addresses, token, expires_at, MessageKind.INVITATION)
                for invitee, token in zip(invitees, tokens, strict=True)], MessageKind.INVITATION)
    return tokens


def send_reminders(session: Session, *, limit: int = REMINDER_BATCH) -> int:
    """The worker's sweep: remind, once, each invitation not answered by its incident's reminder time
    and still open, by the channels it went by that its contact can still be reached on. How many."""
    at = now()
    pending = (Invitation.used_at.is_(None), Invitation.reminder_sent_at.is_(None), Invitation.expires_at > at)
    reminded = 0
    for incident_id in session.scalars(select(Invitation.incident_id).where(*pending).distinct()).all():
        outreach = settings_for(session, incident_id)
        due = list(session.execute(
            select(Invitation, Contact.email, Contact.mobile).join(Contact, Contact.id == Invitation.contact_id)
            .where(*pending, Invitation.incident_id == incident_id,
                   Invitation.sent_at <= at - timedelta(days=outreach.reminder_days),
                   Contact.unsubscribed_at.is_(None))
            .order_by(Invitation.id).limit(limit - reminded)
            .with_for_update(of=Invitation, skip_locked=True)).all())  # several workers never remind twice
        invitations, batches = [], []
        for invitation, email, mobile in due:
            addresses = {c: a for c, a in (("sms", mobile), ("email", email)) if a and c in invitation.channels.split(",")}
            token = new_token()
            invitation.reminder_token_hash, invitation.reminder_sent_at = token_hash(token), at
            if addresses:
                invitations.append(invitation.id)
                batches.append(_messages(outreach, addresses, token, invitation.expires_at, MessageKind.REMINDER))
        session.flush()
        _queue_for(session, incident_id, invitations, batches, MessageKind.REMINDER)
        if due:
            record(session, Actor.system("outreach-reminders"), "remind", "invitation", incident_id=incident_id,
                   detail=f"{len(invitations)} reminders queued")
        reminded += len(due)
        if reminded >= limit:
            break
    return reminded
