"""How made-to-measure garments follow their order, through the order's domain events (`core.domain_events`).

Registered when this module is imported; `core.wiring` imports it for whoever builds Lini (server.py's app and
commands, the tests through it). Each runs inside the order's transaction, its row locked:
- `OrderPlaced`: one QUEUED production job per garment of a made-to-measure line; an order placed PAID goes
  IN_PRODUCTION at once;
- `OrderPaid`: a paid order with garments to make goes IN_PRODUCTION (after ORDER_PAID is written, so plugins
  hear of the payment before the production it starts);
- `OrderCancelled`: the jobs are called off and uncut fabric goes back on the roll (`releasedFabric` in the
  ORDER_CANCELLED event);
- `ShipmentCreating`: a made-to-measure line ships only READY garments (GARMENT_NOT_READY refuses the whole
  shipment), which move to SHIPPED with it.
"""

from __future__ import annotations

from typing import Any

from core.domain_events import OrderCancelled, OrderPaid, OrderPlaced, ShipmentCreating, subscribe
from core.garments.jobs import ready_to_ship, ship_ready
from core.garments.production import cancel_jobs, create_jobs, start_if_paid
from core.orders.models import OrderLine


async def on_order_placed(event: OrderPlaced) -> None:
    if not event.custom:  # the order's counter and stock rows are locked: no statement when nothing is made
        return
    lines = await OrderLine.filter(order_id=event.order.id).order_by("position")
    made = [line for line in lines if line.custom_garment]
    if made and await create_jobs(event.order, made):
        await start_if_paid(event.order, event.actor, host=event.host)


async def on_order_paid(event: OrderPaid) -> None:
    await start_if_paid(event.order, event.actor, host=event.host)


async def on_order_cancelled(event: OrderCancelled) -> dict[str, Any]:
    fabric = await cancel_jobs(event.order, event.actor)
    return {"releasedFabric": [{"fabricId": f, "metres": str(m)} for f, m in fabric.items()]}


async def on_shipment_creating(event: ShipmentCreating) -> None:
    garments = await ready_to_ship(event.order.id, list(event.items))
    await ship_ready(garments, event.actor, note=event.note, data={"shipmentId": event.shipment_id})


subscribe(OrderPlaced, on_order_placed)
subscribe(OrderPaid, on_order_paid)
subscribe(OrderCancelled, on_order_cancelled)
subscribe(ShipmentCreating, on_shipment_creating)
