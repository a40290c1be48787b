from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.crypto import EncryptedText
from core.db import Base


class AuditEvent(Base):
    """Who did or saw what, when, why and for whom (DPA 2018 s.62). Append-only, hash-chained:
    written unsequenced, then given its place in the chain (seq, prev_hash, hash) once, by
    core.audit.sequencing."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity", "entity", "entity_id"),
        Index("ix_audit_event_actor_at", "actor", "at"),
        # The events waiting to be sequenced, lowest id first: the sequencer's one read.
        Index("ix_audit_event_unsequenced", "id", sqlite_where=text("seq IS NULL"),
              postgresql_where=text("seq IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_user_id: Mapped[int | None]
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(30), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40), default="")
    incident_id: Mapped[int | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    recipient: Mapped[str] = mapped_column(String(200), default="")
    # What changed, by field name only: never the personal or health content itself.
    detail: Mapped[str] = mapped_column(Text, default="")
    # Position in the chain (1 = oldest); None until sequenced, like the two hashes.
    seq: Mapped[int | None] = mapped_column(unique=True, index=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class ChainHead(Base):
    """The head of one hash chain ("audit", "decision_log:<incident id>"): how many rows it has and
    the newest one's hash, moved in the same transaction as each append. Deleting the newest rows
    leaves a chain that still links up; against its head it comes up short. The database refuses
    to delete a head or move it backwards."""

    __tablename__ = "chain_head"

    chain: Mapped[str] = mapped_column(String(60), primary_key=True)
    length: Mapped[int]
    head_hash: Mapped[str] = mapped_column(String(64))


class AuditNote(Base):
    """What a person typed to justify an event that can carry personal or health detail (why a case
    was closed, why a record was opened): encrypted, kept beside the event rather than in its chained
    row, so it goes with the person's retention while the event and the chain stay."""

    __tablename__ = "audit_note"

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id"), primary_key=True)
    note: Mapped[str] = mapped_column(EncryptedText)


class AuditCheckpoint(Base):
    """A signed checkpoint of one hash chain (core.audit.checkpoints): the database's copy, beside the
    append-only file in the data folder. The worker reads it to sign only heads that moved;
    `standup audit verify` reads it with the file, so lines removed from either are missed by the other.
    Append-only."""

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(60), index=True)
    length: Mapped[int]
    head_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]  # whole seconds, as signed
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(100))
