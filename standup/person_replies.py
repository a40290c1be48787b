"""Affected people's SMS replies reach their support team: the notifications inbound port
(notifications.inbound_service.PersonReplies) backed by pathways.person_replies. The composition layer
joins the two domains, so neither imports the other (as standup/reminders.py does the other way)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from notifications.inbound_service import plug_person_replies
from pathways.person_replies import take_reply


class PathwaysPersonReplies:
    """notifications.inbound_service.PersonReplies backed by pathways."""

    def take(self, session: Session, *, mobile: str, body: str, received_at: datetime,
             provider_sid: str) -> str | None:
        return take_reply(session, mobile=mobile, body=body, received_at=received_at, provider_sid=provider_sid)


def plug_in() -> None:
    """Called where inbound SMS are handled: the web server (webhooks and the console outbox page,
    one process) and the standalone webhook app."""
    plug_person_replies(PathwaysPersonReplies())
