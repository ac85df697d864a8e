"""Core's shipment tracking (`record_tracking`, `shipment_label_set` in lini.plugin), without a courier plugin:
events stored once per (shipment, courier event id), the status kept at the latest event by when it happened,
one outbox event per new event, the order DELIVERED with its last open parcel, and bad input refused whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import DomainError, DomainErrors
from core.events import Event
from core.orders.models import Order, OrderStatus, Shipment, ShipmentEvent, ShipmentStatus
from core.orders.tracking import TrackingEvent, open_shipments, record_tracking, shipment_label_set
from tests.factories import make_brand, make_order

S = ShipmentStatus
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


async def shipped(parcels: int = 1) -> tuple[Order, list[Shipment]]:
    order = await make_order(await make_brand("sekar"), paid=True, status=OrderStatus.SHIPPED)
    return order, [await Shipment.create(order=order, carrier="JNE") for _ in range(parcels)]


async def test_events_are_stored_once_and_the_status_follows_the_latest_by_time(app):
    _, [shipment] = await shipped()
    first = await record_tracking(
        shipment.id,
        [TrackingEvent("e2", S.IN_TRANSIT, at(5), "Jakarta Hub"), TrackingEvent("e1", S.PICKED_UP, at(1))],
        source="courier",
        host=None,
    )
    assert [e.external_id for e in first.added] == ["e1", "e2"]  # in the order they happened
    assert (first.shipment.status, first.shipment.status_at) == (S.IN_TRANSIT, at(5))

    # Redelivered, plus a late event older than the latest: stored, the status left alone.
    again = await record_tracking(
        shipment.id,
        [TrackingEvent("e2", S.IN_TRANSIT, at(5)), TrackingEvent("e0", S.LABEL_CREATED, at(0))],
        source="courier",
        host=None,
    )
    assert [e.external_id for e in again.added] == ["e0"]
    row = await Shipment.get(id=shipment.id)
    assert (row.status, row.status_at) == (S.IN_TRANSIT, at(5))
    assert await ShipmentEvent.filter(shipment_id=shipment.id).count() == 3
    outbox = await Event.filter(type="shipment.tracking_updated").order_by("id")
    assert [e.payload["event"]["status"] for e in outbox] == ["PICKED_UP", "IN_TRANSIT", "LABEL_CREATED"]
    assert outbox[-1].payload["shipment_status"] == "IN_TRANSIT"


async def test_the_order_is_delivered_with_its_last_open_parcel(app):
    order, [one, two, dropped] = await shipped(parcels=3)
    await record_tracking(dropped.id, [TrackingEvent("c", S.CANCELLED, at(0))], source="courier", host=None)
    done = await record_tracking(one.id, [TrackingEvent("d1", S.DELIVERED, at(9))], source="courier", host=None)
    assert not done.delivered_order and (await Order.get(id=order.id)).status == OrderStatus.SHIPPED
    assert [s.id for s in await open_shipments([one.id, two.id, dropped.id])] == [two.id]
    last = await record_tracking(two.id, [TrackingEvent("d2", S.DELIVERED, at(10))], source="courier", host=None)
    assert last.delivered_order and (await Order.get(id=order.id)).status == OrderStatus.DELIVERED
    assert await Event.filter(type="ORDER_DELIVERED").count() == 1
    # Redelivered: nothing new, the order not delivered twice.
    again = await record_tracking(two.id, [TrackingEvent("d2", S.DELIVERED, at(10))], source="courier", host=None)
    assert again.added == [] and not again.delivered_order
    assert await Event.filter(type="ORDER_DELIVERED").count() == 1


async def test_bad_events_are_refused_together_and_nothing_is_stored(app):
    _, [shipment] = await shipped()
    events = [
        TrackingEvent("ok", S.PICKED_UP, at(1)),
        TrackingEvent(" ", S.PICKED_UP, at(1)),
        TrackingEvent("naive", S.IN_TRANSIT, datetime(2025, 3, 1, 9)),
        TrackingEvent("pending", S.PENDING, at(2)),
    ]
    with pytest.raises(DomainErrors) as refused:
        await record_tracking(shipment.id, events, source="courier", host=None)
    assert [(e.code, e.field) for e in refused.value.errors] == [
        ("INVALID", "events.1.external_id"),
        ("INVALID", "events.2.occurred_at"),
        ("INVALID", "events.3.status"),
    ]
    with pytest.raises(DomainErrors) as no_source:
        await record_tracking(shipment.id, events[:1], source="", host=None)
    assert [e.field for e in no_source.value.errors] == ["source"]
    with pytest.raises(DomainError) as missing:
        await record_tracking(shipment.id + 1000, events[:1], source="courier", host=None)
    assert missing.value.code == "NOT_FOUND"
    assert await ShipmentEvent.all().count() == 0
    assert await Event.filter(type__startswith="shipment.").count() == 0
    assert (await Shipment.get(id=shipment.id)).status == S.PENDING


async def test_a_label_is_set_and_taken_away_and_bad_ones_change_nothing(app):
    _, [shipment] = await shipped()
    with pytest.raises(DomainErrors) as refused:
        await shipment_label_set(
            shipment.id,
            carrier="",
            tracking_number="X" * 101,
            tracking_url="javascript:alert(1)",
            label_url="https://media.example/l.pdf",
            label_format="PNG",
            host=None,
        )
    assert [e.field for e in refused.value.errors] == ["carrier", "tracking_number", "tracking_url", "label_format"]
    with pytest.raises(DomainErrors):  # a format without its file
        await shipment_label_set(shipment.id, carrier="JNE", tracking_number="1", label_format="PDF", host=None)
    row = await Shipment.get(id=shipment.id)
    assert (row.carrier, row.tracking_number, row.label_url, row.label_format) == ("JNE", "", "", "")
    assert await Event.filter(type__startswith="shipment.").count() == 0

    await shipment_label_set(
        shipment.id,
        carrier="SiCepat",
        tracking_number="SC0001",
        tracking_url="https://track.example.id/SC0001",
        label_url="https://media.example/l.pdf",
        label_format="PDF",
        host=None,
    )
    row = await Shipment.get(id=shipment.id)
    assert (row.carrier, row.tracking_number, row.label_format) == ("SiCepat", "SC0001", "PDF")
    await shipment_label_set(shipment.id, carrier="SiCepat", tracking_number="", host=None)
    row = await Shipment.get(id=shipment.id)
    assert (row.tracking_number, row.tracking_url, row.label_url, row.label_format) == ("", "", "", "")
    events = await Event.filter(type="shipment.label_updated").order_by("id")
    assert [(e.payload["has_label"], e.payload["tracking_number"]) for e in events] == [(True, "SC0001"), (False, "")]
