"""The feedback survey: offered by the worker's sweep, answered on the public page behind its personal
link (/support/check/{token}, the link deciding which questionnaire opens) or by an SMS reply.

- Offered once per person per occasion (outreach.feedback_rules): the sweep decides each once, and
  records the decision, asked or not (by the person's own consented channel, as pathways routes every
  message to them; none, or one opted out: never asked).
- Answered once: the answer claims the offer (`answered_at` set where it was not), so a double
  submit, or a second reply, is recorded once. Answers from a stranger can change nothing else.
- A person who asks to be contacted, or writes something, has it kept on their record for their
  support team (pathways.person_replies.keep_feedback): a message for their key worker to act on;
  what they wrote is kept there, encrypted, and nowhere else (never in the figures).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.audit.service import record
from core.auth.roles import Actor
from core.clock import london, now
from core.errors import InputError
from core.phone import normalise_mobile
from core.public.link_tokens import looks_like_token, new_token, token_hash
from core.settings import get_settings
from core.typed_text import free_text
from outreach import feedback_texts
from outreach.feedback_rules import (
    OFFER_WINDOW,
    SCALE,
    SIX_MONTHS,
    FeedbackChannel,
    Occasion,
    channel_for,
    occasions_due,
    sms_score,
)
from outreach.link_service import PUBLIC, VALID, link_state
from outreach.links import check_url
from outreach.model import FeedbackOffer
from outreach.public_errors import UNKNOWN, USED, FieldErrors, LinkUnusable
from outreach.settings_service import IncidentOutreach, PublicSettings, public_settings, settings_for
from pathways.person_messages import Route, route_to, send_to
from pathways.person_replies import keep_feedback
from pathways.queries import (
    FeedbackCandidate,
    carried_on_by,
    people_registered_or_discharged,
    person_ids_at_mobile,
)
from pathways.schedule import add_months

log = logging.getLogger("standup.outreach.feedback")

PURPOSE = "feedback"  # the outbox's word for these texts
BATCH = 500  # offers a sweep decides at once; the next run takes the rest
COMMENT_LENGTH = 1000
SWEEP = Actor.system("feedback-offers")
OCCASION_WORDS = {Occasion.DISCHARGE: "at discharge", Occasion.SIX_MONTHS: "6 months after registration"}


def offer_feedback(session: Session, *, limit: int = BATCH, links: dict[int, str] | None = None) -> int:
    """The worker's sweep: decide each occasion that has come (once per person per occasion), and
    send the survey to those who may be asked, by their channel. How many were sent. `links`, when given, receives
    each new link's token by person id: for the demo, which answers some of its own surveys; the
    tokens are never stored."""
    at = now()
    six_months_ago = add_months(at, -SIX_MONTHS)
    # A little wider than the rule's times (months differ in length): the rule decides.
    candidates = people_registered_or_discharged(
        session, registered_from=six_months_ago - OFFER_WINDOW, registered_to=six_months_ago + timedelta(days=4),
        discharged_since=at - OFFER_WINDOW)
    decided = _decided(session, [c.id for c in candidates])
    due = [(c, occasion) for c in candidates
           for occasion in occasions_due(registered_at=c.registered_at, discharged_at=c.discharged_at, at=at)
           if (c.id, occasion.value) not in decided][:limit]
    outreach: dict[int, IncidentOutreach] = {}
    sent = 0
    for candidate, occasion in due:
        if candidate.incident_id not in outreach:
            outreach[candidate.incident_id] = settings_for(session, candidate.incident_id)
        settings = outreach[candidate.incident_id]
        route = route_to(session, candidate.id)
        channel = channel_for(route and route.channel, link_possible=settings.ready_to_invite)
        sent += _offer(session, candidate, occasion, channel, route, settings, at, links)
    return sent


def _decided(session: Session, person_ids: Collection[int]) -> set[tuple[int, str]]:
    ids, found = sorted(person_ids), set()
    for start in range(0, len(ids), 1000):
        found.update((person_id, occasion) for person_id, occasion in session.execute(
            select(FeedbackOffer.person_id, FeedbackOffer.occasion).where(
                FeedbackOffer.person_id.in_(ids[start:start + 1000]))))
    return found


def _offer(session: Session, candidate: FeedbackCandidate, occasion: Occasion, channel: FeedbackChannel,
           route: Route | None, settings: IncidentOutreach, at: datetime, links: dict[int, str] | None) -> int:
    """Record the decision and send the message it calls for, by the person's channel and kept on their
    record; 1 when one went. Another worker that decided the same occasion at the same time wins: this
    one sends nothing."""
    token = new_token() if channel in (FeedbackChannel.LINK, FeedbackChannel.EMAIL_LINK) else None
    expires_at = at + timedelta(days=settings.link_days) if channel != FeedbackChannel.NONE else at
    offer = FeedbackOffer(incident_id=candidate.incident_id, person_id=candidate.id, occasion=occasion.value,
                          channel=channel.value, token_hash=token_hash(token) if token else None, offered_at=at,
                          expires_at=expires_at)
    try:
        with session.begin_nested():
            session.add(offer)
            session.flush()
    except IntegrityError:
        log.info("feedback for person %s at %s was decided by another worker", candidate.id, occasion.value)
        return 0
    if channel == FeedbackChannel.NONE:
        return 0
    if token and links is not None:
        links[candidate.id] = token
    body = (feedback_texts.link_sms(settings.service_name, check_url(get_settings().public_base_url, token),
                                    london(expires_at).date())
            if token else feedback_texts.reply_scale_sms(settings.service_name))
    send_to(session, candidate.id, route, body=body, purpose=PURPOSE)
    record(session, SWEEP, "offer_feedback", "person", candidate.id, incident_id=candidate.incident_id,
           recipient=f"the person ({route.channel})",
           detail=f"feedback survey {OCCASION_WORDS[occasion]} by {channel.value}")
    return 1


# --- answered on the public page -------------------------------------------------------------------

@dataclass(frozen=True)
class FeedbackState:
    state: str  # valid, used, expired
    incident_id: int
    occasion: str
    settings: PublicSettings


def find_offer(session: Session, token: object, *, lock: bool = False) -> FeedbackOffer | None:
    """The survey a personal link opens; None for anything else."""
    if not looks_like_token(token):
        return None
    q = select(FeedbackOffer).where(FeedbackOffer.token_hash == token_hash(token))
    return session.scalar(q.with_for_update() if lock else q)


def feedback_by_token(session: Session, token: object) -> FeedbackState | None:
    """What the survey page shows; None for a token that is not a survey link (404)."""
    offer = find_offer(session, token)
    if offer is None:
        return None
    return FeedbackState(_state(offer, now()), offer.incident_id, offer.occasion,
                         public_settings(session, offer.incident_id))


def _state(offer: FeedbackOffer, at: datetime) -> str:
    """A survey link is used once answered (it lives as long as the incident's check links)."""
    return link_state(offer.answered_at, offer.expires_at, at)


@dataclass(frozen=True)
class FeedbackAnswers:
    satisfaction: int | None  # 1 … 5
    kept_informed: bool | None
    treated_with_respect: bool | None
    contact_wanted: bool | None
    comment: str = ""


def submit_feedback(session: Session, token: object, answers: FeedbackAnswers) -> None:
    """Take a survey answered on its page. FieldErrors for a missing answer (nothing saved);
    LinkUnusable for a link that is unknown, answered already (a second submit) or expired."""
    offer = find_offer(session, token, lock=True)  # a double submit waits, then finds it answered
    if offer is None:
        raise LinkUnusable(UNKNOWN)
    if (state := _state(offer, now())) != VALID:
        raise LinkUnusable(state)
    errors = {}
    if answers.satisfaction not in SCALE or isinstance(answers.satisfaction, bool):
        errors["satisfaction"] = "Say how satisfied you are with the support you had"
    for field, question in (("kept_informed", "whether you were kept informed"),
                            ("treated_with_respect", "whether you were treated with respect"),
                            ("contact_wanted", "whether you would like someone to contact you")):
        if not isinstance(getattr(answers, field), bool):
            errors[field] = f"Say {question}"
    try:
        comment = free_text(answers.comment, "Your comments", COMMENT_LENGTH)
    except InputError as problem:
        errors["comment"] = str(problem)
    if errors:
        raise FieldErrors(errors)
    at = now()
    if not _claimed(session, offer, at, satisfaction=answers.satisfaction, kept_informed=answers.kept_informed,
                    treated_with_respect=answers.treated_with_respect, contact_wanted=answers.contact_wanted):
        raise LinkUnusable(USED)
    kept = _keep_for_the_team(session, offer, contact_wanted=answers.contact_wanted, comment=comment, at=at)
    record(session, PUBLIC, "submit", "feedback_offer", offer.id, incident_id=offer.incident_id,
           detail="fields: satisfaction, kept_informed, treated_with_respect, contact_wanted"
                  + ("; kept on the person's record for their support team" if kept else ""))


def _claimed(session: Session, offer: FeedbackOffer, at: datetime, **answers) -> bool:
    """The offer's answers recorded, unless another request answered it first."""
    claimed = session.execute(update(FeedbackOffer).where(FeedbackOffer.id == offer.id,
                                                          FeedbackOffer.answered_at.is_(None))
                              .values(answered_at=at, **answers).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def _keep_for_the_team(session: Session, offer: FeedbackOffer, *, contact_wanted: bool, comment: str,
                       at: datetime) -> bool:
    if not contact_wanted and not comment:
        return False
    lines = [f"Feedback survey {OCCASION_WORDS[Occasion(offer.occasion)]}"
             + (": asks for someone to contact them." if contact_wanted else ".")]
    if comment:
        lines.append(f"Their comments: {comment}")
    person_id = carried_on_by(session, offer.person_id)  # merged since: their record now; anonymised: none
    if person_id is None:
        return False
    keep_feedback(session, person_id, body="\n".join(lines), contact_asked=contact_wanted,
                  ref=f"feedback-{offer.id}", received_at=at)
    return True


# --- answered by SMS -------------------------------------------------------------------------------

def take_sms_score(session: Session, *, mobile: str, body: str) -> str | None:
    """A reply from 1 to 5 to a reply-scale survey still open for a person at `mobile`: recorded as
    their satisfaction, and the thanks to send back. None when the message is not that (it goes on
    to their support team as any message would)."""
    score = sms_score(body)
    if score is None:
        return None
    try:
        person_ids = person_ids_at_mobile(session, normalise_mobile(mobile))
    except ValueError:
        return None
    if not person_ids:
        return None
    at = now()
    offer = session.scalar(select(FeedbackOffer).where(
        FeedbackOffer.person_id.in_(person_ids), FeedbackOffer.channel == FeedbackChannel.REPLY.value,
        FeedbackOffer.answered_at.is_(None), FeedbackOffer.expires_at > at)
        .order_by(FeedbackOffer.offered_at.desc(), FeedbackOffer.id.desc()).limit(1).with_for_update())
    if offer is None or not _claimed(session, offer, at, satisfaction=score):
        return None
    record(session, PUBLIC, "submit", "feedback_offer", offer.id, incident_id=offer.incident_id,
           detail="fields: satisfaction (by SMS reply)")
    return feedback_texts.THANKS_SMS
