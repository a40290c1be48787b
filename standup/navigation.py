"""Which pages exist and who sees them. A page is shown to a role exactly when the role holds
the page's permission, so the menu and the services' own checks cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass

from core.auth.roles import ROLE_PERMISSIONS, Permission, Role


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to streamlit_app.py
    title: str
    icon: str
    section: str
    permission: Permission | None  # None: every signed-in role

    @property
    def url_path(self) -> str:
        """`core/pages/audit.py` is served at /core-audit."""
        domain, _, name = self.path.removesuffix(".py").split("/")
        return f"{domain}-{name}"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("core/pages/home.py", "Home", ":material/home:", "Stand Up", None),
    PageSpec("core/pages/users.py", "Users", ":material/group:", "Administration", Permission.USERS_MANAGE),
    PageSpec("core/pages/agencies.py", "Agencies", ":material/apartment:", "Administration",
             Permission.AGENCIES_MANAGE),
    PageSpec("core/pages/audit.py", "Audit trail", ":material/policy:", "Administration", Permission.AUDIT_VIEW),
)


def pages_for(role: Role) -> list[PageSpec]:
    allowed = ROLE_PERMISSIONS[role]
    return [p for p in PAGES if p.permission is None or p.permission in allowed]
