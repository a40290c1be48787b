"""How the member of staff a call-out message went to asked to be reached (their roster's contact
preference), shown beside the channel the message actually went by: on the call-out board and in
the outbox. Staff are the only people Stand Up messages with a preference; an agency coordinator
asked for staff or an affected person reminded shows none."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.roles import Actor, Permission, require
from notifications.model import CallOutRecipient, OutboundMessage
from rosters.queries import contact_preferences


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
