"""Cancelling an order, by staff or because its payment never came: stock back on the shelf, made-to-measure
jobs called off (garments hear `OrderCancelled`), pending payments called off, and what was already paid
refunded through its gateway.

The stock and state change is one transaction (`core.orders.lifecycle.cancel`); the refund is a network call,
so it runs after the commit (`core.orders.refunds`), keyed so that retrying it cannot pay twice.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from core.context import Actor
from core.orders import lifecycle
from core.orders.access import load_order, locked
from core.orders.lifecycle import release_stock
from core.orders.models import Order, OrderStatus
from core.orders.refunds import refund_outstanding
from core.orders.states import check_transition
from core.outbox import after_commit
from core.plugins import PluginHost

__all__ = ["cancel", "cancel_locked", "release_stock"]


async def cancel_locked(order: Order, actor: Actor, *, host: PluginHost | None, message: str) -> Order:
    """Cancel inside the caller's transaction; `order` must come from `locked()`."""
    return await lifecycle.cancel(order, actor, host=host, message=message)


async def cancel(actor: Actor, order_id: int, *, host: PluginHost | None, reason: str = "") -> Order:
    """Staff cancel an order that has not shipped; anything paid is refunded through the gateway."""
    order = await load_order(actor, order_id)
    check_transition(order, OrderStatus.CANCELLED, host=host)
    async with in_transaction():
        order = await locked(order.id)
        await cancel_locked(order, actor, host=host, message=reason or "Cancelled by staff.")
    await after_commit(host)
    await refund_outstanding(order, actor, host=host, key=f"cancel:{order.id}", reason="Order cancelled.")
    return await Order.get(id=order.id)
