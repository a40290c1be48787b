"""Which Stand Up role a single-sign-on identity gets, from the identity provider's claims.

The force's identity provider is the source of truth for who may do what: a configurable
claim (default `groups`) is matched against a mapping such as
`gmp-gold=gold,gmp-hub=hub_manager`. No matching value, no access.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.auth.roles import Role
from core.errors import InputError


def parse_role_map(text: str) -> dict[str, Role]:
    """`group=role,group=role` → mapping; wrong roles are named."""
    mapping: dict[str, Role] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        group, sep, role = pair.partition("=")
        if not sep or not group.strip():
            raise InputError(f"STANDUP_OIDC_ROLE_MAP entry {pair!r} must look like group=role")
        try:
            mapping[group.strip()] = Role(role.strip())
        except ValueError:
            raise InputError(
                f"STANDUP_OIDC_ROLE_MAP entry {pair!r}: unknown role; allowed: {', '.join(r.value for r in Role)}"
            ) from None
    return mapping


# When an identity carries several mapped groups, the narrower role wins: least privilege.
_NARROWEST_FIRST = (Role.ADVOCATE, Role.AUDITOR, Role.AGENCY_COORDINATOR, Role.CASEWORKER, Role.HUB_MANAGER, Role.GOLD, Role.ADMIN)


def role_from_claims(claims: Mapping[str, object], claim: str, role_map: Mapping[str, Role]) -> Role | None:
    raw = claims.get(claim)
    values = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else []
    roles = {role_map[v] for v in values if isinstance(v, str) and v in role_map}
    return next((r for r in _NARROWEST_FIRST if r in roles), None)
