"""The feedback survey behind a personal link: /support/check/{token} opens it when the link was sent
for a survey rather than a wellbeing check (the link decides which questionnaire opens; a token is
one or the other). One page: how satisfied (5 points), kept informed, treated with respect, would
they like someone to contact them, and anything they want to say (optional). GET shows it; POST
takes it once (a missing answer shows the page again, 400, naming the question) and thanks them.
An unknown link is 404; an answered or expired one 410 with how to get help."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from core.db import reading, unit_of_work
from core.public.refusals import Refused
from core.public.rendering import PageIdentity, language_of, render
from core.public.strings import t
from outreach.feedback_rules import SCALE
from outreach.feedback_service import COMMENT_LENGTH, FeedbackAnswers, feedback_by_token, submit_feedback
from outreach.link_service import VALID
from outreach.public.link_gone import link_gone
from outreach.public.service_identity import identity_of
from outreach.public_errors import FieldErrors, LinkUnusable

YES_NO_QUESTIONS = ("kept_informed", "treated_with_respect", "contact_wanted")


def answer(request: Request, token: str, form: FormData | None) -> Response:
    lang = language_of(request)
    with reading() as session:
        state = feedback_by_token(session, token)
    if state is None:
        raise Refused(404)
    identity = identity_of(state.settings, lang)
    if state.state != VALID:
        return link_gone(request, identity, state.state, about="feedback")
    if form is None:
        return _page(request, identity, {})
    answers, errors = _read(form, lang)
    if errors:
        return _page(request, identity, form, errors)
    try:
        with unit_of_work() as session:
            submit_feedback(session, token, answers)
    except FieldErrors as problem:  # the service's own checks; the page's are the same, in the page's words
        return _page(request, identity, form, {field: t(f"feedback.{field}.error", lang, length=COMMENT_LENGTH)
                                               for field in problem.fields})
    except LinkUnusable as gone:  # a second submit (a double click, another tab): recorded once
        return link_gone(request, identity, gone.state, about="feedback")
    return render(request, "outreach/feedback_done.html", identity=identity, contact_wanted=answers.contact_wanted)


def _page(request: Request, identity: PageIdentity, values: Mapping[str, str],
          errors: Mapping[str, str] | None = None) -> Response:
    lang = language_of(request)
    scale = [{"value": str(points), "text": t(f"feedback.satisfaction.{points}", lang),
              "checked": values.get("satisfaction") == str(points)} for points in reversed(SCALE)]
    yes_no = {name: [{"value": value, "text": t(f"feedback.{value}", lang), "checked": values.get(name) == value}
                     for value in ("yes", "no")] for name in YES_NO_QUESTIONS}
    return render(request, "outreach/feedback.html", identity=identity, errors=errors,
                  status_code=400 if errors else 200, scale=scale, yes_no=yes_no,
                  comment=values.get("comment", ""), comment_length=COMMENT_LENGTH)


def _read(form: FormData, lang: str) -> tuple[FeedbackAnswers, dict[str, str]]:
    """The page's answers, and what is wrong with them (input id -> message), in the page's order."""
    errors: dict[str, str] = {}
    typed = form.get("satisfaction", "")
    satisfaction = int(typed) if typed in {str(points) for points in SCALE} else None
    if satisfaction is None:
        errors["satisfaction"] = t("feedback.satisfaction.error", lang)
    yes_no: dict[str, bool | None] = {}
    for name in YES_NO_QUESTIONS:
        chosen = form.get(name)
        yes_no[name] = {"yes": True, "no": False}.get(chosen)
        if yes_no[name] is None:
            errors[name] = t(f"feedback.{name}.error", lang)
    comment = form.get("comment", "")
    if len(comment) > COMMENT_LENGTH:
        errors["comment"] = t("feedback.comment.error", lang, length=COMMENT_LENGTH)
    return FeedbackAnswers(satisfaction, comment=comment, **yes_no), errors
