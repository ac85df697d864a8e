"""Brands over GraphQL: applying, the platform's decisions, storefront settings, staff and apps."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors import brands, staff
from core.actors.models import Brand as BrandModel
from core.actors.models import BrandStatus, StaffRole
from core.auth.models import AppToken
from core.auth.permissions import Permission
from core.pagination import PageRequest, paginate
from schema.auth.accounts import PermissionEnum
from schema.errors import UserError, attempt
from schema.permissions import BRAND_MEMBER, PLATFORM_ADMIN, SIGNED_IN, BrandPermission, guard
from schema.relay import Connection, connection, decode_id

BrandStatusEnum = strawberry.enum(BrandStatus, name="BrandStatus")
StaffRoleEnum = strawberry.enum(StaffRole, name="StaffRole")

MANAGE_STOREFRONT = BrandPermission(Permission.MANAGE_STOREFRONT)
MANAGE_STAFF = BrandPermission(Permission.MANAGE_STAFF)
MANAGE_APPS = BrandPermission(Permission.MANAGE_APPS)


@strawberry.type(description="A brand as its staff and the platform's administrators see it.")
class Brand(relay.Node):
    id: relay.NodeID[int]
    slug: str
    name: str
    status: BrandStatusEnum  # type: ignore[valid-type]
    description: str
    logo_url: str
    primary_color: str
    default_currency: str
    currencies: list[str]
    languages: list[str]
    ships_to: list[str]
    created_at: datetime

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
    email: str
    full_name: str
    role: StaffRoleEnum  # type: ignore[valid-type]
    joined_at: datetime


@strawberry.type(description="An invitation to join a brand's staff (its token travels by e-mail only).")
class StaffInvitation:
    email: str
    role: StaffRoleEnum  # type: ignore[valid-type]
    expires_at: datetime


@strawberry.type(description="An integration's API token for one brand.")
class App(relay.Node):
    id: relay.NodeID[int]
    name: str
    token_prefix: str = strawberry.field(description="The first characters of the token, to recognise it.")
    permissions: list[PermissionEnum]  # type: ignore[valid-type]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

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


@strawberry.input
class BrandApplyInput:
    slug: str = strawberry.field(description="The storefront's handle: 3–64 lowercase letters, digits, hyphens.")
    name: str
    description: str = ""
    default_currency: str = "IDR"


@strawberry.input
class BrandDecisionInput:
    reason: str = ""


@strawberry.input(description="Only the fields given are changed.")
class StorefrontUpdateInput:
    name: str | None = None
    description: str | None = None
    logo_url: str | None = None
    primary_color: str | None = strawberry.field(default=None, description="A hex colour, e.g. #7c3a5a.")
    languages: list[str] | None = strawberry.field(default=None, description="Among id, en, ms, tr, ar.")
    currencies: list[str] | None = strawberry.field(default=None, description="ISO 4217 codes, e.g. IDR, MYR.")
    default_currency: str | None = None
    ships_to: list[str] | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 codes.")
    domains: list[str] | None = strawberry.field(default=None, description="Host names mapped to the storefront.")


@strawberry.input
class StaffInviteInput:
    email: str
    role: StaffRoleEnum = StaffRole.STAFF  # type: ignore[valid-type]


@strawberry.input
class StaffInviteAcceptInput:
    token: str


@strawberry.input
class AppCreateInput:
    name: str
    permissions: list[PermissionEnum]  # type: ignore[valid-type]


@strawberry.input
class BrandFilter:
    status: BrandStatusEnum | None = None  # type: ignore[valid-type]
    search: str | None = None


@strawberry.type
class BrandPayload:
    brand: Brand | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StaffInvitePayload:
    invitation: StaffInvitation | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StaffInviteAcceptPayload:
    brand: Brand | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AppCreatePayload:
    app: App | None = None
    auth_token: str | None = strawberry.field(default=None, description="Shown this once; store it safely.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AppPayload:
    app: App | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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
        filter: BrandFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
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
    async def managed_brand(self, info: Info, brand: str | None = None) -> Brand:
        actor = await info.context.actor()
        return Brand.from_model(await brands.member_brand(actor, await info.context.brand_slug(brand)))

    @strawberry.field(**guard("The brand's staff.", MANAGE_STAFF))
    async def staff_members(self, info: Info, brand: str | None = None) -> list[StaffMemberType]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_STAFF)
        rows = await staff.members(found)
        return [
            StaffMemberType(email=r.user.email, full_name=r.user.full_name, role=r.role, joined_at=r.created_at)
            for r in rows
        ]

    @strawberry.field(**guard("The brand's app tokens (without the tokens themselves).", MANAGE_APPS))
    async def apps(self, info: Info, brand: str | None = None) -> list[App]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_APPS)
        return [App.from_model(a) for a in await staff.apps(found)]


@strawberry.type
class BrandMutation:
    @strawberry.mutation(**guard("Apply to sell on the platform; the caller becomes the brand's owner.", SIGNED_IN))
    async def brand_apply(self, info: Info, input: BrandApplyInput) -> BrandPayload:
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

    @strawberry.mutation(**guard("Approve an applied brand (or reinstate a suspended one).", PLATFORM_ADMIN))
    async def brand_approve(self, info: Info, id: relay.GlobalID) -> BrandPayload:
        return await _decide(info, id, BrandStatus.APPROVED)

    @strawberry.mutation(**guard("Reject a brand's application.", PLATFORM_ADMIN))
    async def brand_reject(
        self, info: Info, id: relay.GlobalID, input: BrandDecisionInput | None = None
    ) -> BrandPayload:
        return await _decide(info, id, BrandStatus.REJECTED, input.reason if input else "")

    @strawberry.mutation(**guard("Suspend an approved brand: its storefront stops serving.", PLATFORM_ADMIN))
    async def brand_suspend(
        self, info: Info, id: relay.GlobalID, input: BrandDecisionInput | None = None
    ) -> BrandPayload:
        return await _decide(info, id, BrandStatus.SUSPENDED, input.reason if input else "")

    @strawberry.mutation(**guard("Change how the brand's storefront looks and sells.", MANAGE_STOREFRONT))
    async def storefront_update(
        self, info: Info, input: StorefrontUpdateInput, brand: str | None = None
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
    async def staff_invite(self, info: Info, input: StaffInviteInput, brand: str | None = None) -> StaffInvitePayload:
        actor = await info.context.actor()
        days = info.context.settings.auth.staff_invite_days

        async def run() -> StaffInvitation:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_STAFF)
            invite, _ = await staff.invite(actor, found, email=input.email, role=StaffRole(input.role), valid_days=days)
            return StaffInvitation(email=invite.email, role=invite.role, expires_at=invite.expires_at)

        invitation, errors = await attempt(run)
        return StaffInvitePayload(invitation=invitation, errors=errors)

    @strawberry.mutation(**guard("Join a brand's staff with an invitation token.", SIGNED_IN))
    async def staff_invite_accept(self, info: Info, input: StaffInviteAcceptInput) -> StaffInviteAcceptPayload:
        actor = await info.context.actor()
        found, errors = await attempt(lambda: staff.join(actor, token=input.token))
        return StaffInviteAcceptPayload(brand=Brand.from_model(found) if found else None, errors=errors)

    @strawberry.mutation(**guard("Create an API token for an integration.", MANAGE_APPS))
    async def app_create(self, info: Info, input: AppCreateInput, brand: str | None = None) -> AppCreatePayload:
        actor = await info.context.actor()

        async def run() -> tuple[AppToken, str]:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_APPS)
            return await staff.create_app(actor, found, name=input.name, permissions=list(input.permissions))

        result, errors = await attempt(run)
        if result is None:
            return AppCreatePayload(errors=errors)
        return AppCreatePayload(app=App.from_model(result[0]), auth_token=result[1])

    @strawberry.mutation(**guard("Revoke an app token; it stops working at once.", MANAGE_APPS))
    async def app_revoke(self, info: Info, id: relay.GlobalID) -> AppPayload:
        actor = await info.context.actor()
        app, errors = await attempt(lambda: staff.revoke_app(actor, decode_id(id, "App")))
        return AppPayload(app=App.from_model(app) if app else None, errors=errors)


QUERIES = (BrandQuery,)
MUTATIONS = (BrandMutation,)
TYPES = (Brand, App)
