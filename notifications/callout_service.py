"""Call-outs: text the eligible people for a shift requirement in waves, read their answers,
make assignments through rosters (which applies every hard rule), and stop once enough said yes.

A hub surge ("3 more support workers here, from now, for 4 hours") is a call-out too: rosters
plans a one-off surge requirement and the call-out fills it, so the coverage board, the rules
and the board treat it like any other shift."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.settings import get_settings
from core.typed_text import free_text, one_line
from incident.queries import hub_facts, is_exercise, lock_hub
from notifications import call_script
from notifications import callout_rules as rules
from notifications.exercise_texts import as_sent
from notifications.model import (
    CallOut,
    CallOutRecipient,
    CallOutStatus,
    OptOut,
    OutboundMessage,
    OutboundStatus,
    RecipientState,
)
from notifications.outbox_service import cancel_pending, is_opted_out, queue, queue_sms
from notifications.reply_codes import code_is_free, fresh_code
from notifications.segments import SegmentInfo, measure
from rosters.assignment_service import RuleBroken, assign, eligible_for, live_assignments, withdraw
from rosters.queries import (
    ContactPreference,
    RequirementFacts,
    contact_preferences,
    requirement_facts,
    surges_overlapping,
)
from rosters.requirement_service import plan_surge

R = RecipientState
SMS_ACTOR = Actor.system("sms")  # answers by SMS act under the rules, as the service itself
OPEN_STATES = (CallOutStatus.OPEN.value, CallOutStatus.QUORUM_MET.value)


@dataclass(frozen=True)
class Preview:
    code: str  # the reply code the call-out will carry when started with it (start_callout's `code`)
    text: str
    segments: SegmentInfo
    eligible: int
    open_places: int


def _facts(session: Session, callout_code: str, requirement: RequirementFacts) -> rules.ShiftFacts:
    hub = hub_facts(session, requirement.hub_id)
    return rules.ShiftFacts(callout_code, requirement.role, hub.name if hub else "the hub",
                            requirement.starts_at, requirement.ends_at)


def _open_places(session: Session, requirement: RequirementFacts) -> int:
    return requirement.headcount - len(live_assignments(session, [requirement.id])[requirement.id])


def _askable(session: Session, actor: Actor, requirement_id: int):
    opted_out = set(session.scalars(select(OptOut.address).where(OptOut.channel == "sms", OptOut.opted_out.is_(True))))
    return [c for c in eligible_for(session, actor, requirement_id) if not c.sms_opted_out and c.mobile not in opted_out]


def _typed_template(template: str) -> str:
    # A text may have line breaks; 1,000 characters is more than the outbox's six segments carry.
    return free_text(template, "The message", 1000)


def preview_callout(session: Session, actor: Actor, requirement_id: int,
                    template: str = rules.DEFAULT_TEMPLATE, code: str | None = None) -> Preview:
    """The text exactly as responders will get it, its segments and who could be asked. The code is
    `code` while still free (the page keeps the one it showed), else a fresh one: starting the call-out
    with the preview's code sends what the hub manager read, code included."""
    require(actor, Permission.CALLOUT_RUN)
    template = _typed_template(template)
    requirement = requirement_facts(session, requirement_id)
    code = code.upper() if code and code_is_free(session, code) else fresh_code(session)
    text = as_sent(_rendered(session, template, code, requirement),
                   is_exercise=is_exercise(session, requirement.incident_id))
    return Preview(code, text, measure(text), len(_askable(session, actor, requirement_id)),
                   _open_places(session, requirement))


def _rendered(session: Session, template: str, code: str, requirement: RequirementFacts) -> str:
    try:
        return rules.render(template, _facts(session, code, requirement))
    except ValueError as exc:
        raise InputError(str(exc)) from None


