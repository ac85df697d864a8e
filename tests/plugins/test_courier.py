"""The courier plugin against a fake courier aggregator on loopback: live rates at checkout, labels bought and
cancelled (never two, never half of one), and tracking by signed webhook and by polling, seen by the customer
on their order, by the brand's staff and by webhooks (outbox rows)."""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from core.events import Event
from core.orders.models import Order, OrderStatus, ShipmentEvent
from plugins.courier.models import CourierLabel, LabelState
from plugins.courier.plugin import api_for
from plugins.courier.tracking import poll
from tests.api.test_checkout import CREATE, DELIVERY, EMAIL, JAKARTA, QUERY, SHIP_TO, stocked
from tests.api.test_webhooks import CREATE as WEBHOOK_CREATE
from tests.api.test_webhooks import _deliver_until_quiet, receiver
from tests.plugins.courier_fake import PDF, ZPL
from tests.plugins.courier_shop import (
    CANCEL,
    CUSTOMER_ORDER,
    GUEST_ORDER,
    PURCHASE,
    STAFF_SHIPMENT,
    deliver,
    fake_courier,
    gid,
    purchase,
    settings,
    shipment_row,
    shipped_order,
    shop,
    staff_view,
)

__all__ = ["fake_courier", "receiver", "settings", "shop"]  # fixtures used below
ZONE_CREATE = """mutation($input: ShippingZoneCreateInput!) {
  shippingZoneCreate(input: $input) { shippingZone { id } errors { field code } } }"""
METHOD_CREATE = """mutation($zone: ID!, $input: ShippingMethodCreateInput!) {
  shippingMethodCreate(zoneId: $zone, input: $input) { shippingMethod { id } errors { field code } } }"""


WIB = timezone(timedelta(hours=7))


def later(hours: float) -> str:
    """A courier's time (Jakarta's offset) this many hours after now: after the label was bought."""
    return (datetime.now(WIB) + timedelta(hours=hours)).replace(microsecond=0).isoformat()


def stored(settings, url: str) -> bytes:
    return (Path(settings.media.root) / url.rsplit("/", 1)[1]).read_bytes()


async def nothing_bought(shipment_id: str, fake) -> None:
    row = await shipment_row(shipment_id)
    assert (row.tracking_number, row.label_url, row.label_format) == ("", "", "")
    assert await ShipmentEvent.filter(shipment_id=row.id).count() == 0
    assert await Event.filter(type__startswith="shipment.").count() == 0
    assert fake.booked() == []


# --- rates at checkout -----------------------------------------------------------------------------------


async def checkout_methods(gql, token: str) -> list[dict]:
    return (await gql(QUERY, {"t": token}, storefront="sekar"))["checkout"]["availableShippingMethods"]


