"""Order events: written to the outbox inside the change's transaction, handed to `order_event` after commit.

`order_changed` adds an `ORDER_*` event to the outbox (`core.events`) in the caller's transaction, so the event
exists exactly when the change does: a rolled-back change delivers nothing. `core.outbox` delivers it after the
commit (services call `after_commit`, the job queue's sweep picks up what is left) to every plugin's
`order_event` with the stored payload, an order's events in order. A failing plugin is logged and retried alone;
it never undoes the change. Delivery is at least once: a plugin that must not act twice keys on the event's `id`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.actors.models import Brand
from core.events import Event, emit
from core.money import quantize
from core.orders.models import Order

PREFIX = "ORDER_"


def order_summary(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "number": order.number,
        "status": str(order.status),
        "paymentStatus": str(order.payment_status),
        "total": {"amount": str(quantize(order.total_amount, order.currency)), "currency": order.currency},
    }


async def order_changed(
    order: Order, type: str, data: dict[str, Any] | None = None, *, brand_slug: str | None = None
) -> Event:
    """Record that `order` changed (`type` like ORDER_CREATED, ORDER_PAID); call inside the transaction.
    `brand_slug`: the order's brand's slug when the caller has it (one statement fewer)."""
    if not type.startswith(PREFIX):
        raise ValueError(f"order event types start with {PREFIX}: {type!r}")
    slug = brand_slug or await Brand.filter(id=order.brand_id).first().values_list("slug", flat=True)
    payload = {
        "type": type,
        "brand": slug,
        "order": order_summary(order),
        "data": data or {},
        "occurredAt": datetime.now(UTC).isoformat(),
    }
    return await emit(type, payload, brand_id=order.brand_id, object_key=f"order:{order.id}")
