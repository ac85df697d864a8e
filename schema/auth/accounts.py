"""Accounts over GraphQL: registering, tokens, `me`, passwords."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors.models import StaffMember
from core.auth import services as auth
from core.auth.models import User as UserModel
from core.auth.permissions import ROLE_PERMISSIONS, Permission
from schema.actors.addresses import Address, account_addresses
from schema.errors import UserError, attempt
from schema.garments.garment_types import MeasurementProfile, account_measurement_profiles
from schema.orders.types import Order, account_orders
from schema.permissions import PUBLIC, SIGNED_IN, guard
from schema.relay import Connection

PermissionEnum = strawberry.enum(Permission, name="Permission", description="What a staff role or app may do.")


@strawberry.type(description="A brand the account works for, and with what role.")
class StaffMembership:
    brand_slug: str
    brand_name: str
    role: str
    permissions: list[PermissionEnum]  # type: ignore[valid-type]


@strawberry.type(description="A signed-in account.")
class User(relay.Node):
    id: relay.NodeID[int]
    email: str
    full_name: str
    language: str
    is_platform_admin: bool
    created_at: datetime

    @classmethod
    def from_model(cls, user: UserModel) -> User:
        return cls(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            language=user.language,
            is_platform_admin=user.is_platform_admin,
            created_at=user.created_at,
        )

    addresses: list[Address] = strawberry.field(resolver=account_addresses, description="The account's address book.")
    orders: Connection[Order] = strawberry.field(
        resolver=account_orders, description="The account's orders, newest first."
    )
    measurement_profiles: list[MeasurementProfile] = strawberry.field(
        resolver=account_measurement_profiles,
        description="The account's measurement profiles (current versions), most recently changed first.",
    )

    @strawberry.field(description="The brands this account works for.")
    async def staff_memberships(self) -> list[StaffMembership]:
        rows = await StaffMember.filter(user_id=self.id).select_related("brand").order_by("brand__name")
        return [
            StaffMembership(
                brand_slug=row.brand.slug,
                brand_name=row.brand.name,
                role=row.role,
                permissions=sorted(ROLE_PERMISSIONS[row.role]),
            )
            for row in rows
        ]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[User | None]:
        actor = await info.context.actor()
        # An account is visible to itself and to platform admins only.
        wanted = [int(i) for i in node_ids if i.isdigit() and (actor.is_platform_admin or int(i) == actor.user_id)]
        found = {u.id: u for u in await UserModel.filter(id__in=wanted)}
        return [cls.from_model(found[int(i)]) if i.isdigit() and int(i) in found else None for i in node_ids]


@strawberry.input
class AccountRegisterInput:
    email: str
    password: str
    full_name: str = ""


@strawberry.input
class TokenCreateInput:
    email: str
    password: str


@strawberry.input
class AccountUpdateInput:
    full_name: str | None = None
    language: str | None = strawberry.field(default=None, description="One of id, en, ms, tr, ar.")


@strawberry.input
class PasswordChangeInput:
    old_password: str
    new_password: str


@strawberry.input
class PasswordResetRequestInput:
    email: str


@strawberry.input
class PasswordResetInput:
    token: str
    password: str


@strawberry.type
class AccountPayload:
    user: User | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TokenPayload:
    token: str | None = strawberry.field(default=None, description="Access token for `Authorization: Bearer`.")
    refresh_token: str | None = strawberry.field(default=None, description="Exchange with tokenRefresh; single use.")
    user: User | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EmptyPayload:
    errors: list[UserError] = strawberry.field(default_factory=list)


def _tokens(pair: auth.TokenPair | None, errors: list[UserError]) -> TokenPayload:
    if pair is None:
        return TokenPayload(errors=errors)
    return TokenPayload(token=pair.access, refresh_token=pair.refresh, user=User.from_model(pair.user))


@strawberry.type
class AccountQuery:
    @strawberry.field(**guard("The signed-in account; null for an anonymous caller.", PUBLIC))
    async def me(self, info: Info) -> User | None:
        actor = await info.context.actor()
        if actor.user_id is None:
            return None
        user = await UserModel.get_or_none(id=actor.user_id)
        return User.from_model(user) if user else None


@strawberry.type
class AccountMutation:
    @strawberry.mutation(**guard("Create a shopper account.", PUBLIC))
    async def account_register(self, info: Info, input: AccountRegisterInput) -> AccountPayload:
        user, errors = await attempt(
            lambda: auth.register(
                info.context.auth, email=input.email, password=input.password, full_name=input.full_name
            )
        )
        return AccountPayload(user=User.from_model(user) if user else None, errors=errors)

    @strawberry.mutation(**guard("Sign in: an access token and a refresh token.", PUBLIC))
    async def token_create(self, info: Info, input: TokenCreateInput) -> TokenPayload:
        return _tokens(
            *await attempt(
                lambda: auth.login(
                    info.context.auth, email=input.email, password=input.password, client=info.context.client_address
                )
            )
        )

    @strawberry.mutation(**guard("Exchange a refresh token for a new pair; the old one stops working.", PUBLIC))
    async def token_refresh(self, info: Info, refresh_token: str) -> TokenPayload:
        return _tokens(*await attempt(lambda: auth.refresh(info.context.auth, refresh_token)))

    @strawberry.mutation(**guard("Sign out a device: its refresh token (and its rotations) stop working.", PUBLIC))
    async def token_revoke(self, info: Info, refresh_token: str) -> EmptyPayload:
        _, errors = await attempt(lambda: auth.revoke(info.context.auth, refresh_token))
        return EmptyPayload(errors=errors)

    @strawberry.mutation(**guard("Change the signed-in account's name or language.", SIGNED_IN))
    async def account_update(self, info: Info, input: AccountUpdateInput) -> AccountPayload:
        actor = await info.context.actor()
        user, errors = await attempt(
            lambda: auth.update_account(actor, full_name=input.full_name, language=input.language)
        )
        return AccountPayload(user=User.from_model(user) if user else None, errors=errors)

    @strawberry.mutation(
        **guard("Change the password; every other session is signed out and a new token pair returned.", SIGNED_IN)
    )
    async def password_change(self, info: Info, input: PasswordChangeInput) -> TokenPayload:
        actor = await info.context.actor()
        return _tokens(
            *await attempt(
                lambda: auth.change_password(
                    info.context.auth, actor, old_password=input.old_password, new_password=input.new_password
                )
            )
        )

    @strawberry.mutation(
        **guard("Send a single-use password-reset link (answers the same whether the e-mail exists or not).", PUBLIC)
    )
    async def password_reset_request(self, info: Info, input: PasswordResetRequestInput) -> EmptyPayload:
        _, errors = await attempt(lambda: auth.request_password_reset(info.context.auth, email=input.email))
        return EmptyPayload(errors=errors)

    @strawberry.mutation(**guard("Set a new password with the token from the reset link.", PUBLIC))
    async def password_reset(self, info: Info, input: PasswordResetInput) -> AccountPayload:
        user, errors = await attempt(
            lambda: auth.reset_password(info.context.auth, token=input.token, password=input.password)
        )
        return AccountPayload(user=User.from_model(user) if user else None, errors=errors)


QUERIES = (AccountQuery,)
MUTATIONS = (AccountMutation,)
TYPES = (User,)
