"""Per-request dataloaders: each batches the lookups of one GraphQL response into one query."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from core.catalog import rows
from core.catalog import services as catalog
from core.catalog.models import Category, Product
from core.catalog.rows import AttributeValueRow, MediaRow, PriceRow, VariantRow

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
    """Rows a list field loaded for its whole page before the nested fields run, keyed by product id.

    Plain rows (core.catalog.rows), not model instances. The variants carry their prices and stock when the
    page asks for them (one statement for all three). Nested fields read these synchronously (no coroutine,
    future or dataloader per field); a missing key means "not loaded", and the field falls back to its
    dataloader.
    """

    variants: dict[int, list[VariantRow]] = field(default_factory=dict)
    media: dict[int, list[MediaRow]] = field(default_factory=dict)
    attributes: dict[int, list[AttributeValueRow]] = field(default_factory=dict)

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
        found = await rows.variants_by_product(product_ids, with_prices=wanted.prices, with_stock=wanted.stock)
        self.variants.update((product_id, found.get(product_id, [])) for product_id in product_ids)

    async def _load_media(self, product_ids: list[int]) -> None:
        found = await rows.media_by_product(product_ids)
        self.media.update((product_id, found.get(product_id, [])) for product_id in product_ids)

    async def _load_attributes(self, product_ids: list[int]) -> None:
        found = await rows.attribute_values_by_product(product_ids)
        self.attributes.update((product_id, found.get(product_id, [])) for product_id in product_ids)


class Loaders:
    def __init__(self) -> None:
        self.preloaded = Preloaded()
        # Outside a list (`product(slug)`, `node`): the same rows, batched per response.
        self.variants_by_product: DataLoader[int, list[VariantRow]] = grouped_loader(rows.variants_by_product)
        self.prices_by_variant: DataLoader[int, list[PriceRow]] = grouped_loader(rows.prices_by_variant)
        self.attributes_by_product: DataLoader[int, list[AttributeValueRow]] = grouped_loader(
            rows.attribute_values_by_product
        )
        self.media_by_product: DataLoader[int, list[MediaRow]] = grouped_loader(rows.media_by_product)
        self.stock_by_variant: DataLoader[int, int | None] = single_loader(rows.stock_by_variant)
        self.category: DataLoader[int, Category | None] = single_loader(_categories)
        # A variant's product (`ProductVariant.product`, e.g. a checkout's lines): one statement per response.
        self.published_product: DataLoader[int, Product | None] = single_loader(catalog.published_products_by_ids)
        self.extra: dict[str, Any] = {}
