"""How a public page hears why its form or link was refused: as GOV.UK's error summary needs it,
field by field, and whether a personal link is unknown (404) or used or expired (410)."""

from __future__ import annotations

from collections.abc import Mapping

from core.errors import InputError

UNKNOWN, USED, EXPIRED = "unknown", "used", "expired"


class FieldErrors(InputError):
    """A form's answers that cannot be taken, field name -> what to do, in the order asked; nothing
    was saved."""

    def __init__(self, fields: Mapping[str, str]):
        self.fields = dict(fields)
        super().__init__("; ".join(self.fields.values()))


class LinkUnusable(InputError):
    """A personal link that cannot be used: `state` is unknown, used or expired."""

    def __init__(self, state: str):
        self.state = state
        super().__init__({UNKNOWN: "This link is not known.", USED: "This link has already been used.",
                          EXPIRED: "This link has expired."}[state])
