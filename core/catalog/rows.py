"""The storefront's catalog reads as plain rows: one hand-written statement per relation, no model instances.

A catalog page reads a few hundred variant, price, stock, image and attribute rows. As tortoise model
instances each costs `_init_from_db`, a `__setattr__` per column and a field conversion (a third of the page's
time in `bench.storefront`'s profile); here each is one tuple from the driver made into a small slotted object.
The variants come with their prices and stock in the same statement (LEFT JOINs) when the page asks for them,
so a page reads each relation once. Amounts are `Decimal`, as `DecimalField` gives them; JSON columns are
decoded (SQLite returns text).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from tortoise.connection import get_connection

from core.catalog.models import Product

Translations = dict[str, dict[str, str]]


@dataclass(slots=True)
class PriceRow:
    currency: str
    amount: Decimal
    compare_at_amount: Decimal | None


@dataclass(slots=True)
class VariantRow:
    id: int
    product_id: int
    sku: str
    barcode: str
    size: str
    colour: str
    weight_grams: int
    # Filled only when asked for (`with_prices` / `with_stock`); None means "not read".
    prices: list[PriceRow] | None = None
    quantity: int | None = None  # None as well when the variant has no stock row
    stock_read: bool = False


@dataclass(slots=True)
class MediaRow:
    product_id: int
    url: str
    alt: str
    translations: Translations
    # Stored thumbnail URLs by bounding size (uploads only; core.catalog.images.THUMBNAIL_SIZES).
    thumbnails: dict[int, str]


@dataclass(slots=True, frozen=True)
class AttributeRow:
    id: int
    code: str
    name: str
    type: str
    unit: str
    translations: Translations


@dataclass(slots=True, frozen=True)
class ChoiceRow:
    code: str
    label: str
    translations: Translations


@dataclass(slots=True)
class AttributeValueRow:
    product_id: int
    attribute_id: int
    attribute: AttributeRow
    choice: ChoiceRow | None
    text_value: str
    number_value: Decimal | None
    boolean_value: bool | None


def _placeholders(dialect: str, count: int, start: int = 1) -> str:
    if dialect == "postgres":
        return ", ".join(f"${i}" for i in range(start, start + count))
    return ", ".join("?" * count)


def _json(value: Any) -> Translations:
    if not value:
        return {}
    if isinstance(value, str | bytes):
        decoded = orjson.loads(value)
        return decoded if isinstance(decoded, dict) else {}
    return value if isinstance(value, dict) else {}


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


async def _rows(sql: str, ids: Sequence[int]) -> list[tuple]:
    conn = get_connection("default")
    query = sql.format(ids=_placeholders(conn.capabilities.dialect, len(ids)))
    _, rows = await conn.execute_query(query, list(ids))
    return [tuple(row) for row in rows]


VARIANTS_SQL = """
SELECT v.id, v.product_id, v.sku, v.barcode, v.size, v.colour, v.weight_grams{price_columns}{stock_columns}
FROM variant v{price_join}{stock_join}
WHERE v.product_id IN ({{ids}})
ORDER BY v.position, v.id{price_order}
"""


async def variants_by_product(
    product_ids: Iterable[int], *, with_prices: bool = False, with_stock: bool = False
) -> dict[int, list[VariantRow]]:
    """The products' variants in display order (position, id); with their prices (by currency) and stock
    from the same statement when asked."""
    ids = list(dict.fromkeys(product_ids))
    grouped: dict[int, list[VariantRow]] = defaultdict(list)
    if not ids:
        return grouped
    sql = VARIANTS_SQL.format(
        price_columns=", vp.currency, vp.amount, vp.compare_at_amount" if with_prices else "",
        stock_columns=", s.quantity" if with_stock else "",
        price_join=" LEFT JOIN variant_price vp ON vp.variant_id = v.id" if with_prices else "",
        stock_join=" LEFT JOIN stock s ON s.variant_id = v.id" if with_stock else "",
        price_order=", vp.currency" if with_prices else "",
    )
    last: VariantRow | None = None
    for row in await _rows(sql, ids):
        if last is None or last.id != row[0]:
            last = VariantRow(*row[:7])
            if with_prices:
                last.prices = []
            if with_stock:
                last.quantity, last.stock_read = row[-1], True
            grouped[last.product_id].append(last)
        if with_prices and row[7] is not None:
            assert last.prices is not None
            last.prices.append(PriceRow(row[7], _decimal(row[8]), _decimal(row[9])))  # type: ignore[arg-type]
    return grouped


async def prices_by_variant(variant_ids: Iterable[int]) -> dict[int, list[PriceRow]]:
    """Each variant's prices, by currency."""
    ids = list(dict.fromkeys(variant_ids))
    grouped: dict[int, list[PriceRow]] = defaultdict(list)
    if not ids:
        return grouped
    sql = (
        "SELECT variant_id, currency, amount, compare_at_amount FROM variant_price "
        "WHERE variant_id IN ({ids}) ORDER BY currency, id"
    )
    for variant_id, currency, amount, compare_at in await _rows(sql, ids):
        grouped[variant_id].append(PriceRow(currency, _decimal(amount), _decimal(compare_at)))  # type: ignore[arg-type]
    return grouped


async def stock_by_variant(variant_ids: Iterable[int]) -> dict[int, int]:
    """Units on hand of the variants that have a stock row."""
    ids = list(dict.fromkeys(variant_ids))
    if not ids:
        return {}
    return dict(await _rows("SELECT variant_id, quantity FROM stock WHERE variant_id IN ({ids})", ids))