def start_callout(session: Session, actor: Actor, requirement_id: int, *, quorum: int | None = None,
                  template: str = rules.DEFAULT_TEMPLATE, wave_interval_minutes: int = 15,
                  reminder_after_minutes: int = 10, expires_at: datetime | None = None,
                  exercise_yes_share: float | None = None, exercise_reply_seconds: int | None = None,
                  code: str | None = None, call_if_unanswered: bool = False,
                  rng: random.Random | None = None) -> CallOut:
    """Open a call-out for a requirement's open places and send its first wave (2 × quorum).
    `code`: the reply code the preview showed; without it a fresh one is drawn. `call_if_unanswered`:
    calls are allowed: those who have not answered by the reminder time are phoned instead of texted a
    reminder, and those who asked for a call first are phoned as they are asked; those who asked for
    SMS only never are (callout_rules)."""
    require(actor, Permission.CALLOUT_RUN)
    template = _typed_template(template)
    # Locked, so a double click cannot open two call-outs for one shift.
    requirement = requirement_facts(session, requirement_id, lock=True)
    quorum = _checked_quorum(session, requirement, quorum)
    _check_pacing(wave_interval_minutes, reminder_after_minutes)
    expires_at = _checked_expiry(requirement, expires_at)
    _check_simulation(session, requirement, exercise_yes_share, exercise_reply_seconds)
    _check_calls(call_if_unanswered)
    _refuse_a_second_callout(session, requirement)
    askable = _people_to_ask(session, actor, requirement)
    code = _reply_code(session, code, rng)
    _rendered(session, template, code, requirement)  # a template that cannot be filled is refused now
    callout = CallOut(
        incident_id=requirement.incident_id, code=code, requirement_id=requirement.id, template=template,
        quorum=quorum, wave_interval_minutes=wave_interval_minutes, reminder_after_minutes=reminder_after_minutes,
        status=CallOutStatus.OPEN.value, created_at=now(), created_by_id=actor.user_id, expires_at=expires_at,
        exercise_yes_share=exercise_yes_share,
        exercise_reply_seconds=exercise_reply_seconds if exercise_yes_share is not None else None,
        call_if_unanswered=call_if_unanswered,
    )
    _open(session, actor, callout, askable)
    _send_wave(session, callout, requirement)
    return callout


def _checked_quorum(session: Session, requirement: RequirementFacts, quorum: int | None) -> int:
    """How many YESes end the call-out: every open place unless fewer are asked for."""
    places = _open_places(session, requirement)
    if places <= 0:
        raise InputError("This shift is already fully staffed; there is nothing to call out for.")
    quorum = places if quorum is None else quorum
    if not 1 <= quorum <= places:
        raise InputError(f"The number needed must be between 1 and the {places} open places.")
    return quorum


def _check_pacing(wave_interval_minutes: int, reminder_after_minutes: int) -> None:
    if not 5 <= wave_interval_minutes <= 240:
        raise InputError("The time between waves must be 5 to 240 minutes.")
    if not 1 <= reminder_after_minutes <= 240:
        raise InputError("The reminder delay must be 1 to 240 minutes.")


def _checked_expiry(requirement: RequirementFacts, expires_at: datetime | None) -> datetime:
    expires_at = expires_at or rules.default_expiry(requirement.starts_at, requirement.ends_at, now())
    if expires_at <= now():
        raise InputError("The call-out must expire in the future; this shift is over.")
    return expires_at


def _check_simulation(session: Session, requirement: RequirementFacts, yes_share: float | None,
                      reply_seconds: int | None) -> None:
    """Simulated responders answer an exercise's call-out by themselves; never a live one's."""
    if yes_share is None:
        return
    if not is_exercise(session, requirement.incident_id):
        raise InputError("Simulated responders are for exercise incidents only.")
    if not 0 <= yes_share <= 1 or not 0 <= (reply_seconds or 0) <= 3600:
        raise InputError("The simulated YES share must be 0 to 1 and the reply delay 0 to 3600 seconds.")


def calls_can_be_made() -> bool:
    """False where texts are real but calls would only show on the console: nobody would be phoned,
    while the board showed the calls as made."""
    settings = get_settings()
    return settings.voice_backend != "console" or settings.sms_backend == "console"


def _check_calls(call_if_unanswered: bool) -> None:
    if call_if_unanswered and not calls_can_be_made():
        raise InputError("Calls are not set up on this server (VOICE_BACKEND=console): nobody would be phoned. "
                         "Untick \"call if unanswered\", or ask the administrator to set VOICE_BACKEND=twilio.")


def _refuse_a_second_callout(session: Session, requirement: RequirementFacts) -> None:
    open_same = session.scalar(select(CallOut.code).where(CallOut.requirement_id == requirement.id,
                                                          CallOut.status.in_(OPEN_STATES)))
    if open_same:
        raise InputError(f"Call-out {open_same} is already open for this shift; cancel it first.")


def _people_to_ask(session: Session, actor: Actor, requirement: RequirementFacts) -> list:
    askable = _fairest_first(session, _askable(session, actor, requirement.id))
    if not askable:
        raise InputError("Nobody eligible for this shift can be texted (check rosters, rules and opt-outs).")
    return askable


