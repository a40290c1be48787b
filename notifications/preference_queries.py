"""How the person a message went to asked to be reached, shown beside the channel the message actually
went by: a member of staff's roster preference for a call-out message (the call-out board and the
outbox), and an affected person's choice for a message pathways sent them (the outbox), which pathways
keeps and gives through the `PERSON_PREFERENCES` port. An agency coordinator asked for staff shows none."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.roles import Actor, Permission, require
from core.plugin_shapes import Port
from notifications.model import CallOutRecipient, OutboundMessage
from rosters.queries import contact_preferences


class PersonPreferences(Protocol):
    def labels(self, session: Session, message_ids: Collection[int]) -> dict[int, str]:
        """How the affected person each of these messages went to asked to be reached, by message id;
        messages to no affected person are left out."""


PERSON_PREFERENCES: Port[PersonPreferences] = Port(
    "notifications' person-preferences port",
    "the outbox would not show how the affected person a message went to asked to be reached")


def preference_labels(session: Session, staff_ids: Iterable[int]) -> dict[int, str]:
    """Each person's preference as pages name it ("SMS only (no calls)"), by staff id."""
    return {staff_id: found.label for staff_id, found in contact_preferences(session, staff_ids).items()}


def staff_preferences(session: Session, actor: Actor, messages: Iterable[OutboundMessage]) -> dict[int, str]:
    """The preference of the member of staff each call-out message went to, by message id; other
    messages are left out. The person is the call-out's recipient at that number (the number is
    copied when they are asked, so a roster re-import does not lose them)."""
    require(actor, Permission.OUTBOX_VIEW)
    to_staff = [m for m in messages if m.callout_id is not None]
    if not to_staff:
        return {}
    staff_of = {(callout_id, mobile): staff_id for callout_id, mobile, staff_id in session.execute(
        select(CallOutRecipient.callout_id, CallOutRecipient.mobile, CallOutRecipient.staff_id)
        .where(CallOutRecipient.callout_id.in_({m.callout_id for m in to_staff})))}
    labels = preference_labels(session, staff_of.values())
    return {m.id: labels[staff_id] for m in to_staff
            if (staff_id := staff_of.get((m.callout_id, m.destination))) in labels}


def message_preferences(session: Session, actor: Actor, messages: Iterable[OutboundMessage]) -> dict[int, str]:
    """The preference of whoever each message went to, by message id: a member of staff's for a
    call-out message, an affected person's for a message sent them; others are left out."""
    messages = list(messages)
    found = PERSON_PREFERENCES.get().labels(session, [m.id for m in messages if m.callout_id is None])
    return found | staff_preferences(session, actor, messages)
