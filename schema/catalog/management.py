"""Catalog management over GraphQL (permission MANAGE_PRODUCTS): products, variants, prices, stock, attribute
values and bulk creation; categories, collections and attributes are in `schema.catalog.taxonomy`, images in
`schema.catalog.media`, and this module gathers all three for `schema.DOMAINS`.

Resolvers only translate: IDs are decoded and inputs flattened inside `attempt`, so a wrong ID is a user
error, and the brand check happens in the core service on the row the ID names.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors import brands
from core.auth.permissions import Permission
from core.catalog import attributes, bulk, management
from core.catalog.models import Product as ProductModel
from core.catalog.models import ProductStatus
from core.catalog.models import Variant as VariantModel
from schema.arguments import BrandSlug, ProductId, VariantId
from schema.catalog import media, taxonomy
from schema.catalog.management_types import (
    Attribute,
    AttributeChoice,
    ProductBulkCreateError,
    ProductTranslationInput,
    brand_locale,
    bulk_errors,
    decode_optional,
    render_product,
)
from schema.catalog.products import Product, ProductVariant
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.inputs import changes, plain
from schema.permissions import BrandPermission, guard
from schema.relay import decode_id

ProductStatusEnum = described_enum(
    ProductStatus,
    name="ProductStatus",
    description="Whether shoppers see a product.",
    values={
        "DRAFT": "Being prepared: not on the storefront.",
        "PUBLISHED": "On the storefront (from `publishedAt`, if set).",
        "ARCHIVED": "No longer sold: not on the storefront, kept for orders and history.",
    },
)
MANAGE_PRODUCTS = BrandPermission(Permission.MANAGE_PRODUCTS)


@strawberry.input(description="One body measurement of a size, in centimetres (LD, PB, PL…).")
class SizeMeasurementInput:
    code: str = strawberry.field(
        description="The measurement's code (1–16 characters, unique in its row), e.g. `LD`, `PB`, `PL`."
    )
    value: Decimal = strawberry.field(
        description=(
            "The body measurement in centimetres, 0 to under 1000 (a Decimal string); else INVALID_SIZE_CHART."
        )
    )


@strawberry.input(description="One row of a size chart.")
class SizeChartRowInput:
    size: str = strawberry.field(
        description="The size label (1–32 characters, unique in the chart), as the variants' `size` uses it."
    )
    measurements: list[SizeMeasurementInput] = strawberry.field(
        default_factory=list, description="The size's measurements, in the chart's column order."
    )


@strawberry.input(description="A price in one of the brand's enabled currencies; amounts are decimal strings.")
class VariantPriceInput:
    currency: str = strawberry.field(
        description=(
            "An ISO 4217 code the brand has enabled (else CURRENCY_NOT_ENABLED), at most once per "
            "variant (DUPLICATE_CURRENCY)."
        )
    )
    amount: Decimal = strawberry.field(
        description=(
            "The price, 0 or more, rounded to the currency's minor unit (INVALID_PRICE otherwise), "
            "gross or net of tax as the brand enters its prices."
        )
    )
    compare_at_amount: Decimal | None = strawberry.field(default=None, description="Higher than `amount`.")


@strawberry.input(
    description=("A new variant. Errors name `<field>` (or `products.<i>.variants.<j>.<field>` in a bulk create).")
)
class ProductVariantCreateInput:
    sku: str = strawberry.field(description="Unique within the brand.")
    barcode: str = strawberry.field(
        default="", description="An EAN/UPC or the brand's own code; at most 64 characters."
    )
    size: str = strawberry.field(
        default="", description="The size label (`S`, `M`, `38`…) matching a size-chart row; at most 32 characters."
    )
    colour: str = strawberry.field(default="", description="The colour's name; at most 64 characters.")
    weight_grams: int = strawberry.field(
        default=0,
        description=("The shipping weight in grams, 0–1,000,000 (INVALID_WEIGHT); shipping rates are priced by it."),
    )
    prices: list[VariantPriceInput] = strawberry.field(
        default_factory=list,
        description=(
            "Its prices, at most one per enabled currency; a variant without a price in a currency "
            "cannot be bought in it."
        ),
    )
    stock: int | None = strawberry.field(default=None, description="Units on hand; 0 when not given.")


@strawberry.input(description="Only the fields given are changed.")
class ProductVariantUpdateInput:
    sku: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="1–64 characters without spaces (INVALID_SKU), unique within the brand (SKU_TAKEN).",
    )
    barcode: str | None = strawberry.field(default=strawberry.UNSET, description="At most 64 characters.")
    size: str | None = strawberry.field(default=strawberry.UNSET, description="At most 32 characters.")
    colour: str | None = strawberry.field(default=strawberry.UNSET, description="At most 64 characters.")
    weight_grams: int | None = strawberry.field(
        default=strawberry.UNSET, description="Grams, 0–1,000,000 (INVALID_WEIGHT)."
    )
    prices: list[VariantPriceInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces all of the variant's prices."
    )
    stock: int | None = strawberry.field(
        default=strawberry.UNSET, description="Units on hand, 0–10,000,000 (INVALID_QUANTITY)."
    )


@strawberry.input(description="A new product. Every problem is reported at once, each naming its field.")
class ProductCreateInput:
    name: str = strawberry.field(
        description="The name in the brand's default language; 1–250 characters (INVALID_NAME)."
    )
    slug: str | None = strawberry.field(default=None, description="Made from the name when not given.")
    description: str = strawberry.field(
        default="", description="Plain text in the brand's default language; at most 20,000 characters (TOO_LONG)."
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The Category's global ID; none: uncategorised."
    )
    made_to_measure: bool = strawberry.field(
        default=False,
        description=(
            "True for a garment made to the shopper's measurements (then configured with `productMadeToMeasureSet`)."
        ),
    )
    status: ProductStatusEnum = strawberry.field(  # type: ignore[valid-type]
        default=ProductStatus.DRAFT, description="DRAFT (the default) until it should be sold."
    )
    published_at: datetime | None = strawberry.field(default=None, description="Null: visible once published.")
    seo_title: str = strawberry.field(default="", description="At most 250 characters; the name is used when empty.")
    seo_description: str = strawberry.field(default="", description="At most 500 characters.")
    size_chart: list[SizeChartRowInput] = strawberry.field(
        default_factory=list, description="The size chart, one row per size (INVALID_SIZE_CHART for a bad row)."
    )
    translations: list[ProductTranslationInput] = strawberry.field(
        default_factory=list, description="Texts in other languages, each language once."
    )
    variants: list[ProductVariantCreateInput] = strawberry.field(
        default_factory=list, description="Its variants; SKUs must be unique within the brand and the input."
    )


@strawberry.input(description="Only the fields given are changed; `categoryId: null` removes the category.")
class ProductUpdateInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="1–250 characters (INVALID_NAME).")
    slug: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "A new slug in canonical form: lowercase letters, digits and single hyphens, at most 200 "
            "(INVALID_SLUG); another product's: SLUG_TAKEN."
        ),
    )
    description: str | None = strawberry.field(default=strawberry.UNSET, description="At most 20,000 characters.")
    category_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="The Category's global ID, or null to remove the category."
    )
    made_to_measure: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether it is made to measure."
    )
    status: ProductStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description="DRAFT, PUBLISHED or ARCHIVED."
    )
    published_at: datetime | None = strawberry.field(
        default=strawberry.UNSET,
        description="From when a published product is visible (ISO 8601 with offset); null: at once.",
    )
    seo_title: str | None = strawberry.field(default=strawberry.UNSET, description="At most 250 characters.")
    seo_description: str | None = strawberry.field(default=strawberry.UNSET, description="At most 500 characters.")
    size_chart: list[SizeChartRowInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the whole size chart."
    )
    translations: list[ProductTranslationInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces all translations."
    )


@strawberry.input(description=f"Up to {bulk.MAX_PRODUCTS} products, created together or not at all.")
class ProductBulkCreateInput:
    products: list[ProductCreateInput] = strawberry.field(
        description="The products; more than 100 is refused with TOO_MANY_PRODUCTS."
    )


@strawberry.input(description="One variant's new quantity on hand.")
class StockUpdateItemInput:
    variant_id: relay.GlobalID = strawberry.field(description="The ProductVariant's global ID.")
    quantity: int = strawberry.field(
        description="Units on hand, 0–10,000,000 (INVALID_QUANTITY); replaces the current quantity."
    )


@strawberry.input(description=f"Quantities on hand of up to {management.MAX_STOCK_ITEMS} variants, set together.")
class StockUpdateInput:
    items: list[StockUpdateItemInput] = strawberry.field(
        description="The variants and their quantities; more than 100: TOO_MANY_ITEMS."
    )


@strawberry.input(description="One attribute's value: `choiceCodes`, `text`, `number` or `boolean`, by its type.")
class ProductAttributeValueInput:
    attribute_code: str = strawberry.field(
        description="The attribute's code; unknown: UNKNOWN_ATTRIBUTE; listed twice: DUPLICATE_ATTRIBUTE."
    )
    choice_codes: list[str] | None = strawberry.field(
        default=None, description="For a CHOICE attribute: codes of its choices (UNKNOWN_CHOICE for another)."
    )
    text: str | None = strawberry.field(default=None, description="For a TEXT attribute: 1–1000 characters.")
    number: Decimal | None = strawberry.field(
        default=None, description="For a NUMBER attribute: a Decimal string in the attribute's unit, below a billion."
    )
    boolean: bool | None = strawberry.field(
        default=None,
        description="For a BOOLEAN attribute. A value that does not fit the type: INVALID_ATTRIBUTE_VALUE.",
    )


@strawberry.input(description="All of the product's attribute values; those not listed are removed.")
class ProductAttributesSetInput:
    values: list[ProductAttributeValueInput] = strawberry.field(description="One entry per attribute the product has.")


@strawberry.type(description="The product after the change, or the errors and no change.")
class ProductPayload:
    product: Product | None = strawberry.field(
        default=None,
        description=(
            "The product, in the brand's default language and currency (the edited language after a "
            "translation); null when refused."
        ),
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


@strawberry.type(description="The products created, or every problem and nothing created.")
class ProductBulkCreatePayload:
    products: list[Product] = strawberry.field(
        default_factory=list, description="The products created, in the input's order; empty when refused."
    )
    count: int = strawberry.field(default=0, description="How many products were created (0 when refused).")
    errors: list[ProductBulkCreateError] = strawberry.field(
        default_factory=list, description="Every problem of every product, each with its index; empty on success."
    )


@strawberry.type(description="The variant after the change and its product, or the errors and no change.")
class ProductVariantPayload:
    variant: ProductVariant | None = strawberry.field(default=None, description="The variant; null when refused.")
    product: Product | None = strawberry.field(
        default=None,
        description=("The variant's product; null when refused (or after deleting a variant whose product is gone)."),
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


@strawberry.type(description="A variant's units on hand, exactly (not capped as the storefront shows them).")
class StockLevel:
    variant: ProductVariant = strawberry.field(description="The variant.")
    quantity: int = strawberry.field(description="Its units on hand now.")


@strawberry.type(description="The new stock levels, or the errors and no change.")
class StockUpdatePayload:
    stocks: list[StockLevel] = strawberry.field(
        default_factory=list, description="Each variant's quantity as set, in the input's order; empty when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=(
            "Why nothing was changed (INVALID_QUANTITY, TOO_MANY_ITEMS, CONFLICT when stock changed "
            "meanwhile); empty on success."
        ),
    )


async def _variant_payload(variant: VariantModel | None, errors: list[UserError]) -> ProductVariantPayload:
    if variant is None:
        return ProductVariantPayload(errors=errors)
    product = await ProductModel.get_or_none(id=variant.product_id)  # gone when the variant was deleted with it
    locale = await brand_locale(variant.brand_id)  # type: ignore[attr-defined]
    return ProductVariantPayload(
        variant=ProductVariant.from_model(variant, locale),
        product=Product.from_model(product, locale) if product else None,
        errors=errors,
    )


@strawberry.type
class CatalogAdminMutation:
    @strawberry.mutation(**guard("Create a product, with its variants if given.", MANAGE_PRODUCTS))
    async def product_create(
        self,
        info: Info,
        input: Annotated[ProductCreateInput, strawberry.argument(description="The product, and its variants if any.")],
        brand: BrandSlug = None,
    ) -> ProductPayload:
        actor = await info.context.actor()

        async def run() -> ProductModel:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_PRODUCTS)
            data = {**plain(input), "category_id": decode_optional(input.category_id, "Category", "category_id")}
            return await management.create_product(actor, found, data)

        product, errors = await attempt(run)
        return ProductPayload(product=await render_product(product), errors=errors)

    @strawberry.mutation(
        **guard("Create up to 100 products with their variants: all of them or none.", MANAGE_PRODUCTS)
    )
    async def product_bulk_create(
        self,
        info: Info,
        input: Annotated[ProductBulkCreateInput, strawberry.argument(description="Up to 100 products.")],
        brand: BrandSlug = None,
    ) -> ProductBulkCreatePayload:
        actor = await info.context.actor()

        async def run() -> list[ProductModel]:
            found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_PRODUCTS)
            items = [
                {
                    **plain(item),
                    "category_id": decode_optional(item.category_id, "Category", f"products.{i}.category_id"),
                }
                for i, item in enumerate(input.products)
            ]
            return await bulk.create_products(actor, found, items)

        created, errors = await attempt(run)
        if created is None:
            return ProductBulkCreatePayload(errors=bulk_errors(errors))
        locale = await brand_locale(created[0].brand_id) if created else None
        return ProductBulkCreatePayload(
            products=[Product.from_model(p, locale) for p in created] if locale else [], count=len(created)
        )

    @strawberry.mutation(**guard("Change a product; only the fields given.", MANAGE_PRODUCTS))
    async def product_update(
        self,
        info: Info,
        id: ProductId,
        input: Annotated[ProductUpdateInput, strawberry.argument(description="The fields to change.")],
    ) -> ProductPayload:
        actor = await info.context.actor()

        async def run() -> ProductModel:
            data = changes(input, nullable=("category_id", "published_at"))
            if "category_id" in data:
                data["category_id"] = decode_optional(input.category_id, "Category", "category_id")
            return await management.update_product(actor, decode_id(id, "Product"), data)

        product, errors = await attempt(run)
        return ProductPayload(product=await render_product(product), errors=errors)

    @strawberry.mutation(**guard("Delete a product with its variants, prices, stock and images.", MANAGE_PRODUCTS))
    async def product_delete(
        self,
        info: Info,
        id: ProductId,
    ) -> ProductPayload:
        actor = await info.context.actor()
        product, errors = await attempt(lambda: management.delete_product(actor, decode_id(id, "Product")))
        return ProductPayload(product=await render_product(product), errors=errors)

    @strawberry.mutation(**guard("Set a product's texts in one language.", MANAGE_PRODUCTS))
    async def product_translation_update(
        self,
        info: Info,
        id: ProductId,
        input: Annotated[ProductTranslationInput, strawberry.argument(description="The language and its texts.")],
    ) -> ProductPayload:
        actor = await info.context.actor()
        texts = {k: v for k, v in plain(input).items() if k != "language"}
        product, errors = await attempt(
            lambda: management.translate_product(actor, decode_id(id, "Product"), input.language, texts)
        )
        return ProductPayload(product=await render_product(product, input.language if product else None), errors=errors)

    @strawberry.mutation(**guard("Add a variant (size, colour, SKU, prices, stock) to a product.", MANAGE_PRODUCTS))
    async def product_variant_create(
        self,
        info: Info,
        product_id: ProductId,
        input: Annotated[ProductVariantCreateInput, strawberry.argument(description="The new variant.")],
    ) -> ProductVariantPayload:
        actor = await info.context.actor()
        variant, errors = await attempt(
            lambda: management.create_variant(actor, decode_id(product_id, "Product", "product_id"), plain(input))
        )
        return await _variant_payload(variant, errors)

    @strawberry.mutation(**guard("Change a variant; only the fields given.", MANAGE_PRODUCTS))
    async def product_variant_update(
        self,
        info: Info,
        id: VariantId,
        input: Annotated[ProductVariantUpdateInput, strawberry.argument(description="The fields to change.")],
    ) -> ProductVariantPayload:
        actor = await info.context.actor()
        variant, errors = await attempt(
            lambda: management.update_variant(actor, decode_id(id, "ProductVariant"), changes(input))
        )
        return await _variant_payload(variant, errors)

    @strawberry.mutation(**guard("Delete a variant with its prices and stock.", MANAGE_PRODUCTS))
    async def product_variant_delete(
        self,
        info: Info,
        id: VariantId,
    ) -> ProductVariantPayload:
        actor = await info.context.actor()
        variant, errors = await attempt(lambda: management.delete_variant(actor, decode_id(id, "ProductVariant")))
        return await _variant_payload(variant, errors)

    @strawberry.mutation(**guard("Set variants' quantities on hand, all or nothing.", MANAGE_PRODUCTS))
    async def stock_update(
        self,
        info: Info,
        input: Annotated[
            StockUpdateInput,
            strawberry.argument(
                description="The variants and their new quantities; each must be of a brand you manage."
            ),
        ],
    ) -> StockUpdatePayload:
        actor = await info.context.actor()

        async def run() -> list[tuple[VariantModel, int]]:
            items = [
                {
                    "variant_id": decode_id(item.variant_id, "ProductVariant", f"items.{i}.variant_id"),
                    "quantity": item.quantity,
                }
                for i, item in enumerate(input.items)
            ]
            return await management.update_stock(actor, items)

        levels, errors = await attempt(run)
        if not levels:
            return StockUpdatePayload(errors=errors)
        locale = await brand_locale(levels[0][0].brand_id)  # type: ignore[attr-defined]
        return StockUpdatePayload(
            stocks=[StockLevel(variant=ProductVariant.from_model(v, locale), quantity=q) for v, q in levels]
        )

    @strawberry.mutation(
        **guard("Replace a product's attribute values, each checked against its type.", MANAGE_PRODUCTS)
    )
    async def product_attributes_set(
        self,
        info: Info,
        product_id: ProductId,
        input: Annotated[
            ProductAttributesSetInput, strawberry.argument(description="The product's full set of attribute values.")
        ],
    ) -> ProductPayload:
        actor = await info.context.actor()
        entries = [plain(value) for value in input.values]
        product, errors = await attempt(
            lambda: attributes.set_product_attributes(actor, decode_id(product_id, "Product", "product_id"), entries)
        )
        return ProductPayload(product=await render_product(product), errors=errors)


QUERIES = ()
MUTATIONS = (CatalogAdminMutation, *taxonomy.MUTATIONS, *media.MUTATIONS)
TYPES = (Attribute, AttributeChoice)