def _reply_code(session: Session, code: str | None, rng: random.Random | None) -> str:
    """The preview's code while still free; a fresh one when none was previewed."""
    if code is None:
        code = fresh_code(session, rng)
    elif not code_is_free(session, code):
        # Another call-out took it since the preview (or it was never a code): sending under a
        # different code would text one the hub manager did not read out.
        raise InputError(f"The reply code {code} is no longer free, so nothing was sent. The preview now "
                         "shows a new code: check it and send again.")
    return code.upper()


def _open(session: Session, actor: Actor, callout: CallOut, askable: list) -> None:
    """The call-out and everyone it may ask, in the order they will be asked; audited."""
    session.add(callout)
    session.flush()
    for rank, recipient in enumerate(askable):
        session.add(CallOutRecipient(callout_id=callout.id, staff_id=recipient.staff_id, mobile=recipient.mobile,
                                     display_name=recipient.name, rank=rank))
    session.flush()
    record(session, actor, "create", "callout", callout.id, incident_id=callout.incident_id,
           detail=f"requirement {callout.requirement_id}, quorum {callout.quorum}, {len(askable)} eligible"
                  + (", calls if unanswered" if callout.call_if_unanswered else ""))


def start_surge_callout(session: Session, actor: Actor, incident_id: int, hub_id: int, *, role: str, more: int,
                        hours: float, starts_at: datetime | None = None, needs_enhanced_dbs: bool = False,
                        **callout) -> CallOut:
    """`more` people of `role` at a hub from `starts_at` (now when None) for `hours`: the surge's
    requirement planned through rosters, and a call-out for all of it (`callout`: as start_callout)."""
    require(actor, Permission.CALLOUT_RUN)
    # The hub is locked so two clicks at once cannot open two surges.
    lock_hub(session, hub_id)
    planned = plan_surge(session, actor, incident_id, hub_id, role=role, headcount=more, hours=hours,
                         starts_at=starts_at, needs_enhanced_dbs=needs_enhanced_dbs)
    shift = requirement_facts(session, planned.id)
    asking = session.scalar(select(CallOut.code).where(CallOut.status == CallOutStatus.OPEN.value,
                                                       CallOut.requirement_id.in_(surges_overlapping(shift))))
    if asking:
        raise InputError(f"Surge call-out {asking} is already open for {shift.role} at this hub at that time; "
                         "cancel it first, or call out for more once it has its people.")
    return start_callout(session, actor, shift.id, **callout)


def preview_surge(session: Session, actor: Actor, incident_id: int, hub_id: int, *, role: str, more: int,
                  hours: float, starts_at: datetime | None = None, needs_enhanced_dbs: bool = False,
                  template: str = rules.DEFAULT_TEMPLATE, code: str | None = None) -> Preview:
    """What a surge would send and to how many, found by planning it under exactly the rules of
    the real thing inside a savepoint that is then rolled back: nothing is kept."""
    require(actor, Permission.CALLOUT_RUN)
    savepoint = session.begin_nested()
    try:
        shift = plan_surge(session, actor, incident_id, hub_id, role=role, headcount=more, hours=hours,
                           starts_at=starts_at, needs_enhanced_dbs=needs_enhanced_dbs)
        return preview_callout(session, actor, shift.id, template, code)
    finally:
        savepoint.rollback()


def _fairest_first(session: Session, recipients: list) -> list:
    """Those never asked before first, then the longest since last asked: the same few people
    must not be woken for every call-out. Ties keep the rosters' order (by name)."""
    last = dict(session.execute(
        select(CallOutRecipient.staff_id, func.max(CallOutRecipient.asked_at))
        .where(CallOutRecipient.staff_id.in_([p.staff_id for p in recipients]), CallOutRecipient.asked_at.is_not(None))
        .group_by(CallOutRecipient.staff_id)).all())
    return sorted(recipients, key=lambda p: (p.staff_id in last, last.get(p.staff_id) or now()))


def _recipients(session: Session, callout: CallOut, *states: RecipientState) -> list[CallOutRecipient]:
    q = select(CallOutRecipient).where(CallOutRecipient.callout_id == callout.id)
    if states:
        q = q.where(CallOutRecipient.state.in_([s.value for s in states]))
    return list(session.scalars(q.order_by(CallOutRecipient.rank)))


