"""Per-request dataloaders: each batches the lookups of one GraphQL response into one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from core.catalog import services as catalog
from core.catalog.models import Category, ProductAttributeValue, ProductMedia, Stock, Variant, VariantPrice

K = TypeVar("K")
V = TypeVar("V")


def grouped_loader(fetch: Callable[[Iterable[K]], Awaitable[Mapping[K, list[V]]]]) -> DataLoader[K, list[V]]:
    async def load(keys: list[K]) -> list[list[V]]:
        found = await fetch(keys)
        return [found.get(key, []) for key in keys]

    return DataLoader(load_fn=load)


def single_loader(fetch: Callable[[Iterable[K]], Awaitable[Mapping[K, V]]]) -> DataLoader[K, V | None]:
    async def load(keys: list[K]) -> list[V | None]:
        found = await fetch(keys)
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load)


async def _attribute_values(product_ids: Iterable[int]) -> dict[int, list[ProductAttributeValue]]:
    grouped: dict[int, list[ProductAttributeValue]] = defaultdict(list)
    rows = await ProductAttributeValue.filter(product_id__in=list(product_ids)).select_related("attribute", "choice")
    for row in sorted(
        rows, key=lambda r: (r.attribute.position, r.attribute.code, r.choice.position if r.choice else 0)
    ):
        grouped[row.product_id].append(row)
    return grouped


async def _media(product_ids: Iterable[int]) -> dict[int, list[ProductMedia]]:
    grouped: dict[int, list[ProductMedia]] = defaultdict(list)
    for row in await ProductMedia.filter(product_id__in=list(product_ids)).order_by("position", "id"):
        grouped[row.product_id].append(row)
    return grouped


async def _stock(variant_ids: Iterable[int]) -> dict[int, int]:
    return dict(await Stock.filter(variant_id__in=list(variant_ids)).values_list("variant_id", "quantity"))


async def _categories(ids: Iterable[int]) -> dict[int, Category]:
    return {c.id: c for c in await Category.filter(id__in=list(ids))}


class Loaders:
    def __init__(self) -> None:
        self.variants_by_product: DataLoader[int, list[Variant]] = grouped_loader(catalog.variants_by_product)
        self.prices_by_variant: DataLoader[int, list[VariantPrice]] = grouped_loader(catalog.prices_by_variant)
        self.attributes_by_product: DataLoader[int, list[ProductAttributeValue]] = grouped_loader(_attribute_values)
        self.media_by_product: DataLoader[int, list[ProductMedia]] = grouped_loader(_media)
        self.stock_by_variant: DataLoader[int, int | None] = single_loader(_stock)
        self.category: DataLoader[int, Category | None] = single_loader(_categories)
        self.extra: dict[str, Any] = {}
