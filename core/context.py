"""Who is asking: the actor every core service is handed, whatever API the request came through."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from core.actors.models import StaffRole
from core.auth.permissions import ROLE_PERMISSIONS, Permission
from core.errors import PermissionDenied


class ActorKind(StrEnum):
    ANONYMOUS = "ANONYMOUS"
    USER = "USER"
    APP = "APP"
    SYSTEM = "SYSTEM"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind = ActorKind.ANONYMOUS
    user_id: int | None = None
    app_id: int | None = None
    email: str = ""
    is_platform_admin: bool = False
    # brand id -> permissions held there (from staff roles, or an app token's chosen subset)
    brand_permissions: dict[int, frozenset[Permission]] = field(default_factory=dict)
    supplier_ids: frozenset[int] = frozenset()
    tailor_ids: frozenset[int] = frozenset()

    @property
    def is_authenticated(self) -> bool:
        return self.kind != ActorKind.ANONYMOUS

    @property
    def label(self) -> str:
        return {ActorKind.USER: f"user:{self.user_id}", ActorKind.APP: f"app:{self.app_id}"}.get(self.kind, self.kind)

    def can(self, brand_id: int, permission: Permission) -> bool:
        return self.kind == ActorKind.SYSTEM or permission in self.brand_permissions.get(brand_id, frozenset())

    # The checks raise, so a service states its rule in one line.

    def require_user(self) -> int:
        if self.kind != ActorKind.USER or self.user_id is None:
            raise PermissionDenied("Sign in first.", authenticated=self.is_authenticated)
        return self.user_id

    def require_platform_admin(self) -> None:
        if not (self.is_platform_admin or self.kind == ActorKind.SYSTEM):
            raise PermissionDenied("Only a platform administrator may do this.", authenticated=self.is_authenticated)

    def require(self, brand_id: int, permission: Permission) -> None:
        if not self.can(brand_id, permission):
            raise PermissionDenied(f"You need {permission} for this brand.", authenticated=self.is_authenticated)


ANONYMOUS = Actor()
SYSTEM = Actor(kind=ActorKind.SYSTEM)


def staff_permissions(roles: dict[int, str]) -> dict[int, frozenset[Permission]]:
    return {brand_id: ROLE_PERMISSIONS[StaffRole(role)] for brand_id, role in roles.items()}