async def test_checkout_offers_the_couriers_live_rates_beside_the_brands_own(gql, shop, fake_courier, caplog):
    staff = shop["staff"]
    zone = await gql(ZONE_CREATE, {"input": {"name": "ID", "countries": ["ID"]}}, storefront="sekar", token=staff)
    own = {"name": "Ambil sendiri", "carrier": "", "rates": [{"currency": "IDR", "minWeightGrams": 0, "price": "5000"}]}
    zone_id = zone["shippingZoneCreate"]["shippingZone"]["id"]
    await gql(METHOD_CREATE, {"zone": zone_id, "input": own}, storefront="sekar", token=staff)
    variant = await stocked(shop["brand"], "Gamis Aisyah")
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 1}
    created = await gql(CREATE, {"input": {"lines": [line]}}, storefront="sekar")
    token = created["checkoutCreate"]["checkout"]["token"]
    await gql(EMAIL, {"t": token, "e": "siti@example.id"}, storefront="sekar")
    await gql(SHIP_TO, {"t": token, "a": JAKARTA}, storefront="sekar")

    methods = await checkout_methods(gql, token)
    assert [(m["id"], m["name"], m["price"]["amount"]) for m in methods] == [
        ("shipping_rates:" + methods[0]["id"].split(":")[1], "Ambil sendiri", "5000.00"),
        ("courier:jne_reg", "JNE Reguler", "19000.00"),
        ("courier:sicepat_best", "SiCepat BEST", "27000.00"),
    ]
    [asked] = fake_courier.calls("POST", "/v1/rates")
    assert asked["body"] == {
        "origin": {"postal_code": "40115", "city": "Bandung"},
        "destination": {"country": "ID", "province": "DKI Jakarta", "city": "Jakarta Pusat", "postal_code": "10340"},
        "weight_grams": 400,
        "currency": "IDR",
    }
    chosen = await gql(DELIVERY, {"t": token, "m": "courier:jne_reg"}, storefront="sekar")
    assert chosen["checkoutDeliveryMethodUpdate"]["errors"] == []
    assert chosen["checkoutDeliveryMethodUpdate"]["checkout"]["total"]["amount"] == "169000.00"
    assert len(fake_courier.calls("POST", "/v1/rates")) == 1  # the same parcel again: the cached answer

    # The courier is down (or slow) for a heavier parcel: its rates are missing, the brand's own still offered.
    fake_courier.fail("POST", "/v1/rates", 503, times=100)
    bigger = await gql(
        """mutation($t: String!, $l: [CheckoutLineInput!]!) { checkoutLinesAdd(token: $t, lines: $l) {
          errors { code } } }""",
        {"t": token, "l": [{**line, "quantity": 2}]},
        storefront="sekar",
    )
    assert bigger["checkoutLinesAdd"]["errors"] == []
    with caplog.at_level(logging.WARNING, logger="lini.plugins.courier"):
        methods = await checkout_methods(gql, token)
    assert [m["name"] for m in methods] == ["Ambil sendiri"]
    assert "no courier rates for brand" in caplog.text
    assert "failed after 1 attempts: HTTP 503" in caplog.text  # no retries while the shopper waits
    fake_courier.recover()
    fake_courier.stall("POST", "/v1/rates", 1.5, times=100)
    assert [m["name"] for m in await checkout_methods(gql, token)] == ["Ambil sendiri"]
    # Back up: asked again (a failure is not cached), a heavier parcel's prices.
    fake_courier.recover()
    assert [m["price"]["amount"] for m in await checkout_methods(gql, token)] == ["5000.00", "38000.00", "54000.00"]


async def test_a_brand_that_did_not_turn_the_courier_on_gets_no_courier_rates(gql, shop, fake_courier):
    variant = await stocked(shop["brand"], "Gamis Aisyah")
    koko_variant = await stocked(await shop["brand"].__class__.get(slug="koko"), "Baju Koko")
    line = {"variantId": gid("ProductVariant", koko_variant.id), "quantity": 1}
    created = await gql(CREATE, {"input": {"lines": [line]}}, storefront="koko")
    token = created["checkoutCreate"]["checkout"]["token"]
    await gql(SHIP_TO, {"t": token, "a": JAKARTA}, storefront="koko")
    assert (await gql(QUERY, {"t": token}, storefront="koko"))["checkout"]["availableShippingMethods"] == []
    assert fake_courier.calls("POST", "/v1/rates") == []
    assert variant.id != koko_variant.id


# --- labels ----------------------------------------------------------------------------------------------


