"""Cancelling an order, by staff or because its payment never came: stock back on the shelf, made-to-measure
jobs called off (uncut fabric back in stock), pending payments called off, and what was already paid refunded
through its gateway.

The stock and state change is one transaction; the refund is a network call, so it runs after the commit
(`core.orders.refunds`), keyed so that retrying it cannot pay twice.
"""

from __future__ import annotations

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.catalog.models import Stock
from core.context import Actor
from core.garments import production, production_events
from core.orders.access import load_order, locked
from core.orders.events import order_changed
from core.orders.models import Order, OrderLine, OrderStatus
from core.orders.refunds import refund_outstanding
from core.orders.states import check_transition, transition
from core.payments.models import Payment, PaymentState
from core.plugins import PluginHost
from core.vouchers import services as vouchers

OPEN_PAYMENTS = (PaymentState.PENDING, PaymentState.ACTION_REQUIRED, PaymentState.AUTHORIZED)


async def release_stock(order: Order) -> dict[int, int]:
    """Put back every unit not yet shipped; returns {variant_id: units}. One UPDATE per variant, relative
    to the current quantity, so it never overwrites a concurrent sale or stock count."""
    released: dict[int, int] = {}
    for line in await OrderLine.filter(order_id=order.id):
        units = line.quantity - line.quantity_shipped
        if line.variant_id is not None and units > 0:
            released[line.variant_id] = released.get(line.variant_id, 0) + units
    for variant_id, units in released.items():
        await Stock.filter(variant_id=variant_id).update(quantity=F("quantity") + units)
    return released


async def cancel_locked(order: Order, actor: Actor, *, host: PluginHost | None, message: str) -> Order:
    """Cancel inside the caller's transaction; `order` must come from `locked()`."""
    await transition(order, OrderStatus.CANCELLED, actor, host=host, message=message)
    released = await release_stock(order)
    fabric = await production.cancel_jobs(order, actor)
    if order.voucher_id is not None:  # the use counted at completion goes back with the order
        buyer = f"user:{order.user_id}" if order.user_id is not None else f"email:{order.email.lower()}"
        await vouchers.release(order.voucher_id, buyer if order.user_id or order.email else None)
    await Payment.filter(order_id=order.id, state__in=OPEN_PAYMENTS).update(state=PaymentState.CANCELLED)
    await order_changed(
        order,
        "ORDER_CANCELLED",
        {
            "reason": message,
            "releasedStock": [{"variantId": v, "quantity": q} for v, q in released.items()],
            "releasedFabric": [{"fabricId": f, "metres": str(m)} for f, m in fabric.items()],
        },
    )
    return order


async def cancel(actor: Actor, order_id: int, *, host: PluginHost | None, reason: str = "") -> Order:
    """Staff cancel an order that has not shipped; anything paid is refunded through the gateway."""
    order = await load_order(actor, order_id)
    check_transition(order, OrderStatus.CANCELLED, host=host)
    async with in_transaction():
        order = await locked(order.id)
        await cancel_locked(order, actor, host=host, message=reason or "Cancelled by staff.")
    if host is not None:
        await production_events.deliver_pending(host)
    await refund_outstanding(order, actor, host=host, key=f"cancel:{order.id}", reason="Order cancelled.")
    return await Order.get(id=order.id)
