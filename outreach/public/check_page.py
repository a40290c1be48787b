"""/support/check/{token}: the online wellbeing check, a page at a time (outreach.check_steps).

GET shows the page asked for (?page=…) once the pages before it are done, else the first page not
done; the link's first opening is noted. POST takes that page's answers: a missing or wrong one
shows the page again (400) with GOV.UK's error summary naming each question; good ones join the
draft (save_draft, so any server shows the next page) and the person goes on to the next page
(303). The last page's post submits the check, once (submit_check), and says what happens next and
when. From the page after a PHQ-9 item 9 answer above 0 on, crisis help heads every page.
An unknown link is 404; a used or expired one 410 with how to get help. A link sent for a feedback
survey opens that instead (outreach.public.feedback_page): the link decides the questionnaire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.clock import now
from core.db import get_engine, reading, unit_of_work
from core.group_commit import GroupCommit
from core.phone import normalise_phone
from core.public.posted_form import read_posted_form
from core.public.rendering import PageIdentity, in_language, language_of, render
from core.public.strings import Phrase, t
from core.request_threads import in_thread
from core.typed_text import one_line
from outreach.check_rules import OLDEST
from outreach.check_service import PUBLIC_ROLES, AboutYou, submit_check
from outreach.check_steps import (
    ABOUT,
    CALL_BACK,
    CONSENT,
    PARENT,
    QUESTIONS,
    SEND,
    Step,
    alert_answered,
    question_field,
    step_after,
    step_before,
    step_of_field,
    step_to_show,
    steps_for,
)
from outreach.link_service import (
    VALID,
    InvitationState,
    invitation_by_token,
    keep_drafts,
    links_to_turn,
    mark_opened,
    save_draft,
)
from outreach.public import feedback_page
from outreach.public.link_gone import link_gone
from outreach.public.service_identity import identity_of, long_date
from outreach.public_errors import FieldErrors, LinkUnusable
from pathways.geography import place_of
from pathways.instruments import instrument_named
from pathways.queries import item_wording, translated_wording


async def wellbeing_check(request: Request) -> Response:
    token = request.path_params["token"]
    if request.method != "POST":
        return await in_thread(_answer, request, token, None)
    form = await read_posted_form(request)
    lang = language_of(request)
    following = await _PAGE_TURNS.submit(get_engine(), _PageTurn(token, request.query_params.get("page"), form, lang))
    if following is None:  # not a page turn with good answers: the post alone, as before
        return await in_thread(_answer, request, token, form)
    return RedirectResponse(in_language(request.url.path, lang, {"page": following}), status_code=303)


def _answer(request: Request, token: str, form: FormData | None) -> Response:
    lang = language_of(request)
    turn = _turn(request, token, form, lang)
    if turn is None:  # not a check's link: a feedback survey's, or nothing (404)
        return feedback_page.answer(request, token, form)
    state, draft, steps, step, wording, errors = turn
    identity = identity_of(state.settings, lang)
    if state.state != VALID:
        return link_gone(request, identity, state.state)
    if form is None and state.opened_at is None:
        with unit_of_work() as session:
            mark_opened(session, token)
    if form is None:
        return _page(request, identity, state, steps, step, draft, wording, _stored_values(step, draft))
    if step.kind == SEND:
        return _submit(request, token, identity, state, steps, draft)
    if errors:
        return _page(request, identity, state, steps, step, draft, wording, _posted_values(form), errors)
    following = _following(state, draft, step)
    return RedirectResponse(in_language(request.url.path, lang, {"page": following.name}), status_code=303)


def _turn(request: Request, token: str, form: FormData | None, lang: str):
    """None for a token that is no check's link; else the link's state, the draft, the pages and the
    page asked for, its questions' wording (for a page to show), and (for a post) what is wrong with the
    answers, which are otherwise kept. A page shown only reads:
    no write lock taken (core.db.reading); a post is one unit of work, so the link is read and the
    answers kept on one connection in one transaction."""
    with reading() if form is None else unit_of_work() as session:
        state = invitation_by_token(session, token)
        if state is None:
            return None
        if state.state != VALID:
            return state, {}, [], None, None, {}
        draft = dict(state.draft)
        steps = _steps(state, draft)
        step = step_to_show(steps, draft.get("done", []), request.query_params.get("page"))
        errors: dict[str, str] = {}
        if form is not None and step.kind != SEND:
            errors = _take(state, draft, steps, step, form, lang)
            if not errors:
                try:
                    save_draft(session, token, draft, step.name)
                except LinkUnusable as gone:  # it expired, or was sent from another tab, while this page was open
                    return replace(state, state=gone.state), {}, [], None, [], {}
                return state, draft, steps, step, None, errors  # no page to show: on to the next
        return state, draft, steps, step, _wording(session, step, lang), errors


@dataclass(frozen=True)
class _PageTurn:
    token: str
    asked: str | None  # the page posted (?page=)
    form: FormData
    lang: str


def _turn_pages(session: Session, turns: Sequence[_PageTurn]) -> list[str | None]:
    """Posts that turn a page, kept in one transaction (core.group_commit): for each, the page to go
    on to, its answers kept; or None, with nothing kept, for any other post (a link unknown, used,
    expired or never opened, an answer missing or wrong, the last page's send), which _answer then
    takes alone as ever."""
    at = now()  # one instant for reading the links and writing them: a link valid at it is kept at it
    links = links_to_turn(session, {turn.token for turn in turns}, at)
    drafts: dict[int, dict[str, object]] = {}  # a link posted twice in one batch: the second builds on the first
    kept: dict[int, tuple[dict[str, object], str]] = {}
    following: list[str | None] = []
    for turn in turns:
        if turn.token not in links or links[turn.token][1].state != VALID:
            following.append(None)
            continue
        invitation_id, state = links[turn.token]
        draft = dict(drafts.get(invitation_id, state.draft))
        steps = _steps(state, draft)
        step = step_to_show(steps, draft.get("done", []), turn.asked)
        if step.kind == SEND or _take(state, draft, steps, step, turn.form, turn.lang):
            following.append(None)
            continue
        drafts[invitation_id] = draft
        kept[invitation_id] = (draft, step.name)
        following.append(_following(state, draft, step).name)
    keep_drafts(session, kept, at)
    return following


_PAGE_TURNS = GroupCommit(_turn_pages, "wellbeing-check page turns")


def _take(state: InvitationState, draft: dict[str, object], steps: list[Step], step: Step, form: FormData,
          lang: str) -> dict[str, str]:
    """What is wrong with the page's answers; none, and they join the draft, the page noted done."""
    answers, errors = _read(step, form, lang, draft, ask_age=state.known_age is None)
    if not errors:
        draft.update(answers)
        draft["done"] = [s.name for s in steps if s.name in {*draft.get("done", []), step.name}]
    return errors


def _following(state: InvitationState, draft: Mapping[str, object], step: Step) -> Step:
    """The page to show once `step`'s answers are kept."""
    steps = _steps(state, draft)  # the age just given decides the pages that follow
    return step_to_show(steps, draft["done"], step_after(steps, step).name)


def _steps(state: InvitationState, draft: Mapping[str, object]) -> list[Step]:
    age = state.known_age if state.known_age is not None else draft.get("age")
    return steps_for(age if isinstance(age, int) else None, state.settings.trauma_instrument)


# --- showing a page ------------------------------------------------------------------------------

def _page(request: Request, identity: PageIdentity, state: InvitationState, steps: list[Step], step: Step,
          draft: Mapping[str, object], wording: _Wording | None, values: Mapping[str, object],
          errors: Mapping[str, str] | None = None) -> Response:
    lang = language_of(request)
    previous = step_before(steps, step)
    context: dict[str, object] = {}
    if step.kind == QUESTIONS:
        question_steps = [s.name for s in steps if s.kind == QUESTIONS]
        heading = t("check.questions.heading", lang, number=question_steps.index(step.name) + 1,
                    total=len(question_steps))
        context = {"questions": _questions(step, wording, values), "in_english": wording.in_english,
                   "instructions": wording.instructions}
    else:
        heading = t({CONSENT: "check.consent.title", ABOUT: "check.about.title", PARENT: "check.parent.title",
                     CALL_BACK: "check.call_back.title", SEND: "check.send.title"}[step.kind], lang)
    if step.kind == ABOUT:
        chosen = values.get("roles") or []
        context["roles"] = [{"value": role.value, "text": t(f"check.role.{role.value}", lang),
                             "checked": role.value in chosen} for role in PUBLIC_ROLES]
    return render(request, "outreach/check_page.html", identity=identity, errors=errors,
                  status_code=400 if errors else 200, step=step, heading=heading, values=values,
                  ask_age=state.known_age is None, crisis=alert_answered(draft),
                  back=in_language(request.url.path, lang, {"page": previous.name}) if previous else None,
                  **context)


@dataclass(frozen=True)
class _Wording:
    """A questionnaire's words on a page: its validated translation into the page's language where an
    administrator loaded one, else its own English, marked as English on a Welsh page."""

    instructions: Phrase
    labels: dict[int, Phrase]
    items: list[Phrase]
    in_english: bool


def _wording(session: Session, step: Step, lang: str) -> _Wording | None:
    if step.kind != QUESTIONS:
        return None
    form = instrument_named(step.instrument)
    if lang != "en" and (translated := translated_wording(session, form.name, lang)) is not None:
        return _Wording(Phrase(translated.instructions),
                        {points: Phrase(label) for points, label in translated.answer_labels.items()},
                        [Phrase(item) for item in translated.items], in_english=False)
    in_english = lang != "en"
    return _Wording(
        Phrase(form.instructions, fallback=in_english) if form.instructions else t("check.questions.instructions", lang),
        {points: (Phrase(form.answer_labels[points], fallback=in_english) if points in form.answer_labels
                  else t(f"check.answer.{form.name}.{points}", lang)) for points in form.allowed_answers},
        [Phrase(item, fallback=in_english) for item in item_wording(session, form.name)], in_english)


def _questions(step: Step, wording: _Wording, values: Mapping[str, object]) -> list[dict]:
    questions = []
    for item in step.items:
        field = question_field(step.instrument, item)
        text = wording.items[item - 1]
        questions.append({"field": field, "text": Phrase(f"{item}. {text}", fallback=text.fallback), "answers": [
            {"value": str(points), "text": label, "checked": values.get(field) == str(points)}
            for points, label in wording.labels.items()]})
    return questions


def _stored_values(step: Step, draft: Mapping[str, object]) -> dict[str, object]:
    """What the draft holds for this page's questions, as the form's fields."""
    if step.kind == QUESTIONS:
        given = draft.get(step.instrument) or []
        return {question_field(step.instrument, item): str(given[item - 1])
                for item in step.items if item <= len(given) and given[item - 1] is not None}
    values = {name: draft.get(name, "") for name in ("postcode", "with_a_parent", "parent_name", "call_back_number")}
    return values | {"consent": draft.get("consent") is True, "age": str(draft.get("age", "")),
                     "roles": list(draft.get("roles") or [])}


def _posted_values(form: FormData) -> dict[str, object]:
    return {name: form.get(name, "") for name in form} | {"roles": form.getlist("roles"),
                                                          "consent": form.get("consent") == "yes"}


# --- reading a page's answers --------------------------------------------------------------------

def _read(step: Step, form: FormData, lang: str, draft: Mapping[str, object], *,
          ask_age: bool) -> tuple[dict[str, object], dict[str, str]]:
    """The page's answers for the draft, and what is wrong with them (input id -> message), in
    the page's order."""
    answers: dict[str, object] = {}
    errors: dict[str, str] = {}
    if step.kind == CONSENT:
        if form.get("consent") != "yes":
            errors["consent"] = t("check.consent.error", lang)
        answers["consent"] = True
    elif step.kind == ABOUT:
        if ask_age:
            typed = form.get("age", "").strip()
            if typed.isdigit() and int(typed) <= OLDEST:
                answers["age"] = int(typed)
            else:
                errors["age"] = t("check.about.age_error", lang)
        postcode = form.get("postcode", "").strip()
        try:
            answers["postcode"] = place_of(postcode).postcode if postcode else ""
        except ValueError:
            errors["postcode"] = t("check.about.postcode_error", lang)
        roles = form.getlist("roles")
        if any(role not in PUBLIC_ROLES for role in roles):
            errors["roles"] = t("check.about.roles_error", lang)
        answers["roles"] = list(dict.fromkeys(roles))
    elif step.kind == PARENT:
        if form.get("with_a_parent") not in ("yes", "no"):
            errors["with_a_parent"] = t("check.parent.error", lang)
        answers["with_a_parent"] = form.get("with_a_parent")
    elif step.kind == CALL_BACK:
        try:
            answers["parent_name"] = one_line(" ".join(form.get("parent_name", "").split()), "Your name", 80)
            if not answers["parent_name"]:
                raise ValueError("empty")
        except ValueError:
            errors["parent_name"] = t("check.call_back.parent_name_error", lang)
        try:
            answers["call_back_number"] = normalise_phone(form.get("call_back_number", ""))
        except ValueError:
            errors["call_back_number"] = t("check.call_back.number_error", lang)
    elif step.kind == QUESTIONS:
        form_of = instrument_named(step.instrument)
        given = list(draft.get(step.instrument) or [])
        given += [None] * (form_of.item_count - len(given))
        for item in step.items:
            typed = form.get(question_field(step.instrument, item), "")
            if typed in {str(points) for points in form_of.allowed_answers}:
                given[item - 1] = int(typed)
            else:
                errors[question_field(step.instrument, item)] = t("check.questions.error", lang, number=item)
        answers[step.instrument] = given[:form_of.item_count]
    return answers, errors


# --- sending the check ---------------------------------------------------------------------------

def _submit(request: Request, token: str, identity: PageIdentity, state: InvitationState, steps: list[Step],
            draft: Mapping[str, object]) -> Response:
    lang = language_of(request)
    about = AboutYou(consent=draft.get("consent") is True,
                     age=draft.get("age") if state.known_age is None else None,
                     postcode=str(draft.get("postcode") or ""), roles=tuple(draft.get("roles") or ()),
                     with_a_parent=draft.get("with_a_parent") == "yes",
                     call_back_number=str(draft.get("call_back_number") or ""),
                     parent_name=str(draft.get("parent_name") or ""))
    instruments = dict.fromkeys(s.instrument for s in steps if s.kind == QUESTIONS)
    answers = {name: list(draft.get(name) or []) for name in instruments}
    try:
        with unit_of_work() as session:
            outcome = submit_check(session, token, answers, about)
    except FieldErrors as problem:  # the draft lacks an answer (another tab went back): that page again
        step, _ = step_of_field(steps, next(iter(problem.fields)))
        errors = {step_of_field(steps, field)[1]: _reworded(field, message, lang)
                  for field, message in problem.fields.items() if step_of_field(steps, field)[0] == step}
        with reading() as session:
            wording = _wording(session, step, lang)
        return _page(request, identity, state, steps, step, draft, wording, _stored_values(step, draft), errors)
    except LinkUnusable as gone:  # a second submit (a double click, another tab): recorded once
        return link_gone(request, identity, gone.state)
    return render(request, "outreach/check_done.html", identity=identity, outcome=outcome,
                  in_touch_by=long_date(outcome.in_touch_by, lang) if outcome.in_touch_by else "",
                  next_check=long_date(outcome.next_check_from, lang) if outcome.next_check_from else "")


def _reworded(field: str, message: str, lang: str) -> str:
    """The check service's message for a field, in the page's words where the page has them."""
    instrument, _, item = field.partition(".")
    if item.isdigit():
        return t("check.questions.error", lang, number=int(item))
    keys = {"consent": "check.consent.error", "age": "check.about.age_error",
            "postcode": "check.about.postcode_error", "roles": "check.about.roles_error",
            "parent_name": "check.call_back.parent_name_error", "call_back_number": "check.call_back.number_error"}
    return t(keys[field], lang) if field in keys else message