async def test_a_label_puts_the_waybill_and_label_on_the_shipment(gql, shop, fake_courier, settings):
    order, shipment_id = await shipped_order(gql, shop)
    bought = await purchase(gql, shop, shipment_id)  # the service the customer chose at checkout
    assert bought["errors"] == [], bought
    [booking] = fake_courier.booked()
    label = bought["label"]
    assert label["trackingNumber"] == booking["waybill"] and label["carrier"] == "SiCepat"
    assert label["labelFormat"] == "PDF" and stored(settings, label["labelUrl"]) == PDF
    request = booking["request"]
    assert request["service_code"] == "sicepat_best" and request["label_format"] == "PDF"
    assert request["recipient"] == {
        "name": "Siti Aminah",
        "phone": "+62 812 3456 7890",
        "street": "Jl. Kebon Sirih 12",
        "city": "Jakarta Pusat",
        "province": "DKI Jakarta",
        "postal_code": "10340",
        "country": "ID",
    }
    assert request["shipper"]["postal_code"] == "40115" and request["shipper"]["name"] == shop["brand"].name
    assert request["parcel"]["value"] == "300000.00" and request["parcel"]["items"][0]["quantity"] == 2

    shipment = await staff_view(gql, shop, shipment_id)
    assert shipment["trackingNumber"] == booking["waybill"]
    assert shipment["trackingUrl"] == booking["tracking_url"]
    assert shipment["label"] == {"url": label["labelUrl"], "format": "PDF"}
    assert shipment["status"] == "LABEL_CREATED"
    assert [e["status"] for e in shipment["events"]] == ["LABEL_CREATED"]
    types = await Event.filter(type__startswith="shipment.").order_by("id").values_list("type", flat=True)
    assert types == ["shipment.label_updated", "shipment.tracking_updated"]

    # The customer sees the tracking, not the label: on their order and refetching the shipment.
    mine = (await gql(CUSTOMER_ORDER, {"n": order.number}, storefront="sekar", token=shop["token"]))["order"]
    assert mine["shipments"][0]["trackingNumber"] == booking["waybill"] and mine["shipments"][0]["label"] is None
    assert mine["shipments"][0]["status"] == "LABEL_CREATED"
    assert mine["shipments"][0]["trackingUrl"] == booking["tracking_url"]
    node = (await gql(STAFF_SHIPMENT, {"id": shipment_id}, storefront="sekar", token=shop["token"]))["node"]
    assert node["trackingNumber"] == booking["waybill"] and node["label"] is None

    # Buying again is refused without a key; a second shipment gets a ZPL label of the service named.
    again = await purchase(gql, shop, shipment_id)
    assert [e["code"] for e in again["errors"]] == ["COURIER_LABEL_EXISTS"]
    _, second = await shipped_order(gql, shop)
    zpl = await purchase(gql, shop, second, format="ZPL", service="jne_reg")
    assert zpl["errors"] == [] and zpl["label"]["labelFormat"] == "ZPL" and zpl["label"]["carrier"] == "JNE"
    assert stored(settings, zpl["label"]["labelUrl"]) == ZPL
    assert len(fake_courier.booked()) == 2


async def test_the_same_idempotency_key_answers_with_the_label_it_bought(gql, shop, fake_courier):
    _, shipment_id = await shipped_order(gql, shop)
    first = await purchase(gql, shop, shipment_id, key="label-1")
    again = await purchase(gql, shop, shipment_id, key="label-1")
    assert first["errors"] == again["errors"] == [] and again["label"] == first["label"]
    assert len(fake_courier.calls("POST", "/v1/orders")) == 1
    other = await purchase(gql, shop, shipment_id, key="label-2")
    assert [e["code"] for e in other["errors"]] == ["COURIER_LABEL_EXISTS"]


async def test_courier_down_buys_nothing_and_the_retry_buys_one_label(gql, shop, fake_courier):
    _, shipment_id = await shipped_order(gql, shop)
    fake_courier.fail("POST", "/v1/orders", 503, times=2)  # the first try and its retry
    down = await purchase(gql, shop, shipment_id)
    assert down["label"] is None and [e["code"] for e in down["errors"]] == ["COURIER_UNAVAILABLE"]
    await nothing_bought(shipment_id, fake_courier)
    calls = fake_courier.calls("POST", "/v1/orders")
    assert len(calls) == 2 and calls[0]["key"] == calls[1]["key"]

    back = await purchase(gql, shop, shipment_id)
    assert back["errors"] == [] and back["label"]["trackingNumber"]
    assert len(fake_courier.booked()) == 1


