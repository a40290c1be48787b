"""Writing and reading the audit trail. Services call `record`; pages never do."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core.audit.chain_head import AUDIT_CHAIN, head_of
from core.audit.model import AuditEvent, AuditNote, ChainHead
from core.audit.sequencing import CHAINED_FIELDS, chained_fields, sequence_committed, unsequenced
from core.auth.roles import Actor, Permission, require
from core.clock import as_utc, now, show
from core.csv_safe import write_csv
from core.errors import InputError
from core.hashchain import ChainCheck, Head, against_head, walk
from core.settings import get_settings
from core.typed_text import one_line


def record_opening(session: Session, actor: Actor, entity: str, entity_id: object, *, reason: str,
                   incident_id: int | None = None, detail: str = "") -> AuditEvent | None:
    """Record a view of a record once per opening, with the reason typed for it (kept as a note: it
    may name a health matter). A page redraws the record on every click in it; that is still the
    opening already recorded while the same person's newest view of it has the same reason and is
    within the idle timeout. None when it was."""
    last = session.execute(
        select(AuditEvent.at, AuditNote.note).join(AuditNote, AuditNote.event_id == AuditEvent.id, isouter=True)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id), AuditEvent.action == "view",
               AuditEvent.actor_user_id == actor.user_id)
        .order_by(AuditEvent.id.desc()).limit(1)).first()
    if (last is not None and (last.note or "") == reason
            and now() - as_utc(last.at) < timedelta(minutes=get_settings().idle_timeout_minutes)):
        return None
    return record(session, actor, "view", entity, entity_id, incident_id=incident_id, note=reason, detail=detail)


def disclosure_recipient(text: str, what: str) -> str:
    """Who a disclosure goes to, as one tidy line: the trail records every recipient (DPA 2018 s.62),
    so none may be left out. `what` names the thing disclosed ("the report")."""
    recipient = one_line(" ".join((text or "").split()), "The recipient", 200)
    if not recipient:
        raise InputError(f"Say who {what} is for (DPA 2018 s.62 records every disclosure's recipient).")
    return recipient


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object = "",
    *,
    incident_id: int | None = None,
    reason: str = "",
    recipient: str = "",
    detail: str = "",
    note: str = "",
) -> AuditEvent:
    """Append one event to the trail, in the caller's unit of work (so it commits with the change).
    It takes no lock and reads nothing: the sequencer links it into the chain once it has committed
    (core.audit.sequencing). `reason` is chained in the clear: a code or a phrase Stand Up wrote.
    What a person typed that may carry personal or health detail is a `note`: kept encrypted beside
    the event (AuditNote)."""
    event = AuditEvent(
        at=now(),
        actor_user_id=actor.user_id,
        actor=actor.username,
        role=actor.role.value if actor.role else "system",
        action=action,
        entity=entity,
        entity_id="" if entity_id is None else str(entity_id),
        incident_id=incident_id,
        reason=reason,
        recipient=recipient,
        detail=detail,
    )
    session.add(event)
    session.flush()
    if note:
        session.add(AuditNote(event_id=event.id, note=note))
    return event


def erase_notes_about(session: Session, entity: str, ids: list[object]) -> None:
    """With the record they justify views and changes of, the typed notes go (retention); the events
    and the chain stay."""
    about = select(AuditEvent.id).where(AuditEvent.entity == entity, AuditEvent.entity_id.in_([str(i) for i in ids]))
    session.execute(delete(AuditNote).where(AuditNote.event_id.in_(about)))


def notes_of(session: Session, event_ids: list[int]) -> dict[int, str]:
    """The typed justifications of these events (decrypted), for the auditor's view and export."""
    if not event_ids:
        return {}
    return dict(session.execute(select(AuditNote.event_id, AuditNote.note)
                                .where(AuditNote.event_id.in_(event_ids))).all())


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    person_id: str = ""  # every event about one person's record (entity "person", this id)
    action: str = ""
    entity: str = ""
    entity_id: str = ""
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 500


EXPORT_LIMIT = 100_000  # rows in one export; more must be narrowed first


def _checked(f: AuditFilter) -> AuditFilter:
    """The filter with the ids a person types trimmed; one no event can have (a control character,
    which PostgreSQL cannot even compare when it is NUL, or longer than the column) is refused. The
    user, action and record type come from pickers of what the trail holds."""
    return replace(f, person_id=one_line(f.person_id, "Person (record number)", 40),
                   entity_id=one_line(f.entity_id, "Record id", 40))


