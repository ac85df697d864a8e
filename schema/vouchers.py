"""Voucher management over GraphQL (permission MANAGE_STOREFRONT): `vouchers`, `voucherCreate`,
`voucherUpdate`, `voucherDelete`. Shoppers apply codes through the checkout's own mutations.

Resolvers only translate: IDs are decoded inside `attempt`, so a wrong ID is a user error, and the brand
check happens in `core.vouchers.management` on the row the ID names.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors import brands
from core.auth.permissions import Permission
from core.pagination import PageRequest
from core.vouchers import management
from core.vouchers.models import Voucher as VoucherModel
from core.vouchers.models import VoucherCurrency as VoucherCurrencyModel
from core.vouchers.models import VoucherKind
from schema.catalog.management_types import changes, plain
from schema.errors import UserError, attempt
from schema.permissions import BrandPermission, guard
from schema.relay import Connection, connection, decode_id
from schema.scalars import Money

VoucherKindEnum = strawberry.enum(
    VoucherKind, name="VoucherKind", description="PERCENTAGE off, a FIXED amount off, or FREE_SHIPPING."
)
MANAGE_STOREFRONT = BrandPermission(Permission.MANAGE_STOREFRONT)
NULLABLE = ("percentage", "starts_at", "ends_at", "usage_limit", "per_customer_limit")


@strawberry.type(description="A voucher's terms in one currency.")
class VoucherCurrency:
    currency: str
    discount_amount: Money | None = strawberry.field(description="The amount off (FIXED vouchers only).")
    min_subtotal: Money | None = strawberry.field(description="The least subtotal the voucher applies to.")

    @classmethod
    def from_model(cls, row: VoucherCurrencyModel) -> VoucherCurrency:
        def money(amount: Decimal | None) -> Money | None:
            return None if amount is None else Money.of(amount, row.currency)

        return cls(
            currency=row.currency, discount_amount=money(row.discount_amount), min_subtotal=money(row.min_subtotal)
        )


@strawberry.type(description="A discount code of a brand, with its validity and usage limits.")
class Voucher(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Upper case; shoppers may type it in any case.")
    name: str
    kind: VoucherKindEnum  # type: ignore[valid-type]
    percentage: Decimal | None
    currencies: list[VoucherCurrency]
    starts_at: datetime | None
    ends_at: datetime | None
    usage_limit: int | None = strawberry.field(description="Uses overall; null for no limit.")
    per_customer_limit: int | None = strawberry.field(description="Uses per customer; null for no limit.")
    used_count: int = strawberry.field(description="Completed orders that used it (cancelled ones give it back).")
    active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, voucher: VoucherModel, currencies: Iterable[VoucherCurrencyModel]) -> Voucher:
        return cls(
            id=voucher.id,
            code=voucher.code,
            name=voucher.name,
            kind=voucher.kind,
            percentage=voucher.percentage,
            currencies=[VoucherCurrency.from_model(c) for c in currencies],
            starts_at=voucher.starts_at,
            ends_at=voucher.ends_at,
            usage_limit=voucher.usage_limit,
            per_customer_limit=voucher.per_customer_limit,
            used_count=voucher.used_count,
            active=voucher.active,
            created_at=voucher.created_at,
            updated_at=voucher.updated_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Voucher | None]:
        """Only staff who manage the voucher's storefront see it: codes are not for shoppers to browse."""
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = {
            v.id: v
            for v in await VoucherModel.filter(id__in=ids)
            if actor.can(v.brand_id, Permission.MANAGE_STOREFRONT)
        }
        currencies = await management.currencies_of(rows)
        found = {i: cls.from_model(v, currencies.get(i, [])) for i, v in rows.items()}
        return [found.get(int(i)) if i.isdigit() else None for i in node_ids]


async def render(voucher: VoucherModel | None) -> Voucher | None:
    if voucher is None:
        return None
    return Voucher.from_model(voucher, (await management.currencies_of([voucher.id])).get(voucher.id, []))


