"""The port through which a use case texts an affected person (a change of their key worker), filled
by the composition layer with the SMS outbox, which marks an exercise's texts. Nothing health-related
goes in such a text."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from core.plugin_shapes import Port


class PersonTexts(Protocol):
    def text(self, session: Session, *, incident_id: int, mobile: str, body: str, purpose: str) -> None:
        """Queue one SMS in `session`, so it commits with the change it tells of, or not at all."""


PERSON_TEXTS: Port[PersonTexts] = Port("pathways' texts-to-people port",
                                       "a person would not be told that their key worker changed")