def _confirmed(session: Session, callout: CallOut) -> int:
    return session.scalar(select(func.count()).where(CallOutRecipient.callout_id == callout.id,
                                                     CallOutRecipient.state == R.CONFIRMED.value)) or 0


def _send_wave(session: Session, callout: CallOut, requirement: RequirementFacts) -> int:
    wave = 1 + (session.scalar(select(func.max(CallOutRecipient.wave))
                               .where(CallOutRecipient.callout_id == callout.id)) or 0)
    size = rules.wave_size(callout.quorum, _confirmed(session, callout), wave)
    chosen = _recipients(session, callout, R.WAITING)[:size]
    facts = _facts(session, callout.code, requirement)
    text = rules.render(callout.template, facts)
    prefers = contact_preferences(session, [r.staff_id for r in chosen])
    for recipient in chosen:
        recipient.wave, recipient.state, recipient.asked_at = wave, R.ASKED.value, now()
        queue_sms(session, to=recipient.mobile, body=text, purpose="callout", incident_id=callout.incident_id,
                  callout_id=callout.id, validity_seconds=rules.CALLOUT_VALIDITY_SECONDS)
        preference = prefers.get(recipient.staff_id)
        if preference and rules.call_when_asked(callout.call_if_unanswered, phone_first=preference.phone_first):
            _phone(session, callout, recipient, facts, purpose="callout")
    # With nobody left to ask, no further wave is planned; the board shows the shortfall.
    left = len(_recipients(session, callout, R.WAITING))
    callout.next_wave_at = now() + timedelta(minutes=callout.wave_interval_minutes) if left else None
    return len(chosen)


def _close(session: Session, callout: CallOut, status: CallOutStatus, reason: str) -> None:
    callout.status = status.value
    callout.closed_at = now()
    callout.next_wave_at = None
    cancel_pending(session, callout_id=callout.id, reason=reason)
    for recipient in _recipients(session, callout, R.ASKED, R.WAITING):
        recipient.state = R.NO_REPLY.value if recipient.state == R.ASKED.value else recipient.state


def _quorum_check(session: Session, callout: CallOut) -> None:
    if callout.status == CallOutStatus.OPEN.value and _confirmed(session, callout) >= callout.quorum:
        _stop_asking(session, callout)


def cancel_callout(session: Session, actor: Actor, callout_id: int, reason: str) -> CallOut:
    """Stop asking. People already confirmed keep their assignment (withdraw them in rosters)."""
    require(actor, Permission.CALLOUT_RUN)
    callout = _get(session, callout_id)
    reason = one_line(" ".join((reason or "").split()), "The reason", 300)
    if not reason:
        raise InputError("Say why the call-out is cancelled.")
    if callout.status not in OPEN_STATES:
        raise InputError(f"Call-out {callout.code} is already {callout.status.replace('_', ' ')}.")
    _close(session, callout, CallOutStatus.CANCELLED, f"call-out cancelled: {reason}"[:300])
    record(session, actor, "cancel", "callout", callout.id, incident_id=callout.incident_id, reason=reason)
    return callout


def _get(session: Session, callout_id: int) -> CallOut:
    callout = session.get(CallOut, callout_id)
    if callout is None:
        raise InputError(f"No call-out {callout_id}.")
    return callout


# ---------------------------------------------------------------------------------------
# Answers (from the inbound handler, or a hub manager recording a phone call)


def _assign(session: Session, actor: Actor, callout: CallOut, recipient: CallOutRecipient) -> RuleBroken | None:
    """Assign through rosters; the refusal (with every broken rule) when it cannot be done."""
    try:
        with session.begin_nested():
            recipient.assignment_id = assign(session, actor, callout.requirement_id, recipient.staff_id,
                                          source="callout").id
    except RuleBroken as broken:
        return broken
    return None


def _shift_full(refusal: RuleBroken) -> bool:
    """Filled meanwhile by other means (a manual assignment): not this person's fault."""
    return all(v.rule == "full" for v in refusal.violations)


def _stop_asking(session: Session, callout: CallOut) -> None:
    callout.status = CallOutStatus.QUORUM_MET.value
    callout.quorum_met_at = now()
    callout.next_wave_at = None
    cancel_pending(session, callout_id=callout.id, reason="enough people before this was sent")


@dataclass(frozen=True)
class LockedCallOut:
    """A call-out locked until the unit of work ends, read afresh under the lock, with what its
    answers need: its shift's facts (for the texts) and the numbers it has a call not yet placed to."""

    callout: CallOut
    requirement: RequirementFacts
    facts: rules.ShiftFacts
    calls_pending: frozenset[str]  # read once: a number answered twice in a batch asks the outbox again


