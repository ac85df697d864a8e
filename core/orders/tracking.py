"""A parcel's journey as its courier tells it: tracking events, and the courier's label and tracking number.

Couriers repeat themselves (a webhook retried, a poll that sees the same history again) and speak out of turn
(a late "picked up" after "in transit"), so an event is stored once per (shipment, the courier's event id), and
the shipment's `status` is always its latest event's by `occurred_at`, not the latest to arrive. Every new
event is an outbox event (`shipment.tracking_updated`, to webhooks and plugins); when the last parcel of a
SHIPPED order is DELIVERED the order becomes DELIVERED, as staff would mark it.

Courier plugins call these through `lini.plugin` (`record_tracking`, `shipment_label_set`) and never write
the shipment tables themselves: any courier plugin gets the same idempotency and the same events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from core.auth.permissions import Permission
from core.context import SYSTEM, Actor
from core.errors import DomainError, DomainErrors
from core.events import emit
from core.money import Money, quantize
from core.orders import lifecycle
from core.orders.access import locked
from core.orders.models import Order, OrderStatus, Shipment, ShipmentEvent, ShipmentLine, ShipmentStatus
from core.outbox import after_commit
from core.plugins import PluginHost
from core.urls import parse_http_url

LIMITS = {"external_id": 128, "location": 200, "description": 500, "source": 64}
LABEL_FORMATS = frozenset({"PDF", "ZPL"})
# Where a parcel stops: polling can leave it alone.
FINAL = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED, ShipmentStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One thing a courier said: `external_id` is its own id for the event (the same event twice has the same)."""

    external_id: str
    status: ShipmentStatus
    occurred_at: datetime  # timezone-aware
    location: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class TrackingResult:
    shipment: Shipment
    added: list[ShipmentEvent] = field(default_factory=list)  # the events not seen before, in occurred_at order
    delivered_order: bool = False  # this call moved the order to DELIVERED


@dataclass(frozen=True, slots=True)
class ParcelItem:
    name: str  # the product and variant names, as ordered
    sku: str
    quantity: int
    value: Money  # what these units cost the customer (gross, after discount): for a customs declaration


@dataclass(frozen=True, slots=True)
class Parcel:
    """What a courier needs to book a shipment: where it goes, what it weighs and holds, what it is worth."""

    shipment_id: int
    order_id: int
    order_number: int
    brand_id: int
    delivery_method_id: str  # what the customer chose at checkout ("<provider>:<rate id>"); may be empty
    address: dict[str, Any]  # the order's shipping address as stored (snake_case keys)
    weight_grams: int  # from the variants' weights; a deleted variant counts 0
    value: Money
    items: list[ParcelItem]


async def shipment_parcel(shipment: Shipment) -> Parcel:
    """The parcel of a shipment, in one query for its lines (with their order lines and variants)."""
    order = shipment.order if isinstance(shipment.order, Order) else await Order.get(id=shipment.order_id)
    lines = await ShipmentLine.filter(shipment_id=shipment.id).select_related("order_line__variant").order_by("id")
    items, weight, value = [], 0, Money.zero(order.currency)
    for line in lines:
        ordered = line.order_line
        each = ordered.total_amount / ordered.quantity if ordered.quantity else ordered.total_amount
        worth = Money(quantize(each * line.quantity, order.currency), order.currency)
        name = " ".join(filter(None, (ordered.product_name, ordered.variant_name)))
        items.append(ParcelItem(name=name, sku=ordered.sku, quantity=line.quantity, value=worth))
        weight += (ordered.variant.weight_grams if ordered.variant is not None else 0) * line.quantity
        value = value + worth
    return Parcel(
        shipment_id=shipment.id,
        order_id=order.id,
        order_number=order.number,
        brand_id=order.brand_id,
        delivery_method_id=order.delivery_method_id,
        address=dict(order.shipping_address or {}),
        weight_grams=weight,
        value=value,
        items=items,
    )


async def managed_shipment(actor: Actor, shipment_id: int) -> Shipment:
    """The shipment, once the actor may manage its brand's orders (its `order` fetched); someone else's and a
    missing one are refused alike (FORBIDDEN), so shipment IDs cannot be probed."""
    shipment = await Shipment.get_or_none(id=shipment_id).select_related("order")
    actor.require(shipment.order.brand_id if shipment else -1, Permission.MANAGE_ORDERS)
    assert shipment is not None
    return shipment


def _checked(events: Sequence[TrackingEvent], source: str) -> None:
    problems: list[DomainError] = []
    if not source.strip() or len(source) > LIMITS["source"]:
        problems.append(DomainError("INVALID", f"A source of 1 to {LIMITS['source']} characters.", "source"))
    for i, event in enumerate(events):
        if not event.external_id.strip() or len(event.external_id) > LIMITS["external_id"]:
            problems.append(DomainError("INVALID", "An event id of 1 to 128 characters.", f"events.{i}.external_id"))
        if event.occurred_at.tzinfo is None:
            problems.append(DomainError("INVALID", "A time with its offset.", f"events.{i}.occurred_at"))
        if event.status not in ShipmentStatus.__members__.values() or event.status == ShipmentStatus.PENDING:
            problems.append(DomainError("INVALID", "Not a tracking status.", f"events.{i}.status"))
    if problems:
        raise DomainErrors(problems)


