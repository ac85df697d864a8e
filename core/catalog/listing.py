"""The storefront's product list: filters, sort orders and keyset pages over published products.

Every filter becomes a subquery on the products table, so a page costs the same few statements whatever is
combined; price sorting pages over `ProductPrice` (one indexed row per product and currency).

Pages are plain rows (`core.catalog.rows.ProductRow`), not model instances. The commonest list, a storefront's
unfiltered catalog by name or date, is one hand-written statement (keyset condition included): building it
through tortoise's query builder and hydrating a model per product and category cost more than the database
did (issue #13). Filtered lists keep tortoise's querysets for their subqueries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tortoise.connection import get_connection
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from core.actors.models import Brand
from core.catalog.models import (
    Attribute,
    AttributeType,
    Category,
    Collection,
    CollectionProduct,
    Product,
    ProductAttributeValue,
    ProductPrice,
    ProductStatus,
    Stock,
    Variant,
)
from core.catalog.rows import PRODUCT_COLUMNS, ProductRow, product_row
from core.errors import DomainError
from core.pagination import Page, PageRequest, decode_cursor, decode_positions, encode_cursor, paginate


class ProductSort(StrEnum):
    NAME = "NAME"
    PRICE = "PRICE"
    CREATED = "CREATED"
    RELEVANCE = "RELEVANCE"


@dataclass(frozen=True)
class AttributeFilter:
    code: str
    values: list[str] = field(default_factory=list)
    gte: Decimal | None = None
    lte: Decimal | None = None
    boolean: bool | None = None


@dataclass(frozen=True)
class ProductQuery:
    search: str | None = None
    category_slug: str | None = None
    collection_slug: str | None = None
    made_to_measure: bool | None = None
    price_gte: Decimal | None = None
    price_lte: Decimal | None = None
    in_stock: bool | None = None
    attributes: list[AttributeFilter] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    colours: list[str] = field(default_factory=list)
    sort: ProductSort = ProductSort.NAME
    descending: bool = False
    currency: str = "IDR"

    @property
    def filtered(self) -> bool:
        """Whether any filter narrows the list (what `filtered_products` adds a condition for)."""
        return bool(
            (self.search and self.search.strip())
            or self.category_slug
            or self.collection_slug
            or self.made_to_measure is not None
            or self.price_gte is not None
            or self.price_lte is not None
            or self.in_stock
            or self.attributes
            or self.sizes
            or self.colours
        )


def visible_products(brand: Brand) -> QuerySet[Product]:
    """Published products whose publication date has come."""
    now = datetime.now(UTC)
    return Product.filter(brand_id=brand.id, status=ProductStatus.PUBLISHED).filter(
        Q(published_at__isnull=True) | Q(published_at__lte=now)
    )


async def filtered_products(brand: Brand, query: ProductQuery) -> QuerySet[Product]:
    """Apply every filter as a subquery; raises DomainError for a filter that cannot be right."""
    queryset = visible_products(brand)
    if query.search and query.search.strip():
        from core.catalog import search

        matches = await search.ranked_matches(brand.id, query.search)
        queryset = queryset.filter(id__in=[product_id for product_id, _ in matches])
    if query.category_slug:
        category = await Category.get_or_none(brand_id=brand.id, slug=query.category_slug)
        if category is None:
            return queryset.filter(id__in=[])
        queryset = queryset.filter(category__path__startswith=category.path)
    if query.collection_slug:
        entries = CollectionProduct.filter(
            collection__brand_id=brand.id, collection__slug=query.collection_slug, collection__is_published=True
        ).values("product_id")
        queryset = queryset.filter(id__in=Subquery(entries))
    if query.made_to_measure is not None:
        queryset = queryset.filter(made_to_measure=query.made_to_measure)
    queryset = _price_filter(queryset, query)
    if query.in_stock:
        stocked = Stock.filter(quantity__gt=0, variant__brand_id=brand.id).values("variant__product_id")
        queryset = queryset.filter(Q(made_to_measure=True) | Q(id__in=Subquery(stocked)))
    if query.attributes:
        queryset = await _attribute_filters(brand, queryset, query.attributes)
    # Size and colour live on the variants: a product matches when one of its variants has one of the values.
    for column, wanted in (("size", query.sizes), ("colour", query.colours)):
        if wanted:
            variants = Variant.filter(brand_id=brand.id, **{f"{column}__in": wanted}).values("product_id")
            queryset = queryset.filter(id__in=Subquery(variants))
    return queryset


def _price_filter(queryset: QuerySet[Product], query: ProductQuery) -> QuerySet[Product]:
    for name, bound in (("gte", query.price_gte), ("lte", query.price_lte)):
        if bound is not None and bound < 0:
            raise DomainError("INVALID_FILTER", "A price bound cannot be negative.", f"filter.price.{name}")
    if query.price_gte is None and query.price_lte is None:
        return queryset
    prices = ProductPrice.filter(currency=query.currency)
    if query.price_gte is not None:
        prices = prices.filter(min_amount__gte=query.price_gte)
    if query.price_lte is not None:
        prices = prices.filter(min_amount__lte=query.price_lte)
    return queryset.filter(id__in=Subquery(prices.values("product_id")))


async def _attribute_filters(
    brand: Brand, queryset: QuerySet[Product], filters: list[AttributeFilter]
) -> QuerySet[Product]:
    codes = [f.code for f in filters]
    attributes = {a.code: a for a in await Attribute.filter(brand_id=brand.id, code__in=codes)}
    for index, wanted in enumerate(filters):
        attribute = attributes.get(wanted.code)
        where = f"filter.attributes.{index}"
        if attribute is None:
            raise DomainError("INVALID_FILTER", f"This storefront has no attribute {wanted.code!r}.", where)
        values = ProductAttributeValue.filter(attribute_id=attribute.id)
        if attribute.type == AttributeType.CHOICE and wanted.values:
            values = values.filter(choice__code__in=wanted.values)
        elif attribute.type == AttributeType.TEXT and wanted.values:
            values = values.filter(text_value__in=wanted.values)
        elif attribute.type == AttributeType.NUMBER and (wanted.gte is not None or wanted.lte is not None):
            if wanted.gte is not None:
                values = values.filter(number_value__gte=wanted.gte)
            if wanted.lte is not None:
                values = values.filter(number_value__lte=wanted.lte)
        elif attribute.type == AttributeType.BOOLEAN and wanted.boolean is not None:
            values = values.filter(boolean_value=wanted.boolean)
        else:
            raise DomainError(
                "INVALID_FILTER", f"Give values that fit the {attribute.type} attribute {wanted.code!r}.", where
            )
        queryset = queryset.filter(id__in=Subquery(values.values("product_id")))
    return queryset


async def list_products(
    brand: Brand, query: ProductQuery, request: PageRequest, *, default_size: int, max_size: int
) -> Page[ProductRow]:
    if query.sort in (ProductSort.NAME, ProductSort.CREATED) and not query.filtered:
        return await _unfiltered(brand, query, request, default_size=default_size, max_size=max_size)
    queryset = await filtered_products(brand, query)
    if query.sort == ProductSort.PRICE:
        return await _by_price(queryset, query, request, default_size=default_size, max_size=max_size)
    if query.sort == ProductSort.RELEVANCE:
        if not (query.search and query.search.strip()):
            raise DomainError("INVALID_SORT", "Sorting by relevance needs a search.", "sort_by")
        return await _by_relevance(brand, queryset, query, request, default_size=default_size, max_size=max_size)
    page = await paginate(
        queryset.select_related("category"),
        request,
        order=_order(query),
        key=_key(query),
        default_size=default_size,
        max_size=max_size,
    )
    return _as_rows(page, [ProductRow.from_model(p) for p in page.items])


def _order(query: ProductQuery) -> tuple[str, str]:
    sign = "-" if query.descending else ""
    column = "created_at" if query.sort == ProductSort.CREATED else "name"
    return f"{sign}{column}", f"{sign}id"


def _key(query: ProductQuery) -> str:
    return f"products:{query.sort}:{'-' if query.descending else '+'}"


def _as_rows(page: Page, items: list[ProductRow]) -> Page[ProductRow]:
    return Page(items, page.cursors, page.has_next_page, page.has_previous_page, page.count)


UNFILTERED_SQL = """
SELECT {columns}
FROM product p LEFT JOIN category c ON c.id = p.category_id
WHERE p.brand_id = {p} AND p.status = {p} AND (p.published_at IS NULL OR p.published_at <= {p}){keyset}
ORDER BY {order}
LIMIT {p}
"""


async def _unfiltered(
    brand: Brand, query: ProductQuery, request: PageRequest, *, default_size: int, max_size: int
) -> Page[ProductRow]:
    """What `paginate` answers for `visible_products(brand)` in `_order(query)`, from one hand-written
    statement: the same conditions, the same keyset condition (`pagination._after`) and the same cursors."""
    size, backwards = request.validated(default_size=default_size, max_size=max_size)
    order, key = _order(query), _key(query)
    effective = [_flip(name) for name in order] if backwards else list(order)
    params: list[Any] = [brand.id, ProductStatus.PUBLISHED.value, datetime.now(UTC)]
    keyset = ""
    for cursor, directions in (
        (request.before if backwards else request.after, effective),
        (request.after if backwards else request.before, [_flip(name) for name in effective]),
    ):
        if cursor is not None:
            condition, values = _after_sql(directions, decode_cursor(cursor, key, Product, order))
            keyset += f" AND {condition}"
            params += values
    base = visible_products(brand)

    async def count() -> int:
        return await base.count()

    rows: list[ProductRow] = []
    if size:
        conn = get_connection("default")
        sql = UNFILTERED_SQL.format(
            columns=PRODUCT_COLUMNS,
            p="{p}",
            keyset=keyset,
            order=", ".join(f"p.{name.lstrip('-')} {'DESC' if name.startswith('-') else 'ASC'}" for name in effective),
        )
        _, found = await conn.execute_query(_numbered(sql, conn.capabilities.dialect), [*params, size + 1])
        rows = [product_row(tuple(row)) for row in found]  # sqlite3.Row or asyncpg Record: by position
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return Page(
        items=rows,
        cursors=[encode_cursor(key, [getattr(row, name.lstrip("-")) for name in order]) for row in rows],
        has_next_page=more if not backwards else request.before is not None,
        has_previous_page=more if backwards else request.after is not None,
        count=count,
    )


def _flip(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def _after_sql(order: list[str], values: list[Any]) -> tuple[str, list[Any]]:
    """Rows strictly after `values` in `order`, as `pagination._after` says it: (a > va) OR (a = va AND b > vb)."""
    clauses: list[str] = []
    params: list[Any] = []
    for i, name in enumerate(order):
        equal = [f"p.{order[j].lstrip('-')} = {{p}}" for j in range(i)]
        op = "<" if name.startswith("-") else ">"
        clauses.append("(" + " AND ".join([*equal, f"p.{name.lstrip('-')} {op} {{p}}"]) + ")")
        params += [*values[:i], values[i]]
    return "(" + " OR ".join(clauses) + ")", params


def _numbered(sql: str, dialect: str) -> str:
    """`{p}` placeholders as the driver wants them: `$1`, `$2`… for asyncpg, `?` for SQLite."""
    if dialect != "postgres":
        return sql.replace("{p}", "?")
    parts = sql.split("{p}")
    return "".join(part + (f"${i}" if i < len(parts) else "") for i, part in enumerate(parts, 1))


async def _by_price(
    products: QuerySet[Product], query: ProductQuery, request: PageRequest, *, default_size: int, max_size: int
) -> Page[ProductRow]:
    sign = "-" if query.descending else ""
    prices = ProductPrice.filter(currency=query.currency, product_id__in=Subquery(products.values("id")))
    page = await paginate(
        prices,
        request,
        order=(f"{sign}min_amount", f"{sign}product_id"),
        key=f"products:PRICE:{query.currency}:{sign or '+'}",
        default_size=default_size,
        max_size=max_size,
    )
    found = {
        p.id: p for p in await Product.filter(id__in=[row.product_id for row in page.items]).select_related("category")
    }
    items = [ProductRow.from_model(found[row.product_id]) for row in page.items if row.product_id in found]
    return Page(items, page.cursors, page.has_next_page, page.has_previous_page, page.count)


async def _by_relevance(
    brand: Brand,
    products: QuerySet[Product],
    query: ProductQuery,
    request: PageRequest,
    *,
    default_size: int,
    max_size: int,
) -> Page[ProductRow]:
    """Rank order comes from the search index; the cursor holds (position in that order, id)."""
    from core.catalog import search

    size, backwards = request.validated(default_size=default_size, max_size=max_size)
    allowed = set(await products.values_list("id", flat=True))
    ranked = [product_id for product_id, _ in await search.ranked_matches(brand.id, query.search or "")]
    ranked = [product_id for product_id in ranked if product_id in allowed]
    key = "products:RELEVANCE"
    start, stop = 0, len(ranked)
    if request.after:
        position, _ = decode_positions(request.after, key, 2)
        start = position + 1
    if request.before:
        position, _ = decode_positions(request.before, key, 2)
        stop = position
    window = list(range(start, stop))
    chosen = window[-size:] if backwards else window[:size]
    found = {p.id: p for p in await Product.filter(id__in=[ranked[i] for i in chosen]).select_related("category")}

    async def count() -> int:
        return len(ranked)

    return Page(
        items=[ProductRow.from_model(found[ranked[i]]) for i in chosen],
        cursors=[encode_cursor(key, [i, ranked[i]]) for i in chosen],
        has_next_page=bool(chosen) and chosen[-1] + 1 < len(ranked) if not backwards else request.before is not None,
        has_previous_page=bool(chosen) and chosen[0] > 0 if backwards else request.after is not None,
        count=count,
    )


async def categories(brand: Brand) -> list[Category]:
    return list(await Category.filter(brand_id=brand.id).order_by("path", "position", "id"))


async def collection_by_slug(brand: Brand, slug: str) -> Collection | None:
    return await Collection.get_or_none(brand_id=brand.id, slug=slug, is_published=True)