def lock_callouts(session: Session, callout_ids: Iterable[int]) -> dict[int, LockedCallOut]:
    """Lock these call-outs (tens at most: a batch of answers) in one statement, in id order, so two
    units of work locking several never each hold one the other waits for; by id."""
    ids = sorted(set(callout_ids))
    if not ids:
        return {}
    # Two YESes at once must not both take the last place; a plain get would hand back the copy
    # already loaded, without asking the database for the lock. NO KEY UPDATE, as for every row lock
    # here: the inbound row pointing at this call-out already holds a key-share lock on it, and a full
    # FOR UPDATE from two such transactions deadlocks on PostgreSQL.
    callouts = list(session.scalars(select(CallOut).where(CallOut.id.in_(ids)).order_by(CallOut.id)
                                    .with_for_update(key_share=True).execution_options(populate_existing=True)))
    pending: dict[int, set[str]] = defaultdict(set)
    for callout_id, destination in session.execute(
            select(OutboundMessage.callout_id, OutboundMessage.destination)
            .where(OutboundMessage.callout_id.in_(ids), OutboundMessage.channel == "voice",
                   OutboundMessage.status == OutboundStatus.PENDING.value)):
        pending[callout_id].add(destination)
    locked = {}
    for callout in callouts:
        requirement = requirement_facts(session, callout.requirement_id)
        locked[callout.id] = LockedCallOut(callout, requirement, _facts(session, callout.code, requirement),
                                           frozenset(pending[callout.id]))
    return locked


def answer(session: Session, actor: Actor, recipient: CallOutRecipient, intent: str,
           locked: LockedCallOut | None = None) -> tuple[str, bool]:
    """Apply a yes / no / cancel from `person`: (reply text, needs a person's attention). `locked`:
    the person's call-out as `lock_callouts` locked it for a batch of answers; None: locked here."""
    locked = locked or lock_callouts(session, [recipient.callout_id])[recipient.callout_id]
    callout, requirement, facts = locked.callout, locked.requirement, locked.facts
    recipient.answered_at = now()
    if recipient.mobile in locked.calls_pending:
        # A call not placed yet to someone who has just answered (by text, by phone) would ask again.
        cancel_pending(session, callout_id=callout.id, reason="answered before the call was placed", channel="voice",
                       destination=recipient.mobile)
    if callout.status not in OPEN_STATES:
        return rules.closed_text(callout.code), False
    if intent == "yes":
        if recipient.state in (R.CONFIRMED.value, R.STANDBY.value):
            return (rules.confirmed_text(facts) if recipient.state == R.CONFIRMED.value
                    else rules.standby_text(callout.code)), False
        if callout.status == CallOutStatus.QUORUM_MET.value:
            recipient.state = R.STANDBY.value
            return rules.standby_text(callout.code), False
        refusal = _assign(session, actor, callout, recipient)
        if refusal and _shift_full(refusal):
            recipient.state = R.STANDBY.value
            _stop_asking(session, callout)
            return rules.standby_text(callout.code), False
        if refusal:
            recipient.state, recipient.flag = R.REFUSED_BY_RULE.value, str(refusal)[:300]
            return rules.refused_by_rule_text(callout.code), True
        recipient.state = R.CONFIRMED.value
        _quorum_check(session, callout)
        return rules.confirmed_text(facts), False
    if intent == "no":
        if recipient.state == R.CONFIRMED.value:
            recipient.flag = "said NO after confirming: call them"
            return f"You are still confirmed for {callout.code}. To withdraw reply CANCEL {callout.code}.", True
        recipient.state = R.DECLINED.value
        return f"Thank you, noted: not available for {callout.code}.", False
    # cancel
    was_confirmed = recipient.state == R.CONFIRMED.value
    recipient.state = R.WITHDRAWN.value
    if was_confirmed and recipient.assignment_id:
        withdraw(session, actor, recipient.assignment_id, f"withdrew by SMS (CANCEL {callout.code})")
        _reopen(session, actor, callout, requirement)
    return rules.withdrawn_text(callout.code), False


