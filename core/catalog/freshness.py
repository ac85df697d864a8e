"""Catalog versions: a counter per brand (and one for platform-wide catalog data) that every catalog change
moves on, so that anything remembered about a storefront (the response cache) can tell it is out of date.

The one hook is `core.events.emit`: every catalog write already records its event there, in its transaction,
so `changed` sees each of them without a call sprinkled through the services. A version must move only once the
change is committed: moved earlier, a reader that started between the move and the commit would read the old
rows and remember them under the new version. So a unit of work (a GraphQL request, a job) runs inside
`collecting()`, which gathers the brands its events touched and moves their versions when it ends, after its
transactions committed. A change made outside any such unit (a script, a test calling a service) moves the
version at once; the small window that leaves is bounded, like everything here, by the cache's TTL.

Changes that are not catalog edits but move stock, orders being placed or cancelled, move no version: a page
then shows `quantityAvailable` at most one TTL late, checkout never reads a cache, and a brand taking a hundred
orders a second keeps its cache. Versions live in this process (`MemoryVersions`) or in Redis
(`RedisVersions`), where every worker and `server.py worker` process reads and moves the same counters.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Protocol

logger = logging.getLogger("lini.cache")

GLOBAL = "global"  # the key of platform-wide catalog data (exchange rates, fabrics, garment types)

# Event types that change what a storefront shows: by prefix, or exactly.
CATALOG_PREFIXES = (
    "product.",
    "stock.",
    "attribute.",
    "category.",
    "collection.",
    "brand.",
    "tax_rate.",
    "exchange_rate.",
    "fabric.",
    "garment_type.",
    "supplier.",
    "trim.",
)


def is_catalog_event(type: str) -> bool:
    return type.startswith(CATALOG_PREFIXES)


def brand_key(brand_id: int) -> str:
    return f"brand:{brand_id}"


class Versions(Protocol):
    """Where versions are counted. `get` answers 0 for a key never moved."""

    async def get(self, keys: Sequence[str]) -> list[int]: ...

    async def bump(self, keys: Iterable[str]) -> None: ...


class MemoryVersions:
    """This process's counters: other processes do not see them move (their caches age out within the TTL)."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    async def get(self, keys: Sequence[str]) -> list[int]:
        return [self.counters.get(key, 0) for key in keys]

    async def bump(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.counters[key] = self.counters.get(key, 0) + 1


class RedisVersions:
    """Counters in Redis (`INCR`), shared by every process using the same URL and prefix. The keys never expire:
    a counter that went back to 0 could make an entry remembered at 0 look current again."""

    def __init__(self, client: object, prefix: str) -> None:
        self.client = client
        self.prefix = f"{prefix}:cache:version:"

    async def get(self, keys: Sequence[str]) -> list[int]:
        values = await self.client.mget([self.prefix + key for key in keys])  # type: ignore[attr-defined]
        return [int(value) if value is not None else 0 for value in values]

    async def bump(self, keys: Iterable[str]) -> None:
        for key in keys:
            await self.client.incr(self.prefix + key)  # type: ignore[attr-defined]


# The version stores of this process (a server registers its own; two apps in one test process, two).
_stores: list[Versions] = []


class _Changes(set[str]):
    """The keys changed by one unit of work. `closed` once it ended: a task it started that writes later (and
    inherited this set with its context) moves its versions itself."""

    closed = False


# The changes of the current unit of work, moved when it ends; None outside one.
_pending: ContextVar[_Changes | None] = ContextVar("lini_catalog_changes", default=None)


@asynccontextmanager
async def publishing_to(store: Versions) -> AsyncIterator[Versions]:
    """Make `store` hear every catalog change of this process while the block runs."""
    _stores.append(store)
    try:
        yield store
    finally:
        _stores.remove(store)


@asynccontextmanager
async def collecting() -> AsyncIterator[set[str]]:
    """Gather the catalog changes of the block and move their versions once it is over (committed), even when it
    failed (a rolled-back change moves a version for nothing, which costs one cache miss)."""
    outer = _pending.get()
    if outer is not None and not outer.closed:  # already inside a unit of work: its end moves them
        yield outer
        return
    changed = _Changes()
    token = _pending.set(changed)
    try:
        yield changed
    finally:
        changed.closed = True
        _pending.reset(token)
        if changed:
            await _bump(set(changed))


async def changed(type: str, brand_id: int | None) -> None:
    """Called by `emit` for every event: a catalog event moves its brand's version (or the global one)."""
    if not _stores or not is_catalog_event(type):
        return
    key = brand_key(brand_id) if brand_id is not None else GLOBAL
    pending = _pending.get()
    if pending is not None and not pending.closed:
        pending.add(key)
    else:
        await _bump({key})


async def _bump(keys: set[str]) -> None:
    for store in list(_stores):
        try:
            await store.bump(sorted(keys))
        except Exception as error:  # a failing Redis must not fail a committed write; entries age out instead
            logger.error("catalog versions not moved (%s): %r; cached pages expire within the TTL", keys, error)
