"""A brand shipping through the courier plugin, with the fake courier on loopback: fixtures and the steps staff,
storefronts and the courier take. Test modules import the fixtures they use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from core.orders.models import Order, Shipment
from core.settings import Settings
from tests.factories import access_token, make_brand, make_order, make_staff, make_user
from tests.plugins.courier_fake import API_KEY, WEBHOOK_SECRET, FakeCourier

ERRORS = "errors { field code message }"
CONFIGURE = f"""mutation($plugin: String!, $input: PluginConfigureInput!) {{
  pluginConfigure(plugin: $plugin, input: $input) {{ plugin {{ active }} {ERRORS} }} }}"""
BRAND_SETTINGS = {"origin_postal_code": "40115", "origin_city": "Bandung", "sender_phone": "+62 22 123456"}
SHIP = f"""mutation($id: ID!, $input: ShipmentCreateInput!) {{
  shipmentCreate(orderId: $id, input: $input) {{ shipment {{ id }} {ERRORS} }} }}"""
LABEL = "shipmentId carrier trackingNumber trackingUrl labelUrl labelFormat"
PURCHASE = f"""mutation($id: ID!, $format: CourierLabelFormat!, $service: String, $key: String) {{
  courierLabelPurchase(shipmentId: $id, format: $format, service: $service, idempotencyKey: $key) {{
    label {{ {LABEL} }} {ERRORS} }} }}"""
CANCEL = f"""mutation($id: ID!) {{ courierLabelCancel(shipmentId: $id) {{ label {{ {LABEL} }} {ERRORS} }} }}"""
SHIPMENT = """id carrier trackingNumber trackingUrl status label { url format }
  events { status occurredAt location description source }"""
STAFF_SHIPMENT = f"query($id: ID!) {{ node(id: $id) {{ ... on Shipment {{ {SHIPMENT} }} }} }}"
CUSTOMER_ORDER = f"query($n: Int!) {{ order(number: $n) {{ status shipments {{ {SHIPMENT} }} }} }}"
GUEST_ORDER = f"query($t: String!) {{ orderByToken(token: $t) {{ status shipments {{ {SHIPMENT} }} }} }}"


def gid(kind: str, pk: int) -> str:
    from strawberry.relay import GlobalID

    return str(GlobalID(kind, str(pk)))


@pytest.fixture
def fake_courier() -> Iterator[FakeCourier]:
    fake = FakeCourier().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def settings(settings: Settings, fake_courier: FakeCourier, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Settings:
    """`[plugins.courier]` pointing at the fake, with short timeouts and no backoff; the keys in the environment;
    media in a temporary folder; webhooks allowed to loopback."""
    monkeypatch.setenv("COURIER_API_KEY", API_KEY)
    monkeypatch.setenv("COURIER_WEBHOOK_SECRET", WEBHOOK_SECRET)
    table = {
        "api_base": fake_courier.url,
        "timeout_seconds": 0.5,
        "rates_timeout_seconds": 0.5,
        "max_retries": 1,
        "backoff_seconds": 0,
        "rate_cache_seconds": 300,
    }
    plugins = settings.plugins.model_copy(update={"config": {**settings.plugins.config, "courier": table}})
    media = settings.media.model_copy(update={"root": str(tmp_path / "media")})
    # Brands' webhooks may reach a receiver on loopback (the shipment.* events' delivery test).
    webhooks = settings.webhooks.model_copy(update={"allow_private_addresses": True, "timeout_seconds": 1.0})
    return settings.model_copy(update={"plugins": plugins, "media": media, "webhooks": webhooks})


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    """Sekar turned the courier on; Koko, another brand, has staff of its own."""
    brand = await make_brand("sekar")
    _, staff = await make_staff(brand)
    other = await make_brand("koko")
    _, outsider = await make_staff(other)
    customer = await make_user("siti@example.id")
    configured = await gql(
        CONFIGURE,
        {"plugin": "courier", "input": {"config": BRAND_SETTINGS, "active": True}},
        storefront="sekar",
        token=staff,
    )
    assert configured["pluginConfigure"]["errors"] == [], configured
    return {"brand": brand, "staff": staff, "outsider": outsider, "customer": customer, "token": access_token(customer)}


async def shipped_order(gql, shop: dict[str, Any], *, guest_token: str = "") -> tuple[Order, str]:
    """A paid order of the customer (or a guest's, by checkout token), shipped in full: its shipment's ID."""
    user = None if guest_token else shop["customer"]
    order = await make_order(shop["brand"], user=user, paid=True, quantities=(2,))
    order.shipping_address = {
        "first_name": "Siti",
        "last_name": "Aminah",
        "street1": "Jl. Kebon Sirih 12",
        "city": "Jakarta Pusat",
        "province": "DKI Jakarta",
        "postal_code": "10340",
        "country": "ID",
        "phone": "+62 812 3456 7890",
    }
    order.delivery_method_id = "courier:sicepat_best"
    order.checkout_token = guest_token or None
    await order.save()
    line = (await order.lines.all())[0]
    parcel = {"carrier": "Kurir", "lines": [{"orderLineId": gid("OrderLine", line.id), "quantity": 2}]}
    shipped = await gql(SHIP, {"id": gid("Order", order.id), "input": parcel}, storefront="sekar", token=shop["staff"])
    assert shipped["shipmentCreate"]["errors"] == [], shipped
    return order, shipped["shipmentCreate"]["shipment"]["id"]


async def purchase(gql, shop: dict[str, Any], shipment_id: str, **variables: Any) -> dict[str, Any]:
    token = variables.pop("token", shop["staff"])
    storefront = variables.pop("storefront", "sekar")
    asked = {"id": shipment_id, "format": "PDF", **variables}
    return (await gql(PURCHASE, asked, storefront=storefront, token=token))["courierLabelPurchase"]


async def staff_view(
    gql, shop: dict[str, Any], shipment_id: str, token: str = "", storefront: str = "sekar"
) -> dict[str, Any] | None:
    return (await gql(STAFF_SHIPMENT, {"id": shipment_id}, storefront=storefront, token=token or shop["staff"]))["node"]


async def deliver(client: httpx.AsyncClient, payload: dict[str, Any], **signing: Any) -> httpx.Response:
    body, headers = FakeCourier.signed(payload, **signing)
    return await client.post("/webhooks/courier", content=body, headers=headers)


async def shipment_row(shipment_id: str) -> Shipment:
    from strawberry.relay import GlobalID

    return await Shipment.get(id=int(GlobalID.from_id(shipment_id).node_id))
