"""Unpaid orders past their payment deadline: cancelled with their stock released, by a function the job
queue's `lini:expire_unpaid_orders` runs every minute (tests/jobs/ runs it through a worker; this file drives
it directly)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.catalog.models import Stock
from core.events import Event
from core.orders.expiry import EXPIRED, cancel_expired_unpaid
from core.orders.models import Order, OrderHistory, OrderLine
from core.payments.models import Payment
from tests.factories import make_brand, make_order

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def stock_of(order: Order) -> list[int]:
    lines = await OrderLine.filter(order_id=order.id).order_by("position")
    return [(await Stock.get(variant_id=line.variant_id)).quantity for line in lines]


async def test_only_unpaid_orders_past_their_deadline_are_cancelled(app):
    brand = await make_brand()
    expired = await make_order(brand, quantities=(2, 1), stock=3, payment_due_at=NOW - timedelta(minutes=1))
    not_yet = await make_order(brand, payment_due_at=NOW + timedelta(minutes=1))
    no_deadline = await make_order(brand)
    paid = await make_order(brand, paid=True, payment_due_at=NOW - timedelta(hours=1))

    assert await cancel_expired_unpaid(NOW, app.state.plugins) == 1
    statuses = {o.id: o.status for o in await Order.all()}
    assert statuses == {expired.id: "CANCELLED", not_yet.id: "UNPAID", no_deadline.id: "UNPAID", paid.id: "PAID"}
    assert await stock_of(expired) == [5, 4]
    history = await OrderHistory.get(order_id=expired.id)
    assert (history.kind, history.to_state, history.actor, history.message) == (
        "STATUS",
        "CANCELLED",
        "SYSTEM",
        EXPIRED,
    )
    assert (await Payment.get(order_id=expired.id)).state == "CANCELLED"
    assert await Event.filter(type="ORDER_CANCELLED").count() == 1
    # a second pass finds nothing more and releases nothing twice
    assert await cancel_expired_unpaid(NOW + timedelta(days=1), app.state.plugins) == 1  # `not_yet` now
    assert await stock_of(expired) == [5, 4]
