"""What the public pages do with a personal link: look it up, note it was opened, keep the answers
between pages, and unsubscribe from the cohort's messages. Nobody signs in: whoever holds the link
acts, as `Actor.system("public")`, and can change nothing but that link's own check.

A token is looked up by its sha256 only (core.public.link_tokens). A link is valid until it is used or
expires; unsubscribing works with any link the person was sent, used or expired.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Integer, String, any_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor
from core.clock import london, now
from core.crypto import EncryptedText
from core.db import as_arrays
from core.errors import InputError
from core.public.link_tokens import looks_like_token, token_hash
from core.typed_text import one_line
from notifications.outbox_service import cancel_messages
from outreach.check_rules import instruments_for
from outreach.model import CheckDraft, CohortUpdateMessage, Contact, Invitation, InvitationMessage
from outreach.public_errors import EXPIRED, UNKNOWN, USED, LinkUnusable
from outreach.settings_service import PublicSettings, recent_public_settings
from pathways.queries import carried_on_by, case_facts
from pathways.unsubscribe_service import stop_emails
from pathways.vocabulary import age_on

PUBLIC = Actor.system("public")
VALID = "valid"
MAX_DRAFT = 20_000  # characters of JSON: every answer of the longest check is a few hundred


@dataclass(frozen=True)
class InvitationState:
    state: str  # valid, used, expired
    incident_id: int
    round: int
    expires_at: datetime
    settings: PublicSettings
    known_age: int | None  # from the date of birth the list or the person's record gave
    instruments: tuple[str, ...]  # for the known age; () when it is not known
    draft: Mapping[str, object] = field(default_factory=dict)  # answers so far (a valid link only)
    page: str = ""
    opened_at: datetime | None = None  # its first opening (mark_opened notes it)


def _by_token(*columns):
    return or_(columns[0] == bindparam("digest"), columns[1] == bindparam("digest"))


def find_invitation(session: Session, token: object, *, lock: bool = False) -> Invitation | None:
    """The invitation a token (either of its links) opens; None for anything else."""
    if not looks_like_token(token):
        return None
    q = select(Invitation).where(_by_token(Invitation.token_hash, Invitation.reminder_token_hash))
    return session.scalar(q.with_for_update() if lock else q, {"digest": token_hash(token)})


def link_state(used_at: datetime | None, expires_at: datetime, at: datetime) -> str:
    """A personal link is used once, and expires after its time (a check's or a survey's alike)."""
    if used_at is not None:
        return USED
    return EXPIRED if at >= expires_at else VALID


def state_of(invitation: Invitation, at: datetime) -> str:
    """A link's state: `invitation` is an Invitation or a row with its used_at and expires_at."""
    return link_state(invitation.used_at, invitation.expires_at, at)


def usable_invitation(session: Session, token: object, *, lock: bool = False) -> Invitation:
    """The invitation of a valid link; LinkUnusable (unknown, used, expired) otherwise."""
    invitation = find_invitation(session, token, lock=lock)
    if invitation is None:
        raise LinkUnusable(UNKNOWN)
    state = state_of(invitation, now())
    if state != VALID:
        raise LinkUnusable(state)
    return invitation


def _date_of_birth_on_record(session: Session, person_id: int | None) -> date | None:
    person_id = carried_on_by(session, person_id) if person_id is not None else None
    facts = case_facts(session, person_id) if person_id is not None else None
    return facts.date_of_birth if facts is not None else None


def recorded_date_of_birth(session: Session, contact: Contact) -> date | None:
    """The date of birth on the contact's person record, when they are registered with one: what
    screening checks a questionnaire's age against, so it decides the age."""
    return _date_of_birth_on_record(session, contact.person_id)


# What a link's page needs of the database, in one indexed lookup by the token's hash (the
# incident's public settings come from recent_public_settings). Built once: each request only binds
# the digest.
_COLUMNS = (Invitation.id, Invitation.incident_id, Invitation.round, Invitation.expires_at, Invitation.used_at,
            Invitation.opened_at, Contact.date_of_birth, Contact.person_id, CheckDraft.answers, CheckDraft.page)
_LINK = (select(*_COLUMNS).join(Contact, Contact.id == Invitation.contact_id)
         .outerjoin(CheckDraft, CheckDraft.invitation_id == Invitation.id)
         .where(_by_token(Invitation.token_hash, Invitation.reminder_token_hash)))
# Several links with their drafts begun, by their digests, each invitation's and draft's row locked
# until the commit (PostgreSQL; on SQLite the unit of work holds the write lock), in id order so
# two batches never wait on each other. PostgreSQL is given the digests as one array, so the
# statement's text is the same for any batch and stays parsed (an IN list is a new text each time);
# SQLite, which has no arrays, an IN list.
_TURNING = (select(*_COLUMNS, Invitation.token_hash, Invitation.reminder_token_hash)
            .join(Contact, Contact.id == Invitation.contact_id)
            .join(CheckDraft, CheckDraft.invitation_id == Invitation.id)
            .order_by(Invitation.id).with_for_update(of=(Invitation, CheckDraft)))
