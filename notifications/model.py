"""Messaging tables: the outbox (every channel's messages: SMS, email, calls) with its status
history, inbound messages, the opt-out list per channel, mobilisation requests to agency
coordinators, and call-outs with their recipients.

A channel is named on each row (`notifications.channels`): a new channel is a module and a
registration, never a new column; what one channel alone needs rides in `payload`.

Staff and shift requirements belong to rosters; call-outs refer to them by id (staff_id,
requirement_id) and copy the mobile they texted, so the board still shows who was asked
after a roster re-import.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now
from core.crypto import EncryptedText
from core.db import Base


class OutboundStatus(StrEnum):
    PENDING = "pending"  # a row in our outbox, not yet handed to the provider (retries wait here too)
    SENDING = "sending"  # claimed by a dispatcher; the provider call may be in flight
    ACCEPTED = "accepted"  # the provider took it (Twilio queued/accepted)
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    BLOCKED = "blocked"  # never sent: the number opted out
    CANCELLED = "cancelled"  # never sent: no longer needed (quorum met, call-out closed)
    UNKNOWN = "unknown"  # a dispatcher stopped mid-send: a person checks before anything is re-sent


class OutboundMessage(Base):
    __tablename__ = "outbound_message"
    __table_args__ = (
        # Each channel's dispatcher claims its own due rows, oldest first.
        Index("ix_outbound_message_due", "channel", "status", "due_at"),
        # The situation report counts an incident's messages by status: read from the index, not
        # 200,000 rows of message text.
        Index("ix_outbound_message_incident_status", "incident_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="sms")  # a name in notifications.channels
    destination: Mapped[str] = mapped_column(String(320), index=True)  # as the channel writes it: E.164, an address
    subject: Mapped[str | None] = mapped_column(String(200))  # channels that have one (email)
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[str | None] = mapped_column(Text)  # JSON: what only this channel needs (never health data)
    segments: Mapped[int]  # pacing units: SMS segments; 1 for an email or a call
    purpose: Mapped[str] = mapped_column(String(20))  # callout, reminder, mobilisation, notice
    callout_id: Mapped[int | None] = mapped_column(ForeignKey("callout.id"), index=True)
    mobilisation_id: Mapped[int | None] = mapped_column(ForeignKey("mobilisation_request.id"))
    validity_seconds: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default=OutboundStatus.PENDING.value)
    due_at: Mapped[datetime] = mapped_column(default=now)
    attempts: Mapped[int] = mapped_column(default=0)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    error_code: Mapped[int | None]
    error_text: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    status_at: Mapped[datetime] = mapped_column(default=now)


class OutboundStatusEvent(Base):
    """Every status a message went through, in order, with where the news came from."""

    __tablename__ = "outbound_status_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbound_message.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=now)
    source: Mapped[str] = mapped_column(String(20))  # outbox, dispatcher, callback, reconcile, person
    error_code: Mapped[int | None]
    note: Mapped[str] = mapped_column(String(300), default="")


class InboundMessage(Base):
    """A text received, or a key pressed on a call (channel "voice": the body is the digit)."""

    __tablename__ = "inbound_message"
    # The call-out page asks on every run for the few replies that need a person, newest first.
    __table_args__ = (Index("ix_inbound_message_attention", "needs_attention", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The provider may deliver one message more than once: the unique SID makes a replay a no-op.
    provider_sid: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(20), default="sms")
    sender: Mapped[str] = mapped_column(String(320), index=True)
    to_number: Mapped[str] = mapped_column(String(32), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(default=now)
    sender_kind: Mapped[str] = mapped_column(String(20))  # staff, coordinator, person (an affected person), unknown
    intent: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(8))
    number: Mapped[int | None]
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incident.id"), index=True)
    callout_id: Mapped[int | None] = mapped_column(ForeignKey("callout.id"))
    mobilisation_id: Mapped[int | None] = mapped_column(ForeignKey("mobilisation_request.id"))
    outcome: Mapped[str] = mapped_column(String(40), default="")  # what we did with it, for the hub manager
    reply_text: Mapped[str] = mapped_column(Text, default="")
    needs_attention: Mapped[bool] = mapped_column(default=False)
    # The webhook only stores a message (processed_at None, its words encrypted in pending_body: they
    # may be an affected person's) and the worker handles it later. Rows made any other way are
    # handled as they are made.
    processed_at: Mapped[datetime | None] = mapped_column(default=now, index=True)
    pending_body: Mapped[str | None] = mapped_column(EncryptedText)
    # The worker's failed tries at a stored message (each rolled back alone) and the last one's
    # reason; after notifications.inbound_service.MAX_ATTEMPTS it is parked for a person to read.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    failure: Mapped[str] = mapped_column(String(300), default="", server_default="")


class OptOut(Base):
    """An address that asked for no more messages on one channel (STOP by SMS, an unsubscribe link
    for email). Opting back in (START) clears `opted_out`; the row stays as the record."""

    __tablename__ = "opt_out"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    opted_out: Mapped[bool]
    changed_at: Mapped[datetime] = mapped_column(default=now)
    via_message_sid: Mapped[str] = mapped_column(String(64), default="")


class MobilisationRequest(Base):
    """"How many staff can you send?" to one agency's coordinator, and the number they offered."""

    __tablename__ = "mobilisation_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    # Quoted back with the number ("4 K7QX") when the agency has requests open in several incidents.
    code: Mapped[str | None] = mapped_column(String(4), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    to_mobile: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(default=now)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    offered: Mapped[int | None]
    answered_at: Mapped[datetime | None]


class CallOutStatus(StrEnum):
    OPEN = "open"  # asking, waves going out
    QUORUM_MET = "quorum_met"  # enough confirmed: no more asking
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class CallOut(Base):
    __tablename__ = "callout"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)
    requirement_id: Mapped[int] = mapped_column(index=True)  # rosters' shift requirement
    template: Mapped[str] = mapped_column(Text)
    quorum: Mapped[int]
    wave_interval_minutes: Mapped[int]
    reminder_after_minutes: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=CallOutStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    expires_at: Mapped[datetime]
    next_wave_at: Mapped[datetime | None]
    quorum_met_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Exercise incidents only: simulated responders answer YES this share of the time, after this delay.
    exercise_yes_share: Mapped[float | None]
    exercise_reply_seconds: Mapped[int | None]
    # Phone those who have not answered by the reminder time (press 1 or 2) instead of texting a reminder.
    call_if_unanswered: Mapped[bool] = mapped_column(default=False)


