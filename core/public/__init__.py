"""The public pages' framework: server-rendered HTML under /support that works without
JavaScript, in English and Welsh, built with GOV.UK Frontend. No domain knowledge lives here; a
domain's public pages use it (DEVELOPING.md, "Public pages"):

- `routes.public_routes(*routes)`: the Mount serving them, with the guards around them.
- `rendering.render(request, template, identity=…, errors=…)` and `PageIdentity`.
- `posted_form.read_posted_form(request)` (415, 400, 403 refused), `filled_honeypot(form)`.
- `rate_limit.rate_limited(session, key, limit, per_seconds)`, `client_address(request)`.
- `refusals.Refused(status)`; `strings.t(key, lang)`; `log_redaction` (installed at start-up).
"""

from __future__ import annotations

from pathlib import Path


def include(directory: Path) -> None:
    """A domain's public pages: its `templates/` (named `<domain>/…`) and its `strings/en.json`
    and `cy.json`. Call once, when the module that builds its routes is imported."""
    from core.public.rendering import add_templates
    from core.public.strings import CATALOGUE

    add_templates(directory / "templates")
    CATALOGUE.add_directory(directory / "strings")
