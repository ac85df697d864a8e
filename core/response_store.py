"""Where the response cache keeps its entries and catalog versions: this process's memory, or Redis.

`[cache] redis_url_env` names the variable holding the URL, as `[rate_limits]` does; a named but unset variable
stops the start. Redis failing is not an outage: a lookup that fails is a miss, a store that fails is skipped,
and the next tries wait `PAUSE_AFTER_FAILURE` seconds so a dead Redis does not add a timeout to every request.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from core.catalog.freshness import MemoryVersions, RedisVersions, Versions
from core.settings import CacheSettings, SettingsError

logger = logging.getLogger("lini.cache")

REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://")
PAUSE_AFTER_FAILURE = 5.0


class Entries(Protocol):
    """Opaque bytes under a key, each gone after its own lifetime."""

    async def get(self, key: str) -> bytes | None: ...

    async def put(self, key: str, value: bytes, ttl_seconds: float) -> None: ...

    async def clear(self) -> None: ...


class MemoryEntries:
    """A least-recently-used map bounded by the bytes it holds; an entry past its lifetime is never answered."""

    def __init__(self, max_bytes: int, clock: Any = time.monotonic) -> None:
        self.max_bytes = max_bytes
        self.clock = clock
        self.size = 0
        self.entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    async def get(self, key: str) -> bytes | None:
        found = self.entries.get(key)
        if found is None:
            return None
        expires, value = found
        if self.clock() >= expires:
            self._drop(key)
            return None
        self.entries.move_to_end(key)
        return value

    async def put(self, key: str, value: bytes, ttl_seconds: float) -> None:
        if key in self.entries:
            self._drop(key)
        self.entries[key] = (self.clock() + ttl_seconds, value)
        self.size += len(value)
        while self.size > self.max_bytes and self.entries:
            self._drop(next(iter(self.entries)))

    async def clear(self) -> None:
        self.entries.clear()
        self.size = 0

    def _drop(self, key: str) -> None:
        _, value = self.entries.pop(key)
        self.size -= len(value)


class RedisEntries:
    """Entries in Redis with `PX` lifetimes, shared by every process using the same URL and prefix."""

    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.prefix = f"{prefix}:cache:entry:"

    async def get(self, key: str) -> bytes | None:
        value = await self.client.get(self.prefix + key)
        return bytes(value) if value is not None else None

    async def put(self, key: str, value: bytes, ttl_seconds: float) -> None:
        await self.client.set(self.prefix + key, value, px=max(1, int(ttl_seconds * 1000)))

    async def clear(self) -> None:
        keys = [key async for key in self.client.scan_iter(match=self.prefix + "*")]
        if keys:
            await self.client.delete(keys)


@dataclass
class ResponseStore:
    """The entries and versions of one process, with the pause after a failure."""

    entries: Entries
    versions: Versions
    backend: str
    client: Any = None
    _paused_until: float = -math.inf
    _warned_at: float = -math.inf

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._paused_until

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        self._paused_until = now + PAUSE_AFTER_FAILURE
        if now - self._warned_at >= 60:
            self._warned_at = now
            logger.warning("response cache unavailable (%s failing: %r); answering uncached", self.backend, error)

    async def close(self) -> None:
        if self.client is not None:
            pool = getattr(self.client, "connection_pool", None)
            if pool is not None:
                pool.disconnect()


def open_store(settings: CacheSettings, env: Mapping[str, str] | None = None) -> ResponseStore:
    """This process's store for `[cache]`: in memory, or in Redis when `redis_url_env` names a set variable."""
    url = redis_url(settings, env)
    if not url:
        return ResponseStore(MemoryEntries(settings.max_memory_bytes), MemoryVersions(), "memory")
    # imported here, not at the top: ~150 ms and ~45 MB (numpy, through pympler) a process without Redis never needs
    import coredis

    client = coredis.Redis.from_url(url, decode_responses=False)
    return ResponseStore(
        RedisEntries(client, settings.key_prefix), RedisVersions(client, settings.key_prefix), "redis", client
    )


def redis_url(settings: CacheSettings, env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    if not settings.redis_url_env:
        return ""
    url = env.get(settings.redis_url_env, "").strip()
    if not url:
        raise SettingsError(
            f"[cache] redis_url_env: the environment variable {settings.redis_url_env} is not set "
            '(set it to redis://host:6379/0, or set redis_url_env = "" to cache in memory)'
        )
    if not url.startswith(REDIS_SCHEMES):
        raise SettingsError(f"[cache] redis_url_env: {settings.redis_url_env} must hold a redis:// or rediss:// URL")
    return url
