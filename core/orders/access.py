"""Reaching an order: brand-scoped for staff, and locked for the length of a transaction that changes it."""

from __future__ import annotations

from core.auth.permissions import Permission
from core.context import Actor
from core.orders.models import Order


async def load_order(actor: Actor, order_id: int) -> Order:
    """The order, once the actor may manage its brand's orders; someone else's order and a missing one are
    refused alike (FORBIDDEN), so order IDs cannot be probed."""
    order = await Order.get_or_none(id=order_id)
    actor.require(order.brand_id if order else -1, Permission.MANAGE_ORDERS)
    assert order is not None
    return order


async def locked(order_id: int) -> Order:
    """The order re-read inside the caller's transaction, its row locked on PostgreSQL until commit.

    SQLite ignores the lock, but runs one transaction at a time per process, so the re-read is just as current.
    """
    return await Order.filter(id=order_id).select_for_update().get()
