"""Catalog management over GraphQL (permission MANAGE_PRODUCTS): products, variants, prices, stock, attribute
values and bulk creation; categories, collections and attributes are in `schema.catalog.taxonomy`, images in
`schema.catalog.media`, and this module gathers all three for `schema.DOMAINS`.

Resolvers only translate: IDs are decoded and inputs flattened inside `attempt`, so a wrong ID is a user
error, and the brand check happens in the core service on the row the ID names.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors import brands
from core.auth.permissions import Permission
from core.catalog import attributes, bulk, management
from core.catalog.models import Product as ProductModel
from core.catalog.models import ProductStatus
from core.catalog.models import Variant as VariantModel
from schema.catalog import media, taxonomy
from schema.catalog.management_types import (
    Attribute,
    AttributeChoice,
    ProductBulkCreateError,
    ProductTranslationInput,
    brand_locale,
    bulk_errors,
    changes,
    decode_optional,
    plain,
    render_product,
)
from schema.catalog.products import Product, ProductVariant
from schema.errors import UserError, attempt
from schema.permissions import BrandPermission, guard
from schema.relay import decode_id

ProductStatusEnum = strawberry.enum(ProductStatus, name="ProductStatus")
MANAGE_PRODUCTS = BrandPermission(Permission.MANAGE_PRODUCTS)


@strawberry.input(description="One body measurement of a size, in centimetres (LD, PB, PL…).")
class SizeMeasurementInput:
    code: str
    value: Decimal


@strawberry.input(description="One row of a size chart.")
class SizeChartRowInput:
    size: str
    measurements: list[SizeMeasurementInput] = strawberry.field(default_factory=list)


@strawberry.input(description="A price in one of the brand's enabled currencies; amounts are decimal strings.")
class VariantPriceInput:
    currency: str
    amount: Decimal
    compare_at_amount: Decimal | None = strawberry.field(default=None, description="Higher than `amount`.")


@strawberry.input
class ProductVariantCreateInput:
    sku: str = strawberry.field(description="Unique within the brand.")
    barcode: str = ""
    size: str = ""
    colour: str = ""
    weight_grams: int = 0
    prices: list[VariantPriceInput] = strawberry.field(default_factory=list)
    stock: int | None = strawberry.field(default=None, description="Units on hand; 0 when not given.")


@strawberry.input(description="Only the fields given are changed.")
class ProductVariantUpdateInput:
    sku: str | None = strawberry.UNSET
    barcode: str | None = strawberry.UNSET
    size: str | None = strawberry.UNSET
    colour: str | None = strawberry.UNSET
    weight_grams: int | None = strawberry.UNSET
    prices: list[VariantPriceInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces all of the variant's prices."
    )
    stock: int | None = strawberry.UNSET


@strawberry.input
class ProductCreateInput:
    name: str
    slug: str | None = strawberry.field(default=None, description="Made from the name when not given.")
    description: str = ""
    category_id: relay.GlobalID | None = None
    made_to_measure: bool = False
    status: ProductStatusEnum = ProductStatus.DRAFT  # type: ignore[valid-type]
    published_at: datetime | None = strawberry.field(default=None, description="Null: visible once published.")
    seo_title: str = ""
    seo_description: str = ""
    size_chart: list[SizeChartRowInput] = strawberry.field(default_factory=list)
    translations: list[ProductTranslationInput] = strawberry.field(default_factory=list)
    variants: list[ProductVariantCreateInput] = strawberry.field(default_factory=list)


@strawberry.input(description="Only the fields given are changed; `categoryId: null` removes the category.")
class ProductUpdateInput:
    name: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    category_id: relay.GlobalID | None = strawberry.UNSET
    made_to_measure: bool | None = strawberry.UNSET
    status: ProductStatusEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    published_at: datetime | None = strawberry.UNSET
    seo_title: str | None = strawberry.UNSET
    seo_description: str | None = strawberry.UNSET
    size_chart: list[SizeChartRowInput] | None = strawberry.UNSET
    translations: list[ProductTranslationInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces all translations."
    )


@strawberry.input(description=f"Up to {bulk.MAX_PRODUCTS} products, created together or not at all.")
class ProductBulkCreateInput:
    products: list[ProductCreateInput]


@strawberry.input
class StockUpdateItemInput:
    variant_id: relay.GlobalID
    quantity: int


@strawberry.input(description=f"Quantities on hand of up to {management.MAX_STOCK_ITEMS} variants, set together.")
class StockUpdateInput:
    items: list[StockUpdateItemInput]


@strawberry.input(description="One attribute's value: `choiceCodes`, `text`, `number` or `boolean`, by its type.")
class ProductAttributeValueInput:
    attribute_code: str
    choice_codes: list[str] | None = None
    text: str | None = None
    number: Decimal | None = None
    boolean: bool | None = None


@strawberry.input(description="All of the product's attribute values; those not listed are removed.")
class ProductAttributesSetInput:
    values: list[ProductAttributeValueInput]


@strawberry.type
class ProductPayload:
    product: Product | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProductBulkCreatePayload:
    products: list[Product] = strawberry.field(default_factory=list)
    count: int = 0
    errors: list[ProductBulkCreateError] = strawberry.field(default_factory=list)


@strawberry.type
class ProductVariantPayload:
    variant: ProductVariant | None = None
    product: Product | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="A variant's units on hand, exactly (not capped as the storefront shows them).")
class StockLevel:
    variant: ProductVariant
    quantity: int


@strawberry.type
class StockUpdatePayload:
    stocks: list[StockLevel] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


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
    async def product_create(self, info: Info, input: ProductCreateInput, brand: str | None = None) -> ProductPayload:
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
        self, info: Info, input: ProductBulkCreateInput, brand: str | None = None
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
    async def product_update(self, info: Info, id: relay.GlobalID, input: ProductUpdateInput) -> ProductPayload:
        actor = await info.context.actor()

        async def run() -> ProductModel:
            data = changes(input, nullable=("category_id", "published_at"))
            if "category_id" in data:
                data["category_id"] = decode_optional(input.category_id, "Category", "category_id")
            return await management.update_product(actor, decode_id(id, "Product"), data)

        product, errors = await attempt(run)
        return ProductPayload(product=await render_product(product), errors=errors)

    @strawberry.mutation(**guard("Delete a product with its variants, prices, stock and images.", MANAGE_PRODUCTS))
    async def product_delete(self, info: Info, id: relay.GlobalID) -> ProductPayload:
        actor = await info.context.actor()
        product, errors = await attempt(lambda: management.delete_product(actor, decode_id(id, "Product")))
        return ProductPayload(product=await render_product(product), errors=errors)

    @strawberry.mutation(**guard("Set a product's texts in one language.", MANAGE_PRODUCTS))
    async def product_translation_update(
        self, info: Info, id: relay.GlobalID, input: ProductTranslationInput
    ) -> ProductPayload:
        actor = await info.context.actor()
        texts = {k: v for k, v in plain(input).items() if k != "language"}
        product, errors = await attempt(
            lambda: management.translate_product(actor, decode_id(id, "Product"), input.language, texts)
        )
        return ProductPayload(product=await render_product(product, input.language if product else None), errors=errors)

    @strawberry.mutation(**guard("Add a variant (size, colour, SKU, prices, stock) to a product.", MANAGE_PRODUCTS))
    async def product_variant_create(
        self, info: Info, product_id: relay.GlobalID, input: ProductVariantCreateInput
    ) -> ProductVariantPayload:
        actor = await info.context.actor()
        variant, errors = await attempt(
            lambda: management.create_variant(actor, decode_id(product_id, "Product", "product_id"), plain(input))
        )
        return await _variant_payload(variant, errors)

    @strawberry.mutation(**guard("Change a variant; only the fields given.", MANAGE_PRODUCTS))
    async def product_variant_update(
        self, info: Info, id: relay.GlobalID, input: ProductVariantUpdateInput
    ) -> ProductVariantPayload:
        actor = await info.context.actor()
        variant, errors = await attempt(
            lambda: management.update_variant(actor, decode_id(id, "ProductVariant"), changes(input))
        )
        return await _variant_payload(variant, errors)

    @strawberry.mutation(**guard("Delete a variant with its prices and stock.", MANAGE_PRODUCTS))
    async def product_variant_delete(self, info: Info, id: relay.GlobalID) -> ProductVariantPayload:
        actor = await info.context.actor()
        variant, errors = await attempt(lambda: management.delete_variant(actor, decode_id(id, "ProductVariant")))
        return await _variant_payload(variant, errors)

    @strawberry.mutation(**guard("Set variants' quantities on hand, all or nothing.", MANAGE_PRODUCTS))
    async def stock_update(self, info: Info, input: StockUpdateInput) -> StockUpdatePayload:
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
        self, info: Info, product_id: relay.GlobalID, input: ProductAttributesSetInput
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