@strawberry.input(description="A voucher's terms in one of the brand's currencies; amounts are decimal strings.")
class VoucherCurrencyInput:
    currency: str
    discount_amount: Decimal | None = strawberry.field(default=None, description="Required for FIXED vouchers.")
    min_subtotal: Decimal | None = None


@strawberry.input
class VoucherCreateInput:
    code: str = strawberry.field(description="3–50 letters, digits, - or _; unique in the brand, any case.")
    kind: VoucherKindEnum  # type: ignore[valid-type]
    currencies: list[VoucherCurrencyInput] = strawberry.field(description="The currencies it can be used in.")
    name: str = ""
    percentage: Decimal | None = strawberry.field(default=None, description="Above 0, at most 100 (PERCENTAGE).")
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    usage_limit: int | None = None
    per_customer_limit: int | None = None
    active: bool = True


@strawberry.input(description="Only the fields given are changed; null clears a limit, a date or the percentage.")
class VoucherUpdateInput:
    code: str | None = strawberry.UNSET
    kind: VoucherKindEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    currencies: list[VoucherCurrencyInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces all of the voucher's currencies."
    )
    name: str | None = strawberry.UNSET
    percentage: Decimal | None = strawberry.UNSET
    starts_at: datetime | None = strawberry.UNSET
    ends_at: datetime | None = strawberry.UNSET
    usage_limit: int | None = strawberry.UNSET
    per_customer_limit: int | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


@strawberry.type
class VoucherPayload:
    voucher: Voucher | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class VoucherQuery:
    @strawberry.field(**guard("The brand's vouchers, newest first.", MANAGE_STOREFRONT))
    async def vouchers(
        self,
        info: Info,
        brand: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Voucher]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_STOREFRONT)
        limits = info.context.settings.graphql
        page = await management.voucher_page(
            actor,
            found,
            PageRequest(first=first, after=after, last=last, before=before),
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        currencies = await management.currencies_of(v.id for v in page.items)
        return connection(page, lambda v: Voucher.from_model(v, currencies.get(v.id, [])))


@strawberry.type
class VoucherMutation:
    @strawberry.mutation(**guard("Create a voucher code for the brand's storefront.", MANAGE_STOREFRONT))
    async def voucher_create(self, info: Info, input: VoucherCreateInput, brand: str | None = None) -> VoucherPayload:
        actor = await info.context.actor()

        async def run() -> VoucherModel:
            found = await brands.managed_brand(
                actor, await info.context.brand_slug(brand), Permission.MANAGE_STOREFRONT
            )
            return await management.create_voucher(actor, found, plain(input))

        voucher, errors = await attempt(run)
        return VoucherPayload(voucher=await render(voucher), errors=errors)

    @strawberry.mutation(**guard("Change a voucher; only the fields given.", MANAGE_STOREFRONT))
    async def voucher_update(self, info: Info, id: relay.GlobalID, input: VoucherUpdateInput) -> VoucherPayload:
        actor = await info.context.actor()
        voucher, errors = await attempt(
            lambda: management.update_voucher(actor, decode_id(id, "Voucher"), changes(input, nullable=NULLABLE))
        )
        return VoucherPayload(voucher=await render(voucher), errors=errors)

    @strawberry.mutation(**guard("Delete a voucher; orders keep the code they used.", MANAGE_STOREFRONT))
    async def voucher_delete(self, info: Info, id: relay.GlobalID) -> VoucherPayload:
        actor = await info.context.actor()

        async def run() -> Voucher:
            voucher_id = decode_id(id, "Voucher")
            currencies = await management.currencies_of([voucher_id])  # shown only once the delete is allowed
            voucher = await management.delete_voucher(actor, voucher_id)
            return Voucher.from_model(voucher, currencies.get(voucher_id, []))

        voucher, errors = await attempt(run)
        return VoucherPayload(voucher=voucher, errors=errors)


QUERIES = (VoucherQuery,)
MUTATIONS = (VoucherMutation,)
TYPES = (Voucher,)
