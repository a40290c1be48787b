"""/support/refer: anyone asks for support, for themselves or for someone else who agreed (a box
they tick to say so). It goes to the triage queue of the service they chose (asked only when more
than one incident's outreach takes referrals). A missing or wrong answer shows the form again
(400) naming each; more than REFERRALS_PER_MINUTE referrals a minute from one address is 429 (those
sent and those refused count, a post with mistakes does not); a filled honeypot counts, is answered
as sent, and nothing is kept."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.db import reading, unit_of_work
from core.errors import InputError
from core.public.posted_form import filled_honeypot, read_posted_form
from core.public.rate_limit import client_address, rate_limited
from core.public.refusals import Refused
from core.public.rendering import in_language, language_of, render
from core.public.strings import t
from core.request_threads import in_thread
from outreach.public.service_identity import identity_of
from outreach.public_errors import FieldErrors
from outreach.self_referral_service import ReferralForm, submit_self_referral
from outreach.settings_service import PublicSettings, services_taking_referrals

REFERRALS_PER_MINUTE = 3
# The form's questions in the order the page asks them, as the service names them -> input id.
FIELDS = {"service": "service", "about": "about", "given_name": "given_name", "family_name": "family_name",
          "date_of_birth": "dob-day", "phone": "phone", "email": "email", "postcode": "postcode",
          "message": "message", "referrer_name": "referrer_name", "referrer_contact": "referrer_contact",
          "agreement_confirmed": "agreement_confirmed"}


async def self_referral(request: Request) -> Response:
    form = await read_posted_form(request) if request.method == "POST" else None
    return await in_thread(_answer, request, form, client_address(request))


def _answer(request: Request, form: FormData | None, address: str) -> Response:
    lang = language_of(request)
    with reading() as session:
        services = services_taking_referrals(session)
    if form is None:
        sent = request.query_params.get("sent") == "1"
        return _page(request, services, {}, sent=sent, chosen=request.query_params.get("service", ""))
    values = {name: form.get(name, "") for name in form}
    if not services:
        return _page(request, services, values)
    errors: dict[str, str] = {}
    service = _chosen(services, form.get("service", ""))
    if service is None:
        errors["service"] = t("refer.service_error", lang)
    born = None
    try:
        born = _date_of_birth(form)
    except ValueError:
        errors["dob-day"] = t("refer.dob_error", lang)
    sent_to = {"sent": "1"} | ({"service": str(service.incident_id)} if service and len(services) > 1 else {})
    key = "self-referral " + address
    if filled_honeypot(form):
        with unit_of_work() as session:  # a bot's posts count, so one that keeps trying is refused
            limited = rate_limited(session, key, REFERRALS_PER_MINUTE, 60)
        if limited:
            raise Refused(429, {"Retry-After": "60"})
        return RedirectResponse(in_language(request.url.path, lang, sent_to), status_code=303)
    if not errors:
        try:
            # Counted with the referral it lets through, so a post with mistakes (rolled back) is not
            # counted; a refused one commits its count alone, and a client that keeps trying stays refused.
            with unit_of_work() as session:
                limited = rate_limited(session, key, REFERRALS_PER_MINUTE, 60)
                if not limited:
                    submit_self_referral(session, ReferralForm(
                        incident_id=service.incident_id, about=form.get("about", ""), given_name=form.get("given_name", ""),
                        family_name=form.get("family_name", ""), date_of_birth=born, email=form.get("email", ""),
                        phone=form.get("phone", ""), postcode=form.get("postcode", ""), message=form.get("message", ""),
                        agreement_confirmed=form.get("agreement_confirmed") == "yes",
                        referrer_name=form.get("referrer_name", ""), referrer_contact=form.get("referrer_contact", "")))
            if limited:
                raise Refused(429, {"Retry-After": "60"})
            return RedirectResponse(in_language(request.url.path, lang, sent_to), status_code=303)
        except FieldErrors as problem:
            errors = {FIELDS[f]: _message(f, lang) for f in FIELDS if f in problem.fields}
        except InputError:  # the incident was stood down while the form was open
            return _page(request, [], values)
    ordered = {FIELDS[f]: errors[FIELDS[f]] for f in FIELDS if FIELDS[f] in errors}
    return _page(request, services, values, errors=ordered, chosen=form.get("service", ""))


def _chosen(services: list[PublicSettings], asked: str) -> PublicSettings | None:
    if len(services) == 1:
        return services[0]
    return next((s for s in services if str(s.incident_id) == asked), None)


def _date_of_birth(form: FormData) -> date | None:
    """None when left blank; ValueError when it is not a date."""
    parts = [form.get(f"dob-{part}", "").strip() for part in ("year", "month", "day")]
    if not any(parts):
        return None
    if not all(p.isdigit() and len(p) <= 4 for p in parts):
        raise ValueError("not a date")
    return date(*map(int, parts))


def _message(field: str, lang: str) -> str:
    return t("refer.dob_error" if field == "date_of_birth" else f"refer.{field}_error", lang)


def _page(request: Request, services: list[PublicSettings], values: Mapping[str, str], *, sent: bool = False,
          errors: Mapping[str, str] | None = None, chosen: str = "") -> Response:
    lang = language_of(request)
    one = _chosen(services, chosen) if services else None
    return render(request, "outreach/refer.html", identity=identity_of(one, lang) if one else None,
                  status_code=400 if errors else 200, errors=errors, values=values, sent=sent,
                  closed=not services and not sent,
                  services=[{"value": str(s.incident_id), "text": s.name_in(lang), "checked": str(s.incident_id) == chosen}
                            for s in services] if len(services) > 1 else [])
