"""Who sent a batch of inbound messages, and which call-out place each answer is for, read in a few
statements before the messages are handled (a query per message per question was most of a
message's cost: each round trip is milliseconds on a loaded PostgreSQL).

What a batch reads stays true while it is handled: handling a message never changes who is a
coordinator or on a roster, nor which call-outs a number was asked in; a call-out place's state and
its call-out's status change only under the call-out's lock, which the batch holds from here to its
commit for every call-out its answers are for. An answer for a call-out the batch did not lock
(its place chosen afresh as earlier messages changed states) is locked when it is handled."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.agencies.model import Agency
from notifications.callout_service import OPEN_STATES, LockedCallOut, lock_callouts
from notifications.model import CallOut, CallOutRecipient, RecipientState
from notifications.replies import Reply
from rosters.queries import rostered_mobiles

ANSWERS = ("yes", "no", "cancel")  # the intents that answer a call-out


@dataclass(frozen=True)
class Senders:
    coordinators: dict[str, Agency]  # by mobile: the active agency a number coordinates (the first by id)
    staff: frozenset[str]  # mobiles on a roster
    # Every call-out place of each staff number answering a call-out, newest call-out first; the
    # rows are the session's own, so a place's state is as the batch's earlier answers left it.
    places: dict[str, list[tuple[CallOutRecipient, CallOut]]]
    locked: dict[int, LockedCallOut]  # by call-out id


def places_answered(senders: Senders, mobile: str, reply: Reply) -> list[CallOutRecipient]:
    """The call-out places (newest call-out first) an answer from `mobile` may be for: with a code,
    that call-out's; without one, those asked in call-outs still open, else the latest one asked."""
    places = senders.places.get(mobile, ())
    if reply.code:
        return [place for place, callout in places if callout.code == reply.code]
    asked = [(place, callout) for place, callout in places if place.state != RecipientState.WAITING.value]
    return [place for place, callout in asked if callout.status in OPEN_STATES] or [place for place, _ in asked[:1]]


def place_answered(places: list[CallOutRecipient], reply: Reply) -> CallOutRecipient | None:
    """Of `places_answered`, the one the answer is for: its code's newest, or without a code the only
    one (None: none, or more than one, which the sender must tell apart with the code)."""
    return places[0] if places and (reply.code or len(places) == 1) else None


def read_senders(session: Session, messages: Sequence[tuple[str, Reply]]) -> Senders:
    """What `messages` ((sender's mobile, what it says); tens at most) need to know of their senders,
    with the call-out each call-out answer is for locked."""
    mobiles = sorted({mobile for mobile, _ in messages})
    coordinators: dict[str, Agency] = {}
    for agency in session.scalars(select(Agency).where(Agency.coordinator_mobile.in_(mobiles), Agency.active.is_(True))
                                  .order_by(Agency.id)):
        coordinators.setdefault(agency.coordinator_mobile, agency)
    staff = frozenset(rostered_mobiles(session, mobiles))
    answers = [(mobile, reply) for mobile, reply in messages if mobile in staff and reply.intent in ANSWERS]
    answering = sorted({mobile for mobile, _ in answers})
    senders = Senders(coordinators, staff, _places(session, answering), {})
    chosen = (place_answered(places_answered(senders, mobile, reply), reply) for mobile, reply in answers)
    senders.locked.update(lock_callouts(session, {place.callout_id for place in chosen if place is not None}))
    if senders.locked:
        # The places were read before their call-outs were locked: read them again now that nobody
        # else can change them until this unit of work ends.
        session.scalars(select(CallOutRecipient).where(CallOutRecipient.callout_id.in_(list(senders.locked)),
                                                       CallOutRecipient.mobile.in_(answering))
                        .execution_options(populate_existing=True)).all()
    return senders


def _places(session: Session, mobiles: list[str]) -> dict[str, list[tuple[CallOutRecipient, CallOut]]]:
    found: dict[str, list[tuple[CallOutRecipient, CallOut]]] = defaultdict(list)
    if mobiles:
        for place, callout in session.execute(
                select(CallOutRecipient, CallOut).join(CallOut, CallOut.id == CallOutRecipient.callout_id)
                .where(CallOutRecipient.mobile.in_(mobiles)).order_by(CallOut.id.desc(), CallOutRecipient.id)):
            found[place.mobile].append((place, callout))
    return found