def _payload(order: Order, shipment: Shipment, event: ShipmentEvent) -> dict[str, object]:
    return {
        "shipment_id": shipment.id,
        "order_id": order.id,
        "order_number": order.number,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "shipment_status": str(shipment.status),
        "event": {
            "id": event.id,
            "status": str(event.status),
            "occurred_at": event.occurred_at.isoformat(),
            "location": event.location,
            "description": event.description,
            "source": event.source,
        },
    }


async def record_tracking(
    shipment_id: int, events: Sequence[TrackingEvent], *, source: str, host: PluginHost | None
) -> TrackingResult:
    """Store the events not stored yet, move the shipment's status to its latest event's, emit one
    `shipment.tracking_updated` per new event and deliver the order when this was its last parcel. Texts longer
    than their columns are cut rather than refused: a courier's wording is not worth losing the event over."""
    _checked(events, source)
    delivered = False
    async with in_transaction():
        shipment = await Shipment.get_or_none(id=shipment_id)
        if shipment is None:
            raise DomainError("NOT_FOUND", "No such shipment.", "shipment_id")
        order = await locked(shipment.order_id)  # the order's lock orders this against shipping and delivery
        shipment = await Shipment.filter(id=shipment_id).select_for_update().get()
        wanted = {e.external_id.strip(): e for e in sorted(events, key=lambda e: e.occurred_at)}
        seen = set(
            await ShipmentEvent.filter(shipment_id=shipment.id, external_id__in=list(wanted)).values_list(
                "external_id", flat=True
            )
        )
        added = [
            await ShipmentEvent.create(
                shipment_id=shipment.id,
                status=event.status,
                occurred_at=event.occurred_at,
                location=event.location.strip()[: LIMITS["location"]],
                description=event.description.strip()[: LIMITS["description"]],
                source=source.strip(),
                external_id=external_id,
            )
            for external_id, event in wanted.items()
            if external_id not in seen
        ]
        latest = max(added, key=lambda e: e.occurred_at, default=None)
        if latest is not None and (shipment.status_at is None or latest.occurred_at >= shipment.status_at):
            shipment.status, shipment.status_at = latest.status, latest.occurred_at
            await shipment.save(update_fields=["status", "status_at"])
        for event in added:
            await emit("shipment.tracking_updated", _payload(order, shipment, event), brand_id=order.brand_id)
        if added and shipment.status == ShipmentStatus.DELIVERED and order.status == OrderStatus.SHIPPED:
            undelivered = (
                await Shipment.filter(order_id=order.id)
                .exclude(status=ShipmentStatus.DELIVERED)
                .exclude(status=ShipmentStatus.CANCELLED)
                .count()
            )
            if not undelivered:
                await lifecycle.delivered(order, SYSTEM, host=host)
                delivered = True
    await after_commit(host)
    return TrackingResult(shipment=shipment, added=added, delivered_order=delivered)


async def shipment_label_set(
    shipment_id: int,
    *,
    carrier: str,
    tracking_number: str,
    tracking_url: str = "",
    label_url: str = "",
    label_format: str = "",
    host: PluginHost | None,
) -> Shipment:
    """Give the shipment a courier's label, tracking number and tracking page, or take them away (all empty but
    the carrier: a cancelled label). Emits `shipment.label_updated`."""
    problems: list[DomainError] = []
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or len(carrier) > 100:
        problems.append(DomainError("INVALID", "A carrier of 1 to 100 characters.", "carrier"))
    if len(tracking_number) > 100:
        problems.append(DomainError("INVALID", "At most 100 characters.", "tracking_number"))
    for name, url in (("tracking_url", tracking_url), ("label_url", label_url)):
        if url and (len(url) > 500 or parse_http_url(url) is None):
            problems.append(DomainError("INVALID", "An http(s) URL of at most 500 characters.", name))
    if (label_format or label_url) and (label_format not in LABEL_FORMATS or not label_url):
        problems.append(DomainError("INVALID", "A label is a URL with its format, PDF or ZPL.", "label_format"))
    if problems:
        raise DomainErrors(problems)
    async with in_transaction():
        shipment = await Shipment.get_or_none(id=shipment_id).select_related("order")
        if shipment is None:
            raise DomainError("NOT_FOUND", "No such shipment.", "shipment_id")
        shipment.carrier, shipment.tracking_number = carrier, tracking_number
        shipment.tracking_url, shipment.label_url, shipment.label_format = tracking_url, label_url, label_format
        await shipment.save(update_fields=["carrier", "tracking_number", "tracking_url", "label_url", "label_format"])
        payload = {
            "shipment_id": shipment.id,
            "order_id": shipment.order_id,
            "order_number": shipment.order.number,
            "carrier": carrier,
            "tracking_number": tracking_number,
            "tracking_url": tracking_url,
            "has_label": bool(label_url),
            "label_format": label_format,
        }
        await emit("shipment.label_updated", payload, brand_id=shipment.order.brand_id)
    await after_commit(host)
    return shipment


async def open_shipments(shipment_ids: Sequence[int]) -> list[Shipment]:
    """Of these shipments, those a courier may still have news of (not delivered, returned or cancelled)."""
    if not shipment_ids:
        return []
    return await Shipment.filter(id__in=list(shipment_ids)).exclude(status__in=list(FINAL)).order_by("id")
