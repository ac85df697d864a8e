"""Voucher management over GraphQL (permission MANAGE_STOREFRONT): `vouchers`, `voucherCreate`,
`voucherUpdate`, `voucherDelete`. Shoppers apply codes through the checkout's own mutations.

Resolvers only translate: IDs are decoded inside `attempt`, so a wrong ID is a user error, and the brand
check happens in `core.vouchers.management` on the row the ID names.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Annotated

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
from schema.arguments import BrandSlug, VoucherId
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.inputs import changes, plain
from schema.permissions import BrandPermission, guard
from schema.relay import After, Before, Connection, First, Last, connection, decode_id
from schema.scalars import Money

VoucherKindEnum = described_enum(
    VoucherKind,
    name="VoucherKind",
    description="PERCENTAGE off, a FIXED amount off, or FREE_SHIPPING.",
    values={
        "PERCENTAGE": "`percentage`% of the subtotal, rounded once.",
        "FIXED": "A fixed amount per currency (`VoucherCurrency.discountAmount`), never more than the subtotal.",
        "FREE_SHIPPING": "Shipping costs nothing; the lines keep their prices.",
    },
)
MANAGE_STOREFRONT = BrandPermission(Permission.MANAGE_STOREFRONT)
NULLABLE = ("percentage", "starts_at", "ends_at", "usage_limit", "per_customer_limit")


@strawberry.type(description="A voucher's terms in one currency.")
class VoucherCurrency:
    currency: str = strawberry.field(
        description=(
            "The currency these terms apply in (ISO 4217); the voucher cannot be used in a checkout "
            "in another (VOUCHER_CURRENCY)."
        )
    )
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
    name: str = strawberry.field(
        description="The brand's own name for it (e.g. `Lebaran 2026`); may be empty; shoppers do not see it."
    )
    kind: VoucherKindEnum = strawberry.field(description="What it takes off.")  # type: ignore[valid-type]
    percentage: Decimal | None = strawberry.field(
        description=(
            "The share off for a PERCENTAGE voucher (a Decimal string, above 0 and at most 100); null for other kinds."
        )
    )
    currencies: list[VoucherCurrency] = strawberry.field(
        description="The currencies it can be used in, with the amount off and minimum subtotal in each."
    )
    starts_at: datetime | None = strawberry.field(
        description="From when it can be used (ISO 8601 with offset); null: at once."
    )
    ends_at: datetime | None = strawberry.field(
        description="Until when it can be used (ISO 8601 with offset); null: no end."
    )
    usage_limit: int | None = strawberry.field(description="Uses overall; null for no limit.")
    per_customer_limit: int | None = strawberry.field(description="Uses per customer; null for no limit.")
    used_count: int = strawberry.field(description="Completed orders that used it (cancelled ones give it back).")
    active: bool = strawberry.field(
        description="Whether it can be used at all (an inactive voucher is refused with VOUCHER_INACTIVE)."
    )
    created_at: datetime = strawberry.field(description="When it was created (ISO 8601 with offset).")
    updated_at: datetime = strawberry.field(description="When it was last changed (ISO 8601 with offset).")

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
    currency: str = strawberry.field(
        description=("One of the brand's enabled currencies (CURRENCY_NOT_ENABLED), each once (DUPLICATE_CURRENCY).")
    )
    discount_amount: Decimal | None = strawberry.field(default=None, description="Required for FIXED vouchers.")
    min_subtotal: Decimal | None = strawberry.field(
        default=None,
        description="The least checkout subtotal it applies to, 0 or more (INVALID_AMOUNT); none: no minimum.",
    )


@strawberry.input(description="A new voucher; every problem is reported at once.")
class VoucherCreateInput:
    code: str = strawberry.field(description="3–50 letters, digits, - or _; unique in the brand, any case.")
    kind: VoucherKindEnum = strawberry.field(description="What it takes off (INVALID_KIND for none).")  # type: ignore[valid-type]
    currencies: list[VoucherCurrencyInput] = strawberry.field(description="The currencies it can be used in.")
    name: str = strawberry.field(default="", description="The brand's own name for it; at most 200 characters.")
    percentage: Decimal | None = strawberry.field(default=None, description="Above 0, at most 100 (PERCENTAGE).")
    starts_at: datetime | None = strawberry.field(
        default=None, description="From when it can be used; a time without an offset is taken as UTC."
    )
    ends_at: datetime | None = strawberry.field(
        default=None,
        description=(
            "Until when it can be used, after `startsAt` (INVALID_DATES); a time without an offset is taken as UTC."
        ),
    )
    usage_limit: int | None = strawberry.field(
        default=None, description="Uses overall, at least 1 (INVALID_LIMIT); none: no limit."
    )
    per_customer_limit: int | None = strawberry.field(
        default=None, description="Uses per customer (account or e-mail), at least 1 (INVALID_LIMIT); none: no limit."
    )
    active: bool = strawberry.field(default=True, description="Whether it can be used (true by default).")


@strawberry.input(description="Only the fields given are changed; null clears a limit, a date or the percentage.")
class VoucherUpdateInput:
    code: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="3–50 letters, digits, - or _ (INVALID_CODE); unique in the brand (CODE_TAKEN).",
    )
    kind: VoucherKindEnum | None = strawberry.field(default=strawberry.UNSET, description="What it takes off.")  # type: ignore[valid-type]
    currencies: list[VoucherCurrencyInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces all of the voucher's currencies."
    )
    name: str | None = strawberry.field(default=strawberry.UNSET, description="At most 200 characters.")
    percentage: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description=("Above 0 and at most 100, up to 2 decimals (INVALID_PERCENTAGE); PERCENTAGE vouchers only."),
    )
    starts_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="From when it can be used; null: at once."
    )
    ends_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Until when it can be used, after `startsAt`; null: no end."
    )
    usage_limit: int | None = strawberry.field(
        default=strawberry.UNSET, description="Uses overall, at least 1; null: no limit."
    )
    per_customer_limit: int | None = strawberry.field(
        default=strawberry.UNSET, description="Uses per customer, at least 1; null: no limit."
    )
    active: bool | None = strawberry.field(default=strawberry.UNSET, description="Whether it can be used.")


@strawberry.type(description="The voucher after the change, or the errors and no change.")
class VoucherPayload:
    voucher: Voucher | None = strawberry.field(
        default=None, description="The voucher (as it was, after a delete); null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


@strawberry.type
class VoucherQuery:
    @strawberry.field(**guard("The brand's vouchers, newest first.", MANAGE_STOREFRONT))
    async def vouchers(
        self,
        info: Info,
        brand: BrandSlug = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
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
    async def voucher_create(
        self,
        info: Info,
        input: Annotated[VoucherCreateInput, strawberry.argument(description="The new voucher's terms.")],
        brand: BrandSlug = None,
    ) -> VoucherPayload:
        actor = await info.context.actor()

        async def run() -> VoucherModel:
            found = await brands.managed_brand(
                actor, await info.context.brand_slug(brand), Permission.MANAGE_STOREFRONT
            )
            return await management.create_voucher(actor, found, plain(input))

        voucher, errors = await attempt(run)
        return VoucherPayload(voucher=await render(voucher), errors=errors)

    @strawberry.mutation(**guard("Change a voucher; only the fields given.", MANAGE_STOREFRONT))
    async def voucher_update(
        self,
        info: Info,
        id: VoucherId,
        input: Annotated[
            VoucherUpdateInput,
            strawberry.argument(
                description="The fields to change; the result is checked as a whole, like a new voucher."
            ),
        ],
    ) -> VoucherPayload:
        actor = await info.context.actor()
        voucher, errors = await attempt(
            lambda: management.update_voucher(actor, decode_id(id, "Voucher"), changes(input, nullable=NULLABLE))
        )
        return VoucherPayload(voucher=await render(voucher), errors=errors)

    @strawberry.mutation(**guard("Delete a voucher; orders keep the code they used.", MANAGE_STOREFRONT))
    async def voucher_delete(
        self,
        info: Info,
        id: VoucherId,
    ) -> VoucherPayload:
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
