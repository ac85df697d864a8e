"""Domain events, written to an outbox table in the same transaction as the change they describe.

A worker (or a plugin hook, once delivered) reads them after commit; writing them in the same transaction
means an event exists if and only if its change does.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.plugins import PluginHost

logger = logging.getLogger("lini.events")
# One delivery at a time per event loop and hook, so a request and the housekeeping task never hand the same
# event to plugins twice.
_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = weakref.WeakKeyDictionary()
# The hooks whose delivery is running in this context: a plugin's hook that changes an order (a gateway applying
# a capture it made on ORDER_SHIPPED) must not wait for the lock its own delivery holds; the pass picks up what
# it wrote next time.
_delivering: ContextVar[frozenset[str]] = ContextVar("lini_delivering", default=frozenset())
# Which hook hears which events, by type prefix (core.orders.events, core.garments.production_events).
STREAMS = {"ORDER_": "order_event", "PRODUCTION_": "production_event"}


class Event(Model):
    id = fields.BigIntField(primary_key=True)
    type = fields.CharField(max_length=100, db_index=True)
    brand_id = fields.BigIntField(null=True, db_index=True)
    payload: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "event"


async def emit(type: str, payload: dict[str, Any], *, brand_id: int | None = None) -> Event:
    """Record an event; call inside the service's transaction."""
    return await Event.create(type=type, payload=payload, brand_id=brand_id)


async def deliver(host: PluginHost, hook: str, prefix: str, *, limit: int) -> int:
    """Hand undelivered events whose type starts with `prefix` to the plugins' `hook`, oldest first, and mark
    each delivered; one that a plugin fails on stays undelivered and is retried. Returns how many went out.
    Called from inside that hook's own delivery (a plugin's hook changing an order), it returns 0 at once."""
    if hook in _delivering.get():
        return 0
    locks = _locks.setdefault(asyncio.get_running_loop(), {})
    async with locks.setdefault(hook, asyncio.Lock()):
        events = await Event.filter(type__startswith=prefix, delivered_at=None).order_by("id").limit(limit)
        delivered = 0
        entered = _delivering.set(_delivering.get() | {hook})
        try:
            for event in events:
                try:
                    await host.call(hook, event={**event.payload, "id": event.id})
                except Exception:
                    logger.exception("%s for event %s (%s) failed; it will be retried", hook, event.id, event.type)
                    continue
                await Event.filter(id=event.id, delivered_at=None).update(delivered_at=datetime.now(UTC))
                delivered += 1
        finally:
            _delivering.reset(entered)
        return delivered


async def deliver_all(host: PluginHost | None, *, limit: int = 100) -> int:
    """Deliver every stream's undelivered events (order events first, then production events) after a commit
    that may have written both; returns how many went out."""
    if host is None:
        return 0
    return sum([await deliver(host, hook, prefix, limit=limit) for prefix, hook in STREAMS.items()])
