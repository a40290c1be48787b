"""A throwaway public page for testing core.public's framework before any domain has one: a form
(every GOV.UK macro the public pages use, the honeypot, the form token) at /support/try that
keeps what it is sent in `kept`, rate-limited to LIMIT complete posts a minute per address."""

from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from core.db import unit_of_work
from core.public.posted_form import filled_honeypot, read_posted_form
from core.public.rate_limit import client_address, rate_limited
from core.public.refusals import Refused
from core.public.rendering import PageIdentity, add_templates, render
from core.public.routes import public_routes

LIMIT = 3
IDENTITY = PageIdentity("Manchester Support Hub", "0800 123 4567", is_exercise=True)

FORM = """{% extends "public/layout.html" %}
{% from "public/forms.html" import public_form, honeypot with context %}
{% from "govuk_frontend_jinja/components/input/macro.html" import govukInput %}
{% from "govuk_frontend_jinja/components/date-input/macro.html" import govukDateInput %}
{% from "govuk_frontend_jinja/components/radios/macro.html" import govukRadios %}
{% from "govuk_frontend_jinja/components/checkboxes/macro.html" import govukCheckboxes %}
{% from "govuk_frontend_jinja/components/textarea/macro.html" import govukTextarea %}
{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}
{% from "govuk_frontend_jinja/components/warning-text/macro.html" import govukWarningText %}
{% from "govuk_frontend_jinja/components/inset-text/macro.html" import govukInsetText %}
{% from "govuk_frontend_jinja/components/panel/macro.html" import govukPanel %}
{% block title %}Tell us about you{% endblock %}
{% block content %}
{% if done %}{{ govukPanel({"titleText": "Sent"}) }}{% endif %}
<h1 class="govuk-heading-l">Tell us about you</h1>
{{ govukInsetText({"text": "We keep what you tell us private."}) }}
{{ govukWarningText({"text": "If you are in danger now, call 999.", "iconFallbackText": t("form.warning")|plain}) }}
{% call public_form() %}
  {{ govukInput({"label": {"text": "Your name"}, "id": "name", "name": "name",
                 "value": values.name, "errorMessage": error_for("name")}) }}
  {{ govukDateInput({"id": "dob", "namePrefix": "dob", "items": date_items({"day": values.get("dob-day", "")}),
                     "fieldset": {"legend": {"text": "Date of birth"}}, "errorMessage": error_for("dob-day")}) }}
  {{ govukRadios({"name": "about", "fieldset": {"legend": {"text": "Who is this about?"}},
                  "items": [{"value": "self", "text": "Me"}, {"value": "other", "text": "Someone else"}]}) }}
  {{ govukCheckboxes({"name": "agreed", "fieldset": {"legend": {"text": "Agreement"}},
                      "items": [{"value": "yes", "text": "They agree to this"}]}) }}
  {{ govukTextarea({"name": "message", "id": "message", "label": {"text": "Anything else"}}) }}
  {{ honeypot() }}
  {{ govukButton({"text": "Send"}) }}
{% endcall %}
{% endblock %}
"""

kept: list[dict[str, list[str]]] = []
_templates = Path(tempfile.mkdtemp(prefix="public-test-pages-"))
(_templates / "testpages").mkdir()
(_templates / "testpages" / "form.html").write_text(FORM)
add_templates(_templates)


async def try_form(request: Request):
    if request.method == "GET":
        return render(request, "testpages/form.html", identity=IDENTITY, values={},
                      done=request.query_params.get("done") == "1")
    form = await read_posted_form(request)
    errors = {}
    if not form.get("name", "").strip():
        errors["name"] = "Enter your name"
    if not form.get("dob-day", "").strip():
        errors["dob-day"] = "Enter your date of birth"
    if errors:
        return render(request, "testpages/form.html", identity=IDENTITY, errors=errors, status_code=400,
                      values={"name": form.get("name", ""), "dob-day": form.get("dob-day", "")}, done=False)
    # Complete submissions are what is limited (a person correcting a mistake is not).
    with unit_of_work() as session:  # the count is kept even when the attempt is refused
        limited = rate_limited(session, "try " + client_address(request), LIMIT, 60)
    if limited:
        raise Refused(429, {"Retry-After": "60"})
    if not filled_honeypot(form):
        kept.append({key: form.getlist(key) for key in form})
    return RedirectResponse(f"{request.url.path}?done=1", status_code=303)


def app() -> Starlette:
    return Starlette(routes=[public_routes(Route("/try", try_form, methods=["GET", "POST"]))])