def _reopen(session: Session, actor: Actor, callout: CallOut, requirement: RequirementFacts) -> None:
    """A confirmed person withdrew: first ask nobody new, confirm the earliest standby; else reopen."""
    for standby in _recipients(session, callout, R.STANDBY):
        if _confirmed(session, callout) >= callout.quorum:
            return
        if _assign(session, actor, callout, standby) is None:
            standby.state = R.CONFIRMED.value
            queue_sms(session, to=standby.mobile, body=rules.now_needed_text(_facts(session, callout.code, requirement)),
                      purpose="callout", incident_id=callout.incident_id, callout_id=callout.id)
    if _confirmed(session, callout) < callout.quorum:
        callout.status = CallOutStatus.OPEN.value
        callout.quorum_met_at = None
        callout.next_wave_at = now()


def record_answer_by_hand(session: Session, actor: Actor, recipient_id: int, intent: str) -> str:
    """The hub manager phoned the person and records their answer; same rules as an SMS answer."""
    require(actor, Permission.CALLOUT_RUN)
    if intent not in ("yes", "no", "cancel"):
        raise InputError("Record yes, no or cancel.")
    recipient = session.get(CallOutRecipient, recipient_id)
    if recipient is None:
        raise InputError(f"No call-out recipient {recipient_id}.")
    reply, _ = answer(session, actor, recipient, intent)
    callout = session.get(CallOut, recipient.callout_id)
    record(session, actor, "answer_by_hand", "callout_recipient", recipient.id, incident_id=callout.incident_id,
           detail=f"{intent} -> {recipient.state}")
    return reply


# ---------------------------------------------------------------------------------------
# The sweep: waves, reminders, expiry


def advance_callouts(session: Session) -> int:
    """Due waves, reminders and expiries of every open call-out; how many call-outs changed."""
    changed = 0
    for callout in session.scalars(select(CallOut).where(CallOut.status.in_(OPEN_STATES))
                                   .with_for_update(key_share=True, skip_locked=True)):
        if now() >= callout.expires_at:
            _close(session, callout, CallOutStatus.EXPIRED, "call-out expired before this was sent")
            changed += 1
            continue
        if callout.status != CallOutStatus.OPEN.value:
            continue
        requirement = requirement_facts(session, callout.requirement_id)
        if _open_places(session, requirement) <= 0:  # filled by other means meanwhile
            _stop_asking(session, callout)
            changed += 1
            continue
        if rules.wave_due(callout.next_wave_at, _confirmed(session, callout), callout.quorum, now()):
            changed += bool(_send_wave(session, callout, requirement))
        after = timedelta(minutes=callout.reminder_after_minutes)
        due = [r for r in _recipients(session, callout, R.ASKED)
               if rules.reminder_due(r.asked_at, r.reminded_at, after, now())]
        if due:
            facts = _facts(session, callout.code, requirement)
            prefers = contact_preferences(session, [r.staff_id for r in due])
            for recipient in due:
                recipient.reminded_at = now()
                _remind(session, callout, recipient, facts, prefers.get(recipient.staff_id))
                changed += 1
    return changed


def _remind(session: Session, callout: CallOut, recipient: CallOutRecipient, facts: rules.ShiftFacts,
            preference: ContactPreference | None) -> None:
    """The one reminder of someone who has not answered: a call when the call-out allows calls and
    they may be phoned and were not yet, else a text. The call replaces the text, not joins it: a
    person who missed the first text on a silent phone misses the second too, and the same question
    twice at once is noise."""
    if rules.call_as_reminder(callout.call_if_unanswered, may_phone=bool(preference and preference.may_phone),
                              phoned_already=_phoned(session, callout, recipient),
                              texted_stop=is_opted_out(session, "sms", recipient.mobile)):
        _phone(session, callout, recipient, facts, purpose="reminder")
        return
    queue_sms(session, to=recipient.mobile, body=rules.reminder_text(facts), purpose="reminder",
              incident_id=callout.incident_id, callout_id=callout.id, validity_seconds=rules.CALLOUT_VALIDITY_SECONDS)


def _phone(session: Session, callout: CallOut, recipient: CallOutRecipient, facts: rules.ShiftFacts, *,
           purpose: str) -> None:
    queue(session, channel="voice", to=recipient.mobile, body=call_script.question(facts), purpose=purpose,
          incident_id=callout.incident_id, callout_id=callout.id, payload={"recipient_id": recipient.id})


def _phoned(session: Session, callout: CallOut, recipient: CallOutRecipient) -> bool:
    return session.scalar(select(OutboundMessage.id).where(
        OutboundMessage.callout_id == callout.id, OutboundMessage.channel == "voice",
        OutboundMessage.destination == recipient.mobile).limit(1)) is not None