async def test_a_5xx_is_retried_with_the_same_key_and_books_once(gql, shop, fake_courier, settings):
    _, shipment_id = await shipped_order(gql, shop)
    fake_courier.fail("POST", "/v1/orders", 502, times=1)
    fake_courier.fail("GET", r"/v1/orders/[^/]+/label", 500, times=1)
    bought = await purchase(gql, shop, shipment_id)
    assert bought["errors"] == [], bought
    assert stored(settings, bought["label"]["labelUrl"]) == PDF
    bookings = fake_courier.calls("POST", "/v1/orders")
    assert len(bookings) == 2 and bookings[0]["key"] == bookings[1]["key"] != ""
    assert len(fake_courier.calls("GET", r"/v1/orders/[^/]+/label")) == 2
    assert len(fake_courier.booked()) == 1 and fake_courier.calls("DELETE", r"/v1/orders/[^/]+") == []


async def test_a_courier_that_is_not_running_is_a_typed_error_and_buys_nothing(gql, shop, fake_courier, plugin_host):
    _, shipment_id = await shipped_order(gql, shop)
    await purchase(gql, shop, shipment_id)
    _, other_id = await shipped_order(gql, shop)
    fake_courier.stop()  # the port refuses connections now
    down = await purchase(gql, shop, other_id)
    assert down["label"] is None and [e["code"] for e in down["errors"]] == ["COURIER_UNAVAILABLE"]
    row = await shipment_row(other_id)
    assert (row.tracking_number, row.label_url, row.label_format, row.status) == ("", "", "", "PENDING")
    assert await ShipmentEvent.filter(shipment_id=row.id).count() == 0
    # The attempt waits, with its key, for a retry to resume it; nothing reached the courier.
    [attempt] = await CourierLabel.filter(shipment_id=row.id)
    assert (attempt.state, attempt.courier_order_id) == (LabelState.PENDING, "")
    cancel = await gql(CANCEL, {"id": shipment_id}, storefront="sekar", token=shop["staff"])
    assert [e["code"] for e in cancel["courierLabelCancel"]["errors"]] == ["COURIER_UNAVAILABLE"]
    assert (await shipment_row(shipment_id)).label_url != ""  # the first label is kept
    assert await poll(api_for(plugin_host), plugin_host, batch=10) == 0  # logged, nothing recorded


async def test_an_answer_lost_to_a_timeout_is_resumed_not_bought_twice(gql, shop, fake_courier):
    _, shipment_id = await shipped_order(gql, shop)
    fake_courier.stall("POST", "/v1/orders", 1.5, times=2)  # the courier books, but answers too late, twice
    lost = await purchase(gql, shop, shipment_id)
    assert [e["code"] for e in lost["errors"]] == ["COURIER_UNAVAILABLE"]
    row = await shipment_row(shipment_id)
    assert (row.tracking_number, row.label_url) == ("", "")
    assert len(fake_courier.booked()) == 1  # booked at the courier, not in Lini

    resumed = await purchase(gql, shop, shipment_id, format="ZPL")  # a retry resumes the first attempt
    assert resumed["errors"] == [], resumed
    [booking] = fake_courier.booked()
    assert resumed["label"]["trackingNumber"] == booking["waybill"] and resumed["label"]["labelFormat"] == "PDF"
    assert len({c["key"] for c in fake_courier.calls("POST", "/v1/orders")}) == 1


async def test_a_booking_whose_label_cannot_be_fetched_is_cancelled_at_the_courier(gql, shop, fake_courier):
    _, shipment_id = await shipped_order(gql, shop)
    fake_courier.fail("GET", r"/v1/orders/[^/]+/label", 503, times=2)
    failed = await purchase(gql, shop, shipment_id)
    assert [e["code"] for e in failed["errors"]] == ["COURIER_UNAVAILABLE"]
    await nothing_bought(shipment_id, fake_courier)  # booked, then cancelled again: no half-bought label
    [undone] = fake_courier.orders.values()
    assert undone["status"] == "cancelled"
    assert await CourierLabel.filter(state=LabelState.FAILED).count() == 1

    again = await purchase(gql, shop, shipment_id)
    assert again["errors"] == [] and len(fake_courier.booked()) == 1


