"""Who may read which order, and an order's details read for a whole page at once.

An order is seen by its customer (the account that placed it) and by staff who manage the brand's orders;
anyone else gets nothing, exactly as for a missing order, so order IDs and numbers cannot be probed. Staff also
see their own remarks in its history (notes, review flags); the customer does not.

`order_details` reads the lines, taxes, shipments, payments, refunds and history of many orders in seven
queries whatever their number, so a page of 100 orders costs what a page of 10 does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.queryset import QuerySet

from core.auth.permissions import Permission
from core.context import Actor
from core.orders.models import Order, OrderHistory, OrderLine, OrderTaxLine, Shipment, ShipmentLine
from core.payments.models import Payment, Refund

STAFF_ONLY_HISTORY = frozenset({"NOTE", "NEEDS_REVIEW"})  # staff's own remarks


def sees_staff_view(actor: Actor, order: Order) -> bool:
    """Whether the actor manages the order's brand's orders, and so sees its staff-only history too."""
    return actor.can(order.brand_id, Permission.MANAGE_ORDERS)


def can_view(actor: Actor, order: Order) -> bool:
    """Its customer, and staff who manage the brand's orders."""
    return (actor.user_id is not None and order.user_id == actor.user_id) or sees_staff_view(actor, order)


async def visible_orders(actor: Actor, order_ids: Iterable[int]) -> list[Order]:
    """The orders of `order_ids` the actor may see (others are left out, as missing ones are), in one query."""
    return [row for row in await Order.filter(id__in=list(order_ids)) if can_view(actor, row)]


async def visible_order(actor: Actor, brand_id: int, number: int) -> Order | None:
    """The signed-in customer's own order with this number at this brand; None for anyone else's."""
    return await Order.get_or_none(brand_id=brand_id, number=number, user_id=actor.require_user())


TOKEN_VIEW = timedelta(hours=72)


async def order_by_checkout_token(actor: Actor, brand_id: int, token: str) -> Order | None:
    """The order a checkout became, for whoever held that checkout: the token is the guest's only key to their
    order (the confirmation page, a reload of it). A signed-in customer's order stays theirs alone, as their
    checkout was; any other token, or one of another brand, finds nothing."""
    if not token or len(token) > 64:
        return None
    order = await Order.get_or_none(brand_id=brand_id, checkout_token=token)
    if order is None or (order.user_id is not None and order.user_id != actor.user_id):
        return None
    # The token has been in places (the browser's storage, the payment provider's metadata): it opens the order
    # only while a confirmation page needs it, for TOKEN_VIEW after placing or until the payment is due.
    now = datetime.now(UTC)
    if order.created_at < now - TOKEN_VIEW and (order.payment_due_at is None or order.payment_due_at < now):
        return None
    return order


def account_orders(actor: Actor, account_id: int, *, brand_id: int | None = None) -> QuerySet[Order]:
    """An account's orders, for that account alone (an empty set for anyone else), at one brand if given."""
    queryset = Order.filter(user_id=actor.user_id if actor.user_id == account_id else -1)
    return queryset.filter(brand_id=brand_id) if brand_id is not None else queryset


def shown_history(entries: Iterable[OrderHistory], *, staff: bool) -> list[OrderHistory]:
    """The history entries a reader sees: all of them for staff, the customer's without staff remarks."""
    return [entry for entry in entries if staff or entry.kind not in STAFF_ONLY_HISTORY]


def _grouped(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


@dataclass(frozen=True)
class OrderDetails:
    """Each order's rows by order id (each shipment's lines by shipment id), in their display order."""

    lines: dict[int, list[OrderLine]] = field(default_factory=dict)
    taxes: dict[int, list[OrderTaxLine]] = field(default_factory=dict)
    shipments: dict[int, list[Shipment]] = field(default_factory=dict)
    shipment_lines: dict[int, list[ShipmentLine]] = field(default_factory=dict)
    payments: dict[int, list[Payment]] = field(default_factory=dict)
    refunds: dict[int, list[Refund]] = field(default_factory=dict)
    history: dict[int, list[OrderHistory]] = field(default_factory=dict)


# The relations `order_details` can read, one statement each (shipments two: their lines too).
DETAILS = frozenset({"lines", "taxes", "shipments", "payments", "refunds", "history"})


async def order_details(order_ids: Sequence[int], parts: frozenset[str] = DETAILS) -> OrderDetails:
    """The details of many orders in at most seven queries (none for no orders, or for the `parts` not asked:
    a payload asking an order's number alone reads no line); absent keys read as empty lists."""
    ids = list(order_ids)
    if not ids:
        return OrderDetails()
    found: dict[str, Any] = {}
    if "lines" in parts:
        found["lines"] = _grouped(await OrderLine.filter(order_id__in=ids).order_by("position", "id"), "order_id")
    if "taxes" in parts:
        found["taxes"] = _grouped(await OrderTaxLine.filter(order_id__in=ids).order_by("id"), "order_id")
    if "shipments" in parts:
        shipments = await Shipment.filter(order_id__in=ids).order_by("id")
        found["shipments"] = _grouped(shipments, "order_id")
        found["shipment_lines"] = _grouped(
            await ShipmentLine.filter(shipment_id__in=[s.id for s in shipments]).order_by("id"), "shipment_id"
        )
    if "payments" in parts:
        found["payments"] = _grouped(await Payment.filter(order_id__in=ids).order_by("id"), "order_id")
    if "refunds" in parts:
        found["refunds"] = _grouped(await Refund.filter(order_id__in=ids).order_by("id"), "order_id")
    if "history" in parts:
        found["history"] = _grouped(await OrderHistory.filter(order_id__in=ids).order_by("id"), "order_id")
    return OrderDetails(**found)