async def media_by_product(product_ids: Iterable[int]) -> dict[int, list[MediaRow]]:
    """The products' images in display order (position, id)."""
    ids = list(dict.fromkeys(product_ids))
    grouped: dict[int, list[MediaRow]] = defaultdict(list)
    if not ids:
        return grouped
    sql = (
        "SELECT product_id, url, alt, translations, thumbnails FROM product_media WHERE product_id IN ({ids}) "
        "ORDER BY position, id"
    )
    for product_id, url, alt, translations, thumbnails in await _rows(sql, ids):
        sizes = {int(size): str(link) for size, link in _json(thumbnails).items()}
        grouped[product_id].append(MediaRow(product_id, url, alt, _json(translations), sizes))
    return grouped


ATTRIBUTES_SQL = """
SELECT pav.product_id, pav.attribute_id, a.code, a.name, a.type, a.unit, a.translations,
       ch.id, ch.code, ch.label, ch.translations, pav.text_value, pav.number_value, pav.boolean_value
FROM product_attribute_value pav
JOIN attribute a ON a.id = pav.attribute_id
LEFT JOIN attribute_choice ch ON ch.id = pav.choice_id
WHERE pav.product_id IN ({ids})
ORDER BY a.position, a.code, COALESCE(ch.position, 0), pav.id
"""


async def attribute_values_by_product(product_ids: Iterable[int]) -> dict[int, list[AttributeValueRow]]:
    """The products' attribute values, in attribute order (position, code) and then choice order."""
    ids = list(dict.fromkeys(product_ids))
    grouped: dict[int, list[AttributeValueRow]] = defaultdict(list)
    if not ids:
        return grouped
    attributes: dict[int, AttributeRow] = {}
    for row in await _rows(ATTRIBUTES_SQL, ids):
        product_id, attribute_id, code, name, type_, unit, translations = row[:7]
        choice_id, choice_code, label, choice_translations, text, number, boolean = row[7:]
        attribute = attributes.get(attribute_id)
        if attribute is None:
            attribute = attributes[attribute_id] = AttributeRow(
                attribute_id, code, name, type_, unit, _json(translations)
            )
        choice = ChoiceRow(choice_code, label, _json(choice_translations)) if choice_id is not None else None
        grouped[product_id].append(
            AttributeValueRow(
                product_id,
                attribute_id,
                attribute,
                choice,
                text,
                _decimal(number),
                None if boolean is None else bool(boolean),
            )
        )
    return grouped


@dataclass(slots=True, frozen=True)
class CategoryRow:
    """A category as a storefront list shows it (the attributes `Category` model instances have)."""

    id: int
    slug: str
    name: str
    description: str
    path: str
    parent_id: int | None
    translations: Translations


@dataclass(slots=True)
class ProductRow:
    """A product of a storefront list, with its category (joined in the same statement).

    The timestamps are kept as the driver returns them and converted on first read (SQLite returns text, and
    parsing two dates of every product of a page cost more than the rest of the row), the way the model's
    `DatetimeField` converts them, so a row answers exactly what a model instance would.
    """

    id: int
    slug: str
    name: str
    description: str
    seo_title: str
    seo_description: str
    made_to_measure: bool
    size_chart: list[dict]
    translations: Translations
    category_id: int | None
    category: CategoryRow | None
    created_raw: Any
    published_raw: Any

    @property
    def created_at(self) -> datetime:
        return _CREATED_AT.to_python_value(self.created_raw)

    @property
    def published_at(self) -> datetime | None:
        return _PUBLISHED_AT.to_python_value(self.published_raw)

    @classmethod
    def from_model(cls, product: Product) -> ProductRow:
        """The row of a product loaded as a model (with `select_related("category")`, or its category is not
        carried and is read when asked)."""
        category = product.__dict__.get("_category")
        return cls(
            product.id,
            product.slug,
            product.name,
            product.description,
            product.seo_title,
            product.seo_description,
            product.made_to_measure,
            product.size_chart,
            product.translations,
            product.category_id,
            None if category is None else CategoryRow(*(getattr(category, name) for name in _CATEGORY_NAMES)),
            product.created_at,
            product.published_at,
        )


_CATEGORY_NAMES = ("id", "slug", "name", "description", "path", "parent_id", "translations")
_CREATED_AT = Product._meta.fields_map["created_at"]
_PUBLISHED_AT = Product._meta.fields_map["published_at"]

# The columns of a `ProductRow`, in its order (for a statement joining `product p` and `category c`).
PRODUCT_COLUMNS = (
    "p.id, p.slug, p.name, p.description, p.seo_title, p.seo_description, p.made_to_measure, p.size_chart, "
    "p.translations, p.category_id, c.id, c.slug, c.name, c.description, c.path, c.parent_id, c.translations, "
    "p.created_at, p.published_at"
)


def product_row(row: Sequence[Any]) -> ProductRow:
    """A `ProductRow` from a row of `PRODUCT_COLUMNS`."""
    size_chart = row[7]
    if isinstance(size_chart, str | bytes):
        size_chart = orjson.loads(size_chart)
    category = None
    if row[10] is not None:
        category = CategoryRow(row[10], row[11], row[12], row[13], row[14], row[15], _json(row[16]))
    return ProductRow(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        bool(row[6]),
        size_chart or [],
        _json(row[8]),
        row[9],
        category,
        row[17],
        row[18],
    )
