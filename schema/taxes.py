"""Tax rate management over GraphQL (permission MANAGE_STOREFRONT): `taxRates`, `taxRateSet`, `taxRateDelete`.

The brand is the `brand` argument or the `Lini-Storefront` header, as for every staff field.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from core.actors import brands
from core.actors.models import Brand
from core.auth.permissions import Permission
from core.pagination import PageRequest
from core.taxes import management
from core.taxes.models import TaxRate as TaxRateModel
from schema.arguments import BrandSlug
from schema.errors import UserError, attempt
from schema.inputs import plain
from schema.permissions import BrandPermission, guard
from schema.relay import After, Before, Connection, First, Last, connection

MANAGE_STOREFRONT = BrandPermission(Permission.MANAGE_STOREFRONT)


@strawberry.type(
    description="The tax a brand charges on orders shipped to one country: `rate`% of a base that is "
    "`baseNumerator/baseDenominator` of the net price (Indonesia's PPN: 12% of 11/12, 11% in effect)."
)
class TaxRate:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    name: str = strawberry.field(description="The tax's name as printed on invoices (e.g. `PPN`).")
    rate: Decimal = strawberry.field(description="Percent.")
    base_numerator: int = strawberry.field(
        description="The numerator of the fraction of the net price that is taxed (11 for PPN)."
    )
    base_denominator: int = strawberry.field(
        description="The denominator of that fraction (12 for PPN; 1 and 1 tax the whole net price)."
    )
    updated_at: datetime = strawberry.field(description="When it was last set (ISO 8601 with offset).")

    @classmethod
    def from_model(cls, row: TaxRateModel) -> TaxRate:
        return cls(
            country=row.country,
            name=row.name,
            rate=row.rate,
            base_numerator=row.base_numerator,
            base_denominator=row.base_denominator,
            updated_at=row.updated_at,
        )


@strawberry.input(description="A country's tax rate; replaces the one the country had.")
class TaxRateSetInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. ID, MY.")
    name: str = strawberry.field(description="As printed on invoices, e.g. PPN, SST, KDV, VAT.")
    rate: Decimal = strawberry.field(description="Percent, 0–100.")
    base_numerator: int = strawberry.field(
        default=1,
        description=("The numerator of the taxed fraction of the net price, 1 up to the denominator (INVALID_BASE)."),
    )
    base_denominator: int = strawberry.field(
        default=1, description="The denominator of that fraction, 1–1000 (INVALID_BASE)."
    )


@strawberry.type(description="The tax rate after the change, or the errors and no change.")
class TaxRatePayload:
    tax_rate: TaxRate | None = strawberry.field(
        default=None, description="The rate as set (or as it was, after a delete); null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=(
            "Why the change was refused (INVALID_COUNTRY, INVALID_NAME, INVALID_RATE, INVALID_BASE, "
            "NOT_FOUND); empty on success."
        ),
    )


async def _brand(info: Info, slug: str | None) -> Brand:
    actor = await info.context.actor()
    return await brands.managed_brand(actor, await info.context.brand_slug(slug), Permission.MANAGE_STOREFRONT)


def _payload(row: TaxRateModel | None, errors: list[UserError]) -> TaxRatePayload:
    return TaxRatePayload(tax_rate=TaxRate.from_model(row) if row else None, errors=errors)


@strawberry.type
class TaxQuery:
    @strawberry.field(**guard("The brand's tax rates, by country code.", MANAGE_STOREFRONT))
    async def tax_rates(
        self,
        info: Info,
        brand: BrandSlug = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TaxRate]:
        limits = info.context.settings.graphql
        page = await management.tax_rate_page(
            await info.context.actor(),
            await _brand(info, brand),
            PageRequest(first=first, after=after, last=last, before=before),
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, TaxRate.from_model)


@strawberry.type
class TaxMutation:
    @strawberry.mutation(**guard("Set the tax rate for one destination country.", MANAGE_STOREFRONT))
    async def tax_rate_set(
        self,
        info: Info,
        input: Annotated[TaxRateSetInput, strawberry.argument(description="The country and its rate.")],
        brand: BrandSlug = None,
    ) -> TaxRatePayload:
        actor = await info.context.actor()

        async def run() -> TaxRateModel:
            return await management.set_tax_rate(actor, await _brand(info, brand), plain(input))

        return _payload(*await attempt(run))

    @strawberry.mutation(**guard("Stop charging tax on orders to one country.", MANAGE_STOREFRONT))
    async def tax_rate_delete(
        self,
        info: Info,
        country: Annotated[
            str,
            strawberry.argument(
                description="The destination country (ISO 3166-1 alpha-2); one without a rate: NOT_FOUND."
            ),
        ],
        brand: BrandSlug = None,
    ) -> TaxRatePayload:
        actor = await info.context.actor()

        async def run() -> TaxRateModel:
            return await management.delete_tax_rate(actor, await _brand(info, brand), country)

        return _payload(*await attempt(run))


QUERIES = (TaxQuery,)
MUTATIONS = (TaxMutation,)
TYPES = ()
