"""Brands over GraphQL: applying, the platform's decisions, storefront settings, staff and apps."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors import brands, staff
from core.actors.models import Brand as BrandModel
from core.actors.models import BrandStatus, StaffRole
from core.auth.models import AppToken
from core.auth.permissions import Permission
from core.pagination import PageRequest, paginate
from schema.arguments import BrandSlug
from schema.auth.accounts import PermissionEnum
from schema.customs import Incoterm
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.permissions import BRAND_MEMBER, PLATFORM_ADMIN, SIGNED_IN, BrandPermission, guard
from schema.relay import After, Before, Connection, First, Last, connection, decode_id

BrandStatusEnum = described_enum(
    BrandStatus,
    name="BrandStatus",
    description="Where a brand stands in the platform's selection; only an approved brand's storefront serves.",
    values={
        "APPLIED": "Applied and waiting for a platform administrator's decision.",
        "APPROVED": "Selling: its storefront serves.",
        "REJECTED": "The application was turned down; the brand cannot be managed any more.",
        "SUSPENDED": "Stopped by the platform: its storefront does not serve until it is approved again.",
    },
)
StaffRoleEnum = described_enum(
    StaffRole,
    name="StaffRole",
    description="A staff member's role in one brand, which sets the permissions they hold there.",
    values={
        "OWNER": "Every permission, and the only role that may invite another owner.",
        "MANAGER": "MANAGE_PRODUCTS, MANAGE_ORDERS, MANAGE_STOREFRONT and MANAGE_STAFF (not MANAGE_APPS).",
        "STAFF": "MANAGE_PRODUCTS and MANAGE_ORDERS.",
    },
)

MANAGE_STOREFRONT = BrandPermission(Permission.MANAGE_STOREFRONT)
MANAGE_STAFF = BrandPermission(Permission.MANAGE_STAFF)
MANAGE_APPS = BrandPermission(Permission.MANAGE_APPS)


@strawberry.type(description="A brand as its staff and the platform's administrators see it.")
class Brand(relay.Node):
    id: relay.NodeID[int]
    slug: str = strawberry.field(
        description="The brand's handle, unique on the platform: lowercase letters, digits, hyphens."
    )
    name: str = strawberry.field(description="The brand's display name.")
    status: BrandStatusEnum = strawberry.field(description="Where the brand stands in the platform's selection.")  # type: ignore[valid-type]
    description: str = strawberry.field(description="The brand's own text about itself; empty when not set.")
    logo_url: str = strawberry.field(description="An http(s) URL of the logo; empty when not set.")
    primary_color: str = strawberry.field(description="The storefront's main colour, lowercase hex like #7c3a5a.")
    default_currency: str = strawberry.field(description="The ISO 4217 code prices fall back to; one of `currencies`.")
    currencies: list[str] = strawberry.field(description="The ISO 4217 currencies the storefront sells in.")
    languages: list[str] = strawberry.field(description="The storefront's languages, among id, en, ms, tr, ar.")
    ships_to: list[str] = strawberry.field(description="ISO 3166-1 alpha-2 countries the brand delivers to.")
    ships_from: str = strawberry.field(
        description="The ISO 3166-1 alpha-2 country the brand's parcels leave from; a parcel to any other country "
        "is an export, and each of its lines needs customs data (`Product.customs`)."
    )
    incoterm: Incoterm = strawberry.field(  # type: ignore[valid-type]
        description="Who pays duties on exports: DAP (the buyer, on arrival) or DDP (collected at checkout)."
    )
    created_at: datetime = strawberry.field(description="When the brand applied (ISO 8601 with offset).")

    @classmethod
    def from_model(cls, brand: BrandModel) -> Brand:
        return cls(
            id=brand.id,
            slug=brand.slug,
            name=brand.name,
            status=brand.status,
            description=brand.description,
            logo_url=brand.logo_url,
            primary_color=brand.primary_color,
            default_currency=brand.default_currency,
            currencies=list(brand.currencies),
            languages=list(brand.languages),
            ships_to=list(brand.ships_to),
            ships_from=brand.ships_from,
            incoterm=brand.incoterm,
            created_at=brand.created_at,
        )

    @strawberry.field(description="Custom host names that select this brand's storefront.")
    async def domains(self) -> list[str]:
        return await brands.domains(self.id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Brand | None]:
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        visible = await brands.visible_brands(actor, ids)
        return [cls.from_model(visible[int(i)]) if i.isdigit() and int(i) in visible else None for i in node_ids]


@strawberry.type(name="StaffMember", description="A person who works for a brand.")
class StaffMemberType:
    email: str = strawberry.field(description="The e-mail address of the member's account.")
    full_name: str = strawberry.field(description="The name on the member's account; may be empty.")
    role: StaffRoleEnum = strawberry.field(description="The member's role in this brand.")  # type: ignore[valid-type]
    joined_at: datetime = strawberry.field(description="When they joined the brand (ISO 8601 with offset).")


@strawberry.type(description="An invitation to join a brand's staff (its token travels by e-mail only).")
class StaffInvitation:
    email: str = strawberry.field(description="The address invited; only the account with this e-mail may accept.")
    role: StaffRoleEnum = strawberry.field(description="The role the invitee gets on accepting.")  # type: ignore[valid-type]
    expires_at: datetime = strawberry.field(description="After this (ISO 8601 with offset) the token no longer works.")


@strawberry.type(description="An integration's API token for one brand.")
class App(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The name given when the app was created.")
    token_prefix: str = strawberry.field(description="The first characters of the token, to recognise it.")
    permissions: list[PermissionEnum] = strawberry.field(  # type: ignore[valid-type]
        description="What the token may do in its brand."
    )
    created_at: datetime = strawberry.field(description="When the token was created (ISO 8601 with offset).")
    last_used_at: datetime | None = strawberry.field(
        description="When a request last came with the token; null if it never has."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked, after which it is refused; null while it works."
    )

    @classmethod
    def from_model(cls, app: AppToken) -> App:
        return cls(
            id=app.id,
            name=app.name,
            token_prefix=app.token_prefix,
            permissions=[Permission(p) for p in app.permissions],
            created_at=app.created_at,
            last_used_at=app.last_used_at,
            revoked_at=app.revoked_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[App | None]:
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        visible = await staff.visible_apps(actor, ids)
        return [cls.from_model(visible[int(i)]) if i.isdigit() and int(i) in visible else None for i in node_ids]


@strawberry.input(description="An application to sell on the platform.")
class BrandApplyInput:
    slug: str = strawberry.field(
        description="The storefront's handle: 3–64 lowercase letters, digits and single hyphens, not reserved "
        "(admin, api, www…); lowercased. Errors `INVALID_SLUG`, `SLUG_TAKEN`."
    )
    name: str = strawberry.field(description="The display name, 1–200 characters. Error `INVALID_NAME`.")
    description: str = strawberry.field(default="", description="The brand's text about itself.")
    default_currency: str = strawberry.field(
        default="IDR",
        description="An ISO 4217 code; the storefront starts selling in it alone. Error `INVALID_CURRENCY`.",
    )


@strawberry.input(description="A platform administrator's decision on a brand.")
class BrandDecisionInput:
    reason: str = strawberry.field(
        default="", description="Why, carried in the `brand.rejected`/`brand.suspended` event for the brand."
    )


@strawberry.input(description="Only the fields given are changed.")
class StorefrontUpdateInput:
    name: str | None = strawberry.field(default=None, description="1–200 characters. Error `INVALID_NAME`.")
    description: str | None = strawberry.field(default=None, description="Up to 5000 characters (cut beyond).")
    logo_url: str | None = strawberry.field(
        default=None, description="An http(s) URL, or empty for none. Error `INVALID_URL`."
    )
    primary_color: str | None = strawberry.field(
        default=None, description="A hex colour, e.g. #7c3a5a. Error `INVALID_COLOUR`."
    )
    languages: list[str] | None = strawberry.field(
        default=None, description="At least one, among id, en, ms, tr, ar. Error `INVALID_LANGUAGE`."
    )
    currencies: list[str] | None = strawberry.field(
        default=None, description="At least one ISO 4217 code, e.g. IDR, MYR. Error `INVALID_CURRENCY`."
    )
    default_currency: str | None = strawberry.field(
        default=None, description="One of the (new) `currencies`. Error `INVALID_CURRENCY`."
    )
    ships_to: list[str] | None = strawberry.field(
        default=None, description="ISO 3166-1 alpha-2 codes. Error `INVALID_COUNTRY`."
    )
    ships_from: str | None = strawberry.field(
        default=None,
        description="The ISO 3166-1 alpha-2 country parcels leave from (default ID). Error `INVALID_COUNTRY`.",
    )
    incoterm: Incoterm | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Who pays duties on exports: DAP (the buyer, on arrival; default) or DDP."
    )
    domains: list[str] | None = strawberry.field(
        default=None,
        description="The whole list of host names mapped to the storefront (replaces the current one). "
        "Errors `INVALID_DOMAIN`, `DOMAIN_TAKEN` (another brand's).",
    )


@strawberry.input(description="Whom to invite to a brand's staff.")
class StaffInviteInput:
    email: str = strawberry.field(description="The invitee's e-mail address. Error `ALREADY_STAFF`.")
    role: StaffRoleEnum = strawberry.field(  # type: ignore[valid-type]
        default=StaffRole.STAFF,
        description="The role they get; only an owner may invite an OWNER (error `ROLE_NOT_ALLOWED`).",
    )


@strawberry.input(description="An invitation token, from the invitation e-mail.")
class StaffInviteAcceptInput:
    token: str = strawberry.field(
        description="The token as e-mailed. Errors `INVALID_TOKEN` (unknown, used or expired), `WRONG_ACCOUNT` "
        "(invited another e-mail address), `ALREADY_STAFF`."
    )


@strawberry.input(description="A new API token for an integration of the brand.")
class AppCreateInput:
    name: str = strawberry.field(description="1–100 characters, to tell apps apart. Error `INVALID_NAME`.")
    permissions: list[PermissionEnum] = strawberry.field(  # type: ignore[valid-type]
        description="What the token may do; only permissions the caller holds in the brand "
        "(error `PERMISSION_NOT_HELD`)."
    )


@strawberry.input(description="Narrows the brand list; the conditions given must all hold.")
class BrandFilter:
    status: BrandStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only brands in this status; null for all."
    )
    search: str | None = strawberry.field(
        default=None, description="Only brands whose name contains this text, ignoring case."
    )


@strawberry.type(description="The result of a brand mutation.")
class BrandPayload:
    brand: Brand | None = strawberry.field(default=None, description="The brand as it is now; null on errors.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type(description="The result of `staffInvite`.")
class StaffInvitePayload:
    invitation: StaffInvitation | None = strawberry.field(
        default=None, description="The invitation sent; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type(description="The result of `staffInviteAccept`.")
class StaffInviteAcceptPayload:
    brand: Brand | None = strawberry.field(default=None, description="The brand joined; null on errors.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type(description="The result of `appCreate`.")
class AppCreatePayload:
    app: App | None = strawberry.field(default=None, description="The app created; null on errors.")
    auth_token: str | None = strawberry.field(
        default=None,
        description="The token, to send as `Authorization: Bearer <token>`. Shown this once (only a hash is "
        "kept); store it safely. Null on errors.",
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type(description="The result of `appRevoke`.")
class AppPayload:
    app: App | None = strawberry.field(default=None, description="The app as it is now; null on errors.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


def _brand_payload(brand: BrandModel | None, errors: list[UserError]) -> BrandPayload:
    return BrandPayload(brand=Brand.from_model(brand) if brand else None, errors=errors)


async def _decide(info: Info, id: relay.GlobalID, target: BrandStatus, reason: str = "") -> BrandPayload:
    actor = await info.context.actor()
    return _brand_payload(*await attempt(lambda: brands.decide(actor, decode_id(id, "Brand"), target, reason=reason)))


@strawberry.type
class BrandQuery:
    @strawberry.field(**guard("Brands on the platform, newest first.", PLATFORM_ADMIN))
    async def brands(
        self,
        info: Info,
        filter: Annotated[BrandFilter | None, strawberry.argument(description="Conditions; null for all.")] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Brand]:
        queryset = brands.listing(
            await info.context.actor(),
            status=filter.status if filter else None,
            search=filter.search if filter else None,
        )
        limits = info.context.settings.graphql
        page = await paginate(
            queryset,
            PageRequest(first=first, after=after, last=last, before=before),
            order=("-id",),
            key="brands:new",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, Brand.from_model)

    @strawberry.field(**guard("A brand the caller works for, by slug (or the Lini-Storefront header).", BRAND_MEMBER))
    async def managed_brand(self, info: Info, brand: BrandSlug = None) -> Brand:
        actor = await info.context.actor()
        return Brand.from_model(await brands.member_brand(actor, await info.context.brand_slug(brand)))

    @strawberry.field(**guard("The brand's staff.", MANAGE_STAFF))
    async def staff_members(self, info: Info, brand: BrandSlug = None) -> list[StaffMemberType]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_STAFF)
        rows = await staff.members(found)
        return [
            StaffMemberType(email=r.user.email, full_name=r.user.full_name, role=r.role, joined_at=r.created_at)
            for r in rows
        ]

    @strawberry.field(**guard("The brand's app tokens (without the tokens themselves).", MANAGE_APPS))
    async def apps(self, info: Info, brand: BrandSlug = None) -> list[App]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_APPS)
        return [App.from_model(a) for a in await staff.apps(found)]


@strawberry.type
class BrandMutation:
    @strawberry.mutation(**guard("Apply to sell on the platform; the caller becomes the brand's owner.", SIGNED_IN))
    async def brand_apply(
        self, info: Info, input: Annotated[BrandApplyInput, strawberry.argument(description="The application.")]
    ) -> BrandPayload:
        actor = await info.context.actor()
        return _brand_payload(
            *await attempt(
                lambda: brands.apply(
                    actor,
                    slug=input.slug,
                    name=input.name,
                    description=input.description,
                    default_currency=input.default_currency,
                )
            )
        )

    @strawberry.mutation(
        **guard(
            "Approve an applied brand (or reinstate a suspended one). Errors `NOT_FOUND`, `INVALID_STATUS`.",
            PLATFORM_ADMIN,
        )
    )
    async def brand_approve(
        self,
        info: Info,
        id: Annotated[
            relay.GlobalID, strawberry.argument(description="The brand's ID; it must be APPLIED or SUSPENDED.")
        ],
    ) -> BrandPayload:
        return await _decide(info, id, BrandStatus.APPROVED)

    @strawberry.mutation(**guard("Reject a brand's application. Errors `NOT_FOUND`, `INVALID_STATUS`.", PLATFORM_ADMIN))
    async def brand_reject(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The brand's ID; it must be APPLIED.")],
        input: Annotated[BrandDecisionInput | None, strawberry.argument(description="The reason, if any.")] = None,
    ) -> BrandPayload:
        return await _decide(info, id, BrandStatus.REJECTED, input.reason if input else "")

    @strawberry.mutation(
        **guard(
            "Suspend an approved brand: its storefront stops serving. Errors `NOT_FOUND`, `INVALID_STATUS`.",
            PLATFORM_ADMIN,
        )
    )
    async def brand_suspend(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The brand's ID; it must be APPROVED.")],
        input: Annotated[BrandDecisionInput | None, strawberry.argument(description="The reason, if any.")] = None,
    ) -> BrandPayload:
        return await _decide(info, id, BrandStatus.SUSPENDED, input.reason if input else "")

    @strawberry.mutation(**guard("Change how the brand's storefront looks and sells.", MANAGE_STOREFRONT))
    async def storefront_update(
        self,
        info: Info,
        input: Annotated[StorefrontUpdateInput, strawberry.argument(description="The settings to change.")],
        brand: BrandSlug = None,
    ) -> BrandPayload:
        actor = await info.context.actor()
        changes = {k: v for k, v in strawberry.asdict(input).items() if v is not None}

        async def run() -> BrandModel:
            found = await brands.managed_brand(
                actor, await info.context.brand_slug(brand), Permission.MANAGE_STOREFRONT
            )
            return await brands.update_storefront(actor, found, changes)

        return _brand_payload(*await attempt(run))

    @strawberry.mutation(**guard("Invite someone to the brand's staff; the token is e-mailed.", MANAGE_STAFF))
    async def staff_invite(
        self,
        info: Info,
        input: Annotated[StaffInviteInput, strawberry.argument(description="Whom to invite, and as what.")],
        brand: BrandSlug = None,
    ) -> StaffInvitePayload:
        actor = await info.context.actor()
        days = info.context.settings.auth.staff_invite_days

        async def run() -> StaffInvitation:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_STAFF)
            invite, _ = await staff.invite(actor, found, email=input.email, role=StaffRole(input.role), valid_days=days)
            return StaffInvitation(email=invite.email, role=invite.role, expires_at=invite.expires_at)

        invitation, errors = await attempt(run)
        return StaffInvitePayload(invitation=invitation, errors=errors)

    @strawberry.mutation(**guard("Join a brand's staff with an invitation token.", SIGNED_IN))
    async def staff_invite_accept(
        self, info: Info, input: Annotated[StaffInviteAcceptInput, strawberry.argument(description="The token.")]
    ) -> StaffInviteAcceptPayload:
        actor = await info.context.actor()
        found, errors = await attempt(lambda: staff.join(actor, token=input.token))
        return StaffInviteAcceptPayload(brand=Brand.from_model(found) if found else None, errors=errors)

    @strawberry.mutation(**guard("Create an API token for an integration.", MANAGE_APPS))
    async def app_create(
        self,
        info: Info,
        input: Annotated[AppCreateInput, strawberry.argument(description="The app's name and permissions.")],
        brand: BrandSlug = None,
    ) -> AppCreatePayload:
        actor = await info.context.actor()

        async def run() -> tuple[AppToken, str]:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_APPS)
            return await staff.create_app(actor, found, name=input.name, permissions=list(input.permissions))

        result, errors = await attempt(run)
        if result is None:
            return AppCreatePayload(errors=errors)
        return AppCreatePayload(app=App.from_model(result[0]), auth_token=result[1])

    @strawberry.mutation(
        **guard(
            "Revoke an app token; it stops working at once. Another brand's ID or an unknown one: error `FORBIDDEN`.",
            MANAGE_APPS,
        )
    )
    async def app_revoke(
        self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The app's ID.")]
    ) -> AppPayload:
        actor = await info.context.actor()
        app, errors = await attempt(lambda: staff.revoke_app(actor, decode_id(id, "App")))
        return AppPayload(app=App.from_model(app) if app else None, errors=errors)


QUERIES = (BrandQuery,)
MUTATIONS = (BrandMutation,)
TYPES = (Brand, App)
