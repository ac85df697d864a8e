"""Per-request dataloaders: each batches the lookups of one GraphQL response into one query."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class Wanted:
    """Which relations of a page of products the query asks for (directly or through a computed field)."""

    variants: bool = False
    prices: bool = False
    stock: bool = False
    media: bool = False
    attributes: bool = False


@dataclass
class Preloaded:
    """Rows a list field loaded for its whole page before the nested fields run, keyed by product or variant id.

    Nested fields read these synchronously (no coroutine, future or dataloader per field); a missing key means
    "not loaded", and the field falls back to its dataloader.
    """

    variants: dict[int, list[Variant]] = field(default_factory=dict)
    prices: dict[int, list[VariantPrice]] = field(default_factory=dict)
    stock: dict[int, int | None] = field(default_factory=dict)
    media: dict[int, list[ProductMedia]] = field(default_factory=dict)
    attributes: dict[int, list[ProductAttributeValue]] = field(default_factory=dict)

    async def load(self, product_ids: list[int], wanted: Wanted) -> None:
        """One statement per wanted relation, whatever the page size; independent ones run concurrently."""
        jobs: list[Awaitable[None]] = []
        if wanted.variants or wanted.prices or wanted.stock:
            jobs.append(self._load_variants(product_ids, wanted))
        if wanted.media:
            jobs.append(self._load_media(product_ids))
        if wanted.attributes:
            jobs.append(self._load_attributes(product_ids))
        await asyncio.gather(*jobs)

    async def _load_variants(self, product_ids: list[int], wanted: Wanted) -> None:
        found = await catalog.variants_by_product(product_ids)
        for product_id in product_ids:
            self.variants[product_id] = found.get(product_id, [])
        variant_ids = [v.id for product_id in product_ids for v in self.variants[product_id]]
        jobs: list[Awaitable[None]] = []
        if wanted.prices:
            jobs.append(self._load_prices(variant_ids))
        if wanted.stock:
            jobs.append(self._load_stock(variant_ids))
        await asyncio.gather(*jobs)

    async def _load_prices(self, variant_ids: list[int]) -> None:
        found = await catalog.prices_by_variant(variant_ids)
        self.prices.update((variant_id, found.get(variant_id, [])) for variant_id in variant_ids)

    async def _load_stock(self, variant_ids: list[int]) -> None:
        found = await _stock(variant_ids)
        self.stock.update((variant_id, found.get(variant_id)) for variant_id in variant_ids)

    async def _load_media(self, product_ids: list[int]) -> None:
        found = await _media(product_ids)
        self.media.update((product_id, found.get(product_id, [])) for product_id in product_ids)

    async def _load_attributes(self, product_ids: list[int]) -> None:
        found = await _attribute_values(product_ids)
        self.attributes.update((product_id, found.get(product_id, [])) for product_id in product_ids)


class Loaders:
    def __init__(self) -> None:
        self.preloaded = Preloaded()
        self.variants_by_product: DataLoader[int, list[Variant]] = grouped_loader(catalog.variants_by_product)
        self.prices_by_variant: DataLoader[int, list[VariantPrice]] = grouped_loader(catalog.prices_by_variant)
        self.attributes_by_product: DataLoader[int, list[ProductAttributeValue]] = grouped_loader(_attribute_values)
        self.media_by_product: DataLoader[int, list[ProductMedia]] = grouped_loader(_media)
        self.stock_by_variant: DataLoader[int, int | None] = single_loader(_stock)
        self.category: DataLoader[int, Category | None] = single_loader(_categories)
        self.extra: dict[str, Any] = {}