class RecipientState(StrEnum):
    WAITING = "waiting"  # chosen for a later wave, not asked yet
    ASKED = "asked"
    CONFIRMED = "confirmed"  # said YES and the assignment was made
    STANDBY = "standby"  # said YES after the quorum was met
    REFUSED_BY_RULE = "refused_by_rule"  # said YES but a hard rule forbids the assignment
    DECLINED = "declined"  # said NO
    WITHDRAWN = "withdrawn"  # CANCEL <code> after confirming
    NO_REPLY = "no_reply"  # the call-out closed before they answered


class CallOutRecipient(Base):
    __tablename__ = "callout_recipient"
    __table_args__ = (
        UniqueConstraint("callout_id", "staff_id"),
        # Who was asked least recently, for each new call-out (callouts._fairest_first).
        Index("ix_callout_recipient_staff_asked", "staff_id", "asked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    callout_id: Mapped[int] = mapped_column(ForeignKey("callout.id"), index=True)
    staff_id: Mapped[int]
    mobile: Mapped[str] = mapped_column(String(20), index=True)
    display_name: Mapped[str] = mapped_column(String(120))
    rank: Mapped[int]  # order of asking, from the eligibility ranking
    wave: Mapped[int | None]  # None while waiting
    state: Mapped[str] = mapped_column(String(20), default=RecipientState.WAITING.value)
    asked_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    assignment_id: Mapped[int | None]
    flag: Mapped[str] = mapped_column(String(300), default="")  # why a person must look at this one
