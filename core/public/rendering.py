"""Public pages rendered on the server: one Jinja2 environment (our templates, the domains' that
`core.public.include` adds, and govuk-frontend-jinja's GOV.UK Frontend macros), and `render`.

Every page is drawn inside `public/layout.html`: the service's public name and contact number at
the top (a PageIdentity the page passes; never anything about the police operation behind it),
EXERCISE when the incident is one, the language switch, and the footer's accessibility link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from core.public import form_token
from core.public.strings import CATALOGUE, DEFAULT_LANGUAGE, LANGUAGES

PREFIX = "/support"
ASSETS_PATH = f"{PREFIX}/assets"  # the vendored stylesheet names it too (scripts/vendor_govuk_frontend.py)
ACCESSIBILITY_PATH = f"{PREFIX}/accessibility"
TEMPLATES = Path(__file__).resolve().parent / "templates"
HONEYPOT_FIELD = "website"  # drawn by public/forms.html's honeypot(), read by posted_form.filled_honeypot


@dataclass(frozen=True)
class PageIdentity:
    """What heads a page: the incident's public service name and contact number (as Gold or the hub
    manager set them), and whether the incident is an exercise."""

    service_name: str
    contact_number: str | None = None
    is_exercise: bool = False


_loaders: list = [FileSystemLoader(TEMPLATES),
                  PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
# auto_reload off: templates are compiled once and kept. With it on, Jinja checks every template
# and imported macro file's modification time on every render (about fifty stats for a page).
ENVIRONMENT = Environment(loader=ChoiceLoader(_loaders), autoescape=select_autoescape(default=True),
                          trim_blocks=True, lstrip_blocks=True, auto_reload=False)
ENVIRONMENT.filters["plain"] = str  # a Phrase as bare text, for an attribute or <title>


def add_templates(directory: Path) -> None:
    """A domain's templates, found before govuk-frontend-jinja's (name them `<domain>/…`)."""
    _loaders.insert(len(_loaders) - 1, FileSystemLoader(directory))


def language_of(request: Request) -> str:
    """`?lang=cy` asks for Welsh; anything else is English. No cookie, so any server answers alike."""
    asked = request.query_params.get("lang", "")
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def in_language(path: str, lang: str, query: Mapping[str, str] | None = None) -> str:
    """`path` with its query, asking for `lang` (English, the default, needs no parameter)."""
    params = {k: v for k, v in (query or {}).items() if k != "lang"}
    if lang != DEFAULT_LANGUAGE:
        params["lang"] = lang
    return f"{path}?{urlencode(params)}" if params else path


def render(request: Request, template: str, *, identity: PageIdentity | None = None, status_code: int = 200,
           errors: Mapping[str, str] | None = None, **context: object) -> HTMLResponse:
    """The page `template` in the request's language. `errors`: {id of the input to go to: message},
    in the order the questions are asked (a date input's id is that of its first box, `dob-day`);
    the layout shows them in an error summary and puts "Error:" before the title."""
    lang = language_of(request)
    t = CATALOGUE.translator(lang)
    errors = dict(errors or {})

    def error_for(field: str) -> dict[str, str] | None:
        """A question's error message, as the GOV.UK macros' errorMessage takes it; None when it has none."""
        return {"text": errors[field], "visuallyHiddenText": str(t("errors.hidden_prefix"))} if field in errors else None

    other = next(code for code in LANGUAGES if code != lang)
    path = request.url.path
    html = ENVIRONMENT.get_template(template).render(
        request=request, lang=lang, t=t,
        identity=identity or PageIdentity(service_name=str(t("layout.generic_service_name"))),
        errors=errors, error_for=error_for,
        # A date input's boxes, labelled in the page's language: "items": date_items({"day": …}).
        date_items=lambda values=None: _date_items(t, values or {}),
        error_list=[{"text": message, "href": f"#{field}"} for field, message in errors.items()],
        # The form posts back to this page, in this language; its token is made for this path.
        here=in_language(path, lang, request.query_params), form_token=form_token.issue(path),
        form_token_field=form_token.FIELD, honeypot_field=HONEYPOT_FIELD,
        switch_language={"lang": other, "name": LANGUAGES[other],
                         "href": in_language(path, other, request.query_params)},
        accessibility_href=in_language(ACCESSIBILITY_PATH, lang), assets=ASSETS_PATH,
        **context)
    return HTMLResponse(html, status_code=status_code)


def _date_items(t, values: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"name": part, "label": str(t(f"form.{part}")), "value": values.get(part, ""),
             "classes": "govuk-input--width-4" if part == "year" else "govuk-input--width-2"}
            for part in ("day", "month", "year")]
