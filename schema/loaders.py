"""Per-request dataloaders: each batches the lookups of one GraphQL response into one query."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from core.catalog import services as catalog
from core.catalog.models import Variant, VariantPrice

K = TypeVar("K")
V = TypeVar("V")


def grouped_loader(fetch: Callable[[Iterable[K]], Awaitable[Mapping[K, list[V]]]]) -> DataLoader[K, list[V]]:
    async def load(keys: list[K]) -> list[list[V]]:
        found = await fetch(keys)
        return [found.get(key, []) for key in keys]

    return DataLoader(load_fn=load)


class Loaders:
    def __init__(self) -> None:
        self.variants_by_product: DataLoader[int, list[Variant]] = grouped_loader(catalog.variants_by_product)
        self.prices_by_variant: DataLoader[int, list[VariantPrice]] = grouped_loader(catalog.prices_by_variant)
        self.extra: dict[str, Any] = {}
