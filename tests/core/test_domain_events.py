"""In-process domain events: subscribers run in the publisher's transaction, in registration order, and one
that refuses rolls the change back; garments hear the order's events once core is wired."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from tortoise.transactions import in_transaction

import core.wiring
from core.actors.models import Brand
from core.domain_events import OrderCancelled, OrderPaid, OrderPlaced, ShipmentCreating, publish, subscribe, subscribers
from core.errors import DomainError
from core.garments import subscribers as garments
from tests.factories import make_brand


@dataclass(frozen=True)
class Happened:
    what: str


@pytest.mark.engine_independent
async def test_subscribers_run_in_registration_order_and_once_each():
    heard: list[str] = []

    async def first(event: Happened) -> str:
        heard.append(f"first:{event.what}")
        return "one"

    async def second(event: Happened) -> None:
        heard.append(f"second:{event.what}")

    subscribe(Happened, first)
    subscribe(Happened, second)
    subscribe(Happened, first)  # a module imported again registers nothing more
    assert await publish(Happened("paid")) == ["one"]
    assert heard == ["first:paid", "second:paid"]
    assert subscribers(Happened) == [first, second]
    assert await publish(object()) == []  # nobody listens: nothing happens


async def test_a_subscriber_that_refuses_rolls_the_change_back(app):
    @dataclass(frozen=True)
    class Renaming:
        brand: Brand

    async def refuse(event: Renaming) -> None:
        await Brand.filter(id=event.brand.id).update(name="Half written")
        raise DomainError("REFUSED", "Not this name.")

    subscribe(Renaming, refuse)
    brand = await make_brand("sekar")
    with pytest.raises(DomainError):
        async with in_transaction():
            await Brand.filter(id=brand.id).update(slug="sekar-baru")
            await publish(Renaming(brand))
    stored = await Brand.get(id=brand.id)
    assert (stored.slug, stored.name) == ("sekar", "Sekar")


@pytest.mark.engine_independent
def test_garments_follow_orders_once_core_is_wired():
    assert (garments,) == core.wiring.SUBSCRIBERS
    assert garments.on_order_placed in subscribers(OrderPlaced)
    assert garments.on_order_paid in subscribers(OrderPaid)
    assert garments.on_order_cancelled in subscribers(OrderCancelled)
    assert garments.on_shipment_creating in subscribers(ShipmentCreating)
