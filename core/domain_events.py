"""In-process domain events: how one part of core reacts to another without the other importing it.

Orders say what happened to an order (`OrderPlaced`, `OrderPaid`, `OrderCancelled`, `ShipmentCreating`);
garments subscribe at import (`core.garments.subscribers`, imported once by `core.wiring`). So orders never
import garments, and no module calls back up into one that imports it.

`publish` runs every subscriber of the event's type inside the caller's transaction, in registration order,
and awaits each before the next: a subscriber's writes commit or roll back with the change that caused them,
and one that raises `core.errors.DomainError` (or `DomainErrors`) refuses the change, which then writes
nothing. These are for rules that must hold in the same transaction; anything that may happen later (a
plugin, a webhook) listens to the outbox (`core.events`) after the commit instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from core.context import Actor
    from core.orders.models import Order
    from core.plugins import PluginHost


@dataclass(frozen=True, slots=True)
class OrderPlaced:
    """An order and its lines were just written by checkout completion (status PAID or UNPAID). `custom`:
    whether a line is made to measure, known from the lines written (so a subscriber for those garments reads
    no line back for an order without one)."""

    order: Order
    actor: Actor
    host: PluginHost | None
    custom: bool = True


@dataclass(frozen=True, slots=True)
class OrderPaid:
    """An order went from UNPAID to PAID (a transfer marked received, a gateway reporting the money)."""

    order: Order
    actor: Actor
    host: PluginHost | None


@dataclass(frozen=True, slots=True)
class OrderCancelled:
    """An order was just moved to CANCELLED, its row locked; its ORDER_CANCELLED event is not written yet.

    A subscriber may return a dict of facts to add to that event's `data` (e.g. `releasedFabric`)."""

    order: Order
    actor: Actor
    host: PluginHost | None


@dataclass(frozen=True, slots=True)
class ShipmentCreating:
    """A shipment of `items` ((order_line_id, quantity), as the request listed them) was written for `order`
    and the order's status is about to follow; a subscriber raising a DomainError refuses the shipment."""

    order: Order
    shipment_id: int
    items: Sequence[tuple[int, int]]
    actor: Actor
    note: str


E = TypeVar("E")
Subscriber = Callable[[Any], Awaitable[Any]]
_subscribers: dict[type, list[Subscriber]] = {}


def subscribe(event_type: type[E], subscriber: Callable[[E], Awaitable[Any]]) -> None:
    """Have `subscriber` called on every published `event_type`, after those registered before it.
    Subscribing the same function twice (a module imported again) keeps one registration."""
    registered = _subscribers.setdefault(event_type, [])
    if subscriber not in registered:
        registered.append(subscriber)


def subscribers(event_type: type) -> list[Subscriber]:
    return list(_subscribers.get(event_type, ()))


async def publish(event: object) -> list[Any]:
    """Run the event's subscribers in order, in the caller's transaction; what each returned (None left out).
    The first exception stops the rest and propagates, so the caller's transaction rolls back."""
    results = []
    for subscriber in subscribers(type(event)):
        result = await subscriber(event)
        if result is not None:
            results.append(result)
    return results


__all__ = [
    "OrderCancelled",
    "OrderPaid",
    "OrderPlaced",
    "ShipmentCreating",
    "publish",
    "subscribe",
    "subscribers",
]