async def test_a_refused_booking_stores_nothing(gql, shop, fake_courier):
    _, shipment_id = await shipped_order(gql, shop)
    refused = await purchase(gql, shop, shipment_id, service="kargo_laut")
    assert [e["code"] for e in refused["errors"]] == ["COURIER_REFUSED"]
    assert "kargo_laut" in refused["errors"][0]["message"]
    await nothing_bought(shipment_id, fake_courier)
    assert len(fake_courier.calls("POST", "/v1/orders")) == 1  # a refusal is not retried
    assert (await purchase(gql, shop, shipment_id, service="jne_reg"))["errors"] == []


async def test_another_brands_staff_and_the_customer_are_refused(gql, shop, fake_courier):
    _, shipment_id = await shipped_order(gql, shop)
    # Koko's staff (at either storefront) and the customer are refused, as for any order of another brand.
    asked = {"id": shipment_id, "format": "PDF"}
    for token, storefront in ((shop["outsider"], "koko"), (shop["outsider"], "sekar"), (shop["token"], "sekar")):
        error = await gql.error(PURCHASE, asked, storefront=storefront, token=token)
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert await staff_view(gql, shop, shipment_id, token=shop["outsider"], storefront=storefront) is None
    assert fake_courier.requests == []
    assert (await purchase(gql, shop, shipment_id))["errors"] == []
    error = await gql.error(CANCEL, {"id": shipment_id}, storefront="koko", token=shop["outsider"])
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert len(fake_courier.booked()) == 1


async def test_cancelling_a_label_takes_it_off_the_shipment(gql, client, shop, fake_courier, settings):
    _, shipment_id = await shipped_order(gql, shop)
    none_yet = await gql(CANCEL, {"id": shipment_id}, storefront="sekar", token=shop["staff"])
    assert [e["code"] for e in none_yet["courierLabelCancel"]["errors"]] == ["COURIER_NO_LABEL"]
    label = (await purchase(gql, shop, shipment_id))["label"]

    fake_courier.fail("DELETE", r"/v1/orders/[^/]+", 503, times=2)
    down = await gql(CANCEL, {"id": shipment_id}, storefront="sekar", token=shop["staff"])
    assert [e["code"] for e in down["courierLabelCancel"]["errors"]] == ["COURIER_UNAVAILABLE"]
    assert (await staff_view(gql, shop, shipment_id))["label"] is not None  # nothing changed

    done = await gql(CANCEL, {"id": shipment_id}, storefront="sekar", token=shop["staff"])
    assert done["courierLabelCancel"]["errors"] == []
    assert done["courierLabelCancel"]["label"]["trackingNumber"] == ""
    [order] = fake_courier.orders.values()
    assert order["status"] == "cancelled"
    shipment = await staff_view(gql, shop, shipment_id)
    assert (shipment["label"], shipment["trackingNumber"], shipment["status"]) == (None, "", "CANCELLED")
    assert not (Path(settings.media.root) / label["labelUrl"].rsplit("/", 1)[1]).exists()

    # A new label after the cancellation; once picked up, the courier refuses to cancel it.
    relabel = await purchase(gql, shop, shipment_id)
    assert relabel["errors"] == [] and (await staff_view(gql, shop, shipment_id))["status"] == "LABEL_CREATED"
    fresh = fake_courier.booked()[0]
    # News of the cancelled booking (the courier confirming it, late) leaves the new label's shipment alone.
    stale = {"id": "ev-old", "status": "cancelled", "occurred_at": later(3)}
    ignored = await deliver(client, {"order_id": order["id"], "events": [stale]})
    assert ignored.json() == {"outcome": "inactive_order"}
    assert (await staff_view(gql, shop, shipment_id))["status"] == "LABEL_CREATED"
    fake_courier.scan(fresh["id"], "picked_up", later(1))
    late = await gql(CANCEL, {"id": shipment_id}, storefront="sekar", token=shop["staff"])
    assert [e["code"] for e in late["courierLabelCancel"]["errors"]] == ["COURIER_REFUSED"]
    assert (await staff_view(gql, shop, shipment_id))["trackingNumber"] == fresh["waybill"]


# --- tracking --------------------------------------------------------------------------------------------


