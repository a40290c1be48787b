"""Reading a public form post: a urlencoded form (415 otherwise), readable as UTF-8 within
MAX_FIELDS fields (400 otherwise), carrying a good form token for this path (403 otherwise; see
form_token.py). Each refusal is raised before the route has changed anything.

The honeypot: `public/forms.html`'s `honeypot()` draws a text box that people never see (the
`hidden` attribute hides it from eyes and screen readers alike); a simple bot fills in every box,
and `filled_honeypot(form)` tells. What to do then is the page's choice (usually: answer as if
accepted, keep nothing).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import FormData
from starlette.requests import Request

from core.public import form_token
from core.public.refusals import Refused
from core.public.rendering import HONEYPOT_FIELD

FORM_TYPE = "application/x-www-form-urlencoded"
MAX_FIELDS = 200


async def read_posted_form(request: Request) -> FormData:
    """The posted fields (the form token taken out), or Refused."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        raise Refused(415)
    body = await request.body()  # core.public.request_guards.BodyLimit bounds it
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise Refused(400) from None
    tokens = [value for name, value in pairs if name == form_token.FIELD]
    if len(tokens) != 1 or not form_token.is_valid(request.url.path, tokens[0]):
        raise Refused(403)
    return FormData([(name, value) for name, value in pairs if name != form_token.FIELD])


def filled_honeypot(form: FormData) -> bool:
    return bool(form.get(HONEYPOT_FIELD, "").strip())
