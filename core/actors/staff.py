"""A brand's people and integrations: staff invitations and app tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.actors.models import Brand, StaffInvite, StaffMember, StaffRole
from core.auth import tokens
from core.auth.models import AppToken, User
from core.auth.permissions import ROLE_PERMISSIONS, Permission
from core.auth.services import APP_TOKEN_PREFIX, normalize_email
from core.context import Actor
from core.errors import DomainError
from core.events import emit


def _now() -> datetime:
    return datetime.now(UTC)


async def invite(
    actor: Actor, brand: Brand, *, email: str, role: StaffRole, valid_days: int
) -> tuple[StaffInvite, str]:
    """Emits `staff.invited` carrying the one-time token (for the e-mail); only owners invite owners."""
    actor.require(brand.id, Permission.MANAGE_STAFF)
    address = normalize_email(email)
    if role == StaffRole.OWNER and Permission.MANAGE_APPS not in actor.brand_permissions.get(brand.id, frozenset()):
        raise DomainError("ROLE_NOT_ALLOWED", "Only an owner can invite another owner.", "role")
    if await StaffMember.filter(brand_id=brand.id, user__email=address).exists():
        raise DomainError("ALREADY_STAFF", "This person already works for the brand.", "email")
    token = tokens.random_token()
    async with in_transaction():
        created = await StaffInvite.create(
            brand_id=brand.id,
            email=address,
            role=role,
            token_hash=tokens.token_hash(token),
            invited_by_id=actor.user_id,
            expires_at=_now() + timedelta(days=valid_days),
        )
        await emit(
            "staff.invited",
            {"brand_id": brand.id, "brand": brand.slug, "email": address, "role": role, "token": token},
            brand_id=brand.id,
        )
    return created, token


async def accept_invite(actor: Actor, *, token: str) -> StaffMember:
    user_id = actor.require_user()
    found = await StaffInvite.get_or_none(token_hash=tokens.token_hash(token))
    if found is None or found.accepted_at is not None or found.expires_at < _now():
        raise DomainError("INVALID_TOKEN", "This invitation is not valid or has expired.", "token")
    user = await User.get(id=user_id)
    if user.email != found.email:
        raise DomainError("WRONG_ACCOUNT", f"This invitation is for {found.email}; sign in with that account.", "token")
    try:
        async with in_transaction():
            if not await StaffInvite.filter(id=found.id, accepted_at=None).update(accepted_at=_now()):
                raise DomainError("INVALID_TOKEN", "This invitation has already been used.", "token")
            member = await StaffMember.create(brand_id=found.brand_id, user_id=user_id, role=found.role)
            await emit(
                "staff.joined",
                {"brand_id": found.brand_id, "user_id": user_id, "role": found.role},
                brand_id=found.brand_id,
            )
    except IntegrityError:
        raise DomainError("ALREADY_STAFF", "You already work for this brand.", "token") from None
    return member


async def join(actor: Actor, *, token: str) -> Brand:
    """Accept an invitation and answer the brand joined."""
    member = await accept_invite(actor, token=token)
    return await Brand.get(id=member.brand_id)


async def members(brand: Brand) -> list[StaffMember]:
    """The brand's staff, their accounts loaded, earliest first; the caller has checked MANAGE_STAFF."""
    return await StaffMember.filter(brand_id=brand.id).select_related("user").order_by("created_at", "id")


async def apps(brand: Brand) -> list[AppToken]:
    """The brand's app tokens, newest first; the caller has checked MANAGE_APPS."""
    return await AppToken.filter(brand_id=brand.id).order_by("-id")


async def visible_apps(actor: Actor, app_ids: Iterable[int]) -> dict[int, AppToken]:
    """The app tokens of `app_ids` at brands whose apps the actor manages, by id, in one query."""
    rows = await AppToken.filter(id__in=list(app_ids))
    return {row.id: row for row in rows if actor.can(row.brand_id, Permission.MANAGE_APPS)}


async def create_app(actor: Actor, brand: Brand, *, name: str, permissions: list[Permission]) -> tuple[AppToken, str]:
    """The token is returned once and stored only as a hash. An app gets no permission its creator lacks."""
    actor.require(brand.id, Permission.MANAGE_APPS)
    if not name.strip() or len(name) > 100:
        raise DomainError("INVALID_NAME", "An app name is 1–100 characters.", "name")
    held = actor.brand_permissions.get(brand.id, frozenset())
    missing = [p for p in permissions if p not in held]
    if missing:
        raise DomainError(
            "PERMISSION_NOT_HELD", f"You cannot grant what you do not hold: {', '.join(missing)}.", "permissions"
        )
    token = tokens.random_token(APP_TOKEN_PREFIX)
    async with in_transaction():
        app = await AppToken.create(
            brand_id=brand.id,
            name=name.strip(),
            token_hash=tokens.token_hash(token),
            token_prefix=token[: len(APP_TOKEN_PREFIX) + 4],
            permissions=sorted(set(permissions)),
            created_by_id=actor.user_id,
        )
        await emit("app.created", {"brand_id": brand.id, "app_id": app.id, "name": app.name}, brand_id=brand.id)
    return app, token


async def revoke_app(actor: Actor, app_id: int) -> AppToken:
    app = await AppToken.get_or_none(id=app_id)
    actor.require(app.brand_id if app else -1, Permission.MANAGE_APPS)
    assert app is not None
    async with in_transaction():
        await AppToken.filter(id=app.id, revoked_at=None).update(revoked_at=_now())
        await emit("app.revoked", {"brand_id": app.brand_id, "app_id": app.id}, brand_id=app.brand_id)
    return await AppToken.get(id=app.id)


def role_permissions(role: StaffRole) -> list[Permission]:
    return sorted(ROLE_PERMISSIONS[role])
