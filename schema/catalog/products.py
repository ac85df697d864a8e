"""The storefront catalog: products, variants, prices, attributes, media, categories and collections.

Each object carries the storefront's language and currency chosen at the top-level field (`Private`
fields), so nested fields translate and price consistently without asking again.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, TypeVar

import strawberry
from strawberry import relay
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from core.actors.models import Brand
from core.catalog import listing
from core.catalog import services as catalog
from core.catalog.images import thumbnail_size
from core.catalog.models import AttributeType
from core.catalog.models import Category as CategoryModel
from core.catalog.models import Collection as CollectionModel
from core.catalog.models import Product as ProductModel
from core.catalog.models import Variant as VariantModel
from core.catalog.rows import AttributeValueRow, CategoryRow, MediaRow, PriceRow, ProductRow, VariantRow
from core.catalog.translations import pick
from core.errors import DomainError
from core.pagination import PageRequest, paginate
from schema.actors.storefront import StorefrontSlug
from schema.customs import CustomsData, customs_of
from schema.enums import described_enum
from schema.fast_fields import fast
from schema.garments.custom_garment import MadeToMeasureConfig, config_for
from schema.loaders import Wanted
from schema.locale import Currency, Language, Locale, locale_for
from schema.permissions import PUBLIC, guard
from schema.relay import After, Before, Connection, First, Last, connection
from schema.scalars import Money, MoneyRange

T = TypeVar("T")
R = TypeVar("R")

AttributeTypeEnum = described_enum(
    AttributeType,
    name="AttributeType",
    description="The kind of value an attribute holds, which decides how `AttributeFilter` matches it.",
    values={
        "TEXT": "Free text (matched exactly by `values`).",
        "CHOICE": "One or more of the brand's choices, each with a code (matched by choice codes in `values`).",
        "NUMBER": "A number in the attribute's `unit` (matched by `gte`/`lte`).",
        "BOOLEAN": "Yes or no (matched by `boolean`).",
    },
)


@strawberry.enum(description="How to order a product list.")
class ProductSortField(Enum):
    NAME = strawberry.enum_value("NAME", description="By name, A to Z with `ASC`; the default without a search.")
    PRICE = strawberry.enum_value(
        "PRICE",
        description=(
            "By the lowest variant price in the list's currency; products with no price in that currency are left out."
        ),
    )
    CREATED = strawberry.enum_value("CREATED", description="By when the product was created, oldest first with `ASC`.")
    RELEVANCE = strawberry.enum_value(
        "RELEVANCE",
        description=(
            "Best search match first; only with `filter.search` (else INVALID_SORT), and the default when there is one."
        ),
    )


@strawberry.enum(description="Ascending or descending.")
class SortDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Smallest, earliest or A first.")
    DESC = strawberry.enum_value("DESC", description="Largest, latest or Z first.")


@strawberry.type(description="A body measurement of one size in a size chart, in centimetres.")
class SizeMeasurement:
    code: str = strawberry.field(
        description=(
            "The measurement's code in the garment type's list, e.g. `LD` (lingkar dada, chest), `PB`"
            " (panjang badan, body length), `PL` (panjang lengan, sleeve length)."
        )
    )
    value: Decimal = strawberry.field(description="The body measurement in centimetres.")


@strawberry.type(description="One row of a size chart: a size label and its body measurements (LD, PB, PL…).")
class SizeChartRow:
    size: str = strawberry.field(description="The size label as the variants use it (`S`, `M`, `XL`, `38`…).")
    measurements: list[SizeMeasurement] = strawberry.field(
        description="The measurements of this size, in the columns' order of the brand's chart."
    )


@strawberry.type(description="An image of a product.")
class ProductMedia:
    url: str = strawberry.field(description="An absolute URL of the image file.")
    alt: str = strawberry.field(description="Alternative text for screen readers, in the asked language; may be empty.")


@strawberry.type(description="A product property such as fabric, sleeve length or lining.")
class AttributeInfo:
    code: str = strawberry.field(
        description=("The attribute's stable code within the brand (e.g. `fabric`): use it in `AttributeFilter.code`.")
    )
    name: str = strawberry.field(description="The attribute's label for shoppers, in the asked language.")
    type: AttributeTypeEnum = strawberry.field(  # type: ignore[valid-type]
        description="What kind of value it holds, which decides how to filter on it."
    )
    unit: str = strawberry.field(
        description="The unit of a NUMBER attribute (e.g. `cm`, `g/m²`); empty for other types."
    )


@strawberry.type(description="One value of an attribute: a choice, a text, a number (with the unit) or a yes/no.")
class AttributeValue:
    code: str | None = strawberry.field(
        description=(
            "The choice's code for a CHOICE attribute (use it in `AttributeFilter.values`); null"
            " for text, number and yes/no values."
        )
    )
    label: str = strawberry.field(
        description=(
            "The value as shown: the choice's label in the asked language, the text, the number with "
            "its unit (`120 cm`), or `yes`/`no`."
        )
    )


@strawberry.type(description="An attribute of a product with its values.")
class ProductAttribute:
    attribute: AttributeInfo = strawberry.field(description="Which attribute this is.")
    values: list[AttributeValue] = strawberry.field(
        description="Its values for this product (several for a multi-choice attribute)."
    )


@strawberry.type(description="What a product costs in the asked currency.")
class ProductPricing:
    price_range: MoneyRange = strawberry.field(
        description=(
            "The lowest and highest variant price in the asked currency; both null when no variant is priced in it."
        )
    )
    on_sale: bool = strawberry.field(
        description="True when a variant priced in this currency has a compare-at price above its price."
    )


@strawberry.type(description="A sellable version of a product: one size and colour, with its SKU and prices.")
class ProductVariant(relay.Node):
    id: relay.NodeID[int]
    sku: str = strawberry.field(description="The brand's stock-keeping unit, unique within the brand.")
    size: str = strawberry.field(
        description="The size label (`S`, `M`, `38`…), matching a `sizeChart` row; may be empty."
    )
    colour: str = strawberry.field(description="The colour name as the brand wrote it; may be empty.")
    barcode: str = strawberry.field(description="An EAN/UPC or the brand's own code; empty when it has none.")
    weight_grams: int = strawberry.field(
        description="The shipping weight in grams (0 if the brand did not set one), used for shipping rates."
    )
    _locale: strawberry.Private[Locale]
    # The variant's row; a list field's page fills in its prices and stock (core.catalog.rows).
    _row: strawberry.Private[VariantRow]

    @classmethod
    def from_row(cls, row: VariantRow, locale: Locale) -> ProductVariant:
        return cls(
            id=row.id,
            sku=row.sku,
            size=row.size,
            colour=row.colour,
            barcode=row.barcode,
            weight_grams=row.weight_grams,
            _locale=locale,
            _row=row,
        )

    @classmethod
    def from_model(cls, variant: VariantModel, locale: Locale) -> ProductVariant:
        row = VariantRow(
            variant.id,
            variant.product_id,
            variant.sku,
            variant.barcode,
            variant.size,
            variant.colour,
            variant.weight_grams,
        )
        return cls.from_row(row, locale)

    # Each field reads the rows the list field preloaded when there are any (a plain call), and otherwise
    # returns a coroutine that goes through the dataloader; graphql-core awaits whichever it gets.

    @strawberry.field(description="Prices in every currency the variant is priced in.")
    @fast
    def prices(self, info: Info) -> list[Money]:
        return _now_or_later(self._prices(info), _money_list)

    @strawberry.field(description="The price in `currency`, or the storefront's currency; null if not priced in it.")
    @fast
    def price(
        self,
        info: Info,
        currency: Annotated[
            str | None,
            strawberry.argument(
                description="An ISO 4217 code; defaults to the currency chosen at the top-level field."
            ),
        ] = None,
    ) -> Money | None:
        wanted = currency or self._locale.currency
        return _now_or_later(self._prices(info), lambda rows: _price_in(rows, wanted))

    @strawberry.field(description="The price before a discount, when the variant is on sale.")
    @fast
    def compare_at_price(self, info: Info) -> Money | None:
        return _now_or_later(self._prices(info), lambda rows: _compare_at_in(rows, self._locale.currency))

    @strawberry.field(description="How many can be ordered now, capped so stock levels do not leak.")
    @fast
    def quantity_available(self, info: Info) -> int:
        cap = info.context.settings.catalog.quantity_available_cap
        if self._row.stock_read:
            return max(0, min(self._row.quantity or 0, cap))
        return _later(info.context.loaders.stock_by_variant.load(self.id), lambda q: max(0, min(q or 0, cap)))  # type: ignore[return-value]

    @strawberry.field(description="True when at least one is in stock now.")
    @fast
    def is_available(self, info: Info) -> bool:
        if self._row.stock_read:
            return (self._row.quantity or 0) > 0
        return _later(info.context.loaders.stock_by_variant.load(self.id), lambda q: (q or 0) > 0)  # type: ignore[return-value]

    @strawberry.field(
        description="The customs declaration that applies to this variant: its own values, else its product's, "
        "else its category's. Loaded for a whole page at once, and only when asked for."
    )
    async def customs(self, info: Info) -> CustomsData:
        return await customs_of(info, "variant", self.id)

    @strawberry.field(
        description="The product this variant belongs to (for a cart line's link and picture); null when it is "
        "no longer published. Batched: one statement for all the variants of a response."
    )
    async def product(self, info: Info) -> Product | None:
        found = await info.context.loaders.published_product.load(self._row.product_id)
        return Product.from_model(found, self._locale) if found else None

    def _prices(self, info: Info) -> list[PriceRow] | Awaitable[list[PriceRow]]:
        rows = self._row.prices
        return info.context.loaders.prices_by_variant.load(self.id) if rows is None else rows

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[ProductVariant | None]:
        brand = await info.context.storefront()
        locale = locale_for(info, brand)
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = {v.id: v for v in await VariantModel.filter(id__in=ids, brand_id=brand.id)}
        products = await catalog.products_by_ids(brand, {v.product_id for v in rows.values()})
        found = {i: v for i, v in rows.items() if v.product_id in products}
        return [cls.from_model(found[int(i)], locale) if i.isdigit() and int(i) in found else None for i in node_ids]


@strawberry.type(description="A product of a brand's catalog, in the storefront's language and currency.")
class Product(relay.Node):
    id: relay.NodeID[int]
    slug: str = strawberry.field(
        description="The product's URL name, unique within the brand: use it with `product(slug:)`."
    )
    name: str = strawberry.field(
        description=("The product's name in the asked language (the brand's default-language name if not translated).")
    )
    description: str = strawberry.field(
        description=(
            "The product's description in the asked language, as the brand wrote it (plain text); may be empty."
        )
    )
    seo_title: str = strawberry.field(
        description=("The title for the page's `<title>` in the asked language; the name when the brand set none.")
    )
    seo_description: str = strawberry.field(description="The meta description in the asked language; may be empty.")
    made_to_measure: bool = strawberry.field(
        description=(
            "True when the product is made to the shopper's measurements (see `madeToMeasureConfig`);"
            " it is then always orderable and has no stock."
        )
    )
    # The dates and the size chart are converted when asked (a list rarely asks; SQLite returns dates as text).

    @strawberry.field(description="When the product was created (ISO 8601 with offset).")
    @fast
    def created_at(self) -> datetime:
        return self._row.created_at

    @strawberry.field(
        description=(
            "From when the product is visible (ISO 8601 with offset); null when published with no "
            "date, i.e. visible at once."
        )
    )
    @fast
    def published_at(self) -> datetime | None:
        return self._row.published_at

    @strawberry.field(
        description="The brand's size chart, one row per size, in the brand's order; empty when it has none."
    )
    @fast
    def size_chart(self) -> list[SizeChartRow]:
        return [
            SizeChartRow(
                size=str(row.get("size", "")),
                measurements=[
                    SizeMeasurement(code=str(m["code"]), value=Decimal(str(m["value"])))
                    for m in row.get("measurements") or []
                ],
            )
            for row in self._row.size_chart or []
        ]

    _category_id: strawberry.Private[int | None]
    # The category when the list query already joined it, saving a query per page.
    _category: strawberry.Private[CategoryRow | None]
    _locale: strawberry.Private[Locale]
    _row: strawberry.Private[ProductRow]

    @classmethod
    def from_model(cls, product: ProductModel, locale: Locale) -> Product:
        return cls.from_row(ProductRow.from_model(product), locale)

    @classmethod
    def from_row(cls, product: ProductRow, locale: Locale) -> Product:
        t, lang = product.translations, locale.language
        return cls(
            id=product.id,
            slug=product.slug,
            name=pick(t, "name", product.name, lang),
            description=pick(t, "description", product.description, lang),
            seo_title=pick(t, "seo_title", product.seo_title or product.name, lang),
            seo_description=pick(t, "seo_description", product.seo_description, lang),
            made_to_measure=product.made_to_measure,
            _category_id=product.category_id,
            _category=product.category,
            _locale=locale,
            _row=product,
        )

    @strawberry.field(description="The sellable versions (sizes and colours), in the brand's order.")
    @fast
    def variants(self, info: Info) -> list[ProductVariant]:
        locale = self._locale
        return _now_or_later(self._variants(info), lambda rows: [ProductVariant.from_row(row, locale) for row in rows])

    @strawberry.field(description="Lowest and highest variant price in the storefront's currency.")
    @fast
    def pricing(self, info: Info) -> ProductPricing:
        return _now_or_later(self._price_rows(info), lambda rows: _pricing(rows, self._locale.currency))

    @strawberry.field(
        description="Same as `pricing.priceRange`, in `currency` if given.",
        deprecation_reason="Use `pricing { priceRange }` (with `currency` on the list or product field).",
    )
    @fast
    def price_range(
        self,
        info: Info,
        currency: Annotated[
            str | None,
            strawberry.argument(
                description="An ISO 4217 code; defaults to the currency chosen at the top-level field."
            ),
        ] = None,
    ) -> MoneyRange:
        wanted = currency or self._locale.currency
        return _now_or_later(self._price_rows(info), lambda rows: _pricing(rows, wanted).price_range)

    @strawberry.field(description="True when it can be ordered: made to measure, or a variant in stock.")
    @fast
    def is_available(self, info: Info) -> bool:
        if self.made_to_measure:
            return True
        return _now_or_later(self._stock(info), lambda stock: any((quantity or 0) > 0 for quantity in stock))

    @strawberry.field(
        description="How a made-to-measure product is made and priced (garment type, options, fabrics); null "
        "for ready-made products. Loaded for a whole page at once, and only when asked for."
    )
    async def made_to_measure_config(self, info: Info) -> MadeToMeasureConfig | None:
        if not self.made_to_measure:
            return None
        return await config_for(info, self.id, self._locale)

    @strawberry.field(
        description="The customs declaration (HS code, origin, composition, net weight) that applies to the "
        "product: its own values, else its category's. Variants may override it (`ProductVariant.customs`)."
    )
    async def customs(self, info: Info) -> CustomsData:
        return await customs_of(info, "product", self.id)

    @strawberry.field(description="The category the product is filed under; null when it has none.")
    @fast
    def category(self, info: Info) -> Category | None:
        if self._category_id is None:
            return None
        if self._category is not None:
            return Category.from_model(self._category, self._locale)
        return _now_or_later(
            info.context.loaders.category.load(self._category_id),
            lambda found: Category.from_model(found, self._locale) if found else None,
        )

    @strawberry.field(description="Images in display order.")
    @fast
    def media(self, info: Info) -> list[ProductMedia]:
        return _now_or_later(self._media(info), lambda rows: [_media(row, self._locale) for row in rows])

    @strawberry.field(
        description="The first image, for lists. With `size` (pixels, the longer side), an uploaded image's "
        "stored thumbnail of the nearest size at least that large (64, 128, 256, 512 or 1024; larger requests get "
        "1024); a linked image (or one uploaded before Lini made thumbnails) is its own URL. A size below 1 is the "
        "error INVALID_SIZE."
    )
    @fast
    def thumbnail(
        self,
        info: Info,
        size: Annotated[
            int | None,
            strawberry.argument(
                description="The width and height in pixels the storefront shows it at; the smallest stored size "
                "at least this big is returned. Null: the original image."
            ),
        ] = None,
    ) -> ProductMedia | None:
        bound = None if size is None else thumbnail_size(size)
        return _now_or_later(self._media(info), lambda rows: _media(rows[0], self._locale, bound) if rows else None)

    @strawberry.field(description="The product's attribute values, grouped by attribute.")
    @fast
    def attributes(self, info: Info) -> list[ProductAttribute]:
        return _now_or_later(self._attribute_rows(info), lambda rows: _attributes(rows, self._locale))

    def _variants(self, info: Info) -> list[VariantRow] | Awaitable[list[VariantRow]]:
        loaders = info.context.loaders
        rows = loaders.preloaded.variants.get(self.id)
        return loaders.variants_by_product.load(self.id) if rows is None else rows

    def _price_rows(self, info: Info) -> list[PriceRow] | Awaitable[list[PriceRow]]:
        """Every price of every variant, in variant order."""
        variants = info.context.loaders.preloaded.variants.get(self.id)
        if variants is not None and all(v.prices is not None for v in variants):
            return [price for v in variants for price in v.prices]  # type: ignore[union-attr]
        return self._load_price_rows(info)

    async def _load_price_rows(self, info: Info) -> list[PriceRow]:
        loaders = info.context.loaders
        variants = await loaders.variants_by_product.load(self.id)
        price_lists = await loaders.prices_by_variant.load_many([v.id for v in variants])
        return [price for prices in price_lists for price in prices]

    def _stock(self, info: Info) -> list[int | None] | Awaitable[list[int | None]]:
        """The stock of each variant."""
        variants = info.context.loaders.preloaded.variants.get(self.id)
        if variants is not None and all(v.stock_read for v in variants):
            return [v.quantity for v in variants]
        return self._load_stock(info)

    async def _load_stock(self, info: Info) -> list[int | None]:
        loaders = info.context.loaders
        variants = await loaders.variants_by_product.load(self.id)
        return await loaders.stock_by_variant.load_many([v.id for v in variants])

    def _media(self, info: Info) -> list[MediaRow] | Awaitable[list[MediaRow]]:
        loaders = info.context.loaders
        rows = loaders.preloaded.media.get(self.id)
        return loaders.media_by_product.load(self.id) if rows is None else rows

    def _attribute_rows(self, info: Info) -> list[AttributeValueRow] | Awaitable[list[AttributeValueRow]]:
        loaders = info.context.loaders
        rows = loaders.preloaded.attributes.get(self.id)
        return loaders.attributes_by_product.load(self.id) if rows is None else rows

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Product | None]:
        brand = await info.context.storefront()
        locale = locale_for(info, brand)
        found = await catalog.products_by_ids(brand, [int(i) for i in node_ids if i.isdigit()])
        return [cls.from_model(found[int(i)], locale) if i.isdigit() and int(i) in found else None for i in node_ids]


def _now_or_later(value: T | Awaitable[T], then: Callable[[T], R]) -> R:
    """`then(value)` now when the value is at hand, or an awaitable of it (graphql-core awaits it)."""
    # preloaded rows are a list (or a mapping): skip `inspect.isawaitable`, asked ~600 times a page
    if type(value) not in _AT_HAND and inspect.isawaitable(value):
        return _later(value, then)  # type: ignore[return-value]
    return then(value)  # type: ignore[arg-type]


_AT_HAND = frozenset({list, tuple, dict})


async def _later(value: Awaitable[T], then: Callable[[T], R]) -> R:
    return then(await value)


def _money_list(rows: list[PriceRow]) -> list[Money]:
    return [Money.of(row.amount, row.currency) for row in rows]


def _price_in(rows: list[PriceRow], currency: str) -> Money | None:
    for row in rows:
        if row.currency == currency:
            return Money.of(row.amount, row.currency)
    return None


def _compare_at_in(rows: list[PriceRow], currency: str) -> Money | None:
    for row in rows:
        if row.currency == currency and row.compare_at_amount is not None:
            return Money.of(row.compare_at_amount, row.currency)
    return None


def _pricing(rows: list[PriceRow], currency: str) -> ProductPricing:
    rows = [p for p in rows if p.currency == currency]
    if not rows:
        return ProductPricing(price_range=MoneyRange(start=None, stop=None), on_sale=False)
    amounts = [p.amount for p in rows]
    on_sale = any(p.compare_at_amount is not None and p.compare_at_amount > p.amount for p in rows)
    money_range = MoneyRange(start=Money.of(min(amounts), currency), stop=Money.of(max(amounts), currency))
    return ProductPricing(price_range=money_range, on_sale=on_sale)


def _attributes(rows: list[AttributeValueRow], locale: Locale) -> list[ProductAttribute]:
    grouped: dict[int, ProductAttribute] = {}
    for row in rows:
        entry = grouped.get(row.attribute_id)
        if entry is None:
            entry = grouped[row.attribute_id] = ProductAttribute(attribute=_attribute(row, locale), values=[])
        entry.values.append(_value(row, locale))
    return list(grouped.values())


def _media(row: MediaRow, locale: Locale, size: int | None = None) -> ProductMedia:
    url = row.thumbnails.get(size, row.url) if size is not None else row.url
    return ProductMedia(url=url, alt=pick(row.translations, "alt", row.alt, locale.language))


def _attribute(row: AttributeValueRow, locale: Locale) -> AttributeInfo:
    a = row.attribute
    return AttributeInfo(
        code=a.code,
        name=pick(a.translations, "name", a.name, locale.language),
        type=AttributeType(a.type),
        unit=a.unit,
    )


def _value(row: AttributeValueRow, locale: Locale) -> AttributeValue:
    if row.choice is not None:
        label = pick(row.choice.translations, "label", row.choice.label, locale.language)
        return AttributeValue(code=row.choice.code, label=label)
    if row.number_value is not None:
        unit = f" {row.attribute.unit}" if row.attribute.unit else ""
        return AttributeValue(code=None, label=f"{row.number_value.normalize():f}{unit}")
    if row.boolean_value is not None:
        return AttributeValue(code=None, label="yes" if row.boolean_value else "no")
    return AttributeValue(code=None, label=row.text_value)


@strawberry.type(description="A category of a brand's catalog tree.")
class Category(relay.Node):
    id: relay.NodeID[int]
    slug: str = strawberry.field(
        description=(
            "The category's URL name, unique within the brand: use it with `category(slug:)` and "
            "`ProductFilter.categorySlug`."
        )
    )
    name: str = strawberry.field(description="The category's name in the asked language.")
    description: str = strawberry.field(description="The category's description in the asked language; may be empty.")
    level: int = strawberry.field(
        description="The depth in the tree: 0 for a top-level category, 1 for its children, and so on."
    )
    _parent_id: strawberry.Private[int | None]
    _locale: strawberry.Private[Locale]

    @classmethod
    def from_model(cls, category: CategoryModel | CategoryRow, locale: Locale) -> Category:
        t = category.translations
        return cls(
            id=category.id,
            slug=category.slug,
            name=pick(t, "name", category.name, locale.language),
            description=pick(t, "description", category.description, locale.language),
            level=max(0, category.path.count("/") - 2),
            _parent_id=category.parent_id,
            _locale=locale,
        )

    @strawberry.field(
        description="The customs defaults its products inherit: its own, else its parent categories' values."
    )
    async def customs(self, info: Info) -> CustomsData:
        return await customs_of(info, "category", self.id)

    @strawberry.field(description="The category above this one; null for a top-level category.")
    async def parent(self, info: Info) -> Category | None:
        if self._parent_id is None:
            return None
        found = await info.context.loaders.category.load(self._parent_id)
        return Category.from_model(found, self._locale) if found else None

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Category | None]:
        brand = await info.context.storefront()
        locale = locale_for(info, brand)
        ids = [int(i) for i in node_ids if i.isdigit()]
        found = {c.id: c for c in await CategoryModel.filter(brand_id=brand.id, id__in=ids)}
        return [cls.from_model(found[int(i)], locale) if i.isdigit() and int(i) in found else None for i in node_ids]


@strawberry.type(description="A hand-picked selection of products, in the brand's order.")
class Collection(relay.Node):
    id: relay.NodeID[int]
    slug: str = strawberry.field(
        description=(
            "The collection's URL name, unique within the brand: use it with `collection(slug:)` and "
            "`ProductFilter.collectionSlug`."
        )
    )
    name: str = strawberry.field(description="The collection's name in the asked language.")
    description: str = strawberry.field(description="The collection's description in the asked language; may be empty.")

    @classmethod
    def from_model(cls, collection: CollectionModel, locale: Locale) -> Collection:
        t = collection.translations
        return cls(
            id=collection.id,
            slug=collection.slug,
            name=pick(t, "name", collection.name, locale.language),
            description=pick(t, "description", collection.description, locale.language),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Collection | None]:
        brand = await info.context.storefront()
        locale = locale_for(info, brand)
        ids = [int(i) for i in node_ids if i.isdigit()]
        found = {c.id: c for c in await CollectionModel.filter(brand_id=brand.id, is_published=True, id__in=ids)}
        return [cls.from_model(found[int(i)], locale) if i.isdigit() and int(i) in found else None for i in node_ids]


@strawberry.input(
    description=(
        "Bounds on the lowest variant price, as Decimal strings in the list's currency; both "
        "inclusive and optional, neither negative (INVALID_FILTER)."
    )
)
class PriceRangeInput:
    gte: Decimal | None = strawberry.field(
        default=None, description='At least this amount (a Decimal string, e.g. `"150000"`).'
    )
    lte: Decimal | None = strawberry.field(default=None, description="At most this amount (a Decimal string).")


@strawberry.input(description="Match an attribute: choice codes or texts, a number range, or a yes/no.")
class AttributeFilter:
    code: str = strawberry.field(
        description=(
            "The attribute's code (`AttributeInfo.code`); one the storefront does not have is refused"
            " with INVALID_FILTER."
        )
    )
    values: list[str] | None = strawberry.field(
        default=None,
        description=(
            "For a CHOICE attribute, choice codes; for a TEXT attribute, exact texts; any one of them matches."
        ),
    )
    gte: Decimal | None = strawberry.field(
        default=None,
        description="For a NUMBER attribute, at least this value (in the attribute's unit, a Decimal string).",
    )
    lte: Decimal | None = strawberry.field(
        default=None,
        description="For a NUMBER attribute, at most this value (in the attribute's unit, a Decimal string).",
    )
    boolean: bool | None = strawberry.field(
        default=None,
        description=(
            "For a BOOLEAN attribute, the yes/no value wanted. Values that do not fit the attribute's"
            " type are refused with INVALID_FILTER."
        ),
    )


@strawberry.input(description="Narrows a product list; all given conditions must hold.")
class ProductFilter:
    search: str | None = strawberry.field(
        default=None,
        description="Words matched case-insensitively, as prefixes or substrings, in names, descriptions, "
        "SKUs and attribute values, in every language; at most 200 characters (else INVALID_FILTER).",
    )
    category_slug: str | None = strawberry.field(default=None, description="Includes its sub-categories.")
    collection_slug: str | None = strawberry.field(
        default=None, description="Only products in this published collection."
    )
    made_to_measure: bool | None = strawberry.field(
        default=None, description="True: only made-to-measure products; false: only ready-made ones."
    )
    price: PriceRangeInput | None = strawberry.field(default=None, description="In the list's currency.")
    in_stock: bool | None = strawberry.field(
        default=None,
        description="True: only products that can be ordered now (a variant in stock, or made to measure).",
    )
    attributes: list[AttributeFilter] | None = strawberry.field(
        default=None, description="Every attribute condition must hold."
    )
    sizes: list[str] | None = strawberry.field(
        default=None,
        description="Only products with a variant in one of these sizes (`ProductVariant.size`, exact); at most "
        "50 (else INVALID_FILTER).",
    )
    colours: list[str] | None = strawberry.field(
        default=None,
        description="Only products with a variant in one of these colours (`ProductVariant.colour`, exact); at "
        "most 50 (else INVALID_FILTER).",
    )


@strawberry.input(description="The order of a product list.")
class ProductSortInput:
    field: ProductSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending (the default) or descending."
    )


# The most sizes or colours one filter may list.
MAX_VARIANT_VALUES = 50


def _query(filter: ProductFilter | None, sort_by: ProductSortInput | None, currency: str) -> listing.ProductQuery:
    f = filter or ProductFilter()
    if f.search is not None and len(f.search) > 200:
        raise DomainError("INVALID_FILTER", "A search is at most 200 characters.", "filter.search")
    for name, values in (("sizes", f.sizes), ("colours", f.colours)):
        if values is not None and len(values) > MAX_VARIANT_VALUES:
            raise DomainError("INVALID_FILTER", f"Give at most {MAX_VARIANT_VALUES} {name}.", f"filter.{name}")
    sort = (
        listing.ProductSort(sort_by.field.value)
        if sort_by
        else (listing.ProductSort.RELEVANCE if f.search and f.search.strip() else listing.ProductSort.NAME)
    )
    return listing.ProductQuery(
        search=f.search,
        category_slug=f.category_slug,
        collection_slug=f.collection_slug,
        made_to_measure=f.made_to_measure,
        price_gte=f.price.gte if f.price else None,
        price_lte=f.price.lte if f.price else None,
        in_stock=f.in_stock,
        attributes=[
            listing.AttributeFilter(code=a.code, values=a.values or [], gte=a.gte, lte=a.lte, boolean=a.boolean)
            for a in f.attributes or []
        ],
        sizes=list(f.sizes or []),
        colours=list(f.colours or []),
        sort=sort,
        descending=bool(sort_by and sort_by.direction == SortDirection.DESC),
        currency=currency,
    )


# Fields of a product (or variant) that read each relation, directly or to compute their answer.
_VARIANT_FIELDS = {"variants", "pricing", "priceRange", "isAvailable"}
_PRICE_FIELDS = {"pricing", "priceRange"}
_VARIANT_PRICE_FIELDS = {"price", "prices", "compareAtPrice"}
_VARIANT_STOCK_FIELDS = {"quantityAvailable", "isAvailable"}


def _wanted(node: dict[str, list[SelectedField]]) -> Wanted:
    """The relations to preload for a page, from the fields the query asks of each product."""
    variant_fields = _children(node.get("variants", []))
    return Wanted(
        variants=not _VARIANT_FIELDS.isdisjoint(node),
        prices=not _PRICE_FIELDS.isdisjoint(node) or not _VARIANT_PRICE_FIELDS.isdisjoint(variant_fields),
        stock="isAvailable" in node or not _VARIANT_STOCK_FIELDS.isdisjoint(variant_fields),
        media="media" in node or "thumbnail" in node,
        attributes="attributes" in node,
    )


def _node_fields(selections: list[Selection]) -> dict[str, list[SelectedField]]:
    """The fields asked of each node of a connection (`edges { node { … } }`), fragments merged."""
    return _children(_children(_children(_merged(selections, {}).get("products", [])).get("edges", [])).get("node", []))


def _children(fields: list[SelectedField]) -> dict[str, list[SelectedField]]:
    merged: dict[str, list[SelectedField]] = {}
    for selected in fields:
        _merged(selected.selections, merged)
    return merged


def _merged(selections: list[Selection], into: dict[str, list[SelectedField]]) -> dict[str, list[SelectedField]]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            into.setdefault(selection.name, []).append(selection)
        else:  # a fragment spread or an inline fragment
            _merged(selection.selections, into)
    return into


async def _brand_locale(
    info: Info, storefront: str | None, language: str | None, currency: str | None
) -> tuple[Brand, Locale]:
    brand = await info.context.storefront(storefront)
    return brand, locale_for(info, brand, language=language, currency=currency)


@strawberry.type
class CatalogQuery:
    @strawberry.field(**guard("The storefront's published products.", PUBLIC))
    async def products(
        self,
        info: Info,
        filter: Annotated[
            ProductFilter | None,
            strawberry.argument(description="Conditions products must all meet; none: every published product."),
        ] = None,
        sort_by: Annotated[
            ProductSortInput | None,
            strawberry.argument(description="The order; by default RELEVANCE with a search, NAME otherwise."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        currency: Currency = None,
        language: Language = None,
        storefront: StorefrontSlug = None,
    ) -> Connection[Product]:
        brand, locale = await _brand_locale(info, storefront, language, currency)
        limits = info.context.settings.graphql
        page = await listing.list_products(
            brand,
            _query(filter, sort_by, locale.currency),
            PageRequest(first=first, after=after, last=last, before=before),
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        wanted = _wanted(_node_fields(info.selected_fields))
        await info.context.loaders.preloaded.load([p.id for p in page.items], wanted)
        return connection(page, lambda product: Product.from_row(product, locale))

    @strawberry.field(**guard("A published product by its slug; null when there is none.", PUBLIC))
    async def product(
        self,
        info: Info,
        slug: Annotated[str, strawberry.argument(description="The product's `slug`.")],
        currency: Currency = None,
        language: Language = None,
        storefront: StorefrontSlug = None,
    ) -> Product | None:
        brand, locale = await _brand_locale(info, storefront, language, currency)
        found = await catalog.storefront_product(brand, slug)
        return Product.from_model(found, locale) if found else None

    @strawberry.field(**guard("The storefront's categories, tree order (parents before their children).", PUBLIC))
    async def categories(
        self, info: Info, language: Language = None, storefront: StorefrontSlug = None
    ) -> list[Category]:
        brand, locale = await _brand_locale(info, storefront, language, None)
        return [Category.from_model(c, locale) for c in await listing.categories(brand)]

    @strawberry.field(**guard("A category by its slug; null when there is none.", PUBLIC))
    async def category(
        self,
        info: Info,
        slug: Annotated[str, strawberry.argument(description="The category's `slug`.")],
        language: Language = None,
        storefront: StorefrontSlug = None,
    ) -> Category | None:
        brand, locale = await _brand_locale(info, storefront, language, None)
        found = await CategoryModel.get_or_none(brand_id=brand.id, slug=slug)
        return Category.from_model(found, locale) if found else None

    @strawberry.field(**guard("The storefront's published collections.", PUBLIC))
    async def collections(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        language: Language = None,
        storefront: StorefrontSlug = None,
    ) -> Connection[Collection]:
        brand, locale = await _brand_locale(info, storefront, language, None)
        limits = info.context.settings.graphql
        page = await paginate(
            CollectionModel.filter(brand_id=brand.id, is_published=True),
            PageRequest(first=first, after=after),
            order=("name", "id"),
            key="collections:name",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, lambda c: Collection.from_model(c, locale))

    @strawberry.field(**guard("A published collection by its slug; null when there is none.", PUBLIC))
    async def collection(
        self,
        info: Info,
        slug: Annotated[str, strawberry.argument(description="The collection's `slug`.")],
        language: Language = None,
        storefront: StorefrontSlug = None,
    ) -> Collection | None:
        brand, locale = await _brand_locale(info, storefront, language, None)
        found = await listing.collection_by_slug(brand, slug)
        return Collection.from_model(found, locale) if found else None


QUERIES = (CatalogQuery,)
TYPES = (Product, ProductVariant, Category, Collection)