_digests = bindparam("digests", expanding=True)
_TURNING_BY_DIALECT = {
    "postgresql": _TURNING.where(or_(*(column == any_(bindparam("digests", type_=ARRAY(String)))
                                      for column in (Invitation.token_hash, Invitation.reminder_token_hash)))),
    "sqlite": _TURNING.where(or_(Invitation.token_hash.in_(_digests), Invitation.reminder_token_hash.in_(_digests))),
}


def _state(session: Session, link, at: datetime) -> InvitationState:
    state = state_of(link, at)
    settings = recent_public_settings(session, link.incident_id)
    born = _date_of_birth_on_record(session, link.person_id) or link.date_of_birth
    age = age_on(born, london(at).date()) if born is not None else None
    drafted = state == VALID and link.answers is not None
    return InvitationState(state, link.incident_id, link.round, link.expires_at, settings, age,
                           instruments_for(age, settings.trauma_instrument) if age is not None else (),
                           json.loads(link.answers) if drafted else {}, link.page if drafted else "",
                           link.opened_at)


def invitation_by_token(session: Session, token: object) -> InvitationState | None:
    """What the link's page shows; None for a token that is not a link (404)."""
    if not looks_like_token(token):
        return None
    session.flush()  # Core on the session's connection below: no ORM bookkeeping for rows it never loads
    link = session.connection().execute(_LINK, {"digest": token_hash(token)}).first()
    return None if link is None else _state(session, link, now())


def links_to_turn(session: Session, tokens: Iterable[object], at: datetime) -> dict[object, tuple[int, InvitationState]]:
    """The links of several page turns kept in one transaction (core.group_commit): {token: (its
    invitation's id, its state at `at`)} for those that are links with their drafts begun (mark_opened
    begins one), unchanged until the commit: a submit or a page turned in another tab either finished
    first (the link reads used; the draft holds its answers) or waits for it."""
    digests = {token_hash(token): token for token in tokens if looks_like_token(token)}
    if not digests:
        return {}
    session.flush()
    found = {}
    connection = session.connection()
    for link in connection.execute(_TURNING_BY_DIALECT[connection.dialect.name], {"digests": list(digests)}):
        turning = link.id, _state(session, link, at)
        for digest in (link.token_hash, link.reminder_token_hash):
            if digest in digests:
                found[digests[digest]] = turning
    return found


def mark_opened(session: Session, token: object) -> InvitationState | None:
    """The link's page was opened: the first opening is noted (the response counts show it), and the
    person's draft begun, empty, in the same unit of work, so that turning a page
    (save_draft) only ever changes the draft's row and audits nothing on the request's path."""
    invitation = find_invitation(session, token)
    if invitation is not None and invitation.opened_at is None and state_of(invitation, now()) == VALID:
        invitation.opened_at = now()
        record(session, PUBLIC, "open", "invitation", invitation.id, incident_id=invitation.incident_id,
               detail="fields: opened_at")
        if session.get(CheckDraft, invitation.id) is None:
            _begin_draft(session, invitation, "{}", "")
    return invitation_by_token(session, token)


def _begin_draft(session: Session, invitation: Invitation, text: str, page: str) -> None:
    session.add(CheckDraft(invitation_id=invitation.id, answers=text, page=page, updated_at=now()))
    record(session, PUBLIC, "create", "check_draft", invitation.id, incident_id=invitation.incident_id,
           detail="fields: answers, page")


# A page turned: the link still valid (not used, not expired) and its progress noted, in one
# statement that also takes the invitation's row lock (PostgreSQL), so a submit in another tab
# either finished first (nothing is kept: LinkUnusable) or waits for this; then the draft's row.
_inv = Invitation.__table__
_still_valid = (_inv.c.used_at.is_(None), _inv.c.expires_at > bindparam("at"))
_TURN_PAGE = (update(_inv).where(_by_token(_inv.c.token_hash, _inv.c.reminder_token_hash), *_still_valid)
              .values(progress=bindparam("reached")).returning(_inv.c.id))
_TURN_PAGES = update(_inv).where(_inv.c.id == bindparam("invitation"), *_still_valid).values(
    progress=bindparam("reached"))
_draft = CheckDraft.__table__
_keeping = {"answers": bindparam("kept"), "page": bindparam("reached"), "updated_at": bindparam("at")}
_KEEP_DRAFT = update(_draft).where(_draft.c.invitation_id == bindparam("invitation")).values(_keeping)
# Both at once on PostgreSQL (the draft kept only where the link turned), the batch's values as one
# array per column: one round trip for a batch and one statement text for any batch (executemany
# sent a statement a row). SQLite cannot update in a WITH; its statements cost no round trip.
_given = func.unnest(bindparam("invitation", type_=ARRAY(Integer)), bindparam("kept", type_=ARRAY(EncryptedText)),
                     bindparam("reached", type_=ARRAY(String))).table_valued("invitation", "kept", "reached").render_derived()
_turned = (update(_inv).where(_inv.c.id == _given.c.invitation, *_still_valid).values(progress=_given.c.reached)
           .returning(_inv.c.id).cte("turned"))
