"""Reading the catalog as a storefront sees it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from core.actors.models import Brand
from core.catalog.listing import visible_products
from core.catalog.models import Product, ProductStatus, Variant, VariantPrice


def storefront_products(brand: Brand, *, search: str | None = None) -> QuerySet[Product]:
    """Published products of a brand, optionally narrowed by a case-insensitive substring."""
    queryset = visible_products(brand)
    text = (search or "").strip()
    if text:
        skus = Variant.filter(brand_id=brand.id, sku__icontains=text).values("product_id")
        queryset = queryset.filter(Q(name__icontains=text) | Q(description__icontains=text) | Q(id__in=Subquery(skus)))
    return queryset


async def storefront_product(brand: Brand, slug: str) -> Product | None:
    return await visible_products(brand).get_or_none(slug=slug)


async def published_products_by_ids(ids: Iterable[int]) -> dict[int, Product]:
    """Products of variants already scoped to a brand (a checkout's lines): those a shopper may still see."""
    now = datetime.now(UTC)
    rows = await Product.filter(id__in=list(ids), status=ProductStatus.PUBLISHED).filter(
        Q(published_at__isnull=True) | Q(published_at__lte=now)
    )
    return {row.id: row for row in rows}


async def products_by_ids(brand: Brand, ids: Iterable[int]) -> dict[int, Product]:
    rows = await visible_products(brand).filter(id__in=list(ids))
    return {row.id: row for row in rows}


async def variants_by_product(product_ids: Iterable[int]) -> dict[int, list[Variant]]:
    grouped: dict[int, list[Variant]] = defaultdict(list)
    for variant in await Variant.filter(product_id__in=list(product_ids)).order_by("position", "id"):
        grouped[variant.product_id].append(variant)
    return grouped


async def prices_by_variant(variant_ids: Iterable[int]) -> dict[int, list[VariantPrice]]:
    grouped: dict[int, list[VariantPrice]] = defaultdict(list)
    for price in await VariantPrice.filter(variant_id__in=list(variant_ids)).order_by("currency"):
        grouped[price.variant_id].append(price)
    return grouped