def _matching(f: AuditFilter):
    q = select(AuditEvent)
    if f.actor:
        q = q.where(AuditEvent.actor == f.actor)
    if f.person_id:
        q = q.where(AuditEvent.entity == "person", AuditEvent.entity_id == f.person_id)
    if f.action:
        q = q.where(AuditEvent.action == f.action)
    if f.entity:
        q = q.where(AuditEvent.entity == f.entity)
    if f.entity_id:
        q = q.where(AuditEvent.entity_id == f.entity_id)
    if f.since:
        q = q.where(AuditEvent.at >= f.since)
    if f.until:
        q = q.where(AuditEvent.at <= f.until)
    return q


def search(session: Session, actor: Actor, f: AuditFilter) -> list[AuditEvent]:
    """Events matching the filter, newest first. Reading the trail is itself audited."""
    require(actor, Permission.AUDIT_VIEW)
    f = _checked(f)
    rows = list(session.scalars(_matching(f).order_by(AuditEvent.id.desc()).limit(f.limit)))
    record(session, actor, "view", "audit_event", detail=f"search {f}")
    return rows


EXPORT_COLUMNS = ("id", "at_utc", "at_london", "actor", "role", "action", "entity", "entity_id", "incident_id",
                  "reason", "note", "recipient", "detail", "hash")


def export_events(session: Session, actor: Actor, f: AuditFilter, *, recipient: str) -> str:
    """Every event matching the filter (not only the page's first rows), oldest first, as CSV a
    spreadsheet cannot run, each with its hash in the chain (committed events are sequenced first).
    The export is a disclosure: it is audited with its recipient."""
    require(actor, Permission.AUDIT_VIEW)
    f = _checked(f)
    recipient = disclosure_recipient(recipient, "the export")
    sequence_committed(session)  # every event exported with its place in the chain
    count = session.scalar(select(func.count()).select_from(_matching(f).subquery())) or 0
    if count > EXPORT_LIMIT:
        raise InputError(f"{count:,} events match; one export holds at most {EXPORT_LIMIT:,}. Narrow the filter "
                         "(user, person, action or dates).")
    rows = session.execute(select(AuditEvent, AuditNote.note).join(
        AuditNote, AuditNote.event_id == AuditEvent.id, isouter=True).where(
        AuditEvent.id.in_(_matching(f).with_only_columns(AuditEvent.id))).order_by(AuditEvent.id)).yield_per(5000)
    data = write_csv(({"id": e.id, "at_utc": as_utc(e.at).isoformat(), "at_london": show(e.at, "%Y-%m-%d %H:%M:%S"),
                       "note": note or "", **{name: getattr(e, name) for name in EXPORT_COLUMNS[3:] if name != "note"}}
                      for e, note in rows), EXPORT_COLUMNS)
    record(session, actor, "export", "audit_event", recipient=recipient,
           detail=f"{count} event{'' if count == 1 else 's'}: {f}")
    return data


def verify_chain(session: Session, actor: Actor, *, keep_at: frozenset[int] = frozenset()) -> ChainCheck:
    """Every link of the audit trail in chain order, and the trail against its head: events changed,
    removed from the middle, or removed from the end, by event id. Every committed event is
    sequenced first, so the check covers all of them; `pending` counts those still waiting (written
    by units of work that had not committed). `keep_at`: positions whose events the check keeps, for
    comparing with signed checkpoints."""
    require(actor, Permission.AUDIT_VIEW)
    sequence_committed(session)
    # The head comes with every row, from one statement: one snapshot, so events sequenced while
    # the walk runs are neither counted as missing nor as extra. Columns, not events: an event
    # this session loaded before it was sequenced would still show no hashes.
    rows = session.execute(
        select(AuditEvent.id, AuditEvent.prev_hash, AuditEvent.hash,
               *(getattr(AuditEvent, name) for name in CHAINED_FIELDS), ChainHead.length, ChainHead.head_hash)
        .select_from(AuditEvent).join(ChainHead, ChainHead.chain == AUDIT_CHAIN, isouter=True)
        .where(AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq)
    ).yield_per(2000)
    seen: list[Head | None] = [None]

    def links():
        for row in rows:
            seen[0] = None if row.length is None else Head(row.length, row.head_hash)
            yield row.id, chained_fields(row), row.prev_hash, row.hash

    walked = walk(links(), keep_at)
    head = seen[0] if walked.count else head_of(session, AUDIT_CHAIN)  # no row: every event removed?
    return replace(against_head(walked, head), pending=unsequenced(session))


def distinct_values(session: Session, actor: Actor) -> dict[str, list[str]]:
    """The actors, actions and entities seen, for the filter pickers."""
    require(actor, Permission.AUDIT_VIEW)
    return {
        name: sorted(session.scalars(select(col).distinct()))
        for name, col in (("actor", AuditEvent.actor), ("action", AuditEvent.action), ("entity", AuditEvent.entity))
    }
