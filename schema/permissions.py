"""Field permissions. Every mutation and every query field declares one with `guard(...)`; a test walks the
schema and fails on a field without it. The declared check is the coarse gate (signed in, admin, holds a
permission in some brand); the brand-scoped check happens again in the core service, whatever IDs are sent.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from core.auth.permissions import Permission
from core.context import Actor
from schema.errors import ApiError

REQUIRES = "Requires:"


def unauthenticated(message: str = "Sign in first: send `Authorization: Bearer <token>`.") -> ApiError:
    return ApiError(message, "UNAUTHENTICATED")


def forbidden(message: str = "You do not have permission to do this.") -> ApiError:
    return ApiError(message, "FORBIDDEN")


class Check(BasePermission):
    label = ""

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        actor = await info.context.actor()
        self.check(actor)
        return True

    def check(self, actor: Actor) -> None:
        """Raise `unauthenticated()` or `forbidden()` when the actor may not use the field."""


class Public(Check):
    label = "nothing (public)"

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return True


class SignedIn(Check):
    label = "a signed-in account"

    def check(self, actor: Actor) -> None:
        if not actor.is_authenticated:
            raise unauthenticated()
        if actor.user_id is None:
            raise forbidden("Only a person's account can do this, not an app token.")


class BrandMember(Check):
    label = "brand staff, an app of the brand, or a platform administrator"

    def check(self, actor: Actor) -> None:
        if not actor.is_authenticated:
            raise unauthenticated()
        if not (actor.brand_permissions or actor.is_platform_admin):
            raise forbidden("You do not work for a brand.")


class PlatformAdmin(Check):
    label = "a platform administrator"

    def check(self, actor: Actor) -> None:
        if not actor.is_authenticated:
            raise unauthenticated()
        if not actor.is_platform_admin:
            raise forbidden("Only a platform administrator may do this.")


class BrandPermission(Check):
    """Holds `permission` in at least one brand; the service then checks it for the brand concerned."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission
        self.label = f"{permission} (brand staff or app)"

    def check(self, actor: Actor) -> None:
        if not actor.is_authenticated:
            raise unauthenticated()
        if not any(self.permission in held for held in actor.brand_permissions.values()):
            raise forbidden(f"You need {self.permission} for this brand.")


class TailorAccount(Check):
    label = "a tailor account"

    def check(self, actor: Actor) -> None:
        if actor.user_id is None:
            raise unauthenticated()
        if not actor.tailor_ids:
            raise forbidden("Only a tailor may do this; apply with tailorApply first.")


class SupplierAccount(Check):
    label = "a supplier account"

    def check(self, actor: Actor) -> None:
        if actor.user_id is None:
            raise unauthenticated()
        if not actor.supplier_ids:
            raise forbidden("Only a supplier may do this; apply with supplierApply first.")


PUBLIC = Public()
SIGNED_IN = SignedIn()
BRAND_MEMBER = BrandMember()
PLATFORM_ADMIN = PlatformAdmin()
TAILOR = TailorAccount()
SUPPLIER = SupplierAccount()


def guard(description: str, *checks: Check) -> dict[str, Any]:
    """Keyword arguments for `strawberry.field`/`mutation`: the check, stated in the field's description."""
    if not checks:
        raise ValueError("guard() needs at least one check (use PUBLIC for public fields)")
    labels = " or ".join(check.label for check in checks) if len(checks) > 1 else checks[0].label
    return {
        "description": f"{description}\n\n{REQUIRES} {labels}.",
        "extensions": [PermissionExtension(permissions=list(_any_of(checks)), use_directives=False)],
    }


def _any_of(checks: tuple[Check, ...]) -> list[Check]:
    if len(checks) == 1:
        return [checks[0]]

    class AnyOf(Check):
        label = " or ".join(check.label for check in checks)

        async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
            actor = await info.context.actor()
            first_error: ApiError | None = None
            for check in checks:
                try:
                    check.check(actor) if not isinstance(check, Public) else None
                    return True
                except ApiError as error:
                    first_error = first_error or error
            raise first_error or forbidden()

    return [AnyOf()]