_TURN_AND_KEEP = (update(_draft).where(_draft.c.invitation_id == _given.c.invitation,
                                       _draft.c.invitation_id.in_(select(_turned.c.id)))
                  .values(answers=_given.c.kept, page=_given.c.reached, updated_at=bindparam("at")).add_cte(_turned))


def _draft_text(answers: Mapping[str, object]) -> str:
    try:
        text = json.dumps(dict(answers), ensure_ascii=False)
    except (TypeError, ValueError):
        raise InputError("The answers could not be kept.") from None
    if len(text) > MAX_DRAFT:
        raise InputError("The answers are longer than a check can be.")
    return text


def save_draft(session: Session, token: object, answers: Mapping[str, object], page: str) -> None:
    """The answers so far and the page reached, kept (encrypted) until the check is submitted. The
    draft's beginning is audited (mark_opened begins it, or this when the page was not opened
    first); later pages change only the person's own unsubmitted answers, and are not."""
    page = one_line(page, "The page", 40)
    text = _draft_text(answers)
    session.flush()  # the statements below go by the connection, which does not flush the session
    at = now()
    connection = session.connection()
    turned = (connection.execute(_TURN_PAGE, {"digest": token_hash(token), "at": at, "reached": page}).scalar()
              if looks_like_token(token) else None)
    if turned is None:  # say why
        invitation = find_invitation(session, token)
        raise LinkUnusable(UNKNOWN if invitation is None else state_of(invitation, at))
    kept = connection.execute(_KEEP_DRAFT, {"invitation": turned, "kept": text, "reached": page, "at": at}).rowcount
    if not kept:
        _begin_draft(session, session.get(Invitation, turned), text, page)


def keep_drafts(session: Session, drafts: Mapping[int, tuple[Mapping[str, object], str]], at: datetime) -> None:
    """save_draft for several links links_to_turn read valid at `at` with their drafts begun, in its
    transaction: {invitation id: (the answers so far, the page reached)}, each link's progress noted.
    Not audited either. Their rows are locked since, so they are still valid at `at` (re-checked as
    they are written): anything else is an error."""
    rows = [{"invitation": invitation_id, "kept": _draft_text(answers), "reached": one_line(page, "The page", 40),
             "at": at} for invitation_id, (answers, page) in drafts.items()]
    if not rows:
        return
    session.flush()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        kept = connection.execute(_TURN_AND_KEEP, as_arrays(rows, ("invitation", "kept", "reached")) | {"at": at}).rowcount
    else:
        kept = min(connection.execute(_TURN_PAGES, rows).rowcount, connection.execute(_KEEP_DRAFT, rows).rowcount)
    if kept != len(rows):
        raise RuntimeError(f"{len(rows)} page turns, but {kept} links still valid with their drafts kept")


def update_link_incident(session: Session, token: object) -> int | None:
    """The incident of the contact an update to their cohort emailed this unsubscribe link to; None for
    anything else."""
    if not looks_like_token(token):
        return None
    return session.scalar(select(Contact.incident_id).join(CohortUpdateMessage, CohortUpdateMessage.contact_id == Contact.id)
                          .where(CohortUpdateMessage.unsubscribe_hash == token_hash(token)))


def _contact_id(session: Session, token: object) -> int | None:
    """The contact an invitation's link (either of its tokens) or a cohort update's unsubscribe link went to."""
    if (invitation := find_invitation(session, token)) is not None:
        return invitation.contact_id
    if not looks_like_token(token):
        return None
    return session.scalar(select(CohortUpdateMessage.contact_id).where(
        CohortUpdateMessage.unsubscribe_hash == token_hash(token)))


def unsubscribe(session: Session, token: object) -> bool:
    """No more of this cohort's messages to the link's holder, from now: their messages not yet sent
    (invitations, reminders, updates) are withdrawn. False for a token that is not a link. Any link they
    were sent works, however old."""
    contact_id = _contact_id(session, token)
    if contact_id is None:
        return False
    contact = session.get(Contact, contact_id, with_for_update=True)
    if contact.unsubscribed_at is None:
        contact.unsubscribed_at = now()
        waiting = list(session.scalars(select(InvitationMessage.message_id).join(
            Invitation, Invitation.id == InvitationMessage.invitation_id).where(Invitation.contact_id == contact.id)))
        waiting += session.scalars(select(CohortUpdateMessage.message_id).where(
            CohortUpdateMessage.contact_id == contact.id))
        cancelled = cancel_messages(session, waiting, "unsubscribed from the cohort's messages")
        record(session, PUBLIC, "unsubscribe", "contact", contact.id, incident_id=contact.incident_id,
               detail=f"fields: unsubscribed_at; {cancelled} messages withdrawn")
    return True


def unsubscribe_person(session: Session, token: object) -> bool:
    """No more of the support team's emails to a registered person who followed the unsubscribe link of
    one (pathways withdraws their consent to emails), from now: those not yet sent are withdrawn. False
    for a token that is not such a link."""
    emails = stop_emails(session, token)
    if emails is None:
        return False
    cancel_messages(session, emails, "the person unsubscribed from the support team's emails")
    return True
