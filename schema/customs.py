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

from core.auth.permissions import Permission
from core.customs import services
from core.customs.services import Customs
from schema.arguments import CategoryId, ProductId, VariantId
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.permissions import BrandPermission, guard
from schema.relay import decode_id

MANAGE_PRODUCTS = BrandPermission(Permission.MANAGE_PRODUCTS)


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
    from schema.catalog.management_types import plain  # it imports the catalog types, which import this module

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


MUTATIONS = (CustomsMutation,)
TYPES = ()
