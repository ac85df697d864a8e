"""Rate limits per client address, per bearer token and per operation class, counted by the `limits` library
in this process's memory or, when `[rate_limits] redis_url_env` names a set variable, in Redis shared by
every process.

A limit that cannot be counted (Redis down or slow) lets the request through and logs a warning, and for the
next few seconds nothing is counted, so an outage does not cost every request a time-out: the limits protect
capacity, while sign-ins keep their own lock in the database (`core.auth.throttle`), so a Redis outage costs
neither the shop nor its accounts.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import STRATEGIES, RateLimiter
from limits.errors import StorageError

from core.settings import RateLimitSettings, SettingsError

logger = logging.getLogger("lini.ratelimits")
REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://")
# Seconds a Redis command may take before the request goes on without it.
REDIS_TIMEOUT = 0.5
WARN_EVERY = 60.0
# Seconds nothing is counted after the storage failed, before it is tried again.
PAUSE_AFTER_FAILURE = 5.0
# limits' STRATEGIES holds concrete classes, but its inferred type says `type[RateLimiter]`, which mypy refuses
# to instantiate (the class is abstract); what is used of it is a constructor from a storage to a limiter.
STRATEGY: Mapping[str, Callable[[Storage], RateLimiter]] = STRATEGIES


class LimitClass(StrEnum):
    """What is counted; each value names its `[rate_limits]` setting."""

    PER_IP = "per_ip"
    PER_TOKEN = "per_token"
    LOGIN = "login"
    REGISTRATION = "registration"
    PASSWORD_RESET = "password_reset"
    CHECKOUT_WRITE = "checkout_write"
    QUERY = "query"


@dataclass(frozen=True)
class Exceeded:
    """A refused request: which limit, and how many seconds until it is worth trying again."""

    limit: LimitClass
    retry_after: int

    @property
    def message(self) -> str:
        return f"Too many requests ({self.limit.value.replace('_', ' ')}). Try again in {self.retry_after} seconds."


def address_key(address: str) -> str:
    return f"ip:{address or 'unknown'}"


def token_key(bearer: str) -> str:
    """A token is counted by its hash: Redis never holds a usable credential."""
    return "token:" + hashlib.sha256(bearer.encode()).hexdigest()[:32]


class RateLimits:
    """The configured limits and where they are counted; one per app, shared by its requests."""

    def __init__(self, settings: RateLimitSettings, *, redis_url: str = "") -> None:
        self.enabled = settings.enabled
        self.redis_url = redis_url
        self.storage: Storage = (
            RedisStorage(
                "async+" + redis_url,
                wrap_exceptions=True,
                key_prefix=settings.key_prefix,
                stream_timeout=REDIS_TIMEOUT,
                connect_timeout=REDIS_TIMEOUT,
            )
            if redis_url
            else MemoryStorage(wrap_exceptions=True)
        )
        self.strategy: RateLimiter = STRATEGY[settings.strategy](self.storage)
        self.rules: dict[LimitClass, list[RateLimitItem]] = {
            limit: parse_many(value) for limit in LimitClass if (value := getattr(settings, limit.value))
        }
        self._warned_at = -math.inf
        self._paused_until = -math.inf

    @classmethod
    def from_settings(cls, settings: RateLimitSettings, env: Mapping[str, str] | None = None) -> RateLimits:
        """Resolve the Redis URL from the environment; a named but unset variable stops the start."""
        env = os.environ if env is None else env
        if not settings.redis_url_env:
            return cls(settings)
        url = env.get(settings.redis_url_env, "").strip()
        if not url:
            raise SettingsError(
                f"[rate_limits] redis_url_env: the environment variable {settings.redis_url_env} is not set "
                '(set it to redis://host:6379/0, or set redis_url_env = "" to count limits in memory)'
            )
        if not url.startswith(REDIS_SCHEMES):
            raise SettingsError(
                f"[rate_limits] redis_url_env: {settings.redis_url_env} must hold a redis:// or rediss:// URL"
            )
        return cls(settings, redis_url=url)

    @property
    def backend(self) -> str:
        return "redis" if self.redis_url else "memory"

    async def hit(self, limit: LimitClass, key: str, cost: int = 1) -> Exceeded | None:
        """Count `cost` requests of `limit` for `key`; the first window that is full refuses them."""
        if not self.enabled or cost <= 0 or time.monotonic() < self._paused_until:
            return None
        for item in self.rules.get(limit, ()):
            try:
                if await self.strategy.hit(item, limit.value, key, cost=cost):
                    continue
                stats = await self.strategy.get_window_stats(item, limit.value, key)
            except (StorageError, OSError, TimeoutError) as error:
                self._failed(error)
                return None
            return Exceeded(limit, max(1, math.ceil(stats.reset_time - time.time())))
        return None

    async def hit_all(self, hits: Mapping[LimitClass, tuple[str, int]]) -> Exceeded | None:
        """Several limits for one request, in order; the first refusal wins (later ones are not counted)."""
        for limit, (key, cost) in hits.items():
            if exceeded := await self.hit(limit, key, cost):
                return exceeded
        return None

    def _failed(self, error: Exception) -> None:
        now = time.monotonic()
        self._paused_until = now + PAUSE_AFTER_FAILURE
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            logger.warning(
                "rate limits are not counted (%s storage failing: %r); letting requests through", self.backend, error
            )

    async def reset(self) -> None:
        """Forget every count (tests, and an operator lifting a mistaken block)."""
        await self.storage.reset()

    async def close(self) -> None:
        if isinstance(self.storage, RedisStorage):
            client = getattr(self.storage.bridge, "storage", None)
            pool = getattr(client, "connection_pool", None)
            if pool is not None:
                pool.disconnect()
