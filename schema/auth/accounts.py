"""Accounts over GraphQL: registering, tokens, `me`, passwords."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors.models import StaffMember
from core.auth import services as auth
from core.auth.models import User as UserModel
from core.auth.permissions import ROLE_PERMISSIONS, Permission
from schema.actors.addresses import Address, account_addresses
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.garments.garment_types import MeasurementProfile, account_measurement_profiles
from schema.orders.types import Order, account_orders
from schema.permissions import PUBLIC, SIGNED_IN, guard
from schema.relay import Connection

PermissionEnum = described_enum(
    Permission,
    name="Permission",
    description="What a staff role or app may do in its brand (each management field states the one it needs).",
    values={
        "MANAGE_PRODUCTS": "The catalog: products, variants, images, categories, collections, attributes, "
        "garment types and made-to-measure products.",
        "MANAGE_ORDERS": "Orders, payments, refunds, shipments, production jobs, tailors and supplier orders.",
        "MANAGE_STOREFRONT": "Storefront settings, vouchers, taxes, shipping rates and brand plugins.",
        "MANAGE_STAFF": "Inviting staff and listing them.",
        "MANAGE_APPS": "Creating and revoking app tokens and managing webhooks.",
    },
)


@strawberry.type(description="A brand the account works for, and with what role.")
class StaffMembership:
    brand_slug: str = strawberry.field(description="The brand's slug, for `brand` arguments and the header.")
    brand_name: str = strawberry.field(description="The brand's display name.")
    role: str = strawberry.field(description="The role held: OWNER, MANAGER or STAFF (see `StaffRole`).")
    permissions: list[PermissionEnum] = strawberry.field(  # type: ignore[valid-type]
        description="What the role may do in this brand."
    )


@strawberry.type(description="A signed-in account.")
class User(relay.Node):
    id: relay.NodeID[int]
    email: str = strawberry.field(description="The sign-in e-mail address, lowercased.")
    full_name: str = strawberry.field(description="The account's name; may be empty.")
    language: str = strawberry.field(description="The preferred language: id, en, ms, tr or ar.")
    is_platform_admin: bool = strawberry.field(description="Whether the account administers the whole platform.")
    created_at: datetime = strawberry.field(description="When the account was registered (ISO 8601 with offset).")

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


PASSWORD_RULES = (
    "At least the server's minimum length (10 unless configured) and at most 256 characters, not a common "
    "password and not containing the e-mail address. Errors `PASSWORD_TOO_SHORT`, `PASSWORD_TOO_LONG`, "
    "`PASSWORD_TOO_COMMON`, `PASSWORD_TOO_SIMILAR`."
)


@strawberry.input(description="A new shopper account.")
class AccountRegisterInput:
    email: str = strawberry.field(
        description="The sign-in address (lowercased). Errors `INVALID_EMAIL`, `EMAIL_TAKEN`."
    )
    password: str = strawberry.field(description=PASSWORD_RULES)
    full_name: str = strawberry.field(default="", description="Up to 200 characters. Error `TOO_LONG`.")


@strawberry.input(description="The credentials to sign in with.")
class TokenCreateInput:
    email: str = strawberry.field(description="The account's e-mail address, in any case.")
    password: str = strawberry.field(description="The account's password.")


@strawberry.input(description="Only the fields given are changed.")
class AccountUpdateInput:
    full_name: str | None = strawberry.field(default=None, description="Up to 200 characters. Error `TOO_LONG`.")
    language: str | None = strawberry.field(
        default=None, description="One of id, en, ms, tr, ar. Error `INVALID_LANGUAGE`."
    )


@strawberry.input(description="The current password and the new one.")
class PasswordChangeInput:
    old_password: str = strawberry.field(description="The current password. Error `INVALID_PASSWORD`.")
    new_password: str = strawberry.field(description=PASSWORD_RULES)


@strawberry.input(description="Whose password to reset.")
class PasswordResetRequestInput:
    email: str = strawberry.field(description="The account's e-mail address; the link goes there if it exists.")


@strawberry.input(description="A reset token and the new password.")
class PasswordResetInput:
    token: str = strawberry.field(
        description="The token from the reset link (single use, valid 60 minutes unless configured). "
        "Error `INVALID_TOKEN`."
    )
    password: str = strawberry.field(description=PASSWORD_RULES)


@strawberry.type(description="The result of an account mutation.")
class AccountPayload:
    user: User | None = strawberry.field(default=None, description="The account as it is now; null on errors.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type(description="A new token pair, from signing in, refreshing or changing the password.")
class TokenPayload:
    token: str | None = strawberry.field(
        default=None,
        description="Access token for `Authorization: Bearer <token>`, valid 15 minutes unless configured; "
        "null on errors.",
    )
    refresh_token: str | None = strawberry.field(
        default=None,
        description="Exchange with `tokenRefresh` for a new pair; single use, valid 30 days unless configured. "
        "Null on errors.",
    )
    user: User | None = strawberry.field(default=None, description="The account signed in; null on errors.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type(description="The result of a mutation that returns nothing but its errors.")
class EmptyPayload:
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


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
    @strawberry.mutation(**guard("Create a shopper account (rate-limited per client address).", PUBLIC))
    async def account_register(
        self, info: Info, input: Annotated[AccountRegisterInput, strawberry.argument(description="The account.")]
    ) -> AccountPayload:
        user, errors = await attempt(
            lambda: auth.register(
                info.context.auth, email=input.email, password=input.password, full_name=input.full_name
            )
        )
        return AccountPayload(user=User.from_model(user) if user else None, errors=errors)

    @strawberry.mutation(
        **guard(
            "Sign in: an access token and a refresh token. Errors `INVALID_CREDENTIALS`; after repeated failures "
            "`LOGIN_THROTTLED` (wait and retry) or `LOGIN_LOCKED`.",
            PUBLIC,
        )
    )
    async def token_create(
        self, info: Info, input: Annotated[TokenCreateInput, strawberry.argument(description="The credentials.")]
    ) -> TokenPayload:
        return _tokens(
            *await attempt(
                lambda: auth.login(
                    info.context.auth, email=input.email, password=input.password, client=info.context.client_address
                )
            )
        )

    @strawberry.mutation(
        **guard(
            "Exchange a refresh token for a new pair; the old one stops working. Error `INVALID_TOKEN` (reusing "
            "a spent token also revokes its newer rotations).",
            PUBLIC,
        )
    )
    async def token_refresh(
        self,
        info: Info,
        refresh_token: Annotated[str, strawberry.argument(description="The refresh token of the last pair.")],
    ) -> TokenPayload:
        return _tokens(*await attempt(lambda: auth.refresh(info.context.auth, refresh_token)))

    @strawberry.mutation(
        **guard("Sign out a device: its refresh token (and its rotations) stop working. Error `INVALID_TOKEN`.", PUBLIC)
    )
    async def token_revoke(
        self,
        info: Info,
        refresh_token: Annotated[str, strawberry.argument(description="The device's refresh token.")],
    ) -> EmptyPayload:
        _, errors = await attempt(lambda: auth.revoke(info.context.auth, refresh_token))
        return EmptyPayload(errors=errors)

    @strawberry.mutation(**guard("Change the signed-in account's name or language.", SIGNED_IN))
    async def account_update(
        self, info: Info, input: Annotated[AccountUpdateInput, strawberry.argument(description="The changes.")]
    ) -> AccountPayload:
        actor = await info.context.actor()
        user, errors = await attempt(
            lambda: auth.update_account(actor, full_name=input.full_name, language=input.language)
        )
        return AccountPayload(user=User.from_model(user) if user else None, errors=errors)

    @strawberry.mutation(
        **guard("Change the password; every other session is signed out and a new token pair returned.", SIGNED_IN)
    )
    async def password_change(
        self,
        info: Info,
        input: Annotated[PasswordChangeInput, strawberry.argument(description="Old and new password.")],
    ) -> TokenPayload:
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
    async def password_reset_request(
        self,
        info: Info,
        input: Annotated[PasswordResetRequestInput, strawberry.argument(description="The e-mail address.")],
    ) -> EmptyPayload:
        _, errors = await attempt(lambda: auth.request_password_reset(info.context.auth, email=input.email))
        return EmptyPayload(errors=errors)

    @strawberry.mutation(**guard("Set a new password with the token from the reset link; it does not sign in.", PUBLIC))
    async def password_reset(
        self,
        info: Info,
        input: Annotated[PasswordResetInput, strawberry.argument(description="The token and new password.")],
    ) -> AccountPayload:
        user, errors = await attempt(
            lambda: auth.reset_password(info.context.auth, token=input.token, password=input.password)
        )
        return AccountPayload(user=User.from_model(user) if user else None, errors=errors)


QUERIES = (AccountQuery,)
MUTATIONS = (AccountMutation,)
TYPES = (User,)