async def test_webhook_events_reach_the_customer_staff_and_webhooks(gql, client, app, shop, fake_courier, receiver):
    hook = {"url": receiver.url, "events": ["shipment.tracking_updated"]}
    created = await gql(WEBHOOK_CREATE, {"input": hook}, storefront="sekar", token=shop["staff"])
    assert created["webhookCreate"]["errors"] == [], created
    _, shipment_id = await shipped_order(gql, shop, guest_token="tok-courier-1")
    await purchase(gql, shop, shipment_id)
    [booking] = fake_courier.booked()
    picked = fake_courier.scan(booking["id"], "picked_up", later(1), "Bandung")
    moving = fake_courier.scan(booking["id"], "in_transit", later(12), "Jakarta Hub")
    sent = await deliver(client, {"type": "tracking.updated", "order_id": booking["id"], "events": [picked, moving]})
    assert sent.status_code == 200 and sent.json() == {"outcome": "recorded", "added": 2}

    guest = (await gql(GUEST_ORDER, {"t": "tok-courier-1"}, storefront="sekar"))["orderByToken"]
    [shipment] = guest["shipments"]
    assert shipment["status"] == "IN_TRANSIT"
    assert [(e["status"], e["location"]) for e in shipment["events"][1:]] == [
        ("PICKED_UP", "Bandung"),
        ("IN_TRANSIT", "Jakarta Hub"),
    ]
    assert datetime.fromisoformat(shipment["events"][1]["occurredAt"]) == datetime.fromisoformat(picked["occurred_at"])
    assert shipment["events"][1]["source"] == "courier"
    assert (await staff_view(gql, shop, shipment_id))["events"] == shipment["events"]
    outbox = await Event.filter(type="shipment.tracking_updated").order_by("id")
    assert [e.payload["event"]["status"] for e in outbox] == ["LABEL_CREATED", "PICKED_UP", "IN_TRANSIT"]
    assert {e.brand_id for e in outbox} == {shop["brand"].id}
    assert outbox[-1].payload["tracking_number"] == booking["waybill"]
    await _deliver_until_quiet(app.state.plugins)  # the brand's webhook gets them (not label_updated: not asked)
    envelopes = [json.loads(body) for _, body in receiver.received]
    assert [(e["type"], e["data"]["event"]["status"]) for e in envelopes] == [
        ("shipment.tracking_updated", "LABEL_CREATED"),
        ("shipment.tracking_updated", "PICKED_UP"),
        ("shipment.tracking_updated", "IN_TRANSIT"),
    ]
    assert envelopes[-1]["data"]["event"]["location"] == "Jakarta Hub"

    # The same delivery again (a courier retry): nothing new. A late, older event: stored, status kept.
    again = await deliver(client, {"type": "tracking.updated", "order_id": booking["id"], "events": [moving]})
    assert again.json() == {"outcome": "recorded", "added": 0}
    late = {"id": "ev-late", "status": "picked_up", "occurred_at": later(2), "location": "Cimahi"}
    assert (await deliver(client, {"order_id": booking["id"], "events": [late]})).json()["added"] == 1
    shipment = (await gql(GUEST_ORDER, {"t": "tok-courier-1"}, storefront="sekar"))["orderByToken"]["shipments"][0]
    assert shipment["status"] == "IN_TRANSIT"
    assert [e["location"] for e in shipment["events"]] == ["", "Bandung", "Cimahi", "Jakarta Hub"]
    assert await Event.filter(type="shipment.tracking_updated").count() == 4

    # Delivered: the order's only parcel, so the order is DELIVERED too.
    done = fake_courier.scan(booking["id"], "delivered", later(30), "Jakarta Pusat")
    assert (await deliver(client, {"order_id": booking["id"], "events": [done]})).json()["added"] == 1
    guest = (await gql(GUEST_ORDER, {"t": "tok-courier-1"}, storefront="sekar"))["orderByToken"]
    assert (guest["status"], guest["shipments"][0]["status"]) == ("DELIVERED", "DELIVERED")
    assert await Event.filter(type="ORDER_DELIVERED").count() == 1


