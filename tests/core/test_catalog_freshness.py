"""Catalog versions move after the unit of work that changed the catalog, never before its end."""

from __future__ import annotations

import asyncio

from core.catalog import freshness
from core.catalog.freshness import GLOBAL, MemoryVersions, brand_key


async def test_a_unit_of_work_moves_its_versions_when_it_ends():
    store = MemoryVersions()
    async with freshness.publishing_to(store):
        async with freshness.collecting():
            await freshness.changed("product.updated", 7)
            await freshness.changed("stock.updated", 7)
            await freshness.changed("exchange_rate.set", None)
            async with freshness.collecting():  # nested: the outer end moves them
                await freshness.changed("category.created", 8)
            assert await store.get([brand_key(7), brand_key(8), GLOBAL]) == [0, 0, 0]
        assert await store.get([brand_key(7), brand_key(8), GLOBAL]) == [1, 1, 1]
        await freshness.changed("collection.updated", 7)  # outside a unit of work: at once
        assert await store.get([brand_key(7)]) == [2]
    await freshness.changed("product.updated", 7)  # no store listens any more
    assert await store.get([brand_key(7)]) == [2]


async def test_other_events_move_nothing():
    store = MemoryVersions()
    async with freshness.publishing_to(store):
        for type in ("ORDER_CREATED", "ORDER_CANCELLED", "webhook.created", "account.registered", "voucher.created"):
            await freshness.changed(type, 7)
    assert store.counters == {}


async def test_a_task_outliving_its_unit_of_work_moves_its_own_changes():
    store = MemoryVersions()
    started = asyncio.Event()
    done = asyncio.Event()

    async def later() -> None:
        await started.wait()
        await freshness.changed("product.updated", 3)
        done.set()

    async with freshness.publishing_to(store):
        async with freshness.collecting():
            task = asyncio.ensure_future(later())  # inherits the unit's changes with its context
        started.set()
        await done.wait()
        await task
        assert await store.get([brand_key(3)]) == [1]
