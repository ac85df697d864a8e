"""Customs data over GraphQL: what applies to a product, variant or category, and setting it (MANAGE_PRODUCTS).

The values are public on purpose: origin and fibre composition are what a garment's label shows, and a
storefront abroad shows them before the shopper pays duties on them.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.actors.models import Incoterm as CoreIncoterm
from core.auth.permissions import Permission
from core.customs import landed, services, tables
from core.customs.models import CustomsDuty as CustomsDutyModel
from core.customs.models import ImportTax as ImportTaxModel
from core.customs.services import Customs
from schema.arguments import CategoryId, ProductId, VariantId
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.inputs import plain
from schema.permissions import PLATFORM_ADMIN, PUBLIC, BrandPermission, guard
from schema.relay import decode_id
from schema.scalars import Money

MANAGE_PRODUCTS = BrandPermission(Permission.MANAGE_PRODUCTS)

Incoterm = described_enum(
    CoreIncoterm,
    name="Incoterm",
    description="Who pays import duty and tax on a parcel abroad.",
    values={
        "DAP": "Delivered at place: the buyer pays them on arrival; checkout shows `landedCost` as an estimate.",
        "DDP": "Delivered duty paid: collected at checkout as `dutiesTotal`, part of the total, refunded with it.",
    },
)


class CustomsFieldEnum(Enum):
    HS_CODE = "hs_code"
    DESCRIPTION = "description"
    ORIGIN_COUNTRY = "origin_country"
    COMPOSITION = "composition"
    NET_WEIGHT_GRAMS = "net_weight_grams"


CustomsField = described_enum(
    CustomsFieldEnum,
    name="CustomsField",
    description="A field of a customs declaration.",
    values={
        "HS_CODE": "The HS code (with its national extension, if any).",
        "DESCRIPTION": "The goods' description in English.",
        "ORIGIN_COUNTRY": "The country the garment was made in.",
        "COMPOSITION": "The materials and their shares.",
        "NET_WEIGHT_GRAMS": "The net weight of one piece.",
    },
)


class CustomsSourceEnum(Enum):
    VARIANT = "VARIANT"
    PRODUCT = "PRODUCT"
    CATEGORY = "CATEGORY"


CustomsSource = described_enum(
    CustomsSourceEnum,
    name="CustomsSource",
    description="Where a customs value was set: values are inherited variant ← product ← category ← parent categories.",
    values={
        "VARIANT": "Set on the variant itself.",
        "PRODUCT": "Set on the product.",
        "CATEGORY": "Set on the product's category or one of its parent categories.",
    },
)


@strawberry.type(description="One material of a garment and its share of the weight.")
class CustomsMaterial:
    material: str = strawberry.field(description="The material in lowercase English, like `polyester`.")
    percent: Decimal = strawberry.field(
        description="Its share in percent (at most one decimal); the shares sum to 100."
    )


@strawberry.type(description="One inherited or own value's origin.")
class CustomsFieldSource:
    field: CustomsField = strawberry.field(description="The field.")  # type: ignore[valid-type]
    source: CustomsSource = strawberry.field(description="Where its value was set.")  # type: ignore[valid-type]


@strawberry.type(
    description="The customs declaration that applies (own values first, then inherited ones), as a commercial "
    "invoice shows it. Every field is null when set nowhere."
)
class CustomsData:
    hs_code: str | None = strawberry.field(
        description="The 6-digit international Harmonized System subheading, digits only (like `620443`)."
    )
    national_code: str | None = strawberry.field(
        description="Digits the brand added after the six (its national tariff line, like `90`); null if none."
    )
    description: str | None = strawberry.field(description="What the goods are and of what, in English.")
    origin_country: str | None = strawberry.field(description="Where the garment was made (ISO 3166-1 alpha-2).")
    composition: list[CustomsMaterial] | None = strawberry.field(
        description="The materials in label order, summing to 100%."
    )
    net_weight_grams: int | None = strawberry.field(
        description="One piece's weight without packaging; when null, papers use the variant's `weightGrams`."
    )
    sources: list[CustomsFieldSource] = strawberry.field(
        description="Where each set value came from (the variant, the product or a category)."
    )
    missing: list[CustomsField] = strawberry.field(  # type: ignore[valid-type]
        description="Fields a parcel abroad needs that are set nowhere; while any is, the item can be shipped only "
        "within the brand's `shipsFrom` country (CUSTOMS_DATA_MISSING)."
    )
    complete: bool = strawberry.field(description="True when nothing is `missing`: the item may be exported.")

    @classmethod
    def of(cls, customs: Customs) -> CustomsData:
        fields = {f.value: f for f in CustomsFieldEnum}
        return cls(
            hs_code=customs.hs_code,
            national_code=customs.national_code,
            description=customs.description,
            origin_country=customs.origin_country,
            composition=None
            if customs.composition is None
            else [CustomsMaterial(material=m.material, percent=m.percent) for m in customs.composition],
            net_weight_grams=customs.net_weight_grams,
            sources=[
                CustomsFieldSource(field=fields[name], source=CustomsSourceEnum(source))
                for name, source in customs.sources.items()
                if name in fields
            ],
            missing=[fields[name] for name in customs.missing],
            complete=customs.complete,
        )


FETCH = {"product": services.for_products, "variant": services.for_variants, "category": services.for_categories}


async def customs_of(info: Info, kind: str, id: int) -> CustomsData:
    """Through one loader per kind per response: a page of products costs three statements, not three each."""
    extra = info.context.loaders.extra
    key = f"customs:{kind}"
    if key not in extra:

        async def load(ids: list[int]) -> list[Customs]:
            found = await FETCH[kind](ids)
            return [found.get(i, Customs()) for i in ids]

        extra[key] = DataLoader(load_fn=load)
    loader: DataLoader[int, Customs] = extra[key]
    return CustomsData.of(await loader.load(id))


# --- management ----------------------------------------------------------------------------------------------


@strawberry.input(description="One material and its share.")
class CustomsMaterialInput:
    material: str = strawberry.field(
        description="The material in English, 2-40 letters (like `polyester`, `cotton`, `viscose rayon`); stored "
        "lowercase. Error `INVALID_COMPOSITION`; the same one twice: `DUPLICATE`."
    )
    percent: Decimal = strawberry.field(
        description="Its share of the weight, more than 0 and at most 100, at most one decimal. Error "
        "`INVALID_COMPOSITION`."
    )


@strawberry.input(
    description="The customs fields to set; a field left out is unchanged, a field given as null is cleared here "
    "(and inherited again from the product or category)."
)
class CustomsDataInput:
    hs_code: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The HS code: 6 digits, optionally followed by up to 6 national digits; dots and spaces are "
        "allowed (`6204.43`, `6204.43.90`). Chapters run 01-97, not 77. Error `INVALID_HS_CODE`.",
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="What the goods are and of what, in English, 10-200 characters (like \"women's woven dress of "
        'polyester"). Errors `INVALID_CUSTOMS_DESCRIPTION`; `CUSTOMS_DESCRIPTION_VAGUE` for words customs refuse '
        'alone ("clothing", "garments", "gift").',
    )
    origin_country: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where it was made, ISO 3166-1 alpha-2 (like `ID`). Error `INVALID_COUNTRY`.",
    )
    composition: list[CustomsMaterialInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="1-8 materials in label order, shares summing to exactly 100. Error `INVALID_COMPOSITION`.",
    )
    net_weight_grams: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="One piece without packaging, 1-100,000 grams. Error `INVALID_WEIGHT`.",
    )


@strawberry.type(description="The result of a customs data change.")
class CustomsDataPayload:
    customs: CustomsData | None = strawberry.field(
        description="What now applies to the product, variant or category (own and inherited values); null when "
        "`errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


async def _update(
    info: Info, kind: str, id: strawberry.relay.GlobalID, type_name: str, input: CustomsDataInput
) -> CustomsDataPayload:
    actor = await info.context.actor()

    async def run() -> Customs:
        owner_id = decode_id(id, type_name)
        await services.update(actor, kind, owner_id, plain(input))  # type: ignore[arg-type]
        return (await FETCH[kind]([owner_id]))[owner_id]

    customs, errors = await attempt(run)
    return CustomsDataPayload(customs=CustomsData.of(customs) if customs else None, errors=errors)


INPUT = Annotated[CustomsDataInput, strawberry.argument(description="The fields to set or clear.")]


@strawberry.type
class CustomsMutation:
    @strawberry.mutation(
        **guard(
            "Set a category's customs defaults, which its products and sub-categories inherit field by field.",
            MANAGE_PRODUCTS,
        )
    )
    async def category_customs_update(self, info: Info, id: CategoryId, input: INPUT) -> CustomsDataPayload:
        return await _update(info, "category", id, "Category", input)

    @strawberry.mutation(**guard("Set a product's own customs data, over what its category gives.", MANAGE_PRODUCTS))
    async def product_customs_update(self, info: Info, id: ProductId, input: INPUT) -> CustomsDataPayload:
        return await _update(info, "product", id, "Product", input)

    @strawberry.mutation(
        **guard(
            "Set a variant's own customs data (a colour in another fabric, a size's net weight), over its product's.",
            MANAGE_PRODUCTS,
        )
    )
    async def variant_customs_update(self, info: Info, id: VariantId, input: INPUT) -> CustomsDataPayload:
        return await _update(info, "variant", id, "ProductVariant", input)


# --- landed cost ------------------------------------------------------------------------------------------------


@strawberry.type(description="One line's duty: its customs value (price and shipping share) and the rate applied.")
class LandedCostLine:
    hs_code: str = strawberry.field(description="The line's HS code (six digits), which chose the rate.")
    customs_value: Money = strawberry.field(description="The line's total plus its share of the shipping, by value.")
    duty_rate: Decimal = strawberry.field(description="The duty in percent; 0 when none is listed or under de minimis.")
    duty: Money = strawberry.field(description="The line's duty, rounded to the checkout currency.")


@strawberry.type(
    description="What a parcel abroad will owe on arrival by the destination's rules (platform tables or a duty "
    "plugin): import duty per HS code and the import tax, on the goods' value plus shipping."
)
class LandedCost:
    country: str = strawberry.field(description="The destination (ISO 3166-1 alpha-2).")
    customs_value: Money = strawberry.field(description="Goods and shipping, the base of duty.")
    duty: Money = strawberry.field(description="The import duty over all lines.")
    tax: Money = strawberry.field(description="The import tax (VAT, GST, sales tax).")
    tax_name: str = strawberry.field(description="What the destination calls the tax (SST, VAT, KDV).")
    tax_rate: Decimal = strawberry.field(description="The tax in percent.")
    duty_exempt: bool = strawberry.field(description="True when the goods are under the duty de-minimis threshold.")
    tax_exempt: bool = strawberry.field(description="True when the goods are under the tax threshold.")
    total: Money = strawberry.field(description="Duty and tax together.")
    lines: list[LandedCostLine] = strawberry.field(description="Each checkout line's duty, in line order.")

    @classmethod
    def of(cls, cost: landed.LandedCost) -> LandedCost:
        return cls(
            country=cost.country,
            customs_value=Money.from_core(cost.customs_value),
            duty=Money.from_core(cost.duty),
            tax=Money.from_core(cost.tax),
            tax_name=cost.tax_name,
            tax_rate=cost.tax_rate,
            duty_exempt=cost.duty_exempt,
            tax_exempt=cost.tax_exempt,
            total=Money.from_core(cost.total),
            lines=[
                LandedCostLine(
                    hs_code=line.hs_code,
                    customs_value=Money.from_core(line.customs_value),
                    duty_rate=line.rate,
                    duty=Money.from_core(line.duty),
                )
                for line in cost.lines
            ],
        )


@strawberry.type(description="A destination's import duty on an HS heading or subheading.")
class CustomsRate:
    country: str = strawberry.field(description="The destination (ISO 3166-1 alpha-2).")
    hs_prefix: str = strawberry.field(description="The HS heading (4 digits) or subheading (6) it applies to.")
    duty_rate: Decimal = strawberry.field(description="The duty in percent of the customs value.")

    @classmethod
    def of(cls, row: CustomsDutyModel) -> CustomsRate:
        return cls(country=row.country, hs_prefix=row.hs_prefix, duty_rate=Decimal(row.rate))


@strawberry.type(description="A destination's import tax and de-minimis thresholds (in `currency`).")
class ImportTax:
    country: str = strawberry.field(description="The destination (ISO 3166-1 alpha-2).")
    name: str = strawberry.field(description="What it calls the tax: SST, VAT, KDV.")
    rate: Decimal = strawberry.field(description="The tax in percent.")
    currency: str = strawberry.field(description="The currency of the thresholds (ISO 4217).")
    duty_free_up_to: Decimal = strawberry.field(description="Goods worth at most this pay no duty.")
    tax_free_up_to: Decimal = strawberry.field(description="Goods worth at most this pay no import tax (0: all do).")
    tax_includes_duty: bool = strawberry.field(description="True when the tax is levied on the value plus the duty.")

    @classmethod
    def of(cls, row: ImportTaxModel) -> ImportTax:
        return cls(
            country=row.country,
            name=row.name,
            rate=Decimal(row.rate),
            currency=row.currency,
            duty_free_up_to=Decimal(row.duty_free_up_to),
            tax_free_up_to=Decimal(row.tax_free_up_to),
            tax_includes_duty=row.tax_includes_duty,
        )


@strawberry.input(description="A destination's duty on an HS heading or subheading.")
class CustomsRateSetInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 destination. Error `INVALID_COUNTRY`.")
    hs_prefix: str = strawberry.field(
        description="An HS heading (4 digits, `6204`) or subheading (6, `6204.43`); the longest listed prefix of a "
        "line's code applies. Error `INVALID_HS_CODE`."
    )
    duty_rate: Decimal = strawberry.field(description="Percent, 0-1000, at most 3 decimals. Error `INVALID_RATE`.")


@strawberry.input(description="Which duty to remove.")
class CustomsRateDeleteInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 destination. Error `INVALID_COUNTRY`.")
    hs_prefix: str = strawberry.field(description="The heading or subheading. None set: `NOT_FOUND`.")


@strawberry.input(description="A destination's import tax and thresholds; replaces what was set.")
class ImportTaxSetInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 destination. Error `INVALID_COUNTRY`.")
    name: str = strawberry.field(description="1-40 characters (SST, VAT, KDV). Error `INVALID_NAME`.")
    rate: Decimal = strawberry.field(description="Percent, 0-1000, at most 3 decimals. Error `INVALID_RATE`.")
    currency: str = strawberry.field(description="ISO 4217 currency of the thresholds. Error `INVALID_CURRENCY`.")
    duty_free_up_to: Decimal = strawberry.field(
        default=Decimal(0), description="Goods worth at most this pay no duty. Error `INVALID_AMOUNT`."
    )
    tax_free_up_to: Decimal = strawberry.field(
        default=Decimal(0), description="Goods worth at most this pay no tax. Error `INVALID_AMOUNT`."
    )
    tax_includes_duty: bool = strawberry.field(
        default=True, description="Whether the tax is levied on the value plus the duty (most countries)."
    )


@strawberry.type(description="The result of a duty change.")
class CustomsRatePayload:
    customs_rate: CustomsRate | None = strawberry.field(description="The duty as set (or removed); null on errors.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type(description="The result of an import tax change.")
class ImportTaxPayload:
    import_tax: ImportTax | None = strawberry.field(description="The tax as set; null on errors.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type
class CustomsRateMutation:
    @strawberry.mutation(**guard("Set a destination's import duty on an HS heading or subheading.", PLATFORM_ADMIN))
    async def customs_rate_set(
        self, info: Info, input: Annotated[CustomsRateSetInput, strawberry.argument(description="The duty.")]
    ) -> CustomsRatePayload:
        actor = await info.context.actor()
        row, errors = await attempt(
            lambda: tables.set_duty(actor, country=input.country, hs_prefix=input.hs_prefix, rate=input.duty_rate)
        )
        return CustomsRatePayload(customs_rate=CustomsRate.of(row) if row else None, errors=errors)

    @strawberry.mutation(**guard("Remove a destination's duty on an HS heading or subheading.", PLATFORM_ADMIN))
    async def customs_rate_delete(
        self, info: Info, input: Annotated[CustomsRateDeleteInput, strawberry.argument(description="Which one.")]
    ) -> CustomsRatePayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: tables.delete_duty(actor, country=input.country, hs_prefix=input.hs_prefix))
        return CustomsRatePayload(customs_rate=CustomsRate.of(row) if row else None, errors=errors)

    @strawberry.mutation(**guard("Set a destination's import tax and de-minimis thresholds.", PLATFORM_ADMIN))
    async def import_tax_set(
        self, info: Info, input: Annotated[ImportTaxSetInput, strawberry.argument(description="The tax.")]
    ) -> ImportTaxPayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: tables.set_import_tax(actor, plain(input)))
        return ImportTaxPayload(import_tax=ImportTax.of(row) if row else None, errors=errors)


@strawberry.type
class CustomsRateQuery:
    @strawberry.field(
        **guard("The import duties the platform keeps for a destination, by HS prefix (at most 500).", PUBLIC)
    )
    async def customs_rates(
        self, country: Annotated[str, strawberry.argument(description="ISO 3166-1 alpha-2 destination.")]
    ) -> list[CustomsRate]:
        rows = await CustomsDutyModel.filter(country=country.strip().upper()[:2]).order_by("hs_prefix").limit(500)
        return [CustomsRate.of(row) for row in rows]

    @strawberry.field(**guard("Every destination's import tax and thresholds, by country.", PUBLIC))
    async def import_taxes(self) -> list[ImportTax]:
        return [ImportTax.of(row) for row in await ImportTaxModel.all().order_by("country").limit(250)]


MUTATIONS = (CustomsMutation, CustomsRateMutation)
QUERIES = (CustomsRateQuery,)