async def test_a_webhook_with_a_bad_signature_stores_nothing(gql, client, shop, fake_courier):
    _, shipment_id = await shipped_order(gql, shop)
    await purchase(gql, shop, shipment_id)
    [booking] = fake_courier.booked()
    event = fake_courier.scan(booking["id"], "picked_up", later(1))
    payload = {"order_id": booking["id"], "events": [event]}
    for signing in ({"secret": "not-the-secret"}, {"timestamp": int(time.time()) - 3600}):
        refused = await deliver(client, payload, **signing)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "COURIER_SIGNATURE_INVALID"
    unsigned = await client.post("/webhooks/courier", json=payload)
    assert unsigned.status_code == 401
    assert [e.status for e in await ShipmentEvent.all()] == ["LABEL_CREATED"]
    unknown = await deliver(client, {"order_id": "ord_9999", "events": [event]})
    assert unknown.json() == {"outcome": "unknown_order"}


async def test_polling_brings_what_webhooks_missed_until_delivered(gql, shop, fake_courier, plugin_host):
    order, shipment_id = await shipped_order(gql, shop)
    await purchase(gql, shop, shipment_id)
    [booking] = fake_courier.booked()
    fake_courier.scan(booking["id"], "picked_up", later(1), "Bandung")
    fake_courier.scan(booking["id"], "at_customs", later(2), "Soekarno-Hatta")
    api = api_for(plugin_host)
    assert await poll(api, plugin_host, batch=10) == 2
    assert await poll(api, plugin_host, batch=10) == 0  # the same history again: nothing new
    assert (await staff_view(gql, shop, shipment_id))["status"] == "AT_CUSTOMS"
    fake_courier.scan(booking["id"], "delivered", later(50), "Kuala Lumpur")
    fake_courier.fail("GET", r"/v1/orders/[^/]+/tracking", 503, times=2)
    assert await poll(api, plugin_host, batch=10) == 0  # the courier is down: logged, tried next time
    assert await poll(api, plugin_host, batch=10) == 1
    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED
    asked = len(fake_courier.calls("GET", r"/v1/orders/[^/]+/tracking"))
    assert await poll(api, plugin_host, batch=10) == 0
    assert len(fake_courier.calls("GET", r"/v1/orders/[^/]+/tracking")) == asked  # delivered: not asked again


async def test_the_polling_task_is_a_periodic_job_of_the_plugin(plugin_host):
    [blueprint] = plugin_host.collect("job_blueprints") and [
        b for b in plugin_host.manager.get_plugin("courier").job_blueprints(plugin_host)
    ]
    task = blueprint.tasks["poll_tracking"]
    assert task.queueing_lock == "courier:poll_tracking"
    assert [p.cron for p in blueprint.periodic_registry.periodic_tasks.values()] == ["*/15 * * * *"]


async def test_the_order_list_reads_every_shipments_events_in_constant_statements(gql, shop, sql_counter):
    from core.orders.models import ShipmentStatus
    from core.orders.tracking import TrackingEvent, record_tracking

    listing = """{ orders(first: 50) { edges { node { number shipments {
      status trackingUrl label { url } events { status occurredAt location } } } } } }"""

    async def statements(orders: int) -> tuple[int, int]:
        for _ in range(orders):
            _, shipment_id = await shipped_order(gql, shop)
            row = await shipment_row(shipment_id)
            events = [
                TrackingEvent(f"e{i}", status, datetime.now(WIB) + timedelta(hours=i))
                for i, status in enumerate((ShipmentStatus.PICKED_UP, ShipmentStatus.IN_TRANSIT))
            ]
            await record_tracking(row.id, events, source="courier", host=None)
        with sql_counter.counting() as seen:
            answer = await gql(listing, storefront="sekar", token=shop["staff"])
        nodes = [e["node"] for e in answer["orders"]["edges"]]
        assert all([e["status"] for e in n["shipments"][0]["events"]] == ["PICKED_UP", "IN_TRANSIT"] for n in nodes)
        return len(nodes), len(seen)

    few, few_statements = await statements(2)
    many, many_statements = await statements(4)
    assert (few, many) == (2, 6) and few_statements == many_statements
