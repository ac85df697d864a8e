"""Shipping an order, in one parcel or several, and confirming its delivery.

A shipment names lines and quantities; each line's `quantity_shipped` is raised by a conditional UPDATE on
the value just read, so two staff shipping the same line at once cannot both ship the last unit.

A made-to-measure line ships only garments that passed quality control. Orders do not know garments: the
shipment announces itself in its transaction (`ShipmentCreating`), and garments refuse it (GARMENT_NOT_READY:
the line needs as many READY production jobs as units shipped; the transaction rolls back, nothing is written)
or move those jobs to SHIPPED through the production stage machine (`core.garments.subscribers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.catalog.media import MediaStorage
from core.context import Actor
from core.customs.export import missing_for_export
from core.domain_events import ShipmentCreating, publish
from core.errors import DomainError, DomainErrors
from core.orders import lifecycle
from core.orders.access import load_order, locked
from core.orders.models import Order, OrderLine, OrderStatus, Shipment, ShipmentLine
from core.orders.states import check_transition
from core.outbox import after_commit
from core.plugins import PluginHost
from core.settings import PapersSettings

SHIPPABLE = frozenset({OrderStatus.PAID, OrderStatus.READY_TO_SHIP, OrderStatus.PARTIALLY_SHIPPED})
MAX_TEXT = 100


@dataclass(frozen=True, slots=True)
class ShipmentItem:
    order_line_id: int
    quantity: int


def _checked_texts(carrier: str, tracking_number: str) -> tuple[str, str]:
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    problems = []
    if not carrier:
        problems.append(DomainError("REQUIRED", "Name the carrier.", "carrier"))
    for name, value in (("carrier", carrier), ("tracking_number", tracking_number)):
        if len(value) > MAX_TEXT:
            problems.append(DomainError("INVALID", f"At most {MAX_TEXT} characters.", name))
    if problems:
        raise DomainErrors(problems)
    return carrier, tracking_number


def _checked_items(lines: dict[int, OrderLine], items: Sequence[ShipmentItem]) -> None:
    if not items:
        raise DomainError("REQUIRED", "A shipment holds at least one line.", "lines")
    problems: list[DomainError] = []
    seen: set[int] = set()
    for i, item in enumerate(items):
        line = lines.get(item.order_line_id)
        if line is None or item.order_line_id in seen:
            problems.append(
                DomainError("INVALID", "Not a line of this order, or listed twice.", f"lines.{i}.order_line_id")
            )
            continue
        seen.add(line.id)
        left = line.quantity - line.quantity_shipped
        if not 0 < item.quantity <= left:
            problems.append(
                DomainError(
                    "INVALID_QUANTITY",
                    f"{left} units of {line.product_name} are left to ship; ask for 1 to {left}."
                    if left
                    else f"{line.product_name} is shipped in full already.",
                    f"lines.{i}.quantity",
                )
            )
    if problems:
        raise DomainErrors(problems)


async def shipment_create(
    actor: Actor,
    order_id: int,
    *,
    host: PluginHost | None,
    carrier: str,
    tracking_number: str = "",
    lines: Sequence[ShipmentItem],
    storage: MediaStorage | None = None,
    papers: PapersSettings | None = None,
) -> Shipment:
    """Ship some or all of what is left; the order becomes PARTIALLY_SHIPPED or SHIPPED. A parcel abroad gets
    its customs papers right after the commit, kept by `storage` (`core.customs.papers`); a line whose customs
    data has gone since checkout cannot leave the country (CUSTOMS_DATA_MISSING)."""
    from core.customs import papers as customs_papers

    order = await load_order(actor, order_id)
    carrier, tracking_number = _checked_texts(carrier, tracking_number)
    if order.status not in SHIPPABLE:
        raise DomainError("INVALID_TRANSITION", f"A {order.status} order cannot be shipped.", None)
    async with in_transaction():
        order = await locked(order.id)
        if order.status not in SHIPPABLE:
            raise DomainError("INVALID_TRANSITION", f"A {order.status} order cannot be shipped.", None)
        current = {line.id: line for line in await OrderLine.filter(order_id=order.id)}
        _checked_items(current, lines)
        brand = await Brand.get(id=order.brand_id)
        country = (order.shipping_address or {}).get("country")
        parcel_lines = [current[i.order_line_id] for i in lines]
        missing = await missing_for_export(
            brand, country, [(li.variant_id or 0, li.product_name) for li in parcel_lines]
        )
        if missing:
            raise DomainErrors(missing)
        for item in lines:
            shipped = current[item.order_line_id].quantity_shipped
            raised = await OrderLine.filter(id=item.order_line_id, quantity_shipped=shipped).update(
                quantity_shipped=shipped + item.quantity
            )
            if not raised:
                raise DomainError("ORDER_CHANGED", "Someone shipped this order meanwhile; reload it and try again.")
            current[item.order_line_id].quantity_shipped = shipped + item.quantity
        shipment = await Shipment.create(
            order_id=order.id, carrier=carrier, tracking_number=tracking_number, created_by=actor.label
        )
        await ShipmentLine.bulk_create(
            [ShipmentLine(shipment_id=shipment.id, order_line_id=i.order_line_id, quantity=i.quantity) for i in lines]
        )
        sent = f"Sent with {carrier} {tracking_number}".strip() + "."
        items = tuple((i.order_line_id, i.quantity) for i in lines)
        await publish(ShipmentCreating(order=order, shipment_id=shipment.id, items=items, actor=actor, note=sent))
        data = {
            "shipmentId": shipment.id,
            "carrier": carrier,
            "trackingNumber": tracking_number,
            "lines": [{"orderLineId": i.order_line_id, "quantity": i.quantity} for i in lines],
        }
        done = all(line.quantity_shipped >= line.quantity for line in current.values())
        message = f"{carrier} {tracking_number}".strip()
        await lifecycle.shipped(order, actor, host=host, complete=done, data=data, message=message)
    await after_commit(host)
    if storage is not None:
        await customs_papers.for_new_shipment(shipment.id, storage, papers or PapersSettings())
    return shipment


async def mark_delivered(actor: Actor, order_id: int, *, host: PluginHost | None) -> Order:
    """The customer has the whole order (only a SHIPPED order can be delivered)."""
    order = await load_order(actor, order_id)
    check_transition(order, OrderStatus.DELIVERED, host=host)
    async with in_transaction():
        order = await locked(order.id)
        await lifecycle.delivered(order, actor, host=host)
    return order
